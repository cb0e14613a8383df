// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hyper-V's synthetic interrupt controller (SynIC) and synthetic timers,
 * as the TLFS defines them ("Inter-Partition Communication", "Timers").
 *
 * A vCPU has a SynIC once userspace enables KVM_CAP_HYPERV_SYNIC or
 * KVM_CAP_HYPERV_SYNIC2 on it, which needs the in-kernel APIC.  The SynIC
 * has sixteen synthetic interrupt sources (SINTs), each an APIC vector
 * with a mask and an auto-EOI bit, and a message page and an event flags
 * page in guest memory.  A SINT is raised through a
 * KVM_IRQ_ROUTING_HV_SINT route (an irqfd, KVM_IRQ_LINE) or by a timer,
 * and arrives as a fixed interrupt at the vCPU's APIC; with auto-EOI the
 * APIC does not keep it in service.  The guest's writes of SCONTROL,
 * SIEFP and SIMP also go to userspace (KVM_EXIT_HYPERV_SYNIC), which may
 * post messages and events itself, as QEMU's VMBus does.
 *
 * Each SynIC has four timers counting reference time (100 ns units, the
 * HV_X64_MSR_TIME_REF_COUNT clock): one-shot at an absolute time, or
 * periodic.  On expiry a timer sends its own APIC vector (direct mode),
 * or posts an HVMSG_TIMER_EXPIRED message into its SINT's slot of the
 * message page and raises the SINT.  A slot that still holds a message
 * gets the pending flag instead, and the guest's EOM write retries.  The
 * hrtimer only marks the timer and kicks the vCPU: its thread writes the
 * message, as guest memory may fault.
 */
#include <linux/hrtimer.h>
#include <linux/kvm.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/apicdef.h>
#include <asm/hyperv-tlfs.h>

#include "x86.h"
#include "lapic.h"

/* HV_X64_MSR_STIMERn_CONFIG (TLFS "Synthetic Timer Configuration"). */
#define STIMER_ENABLE		BIT_ULL(0)
#define STIMER_PERIODIC		BIT_ULL(1)
#define STIMER_AUTO_ENABLE	BIT_ULL(3)
#define STIMER_VECTOR(c)	(((c) >> 4) & 0xff)
#define STIMER_DIRECT		BIT_ULL(12)
#define STIMER_SINT(c)		(((c) >> 16) & 0xf)
#define STIMER_CONFIG_VALID	(GENMASK_ULL(12, 0) | GENMASK_ULL(19, 16))

#define SINT_VALID		GENMASK_ULL(18, 0)
#define SINT_POLLING		BIT_ULL(18)

/**
 * struct kvm_hv_stimer - one synthetic timer
 * @timer:	expires at @expires
 * @synic:	the SynIC it belongs to
 * @config:	HV_X64_MSR_STIMERn_CONFIG
 * @count:	HV_X64_MSR_STIMERn_COUNT: the expiry, or the period
 * @expires:	reference time of the expiry waited for, or being delivered
 * @undelivered: expired, the message not posted yet (its slot was busy)
 */
struct kvm_hv_stimer {
	struct hrtimer timer;
	struct kvm_hv_synic *synic;
	u64 config;
	u64 count;
	u64 expires;
	bool undelivered;
};

/**
 * struct kvm_hv_synic - a vCPU's SynIC
 * @vcpu:	the vCPU
 * @v2:	KVM_CAP_HYPERV_SYNIC2: enabling a page does not clear it
 * @control:	HV_X64_MSR_SCONTROL
 * @evt_page:	HV_X64_MSR_SIEFP
 * @msg_page:	HV_X64_MSR_SIMP
 * @sint:	HV_X64_MSR_SINT0 to SINT15
 * @auto_eoi:	vectors of unmasked auto-EOI SINTs
 * @expired:	timers whose hrtimer fired, for the vCPU's thread
 * @stimer:	the four timers
 */
struct kvm_hv_synic {
	struct kvm_x86_vcpu *vcpu;
	bool v2;
	u64 control;
	u64 evt_page;
	u64 msg_page;
	u64 sint[HV_SYNIC_SINT_COUNT];
	DECLARE_BITMAP(auto_eoi, 256);
	unsigned long expired;
	struct kvm_hv_stimer stimer[HV_SYNIC_STIMER_COUNT];
};

