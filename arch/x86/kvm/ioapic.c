// SPDX-License-Identifier: GPL-2.0-only
/*
 * The I/O APIC: 24 input pins, each with a redirection entry that turns
 * its interrupts into messages to the local APICs.  Written from the
 * 82093AA data sheet; the register window is at 0xfec00000 (IOREGSEL at
 * offset 0, IOWIN at 0x10), version 0x11 without an EOI register.
 *
 * An edge-triggered pin sends a message on each rising edge of its line.
 * A level-triggered pin sends one while its line is up and its remote IRR
 * is clear; the accepting local APIC's EOI for the vector clears the
 * remote IRR, and the pin sends again if the line is still up.
 */
#include <linux/kvm.h>

#include "x86.h"

#define IOAPIC_VERSION		(0x11 | ((KVM_IOAPIC_PINS - 1) << 16))
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_ARB		0x02
#define IOAPIC_REG_TABLE	0x10

#define RTE_VECTOR		GENMASK_ULL(7, 0)
#define RTE_DELIVERY_MODE	GENMASK_ULL(10, 8)
#define RTE_DEST_LOGICAL	BIT_ULL(11)
#define RTE_DELIVERY_STATUS	BIT_ULL(12)
#define RTE_REMOTE_IRR		BIT_ULL(14)
#define RTE_LEVEL		BIT_ULL(15)
#define RTE_MASKED		BIT_ULL(16)
#define RTE_DEST_SHIFT		56
/* What the guest can write: all but delivery status and remote IRR. */
#define RTE_WRITABLE		(GENMASK_ULL(11, 0) | BIT_ULL(13) | \
				 RTE_LEVEL | RTE_MASKED | \
				 GENMASK_ULL(63, RTE_DEST_SHIFT))

/* Send pin @pin's message; returns how many APICs took it. */
static int ioapic_send(struct kvm_x86_irqchip *chip, unsigned int pin)
{
	u64 *rte = &chip->ioapic.redirtbl[pin].bits;
	struct kvm_lapic_irq irq = {
		.vector = *rte & RTE_VECTOR,
		.mode = (*rte & RTE_DELIVERY_MODE) >> 8,
		.level = *rte & RTE_LEVEL,
		.dest = *rte >> RTE_DEST_SHIFT,
		.logical = *rte & RTE_DEST_LOGICAL,
	};
	int n = kvm_irq_send(chip->kvm, &irq);

	if (n && irq.level)
		*rte |= RTE_REMOTE_IRR;
	return n;
}

/* A level pin whose line is up sends when nothing holds it back. */
static void ioapic_service_level(struct kvm_x86_irqchip *chip, unsigned int pin)
{
	u64 rte = chip->ioapic.redirtbl[pin].bits;

	if ((rte & RTE_LEVEL) && !(rte & (RTE_MASKED | RTE_REMOTE_IRR)) &&
	    (chip->ioapic.irr & BIT(pin)))
		ioapic_send(chip, pin);
}

/**
 * kvm_ioapic_set_irq() - an input line of the I/O APIC changes level
 * @chip: the chip set, locked
 * @pin: 0-23
 * @level: the new level (asserted or not, whatever the polarity)
 *
 * Return: 1 if a message went out, 0 if it was masked or coalesced with
 * one still in service.
 */
int kvm_ioapic_set_irq(struct kvm_x86_irqchip *chip, unsigned int pin,
		       bool level)
{
	u64 rte = chip->ioapic.redirtbl[pin].bits;
	bool was = chip->ioapic.irr & BIT(pin);

	if (level)
		chip->ioapic.irr |= BIT(pin);
	else
		chip->ioapic.irr &= ~BIT(pin);
	if (!level || (rte & RTE_MASKED))
		return 0;
	if (rte & RTE_LEVEL)
		return rte & RTE_REMOTE_IRR ? 0 : ioapic_send(chip, pin) > 0;
	return was ? 0 : ioapic_send(chip, pin) > 0;
}

/**
 * kvm_ioapic_eoi() - a local APIC's EOI for a level-triggered vector
 * @chip: the chip set, locked
 * @vector: the vector
 *
 * Clears the remote IRR of the level pins with that vector.  The caller
 * tells whoever waits for the acknowledgment (a resampling irqfd lowers
 * its line) and then calls kvm_ioapic_service() for them.
 *
 * Return: the pins whose remote IRR was cleared, a bit each.
 */
u32 kvm_ioapic_eoi(struct kvm_x86_irqchip *chip, u8 vector)
{
	unsigned int pin;
	u32 acked = 0;

	for (pin = 0; pin < KVM_IOAPIC_PINS; pin++) {
		u64 *rte = &chip->ioapic.redirtbl[pin].bits;

		if ((*rte & RTE_VECTOR) != vector || !(*rte & RTE_LEVEL) ||
		    !(*rte & RTE_REMOTE_IRR))
			continue;
		*rte &= ~RTE_REMOTE_IRR;
		acked |= BIT(pin);
	}
	return acked;
}

