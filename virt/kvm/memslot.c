// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory slots: guest physical memory backed by ranges of the address
 * space of the process that created the VM.
 *
 * The slots are indexed three ways, one index per kind of user:
 *  - kvm->slots, by slot id, for the ioctls (under kvm->slots_lock);
 *  - kvm->gfn_tree, a maple tree by guest page range, for vCPUs that
 *    resolve a guest page (lock-free, under kvm->srcu);
 *  - kvm->hva_tree, an interval tree by host address, for the MMU
 *    notifier (under kvm->mmu_lock).
 *
 * A slot never changes while vCPUs can see it.  Moving or deleting one
 * works like an invalidation from the MMU notifier: guest faults stop
 * creating mappings, the old slot leaves the indexes and its mappings are
 * removed, SRCU readers drain, and only then does the new slot appear and
 * faults resume.  A vCPU therefore sees either the old or the new layout.
 * Turning dirty logging on or off goes the same way, so that the pages of
 * a slot that starts logging fault again, and are mapped read-only until
 * written (virt/kvm/dirty_log.c).
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kvm_core.h"

static unsigned long kvm_slot_key(unsigned int as_id, unsigned int id)
{
	return (unsigned long)as_id << 16 | id;
}

static gfn_t kvm_slot_last_gfn(const struct kvm_memory_slot *slot)
{
	return slot->base_gfn + slot->npages - 1;
}

/**
 * kvm_find_slot() - the memory slot with a given id
 * @kvm: the VM, with kvm->slots_lock held
 * @id: address space in bits 16-31, slot id in bits 0-15
 *
 * Return: the slot, or NULL if there is none.
 */
struct kvm_memory_slot *kvm_find_slot(struct kvm *kvm, u32 id)
{
	lockdep_assert_held(&kvm->slots_lock);
	return xa_load(&kvm->slots, id);
}

/**
 * kvm_gfn_to_memslot() - find the memory slot that holds a guest page
 * @kvm: the VM
 * @as_id: the address space
 * @gfn: the guest page
 *
 * Call inside an SRCU read side of kvm->srcu; the slot stays valid until
 * the caller leaves it.  O(log n) in the number of slots.
 *
 * Return: the slot, or NULL if @gfn is not guest memory (it is MMIO).
 */
struct kvm_memory_slot *kvm_gfn_to_memslot(struct kvm *kvm, int as_id,
					   gfn_t gfn)
{
	return mtree_load(&kvm->gfn_tree[as_id], gfn);
}
EXPORT_SYMBOL_GPL(kvm_gfn_to_memslot);

/*
 * Invalidations bracket every change of guest mappings that does not come
 * from a guest fault; see struct kvm for the protocol.
 */
static void kvm_invalidate_begin(struct kvm *kvm)
{
	kvm->mmu_invalidate_in_progress++;
}

static void kvm_invalidate_end(struct kvm *kvm)
{
	kvm->mmu_invalidate_seq++;
	kvm->mmu_invalidate_in_progress--;
}

static void kvm_unmap_slot_range(struct kvm *kvm,
				 const struct kvm_memory_slot *slot,
				 gfn_t start, gfn_t end)
{
	lockdep_assert_held(&kvm->mmu_lock);
	if (kvm->arch->unmap_gfn_range)
		kvm->arch->unmap_gfn_range(kvm, slot, start, end);
}

/* Unmap the guest pages that [@start, @end) of the mm backs. */
static void kvm_unmap_hva_range(struct kvm *kvm, unsigned long start,
				unsigned long end)
{
	struct interval_tree_node *node;

	for (node = interval_tree_iter_first(&kvm->hva_tree, start, end - 1);
	     node; node = interval_tree_iter_next(node, start, end - 1)) {
		struct kvm_memory_slot *slot =
			container_of(node, struct kvm_memory_slot, hva_node);
		unsigned long first = max(start, slot->userspace_addr);
		unsigned long last = min(end - 1, node->last);
		gfn_t gfn_first, gfn_end;

		gfn_first = slot->base_gfn +
			    ((first - slot->userspace_addr) >> PAGE_SHIFT);
		gfn_end = slot->base_gfn +
			  ((last - slot->userspace_addr) >> PAGE_SHIFT) + 1;
		kvm_unmap_slot_range(kvm, slot, gfn_first, gfn_end);
	}
}

