/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The interrupt controllers of the PC that KVM_CREATE_IRQCHIP puts in
 * the kernel: two cascaded 8259A PICs (pic.c) and an I/O APIC (ioapic.c).
 */
#ifndef ARCH_X86_KVM_IRQCHIP_H
#define ARCH_X86_KVM_IRQCHIP_H

#include <linux/kvm.h>
#include <linux/spinlock.h>

#define KVM_PIC_MASTER		0
#define KVM_PIC_SLAVE		1
#define KVM_IOAPIC_PINS		KVM_IOAPIC_NUM_PINS
#define KVM_IOAPIC_BASE		0xfec00000ULL
#define KVM_IOAPIC_SIZE		0x100

/**
 * struct kvm_x86_irqchip - the VM's PICs and I/O APIC
 * @kvm:	the VM
 * @lock:	protects all of it; taken with interrupts off, as lines may
 *		change from any context
 * @pic:	the master and slave 8259A, in the KVM_GET_IRQCHIP layout
 * @pic_output:	the master's INTR line
 * @ioapic:	the I/O APIC, in the KVM_GET_IRQCHIP layout; its irr holds
 *		the level of each input line
 */
struct kvm_x86_irqchip {
	struct kvm *kvm;
	spinlock_t lock;	/* the whole chip set */
	struct kvm_pic_state pic[2];
	bool pic_output;
	struct kvm_ioapic_state ioapic;
};

/* pic.c, under chip->lock unless said otherwise */
void kvm_pic_reset(struct kvm_x86_irqchip *chip);
int kvm_pic_set_irq(struct kvm_x86_irqchip *chip, unsigned int irq, bool level);
int kvm_pic_ack(struct kvm_x86_irqchip *chip, u16 *eoi);
bool kvm_pic_port(struct kvm_x86_irqchip *chip, u16 port, bool in, u8 *val,
		  u16 *eoi);
void kvm_pic_update(struct kvm_x86_irqchip *chip);

/* ioapic.c, under chip->lock */
void kvm_ioapic_reset(struct kvm_x86_irqchip *chip);
int kvm_ioapic_set_irq(struct kvm_x86_irqchip *chip, unsigned int pin,
		       bool level);
u32 kvm_ioapic_eoi(struct kvm_x86_irqchip *chip, u8 vector);
u32 kvm_ioapic_edge_pins(struct kvm_x86_irqchip *chip, u8 vector);
void kvm_ioapic_service(struct kvm_x86_irqchip *chip, u32 pins);
void kvm_ioapic_read(struct kvm_x86_irqchip *chip, u32 off, u32 *val);
void kvm_ioapic_write(struct kvm_x86_irqchip *chip, u32 off, u32 val);
void kvm_ioapic_restored(struct kvm_x86_irqchip *chip);

#endif /* ARCH_X86_KVM_IRQCHIP_H */
