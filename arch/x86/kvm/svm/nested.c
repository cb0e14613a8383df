// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested SVM: a guest hypervisor (L1) that runs guests of its own (L2)
 * with VMRUN, as the APM (vol. 2, chapter 15) describes it.
 *
 * L1 gets SVM in its CPUID and may set EFER.SVME; then VMRUN, VMLOAD,
 * VMSAVE, STGI, CLGI and INVLPGA, which always exit to us, are emulated.
 * VMRUN reads L1's VMCB (the VMCB12) and runs L2 in a VMCB of our own,
 * the VMCB02: L2's state from the VMCB12, our controls with L1's
 * intercepts added, and -- there is no nested paging for L1 -- our
 * nested page table of L1's memory, since L2's physical addresses are
 * L1's.  L1's own state stays in the vCPU's VMCB (the VMCB01), which is
 * where VMRUN would have saved it; the host save area L1 names in
 * MSR_VM_HSAVE_PA is left alone, as its format is the processor's.
 *
 * An exit of L2 that L1 intercepts goes to L1: L2's state and the exit
 * information are written to the VMCB12 and L1 goes on after its VMRUN
 * with GIF clear.  Other exits are ours, handled as for any guest, L2's
 * state being the vCPU's then.  L1's interrupts and NMIs, while L2 runs,
 * exit to L1 if it intercepts them and are L2's otherwise; exceptions we
 * raise for L2 exit to L1 if it intercepts them.
 *
 * The state VMRUN and #VMEXIT do not switch (FS, GS, TR, LDTR and the
 * SYSCALL and SYSENTER MSRs, which VMLOAD and VMSAVE move) is the
 * processor's: L2 starts with L1's and L1 finds L2's after the exit.
 * L1 and L2 share the vCPU's ASID, flushed at every switch.
 */
#include <linux/io.h>
#include <linux/kvm.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/cpufeatures.h>
#include <asm/debugreg.h>
#include <asm/trapnr.h>

#include "svm.h"

/* L2's int_ctl bits L1 controls (V_INTR_MASKING is always ours). */
#define NESTED_INT_CTL	(V_TPR_MASK | V_IRQ_MASK | V_INTR_PRIO_MASK | \
			 V_IGN_TPR_MASK)

/* Below 0xa0, an exit code is the bit number of its intercept. */
static bool l1_intercepts(struct vcpu_svm *svm, u32 code)
{
	const u32 *words = svm->nested.vmcb12->control.intercepts;

	return code < 0xa0 && (words[code / 32] & BIT(code % 32));
}

/**
 * svm_nested_enabled() - may this vCPU's guest use SVM?
 * @svm: the vCPU
 *
 * Return: true if nested SVM is on and the guest set EFER.SVME (outside
 * L2: L2 runs no guests of its own).
 */
bool svm_nested_enabled(struct vcpu_svm *svm)
{
	return svm_nested && svm->efer_svme && !svm->nested.active;
}

static int nested_alloc(struct vcpu_svm *svm)
{
	struct page *page;

	if (svm->nested.vmcb02)
		return 0;
	svm->nested.vmcb12 = kzalloc(sizeof(*svm->nested.vmcb12),
				     GFP_KERNEL_ACCOUNT);
	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!svm->nested.vmcb12 || !page) {
		kfree(svm->nested.vmcb12);
		svm->nested.vmcb12 = NULL;
		if (page)
			__free_page(page);
		return -ENOMEM;
	}
	svm->nested.vmcb02 = page_address(page);
	svm->nested.vmcb02_pa = page_to_phys(page);
	return 0;
}

/**
 * svm_nested_free() - free what nested SVM allocated for the vCPU
 * @svm: the vCPU, going away
 */
void svm_nested_free(struct vcpu_svm *svm)
{
	if (svm->nested.vmcb02)
		free_page((unsigned long)svm->nested.vmcb02);
	kfree(svm->nested.vmcb12);
	svm_hv_free(svm);
}

/* The page-aligned address of a VMCB in RAX, as the guest's mode has it. */
static u64 rax_gpa(struct vcpu_svm *svm)
{
	const struct vmcb_save_area *save = &svm->vmcb->save;
	bool wide = (save->efer & EFER_LMA) && (save->cs.attrib & SVM_SELECTOR_L_MASK);

	return wide ? svm->x86.regs[VCPU_RAX] : (u32)svm->x86.regs[VCPU_RAX];
}

