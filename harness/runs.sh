#!/bin/bash
# runs.sh KERNEL EMULATOR...: boot KERNEL (ours: the debug build;
# ours-plain: the same series without debug options, for quick runs;
# upstream: the unmodified base) under each EMULATOR (qemu: SVM; bochs:
# VMX) with our selftests, one after the other, and judge each run.
# bochs-skx is Bochs's Skylake-X, whose VMX scales the TSC (the Haswell
# of "bochs" cannot): it runs the tests of the TSC rate only (and of
# nested VMX, which scales L2's TSC there).
# Exits non-zero if any run failed.
set -uo pipefail
here=$(dirname "$(realpath "$0")")
top=$(dirname "$here")
out=$top/out
. "$here/base.conf"
k=$1
shift
case $k in
ours) build=$out/build-ours ;;
ours-plain) build=$out/build-ours-plain ;;
upstream) build=$out/build-upstream-$BASE_VERSION ;;
*) echo "runs: unknown kernel $k" >&2; exit 2 ;;
esac
mkdir -p "$out/runs"
tests=$(cd "$out/tests" && find . -maxdepth 1 -type f -perm -u+x -printf '%f\n' | LC_ALL=C sort)
# One initramfs per invocation: make check runs the upstream kernel under
# both emulators at once, and a shared file was rewritten under the other
# run's feet (its guest then failed at boot, or QEMU could not exec).
initrd=$out/runs/initrd-$k-$(IFS=-; echo "$*").cpio
# The inner guest for linux_boot_test, and Debian's QEMU to boot it too.
# shellcheck disable=SC2086
INNER_KERNEL=$out/inner/bzImage CLIENTS=qemu_boot \
	"$here/mkinitramfs.sh" "$initrd" "$build/mod" "$out/tests" $tests
skx_tests="tsc_scaling_test vmx_nested_test"
case " $* " in
*" bochs-skx "*)
	skx_initrd=$out/runs/initrd-$k-skx.cpio
	# shellcheck disable=SC2086
	"$here/mkinitramfs.sh" "$skx_initrd" "$build/mod" "$out/tests" \
		$skx_tests ;;
esac
rc=0
for emu in "$@"; do
	backend=$([ "$emu" = qemu ] && echo svm || echo vmx)
	run_initrd=$initrd
	model=()
	if [ "$emu" = bochs-skx ]; then
		run_initrd=$skx_initrd
		model=(--bochs-cpu corei7_skylake_x)
	fi
	# Our debug kernel in Bochs is some ten times slower than anything
	# else: bulk phases of tests (32k memory slots) are left to the
	# other runs there.
	slow=
	[ "$k/$emu" = ours/bochs ] && slow=harness.slow=1
	# Three emulators share two cores while make check runs, and the
	# bulk memory slot phase alone takes some 300 s of TCG on either
	# kernel: 600 s per test.  The debug kernel in Bochs (KASAN, lockdep)
	# needs more than the default 900 s in all.
	limits=(--test-timeout 600)
	[ "$k/$emu" = ours/bochs ] && limits+=(--timeout 1500)
	"$here/stage.sh" "run $emu-$backend $k" \
		"$here/run-vm.py" --emulator "${emu%-skx}" --backend "$backend" \
		--name "$emu-$backend-$k" --kernel "$build/arch/x86/boot/bzImage" \
		--initrd "$run_initrd" --append "$slow" "${limits[@]}" "${model[@]}" \
		--log "$out/runs/$emu-$backend-$k.log" || rc=1
done
exit $rc
