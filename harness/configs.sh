#!/bin/bash
# configs.sh: the patched tree builds with KVM=n, KVM=m and KVM=y.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
top=$(dirname "$here")
out=$top/out
src=$("$here/series.sh" srctree)
cfg=$here/config
rc=0
for v in n m y; do
	frags=("$cfg/test.config")
	[ $v = m ] || frags+=("$cfg/kvm-$v.config")
	dir=$out/build-ours-plain
	[ $v = m ] || dir=$out/build-cfg-$v
	start=$(date +%s)
	if "$here/build-kernel.sh" "$src" "$dir" "${frags[@]}" > "$out/configs-$v.log" 2>&1; then
		echo "configs: KVM=$v builds ($(( $(date +%s) - start ))s)"
	else
		echo "configs: KVM=$v BUILD FAILED (out/configs-$v.log)"
		tail -20 "$out/configs-$v.log"
		rc=1
	fi
done
exit $rc