static enum hrtimer_restart stimer_fired(struct hrtimer *t)
{
	struct kvm_hv_stimer *st = container_of(t, struct kvm_hv_stimer, timer);
	struct kvm_hv_synic *synic = st->synic;

	set_bit(st - synic->stimer, &synic->expired);
	kvm_make_request(&synic->vcpu->vcpu, KVM_REQ_HV_STIMER);
	return HRTIMER_NORESTART;
}

/**
 * kvm_hv_synic_enable() - KVM_ENABLE_CAP(KVM_CAP_HYPERV_SYNIC[2])
 * @vcpu: the vCPU, not running
 * @v2: KVM_CAP_HYPERV_SYNIC2
 *
 * Return: 0, -EINVAL without the in-kernel APIC, or -ENOMEM.
 */
int kvm_hv_synic_enable(struct kvm_x86_vcpu *vcpu, bool v2)
{
	struct kvm_hv_synic *synic = vcpu->hv.synic;
	int i;

	if (!vcpu->lapic)
		return -EINVAL;
	if (!synic) {
		synic = kzalloc(sizeof(*synic), GFP_KERNEL_ACCOUNT);
		if (!synic)
			return -ENOMEM;
		synic->vcpu = vcpu;
		for (i = 0; i < HV_SYNIC_SINT_COUNT; i++)
			synic->sint[i] = HV_SYNIC_SINT_MASKED;
		for (i = 0; i < HV_SYNIC_STIMER_COUNT; i++) {
			hrtimer_init(&synic->stimer[i].timer, CLOCK_MONOTONIC,
				     HRTIMER_MODE_ABS_HARD);
			synic->stimer[i].timer.function = stimer_fired;
			synic->stimer[i].synic = synic;
		}
		/* Routes on other threads look for it: publish it whole. */
		smp_store_release(&vcpu->hv.synic, synic);
	}
	synic->v2 = v2;
	return 0;
}

/**
 * kvm_hv_synic_destroy() - stop the timers and free the SynIC
 * @vcpu: the vCPU, going away
 */
void kvm_hv_synic_destroy(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_hv_synic *synic = vcpu->hv.synic;
	int i;

	if (!synic)
		return;
	for (i = 0; i < HV_SYNIC_STIMER_COUNT; i++)
		hrtimer_cancel(&synic->stimer[i].timer);
	kfree(synic);
	vcpu->hv.synic = NULL;
}

/* Raise SINT @n: its vector to the APIC, unless masked or off. */
static bool synic_raise(struct kvm_hv_synic *synic, unsigned int n)
{
	u64 sint = READ_ONCE(synic->sint[n]);
	struct kvm_lapic_irq irq = {
		.vector = sint & HV_SYNIC_SINT_VECTOR_MASK,
		.mode = APIC_DELIVERY_MODE_FIXED,
	};

	if (!(READ_ONCE(synic->control) & HV_SYNIC_CONTROL_ENABLE) ||
	    (sint & HV_SYNIC_SINT_MASKED) ||
	    irq.vector < HV_SYNIC_FIRST_VALID_VECTOR)
		return false;
	return kvm_lapic_deliver(synic->vcpu, &irq);
}

/**
 * kvm_hv_synic_set_irq() - a KVM_IRQ_ROUTING_HV_SINT route fires
 * @kvm: the VM
 * @vp: the target's VP index
 * @sint: the SINT
 *
 * Callable from any context.
 *
 * Return: 1 if the APIC took the interrupt, 0 if it did not, -1 if there
 * is no such SynIC.
 */
int kvm_hv_synic_set_irq(struct kvm *kvm, u32 vp, u32 sint)
{
	struct kvm_vcpu *v;
	unsigned long i;

	if (sint >= HV_SYNIC_SINT_COUNT)
		return -1;
	xa_for_each(&kvm->vcpus, i, v) {
		struct kvm_x86_vcpu *vcpu = to_x86_vcpu(v);
		/* Pairs with the release in kvm_hv_synic_enable(). */
		struct kvm_hv_synic *synic = smp_load_acquire(&vcpu->hv.synic);

		if (READ_ONCE(vcpu->hv.vp_index) == vp && synic)
			return synic_raise(synic, sint);
	}
	return -1;
}

