// SPDX-License-Identifier: GPL-2.0-only
/*
 * Events the guest receives: exceptions, NMIs and interrupts, delivered
 * through the guest's IDT (or IVT) at the next entry.
 *
 * Three slots hold them: an exception, raised by our handling of an exit
 * (a #GP for a bad WRMSR, say), an NMI, from KVM_NMI, and an interrupt,
 * given by a userspace interrupt controller with KVM_INTERRUPT.  Each may
 * also be an event whose delivery an exit interrupted (a nested page
 * fault on the IDT or the stack), which the backend hands back after the
 * exit to be delivered again.  Before each entry the x86 code gives the
 * backend at most one event, in that order; after the exit that event's
 * slot is free unless the backend hands it back.
 *
 * NMIs are latched as the processor latches them: while one is being
 * handled (until its handler's IRET) one more waits, and further ones
 * are lost.  The backend tracks the blocking and exits when it ends (the
 * NMI window).
 *
 * With the interrupt controller in userspace the guest's readiness for an
 * interrupt is reported in the run page after every exit, and userspace
 * can ask for an exit as soon as the guest is ready
 * (request_interrupt_window, KVM_EXIT_IRQ_WINDOW_OPEN).
 */
#include <linux/kvm.h>
#include <linux/uaccess.h>
#include <asm/debugreg.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "x86.h"

/* DR6 bit 16: clear when a #DB ends a transaction (RTM), else set. */
#define DR6_RTM		BIT_ULL(16)

/**
 * kvm_x86_queue_exception() - deliver an exception at the next entry
 * @vcpu: the vCPU, loaded
 * @vector: the exception
 * @has_error: it pushes an error code in protected mode
 * @error: the error code
 *
 * Real mode has no error codes (and VM entry refuses to push one there).
 */
void kvm_x86_queue_exception(struct kvm_x86_vcpu *vcpu, u8 vector,
			     bool has_error, u32 error)
{
	if (has_error)
		has_error = static_call(kvm_x86_get_cr0)(vcpu) & X86_CR0_PE;
	vcpu->exception = (struct kvm_x86_event) {
		.type = KVM_X86_EVENT_EXCEPTION,
		.vector = vector,
		.has_error = has_error,
		.error = error,
	};
}
EXPORT_SYMBOL_GPL(kvm_x86_queue_exception);

/**
 * kvm_x86_skip_insn() - we completed the instruction that exited
 * @vcpu: the vCPU
 * @len: its length
 *
 * A guest that single-steps itself (RFLAGS.TF) gets the #DB the processor
 * would have raised after the instruction, with DR6.BS (unless the
 * instruction raised an exception, or a debugger steps the vCPU: it hears
 * of the step instead, see kvm_x86_debug_step_done()).
 */
void kvm_x86_skip_insn(struct kvm_x86_vcpu *vcpu, unsigned int len)
{
	vcpu->rip += len;
	if (unlikely(vcpu->rflags & X86_EFLAGS_TF))
		kvm_x86_step_trap(vcpu);
}
EXPORT_SYMBOL_GPL(kvm_x86_skip_insn);

/**
 * kvm_x86_step_trap() - the single-step #DB after an instruction we did
 * @vcpu: the vCPU, whose RFLAGS.TF was set when the instruction began
 */
void kvm_x86_step_trap(struct kvm_x86_vcpu *vcpu)
{
	if (vcpu->exception.type ||
	    (vcpu->debug.control & KVM_GUESTDBG_SINGLESTEP))
		return;
	vcpu->exception = (struct kvm_x86_event) {
		.type = KVM_X86_EVENT_EXCEPTION,
		.vector = X86_TRAP_DB,
		.has_payload = true,
		.payload = DR_STEP,
	};
}

/**
 * kvm_x86_requeue_event() - deliver again an event an exit interrupted
 * @vcpu: the vCPU
 * @event: the event, as the processor reported it
 *
 * Called by the backend while it handles the exit.
 */
