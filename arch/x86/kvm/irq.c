// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts in a VM whose interrupt controllers are in the kernel: the
 * APIC bus that carries interrupt messages to the local APICs, the GSI
 * routing table that says where each interrupt line goes (PIC and I/O
 * APIC pins, or MSI messages), and the VM and vCPU ioctls that drive
 * them and save and restore their state.
 *
 * KVM_CREATE_IRQCHIP installs the PC's set (irqchip.h) with the routing
 * api.rst describes: GSIs 0-15 go to the PICs and to the same I/O APIC
 * pins, 16-23 to the I/O APIC only.  The routing table is replaced whole
 * by KVM_SET_GSI_ROUTING and read under RCU, so that lines can be raised
 * from any context.
 */
#include <linux/kvm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <asm/apicdef.h>

#include "x86.h"

/**
 * struct kvm_irq_routes - a GSI routing table
 * @rcu:	frees it after the readers that may still use it
 * @nr:		number of entries
 * @e:		the entries, sorted by GSI
 */
struct kvm_irq_routes {
	struct rcu_head rcu;
	u32 nr;
	struct kvm_irq_routing_entry e[] __counted_by(nr);
};

/**
 * kvm_irq_send() - deliver an interrupt message to the APICs it addresses
 * @kvm: the VM
 * @irq: the message
 *
 * A lowest-priority message goes to one of the addressed APICs, the one
 * with the lowest task priority (the first of equals); the others go to
 * every APIC addressed.  Callable from any context.
 *
 * Return: how many APICs took the message.
 */
int kvm_irq_send(struct kvm *kvm, const struct kvm_lapic_irq *irq)
{
	struct kvm_x86_vcpu *vcpu, *lowest = NULL;
	struct kvm_vcpu *v;
	unsigned long id;
	int n = 0;

	rcu_read_lock();
	xa_for_each(&kvm->vcpus, id, v) {
		vcpu = to_x86_vcpu(v);
		if (!kvm_lapic_match(vcpu, irq))
			continue;
		if (irq->mode != APIC_DELIVERY_MODE_LOWESTPRIO) {
			n += kvm_lapic_deliver(vcpu, irq);
			continue;
		}
		if (!lowest ||
		    kvm_lapic_priority(vcpu) < kvm_lapic_priority(lowest))
			lowest = vcpu;
	}
	if (lowest)
		n += kvm_lapic_deliver(lowest, irq);
	rcu_read_unlock();
	return n;
}

/*
 * With the split irqchip: is @vector that of a level-triggered MSI route
 * of one of userspace's I/O APIC pins (the GSIs below the number given
 * to KVM_CAP_SPLIT_IRQCHIP)?  Those are the EOIs userspace wants to see.
 */
static bool irq_split_pin_vector(struct kvm *kvm, u8 vector)
{
	struct kvm_x86 *kx = to_kvm_x86(kvm);
	const struct kvm_irq_routes *rt;
	bool found = false;
	u32 i;

	if (READ_ONCE(kx->irqchip) != KVM_IRQCHIP_SPLIT)
		return false;
	rcu_read_lock();
	rt = rcu_dereference(kx->routes);
	for (i = 0; rt && i < rt->nr && !found; i++) {
		const struct kvm_irq_routing_entry *e = &rt->e[i];

		found = e->gsi < kx->split_pins &&
			e->type == KVM_IRQ_ROUTING_MSI &&
			(e->u.msi.data & APIC_INT_LEVELTRIG) &&
			(e->u.msi.data & APIC_VECTOR_MASK) == vector;
	}
	rcu_read_unlock();
	return found;
}

/*
 * The guest ended the interrupts of @pins of @irqchip: tell those who
 * wait for that about the GSIs the pins belong to.  Resampling irqfds
 * wait for level-triggered I/O APIC pins, the PIT for its GSI when it
 * holds back ticks to reinject.
 */
static void irq_pins_acked(struct kvm *kvm, u32 irqchip, u32 pins,
			   bool level)
{
	const struct kvm_irq_routes *rt;
	u32 i, gsi[KVM_IOAPIC_PINS], n = 0;

	if (!level && !kvm_pit_awaits_ack(kvm))
		return;
	rcu_read_lock();
	rt = rcu_dereference(to_kvm_x86(kvm)->routes);
	for (i = 0; rt && i < rt->nr && n < ARRAY_SIZE(gsi); i++)
		if (rt->e[i].type == KVM_IRQ_ROUTING_IRQCHIP &&
		    rt->e[i].u.irqchip.irqchip == irqchip &&
		    pins & BIT(rt->e[i].u.irqchip.pin))
			gsi[n++] = rt->e[i].gsi;
	rcu_read_unlock();
	for (i = 0; i < n; i++) {
		if (level)
			kvm_irqfd_acked(kvm, gsi[i]);
		if (gsi[i] == KVM_PIT_GSI)
			kvm_pit_acked(kvm);
	}
}

