// SPDX-License-Identifier: GPL-2.0-only
/*
 * SVM exit handling: one handler per exit code, in a table.
 *
 * Handlers that skip an instruction take its length from the next RIP
 * the processor saves (NRIP save), or where it saves none (QEMU's SVM,
 * for one) use the length the instruction has without prefixes.
 */
#include <linux/kvm.h>
#include <asm/debugreg.h>
#include <asm/trapnr.h>

#include "svm.h"
#include "trace.h"

typedef int (*svm_exit_handler)(struct vcpu_svm *svm);

static bool svm_nrips;

/* Length of the intercepted instruction; @len without NRIP save. */
static unsigned int svm_insn_len(struct vcpu_svm *svm, unsigned int len)
{
	u64 next = svm->vmcb->control.next_rip;

	if (svm_nrips && next > svm->x86.rip && next - svm->x86.rip <= 15)
		return next - svm->x86.rip;
	return len;
}

/*
 * We completed the instruction: so is the shadow of an STI or MOV SS
 * before it, and a guest that steps itself gets its single-step trap.
 */
void svm_skip(struct vcpu_svm *svm, unsigned int len)
{
	svm->vmcb->control.int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
	kvm_x86_skip_insn(&svm->x86, svm_insn_len(svm, len));
}

/**
 * svm_exits_init() - learn what the processor saves on exits
 */
void svm_exits_init(void)
{
	svm_nrips = boot_cpu_has(X86_FEATURE_NRIPS);
}

/* The host handles interrupts, NMIs and SMIs once interrupts are on. */
static int svm_exit_host_event(struct vcpu_svm *svm)
{
	svm->x86.vcpu.stat.irq_exits++;
	return 1;
}

/* EXITINFO1 of an I/O intercept (APM vol. 2, 15.10.2). */
#define IOIO_PORT_SHIFT		16
#define IOIO_SIZE_1		BIT(4)
#define IOIO_SIZE_2		BIT(5)

static int svm_exit_io(struct vcpu_svm *svm)
{
	u64 info = svm->vmcb->control.exit_info_1;
	u8 size = info & IOIO_SIZE_1 ? 1 : info & IOIO_SIZE_2 ? 2 : 4;

	/* INS and OUTS: the emulator reaches their memory. */
	if (info & SVM_IOIO_STR_MASK)
		return kvm_x86_emulate(&svm->x86);
	/* EXITINFO2 holds the address of the next instruction. */
	return kvm_x86_exit_pio(&svm->x86, info >> IOIO_PORT_SHIFT, size,
				info & SVM_IOIO_TYPE_MASK,
				svm->vmcb->control.exit_info_2);
}

/* CPUID is two bytes long. */
static int svm_exit_cpuid(struct vcpu_svm *svm)
{
	return kvm_x86_exit_cpuid(&svm->x86, svm_insn_len(svm, 2));
}

/* MONITOR and MWAIT are 0f 01 c8 and 0f 01 c9. */
static int svm_exit_monitor_mwait(struct vcpu_svm *svm)
{
	return kvm_x86_exit_monitor_mwait(&svm->x86, svm_insn_len(svm, 3));
}

static int svm_exit_hlt(struct vcpu_svm *svm)
{
	svm_skip(svm, 1);
	return kvm_x86_exit_hlt(&svm->x86);
}

static int svm_exit_shutdown(struct vcpu_svm *svm)
{
	/* The VMCB is undefined now; userspace has to reset the vCPU. */
	return kvm_x86_exit_to_user(&svm->x86, KVM_EXIT_SHUTDOWN);
}

/* EXITINFO1 of a nested page fault is a page fault error code. */
#define NPF_WRITE	BIT(1)
#define NPF_FETCH	BIT(4)

static int svm_exit_npf(struct vcpu_svm *svm)
{
	u64 error = svm->vmcb->control.exit_info_1;

	return kvm_tdp_page_fault(&svm->x86, svm->vmcb->control.exit_info_2,
				  error & NPF_WRITE, error & NPF_FETCH);
}

