#!/bin/bash
# demo.sh: the main job.  Fetch and verify the base, strip it, apply the
# series, build the kernel, and boot it under QEMU with SVM: the machine
# loads kvm-amd, our selftests create guests on our /dev/kvm (among them
# linux_boot_test, a minimal VMM booting Linux), and at the end Debian's
# QEMU boots the same Linux guest with -accel kvm on our kernel.  The
# serial console is shown as it runs, the inner guest's console after
# each QEMU run ("# | " lines).
set -euo pipefail
here=$(dirname "$(realpath "$0")")
top=$(dirname "$here")
out=$top/out
"$here/stage.sh" "base" "$here/prepare-base.sh" "$out" >/dev/null
"$here/stage.sh" "kernel (ours)" "$here/kernels.sh" ours
"$here/stage.sh" "selftests" "$here/kernels.sh" tests
"$here/stage.sh" "inner guest" "$here/kernels.sh" inner
tests=$(cd "$out/tests" && find . -maxdepth 1 -type f -perm -u+x -printf '%f\n' | LC_ALL=C sort)
mkdir -p "$out/runs"
# shellcheck disable=SC2086
INNER_KERNEL=$out/inner/bzImage CLIENTS=qemu_boot \
	"$here/mkinitramfs.sh" "$out/runs/initrd-ours.cpio" "$out/build-ours/mod" "$out/tests" $tests
exec "$here/run-vm.py" --emulator qemu --backend svm --name demo --show \
	--kernel "$out/build-ours/arch/x86/boot/bzImage" \
	--initrd "$out/runs/initrd-ours.cpio" --log "$out/runs/demo.log"
