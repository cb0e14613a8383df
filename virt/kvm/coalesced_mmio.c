// SPDX-License-Identifier: GPL-2.0-only
/*
 * Coalesced MMIO and port I/O: writes to device registers that need no
 * answer are queued in a ring instead of exiting to userspace.
 *
 * A VMM marks zones of guest physical addresses (or of ports) whose
 * writes only record something, a frame buffer or a device's doorbell
 * that it reads lazily.  A guest write inside a zone is appended to one
 * ring per VM, a page that userspace maps through every vCPU file at
 * page KVM_COALESCED_MMIO_PAGE_OFFSET, and the guest goes on.  Userspace
 * drains the ring, in order, before it handles any exit, so it sees the
 * writes in the order the guest made them relative to the exits.
 *
 * The ring's indexes live in that shared page: the kernel appends at
 * last, userspace consumes from first.  One entry always stays free, so
 * that first == last means empty; when the ring is full the write exits
 * as an ordinary MMIO or port exit.  Userspace can scribble over the
 * page, so an index out of range counts as full too.
 */
#include <linux/mm.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kvm_core.h"

/* As many as the zones and ioeventfds a VMM registers, with room. */
#define KVM_COALESCED_MAX_ZONES	1000

struct kvm_coalesced_zone {
	struct list_head list;
	struct kvm_coalesced_mmio_zone zone;
	struct rcu_head rcu;
};

/**
 * kvm_coalesced_init() - give a new VM its (empty) coalesced I/O ring
 * @kvm: the VM
 *
 * The page exists from the start: VMMs map it with the first vCPU and
 * look at it after every exit, whether or not they register a zone.
 *
 * Return: 0 or -ENOMEM.
 */
int kvm_coalesced_init(struct kvm *kvm)
{
	kvm->coalesced_ring = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!kvm->coalesced_ring)
		return -ENOMEM;
	spin_lock_init(&kvm->coalesced_ring_lock);
	mutex_init(&kvm->coalesced_zones_lock);
	INIT_LIST_HEAD(&kvm->coalesced_zones);
	return 0;
}

/**
 * kvm_coalesced_destroy() - free the ring and zones of a dying VM
 * @kvm: the VM; no vCPU is left
 */
void kvm_coalesced_destroy(struct kvm *kvm)
{
	struct kvm_coalesced_zone *z, *tmp;

	list_for_each_entry_safe(z, tmp, &kvm->coalesced_zones, list)
		kfree(z);
	free_page((unsigned long)kvm->coalesced_ring);
}

/**
 * kvm_coalesced_ring_page() - the page of the ring, for vCPU mmap()
 * @kvm: the VM
 *
 * Return: the page; it lives as long as the VM.
 */
struct page *kvm_coalesced_ring_page(struct kvm *kvm)
{
	return virt_to_page(kvm->coalesced_ring);
}

static bool kvm_zone_holds(const struct kvm_coalesced_mmio_zone *zone,
			   bool pio, u64 addr, u32 len)
{
	return zone->pio == pio && addr >= zone->addr &&
	       addr + len <= zone->addr + zone->size;
}

static bool kvm_coalesced_covered(struct kvm *kvm, bool pio, u64 addr,
				  u32 len)
{
	struct kvm_coalesced_zone *z;
	bool covered = false;

	rcu_read_lock();
	list_for_each_entry_rcu(z, &kvm->coalesced_zones, list) {
		if (kvm_zone_holds(&z->zone, pio, addr, len)) {
			covered = true;
			break;
		}
	}
	rcu_read_unlock();
	return covered;
}

/**
 * kvm_coalesced_write() - queue a guest write if a zone covers it
 * @kvm: the VM
 * @pio: a port write rather than MMIO
 * @addr: guest physical address or port
 * @len: bytes, at most 8
 * @val: the data
 *
 * Return: true if the write is queued and the guest may go on; false if
 * no zone covers it or the ring is full, and it must exit to userspace.
 */
