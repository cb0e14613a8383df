// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMCB: how a guest runs (intercepts, nested paging) and the guest
 * state the processor loads and saves.  The conversions between the
 * userspace view of the registers (struct kvm_sregs) and the VMCB are
 * here, one function each way.
 */
#include <linux/kvm.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "svm.h"

/* Power-on value of IA32_PAT (APM vol. 2, 7.8.2). */
#define PAT_POWER_ON	0x0007040600070406ULL
#define DR6_RESET	0xffff0ff0ULL
#define DR7_RESET	0x400ULL

/* Exits the backend takes; everything else runs in the guest. */
static const u8 svm_intercepts[] = {
	INTERCEPT_INTR, INTERCEPT_NMI, INTERCEPT_SMI, INTERCEPT_INIT,
	INTERCEPT_CPUID, INTERCEPT_INVD, INTERCEPT_HLT, INTERCEPT_INVLPGA,
	INTERCEPT_IOIO_PROT, INTERCEPT_MSR_PROT, INTERCEPT_TASK_SWITCH,
	INTERCEPT_SHUTDOWN, INTERCEPT_VMRUN, INTERCEPT_VMMCALL,
	INTERCEPT_VMLOAD, INTERCEPT_VMSAVE, INTERCEPT_STGI, INTERCEPT_CLGI,
	INTERCEPT_SKINIT, INTERCEPT_MONITOR, INTERCEPT_MWAIT,
	INTERCEPT_XSETBV, INTERCEPT_RDPRU,
	INTERCEPT_EXCEPTION_OFFSET + UD_VECTOR,	/* VMCALL: kvm_x86_exit_ud() */
};

/**
 * svm_init_vmcb() - set up the control area of a new vCPU's VMCB
 * @svm: the vCPU
 * @iopm: physical address of the I/O permission map
 * @msrpm: physical address of the MSR permission map
 *
 * The guest state is set by the reset that follows.
 */
void svm_init_vmcb(struct vcpu_svm *svm, phys_addr_t iopm, phys_addr_t msrpm)
{
	struct vmcb_control_area *c = &svm->vmcb->control;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(svm_intercepts); i++)
		svm_intercept(svm->vmcb, svm_intercepts[i]);
	/*
	 * Debug registers are not switched: keep the guest away from the
	 * host's breakpoints.
	 */
	c->intercepts[INTERCEPT_DR] = 0xffffffff;
	/* A guest that spins long on PAUSE may wait for a preempted vCPU. */
	if (boot_cpu_has(X86_FEATURE_PAUSEFILTER)) {
		svm_intercept(svm->vmcb, INTERCEPT_PAUSE);
		c->pause_filter_count = SVM_PAUSE_FILTER_COUNT;
		if (boot_cpu_has(X86_FEATURE_PFTHRESHOLD))
			c->pause_filter_thresh = SVM_PAUSE_FILTER_THRESH;
	}
	c->iopm_base_pa = iopm;
	c->msrpm_base_pa = msrpm;
	/* The guest's RFLAGS.IF masks only virtual interrupts. */
	c->int_ctl = V_INTR_MASKING_MASK;
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	svm->vmcb->save.g_pat = PAT_POWER_ON;
	svm->vmcb->save.dr6 = DR6_RESET;
	svm->vmcb->save.dr7 = DR7_RESET;
}

/**
 * svm_update_exits() - stop intercepting what userspace took off the exits
 * @vcpu: the vCPU, with its new @disabled_exits
 *
 * Only ever clears intercepts: KVM_CAP_X86_DISABLE_EXITS cannot be undone.
 */
void svm_update_exits(struct kvm_x86_vcpu *vcpu)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;
	u32 off = vcpu->disabled_exits;

	if (off & KVM_X86_DISABLE_EXITS_HLT)
		svm_clear_intercept(vmcb, INTERCEPT_HLT);
	if (off & KVM_X86_DISABLE_EXITS_PAUSE)
		svm_clear_intercept(vmcb, INTERCEPT_PAUSE);
	if (off & KVM_X86_DISABLE_EXITS_MWAIT) {
		svm_clear_intercept(vmcb, INTERCEPT_MONITOR);
		svm_clear_intercept(vmcb, INTERCEPT_MWAIT);
	}
}

