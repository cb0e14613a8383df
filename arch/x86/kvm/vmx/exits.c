// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMX exit handling: one handler per basic exit reason, in a table.
 */
#include <linux/kvm.h>
#include <asm/debugreg.h>
#include <asm/trapnr.h>

#include "vmx.h"
#include "trace.h"

typedef int (*vmx_exit_handler)(struct vcpu_vmx *vmx);

/* The shadow of an STI or MOV SS before the instruction that exited ends. */
static void vmx_end_shadow(void)
{
	u32 state = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);

	if (state & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
		vmcs_write(GUEST_INTERRUPTIBILITY_INFO,
			   state & ~(GUEST_INTR_STATE_STI |
				     GUEST_INTR_STATE_MOV_SS));
}

/**
 * vmx_next_insn() - the guest goes on after the instruction that exited
 * @vmx: the vCPU
 *
 * For VMLAUNCH and VMRESUME, which go on in L2: no single-step trap.
 */
void vmx_next_insn(struct vcpu_vmx *vmx)
{
	vmx_end_shadow();
	vmx->x86.rip += vmcs_read(VM_EXIT_INSTRUCTION_LEN);
}

/**
 * vmx_skip() - we completed the guest's instruction that exited
 * @vmx: the vCPU
 *
 * Past it with kvm_x86_skip_insn(), as the x86 code: a guest that steps
 * itself gets its single-step trap.
 */
void vmx_skip(struct vcpu_vmx *vmx)
{
	vmx_end_shadow();
	kvm_x86_skip_insn(&vmx->x86, vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

/* VMX's event types (SDM vol. 3C, 25.8.3) and ours. */
static const u8 vmx_event_types[8] = {
	[EVENT_TYPE_EXTINT]	= KVM_X86_EVENT_INTR,
	[EVENT_TYPE_NMI]	= KVM_X86_EVENT_NMI,
	[EVENT_TYPE_HWEXC]	= KVM_X86_EVENT_EXCEPTION,
	[EVENT_TYPE_SWINT]	= KVM_X86_EVENT_SOFT_INTR,
	[EVENT_TYPE_PRIV_SWEXC]	= KVM_X86_EVENT_SOFT_EXCEPTION,
	[EVENT_TYPE_SWEXC]	= KVM_X86_EVENT_SOFT_EXCEPTION,
};

/**
 * vmx_event_info() - an event as VMX's interruption information
 * @e: the event
 *
 * Return: its vector, its type (SDM vol. 3C, 25.8.3), the valid bit, and
 * whether it delivers an error code.
 */
u32 vmx_event_info(const struct kvm_x86_event *e)
{
	static const u32 type[] = {
		[KVM_X86_EVENT_INTR]		= INTR_TYPE_EXT_INTR,
		[KVM_X86_EVENT_NMI]		= INTR_TYPE_NMI_INTR,
		[KVM_X86_EVENT_EXCEPTION]	= INTR_TYPE_HARD_EXCEPTION,
		[KVM_X86_EVENT_SOFT_INTR]	= INTR_TYPE_SOFT_INTR,
		[KVM_X86_EVENT_SOFT_EXCEPTION]	= INTR_TYPE_SOFT_EXCEPTION,
	};

	return e->vector | type[e->type] | INTR_INFO_VALID_MASK |
	       (e->has_error ? INTR_INFO_DELIVER_CODE_MASK : 0);
}

/**
 * vmx_inject_event() - deliver an event at the next VM entry
 * @vcpu: the vCPU, loaded
 * @event: the event
 */
void vmx_inject_event(struct kvm_x86_vcpu *vcpu,
		      const struct kvm_x86_event *event)
{
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, vmx_event_info(event));
	/*
	 * Our single-step #DB after an instruction we completed: the
	 * processor may also have left that trap pending (Bochs does).
	 */
	if (event->vector == DB_VECTOR &&
	    event->type == KVM_X86_EVENT_EXCEPTION)
		vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS,
			   vmcs_read(GUEST_PENDING_DBG_EXCEPTIONS) & ~DR_STEP);
	/* VM entry takes 16 bits (userspace may have set more). */
	if (event->has_error)
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, (u16)event->error);
	/* Software events push the address after their instruction. */
	if (event->type >= KVM_X86_EVENT_SOFT_INTR)
		vmcs_write(VM_ENTRY_INSTRUCTION_LEN, event->insn_len);
}

/* Interrupts, NMIs and INIT were handled by the host already. */
static int vmx_exit_host_event(struct vcpu_vmx *vmx)
{
	vmx->x86.vcpu.stat.irq_exits++;
	return 1;
}

