#!/bin/bash
# prepare-base.sh OUTDIR
# Make sure the pinned base tarball is present and is the one we pinned,
# then extract it once into OUTDIR/base-VERSION/pristine and make the
# stripped copy OUTDIR/base-VERSION/stripped (hard links: cheap, and the
# tools that touch it later replace files instead of writing in place).
# Prints the base directory.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
. "$here/base.conf"
out=$(realpath -m "$1")
if [ ! -f "$BASE_TARBALL" ]; then
	"$here/deps.sh" "$BASE_PACKAGE" >&2
fi
dir=$out/base-$BASE_VERSION
mkdir -p "$dir"
if [ ! -f "$dir/.verified" ]; then
	sum=$(sha256sum "$BASE_TARBALL" | cut -d' ' -f1)
	if [ "$sum" != "$BASE_SHA256" ] && [ "${BASE_OVERRIDE:-0}" != 1 ]; then
		cat >&2 <<MSG
prepare-base: $BASE_TARBALL is not the pinned base.
  pinned: $BASE_VERSION sha256 $BASE_SHA256
  found:  sha256 $sum
Set BASE_OVERRIDE=1 to try the series on this tarball anyway.
MSG
		exit 1
	fi
	echo "$sum" > "$dir/.verified"
fi
if [ ! -f "$dir/pristine/.extracted" ]; then
	rm -rf "$dir/pristine" "$dir/tmp"
	mkdir -p "$dir/tmp"
	echo "prepare-base: extracting $BASE_TARBALL" >&2
	tar -C "$dir/tmp" -xf "$BASE_TARBALL"
	mv "$dir/tmp"/linux-source-* "$dir/pristine"
	rmdir "$dir/tmp"
	touch "$dir/pristine/.extracted"
fi
if [ ! -f "$dir/stripped/.stripped" ]; then
	rm -rf "$dir/stripped"
	cp -al "$dir/pristine" "$dir/stripped"
	rm -f "$dir/stripped/.extracted"
	"$here/strip-kvm.sh" "$dir/stripped"
	touch "$dir/stripped/.stripped"
fi
echo "$dir"