/**
 * svm_set_guest_debug() - intercepts and DR7 for a debugger in userspace
 * @vcpu: the vCPU
 *
 * In L2 only intercepts are added: L1's stay.
 */
void svm_set_guest_debug(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);
	struct vmcb *vmcb = svm->vmcb;
	unsigned int db = INTERCEPT_EXCEPTION_OFFSET + DB_VECTOR;
	unsigned int bp = INTERCEPT_EXCEPTION_OFFSET + BP_VECTOR;

	if (kvm_x86_debug_takes_db(vcpu))
		svm_intercept(vmcb, db);
	else if (!svm->nmi_step && !svm->nested.active)
		svm_clear_intercept(vmcb, db);
	if (kvm_x86_debug_takes_bp(vcpu))
		svm_intercept(vmcb, bp);
	else if (!svm->nested.active)
		svm_clear_intercept(vmcb, bp);
	vmcb->save.dr7 = kvm_x86_debug_dr7(vcpu);
	svm_dirty(vmcb, SVM_CLEAN_DR);
}

/*
 * The VMCB packs descriptor bits 40-47 and 52-55 into 12 attribute bits
 * (APM vol. 2, 15.5.1): type, S, DPL, P, then AVL, L, D/B, G.
 */
static void svm_get_segment(const struct vmcb_seg *vs, struct kvm_segment *s)
{
	s->base = vs->base;
	s->limit = vs->limit;
	s->selector = vs->selector;
	s->type = vs->attrib & 0xf;
	s->s = (vs->attrib >> 4) & 1;
	s->dpl = (vs->attrib >> 5) & 3;
	s->present = (vs->attrib >> 7) & 1;
	s->avl = (vs->attrib >> 8) & 1;
	s->l = (vs->attrib >> 9) & 1;
	s->db = (vs->attrib >> 10) & 1;
	s->g = (vs->attrib >> 11) & 1;
	/* SVM has no "unusable" flag: a segment that is not present is. */
	s->unusable = !s->present;
}

static void svm_set_segment(struct vmcb_seg *vs, const struct kvm_segment *s)
{
	vs->base = s->base;
	vs->limit = s->limit;
	vs->selector = s->selector;
	vs->attrib = 0;
	if (s->unusable)
		return;
	vs->attrib = (s->type & 0xf) | (s->s & 1) << 4 | (s->dpl & 3) << 5 |
		     (s->present & 1) << 7 | (s->avl & 1) << 8 |
		     (s->l & 1) << 9 | (s->db & 1) << 10 | (s->g & 1) << 11;
}

/* The VMCB keeps the segment registers in its own order. */
static struct vmcb_seg *svm_seg(struct vmcb_save_area *save,
				enum kvm_x86_seg seg)
{
	static const size_t offset[NR_VCPU_SEGS] = {
		[VCPU_SEG_ES]	= offsetof(struct vmcb_save_area, es),
		[VCPU_SEG_CS]	= offsetof(struct vmcb_save_area, cs),
		[VCPU_SEG_SS]	= offsetof(struct vmcb_save_area, ss),
		[VCPU_SEG_DS]	= offsetof(struct vmcb_save_area, ds),
		[VCPU_SEG_FS]	= offsetof(struct vmcb_save_area, fs),
		[VCPU_SEG_GS]	= offsetof(struct vmcb_save_area, gs),
		[VCPU_SEG_LDTR]	= offsetof(struct vmcb_save_area, ldtr),
		[VCPU_SEG_TR]	= offsetof(struct vmcb_save_area, tr),
	};

	return (void *)save + offset[seg];
}

/**
 * svm_get_sregs() - read the guest's system registers from the VMCB
 * @vcpu: the vCPU
 * @sregs: filled in, except apic_base and the interrupt bitmap
 */
