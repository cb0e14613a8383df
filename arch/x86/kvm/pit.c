// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 8254 programmable interval timer of the PC (KVM_CREATE_PIT2),
 * written from the 8254 data sheet: three 16-bit counters at ports
 * 0x40-0x42 clocked at 1.193182 MHz, the control word at 0x43 (counter
 * latch and read-back included), and, with KVM_PIT_SPEAKER_DUMMY, port
 * 0x61, whose bit 0 gates counter 2 and whose bit 5 shows its output.
 *
 * The counters do not tick: their count and output are computed from the
 * time since the count was loaded.  Counter 0's output is wired to GSI 0:
 * an hrtimer raises the line (an edge) when it rises, once in modes 0 and
 * 4, every period in modes 2 and 3.
 *
 * A guest that counts ticks to keep time loses time when it does not run
 * for a while: the ticks it has not taken yet merge into one.  So by
 * default (KVM_REINJECT_CONTROL) the PIT reinjects: it counts the ticks
 * the guest has not acknowledged (the EOI of the interrupt, in the local
 * APIC for an I/O APIC pin or in the PIC) and sends the next as soon as
 * the last one is acknowledged, one at a time.  A tick that no processor
 * can receive (every input of GSI 0 masked) is not counted: a guest that
 * moved to another timer and masked the PIT's pin must not get a burst of
 * old ticks when it unmasks it.
 */
#include <linux/hrtimer.h>
#include <linux/kvm.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "x86.h"

#define PIT_HZ		1193182
#define PIT_PORT_BASE	0x40
#define PIT_PORT_CTRL	0x43
#define SPEAKER_PORT	0x61
#define PIT_MIN_PERIOD_NS	200000
/* Reinjection gives up on a guest that has not taken ticks for long. */
#define PIT_MAX_PENDING		1000000
#define RW_LATCH	0	/* rw_mode 0 in a control word: latch */
#define RW_LSB		1
#define RW_MSB		2
#define RW_WORD		3
/* read_state/write_state of a counter in RW_WORD mode: which byte next */
#define RW_WORD_MSB	4

/**
 * struct kvm_pit - the PIT of a VM
 * @kvm:	the VM
 * @lock:	protects @state, @speaker and @pending
 * @state:	the counters, in the KVM_GET/SET_PIT2 layout; count_load_time
 *		is in ns of the monotonic clock
 * @speaker:	port 0x61 is in the kernel (KVM_PIT_SPEAKER_DUMMY)
 * @reinject:	KVM_REINJECT_CONTROL's setting: reinject missed ticks
 * @armed:	counter 0 counts; under @lock, which the timer takes too
 * @pending:	with @reinject, ticks sent or to send that the guest has
 *		not acknowledged; the first of them has been sent
 * @timer:	rises counter 0's output
 */
struct kvm_pit {
	struct kvm *kvm;
	spinlock_t lock;	/* the counters */
	struct kvm_pit_state2 state;
	bool speaker;
	bool reinject;
	bool armed;
	u32 pending;
	struct hrtimer timer;
};

static u64 pit_ticks_to_ns(u64 ticks)
{
	return div_u64(ticks * NSEC_PER_SEC, PIT_HZ);
}

/* Counter ticks since the count was loaded. */
static u64 pit_ticks(const struct kvm_pit_channel_state *c)
{
	s64 ns = ktime_get_ns() - c->count_load_time;

	return ns <= 0 ? 0 : mul_u64_u32_div(ns, PIT_HZ, NSEC_PER_SEC);
}

/* A loaded count of 0 counts 65536. */
static u32 pit_count(const struct kvm_pit_channel_state *c)
{
	return c->count ?: 0x10000;
}

static u16 pit_current(const struct kvm_pit_channel_state *c)
{
	u64 t = pit_ticks(c);
	u32 n = pit_count(c);

	switch (c->mode) {
	case 2:
		return n - do_div(t, n);
	case 3:
		t *= 2;
		return (n - do_div(t, n)) & 0xfffe;
	default:
		return (n - t) & 0xffff;
	}
}