/*
 * The checks every SVM instruction makes: #UD without EFER.SVME, #GP in
 * a ring other than 0.  Return: true if the instruction may go on.
 */
static bool svm_insn_allowed(struct vcpu_svm *svm)
{
	if (!svm_nested_enabled(svm)) {
		kvm_x86_queue_exception(&svm->x86, X86_TRAP_UD, false, 0);
		return false;
	}
	if (svm->vmcb->save.cpl) {
		kvm_x86_queue_exception(&svm->x86, X86_TRAP_GP, true, 0);
		return false;
	}
	return true;
}

/* Switch the vCPU to @vmcb; L1 and L2 translations differ: flush. */
static void nested_switch(struct vcpu_svm *svm, struct vmcb *vmcb,
			  phys_addr_t pa)
{
	vmcb->control.asid = svm->vmcb->control.asid;
	vmcb->control.tlb_ctl = TLB_CONTROL_FLUSH_ASID;
	vmcb->control.clean = 0;
	svm->vmcb = vmcb;
	svm->vmcb_pa = pa;
}

/* The state VMLOAD loads and VMSAVE saves, @from one save area @to another. */
static void copy_vmload_state(struct vmcb_save_area *to,
			      const struct vmcb_save_area *from)
{
	to->fs = from->fs;
	to->gs = from->gs;
	to->tr = from->tr;
	to->ldtr = from->ldtr;
	to->kernel_gs_base = from->kernel_gs_base;
	to->star = from->star;
	to->lstar = from->lstar;
	to->cstar = from->cstar;
	to->sfmask = from->sfmask;
	to->sysenter_cs = from->sysenter_cs;
	to->sysenter_esp = from->sysenter_esp;
	to->sysenter_eip = from->sysenter_eip;
}

/* The state VMRUN loads from the VMCB12 and #VMEXIT saves to it. */
static void copy_vmrun_state(struct vmcb_save_area *to,
			     const struct vmcb_save_area *from)
{
	to->es = from->es;
	to->cs = from->cs;
	to->ss = from->ss;
	to->ds = from->ds;
	to->gdtr = from->gdtr;
	to->idtr = from->idtr;
	to->cpl = from->cpl;
	to->efer = from->efer;
	to->cr0 = from->cr0;
	to->cr2 = from->cr2;
	to->cr3 = from->cr3;
	to->cr4 = from->cr4;
	to->dr6 = from->dr6;
	to->dr7 = from->dr7;
	to->rflags = from->rflags;
	to->rip = from->rip;
	to->rsp = from->rsp;
	to->rax = from->rax;
}

/* Registers the vCPU keeps outside the VMCB, into and out of @vmcb. */
static void regs_to_vmcb(struct vcpu_svm *svm, struct vmcb *vmcb)
{
	vmcb->save.rip = svm->x86.rip;
	vmcb->save.rsp = svm->x86.regs[VCPU_RSP];
	vmcb->save.rax = svm->x86.regs[VCPU_RAX];
	vmcb->save.rflags = svm->x86.rflags;
}

static void regs_from_vmcb(struct vcpu_svm *svm, const struct vmcb *vmcb)
{
	svm->x86.rip = vmcb->save.rip;
	svm->x86.regs[VCPU_RSP] = vmcb->save.rsp;
	svm->x86.regs[VCPU_RAX] = vmcb->save.rax;
	svm->x86.rflags = vmcb->save.rflags;
}

/*
 * What VMRUN checks of the VMCB12 (APM vol. 2, 15.5.1), as far as the
 * processor would not refuse L2 itself: the VMRUN intercept, an ASID,
 * and no nested paging (not offered).
 */
static bool vmcb12_valid(const struct vmcb *v12)
{
	return (v12->control.intercepts[INTERCEPT_VMRUN / 32] &
		BIT(INTERCEPT_VMRUN % 32)) && v12->control.asid &&
	       !(v12->control.nested_ctl & SVM_NESTED_CTL_NP_ENABLE) &&
	       (v12->save.efer & EFER_SVME) &&
	       !(v12->save.dr6 >> 32) && !(v12->save.dr7 >> 32);
}

/*
 * The guest's debug registers are virtual (its MOV DR always exits): L2
 * gets the DR6 and DR7 of the VMCB12 as its own, the processor keeps
 * ours (a debugger's breakpoints or none); L1's come back at the exit.
 */
