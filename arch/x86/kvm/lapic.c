// SPDX-License-Identifier: GPL-2.0-only
/*
 * The local APIC, emulated in the kernel (SDM vol. 3A, chapter 11).
 *
 * Each vCPU of a VM with an in-kernel interrupt controller has one.  The
 * guest reaches it through the xAPIC page (MMIO exits the emulator turns
 * into kvm_lapic_mmio()) or, in x2APIC mode, through MSRs 0x800-0x8ff.
 * Registers live in a copy of the APIC page, the layout KVM_GET_LAPIC
 * and KVM_SET_LAPIC use, so save and restore are a copy.
 *
 * Interrupts arrive from any thread (IPIs of other vCPUs, MSIs, the I/O
 * APIC) and from the timer's hrtimer: they set IRR under the APIC's lock
 * and kick the vCPU.  Before each entry the vCPU's thread moves the
 * highest IRR vector above the processor priority to ISR and gives it to
 * the guest, or asks the backend for an exit when the guest can take it.
 * INIT, start-up IPIs and NMIs are left as events for the vCPU's thread,
 * which alone changes its architectural state.
 *
 * The APIC bus runs at 1 GHz by default, as upstream KVM's; userspace may
 * slow it down (KVM_CAP_X86_APIC_BUS_CYCLES_NS).  A timer count of n with
 * divider d lasts n * d bus cycles.
 */
#include <linux/kvm.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/static_call.h>
#include <asm/apicdef.h>
#include <asm/mce.h>
#include <asm/msr-index.h>
#include <asm/tsc.h>

#include "x86.h"

/*
 * Version 0x14 (an integrated xAPIC) with six LVT entries, seven when the
 * vCPU's machine-check banks signal corrected errors (CMCI).
 */
#define LAPIC_VERSION		(0x14 | (5 << 16))
#define LAPIC_VERSION_CMCI	(0x14 | (6 << 16))
#define LVT_MASK_BITS		(APIC_VECTOR_MASK | APIC_MODE_MASK | \
				 APIC_SEND_PENDING | APIC_LVT_MASKED)
#define LVT_TIMER_MODE		(3 << 17)
#define LAPIC_DM_STARTUP	6	/* delivery mode of a start-up IPI */
/* ICR bits that #GP in x2APIC mode (SDM 11.12.9). */
#define X2APIC_ICR_RESERVED	(GENMASK_ULL(31, 20) | GENMASK_ULL(17, 16) | \
				 BIT_ULL(13))
#define LAPIC_MIN_PERIOD_NS	200000	/* as upstream's min_timer_period_us */

static inline u32 lapic_reg(struct kvm_lapic *apic, u32 reg)
{
	return READ_ONCE(apic->regs[reg >> 2]);
}

static inline void lapic_set_reg(struct kvm_lapic *apic, u32 reg, u32 val)
{
	WRITE_ONCE(apic->regs[reg >> 2], val);
}

/* IRR, ISR and TMR: 256 bits in eight registers 16 bytes apart. */
static u32 *lapic_vec_word(struct kvm_lapic *apic, u32 base, u8 vec)
{
	return &apic->regs[(base + (vec >> 5) * 0x10) >> 2];
}

static bool lapic_vec_test(struct kvm_lapic *apic, u32 base, u8 vec)
{
	return *lapic_vec_word(apic, base, vec) & BIT(vec & 31);
}

static void lapic_vec_assign(struct kvm_lapic *apic, u32 base, u8 vec,
			     bool set)
{
	u32 *w = lapic_vec_word(apic, base, vec);

	if (set)
		*w |= BIT(vec & 31);
	else
		*w &= ~BIT(vec & 31);
}

/* The highest vector set in IRR, ISR or TMR, or -1. */
static int lapic_vec_highest(struct kvm_lapic *apic, u32 base)
{
	int i;

	for (i = 7; i >= 0; i--) {
		u32 w = apic->regs[(base + i * 0x10) >> 2];

		if (w)
			return i * 32 + fls(w) - 1;
	}
	return -1;
}

static bool lapic_hw_enabled(struct kvm_lapic *apic)
{
	return apic->vcpu->apic_base & MSR_IA32_APICBASE_ENABLE;
}

static bool lapic_x2apic(struct kvm_lapic *apic)
{
	return apic->vcpu->apic_base & X2APIC_ENABLE;
}

static bool lapic_sw_enabled(struct kvm_lapic *apic)
{
	return lapic_reg(apic, APIC_SPIV) & APIC_SPIV_APIC_ENABLED;
}

static u32 lapic_id(struct kvm_lapic *apic)
{
	return lapic_x2apic(apic) ? apic->vcpu->vcpu.id :
				    lapic_reg(apic, APIC_ID) >> 24;
}

/* In x2APIC mode the logical id follows from the APIC id. */
static u32 x2apic_ldr(u32 id)
{
	return ((id >> 4) << 16) | BIT(id & 0xf);
}

/* CR8 is TPR[7:4]: the backend keeps the guest's copy. */
static void lapic_sync_tpr(struct kvm_lapic *apic)
{
	u8 cr8 = static_call(kvm_x86_get_cr8)(apic->vcpu);
	u32 tpr = lapic_reg(apic, APIC_TASKPRI);

	if (cr8 != tpr >> 4)
		lapic_set_reg(apic, APIC_TASKPRI, cr8 << 4);
}

static void lapic_set_tpr(struct kvm_lapic *apic, u32 tpr)
{
	lapic_set_reg(apic, APIC_TASKPRI, tpr & 0xff);
	static_call(kvm_x86_set_cr8)(apic->vcpu, (tpr & 0xff) >> 4);
}

/* The processor priority (SDM 11.8.3.1), from TPR and the ISR. */
static u32 lapic_ppr(struct kvm_lapic *apic)
{
	u32 tpr = lapic_reg(apic, APIC_TASKPRI);
	int isr = lapic_vec_highest(apic, APIC_ISR);
	u32 isrv = isr < 0 ? 0 : isr & 0xf0;

	return (tpr & 0xf0) >= isrv ? tpr : isrv;
}

