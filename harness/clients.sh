#!/bin/bash
# clients.sh: "make check-clients" -- Debian's QEMU boots the inner guest
# on our KVM and on upstream's (the oracle), under QEMU-SVM and
# Bochs-VMX, for every kernel_irqchip mode with one and two CPUs, and
# prints the matrix side by side (also in out/clients.txt).  Our kernel
# is the plain build (no debug options): the matrix is about what works.
# A boot gets 90 s of the emulated machine's time (a good one takes
# 5-20 s), so that a hanging configuration does not stall the matrix.
# kernel_irqchip=off with two CPUs goes last: it is the configuration
# most likely to wedge the emulated machine (see the README), and then
# nothing after it would run.
set -uo pipefail
here=$(dirname "$(realpath "$0")")
top=$(dirname "$here")
out=$top/out
. "$here/base.conf"
matrix=off:1,split:1,on:1,split:2,on:2,off:2
"$here/kernels.sh" ours-plain >/dev/null || exit 1
"$here/kernels.sh" upstream >/dev/null || exit 1
"$here/kernels.sh" inner >/dev/null || exit 1
mkdir -p "$out/runs"
declare -A build=([ours]=$out/build-ours-plain [upstream]=$out/build-upstream-$BASE_VERSION)
pids=()
for k in ours upstream; do
	INNER_KERNEL=$out/inner/bzImage CLIENTS=qemu_boot \
		"$here/mkinitramfs.sh" "$out/runs/clients-$k.cpio" "${build[$k]}/mod" "$out/tests"
	for emu in qemu bochs; do
		backend=$([ $emu = qemu ] && echo svm || echo vmx)
		"$here/run-vm.py" --emulator $emu --backend $backend \
			--name "clients-$emu-$k" --kernel "${build[$k]}/arch/x86/boot/bzImage" \
			--initrd "$out/runs/clients-$k.cpio" --append "harness.qemu_matrix=$matrix harness.qemu_timeout=90" \
			--test-timeout 3000 --timeout 3600 \
			--log "$out/runs/clients-$emu-$k.log" > "$out/runs/clients-$emu-$k.txt" 2>&1 &
		pids+=($!)
		# Two cores: one emulator per core.
		if [ ${#pids[@]} -ge 2 ]; then
			wait "${pids[0]}"
			pids=("${pids[@]:1}")
		fi
	done
done
wait
{
	printf '%-28s %-10s %-10s %-10s %-10s\n' "QEMU 7.2 boots the guest" \
		"SVM ours" "SVM upstr" "VMX ours" "VMX upstr"
	for m in ${matrix//,/ }; do
		name="kernel_irqchip=${m%%:*} smp=${m#*:}"
		row=$(printf '%-28s' "$name")
		for col in qemu-ours qemu-upstream bochs-ours bochs-upstream; do
			r=$(grep -a "^# \(not \)\?ok [0-9]* $name\( \|$\)" "$out/runs/clients-$col.log" | head -1)
			case "$r" in
			"# ok"*) v="pass" ;;
			"# not ok"*) v="FAIL" ;;
			*) v="-" ;;
			esac
			row="$row $(printf '%-10s' "$v")"
		done
		echo "$row"
	done
} | tee "$out/clients.txt"