/**
 * kvm_hv_synic_auto_eoi() - is @vector an auto-EOI SINT's?
 * @vcpu: the vCPU whose APIC injects @vector
 * @vector: the vector
 *
 * Return: true if the APIC should not keep it in service.
 */
bool kvm_hv_synic_auto_eoi(struct kvm_x86_vcpu *vcpu, int vector)
{
	struct kvm_hv_synic *synic = vcpu->hv.synic;

	return synic && test_bit(vector, synic->auto_eoi);
}

static void synic_update_auto_eoi(struct kvm_hv_synic *synic)
{
	DECLARE_BITMAP(map, 256) = {};
	unsigned int i;

	for (i = 0; i < HV_SYNIC_SINT_COUNT; i++) {
		u64 sint = synic->sint[i];

		if ((sint & HV_SYNIC_SINT_AUTO_EOI) &&
		    !(sint & HV_SYNIC_SINT_MASKED))
			__set_bit(sint & HV_SYNIC_SINT_VECTOR_MASK, map);
	}
	bitmap_copy(synic->auto_eoi, map, 256);
}

/*
 * Post @msg into SINT @n's slot of the message page and raise the SINT
 * (a masked SINT stays quiet; the message is there when the guest looks).
 * Return: 0, -EAGAIN if the slot holds a message (now flagged pending:
 * the guest writes EOM when it frees the slot), or -ENOENT if messages
 * are off.
 */
static int synic_post(struct kvm_hv_synic *synic, unsigned int n,
		      struct hv_message *msg)
{
	struct kvm *kvm = synic->vcpu->vcpu.kvm;
	gpa_t slot = (synic->msg_page & PAGE_MASK) + n * sizeof(*msg);
	struct hv_message_header head;

	if (!(synic->control & HV_SYNIC_CONTROL_ENABLE) ||
	    !(synic->msg_page & HV_SYNIC_SIMP_ENABLE))
		return -ENOENT;
	if (kvm_x86_read_guest_as(kvm, 0, slot, &head, sizeof(head)))
		return -ENOENT;
	if (head.message_type != HVMSG_NONE) {
		head.message_flags.msg_pending = 1;
		kvm_x86_write_guest(kvm, slot, &head, sizeof(head));
		return -EAGAIN;
	}
	if (kvm_x86_write_guest(kvm, slot, msg, sizeof(*msg)))
		return -ENOENT;
	synic_raise(synic, n);
	return 0;
}

/* Start @st's hrtimer for its expiry, @now being the reference time. */
static void stimer_start(struct kvm_hv_stimer *st, u64 now)
{
	u64 delta = st->expires > now ? st->expires - now : 0;

	hrtimer_start(&st->timer, ktime_add_ns(ktime_get(), delta * 100),
		      HRTIMER_MODE_ABS_HARD);
}

/* Arm @st for its next expiry, from @now (reference time). */
static void stimer_arm(struct kvm_hv_stimer *st, u64 now)
{
	hrtimer_cancel(&st->timer);
	clear_bit(st - st->synic->stimer, &st->synic->expired);
	st->undelivered = false;
	if (!(st->config & STIMER_ENABLE))
		return;
	if (st->config & STIMER_PERIODIC) {
		if (!st->count) {
			st->config &= ~STIMER_ENABLE;
			return;
		}
		st->expires = now + st->count;
	} else {
		st->expires = st->count;
	}
	stimer_start(st, now);
}

/*
 * Deliver @st's expiry.  Return: false if its message has to wait for
 * the guest's EOM.
 */
static bool stimer_deliver(struct kvm_hv_stimer *st, u64 now)
{
	struct kvm_hv_synic *synic = st->synic;
	struct hv_message msg = {};
	struct hv_timer_message_payload *p = (void *)msg.u.payload;
	struct kvm_lapic_irq irq = {
		.vector = STIMER_VECTOR(st->config),
		.mode = APIC_DELIVERY_MODE_FIXED,
	};

	if (st->config & STIMER_DIRECT) {
		kvm_lapic_deliver(synic->vcpu, &irq);
		return true;
	}
	msg.header.message_type = HVMSG_TIMER_EXPIRED;
	msg.header.payload_size = sizeof(*p);
	p->timer_index = st - synic->stimer;
	p->expiration_time = st->expires;
	p->delivery_time = now;
	return synic_post(synic, STIMER_SINT(st->config), &msg) != -EAGAIN;
}