/* The PICs' inputs in @eoi (8-15 the slave's) ended their interrupts. */
static void irq_pic_acked(struct kvm *kvm, u16 eoi)
{
	if (eoi & 0xff)
		irq_pins_acked(kvm, KVM_IRQCHIP_PIC_MASTER, eoi & 0xff, false);
	if (eoi >> 8)
		irq_pins_acked(kvm, KVM_IRQCHIP_PIC_SLAVE, eoi >> 8, false);
}

/**
 * kvm_irq_eoi() - a local APIC finished an interrupt
 * @vcpu: the vCPU whose APIC got the EOI
 * @vector: the interrupt's vector
 * @level: the interrupt was level-triggered
 *
 * Level-triggered interrupts come from I/O APIC pins, which re-arm on
 * the EOI: a pin sends again if its line is still up.  The EOI of an
 * edge-triggered one matters only to the PIT's reinjection.
 */
void kvm_irq_eoi(struct kvm_x86_vcpu *vcpu, u8 vector, bool level)
{
	struct kvm *kvm = vcpu->vcpu.kvm;
	struct kvm_x86_irqchip *chip = to_kvm_x86(kvm)->chip;
	unsigned long flags;
	u32 acked;

	if (!chip) {
		/* Userspace's I/O APIC learns of it by an exit. */
		if (level && irq_split_pin_vector(kvm, vector))
			vcpu->eoi_exit = vector + 1;
		return;
	}
	if (!level) {
		if (!kvm_pit_awaits_ack(kvm))
			return;
		spin_lock_irqsave(&chip->lock, flags);
		acked = kvm_ioapic_edge_pins(chip, vector);
		spin_unlock_irqrestore(&chip->lock, flags);
		if (acked)
			irq_pins_acked(kvm, KVM_IRQCHIP_IOAPIC, acked, false);
		return;
	}
	spin_lock_irqsave(&chip->lock, flags);
	acked = kvm_ioapic_eoi(chip, vector);
	spin_unlock_irqrestore(&chip->lock, flags);
	if (!acked)
		return;
	/* Resampling irqfds lower their lines before the pins look again. */
	irq_pins_acked(kvm, KVM_IRQCHIP_IOAPIC, acked, true);
	spin_lock_irqsave(&chip->lock, flags);
	kvm_ioapic_service(chip, acked);
	spin_unlock_irqrestore(&chip->lock, flags);
}

/**
 * kvm_irq_extint_pending() - does the 8259 interrupt this vCPU?
 * @vcpu: the vCPU
 *
 * With the split irqchip the 8259 is userspace's, which gives its
 * interrupts with KVM_INTERRUPT.
 *
 * Return: true if the master PIC's output is up and reaches @vcpu.
 */
bool kvm_irq_extint_pending(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_x86_irqchip *chip = to_kvm_x86(vcpu->vcpu.kvm)->chip;

	if (!chip)
		return vcpu->extint && kvm_lapic_accepts_extint(vcpu);
	return READ_ONCE(chip->pic_output) && kvm_lapic_accepts_extint(vcpu);
}

/**
 * kvm_irq_extint_ack() - take the 8259's interrupt
 * @vcpu: the vCPU, for which kvm_irq_extint_pending() was true
 *
 * Return: the vector, from the INTA cycle.
 */
u8 kvm_irq_extint_ack(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_x86_irqchip *chip = to_kvm_x86(vcpu->vcpu.kvm)->chip;
	unsigned long flags;
	u16 eoi;
	u8 vector;

	if (!chip) {
		vector = vcpu->extint - 1;
		vcpu->extint = 0;
		return vector;
	}
	spin_lock_irqsave(&chip->lock, flags);
	vector = kvm_pic_ack(chip, &eoi);
	spin_unlock_irqrestore(&chip->lock, flags);
	if (eoi)
		irq_pic_acked(vcpu->vcpu.kvm, eoi);
	return vector;
}

