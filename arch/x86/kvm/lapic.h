/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The local APIC of a vCPU, emulated in the kernel (lapic.c).
 */
#ifndef ARCH_X86_KVM_LAPIC_H
#define ARCH_X86_KVM_LAPIC_H

#include <linux/hrtimer.h>
#include <linux/kvm.h>
#include <linux/spinlock.h>

struct kvm_x86_vcpu;

/* The x2APIC registers are MSRs 0x800 + (xAPIC offset >> 4). */
#define X2APIC_MSR_BASE		0x800
#define X2APIC_MSR_LAST		0x8ff

/**
 * struct kvm_lapic_irq - an interrupt message for local APICs
 * @vector:	the vector (or the page of a SIPI)
 * @mode:	APIC_DELIVERY_MODE_* (6 is a start-up IPI)
 * @level:	level-triggered: the APIC remembers it in the TMR, and its
 *		EOI is passed on to the I/O APIC
 * @dest:	destination APIC id, or logical destination
 * @logical:	@dest is logical
 * @shorthand:	0, or APIC_DEST_SELF, _ALLINC or _ALLBUT
 * @source:	the sending vCPU, for the shorthands, or NULL
 *
 * IPIs, MSIs and I/O APIC redirection entries are all made of these.
 */
struct kvm_lapic_irq {
	u8 vector;
	u8 mode;
	bool level;
	u32 dest;
	bool logical;
	u32 shorthand;
	struct kvm_x86_vcpu *source;
};

/* Events another thread leaves for the vCPU (kvm_lapic::events). */
#define KVM_LAPIC_EV_INIT	0
#define KVM_LAPIC_EV_SIPI	1

/**
 * struct kvm_lapic - a vCPU's local APIC
 * @vcpu:	the vCPU
 * @regs:	the registers, laid out as in the APIC's page (and in struct
 *		kvm_lapic_state): the register at offset r is regs[r / 4]
 * @lock:	protects IRR and TMR, which other threads and the timer set,
 *		and their moves to ISR; the other registers only change in
 *		the vCPU's thread
 * @timer:	the APIC timer
 * @timer_expires: when the current one-shot or periodic count reaches 0
 * @timer_period: length of a periodic count, in ns
 * @tsc_deadline: IA32_TSC_DEADLINE, 0 when disarmed
 * @events:	KVM_LAPIC_EV_* bits, set by other vCPUs
 * @sipi_vector: the vector of the last start-up IPI
 * @nmis:	NMIs sent to this vCPU, not yet latched
 * @vapic_addr: what KVM_SET_VAPIC_ADDR set (see there)
 */
struct kvm_lapic {
	struct kvm_x86_vcpu *vcpu;
	u32 regs[KVM_APIC_REG_SIZE / 4];
	spinlock_t lock;		/* IRR, TMR and their moves */
	struct hrtimer timer;
	ktime_t timer_expires;
	u64 timer_period;
	u64 tsc_deadline;
	unsigned long events;
	u8 sipi_vector;
	atomic_t nmis;
	u64 vapic_addr;
};

/* KVM_CAP_X86_APIC_BUS_CYCLES_NS answers the default bus cycle: 1 GHz. */
#define KVM_LAPIC_BUS_CYCLE_NS	1
int kvm_lapic_set_bus_cycle(struct kvm *kvm, u64 ns);
int kvm_lapic_create(struct kvm_x86_vcpu *vcpu);
void kvm_lapic_destroy(struct kvm_x86_vcpu *vcpu);
void kvm_lapic_reset(struct kvm_x86_vcpu *vcpu);
void kvm_lapic_set_base(struct kvm_x86_vcpu *vcpu, u64 old);
bool kvm_lapic_deliver(struct kvm_x86_vcpu *vcpu,
		       const struct kvm_lapic_irq *irq);
bool kvm_lapic_has_id(struct kvm_x86_vcpu *vcpu, u32 id);
bool kvm_lapic_match(struct kvm_x86_vcpu *vcpu,
		     const struct kvm_lapic_irq *irq);
int kvm_lapic_priority(struct kvm_x86_vcpu *vcpu);
bool kvm_lapic_mmio(struct kvm_x86_vcpu *vcpu, gpa_t gpa, void *data,
		    unsigned int len, bool write);
int kvm_lapic_get_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data);
int kvm_lapic_set_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 data);
int kvm_lapic_hv_msr(struct kvm_x86_vcpu *vcpu, u32 reg, u64 *data,
		     bool write);
bool kvm_lapic_has_interrupt(struct kvm_x86_vcpu *vcpu);
void kvm_lapic_inject(struct kvm_x86_vcpu *vcpu);
void kvm_lapic_cmci(struct kvm_x86_vcpu *vcpu);
void kvm_lapic_update_version(struct kvm_x86_vcpu *vcpu);
void kvm_lapic_accept_events(struct kvm_x86_vcpu *vcpu);
bool kvm_lapic_accepts_extint(struct kvm_x86_vcpu *vcpu);
bool kvm_lapic_init_latched(struct kvm_x86_vcpu *vcpu);
void kvm_lapic_latch_init(struct kvm_x86_vcpu *vcpu);
int kvm_lapic_get_state(struct kvm_x86_vcpu *vcpu,
			struct kvm_lapic_state *state);
int kvm_lapic_set_state(struct kvm_x86_vcpu *vcpu,
			const struct kvm_lapic_state *state);

#endif /* ARCH_X86_KVM_LAPIC_H */
