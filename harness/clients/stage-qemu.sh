#!/bin/bash
# stage-qemu.sh ROOT: copy Debian's qemu-system-x86_64, the shared
# libraries it loads and the firmware a PC machine needs (SeaBIOS, the
# Linux boot option ROM, the kvmvapic ROM) into the initramfs tree ROOT,
# at their own paths, so the test machine can run it unchanged.
set -euo pipefail
root=$1
qemu=/usr/bin/qemu-system-x86_64
[ -x "$qemu" ] || { echo "stage-qemu: $qemu is missing" >&2; exit 1; }
copy() {
	mkdir -p "$root$(dirname "$1")"
	cp -L "$1" "$root$1"
}
copy "$qemu"
ldd "$qemu" | awk '/=> \// { print $3 } /^\t\// { print $1 }' | while read -r lib; do
	copy "$lib"
done
for f in /usr/share/seabios/bios-256k.bin /usr/share/qemu/linuxboot_dma.bin \
	 /usr/share/qemu/kvmvapic.bin; do
	copy "$f"
done
