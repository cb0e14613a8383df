#!/bin/bash
# bisect.sh: build every prefix of the series (x86_64, test config, KVM=m).
#
# The stripped base does not configure (arch/x86/Kconfig sources the
# removed arch/x86/kvm/Kconfig), so prefixes before the patch that adds it
# cannot be built; they are reported, and every prefix from that patch on
# must build.  Each prefix is built incrementally in the plain build of
# ours (out/src, out/build-ours-plain): only the files that differ between
# prefixes are rewritten, and the tree is restored to the whole series at
# the end.  FROM=N builds only prefixes N and later, e.g. after a change
# late in the series; TO=M stops after prefix M.
set -uo pipefail
here=$(dirname "$(realpath "$0")")
top=$(dirname "$here")
out=$top/out
base=$("$here/prepare-base.sh" "$out")
stripped=$base/stripped
src=$("$here/series.sh" srctree)
tmp=$out/bisect-quilt
mapfile -t patches < "$top/series"
mapfile -t files < <(for p in "${patches[@]}"; do
	sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$top/patches/$p"; done | sort -u)
rc=0
k=0
for p in "${patches[@]}"; do
	k=$((k + 1))
	# Each prefix is applied afresh: those before FROM need not be.
	[ "$k" -lt "${FROM:-1}" ] && continue
	[ "$k" -gt "${TO:-$k}" ] && break
	rm -rf "$tmp"
	cp -al "$stripped" "$tmp"
	ln -s "$top/patches" "$tmp/patches"
	head -n $k "$top/series" > "$tmp/series"
	(cd "$tmp" && QUILT_PATCHES=patches quilt push -aq >/dev/null) || { echo "bisect: $p does not apply"; rc=1; break; }
	for f in "${files[@]}"; do
		if [ ! -e "$tmp/$f" ]; then
			rm -f "$src/$f"
		elif ! cmp -s "$tmp/$f" "$src/$f"; then
			mkdir -p "$(dirname "$src/$f")"
			rm -f "$src/$f"
			cp "$tmp/$f" "$src/$f"
		fi
	done
	if [ ! -f "$src/arch/x86/kvm/Kconfig" ]; then
		echo "bisect: $k/${#patches[@]} $p: not configurable yet (stripped base)"
		continue
	fi
	start=$(date +%s)
	if "$here/build-kernel.sh" "$src" "$out/build-ours-plain" "$here/config/test.config" \
		> "$out/bisect-$k.log" 2>&1; then
		echo "bisect: $k/${#patches[@]} $p: builds ($(( $(date +%s) - start ))s)"
	else
		echo "bisect: $k/${#patches[@]} $p: BUILD FAILED (out/bisect-$k.log)"
		tail -20 "$out/bisect-$k.log"
		rc=1
	fi
done
rm -rf "$tmp"
"$here/series.sh" srctree >/dev/null
exit $rc