/* SVM's own instructions: the guest sees EFER.SVME clear, so #UD. */
static int svm_exit_ud_exception(struct vcpu_svm *svm)
{
	return kvm_x86_exit_ud(&svm->x86);
}

/* VMMCALL is three bytes long. */
static int svm_exit_vmmcall(struct vcpu_svm *svm)
{
	return kvm_x86_exit_hypercall(&svm->x86, svm_insn_len(svm, 3));
}

static int svm_exit_ud(struct vcpu_svm *svm)
{
	kvm_x86_queue_exception(&svm->x86, X86_TRAP_UD, false, 0);
	return 1;
}

/* SVM's instructions, three bytes long each, for a guest hypervisor. */
static int svm_exit_vmrun(struct vcpu_svm *svm)
{
	return svm_nested_vmrun(svm, svm_insn_len(svm, 3));
}

static int svm_exit_vmload(struct vcpu_svm *svm)
{
	return svm_nested_vmload_vmsave(svm, false, svm_insn_len(svm, 3));
}

static int svm_exit_vmsave(struct vcpu_svm *svm)
{
	return svm_nested_vmload_vmsave(svm, true, svm_insn_len(svm, 3));
}

static int svm_exit_stgi(struct vcpu_svm *svm)
{
	return svm_nested_gif(svm, true, svm_insn_len(svm, 3));
}

static int svm_exit_clgi(struct vcpu_svm *svm)
{
	return svm_nested_gif(svm, false, svm_insn_len(svm, 3));
}

static int svm_exit_invlpga(struct vcpu_svm *svm)
{
	return svm_nested_invlpga(svm, svm_insn_len(svm, 3));
}

/* RDMSR and WRMSR are two bytes long. */
static int svm_exit_msr(struct vcpu_svm *svm)
{
	return kvm_x86_exit_msr(&svm->x86, svm->vmcb->control.exit_info_1,
				svm_insn_len(svm, 2));
}

/* XSETBV is three bytes long. */
static int svm_exit_xsetbv(struct vcpu_svm *svm)
{
	return kvm_x86_exit_xsetbv(&svm->x86, svm_insn_len(svm, 3));
}

/*
 * The handler of the NMI we gave returns: NMIs are unblocked once its
 * IRET completes, which the next exit with RIP elsewhere shows.
 */
static int svm_exit_iret(struct vcpu_svm *svm)
{
	svm_clear_intercept(svm->vmcb, INTERCEPT_IRET);
	svm->awaiting_iret = true;
	svm->iret_rip = svm->x86.rip;
	return 1;
}

/*
 * #DB is intercepted to single-step into an NMI window, and for a
 * debugger in userspace; the processor wrote the #DB's bits into DR6.
 */
static int svm_exit_db(struct vcpu_svm *svm)
{
	struct kvm_x86_vcpu *vcpu = &svm->x86;
	u64 dr6 = svm->vmcb->save.dr6;

	if (svm->nmi_step) {
		svm_nmi_step_done(svm);
		return 1;
	}
	if (!kvm_x86_debug_takes_db(vcpu)) {
		kvm_x86_queue_exception(vcpu, X86_TRAP_DB, false, 0);
		return 1;
	}
	/* The next #DB sets bits of its own. */
	svm->vmcb->save.dr6 = DR6_RESERVED;
	svm_dirty(svm->vmcb, SVM_CLEAN_DR);
	return kvm_x86_debug_exit(vcpu, X86_TRAP_DB,
				  dr6 & (DR_TRAP_BITS | KVM_DR6_BD | DR_STEP));
}

/* #BP is intercepted for a debugger's INT3 breakpoints; RIP is the INT3's. */
static int svm_exit_bp(struct vcpu_svm *svm)
{
	return kvm_x86_debug_exit(&svm->x86, X86_TRAP_BP, 0);
}