static void nested_enter_dr(struct vcpu_svm *svm, struct vmcb *v02,
			    const struct vmcb *v12)
{
	struct kvm_x86_vcpu *vcpu = &svm->x86;

	svm->nested.l1_dr6 = vcpu->dr6;
	svm->nested.l1_dr7 = vcpu->dr7;
	vcpu->dr6 = v12->save.dr6 | DR6_RESERVED;
	vcpu->dr7 = v12->save.dr7 | KVM_DR7_RESET;
	v02->save.dr6 = DR6_RESERVED;
	v02->save.dr7 = kvm_x86_debug_dr7(vcpu);
}

static void nested_exit_dr(struct vcpu_svm *svm, struct vmcb *v12)
{
	struct kvm_x86_vcpu *vcpu = &svm->x86;

	v12->save.dr6 = vcpu->dr6;
	v12->save.dr7 = vcpu->dr7;
	vcpu->dr6 = svm->nested.l1_dr6;
	vcpu->dr7 = svm->nested.l1_dr7;
}

/**
 * svm_nested_vmrun() - VMRUN: run L2
 * @svm: the vCPU, in L1
 * @len: the instruction's length
 *
 * Return: 1 to enter the guest again, or -ENOMEM.
 */
int svm_nested_vmrun(struct vcpu_svm *svm, unsigned int len)
{
	struct kvm_x86_vcpu *vcpu = &svm->x86;
	struct vmcb *v01 = svm->vmcb, *v02, *v12;
	u64 gpa = rax_gpa(svm);
	int i, ret;

	if (!svm_insn_allowed(svm))
		return 1;
	ret = nested_alloc(svm);
	if (ret)
		return ret;
	v12 = svm->nested.vmcb12;
	if (!PAGE_ALIGNED(gpa) ||
	    kvm_x86_read_guest_as(vcpu->vcpu.kvm, 0, gpa, v12, sizeof(*v12))) {
		kvm_x86_queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return 1;
	}
	/* L1 goes on after its VMRUN, whenever L2 exits to it. */
	vcpu->rip += len;
	regs_to_vmcb(svm, v01);
	svm->nested.vmcb12_gpa = gpa;
	if (!vmcb12_valid(v12)) {
		v12->control.exit_code = SVM_EXIT_ERR;
		v12->control.exit_code_hi = -1u;
		v12->control.exit_info_1 = 0;
		v12->control.exit_info_2 = 0;
		kvm_x86_write_guest_as(vcpu->vcpu.kvm, 0, gpa, &v12->control,
				       sizeof(v12->control));
		return 1;
	}
	svm_hv_vmrun(svm);

	v02 = svm->nested.vmcb02;
	v02->control = v01->control;
	for (i = 0; i < MAX_INTERCEPT; i++)
		v02->control.intercepts[i] |= v12->control.intercepts[i];
	v02->control.tsc_offset += v12->control.tsc_offset;
	v02->control.int_ctl = V_INTR_MASKING_MASK |
			       (v12->control.int_ctl & NESTED_INT_CTL);
	v02->control.int_vector = v12->control.int_vector;
	v02->control.int_state = v12->control.int_state;
	v02->control.event_inj = v12->control.event_inj;
	v02->control.event_inj_err = v12->control.event_inj_err;
	v02->control.exit_int_info = 0;
	v02->save = v01->save;
	copy_vmrun_state(&v02->save, &v12->save);
	nested_enter_dr(svm, v02, v12);

	svm->nested.l1_svme = svm->efer_svme;
	svm->efer_svme = !!(v12->save.efer & EFER_SVME);
	v02->save.efer |= EFER_SVME;
	nested_switch(svm, v02, svm->nested.vmcb02_pa);
	svm->nested.active = true;
	svm->nested.gif = true;
	regs_from_vmcb(svm, v02);
	return 1;
}

/**
 * svm_nested_vmexit() - end L2 with an exit to L1
 * @svm: the vCPU, in L2
 * @code: the exit code L1 sees
 * @info1: EXITINFO1
 * @info2: EXITINFO2
 *
 * The exit's other information (the event being delivered, the next
 * RIP) is the processor's in the VMCB02, or none for an exit we make up.
 *
 * Return: 1, to enter L1.
 */