/* After a delivered expiry: a periodic timer goes on, a one-shot stops. */
static void stimer_next(struct kvm_hv_stimer *st, u64 now)
{
	st->undelivered = false;
	if (!(st->config & STIMER_PERIODIC)) {
		st->config &= ~STIMER_ENABLE;
		return;
	}
	/* Missed periods are not made up: the next is in the future. */
	st->expires += st->count;
	if (st->expires <= now)
		st->expires = now + st->count;
	stimer_start(st, now);
}

/**
 * kvm_hv_stimer_expire() - deliver the timers that expired
 * @vcpu: the vCPU, in its own thread (KVM_REQ_HV_STIMER)
 */
void kvm_hv_stimer_expire(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_hv_synic *synic = vcpu->hv.synic;
	u64 now;
	int i;

	if (!synic)
		return;
	now = kvm_hv_ref_time(vcpu);
	for (i = 0; i < HV_SYNIC_STIMER_COUNT; i++) {
		struct kvm_hv_stimer *st = &synic->stimer[i];

		if (test_and_clear_bit(i, &synic->expired))
			st->undelivered = true;
		if (!st->undelivered || !(st->config & STIMER_ENABLE))
			continue;
		if (stimer_deliver(st, now))
			stimer_next(st, now);
	}
}

/**
 * kvm_hv_synic_pending() - must a halted vCPU wake for its timers?
 * @vcpu: the vCPU
 *
 * Return: true if a timer expired since its thread last looked.
 */
bool kvm_hv_synic_pending(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_hv_synic *synic = READ_ONCE(vcpu->hv.synic);

	return synic && READ_ONCE(synic->expired);
}

/**
 * kvm_hv_synic_fill_exit() - describe the SynIC for KVM_EXIT_HYPERV_SYNIC
 * @vcpu: the vCPU, whose guest wrote SCONTROL, SIEFP or SIMP
 * @exit: the run page's part for the exit
 */
void kvm_hv_synic_fill_exit(struct kvm_x86_vcpu *vcpu,
			    struct kvm_hyperv_exit *exit)
{
	struct kvm_hv_synic *synic = vcpu->hv.synic;

	exit->u.synic.control = synic->control;
	exit->u.synic.evt_page = synic->evt_page;
	exit->u.synic.msg_page = synic->msg_page;
}

/* The guest turned a page on: SynIC (1) clears it, SynIC2 does not. */
static void synic_page_on(struct kvm_hv_synic *synic, u64 old, u64 val)
{
	if (synic->v2 || !(val & 1) || (old & 1))
		return;
	kvm_x86_write_guest(synic->vcpu->vcpu.kvm, val & PAGE_MASK,
			    page_address(ZERO_PAGE(0)), PAGE_SIZE);
}

/**
 * kvm_hv_synic_get_msr() - read a SynIC or synthetic timer MSR
 * @vcpu: the vCPU
 * @msr: HV_X64_MSR_SCONTROL to the last SINT, or a timer's
 * @data: the value
 * @host: for userspace rather than the guest
 *
 * Without a SynIC userspace reads 0, as it may save every MSR that
 * KVM_GET_MSR_INDEX_LIST lists.
 *
 * Return: 0, or -EINVAL for the guest without a SynIC.
 */