void kvm_x86_requeue_event(struct kvm_x86_vcpu *vcpu,
			   const struct kvm_x86_event *event)
{
	struct kvm_x86_event *slot;

	switch (event->type) {
	case KVM_X86_EVENT_EXCEPTION:
	case KVM_X86_EVENT_SOFT_EXCEPTION:
		slot = &vcpu->exception;
		break;
	case KVM_X86_EVENT_NMI:
		slot = &vcpu->nmi;
		break;
	case KVM_X86_EVENT_INTR:
	case KVM_X86_EVENT_SOFT_INTR:
		slot = &vcpu->interrupt;
		break;
	default:
		return;
	}
	*slot = *event;
	slot->injected = true;
}

/**
 * kvm_x86_deliver_payload() - what a pending exception sets on delivery
 * @vcpu: the vCPU, loaded, before an entry (interrupts on)
 *
 * An exception userspace made pending with a payload
 * (KVM_CAP_EXCEPTION_PAYLOAD) sets CR2 (#PF) or DR6 (#DB) only now, after
 * a guest hypervisor had the chance to take it unchanged.
 */
void kvm_x86_deliver_payload(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_x86_event *e = &vcpu->exception;
	struct kvm_sregs sregs;

	if (!e->type || !e->has_payload)
		return;
	if (e->vector == X86_TRAP_PF) {
		static_call(kvm_x86_get_sregs)(vcpu, &sregs);
		sregs.cr2 = e->payload;
		static_call(kvm_x86_set_sregs)(vcpu, &sregs);
	} else if (e->vector == X86_TRAP_DB) {
		/* The new B0-B3, BD and BS bits; bit 16 (RTM) is active low. */
		vcpu->dr6 |= e->payload & ~DR6_RTM;
		vcpu->dr6 ^= e->payload & DR6_RTM;
	}
	e->has_payload = false;
}
EXPORT_SYMBOL_GPL(kvm_x86_requeue_event);

/* The guest takes an interrupt at the next entry, and none is waiting. */
/**
 * kvm_x86_can_take_interrupt() - may an interrupt go in the slot now?
 * @vcpu: the vCPU, loaded
 *
 * Return: true if the guest takes an interrupt at the next entry and no
 * other event is in the way.
 */
bool kvm_x86_can_take_interrupt(struct kvm_x86_vcpu *vcpu)
{
	return !vcpu->exception.type && !vcpu->nmi.type &&
	       !vcpu->nmi_pending && !vcpu->interrupt.type &&
	       static_call(kvm_x86_interrupt_allowed)(vcpu);
}

/**
 * kvm_x86_interrupt_pending() - does an interrupt wait for the guest?
 * @vcpu: the vCPU
 *
 * Return: true if its in-kernel APIC or PIC has one to give.
 */
bool kvm_x86_interrupt_pending(struct kvm_x86_vcpu *vcpu)
{
	return (vcpu->lapic && kvm_lapic_has_interrupt(vcpu)) ||
	       kvm_irq_extint_pending(vcpu);
}
EXPORT_SYMBOL_GPL(kvm_x86_interrupt_pending);

/*
 * Could userspace's interrupt controller give an interrupt now, if the
 * guest took one?  With the split irqchip only as an ExtINT through
 * LINT0, one at a time.
 */
static bool kvm_x86_userspace_pic_reaches(struct kvm_x86_vcpu *vcpu)
{
	return !vcpu->lapic ||
	       (!vcpu->extint && kvm_lapic_accepts_extint(vcpu));
}

static bool kvm_x86_ready_for_interrupt(struct kvm_x86_vcpu *vcpu)
{
	return kvm_x86_userspace_pic_reaches(vcpu) &&
	       kvm_x86_can_take_interrupt(vcpu);
}

/**
 * kvm_x86_next_event() - the slot whose event goes in first
 * @vcpu: the vCPU
 *
 * Return: the exception, else the NMI, else the interrupt slot, or NULL
 * if all are empty.
 */