/* ---- the timer ---- */

static u32 lapic_timer_mode(struct kvm_lapic *apic)
{
	return lapic_reg(apic, APIC_LVTT) & LVT_TIMER_MODE;
}

/* The TSC-deadline mode exists if the guest's CPUID says so. */
static u32 lapic_timer_modes(struct kvm_lapic *apic)
{
	const struct kvm_cpuid_entry2 *e = kvm_find_cpuid(apic->vcpu, 1, 0);

	return e && e->ecx & BIT(24) ? LVT_TIMER_MODE :
				       APIC_LVT_TIMER_PERIODIC;
}

static u32 lapic_divisor(struct kvm_lapic *apic)
{
	u32 tdcr = lapic_reg(apic, APIC_TDCR);
	u32 v = (tdcr & 3) | ((tdcr & 8) >> 1);

	return v == 7 ? 1 : 2 << v;
}

/* Nanoseconds a timer count lasts; the bus cycle is fixed once vCPUs exist. */
static u64 lapic_count_ns(struct kvm_lapic *apic)
{
	return (u64)lapic_divisor(apic) *
	       to_kvm_x86(apic->vcpu->vcpu.kvm)->apic_bus_ns;
}

/* Set IRR for a vector from this APIC itself: the timer or a self IPI. */
static void lapic_set_irr(struct kvm_lapic *apic, u8 vector, bool level)
{
	unsigned long flags;

	spin_lock_irqsave(&apic->lock, flags);
	lapic_vec_assign(apic, APIC_IRR, vector, true);
	lapic_vec_assign(apic, APIC_TMR, vector, level);
	spin_unlock_irqrestore(&apic->lock, flags);
}

static enum hrtimer_restart lapic_timer_fn(struct hrtimer *t)
{
	struct kvm_lapic *apic = container_of(t, struct kvm_lapic, timer);
	u32 lvtt = lapic_reg(apic, APIC_LVTT);

	if (!(lvtt & APIC_LVT_MASKED))
		lapic_set_irr(apic, lvtt & APIC_VECTOR_MASK, false);
	if (lapic_timer_mode(apic) == APIC_LVT_TIMER_TSCDEADLINE)
		WRITE_ONCE(apic->tsc_deadline, 0);
	kvm_vcpu_kick(&apic->vcpu->vcpu);

	if (lapic_timer_mode(apic) != APIC_LVT_TIMER_PERIODIC ||
	    !apic->timer_period)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(apic->timer_period));
	apic->timer_expires = hrtimer_get_expires(t);
	return HRTIMER_RESTART;
}

static void lapic_timer_stop(struct kvm_lapic *apic)
{
	hrtimer_cancel(&apic->timer);
	apic->timer_period = 0;
}

/* A write to TMICT (or a restore) starts a one-shot or periodic count. */
static void lapic_timer_start(struct kvm_lapic *apic)
{
	/* Cannot overflow: see kvm_lapic_set_bus_cycle(). */
	u64 ns = lapic_reg(apic, APIC_TMICT) * lapic_count_ns(apic);

	lapic_timer_stop(apic);
	if (!ns || lapic_timer_mode(apic) == APIC_LVT_TIMER_TSCDEADLINE)
		return;
	if (lapic_timer_mode(apic) == APIC_LVT_TIMER_PERIODIC) {
		/* Guests must not make the host take interrupts endlessly. */
		ns = max_t(u64, ns, LAPIC_MIN_PERIOD_NS);
		apic->timer_period = ns;
	}
	apic->timer_expires = ktime_add_safe(ktime_get(),
					     ns_to_ktime(min_t(u64, ns, KTIME_MAX)));
	hrtimer_start(&apic->timer, apic->timer_expires, HRTIMER_MODE_ABS_HARD);
}

/* TMCCT: what is left of the count. */
static u32 lapic_timer_current(struct kvm_lapic *apic)
{
	s64 left;

	if (!hrtimer_active(&apic->timer) ||
	    lapic_timer_mode(apic) == APIC_LVT_TIMER_TSCDEADLINE)
		return 0;
	left = ktime_to_ns(ktime_sub(apic->timer_expires, ktime_get()));
	if (left <= 0)
		return 0;
	return div64_u64(left, lapic_count_ns(apic));
}

/*
 * Arm the TSC-deadline timer for the deadline in guest TSC ticks.  In the
 * other modes the timer is lapic_timer_start()'s: leave it alone.
 */
static void lapic_deadline_start(struct kvm_lapic *apic)
{
	u64 deadline = apic->tsc_deadline, now, ns = 0;

	if (lapic_timer_mode(apic) != APIC_LVT_TIMER_TSCDEADLINE)
		return;
	hrtimer_cancel(&apic->timer);
	if (!deadline)
		return;
	now = kvm_x86_guest_tsc(apic->vcpu);
	if (deadline > now && kvm_x86_tsc_khz(apic->vcpu))
		ns = mul_u64_u32_div(deadline - now, 1000000,
				     kvm_x86_tsc_khz(apic->vcpu));
	hrtimer_start(&apic->timer, ktime_add_ns(ktime_get(), ns),
		      HRTIMER_MODE_ABS_HARD);
}

/* ---- delivery ---- */

/*
 * Take an interrupt message (SDM 11.6, 11.11).  Fixed and lowest priority
 * interrupts need a software-enabled APIC; the others are events for the
 * vCPU's thread.  Return: whether it was accepted.
 */
