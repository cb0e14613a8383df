/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Definitions shared by the files of the SVM backend (kvm-amd.ko).
 */
#ifndef ARCH_X86_KVM_SVM_H
#define ARCH_X86_KVM_SVM_H

#include <asm/svm.h>

#include "backend.h"

/*
 * PAUSE intercept filtering (APM vol. 2, 15.14.4): the guest exits at the
 * SVM_PAUSE_FILTER_COUNT-th PAUSE; with the threshold feature, PAUSEs
 * more than SVM_PAUSE_FILTER_THRESH cycles apart start the count again,
 * so that only one long spin loop exits.
 */
#define SVM_PAUSE_FILTER_COUNT	4096
#define SVM_PAUSE_FILTER_THRESH	128

/**
 * struct svm_nested - a guest hypervisor's guest (nested.c)
 * @active:	L2 runs: the vCPU's VMCB is @vmcb02
 * @gif:	the global interrupt flag L1 sees: STGI sets it, CLGI and
 *		#VMEXIT clear it, VMRUN sets it
 * @l1_svme:	L1's EFER.SVME while L2 runs
 * @vmcb01:	the vCPU's own VMCB, L1's state while L2 runs
 * @vmcb01_pa:	its physical address
 * @vmcb02:	the VMCB L2 runs in (allocated at the first VMRUN)
 * @vmcb02_pa:	its physical address
 * @vmcb12:	L1's VMCB as VMRUN read it (and a page for VMLOAD/VMSAVE)
 * @vmcb12_gpa: where it is
 * @hsave_pa:	MSR_VM_HSAVE_PA, kept for the guest
 * @l1_dr6:	L1's DR6 while L2 runs (the vCPU's is L2's)
 * @l1_dr7:	L1's DR7
 */
/**
 * struct svm_hv_nested - Hyper-V's enlightenments of nested SVM (hyperv.c)
 * @msrpm_valid: @msrpm holds L1's MSR permission map, which its
 *		enlightened MSR bitmap says is clean
 * @msrpm_vmcb:	the VMCB12 the copy was taken for
 * @msrpm:	the copy (the used part of the map)
 */
struct svm_hv_nested {
	bool msrpm_valid;
	u64 msrpm_vmcb;
	void *msrpm;
};

struct svm_nested {
	bool active;
	bool gif;
	bool l1_svme;
	struct vmcb *vmcb01;
	phys_addr_t vmcb01_pa;
	struct vmcb *vmcb02;
	phys_addr_t vmcb02_pa;
	struct vmcb *vmcb12;
	u64 vmcb12_gpa;
	u64 hsave_pa;
	u64 l1_dr6, l1_dr7;
	struct svm_hv_nested hv;
};

/**
 * struct vcpu_svm - an x86 vCPU run with SVM
 * @x86:	the x86 part
 * @vmcb:	the VMCB: guest state and how to run the guest
 * @vmcb_pa:	its physical address, for VMRUN
 * @asid:	the address space id its TLB entries carry on @asid_cpu
 * @asid_generation: @asid is valid while the CPU's generation matches
 * @asid_cpu:	the CPU @asid was taken from, -1 if none
 * @nmi_masked:	an NMI we gave is being handled: SVM does not tell, so
 *		we watch for the handler's IRET
 * @iret_rip:	where the handler's IRET is, once it exited on it
 * @awaiting_iret: the IRET at @iret_rip has yet to complete
 * @nmi_step:	the guest runs one instruction with RFLAGS.TF and the #DB
 *		intercept to open the NMI window
 * @nmi_step_iret: the step is over the handler's IRET
 * @nmi_step_guest_tf: the guest had TF set itself: the #DB is its own too
 * @nmi_step_dr6: DR6 before the step, which the step's #DB changes
 * @efer_svme:	EFER.SVME as the guest (L1, or L2 while it runs) set it;
 *		the processor runs every guest with it set
 * @nested:	the guest's own guest (nested.c)
 */
struct vcpu_svm {
	struct kvm_x86_vcpu x86;
	struct vmcb *vmcb;
	phys_addr_t vmcb_pa;
	u32 asid;
	u64 asid_generation;
	int asid_cpu;
	bool nmi_masked;
	unsigned long iret_rip;
	bool awaiting_iret;
	bool nmi_step;
	bool nmi_step_iret;
	bool nmi_step_guest_tf;
	u64 nmi_step_dr6;
	bool efer_svme;
	struct svm_nested nested;
};

static __always_inline struct vcpu_svm *to_svm(struct kvm_x86_vcpu *vcpu)
{
	return container_of(vcpu, struct vcpu_svm, x86);
}

/*
 * The VMCB clean bits (APM vol. 2, 15.15.3): areas of the VMCB the
 * processor may keep cached from the last VMRUN on the same CPU.  Every
 * write to such an area clears its bit; VMRUN sets them all again.
 */
enum svm_clean {
	SVM_CLEAN_INTERCEPTS,	/* intercepts, TSC offset, pause filter */
	SVM_CLEAN_PERM_MAPS,	/* I/O and MSR permission map addresses */
	SVM_CLEAN_ASID,
	SVM_CLEAN_INTR,		/* V_TPR, V_IRQ and the rest of int_ctl */
	SVM_CLEAN_NPT,		/* nested CR3, guest PAT */
	SVM_CLEAN_CR,		/* CR0, CR3, CR4, EFER */
	SVM_CLEAN_DR,		/* DR6, DR7 */
	SVM_CLEAN_DT,		/* GDTR, IDTR */
	SVM_CLEAN_SEG,		/* CS, DS, SS, ES, CPL */
	SVM_CLEAN_CR2,
	SVM_CLEAN_LBR,
	SVM_CLEAN_AVIC,
	NR_SVM_CLEAN
};