struct kvm_x86_event *kvm_x86_next_event(struct kvm_x86_vcpu *vcpu)
{
	if (vcpu->exception.type)
		return &vcpu->exception;
	if (vcpu->nmi.type)
		return &vcpu->nmi;
	if (vcpu->interrupt.type)
		return &vcpu->interrupt;
	return NULL;
}
EXPORT_SYMBOL_GPL(kvm_x86_next_event);

/**
 * kvm_x86_inject_events() - hand the next event to the backend
 * @vcpu: the vCPU, loaded, about to enter the guest
 *
 * Also asks the backend for an exit when the guest becomes ready for a
 * latched NMI, and for an interrupt if userspace wants to know.  The
 * local APIC, if the kernel has one, fills the interrupt slot first.
 */
void kvm_x86_inject_events(struct kvm_x86_vcpu *vcpu)
{
	/* A debugger may keep interrupts and NMIs out of its steps. */
	bool blocked = vcpu->debug.control & KVM_GUESTDBG_BLOCKIRQ;
	struct kvm_x86_event *event;

	if (vcpu->lapic && !blocked)
		kvm_lapic_inject(vcpu);
	if (vcpu->nmi_pending && !vcpu->nmi.type && !vcpu->exception.type &&
	    !blocked && static_call(kvm_x86_nmi_allowed)(vcpu)) {
		vcpu->nmi_pending--;
		vcpu->nmi = (struct kvm_x86_event) {
			.type = KVM_X86_EVENT_NMI,
			.vector = X86_TRAP_NMI,
		};
	}
	event = kvm_x86_next_event(vcpu);
	/* One whose delivery began goes on. */
	if (blocked && event && event != &vcpu->exception && !event->injected)
		event = NULL;
	vcpu->event_in_flight = event;
	if (event) {
		event->injected = true;
		static_call(kvm_x86_inject_event)(vcpu, event);
	}
	if (blocked)
		return;
	if (vcpu->nmi_pending)
		static_call(kvm_x86_set_nmi_window)(vcpu, true);
	/*
	 * Not while the local APIC would refuse userspace's interrupt: the
	 * window would open at once, again and again, with nothing to report
	 * (LINT0 masked, guest running with interrupts on).
	 */
	if (READ_ONCE(vcpu->vcpu.run->request_interrupt_window) &&
	    !vcpu->interrupt.type && kvm_x86_userspace_pic_reaches(vcpu))
		static_call(kvm_x86_set_irq_window)(vcpu, true);
}

/**
 * kvm_x86_event_delivered() - the event given at the last entry is done
 * @vcpu: the vCPU, right after an exit
 *
 * The backend hands it back with kvm_x86_requeue_event() if the exit
 * interrupted its delivery.
 */
void kvm_x86_event_delivered(struct kvm_x86_vcpu *vcpu)
{
	if (vcpu->event_in_flight)
		vcpu->event_in_flight->type = KVM_X86_EVENT_NONE;
	vcpu->event_in_flight = NULL;
}
EXPORT_SYMBOL_GPL(kvm_x86_event_delivered);

/**
 * kvm_x86_irq_window_open() - should KVM_RUN return for an interrupt?
 * @vcpu: the vCPU, after an exit that lets the guest go on
 *
 * Return: true, with the exit reason set, if userspace asked to know when
 * the guest takes interrupts and it does now.
 */
bool kvm_x86_irq_window_open(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->vcpu.run;

	if (!READ_ONCE(run->request_interrupt_window) ||
	    !kvm_x86_ready_for_interrupt(vcpu))
		return false;
	run->exit_reason = KVM_EXIT_IRQ_WINDOW_OPEN;
	return true;
}

/**
 * kvm_x86_events_enter_run() - what the run page gives at KVM_RUN
 * @vcpu: the vCPU, loaded
 *
 * Return: 0, or -EINVAL for a CR8 value that does not exist.
 */