bool kvm_lapic_deliver(struct kvm_x86_vcpu *vcpu,
		       const struct kvm_lapic_irq *irq)
{
	struct kvm_lapic *apic = vcpu->lapic;

	if (!apic || !lapic_hw_enabled(apic))
		return false;
	switch (irq->mode) {
	case APIC_DELIVERY_MODE_FIXED:
	case APIC_DELIVERY_MODE_LOWESTPRIO:
		if (!lapic_sw_enabled(apic))
			return false;
		lapic_set_irr(apic, irq->vector, irq->level);
		break;
	case APIC_DELIVERY_MODE_NMI:
		atomic_inc(&apic->nmis);
		break;
	case APIC_DELIVERY_MODE_INIT:
		/* A start-up IPI that came before is stale now. */
		clear_bit(KVM_LAPIC_EV_SIPI, &apic->events);
		set_bit(KVM_LAPIC_EV_INIT, &apic->events);
		break;
	case LAPIC_DM_STARTUP:
		WRITE_ONCE(apic->sipi_vector, irq->vector);
		/* The vector before the bit: the target reads them so. */
		smp_mb__before_atomic();
		set_bit(KVM_LAPIC_EV_SIPI, &apic->events);
		break;
	case APIC_DELIVERY_MODE_SMI:
		kvm_smm_raise(vcpu);
		return true;
	default:
		/* Remote reads are not emulated. */
		return false;
	}
	kvm_vcpu_kick(&vcpu->vcpu);
	return true;
}

/**
 * kvm_lapic_has_id() - is @id the physical id of the vCPU's APIC?
 * @vcpu: the vCPU
 * @id: an APIC id (x2APIC ids in x2APIC mode)
 *
 * Return: true if the vCPU has an enabled APIC with that id.
 */
bool kvm_lapic_has_id(struct kvm_x86_vcpu *vcpu, u32 id)
{
	struct kvm_lapic *apic = vcpu->lapic;

	return apic && lapic_hw_enabled(apic) && id == lapic_id(apic);
}

/* Does the vCPU's APIC take a message sent to @irq->dest? */
bool kvm_lapic_match(struct kvm_x86_vcpu *vcpu,
		     const struct kvm_lapic_irq *irq)
{
	struct kvm_lapic *apic = vcpu->lapic;
	bool x2apic, self = irq->source == vcpu;
	u32 ldr, dest = irq->dest;

	if (!apic || !lapic_hw_enabled(apic))
		return false;
	switch (irq->shorthand) {
	case APIC_DEST_SELF:
		return self;
	case APIC_DEST_ALLINC:
		return true;
	case APIC_DEST_ALLBUT:
		return !self;
	}
	x2apic = lapic_x2apic(apic);
	/*
	 * Unless userspace says it knows better, an MSI or I/O APIC message
	 * to 0xff is a broadcast for x2APICs too, as it is for xAPICs: a
	 * guest without interrupt remapping cannot address more.
	 */
	if (x2apic && !irq->source && dest == 0xff &&
	    !(READ_ONCE(to_kvm_x86(vcpu->vcpu.kvm)->x2apic_api) &
	      KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK))
		return true;
	if (!irq->logical) {
		if (x2apic)
			return dest == U32_MAX || dest == vcpu->vcpu.id;
		return dest == 0xff || dest == lapic_id(apic);
	}
	ldr = lapic_reg(apic, APIC_LDR);
	if (x2apic) {
		if (dest == U32_MAX)
			return true;
		return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff);
	}
	dest &= 0xff;
	ldr >>= 24;
	if (dest == 0xff)
		return true;
	if (lapic_reg(apic, APIC_DFR) == APIC_DFR_FLAT)
		return dest & ldr;
	/* Cluster model: the cluster in bits 7:4, a bitmap in 3:0. */
	return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xf);
}

/**
 * kvm_lapic_priority() - the priority of a vCPU for lowest-priority
 * delivery
 * @vcpu: the vCPU
 *
 * Return: its task priority, which lowest-priority arbitration compares
 * (the SDM leaves the choice among equals to the chipset).
 */
int kvm_lapic_priority(struct kvm_x86_vcpu *vcpu)
{
	return lapic_reg(vcpu->lapic, APIC_TASKPRI);
}

/* Send the IPI the guest wrote to ICR (SDM 11.6.1). */
static void lapic_send_ipi(struct kvm_lapic *apic, u32 low, u32 dest)
{
	struct kvm_lapic_irq irq = {
		.vector = low & APIC_VECTOR_MASK,
		.mode = (low & APIC_MODE_MASK) >> 8,
		.level = low & APIC_INT_LEVELTRIG,
		.dest = dest,
		.logical = low & APIC_DEST_LOGICAL,
		.shorthand = low & APIC_DEST_ALLBUT,
		.source = apic->vcpu,
	};

	/* INIT level de-assert: no IPI on processors with an xAPIC. */
	if (irq.mode == APIC_DELIVERY_MODE_INIT && irq.level &&
	    !(low & APIC_INT_ASSERT))
		return;
	irq.level = false;	/* only the I/O APIC sends level interrupts */
	kvm_irq_send(apic->vcpu->vcpu.kvm, &irq);
}

/* EOI: the highest vector in service is done (SDM 11.8.5). */
static void lapic_eoi(struct kvm_lapic *apic)
{
	unsigned long flags;
	bool level;
	int vec;

	spin_lock_irqsave(&apic->lock, flags);
	vec = lapic_vec_highest(apic, APIC_ISR);
	if (vec >= 0) {
		lapic_vec_assign(apic, APIC_ISR, vec, false);
		level = lapic_vec_test(apic, APIC_TMR, vec);
	}
	spin_unlock_irqrestore(&apic->lock, flags);
	if (vec >= 0)
		kvm_irq_eoi(apic->vcpu, vec, level);
}

/* ---- registers ---- */

static u32 lapic_read(struct kvm_lapic *apic, u32 reg)
{
	switch (reg) {
	case APIC_ID:
		return lapic_x2apic(apic) ? apic->vcpu->vcpu.id :
					    lapic_reg(apic, APIC_ID);
	case APIC_TASKPRI:
		lapic_sync_tpr(apic);
		return lapic_reg(apic, APIC_TASKPRI);
	case APIC_PROCPRI:
		lapic_sync_tpr(apic);
		return lapic_ppr(apic);
	case APIC_TMCCT:
		return lapic_timer_current(apic);
	default:
		return lapic_reg(apic, reg);
	}
}