/**
 * kvm_irq_enable_x2apic_api() - KVM_ENABLE_CAP(KVM_CAP_X2APIC_API)
 * @kvm: the VM
 * @flags: KVM_X2APIC_API_* flags
 *
 * USE_32BIT_IDS makes KVM_GET/SET_LAPIC give an x2APIC's whole id and
 * MSIs take bits 31:8 of their destination from the address' high half;
 * DISABLE_BROADCAST_QUIRK stops treating destination 0xff of an MSI or
 * I/O APIC message as a broadcast to x2APICs.
 *
 * Return: 0, or -EINVAL for unknown flags.
 */
int kvm_irq_enable_x2apic_api(struct kvm *kvm, u64 flags)
{
	if (flags & ~(KVM_X2APIC_API_USE_32BIT_IDS |
		      KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK))
		return -EINVAL;
	WRITE_ONCE(to_kvm_x86(kvm)->x2apic_api, flags);
	return 0;
}

/**
 * kvm_irq_msi() - send an MSI
 * @kvm: the VM
 * @addr: the message address (bits 19:12 the destination, bit 2 logical;
 *	with KVM_X2APIC_API_USE_32BIT_IDS bits 63:40 are destination bits
 *	31:8)
 * @data: the message data (vector, delivery mode, trigger mode: an I/O
 *	APIC in userspace sends its level-triggered pins' interrupts so)
 *
 * Return: how many APICs took it.
 */
int kvm_irq_msi(struct kvm *kvm, u64 addr, u32 data)
{
	struct kvm_lapic_irq irq = {
		.vector = data & APIC_VECTOR_MASK,
		.mode = (data & APIC_MODE_MASK) >> 8,
		.level = data & APIC_INT_LEVELTRIG,
		.dest = (addr >> 12) & 0xff,
		.logical = addr & BIT(2),
	};

	if (READ_ONCE(to_kvm_x86(kvm)->x2apic_api) &
	    KVM_X2APIC_API_USE_32BIT_IDS)
		irq.dest |= (addr >> 32) & 0xffffff00;
	return kvm_irq_send(kvm, &irq);
}

/**
 * kvm_irq_mmio() - a guest access that may be to an interrupt controller
 * @vcpu: the vCPU, loaded
 * @gpa: the address, in no memory slot
 * @data: what is written, or where the value read goes
 * @len: its size
 * @write: a write
 *
 * The vCPU's local APIC page and the I/O APIC's register window are in
 * the kernel.  Accesses to the I/O APIC other than aligned 32-bit ones
 * read 0 and write nothing, as on the 82093AA.
 *
 * Return: true if the access was handled.
 */
bool kvm_irq_mmio(struct kvm_x86_vcpu *vcpu, gpa_t gpa, void *data,
		  unsigned int len, bool write)
{
	struct kvm_x86_irqchip *chip = to_kvm_x86(vcpu->vcpu.kvm)->chip;
	unsigned long flags;
	u32 val = 0;

	if (kvm_lapic_mmio(vcpu, gpa, data, len, write))
		return true;
	if (!chip || gpa < KVM_IOAPIC_BASE ||
	    gpa >= KVM_IOAPIC_BASE + KVM_IOAPIC_SIZE)
		return false;
	if (len == 4 && !(gpa & 3)) {
		spin_lock_irqsave(&chip->lock, flags);
		if (write) {
			memcpy(&val, data, 4);
			kvm_ioapic_write(chip, gpa - KVM_IOAPIC_BASE, val);
		} else {
			kvm_ioapic_read(chip, gpa - KVM_IOAPIC_BASE, &val);
		}
		spin_unlock_irqrestore(&chip->lock, flags);
	}
	if (!write)
		memcpy(data, &val, min_t(unsigned int, len, 4));
	return true;
}

/**
 * kvm_irq_pio() - a port access that may be to an interrupt controller
 * or the PIT
 * @vcpu: the vCPU
 * @port: the port
 * @size: 1, 2 or 4 bytes
 * @in: a read, whose value goes to AL
 *
 * Return: true if the access was handled in the kernel.
 */
bool kvm_irq_pio(struct kvm_x86_vcpu *vcpu, u16 port, u8 size, bool in)
{
	struct kvm_x86_irqchip *chip = to_kvm_x86(vcpu->vcpu.kvm)->chip;
	u8 val = vcpu->regs[VCPU_RAX];
	u16 eoi = 0;

	if (!chip || size != 1)
		return false;
	if (!kvm_pic_port(chip, port, in, &val, &eoi) &&
	    !kvm_pit_pio(vcpu->vcpu.kvm, port, size, in, &val))
		return false;
	if (eoi)
		irq_pic_acked(vcpu->vcpu.kvm, eoi);
	if (in)
		vcpu->regs[VCPU_RAX] = (vcpu->regs[VCPU_RAX] & ~0xffUL) | val;
	return true;
}