static bool pit_output(const struct kvm_pit_channel_state *c)
{
	u64 t = pit_ticks(c);
	u32 n = pit_count(c);

	switch (c->mode) {
	case 0:
	case 1:
		return t >= n;
	case 3:
		return do_div(t, n) < (n + 1) / 2;
	default:
		return true;	/* modes 2, 4, 5: low for one tick only */
	}
}

/*
 * (Re)arm counter 0's timer for its mode and count, or stop it.  The
 * timer may be running its callback on another CPU, where cancelling
 * fails; pit_timer_fn() then sees the change under the lock.
 */
static void pit_arm(struct kvm_pit *pit)
{
	struct kvm_pit_channel_state *c = &pit->state.channels[0];
	u64 ns = pit_ticks_to_ns(pit_count(c));

	hrtimer_try_to_cancel(&pit->timer);
	pit->armed = c->mode == 0 || c->mode == 2 || c->mode == 3 ||
		     c->mode == 4;
	if (pit->armed)
		hrtimer_start(&pit->timer,
			      ns_to_ktime(c->count_load_time + ns),
			      HRTIMER_MODE_ABS_HARD);
}

static void pit_stop(struct kvm_pit *pit)
{
	hrtimer_try_to_cancel(&pit->timer);
	pit->armed = false;
	pit->pending = 0;
}

/* A tick: an edge on GSI 0. */
static void pit_send(struct kvm_pit *pit)
{
	kvm_irq_set(pit->kvm, KVM_PIT_GSI, true);
	kvm_irq_set(pit->kvm, KVM_PIT_GSI, false);
}

/* Counter 0's output rose @n times since it last looked. */
static void pit_ticks_due(struct kvm_pit *pit, u64 n)
{
	bool masked, send = true;
	unsigned long flags;

	if (!READ_ONCE(pit->reinject)) {
		pit_send(pit);
		return;
	}
	masked = kvm_irq_gsi_masked(pit->kvm, KVM_PIT_GSI);
	spin_lock_irqsave(&pit->lock, flags);
	if (masked) {
		pit->pending = 0;
	} else {
		/* Only the first goes now; the others wait for its EOI. */
		send = !pit->pending;
		pit->pending = min_t(u64, pit->pending + n, PIT_MAX_PENDING);
	}
	spin_unlock_irqrestore(&pit->lock, flags);
	if (send)
		pit_send(pit);
}

/**
 * kvm_pit_awaits_ack() - does the PIT wait for the EOI of a tick?
 * @kvm: the VM
 *
 * Only then does kvm_pit_acked() need to hear of the EOIs of GSI 0.
 *
 * Return: true if it holds back ticks to reinject.
 */
bool kvm_pit_awaits_ack(struct kvm *kvm)
{
	struct kvm_pit *pit = READ_ONCE(to_kvm_x86(kvm)->pit);

	return pit && READ_ONCE(pit->pending);
}

/**
 * kvm_pit_acked() - the guest ended an interrupt of GSI 0
 * @kvm: the VM
 *
 * Sends the next pending tick, if there is one, right away: the guest
 * takes it when it is ready for it.  Callable from any context without
 * the irqchip's locks, which sending takes.
 */
void kvm_pit_acked(struct kvm *kvm)
{
	struct kvm_pit *pit = READ_ONCE(to_kvm_x86(kvm)->pit);
	unsigned long flags;
	bool more;

	if (!pit)
		return;
	spin_lock_irqsave(&pit->lock, flags);
	if (pit->pending)
		pit->pending--;
	more = pit->pending;
	spin_unlock_irqrestore(&pit->lock, flags);
	if (more)
		pit_send(pit);
}

static enum hrtimer_restart pit_timer_fn(struct hrtimer *t)
{
	struct kvm_pit *pit = container_of(t, struct kvm_pit, timer);
	struct kvm_pit_channel_state *c = &pit->state.channels[0];
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	u64 period, n = 1;
	bool fire;