/**
 * kvm_ioapic_edge_pins() - the edge-triggered pins that send a vector
 * @chip: the chip set, locked
 * @vector: the vector of a local APIC's EOI
 *
 * The I/O APIC never sees the EOI of an edge-triggered interrupt; the
 * PIT's reinjection waits for it all the same (pit.c).
 *
 * Return: the unmasked edge-triggered pins with that vector, a bit each.
 */
u32 kvm_ioapic_edge_pins(struct kvm_x86_irqchip *chip, u8 vector)
{
	unsigned int pin;
	u32 pins = 0;

	for (pin = 0; pin < KVM_IOAPIC_PINS; pin++) {
		u64 rte = chip->ioapic.redirtbl[pin].bits;

		if ((rte & RTE_VECTOR) == vector &&
		    !(rte & (RTE_LEVEL | RTE_MASKED)))
			pins |= BIT(pin);
	}
	return pins;
}

/**
 * kvm_ioapic_service() - send for the level pins whose lines are still up
 * @chip: the chip set, locked
 * @pins: the pins, a bit each
 */
void kvm_ioapic_service(struct kvm_x86_irqchip *chip, u32 pins)
{
	unsigned int pin;

	for (pin = 0; pin < KVM_IOAPIC_PINS; pin++)
		if (pins & BIT(pin))
			ioapic_service_level(chip, pin);
}

static u32 ioapic_read_window(struct kvm_x86_irqchip *chip)
{
	struct kvm_ioapic_state *s = &chip->ioapic;
	u32 reg = s->ioregsel & 0xff, pin;

	switch (reg) {
	case IOAPIC_REG_ID:
	case IOAPIC_REG_ARB:
		return (s->id & 0xf) << 24;
	case IOAPIC_REG_VERSION:
		return IOAPIC_VERSION;
	}
	pin = (reg - IOAPIC_REG_TABLE) >> 1;
	if (reg < IOAPIC_REG_TABLE || pin >= KVM_IOAPIC_PINS)
		return 0;
	return reg & 1 ? s->redirtbl[pin].bits >> 32 : s->redirtbl[pin].bits;
}

static void ioapic_write_window(struct kvm_x86_irqchip *chip, u32 val)
{
	struct kvm_ioapic_state *s = &chip->ioapic;
	u32 reg = s->ioregsel & 0xff, pin;
	u64 *rte, old, new;

	if (reg == IOAPIC_REG_ID) {
		s->id = (val >> 24) & 0xf;
		return;
	}
	pin = (reg - IOAPIC_REG_TABLE) >> 1;
	if (reg < IOAPIC_REG_TABLE || pin >= KVM_IOAPIC_PINS)
		return;
	rte = &s->redirtbl[pin].bits;
	old = *rte;
	if (reg & 1)
		new = (old & 0xffffffffULL) | ((u64)val << 32);
	else
		new = (old & ~0xffffffffULL) | val;
	new = (new & RTE_WRITABLE) | (old & ~RTE_WRITABLE);
	/* An edge-triggered pin has no remote IRR. */
	if (!(new & RTE_LEVEL))
		new &= ~RTE_REMOTE_IRR;
	*rte = new;
	ioapic_service_level(chip, pin);
}

/**
 * kvm_ioapic_read() - a 32-bit read of the register window
 * @chip: the chip set, locked
 * @off: offset in the window: 0 (IOREGSEL) or 0x10 (IOWIN)
 * @val: the value
 */
void kvm_ioapic_read(struct kvm_x86_irqchip *chip, u32 off, u32 *val)
{
	if (off == 0)
		*val = chip->ioapic.ioregsel;
	else if (off == 0x10)
		*val = ioapic_read_window(chip);
	else
		*val = 0;
}

/**
 * kvm_ioapic_write() - a 32-bit write of the register window
 * @chip: the chip set, locked
 * @off: offset in the window: 0 (IOREGSEL) or 0x10 (IOWIN)
 * @val: the value
 */
void kvm_ioapic_write(struct kvm_x86_irqchip *chip, u32 off, u32 val)
{
	if (off == 0)
		chip->ioapic.ioregsel = val & 0xff;
	else if (off == 0x10)
		ioapic_write_window(chip, val);
}

/**
 * kvm_ioapic_restored() - KVM_SET_IRQCHIP wrote the state
 * @chip: the chip set, locked
 *
 * Level pins whose line is up and that wait for nothing send now.
 */
void kvm_ioapic_restored(struct kvm_x86_irqchip *chip)
{
	chip->ioapic.base_address = KVM_IOAPIC_BASE;
	kvm_ioapic_service(chip, GENMASK(KVM_IOAPIC_PINS - 1, 0));
}

/**
 * kvm_ioapic_reset() - the I/O APIC after power-up: every pin masked
 * @chip: the chip set, locked or not yet visible
 */
void kvm_ioapic_reset(struct kvm_x86_irqchip *chip)
{
	unsigned int pin;

	memset(&chip->ioapic, 0, sizeof(chip->ioapic));
	chip->ioapic.base_address = KVM_IOAPIC_BASE;
	for (pin = 0; pin < KVM_IOAPIC_PINS; pin++)
		chip->ioapic.redirtbl[pin].bits = RTE_MASKED;
}