static const struct kvm_irq_routing_entry *
irq_routes_find(const struct kvm_irq_routes *rt, u32 gsi)
{
	u32 lo = 0, hi = rt->nr;

	/* The first entry for @gsi, if any. */
	while (lo < hi) {
		u32 mid = (lo + hi) / 2;

		if (rt->e[mid].gsi < gsi)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rt->nr && rt->e[lo].gsi == gsi ? &rt->e[lo] : NULL;
}

/* Drive one routing entry's target; 1 delivered, 0 not, -1 no target. */
static int irq_route_set(struct kvm *kvm,
			 const struct kvm_irq_routing_entry *e, bool level)
{
	struct kvm_x86_irqchip *chip = to_kvm_x86(kvm)->chip;
	unsigned long flags;
	int ret;

	if (e->type == KVM_IRQ_ROUTING_MSI)
		return level ? kvm_irq_msi(kvm, (u64)e->u.msi.address_hi << 32 |
					   e->u.msi.address_lo,
					   e->u.msi.data) : 0;
	if (e->type == KVM_IRQ_ROUTING_HV_SINT)
		return level ? kvm_hv_synic_set_irq(kvm, e->u.hv_sint.vcpu,
						    e->u.hv_sint.sint) : 0;
	spin_lock_irqsave(&chip->lock, flags);
	if (e->u.irqchip.irqchip == KVM_IRQCHIP_IOAPIC)
		ret = kvm_ioapic_set_irq(chip, e->u.irqchip.pin, level);
	else
		ret = kvm_pic_set_irq(chip, e->u.irqchip.irqchip * 8 +
				      e->u.irqchip.pin, level);
	spin_unlock_irqrestore(&chip->lock, flags);
	return ret;
}

/**
 * kvm_irq_set() - set the level of a GSI
 * @kvm: the VM
 * @gsi: the GSI
 * @level: its new level; for MSI routes only a rising level sends
 *
 * Callable from any context.
 *
 * Return: as KVM_IRQ_LINE_STATUS reports it: -1 if the GSI goes nowhere,
 * 0 if the interrupt was masked or merged with one not yet serviced, a
 * positive number if it was delivered.
 */
int kvm_irq_set(struct kvm *kvm, u32 gsi, bool level)
{
	struct kvm_irq_routes *rt;
	const struct kvm_irq_routing_entry *e;
	int ret = -1;

	rcu_read_lock();
	rt = rcu_dereference(to_kvm_x86(kvm)->routes);
	e = rt ? irq_routes_find(rt, gsi) : NULL;
	for (; e && e < rt->e + rt->nr && e->gsi == gsi; e++)
		ret = max(ret, 0) + max(irq_route_set(kvm, e, level), 0);
	rcu_read_unlock();
	return ret;
}

/**
 * kvm_irq_gsi_masked() - can an interrupt of a GSI reach no processor?
 * @kvm: the VM, with its interrupt controllers in the kernel
 * @gsi: the GSI
 *
 * Return: true if @gsi goes nowhere, or only to masked interrupt
 * controller inputs: masked I/O APIC pins, PIC inputs masked in their
 * PIC or, on the slave, behind a masked cascade input of the master.
 */
bool kvm_irq_gsi_masked(struct kvm *kvm, u32 gsi)
{
	struct kvm_x86_irqchip *chip = to_kvm_x86(kvm)->chip;
	const struct kvm_irq_routing_entry *e;
	const struct kvm_irq_routes *rt;
	bool masked = true;
	unsigned long flags;
	u32 pin;

	if (!chip)
		return false;
	rcu_read_lock();
	rt = rcu_dereference(to_kvm_x86(kvm)->routes);
	e = rt ? irq_routes_find(rt, gsi) : NULL;
	spin_lock_irqsave(&chip->lock, flags);
	for (; e && e < rt->e + rt->nr && e->gsi == gsi && masked; e++) {
		if (e->type != KVM_IRQ_ROUTING_IRQCHIP) {
			masked = false;
			break;
		}
		pin = e->u.irqchip.pin;
		if (e->u.irqchip.irqchip == KVM_IRQCHIP_IOAPIC)
			masked = chip->ioapic.redirtbl[pin].fields.mask;
		else if (e->u.irqchip.irqchip == KVM_IRQCHIP_PIC_MASTER)
			masked = chip->pic[KVM_PIC_MASTER].imr & BIT(pin);
		else
			masked = (chip->pic[KVM_PIC_SLAVE].imr & BIT(pin)) ||
				 (chip->pic[KVM_PIC_MASTER].imr & BIT(2));
	}
	spin_unlock_irqrestore(&chip->lock, flags);
	rcu_read_unlock();
	return masked;
}

static int irq_route_cmp(const void *a, const void *b)
{
	const struct kvm_irq_routing_entry *x = a, *y = b;

	return x->gsi < y->gsi ? -1 : x->gsi > y->gsi;
}

/*
 * A routing entry must say something we can do: an MSI, or a pin of one
 * of the PC's interrupt controllers if they are in the kernel.  A GSI may go to several pins, at
 * most one per controller, or to one MSI.  (@e is sorted by GSI.)
 */
static int irq_routes_check(struct kvm *kvm, struct kvm_irq_routes *rt)
{
	u32 i, j;

	for (i = 0; i < rt->nr; i++) {
		struct kvm_irq_routing_entry *e = &rt->e[i];
		struct kvm_irq_routing_entry *prev = i ? e - 1 : NULL;

		if (e->gsi >= KVM_X86_MAX_IRQ_ROUTES || e->flags)
			return -EINVAL;
		switch (e->type) {
		case KVM_IRQ_ROUTING_IRQCHIP:
			if (!to_kvm_x86(kvm)->chip ||
			    e->u.irqchip.irqchip >= KVM_NR_IRQCHIPS ||
			    e->u.irqchip.pin >=
			    (e->u.irqchip.irqchip == KVM_IRQCHIP_IOAPIC ?
			     KVM_IOAPIC_PINS : 8))
				return -EINVAL;
			break;
		case KVM_IRQ_ROUTING_MSI:
			break;
		case KVM_IRQ_ROUTING_HV_SINT:
			/* To a VP index; a SynIC that is not there gets nothing. */
			if (e->u.hv_sint.sint >= HV_SYNIC_SINT_COUNT)
				return -EINVAL;
			break;
		default:
			return -EINVAL;
		}
		if (!prev || prev->gsi != e->gsi)
			continue;
		if (prev->type != KVM_IRQ_ROUTING_IRQCHIP ||
		    e->type != KVM_IRQ_ROUTING_IRQCHIP)
			return -EINVAL;
		/* Sorted by GSI only: compare with every earlier one. */
		for (j = i; j-- > 0 && rt->e[j].gsi == e->gsi;)
			if (rt->e[j].u.irqchip.irqchip == e->u.irqchip.irqchip)
				return -EINVAL;
	}
	return 0;
}

/* Install @rt (checked) as the VM's routing table. */
static void irq_routes_install(struct kvm *kvm, struct kvm_irq_routes *rt)
{
	struct kvm_x86 *kx = to_kvm_x86(kvm);
	struct kvm_irq_routes *old;

	mutex_lock(&kx->routes_lock);
	old = rcu_replace_pointer(kx->routes, rt,
				  lockdep_is_held(&kx->routes_lock));
	mutex_unlock(&kx->routes_lock);
	if (old)
		kvfree_rcu(old, rcu);
}

static struct kvm_irq_routes *irq_routes_alloc(u32 nr)
{
	struct kvm_irq_routes *rt;

	rt = kvzalloc(struct_size(rt, e, nr), GFP_KERNEL_ACCOUNT);
	if (rt)
		rt->nr = nr;
	return rt;
}

/* KVM_SET_GSI_ROUTING: replace the whole table. */
static long kvm_irq_set_routing(struct kvm *kvm, void __user *argp)
{
	struct kvm_irq_routing __user *user = argp;
	struct kvm_irq_routing hdr;
	struct kvm_irq_routes *rt;
	int ret;

	if (READ_ONCE(to_kvm_x86(kvm)->irqchip) == KVM_IRQCHIP_USER)
		return -EINVAL;
	if (copy_from_user(&hdr, user, sizeof(hdr)))
		return -EFAULT;
	if (hdr.flags || hdr.nr > KVM_X86_MAX_IRQ_ROUTES)
		return -EINVAL;
	rt = irq_routes_alloc(hdr.nr);
	if (!rt)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(rt->e, user->entries, hdr.nr * sizeof(rt->e[0])))
		goto fail;
	sort(rt->e, rt->nr, sizeof(rt->e[0]), irq_route_cmp, NULL);
	ret = irq_routes_check(kvm, rt);
	if (ret)
		goto fail;
	irq_routes_install(kvm, rt);
	return 0;
fail:
	kvfree(rt);
	return ret;
}