static int vmx_exit_exception_nmi(struct vcpu_vmx *vmx)
{
	u32 info = vmcs_read(VM_EXIT_INTR_INFO);

	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
		return 1;
	switch (info & INTR_INFO_VECTOR_MASK) {
	case UD_VECTOR:
		/* VMMCALL, say: see kvm_x86_exit_ud(). */
		return kvm_x86_exit_ud(&vmx->x86);
	case DB_VECTOR:
		if (!kvm_x86_debug_takes_db(&vmx->x86))
			break;
		/* The exit qualification has DR6's B0-B3, BD and BS. */
		return kvm_x86_debug_exit(&vmx->x86, X86_TRAP_DB,
					  vmx->exit_qual & (DR_TRAP_BITS |
							    KVM_DR6_BD |
							    DR_STEP));
	case BP_VECTOR:
		/* RIP is the INT3's. */
		if (kvm_x86_debug_takes_bp(&vmx->x86))
			return kvm_x86_debug_exit(&vmx->x86, X86_TRAP_BP, 0);
		break;
	}
	/* Nothing else is in the exception bitmap of L1's VMCS. */
	return kvm_x86_exit_internal_error(&vmx->x86,
			KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON,
			vmx->exit_reason, info);
}

static int vmx_exit_triple_fault(struct vcpu_vmx *vmx)
{
	return kvm_x86_exit_to_user(&vmx->x86, KVM_EXIT_SHUTDOWN);
}