static bool lapic_has_cmci(struct kvm_lapic *apic)
{
	return apic->vcpu->mcg_cap & MCG_CMCI_P;
}

static u32 lapic_version(struct kvm_lapic *apic)
{
	return lapic_has_cmci(apic) ? LAPIC_VERSION_CMCI : LAPIC_VERSION;
}

/* Registers that exist, for reads; the rest of the page reads as 0. */
static bool lapic_readable(struct kvm_lapic *apic, u32 reg, bool x2apic)
{
	switch (reg) {
	case APIC_LVTCMCI:
		return lapic_has_cmci(apic);
	case APIC_ID: case APIC_LVR: case APIC_TASKPRI: case APIC_PROCPRI:
	case APIC_LDR: case APIC_SPIV: case APIC_ESR: case APIC_ICR:
	case APIC_LVTT: case APIC_LVTTHMR: case APIC_LVTPC: case APIC_LVT0:
	case APIC_LVT1: case APIC_LVTERR: case APIC_TMICT: case APIC_TMCCT:
	case APIC_TDCR:
	case APIC_ISR ... APIC_ISR + 0x70:
	case APIC_TMR ... APIC_TMR + 0x70:
	case APIC_IRR ... APIC_IRR + 0x70:
		return !(reg & 0xf);
	case APIC_ARBPRI: case APIC_DFR: case APIC_ICR2:
		return !x2apic;
	default:
		return false;
	}
}

/* Mask every LVT entry, as a software disable does (11.4.7.2). */
static void lapic_mask_lvts(struct kvm_lapic *apic)
{
	u32 reg;

	for (reg = APIC_LVTT; reg <= APIC_LVTERR; reg += 0x10)
		lapic_set_reg(apic, reg,
			      lapic_reg(apic, reg) | APIC_LVT_MASKED);
	lapic_set_reg(apic, APIC_LVTCMCI,
		      lapic_reg(apic, APIC_LVTCMCI) | APIC_LVT_MASKED);
}

/*
 * Write a register; returns false for one that cannot be written (#GP
 * in x2APIC mode, ignored in xAPIC mode).
 */
static bool lapic_write(struct kvm_lapic *apic, u32 reg, u32 val)
{
	bool x2apic = lapic_x2apic(apic);
	u32 old;

	switch (reg) {
	case APIC_ID:
		if (x2apic)
			return false;
		lapic_set_reg(apic, APIC_ID, val & 0xff000000);
		break;
	case APIC_TASKPRI:
		lapic_set_tpr(apic, val);
		break;
	case APIC_EOI:
		lapic_eoi(apic);
		break;
	case APIC_LDR:
		if (x2apic)
			return false;
		lapic_set_reg(apic, APIC_LDR, val & APIC_LDR_MASK);
		break;
	case APIC_DFR:
		if (x2apic)
			return false;
		lapic_set_reg(apic, APIC_DFR, val | 0x0fffffff);
		break;
	case APIC_SPIV:
		lapic_set_reg(apic, APIC_SPIV, val & 0x3ff);
		if (!(val & APIC_SPIV_APIC_ENABLED))
			lapic_mask_lvts(apic);
		break;
	case APIC_ESR:
		/* We never record send or receive errors. */
		lapic_set_reg(apic, APIC_ESR, 0);
		break;
	case APIC_ICR:
		lapic_set_reg(apic, APIC_ICR, val & ~APIC_ICR_BUSY);
		lapic_send_ipi(apic, val, x2apic ? lapic_reg(apic, APIC_ICR2) :
					  lapic_reg(apic, APIC_ICR2) >> 24);
		break;
	case APIC_ICR2:
		if (x2apic)
			return false;
		lapic_set_reg(apic, APIC_ICR2, val & 0xff000000);
		break;
	case APIC_LVTT:
		old = lapic_reg(apic, APIC_LVTT);
		val &= LVT_MASK_BITS | lapic_timer_modes(apic);
		val &= ~APIC_MODE_MASK;
		if ((val & LVT_TIMER_MODE) == LVT_TIMER_MODE)
			val &= ~LVT_TIMER_MODE;
		if (!lapic_sw_enabled(apic))
			val |= APIC_LVT_MASKED;
		lapic_set_reg(apic, APIC_LVTT, val);
		/* A change of mode stops the timer (11.5.4.1). */
		if ((old ^ val) & LVT_TIMER_MODE) {
			lapic_timer_stop(apic);
			lapic_set_reg(apic, APIC_TMICT, 0);
			apic->tsc_deadline = 0;
		}
		break;
	case APIC_LVTCMCI:
		if (!lapic_has_cmci(apic))
			return false;
		fallthrough;
	case APIC_LVTTHMR: case APIC_LVTPC: case APIC_LVT0: case APIC_LVT1:
	case APIC_LVTERR:
		val &= LVT_MASK_BITS | APIC_INPUT_POLARITY |
		       APIC_LVT_LEVEL_TRIGGER;
		if (reg == APIC_LVTERR)
			val &= APIC_VECTOR_MASK | APIC_LVT_MASKED;
		if (!lapic_sw_enabled(apic))
			val |= APIC_LVT_MASKED;
		lapic_set_reg(apic, reg, val);
		break;
	case APIC_TMICT:
		if (lapic_timer_mode(apic) == APIC_LVT_TIMER_TSCDEADLINE)
			break;
		lapic_set_reg(apic, APIC_TMICT, val);
		lapic_timer_start(apic);
		break;
	case APIC_TDCR:
		lapic_set_reg(apic, APIC_TDCR, val & 0xb);
		break;
	case APIC_SELF_IPI:
		if (!x2apic)
			return false;
		lapic_set_irr(apic, val & APIC_VECTOR_MASK, false);
		break;
	default:
		return false;
	}
	return true;
}