/* The routing KVM_CREATE_IRQCHIP sets up (api.rst). */
static struct kvm_irq_routes *irq_routes_default(void)
{
	struct kvm_irq_routes *rt = irq_routes_alloc(16 + KVM_IOAPIC_PINS);
	struct kvm_irq_routing_entry *e;
	u32 gsi;

	if (!rt)
		return NULL;
	e = rt->e;
	for (gsi = 0; gsi < KVM_IOAPIC_PINS; gsi++) {
		if (gsi < 16) {
			e->gsi = gsi;
			e->type = KVM_IRQ_ROUTING_IRQCHIP;
			e->u.irqchip.irqchip = gsi < 8 ? KVM_IRQCHIP_PIC_MASTER :
							 KVM_IRQCHIP_PIC_SLAVE;
			e->u.irqchip.pin = gsi & 7;
			e++;
		}
		e->gsi = gsi;
		e->type = KVM_IRQ_ROUTING_IRQCHIP;
		e->u.irqchip.irqchip = KVM_IRQCHIP_IOAPIC;
		e->u.irqchip.pin = gsi;
		e++;
	}
	return rt;
}

/*
 * KVM_CREATE_IRQCHIP: only once, and before the first vCPU, which gets a
 * local APIC from it.
 */
static long kvm_irq_create_chip(struct kvm *kvm)
{
	struct kvm_x86 *kx = to_kvm_x86(kvm);
	struct kvm_x86_irqchip *chip;
	struct kvm_irq_routes *rt;
	long ret = 0;

	chip = kzalloc(sizeof(*chip), GFP_KERNEL_ACCOUNT);
	rt = irq_routes_default();
	if (!chip || !rt) {
		kfree(chip);
		kvfree(rt);
		return -ENOMEM;
	}
	chip->kvm = kvm;
	spin_lock_init(&chip->lock);
	kvm_pic_reset(chip);
	kvm_ioapic_reset(chip);

	mutex_lock(&kvm->lock);
	if (kx->irqchip != KVM_IRQCHIP_USER)
		ret = -EEXIST;
	else if (kvm->created_vcpus)
		ret = -EINVAL;
	if (ret) {
		mutex_unlock(&kvm->lock);
		kfree(chip);
		kvfree(rt);
		return ret;
	}
	irq_routes_install(kvm, rt);
	kx->chip = chip;
	WRITE_ONCE(kx->irqchip, KVM_IRQCHIP_KERNEL);
	mutex_unlock(&kvm->lock);
	return 0;
}

