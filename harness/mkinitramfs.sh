#!/bin/bash
# mkinitramfs.sh OUT.cpio MODDIR TESTDIR TEST...
# Build the test machine's initramfs: static busybox, our /init, the kernel
# modules installed in MODDIR (may be empty) and the named test binaries.
# With INNER_KERNEL=FILE in the environment, FILE becomes /inner/bzImage
# (the guest linux_boot_test and the clients boot); with CLIENTS="NAME..."
# the client tests harness/clients/NAME run after the selftests, and
# Debian's QEMU comes along for them.
# Uncompressed: decompressing it costs a debug kernel seconds of boot.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
dst=$(realpath -m "$1"); mods=$2; tests=$3; shift 3
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,tests,lib}
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
cp "$here/initramfs/init" "$root/init"
chmod +x "$root/init"
if [ -d "$mods/lib/modules" ]; then
	cp -a "$mods/lib/modules" "$root/lib/"
	find "$root/lib/modules" \( -name build -o -name source \) -exec rm -f {} +
fi
: > "$root/tests/list"
for t in "$@"; do
	mkdir -p "$(dirname "$root/tests/$t")"
	cp "$tests/$t" "$root/tests/$t"
	echo "$t" >> "$root/tests/list"
done
if [ -n "${INNER_KERNEL:-}" ]; then
	mkdir -p "$root/inner"
	cp "$INNER_KERNEL" "$root/inner/bzImage"
fi
for c in ${CLIENTS:-}; do
	[ -d "$root/usr/bin" ] || "$here/clients/stage-qemu.sh" "$root"
	cp "$here/clients/$c" "$root/tests/$c"
	echo "$c" >> "$root/tests/list"
done
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$dst"