bool kvm_coalesced_write(struct kvm *kvm, bool pio, u64 addr, u32 len,
			 const void *val)
{
	struct kvm_coalesced_mmio_ring *ring = kvm->coalesced_ring;
	struct kvm_coalesced_mmio *entry;
	bool queued = false;
	u32 last;

	if (list_empty(&kvm->coalesced_zones) || len > sizeof(entry->data) ||
	    !kvm_coalesced_covered(kvm, pio, addr, len))
		return false;

	spin_lock(&kvm->coalesced_ring_lock);
	last = READ_ONCE(ring->last);
	if (last < KVM_COALESCED_MMIO_MAX &&
	    (last + 1) % KVM_COALESCED_MMIO_MAX != READ_ONCE(ring->first)) {
		entry = &ring->coalesced_mmio[last];
		entry->phys_addr = addr;
		entry->len = len;
		entry->pio = pio;
		memset(entry->data, 0, sizeof(entry->data));
		memcpy(entry->data, val, len);
		/* The entry before the index that hands it to userspace. */
		smp_wmb();
		WRITE_ONCE(ring->last, (last + 1) % KVM_COALESCED_MMIO_MAX);
		queued = true;
	}
	spin_unlock(&kvm->coalesced_ring_lock);
	return queued;
}
EXPORT_SYMBOL_GPL(kvm_coalesced_write);

static int kvm_coalesced_register(struct kvm *kvm,
				  const struct kvm_coalesced_mmio_zone *zone)
{
	struct kvm_coalesced_zone *z;
	int ret = 0;

	if (zone->pio > 1)
		return -EINVAL;
	z = kzalloc(sizeof(*z), GFP_KERNEL_ACCOUNT);
	if (!z)
		return -ENOMEM;
	z->zone = *zone;

	mutex_lock(&kvm->coalesced_zones_lock);
	if (kvm->nr_coalesced_zones >= KVM_COALESCED_MAX_ZONES) {
		ret = -ENOSPC;
		kfree(z);
	} else {
		kvm->nr_coalesced_zones++;
		list_add_tail_rcu(&z->list, &kvm->coalesced_zones);
	}
	mutex_unlock(&kvm->coalesced_zones_lock);
	return ret;
}

/* Remove the zones of the same kind that hold all of @zone. */
static void kvm_coalesced_unregister(struct kvm *kvm,
				     const struct kvm_coalesced_mmio_zone *zone)
{
	struct kvm_coalesced_zone *z, *tmp;

	mutex_lock(&kvm->coalesced_zones_lock);
	list_for_each_entry_safe(z, tmp, &kvm->coalesced_zones, list) {
		if (!kvm_zone_holds(&z->zone, zone->pio, zone->addr,
				    zone->size))
			continue;
		list_del_rcu(&z->list);
		kvm->nr_coalesced_zones--;
		kfree_rcu(z, rcu);
	}
	mutex_unlock(&kvm->coalesced_zones_lock);
}

/**
 * kvm_vm_ioctl_coalesced() - KVM_(UN)REGISTER_COALESCED_MMIO
 * @kvm: the VM
 * @ioctl: which of the two
 * @argp: struct kvm_coalesced_mmio_zone
 *
 * Registering a zone adds it even if it overlaps others; unregistering
 * removes every zone of the same kind (pio) that holds the whole range
 * given, as upstream does, and succeeds if there is none.
 *
 * Return: 0; -EINVAL if pio is neither 0 nor 1; -ENOSPC with too many
 * zones; -EFAULT or -ENOMEM.
 */
long kvm_vm_ioctl_coalesced(struct kvm *kvm, unsigned int ioctl,
			    void __user *argp)
{
	struct kvm_coalesced_mmio_zone zone;

	if (copy_from_user(&zone, argp, sizeof(zone)))
		return -EFAULT;
	if (ioctl == KVM_REGISTER_COALESCED_MMIO)
		return kvm_coalesced_register(kvm, &zone);
	if (zone.pio > 1)
		return -EINVAL;
	kvm_coalesced_unregister(kvm, &zone);
	return 0;
}