	/*
	 * The counter may have been stopped, or loaded and the timer started
	 * again, while this expiry waited for the lock: then this edge is
	 * stale, and a queued timer must not be forwarded.  A periodic
	 * counter is never faster than the host can take: an hrtimer is not
	 * throttled by the scheduler, and a slow host spends all its time in
	 * it.  At least 200 us apart, as the APIC timer and upstream's PIT.
	 * Periods this expiry comes late for are ticks missed too.
	 */
	spin_lock(&pit->lock);
	fire = pit->armed && !hrtimer_is_queued(t);
	if (fire && (c->mode == 2 || c->mode == 3)) {
		period = max_t(u64, PIT_MIN_PERIOD_NS,
			       pit_ticks_to_ns(pit_count(c)));
		n = hrtimer_forward_now(t, ns_to_ktime(period));
		ret = HRTIMER_RESTART;
	} else if (fire) {
		pit->armed = false;
	}
	spin_unlock(&pit->lock);

	if (fire)
		pit_ticks_due(pit, n);
	return ret;
}

static void pit_load(struct kvm_pit *pit, int n, u32 count)
{
	struct kvm_pit_channel_state *c = &pit->state.channels[n];

	/*
	 * KVM_GET_PIT2 reports a loaded 0 as the 65536 it counts, as
	 * upstream's does: QEMU divides by the count it reads back.
	 */
	c->count = count ?: 0x10000;
	c->count_load_time = ktime_get_ns();
	if (n == 0) {
		pit->pending = 0;
		pit_arm(pit);
	}
}

static void pit_latch(struct kvm_pit_channel_state *c)
{
	if (c->count_latched)
		return;
	c->latched_count = pit_current(c);
	c->count_latched = c->rw_mode;
}

/* The control word: a mode for one counter, a latch, or a read-back. */
static void pit_control(struct kvm_pit *pit, u8 val)
{
	unsigned int n = val >> 6, rw = (val >> 4) & 3, i;
	struct kvm_pit_channel_state *c;

	if (n == 3) {
		/* Read-back: bits 1-3 pick counters, 4 status, 5 count. */
		for (i = 0; i < 3; i++) {
			c = &pit->state.channels[i];
			if (!(val & BIT(i + 1)))
				continue;
			if (!(val & BIT(5)))
				pit_latch(c);
			if (!(val & BIT(4)) && !c->status_latched) {
				c->status = (pit_output(c) << 7) |
					    (c->rw_mode << 4) | (c->mode << 1) |
					    c->bcd;
				c->status_latched = 1;
			}
		}
		return;
	}
	c = &pit->state.channels[n];
	if (rw == RW_LATCH) {
		pit_latch(c);
		return;
	}
	c->rw_mode = rw;
	c->read_state = rw;
	c->write_state = rw;
	c->mode = (val >> 1) & 7;
	if (c->mode > 5)
		c->mode -= 4;	/* 6 and 7 are 2 and 3 */
	c->bcd = val & 1;
	/* A new mode stops counter 0 until a count is written. */
	if (n == 0)
		pit_stop(pit);
}

static void pit_write_counter(struct kvm_pit *pit, int n, u8 val)
{
	struct kvm_pit_channel_state *c = &pit->state.channels[n];

	switch (c->write_state) {
	case RW_LSB:
		pit_load(pit, n, val);
		break;
	case RW_MSB:
		pit_load(pit, n, val << 8);
		break;
	case RW_WORD:
		c->write_latch = val;
		c->write_state = RW_WORD_MSB;
		break;
	case RW_WORD_MSB:
		pit_load(pit, n, c->write_latch | (val << 8));
		c->write_state = RW_WORD;
		break;
	}
}

static u8 pit_read_counter(struct kvm_pit *pit, int n)
{
	struct kvm_pit_channel_state *c = &pit->state.channels[n];
	u16 v;

	if (c->status_latched) {
		c->status_latched = 0;
		return c->status;
	}
	if (c->count_latched) {
		v = c->latched_count;
		switch (c->count_latched) {
		case RW_MSB:
			c->count_latched = 0;
			return v >> 8;
		case RW_WORD:
			c->count_latched = RW_WORD_MSB;
			return v;
		case RW_WORD_MSB:
			c->count_latched = 0;
			return v >> 8;
		default:
			c->count_latched = 0;
			return v;
		}
	}
	v = pit_current(c);
	switch (c->read_state) {
	case RW_MSB:
		return v >> 8;
	case RW_WORD:
		c->read_state = RW_WORD_MSB;
		return v;
	case RW_WORD_MSB:
		c->read_state = RW_WORD;
		return v >> 8;
	default:
		return v;
	}
}