/**
 * kvm_lapic_mmio() - a guest access to the xAPIC page
 * @vcpu: the vCPU, loaded
 * @gpa: the guest physical address
 * @data: what is written, or where the value read goes
 * @len: 1 to 8 bytes
 * @write: a write
 *
 * Registers are 32 bits wide at 16-byte intervals; reads of part of one
 * return that part, writes other than a whole register are dropped, as
 * are writes to registers that cannot be written.
 *
 * Return: true if @gpa is in this vCPU's APIC page, so the access was
 * handled.  Without the xAPIC (the APIC is disabled or in x2APIC mode)
 * the page reads all ones and ignores writes, as upstream's with its
 * default quirks.
 */
bool kvm_lapic_mmio(struct kvm_x86_vcpu *vcpu, gpa_t gpa, void *data,
		    unsigned int len, bool write)
{
	struct kvm_lapic *apic = vcpu->lapic;
	u32 off = gpa & ~PAGE_MASK, reg = off & ~0xf, val;

	if (!apic || (gpa & PAGE_MASK) != (vcpu->apic_base & PAGE_MASK))
		return false;
	/* A disabled or x2APIC-mode APIC leaves a hole, as upstream's. */
	if (!lapic_hw_enabled(apic) || lapic_x2apic(apic)) {
		if (!write)
			memset(data, 0xff, len);
		return true;
	}
	if (write) {
		if (len == 4 && !(off & 0xf)) {
			memcpy(&val, data, 4);
			lapic_write(apic, reg, val);
		}
		return true;
	}
	memset(data, 0, len);
	if ((off & 0xf) + len > 4 || !lapic_readable(apic, reg, false))
		return true;
	val = lapic_read(apic, reg) >> ((off & 3) * 8);
	memcpy(data, &val, len);
	return true;
}

/**
 * kvm_lapic_get_msr() - RDMSR of an x2APIC register or the TSC deadline
 * @vcpu: the vCPU, loaded
 * @index: MSR 0x800-0x8ff or IA32_TSC_DEADLINE
 * @data: the value
 *
 * Return: 0, or -EINVAL (#GP) outside x2APIC mode and for registers that
 * cannot be read.
 */
int kvm_lapic_get_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data)
{
	struct kvm_lapic *apic = vcpu->lapic;
	u32 reg = (index - X2APIC_MSR_BASE) << 4;

	if (!apic)
		return -EINVAL;
	if (index == MSR_IA32_TSC_DEADLINE) {
		*data = READ_ONCE(apic->tsc_deadline);
		return 0;
	}
	if (!lapic_x2apic(apic) || !lapic_readable(apic, reg, true))
		return -EINVAL;
	*data = lapic_read(apic, reg);
	if (reg == APIC_ICR)
		*data |= (u64)lapic_reg(apic, APIC_ICR2) << 32;
	return 0;
}

/**
 * kvm_lapic_set_msr() - WRMSR of an x2APIC register or the TSC deadline
 * @vcpu: the vCPU, loaded
 * @index: MSR 0x800-0x8ff or IA32_TSC_DEADLINE
 * @data: the value
 *
 * Return: 0, or -EINVAL (#GP) outside x2APIC mode, for registers that
 * cannot be written and for reserved bits of EOI, ESR and ICR.
 */
int kvm_lapic_set_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 data)
{
	struct kvm_lapic *apic = vcpu->lapic;
	u32 reg = (index - X2APIC_MSR_BASE) << 4;

	if (!apic)
		return -EINVAL;
	if (index == MSR_IA32_TSC_DEADLINE) {
		if (lapic_timer_mode(apic) != APIC_LVT_TIMER_TSCDEADLINE)
			return 0;
		apic->tsc_deadline = data;
		lapic_deadline_start(apic);
		return 0;
	}
	if (!lapic_x2apic(apic))
		return -EINVAL;
	if (reg == APIC_ICR) {
		if (data & X2APIC_ICR_RESERVED)
			return -EINVAL;
		lapic_set_reg(apic, APIC_ICR2, data >> 32);
	} else if (data >> 32 || ((reg == APIC_EOI || reg == APIC_ESR) &&
				  data)) {
		return -EINVAL;
	}
	return lapic_write(apic, reg, data) ? 0 : -EINVAL;
}

/**
 * kvm_lapic_hv_msr() - Hyper-V's MSRs for EOI, ICR and TPR
 * @vcpu: the vCPU, loaded
 * @reg: APIC_EOI, APIC_ICR or APIC_TASKPRI
 * @data: the value read or to write
 * @write: WRMSR rather than RDMSR
 *
 * In xAPIC mode too: the ICR is 64 bits, its high half ICR2 (the
 * destination as the mode has it); EOI cannot be read.
 *
 * Return: 0, or -EINVAL (#GP) without an in-kernel APIC, for a read of
 * EOI and for values the register does not take.
 */
int kvm_lapic_hv_msr(struct kvm_x86_vcpu *vcpu, u32 reg, u64 *data,
		     bool write)
{
	struct kvm_lapic *apic = vcpu->lapic;

	if (!apic || (!write && reg == APIC_EOI))
		return -EINVAL;
	if (!write) {
		*data = lapic_read(apic, reg);
		if (reg == APIC_ICR)
			*data |= (u64)lapic_reg(apic, APIC_ICR2) << 32;
		return 0;
	}
	if (reg == APIC_ICR)
		lapic_set_reg(apic, APIC_ICR2, *data >> 32);
	else if (*data >> 32)
		return -EINVAL;
	return lapic_write(apic, reg, *data) ? 0 : -EINVAL;
}

/* ---- interrupts to the guest ---- */

/* The vector the APIC would give the processor now, or -1. */
static int lapic_pending_vector(struct kvm_lapic *apic)
{
	int irr;

	if (!lapic_hw_enabled(apic))
		return -1;
	lapic_sync_tpr(apic);
	irr = lapic_vec_highest(apic, APIC_IRR);
	if (irr < 0 || (irr & 0xf0) <= (lapic_ppr(apic) & 0xf0))
		return -1;
	return irr;
}

/**
 * kvm_lapic_has_interrupt() - does the APIC have an interrupt for the
 * processor?
 * @vcpu: the vCPU, loaded
 *
 * Return: true if one in IRR is above the processor priority, or the
 * 8259 signals one through LINT0.
 */