int svm_nested_vmexit(struct vcpu_svm *svm, u32 code, u64 info1, u64 info2)
{
	struct kvm_x86_vcpu *vcpu = &svm->x86;
	struct vmcb *v02 = svm->vmcb, *v01 = svm->nested.vmcb01;
	struct vmcb *v12 = svm->nested.vmcb12;
	u32 mask;

	regs_to_vmcb(svm, v02);
	copy_vmrun_state(&v12->save, &v02->save);
	nested_exit_dr(svm, v12);
	if (!svm->efer_svme)
		v12->save.efer &= ~EFER_SVME;
	v12->control.exit_code = code;
	v12->control.exit_code_hi = code == SVM_EXIT_ERR ? -1u : 0;
	v12->control.exit_info_1 = info1;
	v12->control.exit_info_2 = info2;
	v12->control.exit_int_info = v02->control.exit_int_info;
	v12->control.exit_int_info_err = v02->control.exit_int_info_err;
	v12->control.next_rip = v02->control.next_rip;
	/* V_IRQ back only if it was L1's: ours may have opened a window. */
	mask = V_TPR_MASK | (v12->control.int_ctl & V_IRQ_MASK);
	v12->control.int_ctl = (v12->control.int_ctl & ~mask) |
			       (v02->control.int_ctl & mask);
	v12->control.int_state = v02->control.int_state;
	v12->control.event_inj = 0;
	kvm_x86_write_guest_as(vcpu->vcpu.kvm, 0, svm->nested.vmcb12_gpa, v12,
			       sizeof(*v12));

	copy_vmload_state(&v01->save, &v02->save);
	v01->save.cr2 = v02->save.cr2;
	nested_switch(svm, v01, svm->nested.vmcb01_pa);
	svm->nested.active = false;
	/* A debugger may have come or gone while L2 ran. */
	svm_set_guest_debug(vcpu);
	svm->nested.gif = false;
	svm->efer_svme = svm->nested.l1_svme;
	regs_from_vmcb(svm, v01);
	/* What was on its way into L2 is L1's to deliver now. */
	v02->control.event_inj = 0;
	return 1;
}

/* Does L1's I/O permission map take L2's IN or OUT of @info? */
static bool l1_takes_io(struct vcpu_svm *svm, u64 info)
{
	u16 port = info >> 16, bits = 0;
	unsigned int size = (info >> 4) & 7;

	if (!l1_intercepts(svm, SVM_EXIT_IOIO))
		return false;
	if (kvm_x86_read_guest_as(svm->x86.vcpu.kvm, 0,
				  svm->nested.vmcb12->control.iopm_base_pa +
				  port / 8, &bits, 2))
		return true;
	return (bits >> (port % 8)) & (BIT(size) - 1);
}

/* Does L1's MSR permission map take L2's RDMSR or WRMSR? */
static bool l1_takes_msr(struct vcpu_svm *svm, u32 msr, bool write)
{
	static const u32 base[] = { 0, 0xc0000000, 0xc0010000 };
	unsigned int i, bit;
	u8 byte;

	if (!l1_intercepts(svm, SVM_EXIT_MSR))
		return false;
	for (i = 0; i < ARRAY_SIZE(base); i++) {
		if (msr < base[i] || msr - base[i] >= 0x2000)
			continue;
		bit = (msr - base[i]) * 2 + write;
		if (svm_hv_msrpm(svm, i * 0x800 + bit / 8, &byte))
			return byte & BIT(bit % 8);
		if (kvm_x86_read_guest_as(svm->x86.vcpu.kvm, 0,
					  svm->nested.vmcb12->control.msrpm_base_pa +
					  i * 0x800 + bit / 8, &byte, 1))
			return true;
		return byte & BIT(bit % 8);
	}
	return true;
}

/**
 * svm_nested_exit() - does L2's exit go to L1?
 * @svm: the vCPU, in L2
 *
 * Exits of our own making (host interrupts, nested page faults of L1's
 * memory) never do; those L1 asked for do.
 *
 * Return: 1 if L1 took it, 0 if it is ours to handle.
 */
