#!/bin/bash
# runs.sh KERNEL... : boot each kernel (ours, upstream) under QEMU-SVM and
# Bochs-VMX with our selftests and judge the runs.  Ours is the debug
# build under QEMU and the plain build under Bochs.  Prints one verdict
# line per run; exits non-zero if any run failed.
#   EMULATORS="qemu bochs" (default both)
set -uo pipefail
here=$(dirname "$(realpath "$0")")
top=$(dirname "$here")
out=$top/out
. "$here/base.conf"
mkdir -p "$out/runs"
tests=$(cd "$out/tests" && find . -maxdepth 1 -type f -perm -u+x -printf '%f\n' | LC_ALL=C sort)
rc=0
for k in "$@"; do
	for emu in ${EMULATORS:-qemu bochs}; do
		# QEMU runs our debug kernel; Bochs is too slow for it.
		case $emu-$k in
		qemu-ours) build=$out/build-ours ;;
		bochs-ours) build=$out/build-ours-plain ;;
		*-upstream) build=$out/build-upstream-$BASE_VERSION ;;
		esac
		case $emu in
		qemu) backend=svm ;;
		bochs) backend=vmx ;;
		esac
		initrd=$out/runs/initrd-$emu-$k.gz
		# shellcheck disable=SC2086
		"$here/mkinitramfs.sh" "$initrd" "$build/mod" "$out/tests" $tests
		"$here/stage.sh" "run $emu-$backend $k" \
			"$here/run-vm.py" --emulator "$emu" --backend "$backend" \
			--name "$emu-$backend-$k" --kernel "$build/arch/x86/boot/bzImage" \
			--initrd "$initrd" --log "$out/runs/$emu-$backend-$k.log" || rc=1
	done
done
exit $rc