bool kvm_lapic_has_interrupt(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_lapic *apic = vcpu->lapic;
	unsigned long flags;
	int vec;

	if (kvm_irq_extint_pending(vcpu))
		return true;
	spin_lock_irqsave(&apic->lock, flags);
	vec = lapic_pending_vector(apic);
	spin_unlock_irqrestore(&apic->lock, flags);
	return vec >= 0;
}

/**
 * kvm_lapic_cmci() - a machine-check bank signals a corrected error
 * @vcpu: the vCPU
 *
 * The interrupt goes where the CMCI entry of the LVT says, if unmasked.
 */
void kvm_lapic_cmci(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_lapic *apic = vcpu->lapic;
	u32 lvt;

	if (!apic || !lapic_has_cmci(apic))
		return;
	lvt = lapic_reg(apic, APIC_LVTCMCI);
	if (lvt & APIC_LVT_MASKED)
		return;
	lapic_set_irr(apic, lvt & APIC_VECTOR_MASK, false);
	kvm_vcpu_kick(&vcpu->vcpu);
}

/**
 * kvm_lapic_update_version() - the LVT grew or shrank by the CMCI entry
 * @vcpu: the vCPU, after KVM_X86_SETUP_MCE
 */
void kvm_lapic_update_version(struct kvm_x86_vcpu *vcpu)
{
	if (vcpu->lapic)
		lapic_set_reg(vcpu->lapic, APIC_LVR, lapic_version(vcpu->lapic));
}

/* Vector @vec goes into service; called with the APIC's lock held. */
static void lapic_ack_vector(struct kvm_x86_vcpu *vcpu, int vec)
{
	struct kvm_lapic *apic = vcpu->lapic;

	lapic_vec_assign(apic, APIC_IRR, vec, false);
	/* A SynIC's auto-EOI SINT is never in service (hyperv_synic.c). */
	lapic_vec_assign(apic, APIC_ISR, vec,
			 !kvm_hv_synic_auto_eoi(vcpu, vec));
}

/**
 * kvm_lapic_inject() - give the guest the APIC's next interrupt
 * @vcpu: the vCPU, loaded, about to enter the guest (interrupts off)
 *
 * If the interrupt slot is free and the guest takes interrupts, the
 * highest pending vector moves from IRR to ISR and into the slot.  If the
 * guest does not take interrupts now, the backend exits as soon as it
 * does; if the vector is held off by the task priority alone, as soon as
 * the guest lowers CR8 enough (where CR8 writes do not exit anyway).
 */
void kvm_lapic_inject(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_lapic *apic = vcpu->lapic;
	int vec, isr;

	if (vcpu->interrupt.type)
		return;
	/* The 8259's ExtINT has no priority class: it comes first. */
	if (kvm_irq_extint_pending(vcpu)) {
		if (!kvm_x86_can_take_interrupt(vcpu)) {
			static_call(kvm_x86_set_irq_window)(vcpu, true);
			return;
		}
		vcpu->interrupt = (struct kvm_x86_event) {
			.type = KVM_X86_EVENT_INTR,
			.vector = kvm_irq_extint_ack(vcpu),
		};
		return;
	}
	spin_lock(&apic->lock);
	vec = lapic_pending_vector(apic);
	if (vec < 0) {
		isr = lapic_vec_highest(apic, APIC_ISR);
		vec = lapic_vec_highest(apic, APIC_IRR);
		spin_unlock(&apic->lock);
		/* Above what is in service, below the task priority? */
		if (vec >= 0 && lapic_hw_enabled(apic) &&
		    (vec & 0xf0) > (max(isr, 0) & 0xf0))
			static_call_cond(kvm_x86_set_tpr_threshold)(vcpu,
								    vec >> 4);
		return;
	}
	if (!kvm_x86_can_take_interrupt(vcpu)) {
		spin_unlock(&apic->lock);
		static_call(kvm_x86_set_irq_window)(vcpu, true);
		return;
	}
	lapic_ack_vector(vcpu, vec);
	spin_unlock(&apic->lock);
	vcpu->interrupt = (struct kvm_x86_event) {
		.type = KVM_X86_EVENT_INTR,
		.vector = vec,
	};
}

/**
 * kvm_x86_ack_interrupt() - acknowledge the interrupt the guest takes next
 * @vcpu: the vCPU, loaded
 *
 * As the processor's interrupt acknowledge cycle, for a guest hypervisor
 * whose VM exits acknowledge interrupts: the 8259's ExtINT, or the
 * APIC's highest vector above the processor priority, which moves from
 * IRR to ISR.
 *
 * Return: the vector, or -1 if no interrupt is pending.
 */
int kvm_x86_ack_interrupt(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_lapic *apic = vcpu->lapic;
	unsigned long flags;
	int vec;

	if (!apic)
		return -1;
	if (kvm_irq_extint_pending(vcpu))
		return kvm_irq_extint_ack(vcpu);
	spin_lock_irqsave(&apic->lock, flags);
	vec = lapic_pending_vector(apic);
	if (vec >= 0)
		lapic_ack_vector(vcpu, vec);
	spin_unlock_irqrestore(&apic->lock, flags);
	return vec;
}
EXPORT_SYMBOL_GPL(kvm_x86_ack_interrupt);

/*
 * INIT: the processor's registers as after RESET, except the MSRs and
 * the FPU (SDM 10.1, table 10-1); the BSP starts again, an AP waits for a
 * start-up IPI.
 */
static void lapic_do_init(struct kvm_x86_vcpu *vcpu)
{
	kvm_x86_vcpu_reset(vcpu, true);
	vcpu->mp_state = vcpu->apic_base & MSR_IA32_APICBASE_BSP ?
			 KVM_MP_STATE_RUNNABLE : KVM_MP_STATE_INIT_RECEIVED;
}