/*
 * MOV to or from a debug register: a debugger's general detect, or the
 * emulator decodes it.
 */
static int svm_exit_dr(struct vcpu_svm *svm)
{
	return kvm_x86_debug_mov_dr(&svm->x86) ? kvm_x86_emulate(&svm->x86) : 0;
}

/* The guest takes interrupts again: the window userspace wanted is open. */
static int svm_exit_vintr(struct vcpu_svm *svm)
{
	svm_set_irq_window(&svm->x86, false);
	return 1;
}

/*
 * The guest spun on PAUSE past the filter count.  The PAUSE is executed
 * again at the next VMRUN, which reloads the count: harmless.
 */
static int svm_exit_pause(struct vcpu_svm *svm)
{
	kvm_vcpu_on_spin(&svm->x86.vcpu);
	return 1;
}

static const svm_exit_handler svm_exit_handlers[] = {
	[SVM_EXIT_READ_DR0 ... SVM_EXIT_READ_DR7] = svm_exit_dr,
	[SVM_EXIT_WRITE_DR0 ... SVM_EXIT_WRITE_DR7] = svm_exit_dr,
	[SVM_EXIT_EXCP_BASE + DB_VECTOR] = svm_exit_db,
	[SVM_EXIT_EXCP_BASE + BP_VECTOR] = svm_exit_bp,
	[SVM_EXIT_EXCP_BASE + UD_VECTOR] = svm_exit_ud_exception,
	[SVM_EXIT_INTR]		= svm_exit_host_event,
	[SVM_EXIT_VINTR]	= svm_exit_vintr,
	[SVM_EXIT_NMI]		= svm_exit_host_event,
	[SVM_EXIT_SMI]		= svm_exit_host_event,
	[SVM_EXIT_INIT]		= svm_exit_host_event,
	[SVM_EXIT_CPUID]	= svm_exit_cpuid,
	[SVM_EXIT_HLT]		= svm_exit_hlt,
	[SVM_EXIT_IRET]		= svm_exit_iret,
	[SVM_EXIT_PAUSE]	= svm_exit_pause,
	[SVM_EXIT_IOIO]		= svm_exit_io,
	[SVM_EXIT_MSR]		= svm_exit_msr,
	[SVM_EXIT_SHUTDOWN]	= svm_exit_shutdown,
	[SVM_EXIT_VMRUN]	= svm_exit_vmrun,
	[SVM_EXIT_VMMCALL]	= svm_exit_vmmcall,
	[SVM_EXIT_VMLOAD]	= svm_exit_vmload,
	[SVM_EXIT_VMSAVE]	= svm_exit_vmsave,
	[SVM_EXIT_STGI]		= svm_exit_stgi,
	[SVM_EXIT_CLGI]		= svm_exit_clgi,
	[SVM_EXIT_SKINIT]	= svm_exit_ud,
	[SVM_EXIT_INVLPGA]	= svm_exit_invlpga,
	[SVM_EXIT_MONITOR]	= svm_exit_monitor_mwait,
	[SVM_EXIT_MWAIT]	= svm_exit_monitor_mwait,
	[SVM_EXIT_RDPRU]	= svm_exit_ud,
	[SVM_EXIT_XSETBV]	= svm_exit_xsetbv,
	[SVM_EXIT_NPF]		= svm_exit_npf,
};

/* EVENTINJ and EXITINTINFO types (APM vol. 2, 15.20) and ours. */
static const u8 svm_event_types[8] = {
	[SVM_EVTINJ_TYPE_INTR >> SVM_EVTINJ_TYPE_SHIFT]	 = KVM_X86_EVENT_INTR,
	[SVM_EVTINJ_TYPE_NMI >> SVM_EVTINJ_TYPE_SHIFT]	 = KVM_X86_EVENT_NMI,
	[SVM_EVTINJ_TYPE_EXEPT >> SVM_EVTINJ_TYPE_SHIFT] = KVM_X86_EVENT_EXCEPTION,
	[SVM_EVTINJ_TYPE_SOFT >> SVM_EVTINJ_TYPE_SHIFT]	 = KVM_X86_EVENT_SOFT_INTR,
};