/* KVM_IRQ_LINE and KVM_IRQ_LINE_STATUS */
static long kvm_irq_line(struct kvm *kvm, void __user *argp, bool status)
{
	struct kvm_irq_level line;

	/* With the split irqchip, GSIs may still be MSI routes. */
	if (READ_ONCE(to_kvm_x86(kvm)->irqchip) == KVM_IRQCHIP_USER)
		return -ENXIO;
	if (copy_from_user(&line, argp, sizeof(line)))
		return -EFAULT;
	line.status = kvm_irq_set(kvm, line.irq, line.level);
	if (status && copy_to_user(argp, &line, sizeof(line)))
		return -EFAULT;
	return 0;
}

/* KVM_SIGNAL_MSI: returns how many APICs took it (0: none). */
static long kvm_irq_signal_msi(struct kvm *kvm, void __user *argp)
{
	struct kvm_msi msi;

	if (READ_ONCE(to_kvm_x86(kvm)->irqchip) == KVM_IRQCHIP_USER)
		return -EINVAL;
	if (copy_from_user(&msi, argp, sizeof(msi)))
		return -EFAULT;
	if (msi.flags & ~KVM_MSI_VALID_DEVID)
		return -EINVAL;
	return kvm_irq_msi(kvm, (u64)msi.address_hi << 32 | msi.address_lo,
			   msi.data);
}

/* KVM_GET_IRQCHIP and KVM_SET_IRQCHIP: one controller at a time. */
static long kvm_irq_chip_state(struct kvm *kvm, void __user *argp, bool set)
{
	struct kvm_x86_irqchip *chip = to_kvm_x86(kvm)->chip;
	struct kvm_irqchip *state;
	unsigned long flags;
	long ret = 0;

	if (!chip)
		return -ENXIO;
	state = memdup_user(argp, sizeof(*state));
	if (IS_ERR(state))
		return PTR_ERR(state);
	if (state->chip_id >= KVM_NR_IRQCHIPS) {
		kfree(state);
		return -EINVAL;
	}
	spin_lock_irqsave(&chip->lock, flags);
	if (state->chip_id == KVM_IRQCHIP_IOAPIC) {
		if (set) {
			chip->ioapic = state->chip.ioapic;
			kvm_ioapic_restored(chip);
		} else {
			state->chip.ioapic = chip->ioapic;
		}
	} else if (set) {
		chip->pic[state->chip_id] = state->chip.pic;
		kvm_pic_update(chip);
	} else {
		state->chip.pic = chip->pic[state->chip_id];
	}
	spin_unlock_irqrestore(&chip->lock, flags);
	if (!set && copy_to_user(argp, state, sizeof(*state)))
		ret = -EFAULT;
	kfree(state);
	return ret;
}