/* Port 0x61: gate 2 and speaker data in, output 2 and refresh out. */
static u8 pit_speaker(struct kvm_pit *pit, bool in, u8 val)
{
	struct kvm_pit_channel_state *c = &pit->state.channels[2];
	bool gate = val & 1;

	if (in)
		/* Bit 4 toggles every 15 us (the refresh request). */
		return c->gate | (pit->state.flags &
				  KVM_PIT_FLAGS_SPEAKER_DATA_ON ? 2 : 0) |
		       ((ktime_get_ns() / 15000) & 1) << 4 |
		       pit_output(c) << 5;
	/* A rising gate starts counting again (modes 1, 2, 3, 5). */
	if (gate && !c->gate)
		c->count_load_time = ktime_get_ns();
	c->gate = gate;
	if (val & 2)
		pit->state.flags |= KVM_PIT_FLAGS_SPEAKER_DATA_ON;
	else
		pit->state.flags &= ~KVM_PIT_FLAGS_SPEAKER_DATA_ON;
	return 0;
}

/**
 * kvm_pit_pio() - a port access that may be the PIT's
 * @kvm: the VM
 * @port: the port
 * @size: 1, 2 or 4 bytes
 * @in: a read
 * @val: the byte written, or where the byte read goes
 *
 * Return: true if the PIT took the access.
 */
bool kvm_pit_pio(struct kvm *kvm, u16 port, u8 size, bool in, u8 *val)
{
	struct kvm_pit *pit = to_kvm_x86(kvm)->pit;
	unsigned long flags;

	if (!pit || size != 1)
		return false;
	if (port == SPEAKER_PORT) {
		if (!pit->speaker)
			return false;
	} else if (port < PIT_PORT_BASE || port > PIT_PORT_CTRL) {
		return false;
	}
	spin_lock_irqsave(&pit->lock, flags);
	if (port == SPEAKER_PORT)
		*val = pit_speaker(pit, in, *val);
	else if (port == PIT_PORT_CTRL && in)
		*val = 0xff;	/* the control word cannot be read */
	else if (port == PIT_PORT_CTRL)
		pit_control(pit, *val);
	else if (in)
		*val = pit_read_counter(pit, port - PIT_PORT_BASE);
	else
		pit_write_counter(pit, port - PIT_PORT_BASE, *val);
	spin_unlock_irqrestore(&pit->lock, flags);
	return true;
}

static void pit_reset(struct kvm_pit *pit)
{
	int i;

	memset(&pit->state, 0, sizeof(pit->state));
	for (i = 0; i < 3; i++) {
		struct kvm_pit_channel_state *c = &pit->state.channels[i];

		c->mode = 0xff;		/* not programmed: counts nothing */
		c->gate = i != 2;	/* counter 2's gate is port 0x61's */
		c->count = 0x10000;
	}
}

