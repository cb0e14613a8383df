#!/bin/bash
# strip-kvm.sh TREE
# Remove upstream KVM's implementation from an extracted base so that the
# series can add its own at the same paths.  Files only: the userspace ABI
# (uapi headers), guest-side paravirt support and hardware definitions stay,
# and the series adapts whatever referred to the removed files.
set -euo pipefail
tree=$1
cd "$tree"
test -f Makefile -a -d arch/x86 || { echo "strip-kvm: $tree is not a kernel tree" >&2; exit 1; }
rm -rf \
	virt/kvm \
	arch/x86/kvm \
	tools/testing/selftests/kvm \
	Documentation/virt/kvm \
	include/linux/kvm_host.h \
	include/linux/kvm_types.h \
	include/linux/kvm_dirty_ring.h \
	include/linux/kvm_irqfd.h \
	include/kvm/iodev.h \
	include/trace/events/kvm.h \
	arch/x86/include/asm/kvm_host.h \
	arch/x86/include/asm/kvm_types.h \
	arch/x86/include/asm/kvm_page_track.h \
	arch/x86/include/asm/kvm-x86-ops.h \
	arch/x86/include/asm/kvm-x86-pmu-ops.h \
	arch/x86/include/asm/kvm_vcpu_regs.h