static int vmx_exit_cpuid(struct vcpu_vmx *vmx)
{
	return kvm_x86_exit_cpuid(&vmx->x86, vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

static int vmx_exit_hlt(struct vcpu_vmx *vmx)
{
	vmx_skip(vmx);
	return kvm_x86_exit_hlt(&vmx->x86);
}

/*
 * The guest ran a PAUSE loop for longer than the window: it waits for
 * something, perhaps for a vCPU whose thread is not running.  PAUSE
 * itself does nothing, so it is done.
 */
static int vmx_exit_pause(struct vcpu_vmx *vmx)
{
	vmx_skip(vmx);
	kvm_vcpu_on_spin(&vmx->x86.vcpu);
	return 1;
}

static int vmx_exit_vmcall(struct vcpu_vmx *vmx)
{
	return kvm_x86_exit_hypercall(&vmx->x86,
				      vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

static int vmx_exit_monitor_mwait(struct vcpu_vmx *vmx)
{
	return kvm_x86_exit_monitor_mwait(&vmx->x86,
					  vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

/* INVEPT and INVVPID: the guest hypervisor is offered neither, so #UD. */
static int vmx_exit_ud(struct vcpu_vmx *vmx)
{
	kvm_x86_queue_exception(&vmx->x86, X86_TRAP_UD, false, 0);
	return 1;
}

/* Exit qualification of a control register access (SDM vol. 3C, 28.2.1). */
#define CR_QUAL_NR(q)		((q) & 0xf)
#define CR_QUAL_TYPE(q)		(((q) >> 4) & 3)
#define CR_QUAL_REG(q)		(((q) >> 8) & 0xf)
#define CR_TYPE_MOV_TO		0
#define CR_TYPE_MOV_FROM	1

/*
 * MOV to CR0 also turns long mode on and off with paging (SDM vol. 3A,
 * 10.8.5); VM entry leaves that to us, through EFER.LMA and the entry
 * control that must agree with it.
 */
static int vmx_mov_to_cr0(struct vcpu_vmx *vmx, unsigned long cr0)
{
	unsigned long old = vmx_get_cr0(&vmx->x86);
	u64 efer = vmcs_read(GUEST_IA32_EFER);
	int ret;

	if ((cr0 & X86_CR0_PG) && !(old & X86_CR0_PG) && (efer & EFER_LME)) {
		if (!(vmx_get_cr4(&vmx->x86) & X86_CR4_PAE))
			return -EINVAL;
		efer |= EFER_LMA;
	} else if (!(cr0 & X86_CR0_PG)) {
		efer &= ~EFER_LMA;
	}
	ret = vmx_set_cr0(vmx, cr0);
	if (!ret)
		vmx_set_efer(vmx, efer);
	return ret;
}

static int vmx_exit_cr(struct vcpu_vmx *vmx)
{
	unsigned long q = vmx->exit_qual;
	unsigned long *reg = &vmx->x86.regs[CR_QUAL_REG(q)];
	unsigned long val;
	int ret = -EINVAL;

	/* RSP lives in the VMCS while the guest runs; regs[] has it now. */
	switch (CR_QUAL_TYPE(q) << 4 | CR_QUAL_NR(q)) {
	case CR_TYPE_MOV_TO << 4 | 0:
		val = *reg;
		ret = vmx_nested_cr_write(vmx, 0, &val) ?:
		      vmx_mov_to_cr0(vmx, val);
		break;
	case CR_TYPE_MOV_TO << 4 | 4:
		val = *reg;
		ret = vmx_nested_cr_write(vmx, 4, &val) ?:
		      vmx_set_cr4(vmx, val);
		break;
	case CR_TYPE_MOV_TO << 4 | 3:
		/* Only where the processor insists on CR3 exits. */
		vmcs_write(GUEST_CR3, *reg);
		ret = 0;
		break;
	case CR_TYPE_MOV_FROM << 4 | 3:
		*reg = vmcs_read(GUEST_CR3);
		ret = 0;
		break;
	case CR_TYPE_MOV_TO << 4 | 8:
		if (*reg & ~0xfUL)
			break;
		vmx->cr8 = *reg;
		ret = 0;
		break;
	case CR_TYPE_MOV_FROM << 4 | 8:
		*reg = vmx->cr8;
		ret = 0;
		break;
	default:
		return kvm_x86_exit_internal_error(&vmx->x86,
				KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON,
				vmx->exit_reason, q);
	}
	if (ret) {
		kvm_x86_queue_exception(&vmx->x86, X86_TRAP_GP, true, 0);
		return 1;
	}
	if (CR_QUAL_TYPE(q) == CR_TYPE_MOV_TO && CR_QUAL_NR(q) != 8)
		vmx_load_pdptes(vmx);
	vmx_skip(vmx);
	return 1;
}

/* Exit qualification of an I/O instruction (SDM vol. 3C, 28.2.1). */
#define IO_QUAL_SIZE(q)		(((q) & 7) + 1)
#define IO_QUAL_IN		BIT(3)
#define IO_QUAL_STRING		BIT(4)
#define IO_QUAL_PORT(q)		((q) >> 16)

static int vmx_exit_io(struct vcpu_vmx *vmx)
{
	unsigned long q = vmx->exit_qual;

	/* INS and OUTS: the emulator reaches their memory. */
	if (q & IO_QUAL_STRING)
		return kvm_x86_emulate(&vmx->x86);
	return kvm_x86_exit_pio(&vmx->x86, IO_QUAL_PORT(q), IO_QUAL_SIZE(q),
				q & IO_QUAL_IN, vmx->x86.rip +
				vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

static int vmx_exit_rdmsr(struct vcpu_vmx *vmx)
{
	return kvm_x86_exit_msr(&vmx->x86, false,
				vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

static int vmx_exit_wrmsr(struct vcpu_vmx *vmx)
{
	return kvm_x86_exit_msr(&vmx->x86, true,
				vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

static int vmx_exit_xsetbv(struct vcpu_vmx *vmx)
{
	return kvm_x86_exit_xsetbv(&vmx->x86,
				   vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

/*
 * MOV to or from a debug register: a debugger's general detect, or the
 * emulator carries it out.
 */
static int vmx_exit_dr(struct vcpu_vmx *vmx)
{
	return kvm_x86_debug_mov_dr(&vmx->x86) ? kvm_x86_emulate(&vmx->x86) : 0;
}

/* The NMI blocking ended: the latched NMI goes in at the next entry. */
static int vmx_exit_nmi_window(struct vcpu_vmx *vmx)
{
	vmx_set_nmi_window(&vmx->x86, false);
	return 1;
}

/* The guest takes interrupts again: the window userspace wanted is open. */
static int vmx_exit_irq_window(struct vcpu_vmx *vmx)
{
	vmx_set_irq_window(&vmx->x86, false);
	return 1;
}

/* Exit qualification of an EPT violation (SDM vol. 3C, 28.2.1). */
/*
 * Exit qualification of an EPT violation: the guest's IRET had unblocked
 * NMIs when it faulted; it runs again, so block them again.
 */
#define EPT_QUAL_NMI_UNBLOCKED	BIT(12)

static int vmx_exit_ept_violation(struct vcpu_vmx *vmx)
{
	unsigned long q = vmx->exit_qual;

	if ((q & EPT_QUAL_NMI_UNBLOCKED) &&
	    !(vmcs_read(IDT_VECTORING_INFO_FIELD) & VECTORING_INFO_VALID_MASK))
		vmx_set_nmi_mask(&vmx->x86, true);

	return kvm_tdp_page_fault(&vmx->x86, vmcs_read(GUEST_PHYSICAL_ADDRESS),
				  q & EPT_VIOLATION_ACC_WRITE,
				  q & EPT_VIOLATION_ACC_INSTR);
}

static const vmx_exit_handler vmx_exit_handlers[] = {
	[EXIT_REASON_EXCEPTION_NMI]	 = vmx_exit_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT] = vmx_exit_host_event,
	[EXIT_REASON_TRIPLE_FAULT]	 = vmx_exit_triple_fault,
	[EXIT_REASON_INTERRUPT_WINDOW]	 = vmx_exit_irq_window,
	[EXIT_REASON_NMI_WINDOW]	 = vmx_exit_nmi_window,
	[EXIT_REASON_INIT_SIGNAL]	 = vmx_exit_host_event,
	[EXIT_REASON_CPUID]		 = vmx_exit_cpuid,
	[EXIT_REASON_HLT]		 = vmx_exit_hlt,
	[EXIT_REASON_VMCALL]		 = vmx_exit_vmcall,
	[EXIT_REASON_VMCLEAR]		 = vmx_nested_vmclear,
	[EXIT_REASON_VMLAUNCH]		 = vmx_nested_vmlaunch,
	[EXIT_REASON_VMPTRLD]		 = vmx_nested_vmptrld,
	[EXIT_REASON_VMPTRST]		 = vmx_nested_vmptrst,
	[EXIT_REASON_VMREAD]		 = vmx_nested_vmread,
	[EXIT_REASON_VMRESUME]		 = vmx_nested_vmresume,
	[EXIT_REASON_VMWRITE]		 = vmx_nested_vmwrite,
	[EXIT_REASON_VMOFF]		 = vmx_nested_vmxoff,
	[EXIT_REASON_VMON]		 = vmx_nested_vmxon,
	[EXIT_REASON_INVEPT]		 = vmx_exit_ud,
	[EXIT_REASON_INVVPID]		 = vmx_exit_ud,
	[EXIT_REASON_MONITOR_INSTRUCTION] = vmx_exit_monitor_mwait,
	[EXIT_REASON_MWAIT_INSTRUCTION]	 = vmx_exit_monitor_mwait,
	[EXIT_REASON_CR_ACCESS]		 = vmx_exit_cr,
	[EXIT_REASON_DR_ACCESS]		 = vmx_exit_dr,
	[EXIT_REASON_IO_INSTRUCTION]	 = vmx_exit_io,
	[EXIT_REASON_MSR_READ]		 = vmx_exit_rdmsr,
	[EXIT_REASON_MSR_WRITE]		 = vmx_exit_wrmsr,
	[EXIT_REASON_PAUSE_INSTRUCTION]	 = vmx_exit_pause,
	[EXIT_REASON_EPT_VIOLATION]	 = vmx_exit_ept_violation,
	[EXIT_REASON_XSETBV]		 = vmx_exit_xsetbv,
};

/**
 * vmx_handle_exit() - handle the exit of the last VM entry
 * @vcpu: the vCPU
 *
 * Return: 1 to enter the guest again, 0 to return to userspace, or a
 * negative errno.
 */
int vmx_handle_exit(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	u32 reason = vmx->exit_reason;
	u32 vectoring;

	/* Not a VMREAD per exit for a tracepoint that is off. */
	if (trace_kvm_exit_enabled())
		trace_kvm_exit(vcpu->vcpu.id, reason, vmx->exit_qual,
			       vmcs_read(VM_EXIT_INTR_INFO), vcpu->rip);

	/* An exit of L2 may be L1's to handle. */
	if (vmx->nested.guest_mode) {
		int ret = vmx_nested_exit(vmx);

		if (ret >= 0)
			return ret;
	}

	if (reason & VMX_EXIT_REASONS_FAILED_VMENTRY) {
		/* The guest state failed the checks (SDM vol. 3C, 27.8). */
		vcpu->vcpu.run->fail_entry.hardware_entry_failure_reason =
			reason;
		vcpu->vcpu.run->fail_entry.cpu = vmx->last_cpu;
		return kvm_x86_exit_to_user(vcpu, KVM_EXIT_FAIL_ENTRY);
	}

	/*
	 * An event the exit interrupted on its way into the guest is
	 * delivered on the next entry.
	 */
	vectoring = vmcs_read(IDT_VECTORING_INFO_FIELD);
	if (vectoring & VECTORING_INFO_VALID_MASK) {
		struct kvm_x86_event event = {
			.type = vmx_event_types[(vectoring &
				VECTORING_INFO_TYPE_MASK) >> 8],
			.vector = vectoring & VECTORING_INFO_VECTOR_MASK,
			.has_error = vectoring &
				     VECTORING_INFO_DELIVER_CODE_MASK,
			.error = vmcs_read(IDT_VECTORING_ERROR_CODE),
			.insn_len = vmcs_read(VM_EXIT_INSTRUCTION_LEN),
		};

		kvm_x86_requeue_event(vcpu, &event);
	}

	reason &= 0xffff;
	if (reason < ARRAY_SIZE(vmx_exit_handlers) && vmx_exit_handlers[reason])
		return vmx_exit_handlers[reason](vmx);
	return kvm_x86_exit_internal_error(vcpu,
			KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON, reason,
			vmx->exit_qual);
}