/* A start-up IPI: an AP waiting for one starts at vector:0000. */
static void lapic_do_sipi(struct kvm_x86_vcpu *vcpu, u8 vector)
{
	struct kvm_sregs sregs;

	if (vcpu->mp_state != KVM_MP_STATE_INIT_RECEIVED)
		return;
	static_call(kvm_x86_get_sregs)(vcpu, &sregs);
	sregs.cs.selector = vector << 8;
	sregs.cs.base = (u64)vector << 12;
	static_call(kvm_x86_set_sregs)(vcpu, &sregs);
	vcpu->rip = 0;
	vcpu->mp_state = KVM_MP_STATE_RUNNABLE;
}

/**
 * kvm_lapic_accept_events() - carry out what other vCPUs sent
 * @vcpu: the vCPU, loaded, in its own thread
 *
 * INIT, start-up IPIs and NMIs change the vCPU's state, which only its
 * thread may touch: they wait in the APIC until it comes here.
 */
void kvm_lapic_accept_events(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_lapic *apic = vcpu->lapic;
	int nmis;

	if (!READ_ONCE(apic->events) && !atomic_read(&apic->nmis))
		return;
	/*
	 * INIT first: a start-up IPI still pending came after it.  In SMM
	 * INIT is latched until RSM.
	 */
	if (!vcpu->smm.active &&
	    test_and_clear_bit(KVM_LAPIC_EV_INIT, &apic->events))
		lapic_do_init(vcpu);
	if (test_and_clear_bit(KVM_LAPIC_EV_SIPI, &apic->events)) {
		/* Pairs with the barrier in kvm_lapic_deliver(). */
		smp_mb__after_atomic();
		lapic_do_sipi(vcpu, READ_ONCE(apic->sipi_vector));
	}
	nmis = atomic_xchg(&apic->nmis, 0);
	while (nmis--)
		kvm_x86_queue_nmi(vcpu);
}

/**
 * kvm_lapic_init_latched() - does an INIT wait for the end of SMM?
 * @vcpu: the vCPU, with an APIC
 *
 * Return: true if an INIT came in SMM.
 */
bool kvm_lapic_init_latched(struct kvm_x86_vcpu *vcpu)
{
	return vcpu->smm.active &&
	       test_bit(KVM_LAPIC_EV_INIT, &vcpu->lapic->events);
}

/**
 * kvm_lapic_latch_init() - an INIT that came in SMM, from a save
 * @vcpu: the vCPU, with an APIC
 */
void kvm_lapic_latch_init(struct kvm_x86_vcpu *vcpu)
{
	set_bit(KVM_LAPIC_EV_INIT, &vcpu->lapic->events);
}

/**
 * kvm_lapic_accepts_extint() - does the 8259's output reach the processor?
 * @vcpu: the vCPU
 *
 * Return: true if LINT0 is an unmasked ExtINT entry (virtual wire mode),
 * or the APIC is disabled and the 8259 is wired to the processor.
 */
bool kvm_lapic_accepts_extint(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_lapic *apic = vcpu->lapic;
	u32 lvt0 = lapic_reg(apic, APIC_LVT0);

	if (!lapic_hw_enabled(apic))
		return true;
	return !(lvt0 & APIC_LVT_MASKED) &&
	       (lvt0 & APIC_MODE_MASK) == APIC_MODE_EXTINT << 8;
}

/* ---- reset, mode changes, save and restore ---- */

/**
 * kvm_lapic_reset() - the APIC after RESET or INIT (SDM 11.4.7.1)
 * @vcpu: the vCPU, loaded
 *
 * The APIC id stays; so does the APIC base, which RESET sets elsewhere.
 */
void kvm_lapic_reset(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_lapic *apic = vcpu->lapic;
	unsigned long flags;
	u32 reg;

	if (!apic)
		return;
	lapic_timer_stop(apic);
	apic->tsc_deadline = 0;
	spin_lock_irqsave(&apic->lock, flags);
	memset(apic->regs, 0, sizeof(apic->regs));
	spin_unlock_irqrestore(&apic->lock, flags);
	lapic_set_reg(apic, APIC_ID, vcpu->vcpu.id << 24);
	lapic_set_reg(apic, APIC_LVR, lapic_version(apic));
	lapic_set_reg(apic, APIC_DFR, APIC_DFR_FLAT);
	lapic_set_reg(apic, APIC_SPIV, 0xff);
	for (reg = APIC_LVTT; reg <= APIC_LVTERR; reg += 0x10)
		lapic_set_reg(apic, reg, APIC_LVT_MASKED);
	lapic_set_reg(apic, APIC_LVTCMCI, APIC_LVT_MASKED);
	/*
	 * The boot processor's LINT0 takes the 8259's interrupts from the
	 * start, as upstream's (its "LINT0 re-enabled" quirk, which is on
	 * unless disabled): guests and firmware written for KVM expect it.
	 */
	if (vcpu->apic_base & MSR_IA32_APICBASE_BSP)
		lapic_set_reg(apic, APIC_LVT0, APIC_MODE_EXTINT << 8);
	if (lapic_x2apic(apic))
		lapic_set_reg(apic, APIC_LDR, x2apic_ldr(vcpu->vcpu.id));
	lapic_set_tpr(apic, 0);
}

/**
 * kvm_lapic_set_base() - the APIC base MSR changed
 * @vcpu: the vCPU, loaded
 * @old: its previous value
 *
 * Entering x2APIC mode fixes the logical id; disabling the APIC resets
 * it, so that enabling it again starts from the power-up state.
 */
void kvm_lapic_set_base(struct kvm_x86_vcpu *vcpu, u64 old)
{
	struct kvm_lapic *apic = vcpu->lapic;
	u64 changed = old ^ vcpu->apic_base;

	if (!apic)
		return;
	if (changed & MSR_IA32_APICBASE_ENABLE &&
	    !(vcpu->apic_base & MSR_IA32_APICBASE_ENABLE)) {
		kvm_lapic_reset(vcpu);
		return;
	}
	if (changed & X2APIC_ENABLE && lapic_x2apic(apic)) {
		/* The id becomes the vCPU's, also for a return to xAPIC. */
		lapic_set_reg(apic, APIC_ID, vcpu->vcpu.id << 24);
		lapic_set_reg(apic, APIC_LDR, x2apic_ldr(vcpu->vcpu.id));
		lapic_set_reg(apic, APIC_ICR2, 0);
	}
}