int kvm_x86_events_enter_run(struct kvm_x86_vcpu *vcpu)
{
	u64 cr8 = READ_ONCE(vcpu->vcpu.run->cr8);

	/* With an APIC in the kernel, CR8 is its TPR, not userspace's. */
	if (vcpu->lapic)
		return 0;
	if (cr8 > 0xf)
		return -EINVAL;
	static_call(kvm_x86_set_cr8)(vcpu, cr8);
	return 0;
}

/**
 * kvm_x86_events_leave_run() - what the run page tells after KVM_RUN
 * @vcpu: the vCPU, loaded
 */
void kvm_x86_events_leave_run(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->vcpu.run;

	run->if_flag = !!(vcpu->rflags & X86_EFLAGS_IF);
	run->cr8 = static_call(kvm_x86_get_cr8)(vcpu);
	run->apic_base = vcpu->apic_base;
	run->ready_for_interrupt_injection = kvm_x86_ready_for_interrupt(vcpu);
	run->flags = vcpu->smm.active ? KVM_RUN_X86_SMM : 0;
}

/*
 * KVM_INTERRUPT with the interrupt controller in userspace: userspace
 * calls it when the run page says the guest is ready, and the interrupt
 * is delivered at the next entry.  As upstream, a second one before that
 * replaces the first.
 */
static long kvm_x86_interrupt(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_interrupt irq;

	if (copy_from_user(&irq, argp, sizeof(irq)))
		return -EFAULT;
	if (irq.irq >= 256)
		return -EINVAL;
	/*
	 * With the split irqchip the interrupt is the ExtINT of userspace's
	 * PIC, for the local APIC to take; with all of them in the kernel,
	 * their interrupts are the only ones.
	 */
	if (vcpu->lapic) {
		if (to_kvm_x86(vcpu->vcpu.kvm)->chip)
			return -ENXIO;
		if (vcpu->extint)
			return -EEXIST;
		vcpu->extint = irq.irq + 1;
		return 0;
	}
	vcpu->interrupt = (struct kvm_x86_event) {
		.type = KVM_X86_EVENT_INTR,
		.vector = irq.irq,
	};
	return 0;
}

/* At most one NMI waits while another is being handled. */
static unsigned int kvm_x86_nmi_limit(struct kvm_x86_vcpu *vcpu)
{
	return vcpu->nmi.type || static_call(kvm_x86_get_nmi_mask)(vcpu) ?
	       1 : 2;
}

/**
 * kvm_x86_queue_nmi() - latch an NMI, delivered when the guest takes NMIs
 * @vcpu: the vCPU, loaded, in its own thread
 */
void kvm_x86_queue_nmi(struct kvm_x86_vcpu *vcpu)
{
	if (vcpu->nmi_pending < kvm_x86_nmi_limit(vcpu))
		vcpu->nmi_pending++;
}

/* KVM_NMI */
static long kvm_x86_nmi(struct kvm_x86_vcpu *vcpu)
{
	kvm_x86_queue_nmi(vcpu);
	return 0;
}

static bool is_exception(const struct kvm_x86_event *e)
{
	return e->type == KVM_X86_EVENT_EXCEPTION ||
	       e->type == KVM_X86_EVENT_SOFT_EXCEPTION;
}

/**
 * kvm_x86_get_events() - the events waiting for the guest
 * @vcpu: the vCPU, loaded
 * @ev: filled in as for KVM_GET_VCPU_EVENTS
 *
 * The slots, the latched NMIs, the NMI blocking, the interrupt shadow
 * and system management mode.  There are no SIPIs to report.  As
 * upstream, without KVM_CAP_EXCEPTION_PAYLOAD an exception about to be
 * delivered is reported as injected; with it, an exception is pending
 * until its delivery began, and carries its payload.
 */
