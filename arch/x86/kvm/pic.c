// SPDX-License-Identifier: GPL-2.0-only
/*
 * Two cascaded 8259A programmable interrupt controllers, as in the PC:
 * the master at ports 0x20-0x21 with the slave's output on its input 2,
 * the slave at 0xa0-0xa1, and the edge/level control registers (ELCR) of
 * the PIIX chipsets at 0x4d0-0x4d1.  Written from the 8259A data sheet.
 *
 * The master's output reaches the processor through LINT0 of the local
 * APICs set to ExtINT (or directly with the APIC disabled); the vCPU that
 * takes it acknowledges it here (an INTA cycle) for the vector.
 */
#include <linux/kvm.h>

#include "x86.h"

#define ICW1_IC4	BIT(0)		/* ICW4 follows */
#define ICW1_INIT	BIT(4)
#define OCW3_SELECT	BIT(3)		/* OCW3 rather than OCW2 */
#define OCW3_POLL	BIT(2)
#define OCW3_READ_REG	BIT(1)		/* bit 0 then picks ISR or IRR */
#define OCW3_SPECIAL_MASK BIT(6)	/* bit 5 then sets or clears it */
#define ICW4_AEOI	BIT(1)
#define ICW4_SFNM	BIT(4)
#define PIC_CASCADE_IRQ	2
#define PIC_SPURIOUS	7

/*
 * Priority of the highest requested input in @mask, 0 (highest) to 7,
 * counting from the input after the one rotation made lowest; 8 if none.
 */
static int pic_priority(const struct kvm_pic_state *s, u8 mask)
{
	int p;

	for (p = 0; p < 8; p++)
		if (mask & BIT((p + s->priority_add) & 7))
			return p;
	return 8;
}

/* The input the chip would signal to the processor now, or -1. */
static int pic_pending(const struct kvm_pic_state *s, bool master)
{
	u8 in_service = s->isr;
	int p = pic_priority(s, s->irr & ~s->imr);

	if (p == 8)
		return -1;
	/* Fully nested: the slave may interrupt its own service routine. */
	if (master && s->special_fully_nested_mode)
		in_service &= ~BIT(PIC_CASCADE_IRQ);
	if (s->special_mask)
		in_service &= ~s->imr;
	if (p >= pic_priority(s, in_service))
		return -1;
	return (p + s->priority_add) & 7;
}

/* An input line changes; returns 1 if it raises a request, else 0. */
static int pic_set_line(struct kvm_pic_state *s, unsigned int irq, bool level)
{
	u8 mask = BIT(irq);
	int ret = 0;

	if (s->elcr & mask) {
		/* Level sensitive: the request follows the line. */
		if (level) {
			ret = !(s->irr & mask);
			s->irr |= mask;
			s->last_irr |= mask;
		} else {
			s->irr &= ~mask;
			s->last_irr &= ~mask;
		}
		return ret;
	}
	/* Edge triggered: a rising edge latches a request. */
	if (level) {
		if (!(s->last_irr & mask)) {
			ret = !(s->irr & mask);
			s->irr |= mask;
		}
		s->last_irr |= mask;
	} else {
		s->last_irr &= ~mask;
	}
	return ret;
}

/* Tell the vCPUs that take the 8259's output that it is up. */
static void pic_kick(struct kvm_x86_irqchip *chip)
{
	struct kvm_vcpu *v;
	unsigned long id;

	rcu_read_lock();
	xa_for_each(&chip->kvm->vcpus, id, v) {
		struct kvm_x86_vcpu *vcpu = to_x86_vcpu(v);

		if (vcpu->lapic && kvm_lapic_accepts_extint(vcpu))
			kvm_vcpu_kick(v);
	}
	rcu_read_unlock();
}

/**
 * kvm_pic_update() - recompute the cascade and the master's output
 * @chip: the chip set, locked
 */
void kvm_pic_update(struct kvm_x86_irqchip *chip)
{
	bool was = chip->pic_output;

	/* The slave's output is a pulse on the master's input 2. */
	if (pic_pending(&chip->pic[KVM_PIC_SLAVE], false) >= 0) {
		pic_set_line(&chip->pic[KVM_PIC_MASTER], PIC_CASCADE_IRQ, true);
		pic_set_line(&chip->pic[KVM_PIC_MASTER], PIC_CASCADE_IRQ, false);
	}
	chip->pic_output = pic_pending(&chip->pic[KVM_PIC_MASTER], true) >= 0;
	if (chip->pic_output && !was)
		pic_kick(chip);
}

