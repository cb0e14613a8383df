// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMCS: how a guest runs (controls, host state) and the guest state
 * the processor loads and saves.  The conversions between the userspace
 * view of the registers (struct kvm_sregs) and the VMCS are here, one
 * function each way.  Everything here runs with the VMCS loaded.
 */
#include <linux/kvm.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/segment.h>

#include "vmx.h"

/* Power-on value of IA32_PAT (SDM vol. 3A, 13.12.4). */
#define PAT_POWER_ON	0x0007040600070406ULL
#define DR7_RESET	0x400UL

/*
 * The guest state area holds the segment registers in the order of enum
 * kvm_x86_seg, each field two encodings after the previous register's
 * (SDM vol. 3D, B.1.2).
 */

void vmcs_write_error(unsigned long field, unsigned long value)
{
	pr_err_ratelimited("kvm-intel: VMWRITE %#lx = %#lx failed: error %lu\n",
			   field, value, vmcs_read(VM_INSTRUCTION_ERROR));
}

/**
 * vmx_cr0_owned() - the CR0 bits we own in every VMCS
 *
 * Those VMX operation constrains, but PE and PG (unrestricted guest).
 *
 * Return: the mask.
 */
unsigned long vmx_cr0_owned(void)
{
	return (vmx_config.cr0_fixed0 | ~vmx_config.cr0_fixed1) &
	       ~(X86_CR0_PE | X86_CR0_PG);
}

/**
 * vmx_cr4_owned() - the CR4 bits we own in every VMCS
 *
 * Return: the mask of those VMX operation constrains.
 */
unsigned long vmx_cr4_owned(void)
{
	return vmx_config.cr4_fixed0 | ~vmx_config.cr4_fixed1;
}

/**
 * vmx_init_vmcs() - write the fields of a new VMCS that never change
 * @vmx: the vCPU, whose VMCS is current
 * @eptp: the EPT pointer
 * @msr_bitmap: physical address of the MSR bitmap (all ones: every MSR
 *	exits)
 *
 * The host state that depends on the CPU is written on every load.
 */