void kvm_x86_get_events(struct kvm_x86_vcpu *vcpu, struct kvm_vcpu_events *ev)
{
	const struct kvm_x86_event *exc = &vcpu->exception;
	const struct kvm_x86_event *irq = &vcpu->interrupt;
	bool payloads = READ_ONCE(to_kvm_x86(vcpu->vcpu.kvm)->exception_payload);

	*ev = (struct kvm_vcpu_events) {
		.exception = {
			.injected = is_exception(exc),
			.nr = exc->vector,
			.has_error_code = exc->has_error,
			.error_code = exc->error,
		},
		.interrupt = {
			.injected = !!irq->type,
			.nr = irq->vector,
			.soft = irq->type == KVM_X86_EVENT_SOFT_INTR,
			.shadow = static_call(kvm_x86_get_interrupt_shadow)(vcpu),
		},
		.nmi = {
			.injected = !!vcpu->nmi.type,
			.pending = vcpu->nmi_pending,
			.masked = static_call(kvm_x86_get_nmi_mask)(vcpu),
		},
		.flags = KVM_VCPUEVENT_VALID_NMI_PENDING |
			 KVM_VCPUEVENT_VALID_SHADOW | KVM_VCPUEVENT_VALID_SMM,
	};
	kvm_smm_get_events(vcpu, ev);
	if (payloads) {
		ev->flags |= KVM_VCPUEVENT_VALID_PAYLOAD;
		ev->exception.pending = is_exception(exc) && !exc->injected;
		ev->exception.injected = is_exception(exc) && exc->injected;
		ev->exception_has_payload = exc->has_payload;
		ev->exception_payload = exc->payload;
	}
	if (READ_ONCE(to_kvm_x86(vcpu->vcpu.kvm)->triple_fault_event)) {
		ev->flags |= KVM_VCPUEVENT_VALID_TRIPLE_FAULT;
		ev->triple_fault.pending = test_bit(KVM_REQ_TRIPLE_FAULT,
						    &vcpu->vcpu.requests);
	}
}

#define VCPU_EVENTS_FLAGS	(KVM_VCPUEVENT_VALID_NMI_PENDING | \
				 KVM_VCPUEVENT_VALID_SIPI_VECTOR | \
				 KVM_VCPUEVENT_VALID_SHADOW | \
				 KVM_VCPUEVENT_VALID_SMM | \
				 KVM_VCPUEVENT_VALID_TRIPLE_FAULT | \
				 KVM_VCPUEVENT_VALID_PAYLOAD)

/**
 * kvm_x86_set_events() - set what kvm_x86_get_events() gets
 * @vcpu: the vCPU, loaded
 * @ev: as for KVM_SET_VCPU_EVENTS
 *
 * As upstream, unknown flags, exception payloads and pending exceptions
 * without KVM_CAP_EXCEPTION_PAYLOAD, triple faults without
 * KVM_CAP_X86_TRIPLE_FAULT_EVENT and exceptions that are no exceptions
 * are -EINVAL, and so is a latched INIT that cannot be.  Without
 * KVM_VCPUEVENT_VALID_PAYLOAD an exception is an injected one.
 * Latched NMIs beyond what the processor latches are dropped, as by
 * KVM_NMI.
 *
 * Return: 0 or -EINVAL.
 */