/**
 * kvm_pic_set_irq() - an ISA interrupt line changes level
 * @chip: the chip set, locked
 * @irq: 0-15; 8-15 are the slave's
 * @level: the new level
 *
 * Return: 1 if the line raised a new request, 0 if it did not (the
 * request was already there, or the line went down).
 */
int kvm_pic_set_irq(struct kvm_x86_irqchip *chip, unsigned int irq, bool level)
{
	int ret = pic_set_line(&chip->pic[irq >> 3], irq & 7, level);

	kvm_pic_update(chip);
	return ret;
}

/*
 * The processor takes input @irq of @s (INTA).  Returns @irq's bit if
 * the acknowledge was its end of interrupt too (automatic EOI mode).
 */
static u8 pic_ack_one(struct kvm_pic_state *s, int irq)
{
	u8 mask = BIT(irq);

	/* An edge request is consumed; a level one stays with its line. */
	if (!(s->elcr & mask))
		s->irr &= ~mask;
	if (!s->auto_eoi) {
		s->isr |= mask;
		return 0;
	}
	if (s->rotate_on_auto_eoi)
		s->priority_add = (irq + 1) & 7;
	return mask;
}

/**
 * kvm_pic_ack() - acknowledge the master's output: the INTA cycles
 * @chip: the chip set, locked
 * @eoi: set to the inputs (8-15 the slave's) whose interrupt ended with
 *	the acknowledge, in automatic EOI mode
 *
 * Return: the vector; a request that went away in the meantime gives
 * the spurious vector of input 7, as the 8259A does.
 */
int kvm_pic_ack(struct kvm_x86_irqchip *chip, u16 *eoi)
{
	struct kvm_pic_state *m = &chip->pic[KVM_PIC_MASTER];
	struct kvm_pic_state *sl = &chip->pic[KVM_PIC_SLAVE];
	int irq = pic_pending(m, true), irq2, vector;

	*eoi = 0;
	if (irq < 0) {
		vector = m->irq_base + PIC_SPURIOUS;
	} else if (irq == PIC_CASCADE_IRQ) {
		*eoi = pic_ack_one(m, irq);
		irq2 = pic_pending(sl, false);
		if (irq2 < 0) {
			vector = sl->irq_base + PIC_SPURIOUS;
		} else {
			*eoi |= pic_ack_one(sl, irq2) << 8;
			vector = sl->irq_base + irq2;
		}
	} else {
		*eoi = pic_ack_one(m, irq);
		vector = m->irq_base + irq;
	}
	kvm_pic_update(chip);
	return vector;
}

/* ICW1: start the initialization sequence. */
static void pic_icw1(struct kvm_pic_state *s, u8 val)
{
	s->imr = 0;
	s->isr = 0;
	s->irr = 0;
	s->last_irr = 0;
	s->priority_add = 0;
	s->read_reg_select = 0;
	s->poll = 0;
	s->special_mask = 0;
	s->auto_eoi = 0;
	s->rotate_on_auto_eoi = 0;
	s->special_fully_nested_mode = 0;
	s->init4 = val & ICW1_IC4;
	s->init_state = 1;
}

/*
 * OCW2: end of interrupt and priority rotation.  Returns the bit of the
 * input whose interrupt ended, if one did.
 */
static u8 pic_ocw2(struct kvm_pic_state *s, u8 val)
{
	int irq = val & 7, p;
	u8 was = s->isr;

	switch (val >> 5) {
	case 0:	/* rotate in automatic EOI mode: clear */
	case 4:	/* ... set */
		s->rotate_on_auto_eoi = val >> 7;
		break;
	case 1:	/* non-specific EOI */
	case 5:	/* ... and rotate */
		p = pic_priority(s, s->isr);
		if (p == 8)
			break;
		irq = (p + s->priority_add) & 7;
		s->isr &= ~BIT(irq);
		if (val >> 5 == 5)
			s->priority_add = (irq + 1) & 7;
		break;
	case 3:	/* specific EOI */
		s->isr &= ~BIT(irq);
		break;
	case 6:	/* set priority: @irq becomes the lowest */
		s->priority_add = (irq + 1) & 7;
		break;
	case 7:	/* specific EOI and rotate */
		s->isr &= ~BIT(irq);
		s->priority_add = (irq + 1) & 7;
		break;
	}
	return was & ~s->isr;
}