int kvm_hv_synic_get_msr(struct kvm_x86_vcpu *vcpu, u32 msr, u64 *data,
			 bool host)
{
	struct kvm_hv_synic *synic = vcpu->hv.synic;

	if (!synic) {
		*data = 0;
		return host ? 0 : -EINVAL;
	}
	switch (msr) {
	case HV_X64_MSR_SCONTROL:
		*data = synic->control;
		break;
	case HV_X64_MSR_SVERSION:
		*data = HV_SYNIC_VERSION_1;
		break;
	case HV_X64_MSR_SIEFP:
		*data = synic->evt_page;
		break;
	case HV_X64_MSR_SIMP:
		*data = synic->msg_page;
		break;
	case HV_X64_MSR_EOM:
		*data = 0;
		break;
	case HV_X64_MSR_SINT0 ... HV_X64_MSR_SINT15:
		*data = synic->sint[msr - HV_X64_MSR_SINT0];
		break;
	case HV_X64_MSR_STIMER0_CONFIG ... HV_X64_MSR_STIMER3_COUNT:
		if ((msr - HV_X64_MSR_STIMER0_CONFIG) & 1)
			*data = synic->stimer[(msr - HV_X64_MSR_STIMER0_CONFIG) / 2].count;
		else
			*data = synic->stimer[(msr - HV_X64_MSR_STIMER0_CONFIG) / 2].config;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int stimer_set_msr(struct kvm_x86_vcpu *vcpu, struct kvm_hv_stimer *st,
			  bool count, u64 data, bool host)
{
	if (count) {
		st->count = data;
		/* A count turns an auto-enable timer on; 0 stops a one-shot. */
		if (!host && (st->config & STIMER_AUTO_ENABLE) && data)
			st->config |= STIMER_ENABLE;
	} else {
		if (data & ~STIMER_CONFIG_VALID)
			return -EINVAL;
		if (!host && (data & STIMER_DIRECT) && vcpu->hv.enforce_cpuid &&
		    !(vcpu->hv.features[2] & HV_STIMER_DIRECT_MODE_AVAILABLE))
			return -EINVAL;
		st->config = data;
		/* A message timer without a SINT cannot be on (TLFS). */
		if (!(data & STIMER_DIRECT) && !STIMER_SINT(data))
			st->config &= ~STIMER_ENABLE;
	}
	if (!(st->config & STIMER_PERIODIC) && !st->count)
		st->config &= ~STIMER_ENABLE;
	stimer_arm(st, kvm_hv_ref_time(vcpu));
	return 0;
}

/**
 * kvm_hv_synic_set_msr() - write a SynIC or synthetic timer MSR
 * @vcpu: the vCPU, in its thread
 * @msr: HV_X64_MSR_SCONTROL to the last SINT, or a timer's
 * @data: the value
 * @host: for userspace rather than the guest
 *
 * Without a SynIC userspace may write 0, restoring what it read.
 *
 * Return: 0, or -EINVAL without a SynIC or for a value the guest may
 * not write.
 */
int kvm_hv_synic_set_msr(struct kvm_x86_vcpu *vcpu, u32 msr, u64 data,
			 bool host)
{
	struct kvm_hv_synic *synic = vcpu->hv.synic;
	unsigned int i;

	if (!synic)
		return host && !data ? 0 : -EINVAL;
	switch (msr) {
	case HV_X64_MSR_SCONTROL:
		WRITE_ONCE(synic->control, data);
		break;
	case HV_X64_MSR_SVERSION:
		return host ? 0 : -EINVAL;
	case HV_X64_MSR_SIEFP:
		if (!host)
			synic_page_on(synic, synic->evt_page, data);
		synic->evt_page = data;
		break;
	case HV_X64_MSR_SIMP:
		if (!host)
			synic_page_on(synic, synic->msg_page, data);
		synic->msg_page = data;
		break;
	case HV_X64_MSR_EOM:
		/* A slot may be free now: retry the waiting messages. */
		kvm_hv_stimer_expire(vcpu);
		return 0;
	case HV_X64_MSR_SINT0 ... HV_X64_MSR_SINT15:
		if (data & ~SINT_VALID)
			return -EINVAL;
		if (!host && !(data & HV_SYNIC_SINT_MASKED) &&
		    (data & HV_SYNIC_SINT_VECTOR_MASK) <
		    HV_SYNIC_FIRST_VALID_VECTOR)
			return -EINVAL;
		WRITE_ONCE(synic->sint[msr - HV_X64_MSR_SINT0], data);
		synic_update_auto_eoi(synic);
		return 0;
	case HV_X64_MSR_STIMER0_CONFIG ... HV_X64_MSR_STIMER3_COUNT:
		i = msr - HV_X64_MSR_STIMER0_CONFIG;
		return stimer_set_msr(vcpu, &synic->stimer[i / 2], i & 1, data,
				      host);
	default:
		return -EINVAL;
	}
	/* SCONTROL, SIEFP and SIMP: userspace hears of the guest's writes. */
	if (!host)
		kvm_hv_exit_later(vcpu, KVM_EXIT_HYPERV_SYNIC, msr);
	return 0;
}