/**
 * kvm_irq_enable_split() - KVM_CAP_SPLIT_IRQCHIP
 * @kvm: the VM
 * @pins: the GSIs of userspace's I/O APIC pins (at most as many as GSIs)
 *
 * The local APICs in the kernel, the PIC and I/O APIC in userspace, which
 * sends MSIs (KVM_SIGNAL_MSI, MSI routes) and learns of the EOIs of
 * level-triggered MSI routes of its pins by KVM_EXIT_IOAPIC_EOI.  Only before the first
 * vCPU, and without other in-kernel controllers.
 *
 * Return: 0, -EINVAL for too many pins, -EEXIST if the VM has its
 * controllers or a vCPU already, or -ENOMEM.
 */
int kvm_irq_enable_split(struct kvm *kvm, u64 pins)
{
	struct kvm_x86 *kx = to_kvm_x86(kvm);
	struct kvm_irq_routes *rt;
	int ret = 0;

	if (pins > KVM_X86_MAX_IRQ_ROUTES)
		return -EINVAL;
	rt = irq_routes_alloc(0);
	if (!rt)
		return -ENOMEM;
	/* As upstream, it is -EEXIST after the first vCPU too. */
	mutex_lock(&kvm->lock);
	if (kx->irqchip != KVM_IRQCHIP_USER || kvm->created_vcpus)
		ret = -EEXIST;
	if (!ret) {
		irq_routes_install(kvm, rt);
		kx->split_pins = pins;
		WRITE_ONCE(kx->irqchip, KVM_IRQCHIP_SPLIT);
	}
	mutex_unlock(&kvm->lock);
	if (ret)
		kvfree(rt);
	return ret;
}

/**
 * kvm_irq_eoi_exit() - does an EOI go to userspace's I/O APIC?
 * @vcpu: the vCPU, after an exit it handled
 *
 * Return: true, with KVM_EXIT_IOAPIC_EOI set up, if the guest ended a
 * level-triggered interrupt with the split irqchip.
 */
bool kvm_irq_eoi_exit(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->vcpu.run;

	if (!vcpu->eoi_exit)
		return false;
	run->exit_reason = KVM_EXIT_IOAPIC_EOI;
	run->eoi.vector = vcpu->eoi_exit - 1;
	vcpu->eoi_exit = 0;
	return true;
}

/**
 * kvm_irq_vm_ioctl() - the VM ioctls of the interrupt controllers
 * @kvm: the VM
 * @ioctl: the ioctl
 * @argp: its argument
 *
 * The PIT's go to the PIT.
 *
 * Return: as each ioctl documents it in api.rst, or -ENOTTY for another
 * ioctl.
 */
long kvm_irq_vm_ioctl(struct kvm *kvm, unsigned int ioctl, void __user *argp)
{
	switch (ioctl) {
	case KVM_CREATE_IRQCHIP:
		return kvm_irq_create_chip(kvm);
	case KVM_IRQ_LINE:
		return kvm_irq_line(kvm, argp, false);
	case KVM_IRQ_LINE_STATUS:
		return kvm_irq_line(kvm, argp, true);
	case KVM_SET_GSI_ROUTING:
		return kvm_irq_set_routing(kvm, argp);
	case KVM_SIGNAL_MSI:
		return kvm_irq_signal_msi(kvm, argp);
	case KVM_GET_IRQCHIP:
		return kvm_irq_chip_state(kvm, argp, false);
	case KVM_SET_IRQCHIP:
		return kvm_irq_chip_state(kvm, argp, true);
	default:
		return kvm_pit_vm_ioctl(kvm, ioctl, argp);
	}
}

/**
 * kvm_irq_init() - a new VM has its interrupt controllers in userspace
 * @kvm: the VM
 */
void kvm_irq_init(struct kvm *kvm)
{
	mutex_init(&to_kvm_x86(kvm)->routes_lock);
}

/**
 * kvm_irq_destroy() - free the interrupt controllers of a VM
 * @kvm: the VM, without vCPUs
 */