int kvm_x86_set_events(struct kvm_x86_vcpu *vcpu,
		       const struct kvm_vcpu_events *ev)
{
	bool payload = ev->flags & KVM_VCPUEVENT_VALID_PAYLOAD;
	bool exc, pending = payload && ev->exception.pending;

	if (ev->flags & ~VCPU_EVENTS_FLAGS)
		return -EINVAL;
	if (payload && !READ_ONCE(to_kvm_x86(vcpu->vcpu.kvm)->exception_payload))
		return -EINVAL;
	/* A triple fault to come, with KVM_CAP_X86_TRIPLE_FAULT_EVENT. */
	if ((ev->flags & KVM_VCPUEVENT_VALID_TRIPLE_FAULT) &&
	    !READ_ONCE(to_kvm_x86(vcpu->vcpu.kvm)->triple_fault_event))
		return -EINVAL;
	exc = ev->exception.injected || ev->exception.pending;
	if (exc && (ev->exception.nr > 31 || ev->exception.nr == X86_TRAP_NMI))
		return -EINVAL;
	if (ev->flags & KVM_VCPUEVENT_VALID_SMM &&
	    kvm_smm_set_events(vcpu, ev))
		return -EINVAL;

	vcpu->exception = (struct kvm_x86_event) {};
	if (exc)
		vcpu->exception = (struct kvm_x86_event) {
			.type = KVM_X86_EVENT_EXCEPTION,
			.vector = ev->exception.nr,
			.has_error = ev->exception.has_error_code,
			.error = ev->exception.error_code,
			.injected = !pending,
			.has_payload = pending && ev->exception_has_payload,
			.payload = ev->exception_payload,
		};
	vcpu->interrupt = (struct kvm_x86_event) {};
	if (ev->interrupt.injected)
		vcpu->interrupt = (struct kvm_x86_event) {
			.type = ev->interrupt.soft ? KVM_X86_EVENT_SOFT_INTR :
						     KVM_X86_EVENT_INTR,
			.vector = ev->interrupt.nr,
			.injected = true,
		};
	if (ev->flags & KVM_VCPUEVENT_VALID_SHADOW)
		static_call(kvm_x86_set_interrupt_shadow)(vcpu,
							  ev->interrupt.shadow);

	vcpu->nmi = (struct kvm_x86_event) {};
	if (ev->nmi.injected)
		vcpu->nmi = (struct kvm_x86_event) {
			.type = KVM_X86_EVENT_NMI,
			.vector = X86_TRAP_NMI,
		};
	static_call(kvm_x86_set_nmi_mask)(vcpu, ev->nmi.masked);
	if (ev->flags & KVM_VCPUEVENT_VALID_NMI_PENDING)
		vcpu->nmi_pending = min_t(unsigned int, ev->nmi.pending,
					  kvm_x86_nmi_limit(vcpu));
	if (ev->flags & KVM_VCPUEVENT_VALID_TRIPLE_FAULT) {
		if (ev->triple_fault.pending)
			kvm_make_request(&vcpu->vcpu, KVM_REQ_TRIPLE_FAULT);
		else
			clear_bit(KVM_REQ_TRIPLE_FAULT, &vcpu->vcpu.requests);
	}
	return 0;
}

static long kvm_x86_get_vcpu_events(struct kvm_x86_vcpu *vcpu,
				    void __user *argp)
{
	struct kvm_vcpu_events ev;

	kvm_x86_get_events(vcpu, &ev);
	return copy_to_user(argp, &ev, sizeof(ev)) ? -EFAULT : 0;
}

static long kvm_x86_set_vcpu_events(struct kvm_x86_vcpu *vcpu,
				    void __user *argp)
{
	struct kvm_vcpu_events ev;

	if (copy_from_user(&ev, argp, sizeof(ev)))
		return -EFAULT;
	return kvm_x86_set_events(vcpu, &ev);
}

/**
 * kvm_x86_events_ioctl() - the event ioctls of a vCPU
 * @vcpu: the vCPU, loaded
 * @ioctl: the ioctl
 * @argp: its argument
 *
 * Return: 0, -EFAULT, -EINVAL for a bad vector or state, or -ENOTTY for
 * another ioctl.
 */
long kvm_x86_events_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
			  void __user *argp)
{
	switch (ioctl) {
	case KVM_INTERRUPT:
		return kvm_x86_interrupt(vcpu, argp);
	case KVM_NMI:
		return kvm_x86_nmi(vcpu);
	case KVM_SMI:
		kvm_smm_raise(vcpu);
		return 0;
	case KVM_GET_VCPU_EVENTS:
		return kvm_x86_get_vcpu_events(vcpu, argp);
	case KVM_SET_VCPU_EVENTS:
		return kvm_x86_set_vcpu_events(vcpu, argp);
	default:
		return -ENOTTY;
	}
}