void vmx_init_vmcs(struct vcpu_vmx *vmx, u64 eptp, phys_addr_t msr_bitmap)
{
	u64 pat;

	vmcs_write(PIN_BASED_VM_EXEC_CONTROL, vmx_config.pin);
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, vmx_config.proc);
	vmcs_write(SECONDARY_VM_EXEC_CONTROL, vmx_config.proc2);
	vmcs_write(VM_EXIT_CONTROLS, vmx_config.exit);
	vmcs_write(VM_ENTRY_CONTROLS, vmx_config.entry);
	if (vmx->vpid)
		vmcs_write(VIRTUAL_PROCESSOR_ID, vmx->vpid);
	if (vmx_config.proc2 & SECONDARY_EXEC_PAUSE_LOOP_EXITING) {
		vmcs_write(PLE_GAP, VMX_PLE_GAP);
		vmcs_write(PLE_WINDOW, VMX_PLE_WINDOW);
	}
	/* 1.0 until the vCPU has a rate (a VMCS02 has L1's, at entry). */
	if (vmx_config.proc2 & SECONDARY_EXEC_TSC_SCALING)
		vmcs_write(TSC_MULTIPLIER, 1ULL << VMX_TSC_RATIO_FRAC_BITS);
	vmcs_write(EPT_POINTER, eptp);
	vmcs_write(MSR_BITMAP, msr_bitmap);
	vmcs_write(EXCEPTION_BITMAP, vmx_exception_bitmap(vmx));
	vmcs_write(CR3_TARGET_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write(VMCS_LINK_POINTER, -1UL);

	/* We own the CR0 and CR4 bits VMX operation constrains. */
	vmcs_write(CR0_GUEST_HOST_MASK, vmx_cr0_owned());
	vmcs_write(CR4_GUEST_HOST_MASK, vmx_cr4_owned());

	/* Host state that is the same on every CPU. */
	vmcs_write(HOST_CR0, read_cr0());
	vmcs_write(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write(HOST_SS_SELECTOR, __KERNEL_DS);
	vmcs_write(HOST_DS_SELECTOR, 0);
	vmcs_write(HOST_ES_SELECTOR, 0);
	vmcs_write(HOST_FS_SELECTOR, 0);
	vmcs_write(HOST_GS_SELECTOR, 0);
	vmcs_write(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	vmcs_write(HOST_RIP, (unsigned long)vmx_vmexit);
	vmcs_write(HOST_IA32_EFER, __rdmsr(MSR_EFER));
	rdmsrl(MSR_IA32_CR_PAT, pat);
	vmcs_write(HOST_IA32_PAT, pat);
	vmcs_write(HOST_IA32_SYSENTER_CS, __rdmsr(MSR_IA32_SYSENTER_CS));
	vmcs_write(HOST_IA32_SYSENTER_EIP, __rdmsr(MSR_IA32_SYSENTER_EIP));

	vmcs_write(GUEST_IA32_PAT, PAT_POWER_ON);
	vmcs_write(GUEST_DR7, DR7_RESET);
	vmcs_write(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(GUEST_SYSENTER_CS, 0);
	vmcs_write(GUEST_SYSENTER_ESP, 0);
	vmcs_write(GUEST_SYSENTER_EIP, 0);
}

/*
 * Access rights are descriptor bits 40-47 and 52-55 with bit 16 meaning
 * "unusable" (SDM vol. 3C, 25.4.1).
 */
void vmx_get_segment(enum kvm_x86_seg seg, struct kvm_segment *s)
{
	u32 ar = vmcs_read(GUEST_ES_AR_BYTES + seg * 2);

	s->selector = vmcs_read(GUEST_ES_SELECTOR + seg * 2);
	s->base = vmcs_read(GUEST_ES_BASE + seg * 2);
	s->limit = vmcs_read(GUEST_ES_LIMIT + seg * 2);
	s->type = ar & 0xf;
	s->s = (ar >> 4) & 1;
	s->dpl = (ar >> 5) & 3;
	s->present = (ar >> 7) & 1;
	s->avl = (ar >> 12) & 1;
	s->l = (ar >> 13) & 1;
	s->db = (ar >> 14) & 1;
	s->g = (ar >> 15) & 1;
	s->unusable = (ar >> 16) & 1;
	if (s->unusable)
		s->present = 0;
}

void vmx_set_segment(enum kvm_x86_seg seg, const struct kvm_segment *s)
{
	u32 ar;

	if (s->unusable || !s->present)
		ar = VMX_AR_UNUSABLE_MASK;
	else
		ar = (s->type & 0xf) | (s->s & 1) << 4 | (s->dpl & 3) << 5 |
		     1 << 7 | (s->avl & 1) << 12 | (s->l & 1) << 13 |
		     (s->db & 1) << 14 | (s->g & 1) << 15;
	vmcs_write(GUEST_ES_SELECTOR + seg * 2, s->selector);
	vmcs_write(GUEST_ES_BASE + seg * 2, s->base);
	vmcs_write(GUEST_ES_LIMIT + seg * 2, s->limit);
	vmcs_write(GUEST_ES_AR_BYTES + seg * 2, ar);
}

/**
 * vmx_set_cr0() - give the guest a new CR0
 * @vmx: the vCPU
 * @cr0: the value the guest sees
 *
 * The processor runs the guest with the bits VMX operation requires set;
 * the guest reads its own value through the read shadow (L2's mixes in
 * what L1 shows it).  Unrestricted guest lets PE and PG be clear.
 *
 * Return: 0, or -EINVAL if no processor accepts @cr0.
 */
int vmx_set_cr0(struct vcpu_vmx *vmx, unsigned long cr0)
{
	u64 fixed0 = vmx_config.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);

	if (cr0 >> 32 || ((cr0 & X86_CR0_PG) && !(cr0 & X86_CR0_PE)))
		return -EINVAL;
	vmx->cr0 = cr0;
	vmcs_write(CR0_READ_SHADOW, cr0);
	vmcs_write(GUEST_CR0, (cr0 | fixed0) & vmx_config.cr0_fixed1);
	if (vmx->nested.guest_mode)
		vmx_nested_cr_shadows(vmx);
	return 0;
}

/**
 * vmx_set_cr4() - give the guest a new CR4
 * @vmx: the vCPU
 * @cr4: the value the guest sees
 *
 * Return: 0, or -EINVAL if @cr4 sets VMXE without nested VMX.
 */
int vmx_set_cr4(struct vcpu_vmx *vmx, unsigned long cr4)
{
	if ((cr4 & X86_CR4_VMXE) && !vmx_nested)
		return -EINVAL;
	vmx->cr4 = cr4;
	vmcs_write(CR4_READ_SHADOW, cr4);
	vmcs_write(GUEST_CR4, (cr4 | vmx_config.cr4_fixed0) &
		   vmx_config.cr4_fixed1);
	if (vmx->nested.guest_mode)
		vmx_nested_cr_shadows(vmx);
	return 0;
}

/**
 * vmx_set_efer() - give the guest a new EFER
 * @vmx: the vCPU
 * @efer: a checked value
 *
 * VM entry loads EFER; the "IA-32e mode guest" entry control must agree
 * with EFER.LMA.
 */
void vmx_set_efer(struct vcpu_vmx *vmx, u64 efer)
{
	u32 entry = vmcs_read(VM_ENTRY_CONTROLS) & ~VM_ENTRY_IA32E_MODE;

	if (efer & EFER_LMA)
		entry |= VM_ENTRY_IA32E_MODE;
	vmcs_write(VM_ENTRY_CONTROLS, entry);
	vmcs_write(GUEST_IA32_EFER, efer);
}

/**
 * vmx_get_cr0() - the guest's CR0
 * @vcpu: the vCPU, loaded
 *
 * Return: the bits we own from the read shadow, the rest from the
 * processor.
 */
unsigned long vmx_get_cr0(struct kvm_x86_vcpu *vcpu)
{
	unsigned long mask = vmcs_read(CR0_GUEST_HOST_MASK);

	return (vmcs_read(GUEST_CR0) & ~mask) | (to_vmx(vcpu)->cr0 & mask);
}

/**
 * vmx_get_cr4() - the guest's CR4
 * @vcpu: the vCPU, loaded
 *
 * Return: as vmx_get_cr0(), for CR4.
 */
unsigned long vmx_get_cr4(struct kvm_x86_vcpu *vcpu)
{
	unsigned long mask = vmcs_read(CR4_GUEST_HOST_MASK);

	return (vmcs_read(GUEST_CR4) & ~mask) | (to_vmx(vcpu)->cr4 & mask);
}

/**
 * vmx_get_sregs() - read the guest's system registers from the VMCS
 * @vcpu: the vCPU
 * @sregs: filled in, except apic_base and the interrupt bitmap
 */
void vmx_get_sregs(struct kvm_x86_vcpu *vcpu, struct kvm_sregs *sregs)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	enum kvm_x86_seg seg;

	for (seg = 0; seg < NR_VCPU_SEGS; seg++)
		vmx_get_segment(seg, kvm_sregs_seg(sregs, seg));
	sregs->gdt.base = vmcs_read(GUEST_GDTR_BASE);
	sregs->gdt.limit = vmcs_read(GUEST_GDTR_LIMIT);
	sregs->idt.base = vmcs_read(GUEST_IDTR_BASE);
	sregs->idt.limit = vmcs_read(GUEST_IDTR_LIMIT);
	/* Bits we own come from the shadow, the rest from the processor. */
	sregs->cr0 = vmx_get_cr0(vcpu);
	sregs->cr4 = vmx_get_cr4(vcpu);
	sregs->cr3 = vmcs_read(GUEST_CR3);
	sregs->cr2 = vmx->cr2;
	sregs->cr8 = vmx->cr8;
	sregs->efer = vmcs_read(GUEST_IA32_EFER);
}

/**
 * vmx_load_pdptes() - give VM entry the guest's PDPTEs
 * @vmx: the vCPU, loaded, after we changed its CR0, CR3 or CR4
 *
 * With EPT and PAE paging, VM entry loads the PDPTEs from the VMCS, not
 * from memory (SDM vol. 3C, 27.3.2.4), and VM exit saves them there: the
 * processor keeps them while the guest changes its control registers
 * itself, we must when we change them for it.
 */
void vmx_load_pdptes(struct vcpu_vmx *vmx)
{
	u64 pdpte[4];

	if (!(vmx_get_cr0(&vmx->x86) & X86_CR0_PG) ||
	    !(vmx_get_cr4(&vmx->x86) & X86_CR4_PAE) ||
	    (vmcs_read(GUEST_IA32_EFER) & EFER_LMA))
		return;
	kvm_x86_read_pdptes(&vmx->x86, vmcs_read(GUEST_CR3), pdpte);
	vmx_set_pdptes(&vmx->x86, pdpte);
}

/**
 * vmx_get_pdptes() - the PDPTEs VM entry loads and VM exit saves
 * @vcpu: the vCPU, loaded
 * @pdpte: filled in
 */
void vmx_get_pdptes(struct kvm_x86_vcpu *vcpu, u64 pdpte[4])
{
	int i;

	for (i = 0; i < 4; i++)
		pdpte[i] = vmcs_read(GUEST_PDPTR0 + 2 * i);
}

/**
 * vmx_set_pdptes() - change them
 * @vcpu: the vCPU, loaded
 * @pdpte: the new entries
 */
void vmx_set_pdptes(struct kvm_x86_vcpu *vcpu, const u64 pdpte[4])
{
	int i;

	for (i = 0; i < 4; i++)
		vmcs_write(GUEST_PDPTR0 + 2 * i, pdpte[i]);
}

/**
 * vmx_set_sregs() - write the guest's system registers into the VMCS
 * @vcpu: the vCPU
 * @sregs: checked values
 */
void vmx_set_sregs(struct kvm_x86_vcpu *vcpu, const struct kvm_sregs *sregs)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	enum kvm_x86_seg seg;

	for (seg = 0; seg < NR_VCPU_SEGS; seg++)
		vmx_set_segment(seg, kvm_sregs_seg(sregs, seg));
	vmcs_write(GUEST_GDTR_BASE, sregs->gdt.base);
	vmcs_write(GUEST_GDTR_LIMIT, sregs->gdt.limit);
	vmcs_write(GUEST_IDTR_BASE, sregs->idt.base);
	vmcs_write(GUEST_IDTR_LIMIT, sregs->idt.limit);
	/* The x86 code has checked the values already. */
	vmx_set_cr0(vmx, sregs->cr0);
	vmx_set_cr4(vmx, sregs->cr4);
	vmcs_write(GUEST_CR3, sregs->cr3);
	vmx->cr2 = sregs->cr2;
	vmx->cr8 = sregs->cr8 & 0xf;
	vmx_set_efer(vmx, sregs->efer);
	vmx_load_pdptes(vmx);
	/*
	 * A guest whose HLT does not exit (KVM_CAP_X86_DISABLE_EXITS) may
	 * have been halted at the last exit: new state (a reset, SMM) runs.
	 */
	vmcs_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
}