/* Returns the bit of the input whose interrupt ended, if one did. */
static u8 pic_write(struct kvm_pic_state *s, bool a0, u8 val)
{
	if (!a0) {
		if (val & ICW1_INIT) {
			pic_icw1(s, val);
		} else if (val & OCW3_SELECT) {
			s->poll = !!(val & OCW3_POLL);
			if (val & OCW3_READ_REG)
				s->read_reg_select = val & 1;
			if (val & OCW3_SPECIAL_MASK)
				s->special_mask = (val >> 5) & 1;
		} else {
			return pic_ocw2(s, val);
		}
		return 0;
	}
	switch (s->init_state) {
	case 0:		/* OCW1: the mask */
		s->imr = val;
		break;
	case 1:		/* ICW2: the vector base */
		s->irq_base = val & 0xf8;
		s->init_state = 2;
		break;
	case 2:		/* ICW3: the cascade wiring, fixed here */
		s->init_state = s->init4 ? 3 : 0;
		break;
	case 3:		/* ICW4 */
		s->auto_eoi = !!(val & ICW4_AEOI);
		s->special_fully_nested_mode = !!(val & ICW4_SFNM);
		s->init_state = 0;
		break;
	}
	return 0;
}

/*
 * The poll command: acknowledge the highest request without INTA.  Sets
 * @eoi as pic_ack_one() returns.
 */
static u8 pic_poll(struct kvm_x86_irqchip *chip, unsigned int n, u8 *eoi)
{
	struct kvm_pic_state *s = &chip->pic[n];
	int irq = pic_pending(s, n == KVM_PIC_MASTER);

	s->poll = 0;
	if (irq < 0)
		return 0;
	/* A poll is an acknowledge: the input goes in service. */
	*eoi = pic_ack_one(s, irq);
	return 0x80 | irq;
}

/**
 * kvm_pic_port() - a port access that may be the PICs'
 * @chip: the chip set
 * @port: the port
 * @in: a read
 * @val: the byte written, or where the byte read goes
 * @eoi: set to the inputs (8-15 the slave's) whose interrupt the access
 *	ended, if it is the PICs'
 *
 * Return: true if @port belongs to the PICs (the access is done).
 */
bool kvm_pic_port(struct kvm_x86_irqchip *chip, u16 port, bool in, u8 *val,
		  u16 *eoi)
{
	unsigned int n;
	struct kvm_pic_state *s;
	unsigned long flags;
	u8 ended = 0;

	switch (port) {
	case 0x20: case 0x21: case 0xa0: case 0xa1:
		n = port >> 7;
		break;
	case 0x4d0: case 0x4d1:
		n = port & 1;
		break;
	default:
		return false;
	}
	s = &chip->pic[n];
	spin_lock_irqsave(&chip->lock, flags);
	if (port >= 0x4d0) {
		if (in)
			*val = s->elcr;
		else
			s->elcr = *val & s->elcr_mask;
	} else if (!in) {
		ended = pic_write(s, port & 1, *val);
	} else if (s->poll) {
		*val = pic_poll(chip, n, &ended);
	} else if (port & 1) {
		*val = s->imr;
	} else {
		*val = s->read_reg_select ? s->isr : s->irr;
	}
	kvm_pic_update(chip);
	spin_unlock_irqrestore(&chip->lock, flags);
	*eoi = ended << (n * 8);
	return true;
}

/**
 * kvm_pic_reset() - both PICs as after power-up
 * @chip: the chip set, locked or not yet visible
 *
 * Inputs 0-2 of the master and 8 and 13 of the slave are edge triggered
 * on the PIIX and cannot be made level triggered.
 */
void kvm_pic_reset(struct kvm_x86_irqchip *chip)
{
	memset(chip->pic, 0, sizeof(chip->pic));
	chip->pic[KVM_PIC_MASTER].elcr_mask = 0xf8;
	chip->pic[KVM_PIC_SLAVE].elcr_mask = 0xde;
	chip->pic_output = false;
}