void svm_get_sregs(struct kvm_x86_vcpu *vcpu, struct kvm_sregs *sregs)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;
	struct vmcb_save_area *save = &vmcb->save;
	enum kvm_x86_seg seg;

	for (seg = 0; seg < NR_VCPU_SEGS; seg++)
		svm_get_segment(svm_seg(save, seg), kvm_sregs_seg(sregs, seg));
	sregs->gdt.base = save->gdtr.base;
	sregs->gdt.limit = save->gdtr.limit;
	sregs->idt.base = save->idtr.base;
	sregs->idt.limit = save->idtr.limit;
	sregs->cr0 = save->cr0;
	sregs->cr2 = save->cr2;
	sregs->cr3 = save->cr3;
	sregs->cr4 = save->cr4;
	sregs->cr8 = svm_get_cr8(vcpu);
	/* The guest runs with SVME set; it sees its own. */
	sregs->efer = svm_guest_efer(to_svm(vcpu));
}

/**
 * svm_set_sregs() - write the guest's system registers into the VMCB
 * @vcpu: the vCPU
 * @sregs: checked values
 */
void svm_set_sregs(struct kvm_x86_vcpu *vcpu, const struct kvm_sregs *sregs)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;
	struct vmcb_save_area *save = &vmcb->save;
	enum kvm_x86_seg seg;

	for (seg = 0; seg < NR_VCPU_SEGS; seg++)
		svm_set_segment(svm_seg(save, seg), kvm_sregs_seg(sregs, seg));
	save->gdtr.base = sregs->gdt.base;
	save->gdtr.limit = sregs->gdt.limit;
	save->idtr.base = sregs->idt.base;
	save->idtr.limit = sregs->idt.limit;
	save->cr0 = sregs->cr0;
	save->cr2 = sregs->cr2;
	save->cr3 = sregs->cr3;
	save->cr4 = sregs->cr4;
	svm_set_cr8(vcpu, sregs->cr8);
	save->efer = sregs->efer | EFER_SVME;
	to_svm(vcpu)->efer_svme = sregs->efer & EFER_SVME;
	/* The privilege level is SS.DPL, except in real mode. */
	save->cpl = (sregs->cr0 & X86_CR0_PE) ? sregs->ss.dpl : 0;
	svm_dirty(vmcb, SVM_CLEAN_SEG);
	svm_dirty(vmcb, SVM_CLEAN_DT);
	svm_dirty(vmcb, SVM_CLEAN_CR);
	svm_dirty(vmcb, SVM_CLEAN_CR2);
}

/**
 * svm_get_cr0() - the guest's CR0
 * @vcpu: the vCPU
 *
 * Return: CR0 from the VMCB, which holds what the guest sees.
 */
unsigned long svm_get_cr0(struct kvm_x86_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->save.cr0;
}

/**
 * svm_get_cr4() - the guest's CR4
 * @vcpu: the vCPU
 *
 * Return: CR4 from the VMCB.
 */
unsigned long svm_get_cr4(struct kvm_x86_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->save.cr4;
}

/**
 * svm_get_pdptes() - the PDPTEs of PAE paging
 * @vcpu: the vCPU
 * @pdpte: filled in
 *
 * With nested paging the processor reads them from the guest's memory.
 */
void svm_get_pdptes(struct kvm_x86_vcpu *vcpu, u64 pdpte[4])
{
	kvm_x86_read_pdptes(vcpu, to_svm(vcpu)->vmcb->save.cr3, pdpte);
}

/* Where the VMCB keeps the MSRs VMRUN, VMLOAD and VMSAVE switch. */
static u64 *svm_msr(struct vmcb_save_area *save, u32 index)
{
	switch (index) {
	case MSR_STAR:			return &save->star;
	case MSR_LSTAR:			return &save->lstar;
	case MSR_CSTAR:			return &save->cstar;
	case MSR_SYSCALL_MASK:		return &save->sfmask;
	case MSR_KERNEL_GS_BASE:	return &save->kernel_gs_base;
	case MSR_IA32_SYSENTER_CS:	return &save->sysenter_cs;
	case MSR_IA32_SYSENTER_ESP:	return &save->sysenter_esp;
	case MSR_IA32_SYSENTER_EIP:	return &save->sysenter_eip;
	case MSR_IA32_CR_PAT:		return &save->g_pat;
	case MSR_FS_BASE:		return &save->fs.base;
	case MSR_GS_BASE:		return &save->gs.base;
	default:			return NULL;
	}
}