/* The VMCS fields of the MSRs VM entry and exit switch. */
static unsigned long vmx_msr_field(u32 index)
{
	switch (index) {
	case MSR_IA32_SYSENTER_CS:	return GUEST_SYSENTER_CS;
	case MSR_IA32_SYSENTER_ESP:	return GUEST_SYSENTER_ESP;
	case MSR_IA32_SYSENTER_EIP:	return GUEST_SYSENTER_EIP;
	case MSR_IA32_CR_PAT:		return GUEST_IA32_PAT;
	case MSR_FS_BASE:		return GUEST_FS_BASE;
	case MSR_GS_BASE:		return GUEST_GS_BASE;
	case MSR_EFER:			return GUEST_IA32_EFER;
	default:			return 0;
	}
}

static int vmx_switched_msr(u32 index)
{
	int i;

	for (i = 0; i < VMX_NR_SWITCHED_MSRS; i++)
		if (vmx_switched_msrs[i] == index)
			return i;
	return -1;
}

/**
 * vmx_get_msr() - read an MSR from the VMCS or the switch list
 * @vcpu: the vCPU, loaded
 * @index: the MSR
 * @data: its value
 *
 * Return: 0, or -ENOENT for an MSR we do not keep here.
 */
int vmx_get_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	unsigned long field = vmx_msr_field(index);
	int i = vmx_switched_msr(index);

	if (field) {
		*data = vmcs_read(field);
		return 0;
	}
	if (i < 0)
		return -ENOENT;
	/* Not preempted in between: a put would move the value. */
	preempt_disable();
	if (vmx->guest_msrs_loaded)
		rdmsrl(index, vmx->guest_msrs[i]);
	*data = vmx->guest_msrs[i];
	preempt_enable();
	return 0;
}