static struct kvm *mn_to_kvm(struct mmu_notifier *mn)
{
	return container_of(mn, struct kvm, mmu_notifier);
}

/*
 * The host mapping of guest memory is about to change (munmap, madvise,
 * migration, THP split, COW, reclaim...): drop the guest mappings, and
 * keep faults from recreating them until the change is done.
 */
static int kvm_mn_invalidate_range_start(struct mmu_notifier *mn,
					 const struct mmu_notifier_range *range)
{
	struct kvm *kvm = mn_to_kvm(mn);

	spin_lock(&kvm->mmu_lock);
	kvm_invalidate_begin(kvm);
	kvm_unmap_hva_range(kvm, range->start, range->end);
	spin_unlock(&kvm->mmu_lock);
	return 0;
}

static void kvm_mn_invalidate_range_end(struct mmu_notifier *mn,
					const struct mmu_notifier_range *range)
{
	struct kvm *kvm = mn_to_kvm(mn);

	spin_lock(&kvm->mmu_lock);
	kvm_invalidate_end(kvm);
	spin_unlock(&kvm->mmu_lock);
}

/* The mm is exiting: no guest memory is left to map. */
static void kvm_mn_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct kvm *kvm = mn_to_kvm(mn);

	spin_lock(&kvm->mmu_lock);
	kvm_invalidate_begin(kvm);
	kvm_unmap_hva_range(kvm, 0, ULONG_MAX);
	kvm_invalidate_end(kvm);
	spin_unlock(&kvm->mmu_lock);
}

static const struct mmu_notifier_ops kvm_mmu_notifier_ops = {
	.invalidate_range_start	= kvm_mn_invalidate_range_start,
	.invalidate_range_end	= kvm_mn_invalidate_range_end,
	.release		= kvm_mn_release,
};

/**
 * kvm_memslots_init() - set up the memory slots of a new VM
 * @kvm: the VM; kvm->mm is set
 *
 * Return: 0 or a negative errno.
 */
int kvm_memslots_init(struct kvm *kvm)
{
	int i, ret;

	mutex_init(&kvm->slots_lock);
	xa_init(&kvm->slots);
	for (i = 0; i < KVM_MAX_ADDRESS_SPACES; i++)
		mt_init_flags(&kvm->gfn_tree[i], MT_FLAGS_USE_RCU);
	spin_lock_init(&kvm->mmu_lock);
	kvm->hva_tree = RB_ROOT_CACHED;

	ret = init_srcu_struct(&kvm->srcu);
	if (ret)
		return ret;
	kvm->mmu_notifier.ops = &kvm_mmu_notifier_ops;
	ret = mmu_notifier_register(&kvm->mmu_notifier, kvm->mm);
	if (ret)
		cleanup_srcu_struct(&kvm->srcu);
	return ret;
}

/**
 * kvm_memslots_destroy() - free the memory slots of a dying VM
 * @kvm: the VM; no vCPU runs any more
 *
 * The architecture has freed its guest page tables already.
 */
void kvm_memslots_destroy(struct kvm *kvm)
{
	struct kvm_memory_slot *slot;
	unsigned long key;
	int i;

	mmu_notifier_unregister(&kvm->mmu_notifier, kvm->mm);
	/* No reader is left: free the nodes now rather than after RCU. */
	for (i = 0; i < KVM_MAX_ADDRESS_SPACES; i++) {
		mt_clear_in_rcu(&kvm->gfn_tree[i]);
		mtree_destroy(&kvm->gfn_tree[i]);
	}
	xa_for_each(&kvm->slots, key, slot) {
		kvfree(slot->dirty_bitmap);
		kfree(slot);
	}
	xa_destroy(&kvm->slots);
	cleanup_srcu_struct(&kvm->srcu);
}