int svm_nested_exit(struct vcpu_svm *svm)
{
	const struct vmcb_control_area *c = &svm->vmcb->control;
	u32 code = c->exit_code;

	switch (code) {
	case SVM_EXIT_ERR:
		break;
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
	case SVM_EXIT_INIT:
	case SVM_EXIT_NPF:
		return 0;
	case SVM_EXIT_IOIO:
		if (!l1_takes_io(svm, c->exit_info_1))
			return 0;
		break;
	case SVM_EXIT_MSR:
		if (!l1_takes_msr(svm, svm->x86.regs[VCPU_RCX],
				  c->exit_info_1))
			return 0;
		break;
	case SVM_EXIT_VMMCALL:
		/* A TLB flush hypercall L1 lets us handle (hyperv.c). */
		if (svm_hv_l2_vmmcall(svm))
			return 1;
		/* Not intercepted, it is L2's #UD: we have no hypercalls for it. */
		if (!l1_intercepts(svm, code)) {
			kvm_x86_queue_exception(&svm->x86, X86_TRAP_UD, false, 0);
			return 1;
		}
		break;
	default:
		if (!l1_intercepts(svm, code))
			return 0;
	}
	/* The event the exit interrupted is L1's to see. */
	svm_nested_vmexit(svm, code, c->exit_info_1, c->exit_info_2);
	return 1;
}

/**
 * svm_nested_events() - make exits to L1 of what is pending for it
 * @vcpu: the vCPU, before an entry, interrupts on
 *
 * An exception for L2 that L1 intercepts (unless its delivery began
 * already), and L1's own interrupts and NMIs that it intercepts, end L2.
 */
void svm_nested_events(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);
	struct kvm_x86_event *e = &vcpu->exception;

	if (!svm->nested.active)
		return;
	/* L2's triple fault is L1's shutdown intercept, if it has one. */
	if (test_bit(KVM_REQ_TRIPLE_FAULT, &vcpu->vcpu.requests) &&
	    l1_intercepts(svm, SVM_EXIT_SHUTDOWN)) {
		clear_bit(KVM_REQ_TRIPLE_FAULT, &vcpu->vcpu.requests);
		svm_nested_vmexit(svm, SVM_EXIT_SHUTDOWN, 0, 0);
		return;
	}
	if (e->type && !e->injected &&
	    l1_intercepts(svm, SVM_EXIT_EXCP_BASE + e->vector)) {
		u64 info2 = e->vector == X86_TRAP_PF ? svm->vmcb->save.cr2 : 0;

		/* The payload, not yet in CR2 or DR6, is the exit's. */
		if (e->has_payload)
			info2 = e->payload;

		e->type = KVM_X86_EVENT_NONE;
		svm_nested_vmexit(svm, SVM_EXIT_EXCP_BASE + e->vector,
				  e->has_error ? e->error : 0, info2);
		return;
	}
	if (vcpu->nmi_pending && l1_intercepts(svm, SVM_EXIT_NMI)) {
		svm_nested_vmexit(svm, SVM_EXIT_NMI, 0, 0);
		return;
	}
	if (!vcpu->interrupt.type && kvm_x86_interrupt_pending(vcpu) &&
	    l1_intercepts(svm, SVM_EXIT_INTR))
		svm_nested_vmexit(svm, SVM_EXIT_INTR, 0, 0);
}

/**
 * svm_nested_vintr_off() - stop intercepting L2's virtual interrupts
 * @svm: the vCPU, in L2
 *
 * Unless L1 intercepts them itself.
 */
void svm_nested_vintr_off(struct vcpu_svm *svm)
{
	if (!l1_intercepts(svm, SVM_EXIT_VINTR))
		svm_clear_intercept(svm->vmcb, INTERCEPT_VINTR);
}

/**
 * svm_nested_takes_irqs() - do L1's interrupts wait for an exit to L1?
 * @svm: the vCPU
 *
 * Return: true while GIF is clear, and while L2 runs for an L1 that
 * intercepts its interrupts.
 */
bool svm_nested_takes_irqs(struct vcpu_svm *svm)
{
	return !svm->nested.gif ||
	       (svm->nested.active && l1_intercepts(svm, SVM_EXIT_INTR));
}

/**
 * svm_nested_wakes() - does an interrupt end halted L2 with an exit to L1?
 * @vcpu: the vCPU
 *
 * L2 halted without an exit to L1 (L1 does not intercept HLT) waits in
 * the kernel; an interrupt L1 intercepts ends the wait.
 *
 * Return: true if L2 runs for an L1 that intercepts an interrupt pending.
 */
bool svm_nested_wakes(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);

	return svm->nested.active && l1_intercepts(svm, SVM_EXIT_INTR) &&
	       kvm_x86_interrupt_pending(vcpu);
}