/**
 * svm_get_msr() - read an MSR from the VMCB
 * @vcpu: the vCPU
 * @index: the MSR
 * @data: its value
 *
 * The VMCB is current: VMSAVE stored the guest's state after the exit.
 *
 * Return: 0, or -ENOENT for an MSR the VMCB does not hold.
 */
int svm_get_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data)
{
	struct vmcb_save_area *save = &to_svm(vcpu)->vmcb->save;
	u64 *msr = svm_msr(save, index);

	if (index == MSR_EFER) {
		*data = svm_guest_efer(to_svm(vcpu));
		return 0;
	}
	if (index == MSR_VM_HSAVE_PA) {
		*data = to_svm(vcpu)->nested.hsave_pa;
		return 0;
	}
	if (index == MSR_VM_CR && svm_nested) {
		*data = 0;	/* SVM is not disabled, nor locked */
		return 0;
	}
	if (!msr)
		return -ENOENT;
	*data = *msr;
	return 0;
}

/**
 * svm_set_msr() - write an MSR into the VMCB
 * @vcpu: the vCPU
 * @index: the MSR
 * @data: a checked value
 *
 * Return: 0, or -ENOENT for an MSR the VMCB does not hold.
 */
int svm_set_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 data)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;
	struct vmcb_save_area *save = &vmcb->save;
	u64 *msr = svm_msr(save, index);

	if (index == MSR_EFER) {
		save->efer = data | EFER_SVME;
		to_svm(vcpu)->efer_svme = data & EFER_SVME;
		svm_dirty(vmcb, SVM_CLEAN_CR);
		return 0;
	}
	/* Where a real VMRUN would save L1's state; ours stays in the VMCB. */
	if (index == MSR_VM_HSAVE_PA) {
		if (data & ~PAGE_MASK)
			return -EINVAL;
		to_svm(vcpu)->nested.hsave_pa = data;
		return 0;
	}
	if (index == MSR_VM_CR && svm_nested)
		return data ? -EINVAL : 0;
	if (!msr)
		return -ENOENT;
	if (index == MSR_IA32_CR_PAT)
		svm_dirty(vmcb, SVM_CLEAN_NPT);
	/* As in a VMCS, whose field is 32 bits wide: the backends agree. */
	if (index == MSR_IA32_SYSENTER_CS)
		data = (u32)data;
	*msr = data;
	return 0;
}

/**
 * svm_set_tsc_offset() - the guest's TSC is the host's plus @offset
 * @vcpu: the vCPU
 * @offset: the offset
 */
void svm_set_tsc_offset(struct kvm_x86_vcpu *vcpu, u64 offset)
{
	struct svm_nested *n = &to_svm(vcpu)->nested;

	/* L1's offset; L2's adds what L1 gave it. */
	if (n->active) {
		n->vmcb02->control.tsc_offset = offset +
			n->vmcb12->control.tsc_offset;
		svm_dirty(n->vmcb02, SVM_CLEAN_INTERCEPTS);
	}
	n->vmcb01->control.tsc_offset = offset;
	svm_dirty(n->vmcb01, SVM_CLEAN_INTERCEPTS);
}

/**
 * svm_interrupt_allowed() - does the guest take an interrupt now?
 * @vcpu: the vCPU
 *
 * Return: true if RFLAGS.IF is set and no STI or MOV SS shadow holds
 * interrupts off.
 */
bool svm_interrupt_allowed(struct kvm_x86_vcpu *vcpu)
{
	return !svm_nested_takes_irqs(to_svm(vcpu)) &&
	       (vcpu->rflags & X86_EFLAGS_IF) &&
	       !(to_svm(vcpu)->vmcb->control.int_state &
		 SVM_INTERRUPT_SHADOW_MASK);
}

/**
 * svm_set_irq_window() - exit as soon as the guest takes interrupts
 * @vcpu: the vCPU
 * @on: start or stop
 *
 * A virtual interrupt the guest never receives (V_IRQ, with priority over
 * any TPR) and its intercept make the processor exit when the guest could
 * take it (APM vol. 2, 15.21.4).
 */
