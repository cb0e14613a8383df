/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Definitions shared by the files of the SVM backend (kvm-amd.ko).
 */
#ifndef ARCH_X86_KVM_SVM_H
#define ARCH_X86_KVM_SVM_H

#include <asm/svm.h>

#include "backend.h"

/**
 * struct vcpu_svm - an x86 vCPU run with SVM
 * @x86:	the x86 part
 * @vmcb:	the VMCB: guest state and how to run the guest
 * @vmcb_pa:	its physical address, for VMRUN
 * @asid:	the address space id its TLB entries carry on @asid_cpu
 * @asid_generation: @asid is valid while the CPU's generation matches
 * @asid_cpu:	the CPU @asid was taken from, -1 if none
 */
struct vcpu_svm {
	struct kvm_x86_vcpu x86;
	struct vmcb *vmcb;
	phys_addr_t vmcb_pa;
	u32 asid;
	u64 asid_generation;
	int asid_cpu;
};

static __always_inline struct vcpu_svm *to_svm(struct kvm_x86_vcpu *vcpu)
{
	return container_of(vcpu, struct vcpu_svm, x86);
}

/* state.c */
void svm_init_vmcb(struct vcpu_svm *svm, phys_addr_t iopm, phys_addr_t msrpm);
void svm_get_sregs(struct kvm_x86_vcpu *vcpu, struct kvm_sregs *sregs);
void svm_set_sregs(struct kvm_x86_vcpu *vcpu, const struct kvm_sregs *sregs);
int svm_get_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data);
int svm_set_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 data);
void svm_set_tsc_offset(struct kvm_x86_vcpu *vcpu, u64 offset);
bool svm_interrupt_allowed(struct kvm_x86_vcpu *vcpu);
void svm_set_irq_window(struct kvm_x86_vcpu *vcpu, bool on);
u8 svm_get_interrupt_shadow(struct kvm_x86_vcpu *vcpu);
void svm_set_interrupt_shadow(struct kvm_x86_vcpu *vcpu, u8 shadow);
u8 svm_get_cr8(struct kvm_x86_vcpu *vcpu);
void svm_set_cr8(struct kvm_x86_vcpu *vcpu, u8 cr8);

/* exits.c */
int svm_handle_exit(struct kvm_x86_vcpu *vcpu);
void svm_inject_event(struct kvm_x86_vcpu *vcpu,
		      const struct kvm_x86_event *event);

/* vmenter.S */
void __svm_vcpu_run(unsigned long *regs, phys_addr_t vmcb_pa,
		    phys_addr_t host_save_pa);

#endif /* ARCH_X86_KVM_SVM_H */