/**
 * vmx_set_msr() - write an MSR into the VMCS or the switch list
 * @vcpu: the vCPU, loaded
 * @index: the MSR
 * @data: a checked value
 *
 * Return: 0, or -ENOENT for an MSR we do not keep here.
 */
int vmx_set_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 data)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	unsigned long field = vmx_msr_field(index);
	int i = vmx_switched_msr(index);

	if (index == MSR_EFER) {
		vmx_set_efer(vmx, data);
		return 0;
	}
	if (field) {
		vmcs_write(field, data);
		return 0;
	}
	if (i < 0)
		return -ENOENT;
	preempt_disable();
	vmx->guest_msrs[i] = data;
	if (vmx->guest_msrs_loaded)
		wrmsrl(index, data);
	preempt_enable();
	return 0;
}

/**
 * vmx_set_tsc_offset() - the guest's TSC is the host's plus @offset
 * @vcpu: the vCPU, loaded
 * @offset: the offset
 */
void vmx_set_tsc_offset(struct kvm_x86_vcpu *vcpu, u64 offset)
{
	vmcs_write(TSC_OFFSET, vmx_nested_tsc_offset(to_vmx(vcpu), offset));
}

/**
 * vmx_tsc_scaling() - can the processor scale the guest's TSC?
 * @max_ratio: set to the largest ratio
 *
 * Return: the fraction bits of the TSC multiplier, or 0 without scaling.
 */