void svm_set_irq_window(struct kvm_x86_vcpu *vcpu, bool on)
{
	struct vcpu_svm *svm = to_svm(vcpu);
	struct vmcb *vmcb = svm->vmcb;

	/*
	 * Interrupts that wait for STGI, or for an exit to L1, need no
	 * window; and L2's virtual interrupt is L1's, not ours to replace.
	 */
	if (on && svm_nested_takes_irqs(svm))
		return;
	if (svm->nested.active &&
	    (svm->nested.vmcb12->control.int_ctl & V_IRQ_MASK)) {
		/* L2 taking L1's virtual interrupt exits as well. */
		if (on)
			svm_intercept(vmcb, INTERCEPT_VINTR);
		else
			svm_nested_vintr_off(svm);
		return;
	}
	vmcb->control.int_ctl &= ~V_IRQ_INJECTION_BITS_MASK;
	svm_dirty(vmcb, SVM_CLEAN_INTR);
	if (on) {
		vmcb->control.int_ctl |= V_IRQ_MASK | V_IGN_TPR_MASK |
					 (0xf << V_INTR_PRIO_SHIFT);
		svm_intercept(vmcb, INTERCEPT_VINTR);
	} else {
		svm_clear_intercept(vmcb, INTERCEPT_VINTR);
	}
}

/**
 * svm_set_tpr_threshold() - exit when the guest's CR8 drops below @prio
 * @vcpu: the vCPU
 * @prio: priority class (1-15) of the interrupt the task priority holds
 *	off
 *
 * CR8 writes do not exit (they change V_TPR).  A virtual interrupt of
 * priority @prio that does not ignore V_TPR is taken -- and its intercept
 * exits -- once V_TPR is below @prio and the guest takes interrupts.
 */
void svm_set_tpr_threshold(struct kvm_x86_vcpu *vcpu, u8 prio)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;

	vmcb->control.int_ctl &= ~V_IRQ_INJECTION_BITS_MASK;
	vmcb->control.int_ctl |= V_IRQ_MASK | (prio << V_INTR_PRIO_SHIFT);
	svm_dirty(vmcb, SVM_CLEAN_INTR);
	svm_intercept(vmcb, INTERCEPT_VINTR);
}

/**
 * svm_nmi_allowed() - does the guest take an NMI now?
 * @vcpu: the vCPU
 *
 * Return: true if no NMI is being handled and no STI or MOV SS shadow
 * holds events off.
 */
bool svm_nmi_allowed(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);

	return !svm->nmi_masked && !svm_nested_takes_nmis(svm) &&
	       !(svm->vmcb->control.int_state & SVM_INTERRUPT_SHADOW_MASK);
}

/**
 * svm_get_nmi_mask() - is an NMI being handled?
 * @vcpu: the vCPU
 *
 * Return: true until the IRET of the NMI handler has completed.
 */
bool svm_get_nmi_mask(struct kvm_x86_vcpu *vcpu)
{
	return to_svm(vcpu)->nmi_masked;
}

/**
 * svm_set_nmi_mask() - block NMIs until the next IRET, or unblock them
 * @vcpu: the vCPU
 * @masked: block
 *
 * Also what delivering an NMI does: the processor blocks NMIs in the
 * guest, but only SVM's own vNMI would tell us when the IRET unblocks
 * them, so the IRET exits.
 */
void svm_set_nmi_mask(struct kvm_x86_vcpu *vcpu, bool masked)
{
	struct vcpu_svm *svm = to_svm(vcpu);

	svm->nmi_masked = masked;
	svm->awaiting_iret = false;
	if (masked)
		svm_intercept(svm->vmcb, INTERCEPT_IRET);
	else
		svm_clear_intercept(svm->vmcb, INTERCEPT_IRET);
}