void kvm_irq_destroy(struct kvm *kvm)
{
	struct kvm_x86 *kx = to_kvm_x86(kvm);

	kvm_pit_destroy(kvm);
	kvfree(rcu_dereference_protected(kx->routes, true));
	kfree(kx->chip);
}

/*
 * KVM_GET_MP_STATE: without an APIC in the kernel a vCPU is always
 * runnable (userspace runs the halt and start-up protocol).
 */
static long kvm_x86_get_mp_state(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

	if (vcpu->lapic) {
		kvm_lapic_accept_events(vcpu);
		mp.mp_state = vcpu->mp_state;
	}
	return copy_to_user(argp, &mp, sizeof(mp)) ? -EFAULT : 0;
}

/*
 * KVM_SET_MP_STATE: as upstream, a vCPU without an in-kernel APIC can
 * only be runnable, and SIPI_RECEIVED means a start-up IPI that waits:
 * it becomes INIT_RECEIVED with the IPI pending, with the vector the
 * last SIPI had.
 */
static long kvm_x86_set_mp_state(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_mp_state mp;

	if (copy_from_user(&mp, argp, sizeof(mp)))
		return -EFAULT;
	switch (mp.mp_state) {
	case KVM_MP_STATE_RUNNABLE:
		break;
	case KVM_MP_STATE_UNINITIALIZED:
	case KVM_MP_STATE_INIT_RECEIVED:
	case KVM_MP_STATE_HALTED:
	case KVM_MP_STATE_SIPI_RECEIVED:
		if (!vcpu->lapic)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (mp.mp_state == KVM_MP_STATE_SIPI_RECEIVED) {
		mp.mp_state = KVM_MP_STATE_INIT_RECEIVED;
		set_bit(KVM_LAPIC_EV_SIPI, &vcpu->lapic->events);
	}
	vcpu->mp_state = mp.mp_state;
	return 0;
}

static long kvm_x86_get_lapic(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_lapic_state *state;
	long ret;

	state = kzalloc(sizeof(*state), GFP_KERNEL);
	if (!state)
		return -ENOMEM;
	ret = kvm_lapic_get_state(vcpu, state);
	if (!ret && copy_to_user(argp, state, sizeof(*state)))
		ret = -EFAULT;
	kfree(state);
	return ret;
}

static long kvm_x86_set_lapic(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_lapic_state *state;
	long ret;

	if (!vcpu->lapic)
		return -EINVAL;
	state = memdup_user(argp, sizeof(*state));
	if (IS_ERR(state))
		return PTR_ERR(state);
	ret = kvm_lapic_set_state(vcpu, state);
	kfree(state);
	return ret;
}

/*
 * KVM_SET_VAPIC_ADDR: where the guest keeps a copy of its TPR and highest
 * priorities for code patched to read it instead of the APIC (QEMU's
 * kvmvapic, for old 32-bit guests).  QEMU patches only the instructions
 * KVM_TPR_ACCESS_REPORTING reports, which is not offered (nor
 * KVM_CAP_VAPIC), so the page is never used; the address is kept because
 * QEMU's APIC reset sets it (to 0) and stops if that fails.
 */
static int kvm_x86_set_vapic_addr(struct kvm_x86_vcpu *vcpu,
				  struct kvm_vapic_addr __user *argp)
{
	struct kvm_vapic_addr va;

	if (!vcpu->lapic)
		return -EINVAL;
	if (copy_from_user(&va, argp, sizeof(va)))
		return -EFAULT;
	vcpu->lapic->vapic_addr = va.vapic_addr;
	return 0;
}

/**
 * kvm_x86_apic_ioctl() - the vCPU ioctls of the APIC and the run state
 * @vcpu: the vCPU, loaded
 * @ioctl: the ioctl
 * @argp: its argument
 *
 * Return: 0, -EFAULT, -EINVAL for a state the vCPU cannot take (an APIC
 * state without an in-kernel APIC, say), or -ENOTTY for another ioctl.
 */
long kvm_x86_apic_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
			void __user *argp)
{
	switch (ioctl) {
	case KVM_GET_MP_STATE:
		return kvm_x86_get_mp_state(vcpu, argp);
	case KVM_SET_MP_STATE:
		return kvm_x86_set_mp_state(vcpu, argp);
	case KVM_GET_LAPIC:
		return kvm_x86_get_lapic(vcpu, argp);
	case KVM_SET_LAPIC:
		return kvm_x86_set_lapic(vcpu, argp);
	case KVM_SET_VAPIC_ADDR:
		return kvm_x86_set_vapic_addr(vcpu, argp);
	default:
		return -ENOTTY;
	}
}