u8 vmx_tsc_scaling(u64 *max_ratio)
{
	*max_ratio = U64_MAX;
	return vmx_config.proc2 & SECONDARY_EXEC_TSC_SCALING ?
	       VMX_TSC_RATIO_FRAC_BITS : 0;
}

/**
 * vmx_set_tsc_ratio() - the guest's TSC is the host's times @ratio
 * @vcpu: the vCPU, loaded
 * @ratio: the multiplier
 *
 * While L2 runs, its multiplier is L1's times the one L1 gave it.
 */
void vmx_set_tsc_ratio(struct kvm_x86_vcpu *vcpu, u64 ratio)
{
	/* Without TSC scaling there is no multiplier (and @ratio is 1). */
	if (vmx_config.proc2 & SECONDARY_EXEC_TSC_SCALING)
		vmcs_write(TSC_MULTIPLIER,
			   vmx_nested_tsc_ratio(to_vmx(vcpu), ratio));
}

/**
 * vmx_interrupt_allowed() - does the guest take an interrupt now?
 * @vcpu: the vCPU, loaded
 *
 * Return: true if RFLAGS.IF is set and no STI or MOV SS shadow holds
 * interrupts off, and no exit to L1 is due for them instead.
 */
bool vmx_interrupt_allowed(struct kvm_x86_vcpu *vcpu)
{
	return (vcpu->rflags & X86_EFLAGS_IF) &&
	       !vmx_nested_takes_irqs(to_vmx(vcpu)) &&
	       !(vmcs_read(GUEST_INTERRUPTIBILITY_INFO) &
		 (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
}

/* Turn a processor-based execution control on or off; write on change. */
static void vmx_set_exec_control(u32 control, bool on)
{
	u32 proc = vmcs_read(CPU_BASED_VM_EXEC_CONTROL);
	u32 want = on ? proc | control : proc & ~control;

	if (want != proc)
		vmcs_write(CPU_BASED_VM_EXEC_CONTROL, want);
}

/**
 * vmx_set_irq_window() - exit as soon as the guest takes interrupts
 * @vcpu: the vCPU, loaded
 * @on: start or stop
 */
void vmx_set_irq_window(struct kvm_x86_vcpu *vcpu, bool on)
{
	vmx_set_exec_control(CPU_BASED_INTR_WINDOW_EXITING, on);
}

/**
 * vmx_update_exits() - stop exiting on what userspace took off the exits
 * @vcpu: the vCPU, loaded, with its new @disabled_exits
 *
 * Only ever clears controls: KVM_CAP_X86_DISABLE_EXITS cannot be undone.
 * PAUSE exits only ever came from the pause-loop control.
 */
void vmx_update_exits(struct kvm_x86_vcpu *vcpu)
{
	u32 off = vcpu->disabled_exits;
	u32 proc2 = vmcs_read(SECONDARY_VM_EXEC_CONTROL);

	if (off & KVM_X86_DISABLE_EXITS_HLT)
		vmx_set_exec_control(CPU_BASED_HLT_EXITING, false);
	if (off & KVM_X86_DISABLE_EXITS_MWAIT)
		vmx_set_exec_control(CPU_BASED_MWAIT_EXITING |
				     CPU_BASED_MONITOR_EXITING, false);
	if ((off & KVM_X86_DISABLE_EXITS_PAUSE) &&
	    (proc2 & SECONDARY_EXEC_PAUSE_LOOP_EXITING))
		vmcs_write(SECONDARY_VM_EXEC_CONTROL,
			   proc2 & ~SECONDARY_EXEC_PAUSE_LOOP_EXITING);
}

/**
 * vmx_exception_bitmap() - the exceptions that exit
 * @vmx: the vCPU
 *
 * Return: #UD (kvm_x86_exit_ud()), #DB and #BP as a debugger in userspace
 * wants them, and in L2 those L1 intercepts.
 */
u32 vmx_exception_bitmap(struct vcpu_vmx *vmx)
{
	u32 bitmap = BIT(UD_VECTOR);

	if (kvm_x86_debug_takes_db(&vmx->x86))
		bitmap |= BIT(DB_VECTOR);
	if (kvm_x86_debug_takes_bp(&vmx->x86))
		bitmap |= BIT(BP_VECTOR);
	if (vmx->nested.guest_mode)
		bitmap |= vmx->nested.vmcs12->exception_bitmap;
	return bitmap;
}

/**
 * vmx_set_guest_debug() - exits and DR7 for a debugger in userspace
 * @vcpu: the vCPU, loaded
 */
void vmx_set_guest_debug(struct kvm_x86_vcpu *vcpu)
{
	vmcs_write(EXCEPTION_BITMAP, vmx_exception_bitmap(to_vmx(vcpu)));
	vmcs_write(GUEST_DR7, kvm_x86_debug_dr7(vcpu));
}

/**
 * vmx_nmi_allowed() - does the guest take an NMI now?
 * @vcpu: the vCPU, loaded
 *
 * Return: true if no NMI is being handled and no STI or MOV SS shadow
 * holds events off (VM entry may refuse an NMI in an STI shadow).
 */
bool vmx_nmi_allowed(struct kvm_x86_vcpu *vcpu)
{
	return !vmx_nested_takes_nmis(to_vmx(vcpu)) && !(vmcs_read(GUEST_INTERRUPTIBILITY_INFO) &
		 (GUEST_INTR_STATE_NMI | GUEST_INTR_STATE_STI |
		  GUEST_INTR_STATE_MOV_SS));
}

/**
 * vmx_set_nmi_window() - exit as soon as the guest takes an NMI
 * @vcpu: the vCPU, loaded
 * @on: start or stop
 */
void vmx_set_nmi_window(struct kvm_x86_vcpu *vcpu, bool on)
{
	vmx_set_exec_control(CPU_BASED_NMI_WINDOW_EXITING, on);
}

/**
 * vmx_get_nmi_mask() - is an NMI being handled?
 * @vcpu: the vCPU, loaded
 *
 * Return: the virtual-NMI blocking the processor keeps until the
 * handler's IRET.
 */
bool vmx_get_nmi_mask(struct kvm_x86_vcpu *vcpu)
{
	return vmcs_read(GUEST_INTERRUPTIBILITY_INFO) & GUEST_INTR_STATE_NMI;
}

/**
 * vmx_set_nmi_mask() - block NMIs until the next IRET, or unblock them
 * @vcpu: the vCPU, loaded
 * @masked: block
 */
void vmx_set_nmi_mask(struct kvm_x86_vcpu *vcpu, bool masked)
{
	u32 state = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);

	if (masked)
		state |= GUEST_INTR_STATE_NMI;
	else
		state &= ~GUEST_INTR_STATE_NMI;
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, state);
}