/**
 * svm_set_nmi_window() - exit as soon as the guest takes an NMI
 * @vcpu: the vCPU
 * @on: start; stopping is left to the exit that ends the window
 *
 * SVM has no NMI window exit.  While the handler of the last NMI runs,
 * its IRET exits (see svm_set_nmi_mask()).  After that exit, and in an
 * interrupt shadow, the guest executes one instruction with RFLAGS.TF
 * set and #DB intercepted: the single-step trap comes after the IRET
 * (whose TF at the start counts, though it pops the guest's flags) or
 * after the shadowed instruction.
 */
void svm_set_nmi_window(struct kvm_x86_vcpu *vcpu, bool on)
{
	struct vcpu_svm *svm = to_svm(vcpu);

	if (!on || svm->nmi_step || (svm->nmi_masked && !svm->awaiting_iret))
		return;
	svm->nmi_step = true;
	svm->nmi_step_iret = svm->awaiting_iret;
	svm->nmi_step_guest_tf = vcpu->rflags & X86_EFLAGS_TF;
	svm->nmi_step_dr6 = svm->vmcb->save.dr6;
	vcpu->rflags |= X86_EFLAGS_TF;
	svm_intercept(svm->vmcb, INTERCEPT_EXCEPTION_OFFSET + DB_VECTOR);
}

/**
 * svm_nmi_step_done() - the single step of svm_set_nmi_window() trapped
 * @svm: the vCPU, after a #DB intercept while stepping
 *
 * Takes TF and DR6 back to the guest's values (an IRET has popped the
 * guest's flags already).  If the guest had TF set itself, the #DB is its
 * own too and is delivered.
 */
void svm_nmi_step_done(struct vcpu_svm *svm)
{
	struct kvm_x86_vcpu *vcpu = &svm->x86;

	svm->nmi_step = false;
	if (!kvm_x86_debug_takes_db(vcpu))
		svm_clear_intercept(svm->vmcb,
				    INTERCEPT_EXCEPTION_OFFSET + DB_VECTOR);
	if (svm->nmi_step_guest_tf) {
		kvm_x86_queue_exception(vcpu, X86_TRAP_DB, false, 0);
		return;
	}
	svm->vmcb->save.dr6 = svm->nmi_step_dr6;
	svm_dirty(svm->vmcb, SVM_CLEAN_DR);
	if (!svm->nmi_step_iret)
		vcpu->rflags &= ~X86_EFLAGS_TF;
}

/**
 * svm_get_cr8() - the guest's task priority
 * @vcpu: the vCPU
 *
 * Return: V_TPR, which the guest's CR8 writes change without exits.
 */
u8 svm_get_cr8(struct kvm_x86_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->control.int_ctl & V_TPR_MASK;
}

/**
 * svm_set_cr8() - change the guest's task priority
 * @vcpu: the vCPU
 * @cr8: the new priority, 0 to 15
 */
void svm_set_cr8(struct kvm_x86_vcpu *vcpu, u8 cr8)
{
	struct vmcb_control_area *c = &to_svm(vcpu)->vmcb->control;

	c->int_ctl = (c->int_ctl & ~V_TPR_MASK) | (cr8 & V_TPR_MASK);
	svm_dirty(to_svm(vcpu)->vmcb, SVM_CLEAN_INTR);
}

/**
 * svm_get_interrupt_shadow() - the shadow of an STI or MOV SS
 * @vcpu: the vCPU
 *
 * Return: both KVM_X86_SHADOW_INT_* bits, as SVM does not tell which.
 */
u8 svm_get_interrupt_shadow(struct kvm_x86_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->control.int_state &
	       SVM_INTERRUPT_SHADOW_MASK ?
	       KVM_X86_SHADOW_INT_STI | KVM_X86_SHADOW_INT_MOV_SS : 0;
}

/**
 * svm_set_interrupt_shadow() - set or clear the interrupt shadow
 * @vcpu: the vCPU
 * @shadow: KVM_X86_SHADOW_INT_* bits
 */
void svm_set_interrupt_shadow(struct kvm_x86_vcpu *vcpu, u8 shadow)
{
	struct vmcb_control_area *c = &to_svm(vcpu)->vmcb->control;

	c->int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
	if (shadow)
		c->int_state |= SVM_INTERRUPT_SHADOW_MASK;
}
