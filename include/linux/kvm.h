/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * In-kernel API of the architecture-neutral hypervisor core (virt/kvm).
 *
 * Architecture code registers with the core through the functions here
 * and finds guest memory through the memory slot API; other kernel
 * subsystems that hold on to a VM (VFIO) use the reference counting
 * helpers.  The userspace ABI lives in <uapi/linux/kvm.h>, which this
 * header includes.
 */
#ifndef _LINUX_KVM_CORE_H
#define _LINUX_KVM_CORE_H

#include <uapi/linux/kvm.h>
#include <linux/interval_tree.h>
#include <linux/kvm_types.h>
#include <linux/maple_tree.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/xarray.h>

struct module;

/* User memory slots per address space, as KVM_CAP_NR_MEMSLOTS reports. */
#define KVM_USER_MEM_SLOTS	32764
/* Most address spaces an architecture may have (bits 16-31 of a slot). */
#define KVM_MAX_ADDRESS_SPACES	2
/* Longest slot: the page count must fit a signed 32-bit int. */
#define KVM_MEM_MAX_NR_PAGES	((1UL << 31) - 1)

/**
 * struct kvm_memory_slot - guest physical memory backed by user memory
 * @base_gfn:	first guest page
 * @npages:	number of pages
 * @userspace_addr: host virtual address of the first page, in kvm->mm
 * @flags:	KVM_MEM_* flags
 * @id:		slot id, unique within its address space
 * @as_id:	address space
 * @hva_node:	node in kvm->hva_tree, which the MMU notifier searches
 *
 * A slot found with kvm_gfn_to_memslot() stays valid until the caller
 * leaves the SRCU read side of kvm->srcu; it never changes while visible.
 */
struct kvm_memory_slot {
	gfn_t base_gfn;
	unsigned long npages;
	unsigned long userspace_addr;
	u32 flags;
	u16 id;
	u16 as_id;
	struct interval_tree_node hva_node;
};

/**
 * struct kvm - one virtual machine
 * @users:	references: the VM file, vCPU files and other subsystems
 *		(VFIO); the VM is destroyed when the last one goes
 * @mm:		address space of the process that created the VM; only that
 *		process may use the VM (a forked child gets -EIO), and guest
 *		memory comes from it
 * @arch:	the architecture operations, stable while the VM exists
 *		because the VM holds a reference on their module
 * @lock:	serializes the creation of vCPUs
 * @vcpus:	the vCPUs by id; they live as long as the VM
 * @nr_vcpus:	number of vCPUs created
 * @slots_lock:	serializes memory slot updates
 * @slots:	the memory slots by (as_id << 16 | id), under @slots_lock
 * @gfn_tree:	per address space, the slots by guest page range; read
 *		under RCU or @srcu, so lookups never block on updates
 * @srcu:	protects the slots found in @gfn_tree; an update frees a
 *		slot only after every reader has left
 * @mmu_lock:	protects @hva_tree, the invalidation state below and the
 *		architecture's guest page tables
 * @hva_tree:	the slots by host virtual address range
 * @mmu_invalidate_seq: bumped at the end of every invalidation, so that
 *		a fault that looked up a page before it can tell
 * @mmu_invalidate_in_progress: invalidations (of host mappings or of
 *		memory slots) that have started and not yet ended; no guest
 *		mapping may be created while it is non-zero
 * @mmu_notifier: tells the VM when host mappings of guest memory change
 */
struct kvm {
	refcount_t users;
	struct mm_struct *mm;
	const struct kvm_arch_ops *arch;
	struct mutex lock;		/* serializes vCPU creation */
	struct xarray vcpus;
	unsigned int nr_vcpus;

	struct mutex slots_lock;	/* serializes memory slot updates */
	struct xarray slots;
	struct maple_tree gfn_tree[KVM_MAX_ADDRESS_SPACES];
	struct srcu_struct srcu;
	spinlock_t mmu_lock;		/* guest page tables, hva_tree */
	struct rb_root_cached hva_tree;
	unsigned long mmu_invalidate_seq;
	unsigned int mmu_invalidate_in_progress;
	struct mmu_notifier mmu_notifier;
};

/**
 * struct kvm_arch_ops - what the core asks of the architecture code
 * @owner:	module that implements the operations; an open /dev/kvm pins it
 * @check_extension: answer KVM_CHECK_EXTENSION for capabilities the core
 *		does not know; return 0 for unsupported ones
 * @max_vcpus:	most vCPUs a VM may have
 * @max_vcpu_ids: vCPU ids are below this
 * @nr_address_spaces: memory slot address spaces of a VM, at most
 *		KVM_MAX_ADDRESS_SPACES
 * @memslot_flags: the KVM_MEM_* flags the architecture supports
 * @unmap_gfn_range: remove the guest mappings of [@start, @end) of @slot
 *		and make sure no vCPU uses them when this returns; called with
 *		kvm->mmu_lock held, so it must not sleep
 */
struct kvm_arch_ops {
	struct module *owner;
	long (*check_extension)(long cap);
	unsigned int max_vcpus;
	unsigned int max_vcpu_ids;
	unsigned int nr_address_spaces;
	u32 memslot_flags;
	void (*unmap_gfn_range)(struct kvm *kvm,
				const struct kvm_memory_slot *slot,
				gfn_t start, gfn_t end);
};

int kvm_core_register(const struct kvm_arch_ops *ops);
void kvm_core_unregister(const struct kvm_arch_ops *ops);

/*
 * Other subsystems that keep a pointer to a VM take a reference with
 * kvm_get_kvm_safe(), which fails once the VM is being destroyed, and drop
 * it with kvm_put_kvm().  VFIO finds these with symbol_get().
 */
bool kvm_get_kvm_safe(struct kvm *kvm);
void kvm_put_kvm(struct kvm *kvm);

struct kvm_memory_slot *kvm_gfn_to_memslot(struct kvm *kvm, int as_id,
					   gfn_t gfn);

/**
 * kvm_memslot_hva() - host virtual address of a guest page in a slot
 * @slot: the slot
 * @gfn: a guest page inside @slot
 *
 * Return: the user address of @gfn in the VM's mm.
 */
static inline unsigned long kvm_memslot_hva(const struct kvm_memory_slot *slot,
					    gfn_t gfn)
{
	return slot->userspace_addr + ((gfn - slot->base_gfn) << PAGE_SHIFT);
}

#endif /* _LINUX_KVM_CORE_H */