/* KVM_CREATE_PIT2: after KVM_CREATE_IRQCHIP (-ENOENT), once (-EEXIST). */
static long kvm_pit_create(struct kvm *kvm, u32 flags)
{
	struct kvm_x86 *kx = to_kvm_x86(kvm);
	struct kvm_pit *pit;
	long ret = 0;

	pit = kzalloc(sizeof(*pit), GFP_KERNEL_ACCOUNT);
	if (!pit)
		return -ENOMEM;
	pit->kvm = kvm;
	pit->speaker = flags & KVM_PIT_SPEAKER_DUMMY;
	pit->reinject = true;
	spin_lock_init(&pit->lock);
	hrtimer_init(&pit->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	pit->timer.function = pit_timer_fn;
	pit_reset(pit);

	mutex_lock(&kvm->lock);
	if (kx->pit)
		ret = -EEXIST;
	else if (!kx->chip)
		ret = -ENOENT;
	else
		WRITE_ONCE(kx->pit, pit);
	mutex_unlock(&kvm->lock);
	if (ret)
		kfree(pit);
	return ret;
}

/* KVM_GET_PIT2 and KVM_SET_PIT2, and the older KVM_GET/SET_PIT. */
static long kvm_pit_state(struct kvm *kvm, void __user *argp, bool set,
			  size_t size)
{
	struct kvm_pit *pit = to_kvm_x86(kvm)->pit;
	struct kvm_pit_state2 state = {};
	unsigned long flags;
	int i;

	if (!pit)
		return -ENXIO;
	if (!set) {
		spin_lock_irqsave(&pit->lock, flags);
		state = pit->state;
		spin_unlock_irqrestore(&pit->lock, flags);
		return copy_to_user(argp, &state, size) ? -EFAULT : 0;
	}
	if (copy_from_user(&state, argp, size))
		return -EFAULT;
	spin_lock_irqsave(&pit->lock, flags);
	if (size < sizeof(state))
		state.flags = pit->state.flags;
	for (i = 0; i < 3; i++) {
		struct kvm_pit_channel_state *c = &state.channels[i];

		/* Counts restart now, as upstream's. */
		c->count = min_t(u32, c->count, 0x10000);
		c->count_load_time = ktime_get_ns();
		c->read_state &= 7;
		c->write_state &= 7;
	}
	pit->state = state;
	pit->pending = 0;
	pit_arm(pit);
	spin_unlock_irqrestore(&pit->lock, flags);
	return 0;
}

static long kvm_pit_reinject(struct kvm *kvm, void __user *argp)
{
	struct kvm_pit *pit = to_kvm_x86(kvm)->pit;
	struct kvm_reinject_control rc;
	unsigned long flags;

	if (copy_from_user(&rc, argp, sizeof(rc)))
		return -EFAULT;
	if (!pit)
		return -ENXIO;
	spin_lock_irqsave(&pit->lock, flags);
	WRITE_ONCE(pit->reinject, rc.pit_reinject);
	pit->pending = 0;
	spin_unlock_irqrestore(&pit->lock, flags);
	return 0;
}

/**
 * kvm_pit_vm_ioctl() - the VM ioctls of the PIT
 * @kvm: the VM
 * @ioctl: the ioctl
 * @argp: its argument
 *
 * Return: 0, -EEXIST for a second PIT, -ENOENT for one without the
 * in-kernel irqchip, -ENXIO for state of a PIT that does not exist,
 * -EFAULT, or -ENOTTY for another ioctl.
 */
long kvm_pit_vm_ioctl(struct kvm *kvm, unsigned int ioctl, void __user *argp)
{
	struct kvm_pit_config config;

	switch (ioctl) {
	case KVM_CREATE_PIT2:
		if (copy_from_user(&config, argp, sizeof(config)))
			return -EFAULT;
		return kvm_pit_create(kvm, config.flags);
	case KVM_CREATE_PIT:
		/* The old one always had the speaker port. */
		return kvm_pit_create(kvm, KVM_PIT_SPEAKER_DUMMY);
	case KVM_GET_PIT2:
	case KVM_SET_PIT2:
		return kvm_pit_state(kvm, argp, ioctl == KVM_SET_PIT2,
				     sizeof(struct kvm_pit_state2));
	case KVM_GET_PIT:
	case KVM_SET_PIT:
		return kvm_pit_state(kvm, argp, ioctl == KVM_SET_PIT,
				     sizeof(struct kvm_pit_state));
	case KVM_REINJECT_CONTROL:
		return kvm_pit_reinject(kvm, argp);
	default:
		return -ENOTTY;
	}
}

/**
 * kvm_pit_stop() - stop the PIT of a dying VM from sending interrupts
 * @kvm: the VM, whose vCPUs are about to go
 */
void kvm_pit_stop(struct kvm *kvm)
{
	struct kvm_pit *pit = to_kvm_x86(kvm)->pit;

	if (pit)
		hrtimer_cancel(&pit->timer);
}

/**
 * kvm_pit_destroy() - free the PIT of a VM
 * @kvm: the VM, stopped with kvm_pit_stop()
 */
void kvm_pit_destroy(struct kvm *kvm)
{
	kfree(to_kvm_x86(kvm)->pit);
}