static inline void svm_dirty(struct vmcb *vmcb, enum svm_clean area)
{
	vmcb->control.clean &= ~BIT(area);
}

/* Intercept INTERCEPT_* @bit, or stop intercepting it. */
static inline void svm_intercept(struct vmcb *vmcb, unsigned int bit)
{
	vmcb->control.intercepts[bit / 32] |= BIT(bit % 32);
	svm_dirty(vmcb, SVM_CLEAN_INTERCEPTS);
}

static inline void svm_clear_intercept(struct vmcb *vmcb, unsigned int bit)
{
	vmcb->control.intercepts[bit / 32] &= ~BIT(bit % 32);
	svm_dirty(vmcb, SVM_CLEAN_INTERCEPTS);
}

/* state.c */
void svm_init_vmcb(struct vcpu_svm *svm, phys_addr_t iopm, phys_addr_t msrpm);
void svm_update_exits(struct kvm_x86_vcpu *vcpu);
void svm_set_guest_debug(struct kvm_x86_vcpu *vcpu);
void svm_get_sregs(struct kvm_x86_vcpu *vcpu, struct kvm_sregs *sregs);
void svm_set_sregs(struct kvm_x86_vcpu *vcpu, const struct kvm_sregs *sregs);
unsigned long svm_get_cr0(struct kvm_x86_vcpu *vcpu);
unsigned long svm_get_cr4(struct kvm_x86_vcpu *vcpu);
void svm_get_pdptes(struct kvm_x86_vcpu *vcpu, u64 pdpte[4]);
int svm_get_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data);
int svm_set_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 data);
void svm_set_tsc_offset(struct kvm_x86_vcpu *vcpu, u64 offset);
bool svm_interrupt_allowed(struct kvm_x86_vcpu *vcpu);
void svm_set_irq_window(struct kvm_x86_vcpu *vcpu, bool on);
void svm_set_tpr_threshold(struct kvm_x86_vcpu *vcpu, u8 prio);
u8 svm_get_interrupt_shadow(struct kvm_x86_vcpu *vcpu);
void svm_set_interrupt_shadow(struct kvm_x86_vcpu *vcpu, u8 shadow);
bool svm_nmi_allowed(struct kvm_x86_vcpu *vcpu);
void svm_set_nmi_window(struct kvm_x86_vcpu *vcpu, bool on);
bool svm_get_nmi_mask(struct kvm_x86_vcpu *vcpu);
void svm_set_nmi_mask(struct kvm_x86_vcpu *vcpu, bool masked);
void svm_nmi_step_done(struct vcpu_svm *svm);
u8 svm_get_cr8(struct kvm_x86_vcpu *vcpu);
void svm_set_cr8(struct kvm_x86_vcpu *vcpu, u8 cr8);

/* The guest's EFER: the processor's, with the guest's own SVME. */
static inline u64 svm_guest_efer(struct vcpu_svm *svm)
{
	return (svm->vmcb->save.efer & ~EFER_SVME) |
	       (svm->efer_svme ? EFER_SVME : 0);
}

/* nested.c */
extern bool svm_nested;
bool svm_nested_enabled(struct vcpu_svm *svm);
void svm_nested_free(struct vcpu_svm *svm);
int svm_nested_vmrun(struct vcpu_svm *svm, unsigned int len);
int svm_nested_vmexit(struct vcpu_svm *svm, u32 code, u64 info1, u64 info2);
int svm_nested_exit(struct vcpu_svm *svm);
void svm_nested_events(struct kvm_x86_vcpu *vcpu);
bool svm_nested_wakes(struct kvm_x86_vcpu *vcpu);
u64 svm_nested_tsc(struct kvm_x86_vcpu *vcpu, u64 tsc);
void svm_nested_vintr_off(struct vcpu_svm *svm);
bool svm_nested_takes_irqs(struct vcpu_svm *svm);
bool svm_nested_takes_nmis(struct vcpu_svm *svm);
int svm_nested_vmload_vmsave(struct vcpu_svm *svm, bool save,
			     unsigned int len);
int svm_nested_gif(struct vcpu_svm *svm, bool set, unsigned int len);
int svm_nested_invlpga(struct vcpu_svm *svm, unsigned int len);
void svm_nested_cpuid(struct kvm_cpuid_entry2 *e);
u64 svm_nested_efer(void);

/* hyperv.c */
u32 svm_hv_nested_features(void);
void svm_hv_vmrun(struct vcpu_svm *svm);
bool svm_hv_msrpm(struct vcpu_svm *svm, unsigned int offset, u8 *byte);
bool svm_hv_l2_vmmcall(struct vcpu_svm *svm);
void svm_hv_free(struct vcpu_svm *svm);

/* exits.c */
void svm_exits_init(void);
void svm_skip(struct vcpu_svm *svm, unsigned int len);
int svm_handle_exit(struct kvm_x86_vcpu *vcpu);
void svm_inject_event(struct kvm_x86_vcpu *vcpu,
		      const struct kvm_x86_event *event);

/* vmenter.S */
void __svm_vcpu_run(unsigned long *regs, phys_addr_t vmcb_pa,
		    phys_addr_t host_save_pa);

#endif /* ARCH_X86_KVM_SVM_H */