static int kvm_check_memory_region(struct kvm *kvm,
				   const struct kvm_userspace_memory_region2 *mem)
{
	unsigned int as_id = mem->slot >> 16, id = mem->slot & 0xffff;

	if (mem->flags & ~kvm->arch->memslot_flags)
		return -EINVAL;
	if (as_id >= kvm->arch->nr_address_spaces || id >= KVM_USER_MEM_SLOTS)
		return -EINVAL;
	if (!PAGE_ALIGNED(mem->memory_size) ||
	    !PAGE_ALIGNED(mem->guest_phys_addr) ||
	    !PAGE_ALIGNED(mem->userspace_addr))
		return -EINVAL;
	/* The slot must fit the host's addresses and the guest's. */
	if (mem->userspace_addr != (unsigned long)mem->userspace_addr ||
	    (mem->memory_size &&
	     !access_ok(u64_to_user_ptr(mem->userspace_addr), mem->memory_size)))
		return -EINVAL;
	if (mem->guest_phys_addr + mem->memory_size < mem->guest_phys_addr)
		return -EINVAL;
	if (mem->memory_size >> PAGE_SHIFT > KVM_MEM_MAX_NR_PAGES)
		return -EINVAL;
	return 0;
}

/* Would [base, base + npages) overlap a slot other than @self? */
static bool kvm_slot_overlaps(struct kvm *kvm, unsigned int as_id,
			      gfn_t base, unsigned long npages,
			      const struct kvm_memory_slot *self)
{
	unsigned long index = base;
	struct kvm_memory_slot *other;

	mt_for_each(&kvm->gfn_tree[as_id], other, index, base + npages - 1)
		if (other != self)
			return true;
	return false;
}

/* Make @slot visible to vCPUs and to the MMU notifier. */
static int kvm_publish_slot(struct kvm *kvm, struct kvm_memory_slot *slot)
{
	int ret;

	ret = mtree_store_range(&kvm->gfn_tree[slot->as_id], slot->base_gfn,
				kvm_slot_last_gfn(slot), slot,
				GFP_KERNEL_ACCOUNT);
	if (ret)
		return ret;
	spin_lock(&kvm->mmu_lock);
	interval_tree_insert(&slot->hva_node, &kvm->hva_tree);
	spin_unlock(&kvm->mmu_lock);
	return 0;
}

/*
 * Take @slot away from vCPUs and remove its guest mappings.  Returns with
 * an invalidation in progress, which the caller ends once the new layout
 * is in place.
 */
static void kvm_retract_slot(struct kvm *kvm, struct kvm_memory_slot *slot)
{
	spin_lock(&kvm->mmu_lock);
	kvm_invalidate_begin(kvm);
	spin_unlock(&kvm->mmu_lock);

	mtree_erase(&kvm->gfn_tree[slot->as_id], slot->base_gfn);

	spin_lock(&kvm->mmu_lock);
	interval_tree_remove(&slot->hva_node, &kvm->hva_tree);
	kvm_unmap_slot_range(kvm, slot, slot->base_gfn,
			     slot->base_gfn + slot->npages);
	spin_unlock(&kvm->mmu_lock);

	/* A vCPU that found the slot before it left is done with it. */
	synchronize_srcu_expedited(&kvm->srcu);
}

static void kvm_retract_done(struct kvm *kvm)
{
	spin_lock(&kvm->mmu_lock);
	kvm_invalidate_end(kvm);
	spin_unlock(&kvm->mmu_lock);
}

static int kvm_create_slot(struct kvm *kvm,
			   const struct kvm_userspace_memory_region2 *mem)
{
	unsigned int as_id = mem->slot >> 16, id = mem->slot & 0xffff;
	unsigned long npages = mem->memory_size >> PAGE_SHIFT;
	gfn_t base = mem->guest_phys_addr >> PAGE_SHIFT;
	struct kvm_memory_slot *slot;
	int ret;

	if (kvm_slot_overlaps(kvm, as_id, base, npages, NULL))
		return -EEXIST;

	slot = kzalloc(sizeof(*slot), GFP_KERNEL_ACCOUNT);
	if (!slot)
		return -ENOMEM;
	slot->base_gfn = base;
	slot->npages = npages;
	slot->userspace_addr = mem->userspace_addr;
	slot->flags = mem->flags;
	slot->id = id;
	slot->as_id = as_id;
	slot->hva_node.start = mem->userspace_addr;
	slot->hva_node.last = mem->userspace_addr + mem->memory_size - 1;
	if (mem->flags & KVM_MEM_LOG_DIRTY_PAGES) {
		slot->dirty_bitmap = kvm_dirty_bitmap_alloc(kvm, npages);
		if (!slot->dirty_bitmap) {
			ret = -ENOMEM;
			goto free;
		}
	}

	ret = xa_insert(&kvm->slots, kvm_slot_key(as_id, id), slot,
			GFP_KERNEL_ACCOUNT);
	if (ret)
		goto free;
	ret = kvm_publish_slot(kvm, slot);
	if (ret) {
		xa_erase(&kvm->slots, kvm_slot_key(as_id, id));
		goto free;
	}
	return 0;
free:
	kvfree(slot->dirty_bitmap);
	kfree(slot);
	return ret;
}

