#!/bin/bash
# build-inner.sh SRC OUT
# Build the inner guest -- the Linux kernel a VMM running on our KVM boots
# -- from the kernel source in SRC (any 6.12 tree: the guest does not need
# our series) into OUT/bzImage, with harness/inner/init built into its
# initramfs.  Incremental like build-kernel.sh.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
src=$(realpath "$1"); out=$(realpath -m "$2")
mkdir -p "$out"
gcc -static -Os -Wall -o "$out/init.new" "$here/inner/init.c"
cmp -s "$out/init.new" "$out/init" 2>/dev/null && rm "$out/init.new" || mv "$out/init.new" "$out/init"
cat > "$out/initramfs.list.new" <<LIST
dir /dev 755 0 0
nod /dev/console 600 0 0 c 5 1
file /init $out/init 755 0 0
LIST
cmp -s "$out/initramfs.list.new" "$out/initramfs.list" 2>/dev/null &&
	rm "$out/initramfs.list.new" || mv "$out/initramfs.list.new" "$out/initramfs.list"
# One compiler cache with the other kernels.
export CCACHE_DIR=${CCACHE_DIR:-$(dirname "$out")/ccache}
frag=$out/initramfs.config
echo "CONFIG_INITRAMFS_SOURCE=\"$out/initramfs.list\"" > "$frag"
"$here/build-kernel.sh" "$src" "$out/build" "$here/inner/inner.config" "$frag"
cp "$out/build/arch/x86/boot/bzImage" "$out/bzImage"