static u8 svm_event_type(u32 info)
{
	return svm_event_types[(info & SVM_EVTINJ_TYPE_MASK) >>
			       SVM_EVTINJ_TYPE_SHIFT];
}

/**
 * svm_inject_event() - deliver an event at the next VMRUN
 * @vcpu: the vCPU
 * @event: the event
 *
 * SVM has no type for INT3 and INTO: they are exceptions to EVENTINJ.
 */
void svm_inject_event(struct kvm_x86_vcpu *vcpu,
		      const struct kvm_x86_event *event)
{
	struct vmcb_control_area *c = &to_svm(vcpu)->vmcb->control;
	static const u32 type[] = {
		[KVM_X86_EVENT_INTR]		= SVM_EVTINJ_TYPE_INTR,
		[KVM_X86_EVENT_NMI]		= SVM_EVTINJ_TYPE_NMI,
		[KVM_X86_EVENT_EXCEPTION]	= SVM_EVTINJ_TYPE_EXEPT,
		[KVM_X86_EVENT_SOFT_INTR]	= SVM_EVTINJ_TYPE_SOFT,
		[KVM_X86_EVENT_SOFT_EXCEPTION]	= SVM_EVTINJ_TYPE_EXEPT,
	};

	c->event_inj = event->vector | type[event->type] | SVM_EVTINJ_VALID |
		       (event->has_error ? SVM_EVTINJ_VALID_ERR : 0);
	c->event_inj_err = event->error;
	if (event->type == KVM_X86_EVENT_NMI)
		svm_set_nmi_mask(vcpu, true);
}

/**
 * svm_handle_exit() - handle the exit of the last VMRUN
 * @vcpu: the vCPU
 *
 * Return: 1 to enter the guest again, 0 to return to userspace, or a
 * negative errno.
 */
int svm_handle_exit(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);
	struct vmcb_control_area *c = &svm->vmcb->control;
	u32 code = c->exit_code;

	trace_kvm_exit(vcpu->vcpu.id, code, c->exit_info_1, c->exit_info_2,
		       vcpu->rip);
	if (svm->awaiting_iret && vcpu->rip != svm->iret_rip)
		svm_set_nmi_mask(vcpu, false);
	/* L1 may want L2's exit, with the event it interrupted. */
	if (svm->nested.active && svm_nested_exit(svm))
		return 1;
	/*
	 * An event the exit interrupted on its way into the guest is
	 * delivered on the next entry.
	 */
	c->event_inj = 0;
	if (c->exit_int_info & SVM_EXITINTINFO_VALID) {
		struct kvm_x86_event event = {
			.type = svm_event_type(c->exit_int_info),
			.vector = c->exit_int_info & SVM_EXITINTINFO_VEC_MASK,
			.has_error = c->exit_int_info &
				     SVM_EXITINTINFO_VALID_ERR,
			.error = c->exit_int_info_err,
		};

		kvm_x86_requeue_event(vcpu, &event);
	}

	if (code == SVM_EXIT_ERR) {
		/* VMRUN refused the guest state (APM vol. 2, 15.5.1). */
		vcpu->vcpu.run->fail_entry.hardware_entry_failure_reason = code;
		vcpu->vcpu.run->fail_entry.cpu = vcpu->vcpu.cpu;
		return kvm_x86_exit_to_user(vcpu, KVM_EXIT_FAIL_ENTRY);
	}
	if (code < ARRAY_SIZE(svm_exit_handlers) && svm_exit_handlers[code])
		return svm_exit_handlers[code](svm);
	return kvm_x86_exit_internal_error(vcpu,
			KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON, code,
			c->exit_info_1);
}