/* Does KVM_GET/SET_LAPIC carry whole x2APIC ids? */
static bool lapic_x2apic_api_ids(struct kvm_x86_vcpu *vcpu)
{
	return READ_ONCE(to_kvm_x86(vcpu->vcpu.kvm)->x2apic_api) &
	       KVM_X2APIC_API_USE_32BIT_IDS;
}

/**
 * kvm_lapic_get_state() - KVM_GET_LAPIC
 * @vcpu: the vCPU, loaded
 * @state: the register page
 *
 * In x2APIC mode the id is reported whole with
 * KVM_X2APIC_API_USE_32BIT_IDS, else as an xAPIC id, in bits 31:24.
 *
 * Return: 0, or -EINVAL if the vCPU has no APIC in the kernel.
 */
int kvm_lapic_get_state(struct kvm_x86_vcpu *vcpu,
			struct kvm_lapic_state *state)
{
	struct kvm_lapic *apic = vcpu->lapic;
	unsigned long flags;
	u32 *regs = (u32 *)state->regs;

	if (!apic)
		return -EINVAL;
	lapic_sync_tpr(apic);
	spin_lock_irqsave(&apic->lock, flags);
	memcpy(state->regs, apic->regs, sizeof(state->regs));
	spin_unlock_irqrestore(&apic->lock, flags);
	regs[APIC_PROCPRI >> 2] = lapic_ppr(apic);
	regs[APIC_TMCCT >> 2] = lapic_timer_current(apic);
	if (lapic_x2apic(apic))
		regs[APIC_ID >> 2] = lapic_x2apic_api_ids(vcpu) ?
				     vcpu->vcpu.id : vcpu->vcpu.id << 24;
	return 0;
}

/**
 * kvm_lapic_set_state() - KVM_SET_LAPIC
 * @vcpu: the vCPU, loaded
 * @state: the register page
 *
 * The timer starts a new count from TMICT, as upstream does.
 *
 * An x2APIC's id is read-only: without KVM_X2APIC_API_USE_32BIT_IDS the
 * id given is ignored (it cannot hold one above 255); with it, the id must be
 * the vCPU's.
 *
 * Return: 0, or -EINVAL without an APIC in the kernel or for another
 * x2APIC id.
 */
int kvm_lapic_set_state(struct kvm_x86_vcpu *vcpu,
			const struct kvm_lapic_state *state)
{
	struct kvm_lapic *apic = vcpu->lapic;
	const u32 *regs = (const u32 *)state->regs;
	unsigned long flags;

	if (!apic)
		return -EINVAL;
	if (lapic_x2apic(apic) && lapic_x2apic_api_ids(vcpu) &&
	    regs[APIC_ID >> 2] != vcpu->vcpu.id)
		return -EINVAL;
	lapic_timer_stop(apic);
	spin_lock_irqsave(&apic->lock, flags);
	memcpy(apic->regs, state->regs, sizeof(apic->regs));
	spin_unlock_irqrestore(&apic->lock, flags);
	lapic_set_reg(apic, APIC_LVR, lapic_version(apic));
	if (lapic_x2apic(apic)) {
		lapic_set_reg(apic, APIC_ID, vcpu->vcpu.id << 24);
		lapic_set_reg(apic, APIC_LDR, x2apic_ldr(vcpu->vcpu.id));
	}
	lapic_set_tpr(apic, lapic_reg(apic, APIC_TASKPRI));
	lapic_timer_start(apic);
	lapic_deadline_start(apic);
	return 0;
}

/**
 * kvm_lapic_set_bus_cycle() - KVM_CAP_X86_APIC_BUS_CYCLES_NS
 * @kvm: the VM
 * @ns: how long a cycle of the APIC bus lasts, in nanoseconds
 *
 * Before the first vCPU, and only for APICs in the kernel.  As upstream,
 * the longest cycle is the one for which the longest timer count (all
 * ones, divided by 128) still fits in 64 bits of nanoseconds.
 *
 * Return: 0, -EINVAL for a cycle of 0 or longer than that or once vCPUs
 * exist, or -ENXIO without APICs in the kernel.
 */
int kvm_lapic_set_bus_cycle(struct kvm *kvm, u64 ns)
{
	struct kvm_x86 *kx = to_kvm_x86(kvm);
	int ret = 0;

	if (!ns || ns > U64_MAX / ((u64)U32_MAX * 128))
		return -EINVAL;
	mutex_lock(&kvm->lock);
	if (kx->irqchip == KVM_IRQCHIP_USER)
		ret = -ENXIO;
	else if (kvm->created_vcpus)
		ret = -EINVAL;
	else
		kx->apic_bus_ns = ns;
	mutex_unlock(&kvm->lock);
	return ret;
}

/**
 * kvm_lapic_create() - give a vCPU an APIC
 * @vcpu: the vCPU, being created
 *
 * Return: 0 or -ENOMEM.
 */
int kvm_lapic_create(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_lapic *apic = kzalloc(sizeof(*apic), GFP_KERNEL_ACCOUNT);

	if (!apic)
		return -ENOMEM;
	apic->vcpu = vcpu;
	spin_lock_init(&apic->lock);
	hrtimer_init(&apic->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	apic->timer.function = lapic_timer_fn;
	vcpu->lapic = apic;
	return 0;
}

/**
 * kvm_lapic_destroy() - free a vCPU's APIC
 * @vcpu: the vCPU, being destroyed
 */
void kvm_lapic_destroy(struct kvm_x86_vcpu *vcpu)
{
	if (!vcpu->lapic)
		return;
	hrtimer_cancel(&vcpu->lapic->timer);
	kfree(vcpu->lapic);
	vcpu->lapic = NULL;
}