static void kvm_delete_slot(struct kvm *kvm, struct kvm_memory_slot *slot)
{
	kvm_retract_slot(kvm, slot);
	xa_erase(&kvm->slots, kvm_slot_key(slot->as_id, slot->id));
	kvm_retract_done(kvm);
	kvfree(slot->dirty_bitmap);
	kfree(slot);
}

/*
 * Move @slot to @base and turn dirty logging on or off as @flags say.
 * A slot that keeps logging keeps its bits (they count pages from its
 * start).  On failure the slot is deleted, as its mappings are.
 */
static int kvm_change_slot(struct kvm *kvm, struct kvm_memory_slot *slot,
			   gfn_t base, u32 flags)
{
	unsigned long *old = slot->dirty_bitmap, *bitmap = NULL;
	int ret;

	if (base != slot->base_gfn &&
	    kvm_slot_overlaps(kvm, slot->as_id, base, slot->npages, slot))
		return -EEXIST;
	if (flags & KVM_MEM_LOG_DIRTY_PAGES) {
		bitmap = old ?: kvm_dirty_bitmap_alloc(kvm, slot->npages);
		if (!bitmap)
			return -ENOMEM;
	}

	kvm_retract_slot(kvm, slot);
	slot->base_gfn = base;
	slot->flags = flags;
	slot->dirty_bitmap = bitmap;
	ret = kvm_publish_slot(kvm, slot);
	if (ret)
		xa_erase(&kvm->slots, kvm_slot_key(slot->as_id, slot->id));
	kvm_retract_done(kvm);
	/* No vCPU can be using the old bitmap: the retraction waited. */
	if (old != bitmap)
		kvfree(old);
	if (ret) {
		kvfree(bitmap);
		kfree(slot);
	}
	return ret;
}

/**
 * kvm_set_memory_region() - create, move, change or delete a memory slot
 * @kvm: the VM
 * @mem: the request of KVM_SET_USER_MEMORY_REGION(2)
 *
 * Return: 0; -EINVAL for bad flags, ids, alignment or ranges, for deleting
 * a slot that does not exist and for resizing or remapping one; -EEXIST
 * if the range overlaps another slot; or another negative errno.
 */
int kvm_set_memory_region(struct kvm *kvm,
			  const struct kvm_userspace_memory_region2 *mem)
{
	unsigned int as_id = mem->slot >> 16, id = mem->slot & 0xffff;
	struct kvm_memory_slot *slot;
	int ret;

	ret = kvm_check_memory_region(kvm, mem);
	if (ret)
		return ret;

	mutex_lock(&kvm->slots_lock);
	slot = xa_load(&kvm->slots, kvm_slot_key(as_id, id));
	if (!slot) {
		ret = mem->memory_size ? kvm_create_slot(kvm, mem) : -EINVAL;
	} else if (!mem->memory_size) {
		kvm_delete_slot(kvm, slot);
	} else if (mem->memory_size >> PAGE_SHIFT != slot->npages ||
		   mem->userspace_addr != slot->userspace_addr ||
		   (mem->flags ^ slot->flags) & ~KVM_MEM_LOG_DIRTY_PAGES) {
		/* A slot keeps its size, backing and read-only flag. */
		ret = -EINVAL;
	} else if (mem->guest_phys_addr >> PAGE_SHIFT != slot->base_gfn ||
		   mem->flags != slot->flags) {
		ret = kvm_change_slot(kvm, slot,
				      mem->guest_phys_addr >> PAGE_SHIFT,
				      mem->flags);
	}
	mutex_unlock(&kvm->slots_lock);
	return ret;
}
