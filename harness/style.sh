#!/bin/bash
# style.sh [checkpatch|sparse]
# The style gates: checkpatch --strict on every patch of the series, and
# sparse (C=2) plus W=1 on our directories in the built kernel of ours.
# Any finding fails.  FILE_PATH_CHANGES ("does MAINTAINERS need
# updating?") is not checked per patch: the series updates MAINTAINERS in
# a patch of its own.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
top=$(dirname "$here")
out=$top/out
what=${1:-all}
rc=0
src=$("$here/series.sh" srctree)

if [ "$what" = all ] || [ "$what" = checkpatch ]; then
	n=0
	while read -r p; do
		if ! (cd "$src" && ./scripts/checkpatch.pl --strict -q --ignore FILE_PATH_CHANGES \
			"$top/patches/$p"); then
			echo "style: checkpatch: $p" >&2
			rc=1
		fi
		n=$((n + 1))
	done < "$top/series"
	[ $rc = 0 ] && echo "style: checkpatch --strict clean on $n patches"
fi

if [ "$what" = all ] || [ "$what" = sparse ]; then
	build=$out/build-ours
	[ -f "$build/.config" ] || { echo "style: build the kernel first (make kernel)" >&2; exit 1; }
	log=$(mktemp)
	# Force a rebuild of our objects so that every file is compiled with
	# W=1 and checked; C=2 alone would miss compiler warnings.
	find "$build/arch/x86/kvm" "$build/virt/kvm" -name '*.o' -delete 2>/dev/null || true
	make -s -C "$src" O="$build" C=2 W=1 -j"$(nproc)" arch/x86/kvm/ >"$log" 2>&1 || rc=1
	if grep -E 'warning|error' "$log" >/dev/null; then
		cat "$log" >&2
		echo "style: sparse/W=1 findings in our directories" >&2
		rc=1
	else
		echo "style: sparse (C=2) and W=1 clean on arch/x86/kvm and virt/kvm"
	fi
	rm -f "$log"
fi
exit $rc
