#!/bin/bash
# bench.sh: run kvm_bench, and Debian's QEMU booting the inner Linux
# guest (harness/inner), on our kernel and on upstream KVM, under QEMU
# (-icount shift=0: 1 guest ns = 1 instruction) and Bochs (clock:
# sync=none), and print ours, upstream and the ratio from the same run.
# Uses the plain (non-debug) kernels so that debug checks do not count.
set -uo pipefail
here=$(dirname "$(realpath "$0")")
top=$(dirname "$here")
out=$top/out
. "$here/base.conf"
"$here/stage.sh" "kernel (ours, plain)" "$here/kernels.sh" ours-plain || exit 1
"$here/stage.sh" "kernel (upstream)" "$here/kernels.sh" upstream || exit 1
"$here/stage.sh" "selftests" "$here/kernels.sh" tests || exit 1
"$here/stage.sh" "inner guest" "$here/kernels.sh" inner || exit 1
src=$out/src
mkdir -p "$out/bench"
gcc -O2 -static -Wall -I"$src/tools/testing/selftests/kvm/include" \
	-isystem "$out/tests/hdr/usr/include" "$here/bench/kvm_bench.c" \
	"$out/tests/libkvm.a" -o "$out/bench/kvm_bench" || exit 1

declare -A val
for k in ours upstream; do
	case $k in
	ours) build=$out/build-ours-plain ;;
	upstream) build=$out/build-upstream-$BASE_VERSION ;;
	esac
	# Debian's QEMU boots the inner guest once (kernel_irqchip=on, one
	# CPU: qemu_boot's default) after kvm_bench.
	INNER_KERNEL=$out/inner/bzImage CLIENTS=qemu_boot \
		"$here/mkinitramfs.sh" "$out/bench/initrd-$k.cpio" "$build/mod" "$out/bench" kvm_bench
	for emu in qemu bochs; do
		case $emu in
		qemu) backend=svm; extra=(--icount --smp 1) ;;
		bochs) backend=vmx; extra=() ;;
		esac
		log=$out/bench/$emu-$k.log
		"$here/run-vm.py" --emulator $emu --backend $backend --name "bench $emu-$backend $k" \
			--kernel "$build/arch/x86/boot/bzImage" --initrd "$out/bench/initrd-$k.cpio" \
			--log "$log" --timeout 2400 "${extra[@]}" --quiet | sed -n 1p
		while read -r _ _ name v unit; do
			val[$emu,$k,$name]="$v"
			val[unit,$name]="$unit"
		done < <(grep -a '^# BENCH: ' "$log" | tr -d '\r')
	done
done

printf '\n%-16s %-10s %14s %14s %8s\n' benchmark machine ours upstream ratio
for name in pio_roundtrip cpuid_exit vm_lifecycle vcpu_memory inner_boot_on_1; do
	for emu in qemu bochs; do
		o=${val[$emu,ours,$name]:-missing}
		u=${val[$emu,upstream,$name]:-missing}
		unit=${val[unit,$name]:-}
		r=-
		if [[ $o =~ ^[0-9]+$ && $u =~ ^[0-9]+$ && $u != 0 ]]; then
			r=$(awk -v o="$o" -v u="$u" 'BEGIN { printf "%.2f", o / u }')
		fi
		m=$([ $emu = qemu ] && echo qemu-svm || echo bochs-vmx)
		[[ $o =~ ^[0-9]+$ ]] && o="$o $unit"
		[[ $u =~ ^[0-9]+$ ]] && u="$u $unit"
		printf '%-16s %-10s %14s %14s %8s\n' "$name" "$m" "$o" "$u" "$r"
	done
done
echo "(QEMU: ns = instructions; Bochs: ns at 100M instructions/s; ratio = ours/upstream;"
echo " inner_boot_on_1: Debian's QEMU boots the inner Linux, start to exit, emulated ms)"