/**
 * vmx_get_cr8() - the guest's task priority
 * @vcpu: the vCPU
 *
 * Return: CR8, which the guest cannot change without an exit.
 */
u8 vmx_get_cr8(struct kvm_x86_vcpu *vcpu)
{
	return to_vmx(vcpu)->cr8;
}

/**
 * vmx_set_cr8() - change the guest's task priority
 * @vcpu: the vCPU
 * @cr8: the new priority, 0 to 15
 */
void vmx_set_cr8(struct kvm_x86_vcpu *vcpu, u8 cr8)
{
	to_vmx(vcpu)->cr8 = cr8;
}

/**
 * vmx_get_interrupt_shadow() - the shadow of an STI or MOV SS
 * @vcpu: the vCPU, loaded
 *
 * Return: KVM_X86_SHADOW_INT_* bits.
 */
u8 vmx_get_interrupt_shadow(struct kvm_x86_vcpu *vcpu)
{
	u32 state = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);

	return (state & GUEST_INTR_STATE_STI ? KVM_X86_SHADOW_INT_STI : 0) |
	       (state & GUEST_INTR_STATE_MOV_SS ? KVM_X86_SHADOW_INT_MOV_SS : 0);
}

/**
 * vmx_set_interrupt_shadow() - set or clear the interrupt shadow
 * @vcpu: the vCPU, loaded
 * @shadow: KVM_X86_SHADOW_INT_* bits
 *
 * VM entry refuses both kinds at once, and STI blocking with RFLAGS.IF
 * clear: the MOV SS kind stands for both.
 */
void vmx_set_interrupt_shadow(struct kvm_x86_vcpu *vcpu, u8 shadow)
{
	u32 state = vmcs_read(GUEST_INTERRUPTIBILITY_INFO) &
		    ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS);

	if (shadow & KVM_X86_SHADOW_INT_MOV_SS)
		state |= GUEST_INTR_STATE_MOV_SS;
	else if (shadow & KVM_X86_SHADOW_INT_STI)
		state |= GUEST_INTR_STATE_STI;
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, state);
}