/**
 * svm_nested_tsc() - L2's TSC, while it runs
 * @vcpu: the vCPU
 * @tsc: L1's TSC
 *
 * Return: @tsc plus the offset L1 gave L2, or @tsc if L2 does not run.
 */
u64 svm_nested_tsc(struct kvm_x86_vcpu *vcpu, u64 tsc)
{
	struct svm_nested *n = &to_svm(vcpu)->nested;

	return n->active ? tsc + n->vmcb12->control.tsc_offset : tsc;
}

/**
 * svm_nested_takes_nmis() - do L1's NMIs wait for an exit to L1?
 * @svm: the vCPU
 *
 * Return: as svm_nested_takes_irqs(), for NMIs.
 */
bool svm_nested_takes_nmis(struct vcpu_svm *svm)
{
	return !svm->nested.gif ||
	       (svm->nested.active && l1_intercepts(svm, SVM_EXIT_NMI));
}

/**
 * svm_nested_vmload_vmsave() - VMLOAD or VMSAVE
 * @svm: the vCPU, in L1
 * @save: VMSAVE
 * @len: the instruction's length
 *
 * Return: 1 to enter the guest again, or -ENOMEM.
 */
int svm_nested_vmload_vmsave(struct vcpu_svm *svm, bool save,
			     unsigned int len)
{
	struct kvm *kvm = svm->x86.vcpu.kvm;
	u64 gpa = rax_gpa(svm);
	struct vmcb *page;
	int ret;

	if (!svm_insn_allowed(svm))
		return 1;
	ret = nested_alloc(svm);
	if (ret)
		return ret;
	page = svm->nested.vmcb12;
	if (!PAGE_ALIGNED(gpa) ||
	    kvm_x86_read_guest_as(kvm, 0, gpa, page, sizeof(*page))) {
		kvm_x86_queue_exception(&svm->x86, X86_TRAP_GP, true, 0);
		return 1;
	}
	if (save) {
		copy_vmload_state(&page->save, &svm->vmcb->save);
		kvm_x86_write_guest_as(kvm, 0, gpa, page, sizeof(*page));
	} else {
		copy_vmload_state(&svm->vmcb->save, &page->save);
		svm->vmcb->control.clean = 0;
	}
	svm->x86.rip += len;
	return 1;
}

/**
 * svm_nested_gif() - STGI or CLGI
 * @svm: the vCPU, in L1
 * @set: STGI
 * @len: the instruction's length
 *
 * Return: 1, to enter the guest again.
 */
int svm_nested_gif(struct vcpu_svm *svm, bool set, unsigned int len)
{
	if (!svm_insn_allowed(svm))
		return 1;
	svm->nested.gif = set;
	svm->x86.rip += len;
	return 1;
}

/**
 * svm_nested_invlpga() - INVLPGA: drop a page's translations of an ASID
 * @svm: the vCPU, in L1
 * @len: the instruction's length
 *
 * L1's ASIDs are all the vCPU's one: flush it all.
 *
 * Return: 1, to enter the guest again.
 */
int svm_nested_invlpga(struct vcpu_svm *svm, unsigned int len)
{
	if (!svm_insn_allowed(svm))
		return 1;
	svm->vmcb->control.tlb_ctl = TLB_CONTROL_FLUSH_ASID;
	svm->x86.rip += len;
	return 1;
}

/**
 * svm_nested_cpuid() - what KVM_GET_SUPPORTED_CPUID offers of SVM
 * @e: the entry, for 0x80000001 or 0x8000000a
 *
 * SVM itself, revision 1, the vCPU's ASIDs; none of the optional
 * features (no nested paging, no NRIP save).
 */
void svm_nested_cpuid(struct kvm_cpuid_entry2 *e)
{
	if (!svm_nested)
		return;
	if (e->function == 0x80000001) {
		e->ecx |= BIT(X86_FEATURE_SVM & 31);
	} else if (e->function == 0x8000000a) {
		e->eax = 1;
		e->ebx = 8;
		e->ecx = 0;
		e->edx = 0;
	}
}

/**
 * svm_nested_efer() - the EFER bit nested SVM lets guests set
 *
 * Return: EFER_SVME, or 0 with nested SVM off.
 */
u64 svm_nested_efer(void)
{
	return svm_nested ? EFER_SVME : 0;
}
