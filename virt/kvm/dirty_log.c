// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dirty page logging: which guest pages were written since userspace last
 * asked.
 *
 * Live migration copies guest memory while the guest runs, then copies
 * again what the guest wrote meanwhile.  A memory slot with
 * KVM_MEM_LOG_DIRTY_PAGES has a bitmap with one bit per page.  The
 * architecture maps the slot's pages read-only, so that the first guest
 * write to a page faults; the fault sets the page's bit and maps it
 * writable.  Writes the kernel makes on the guest's behalf (emulated
 * instructions, accessed and dirty bits of guest page tables) set bits
 * through kvm_mark_page_dirty().
 *
 * KVM_GET_DIRTY_LOG hands the bitmap to userspace.  By default it also
 * clears the bitmap and write-protects the pages that were dirty, so that
 * their next write is seen again.  Both happen under kvm->mmu_lock, which
 * a guest fault holds while it maps a page writable and sets its bit: a
 * write lands either in this round's bitmap or in the next one, never in
 * neither.  With KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 enabled, userspace
 * clears and re-protects ranges itself with KVM_CLEAR_DIRTY_LOG, closer
 * to the moment it copies the pages.
 */
#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kvm_core.h"

#define KVM_DIRTY_LOG_MANUAL_CAPS	(KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | \
					 KVM_DIRTY_LOG_INITIALLY_SET)

static unsigned long kvm_dirty_bitmap_bytes(unsigned long npages)
{
	return ALIGN(npages, BITS_PER_LONG) / BITS_PER_BYTE;
}

/**
 * kvm_dirty_bitmap_alloc() - a dirty bitmap for a slot that starts logging
 * @kvm: the VM, with kvm->slots_lock held
 * @npages: pages of the slot
 *
 * Under KVM_DIRTY_LOG_INITIALLY_SET every page starts dirty: userspace
 * must copy all of them anyway, and clears them as it goes.
 *
 * Return: the bitmap, or NULL if out of memory.
 */
unsigned long *kvm_dirty_bitmap_alloc(struct kvm *kvm, unsigned long npages)
{
	unsigned long *bitmap;

	bitmap = kvzalloc(kvm_dirty_bitmap_bytes(npages), GFP_KERNEL_ACCOUNT);
	if (bitmap && (kvm->dirty_log_manual & KVM_DIRTY_LOG_INITIALLY_SET))
		bitmap_set(bitmap, 0, npages);
	return bitmap;
}

/**
 * kvm_as_mark_page_dirty() - log a write the kernel made to guest memory
 * @kvm: the VM, in its SRCU read side
 * @as_id: the memory slot address space of @gfn
 * @gfn: the guest page written
 *
 * Guest writes that fault are logged by the architecture's MMU; this is
 * for the kernel's own writes through the host mapping.
 */
void kvm_as_mark_page_dirty(struct kvm *kvm, int as_id, gfn_t gfn)
{
	struct kvm_memory_slot *slot = kvm_gfn_to_memslot(kvm, as_id, gfn);

	if (slot && slot->dirty_bitmap)
		set_bit(gfn - slot->base_gfn, slot->dirty_bitmap);
}
EXPORT_SYMBOL_GPL(kvm_as_mark_page_dirty);

/* The slot of a dirty log ioctl, or an ERR_PTR(); under kvm->slots_lock. */
static struct kvm_memory_slot *kvm_dirty_log_slot(struct kvm *kvm, u32 id)
{
	struct kvm_memory_slot *slot;

	if (id >> 16 >= kvm->arch->nr_address_spaces ||
	    (id & 0xffff) >= KVM_USER_MEM_SLOTS)
		return ERR_PTR(-EINVAL);
	slot = kvm_find_slot(kvm, id);
	if (!slot || !slot->dirty_bitmap)
		return ERR_PTR(-ENOENT);
	return slot;
}

/*
 * Write-protect the pages of @slot whose bits are set in @mask, the word
 * of the bitmap that starts at page @first.  Pages between those bits are
 * clean, hence already read-only: one range covers them all.
 */
static bool kvm_dirty_log_protect(struct kvm *kvm,
				  const struct kvm_memory_slot *slot,
				  unsigned long first, unsigned long mask)
{
	gfn_t base = slot->base_gfn + first;

	return kvm->arch->write_protect_gfn_range(kvm, slot,
						  base + __ffs(mask),
						  base + __fls(mask) + 1);
}

static void kvm_dirty_log_flush(struct kvm *kvm)
{
	kvm_make_all_vcpus_request(kvm, KVM_REQ_TLB_FLUSH);
	kvm->stat.remote_tlb_flush++;
}

/* Take the bits of @slot into @out, clear them and re-protect the pages. */
static void kvm_dirty_log_harvest(struct kvm *kvm,
				  struct kvm_memory_slot *slot,
				  unsigned long *out)
{
	unsigned long i, words = BITS_TO_LONGS(slot->npages);
	bool flush = false;

	spin_lock(&kvm->mmu_lock);
	for (i = 0; i < words; i++) {
		if (!READ_ONCE(slot->dirty_bitmap[i]))
			continue;
		out[i] = xchg(&slot->dirty_bitmap[i], 0);
		flush |= kvm_dirty_log_protect(kvm, slot, i * BITS_PER_LONG,
					       out[i]);
	}
	spin_unlock(&kvm->mmu_lock);
	/* No vCPU may keep writing through a stale translation. */
	if (flush)
		kvm_dirty_log_flush(kvm);
}

static long kvm_get_dirty_log(struct kvm *kvm, const struct kvm_dirty_log *log)
{
	void __user *ubitmap = u64_to_user_ptr(log->padding2);
	struct kvm_memory_slot *slot;
	unsigned long bytes, *out;
	long ret = 0;

	mutex_lock(&kvm->slots_lock);
	slot = kvm_dirty_log_slot(kvm, log->slot);
	if (IS_ERR(slot)) {
		ret = PTR_ERR(slot);
		goto out;
	}
	bytes = kvm_dirty_bitmap_bytes(slot->npages);
	if (kvm->dirty_log_manual & KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE) {
		/* Userspace clears: a snapshot of the bits is all it wants. */
		if (copy_to_user(ubitmap, slot->dirty_bitmap, bytes))
			ret = -EFAULT;
		goto out;
	}
	out = kvzalloc(bytes, GFP_KERNEL_ACCOUNT);
	if (!out) {
		ret = -ENOMEM;
		goto out;
	}
	kvm_dirty_log_harvest(kvm, slot, out);
	/*
	 * The bits are cleared now: if the copy fails they are lost, and
	 * userspace must treat every page as dirty, as for any failed call.
	 */
	if (copy_to_user(ubitmap, out, bytes))
		ret = -EFAULT;
	kvfree(out);
out:
	mutex_unlock(&kvm->slots_lock);
	return ret;
}

/* Clear the bits of @mask in the word at page @first and re-protect. */
static bool kvm_dirty_log_clear_word(struct kvm *kvm,
				     struct kvm_memory_slot *slot,
				     unsigned long first, unsigned long mask)
{
	atomic_long_t *word = (atomic_long_t *)
			      &slot->dirty_bitmap[first / BITS_PER_LONG];

	/* Only pages that were dirty can be writable. */
	mask &= atomic_long_fetch_andnot(mask, word);
	return mask && kvm_dirty_log_protect(kvm, slot, first, mask);
}

static long kvm_clear_dirty_log(struct kvm *kvm,
				const struct kvm_clear_dirty_log *log)
{
	void __user *ubitmap = u64_to_user_ptr(log->padding2);
	unsigned long i, words, *in = NULL;
	struct kvm_memory_slot *slot;
	bool flush = false;
	long ret = 0;

	mutex_lock(&kvm->slots_lock);
	slot = kvm_dirty_log_slot(kvm, log->slot);
	if (IS_ERR(slot)) {
		ret = PTR_ERR(slot);
		goto out;
	}
	/* Whole words of the bitmap, except for the slot's last one. */
	if (log->first_page % BITS_PER_LONG ||
	    log->first_page > slot->npages ||
	    log->num_pages > slot->npages - log->first_page ||
	    (log->num_pages % BITS_PER_LONG &&
	     log->first_page + log->num_pages != slot->npages)) {
		ret = -EINVAL;
		goto out;
	}
	if (!log->num_pages)
		goto out;
	words = BITS_TO_LONGS(log->num_pages);
	in = kvmalloc_array(words, sizeof(*in), GFP_KERNEL_ACCOUNT);
	if (!in) {
		ret = -ENOMEM;
		goto out;
	}
	if (copy_from_user(in, ubitmap, words * sizeof(*in))) {
		ret = -EFAULT;
		goto out;
	}
	/* Bits past the end of the slot mean nothing. */
	if (log->num_pages % BITS_PER_LONG)
		in[words - 1] &= BITMAP_LAST_WORD_MASK(log->num_pages);

	spin_lock(&kvm->mmu_lock);
	for (i = 0; i < words; i++)
		if (in[i])
			flush |= kvm_dirty_log_clear_word(kvm, slot,
					log->first_page + i * BITS_PER_LONG,
					in[i]);
	spin_unlock(&kvm->mmu_lock);
	if (flush)
		kvm_dirty_log_flush(kvm);
out:
	kvfree(in);
	mutex_unlock(&kvm->slots_lock);
	return ret;
}

/**
 * kvm_vm_ioctl_dirty_log() - KVM_GET_DIRTY_LOG and KVM_CLEAR_DIRTY_LOG
 * @kvm: the VM
 * @ioctl: which of the two
 * @argp: struct kvm_dirty_log or struct kvm_clear_dirty_log
 *
 * Return: 0; -EINVAL for a bad slot id or range; -ENOENT if the slot
 * does not exist or does not log; -EFAULT for a bad bitmap address.
 */
long kvm_vm_ioctl_dirty_log(struct kvm *kvm, unsigned int ioctl,
			    void __user *argp)
{
	struct kvm_clear_dirty_log clear;
	struct kvm_dirty_log get;

	if (!(kvm->arch->memslot_flags & KVM_MEM_LOG_DIRTY_PAGES))
		return -ENOTTY;
	if (ioctl == KVM_GET_DIRTY_LOG) {
		if (copy_from_user(&get, argp, sizeof(get)))
			return -EFAULT;
		return kvm_get_dirty_log(kvm, &get);
	}
	if (copy_from_user(&clear, argp, sizeof(clear)))
		return -EFAULT;
	return kvm_clear_dirty_log(kvm, &clear);
}

/**
 * kvm_dirty_log_manual_caps() - what KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 offers
 * @arch: the architecture
 *
 * Return: the KVM_DIRTY_LOG_* flags it may enable, 0 if it cannot log.
 */
long kvm_dirty_log_manual_caps(const struct kvm_arch_ops *arch)
{
	if (!(arch->memslot_flags & KVM_MEM_LOG_DIRTY_PAGES))
		return 0;
	return KVM_DIRTY_LOG_MANUAL_CAPS;
}

/**
 * kvm_dirty_log_enable_manual() - KVM_ENABLE_CAP(MANUAL_DIRTY_LOG_PROTECT2)
 * @kvm: the VM
 * @cap: args[0] holds the KVM_DIRTY_LOG_* flags; 0 turns it off again
 *
 * Applies to the slots that start logging from now on and to the next
 * KVM_GET_DIRTY_LOG.
 *
 * Return: 0, or -EINVAL for unknown flags or INITIALLY_SET alone.
 */
int kvm_dirty_log_enable_manual(struct kvm *kvm,
				const struct kvm_enable_cap *cap)
{
	u64 flags = cap->args[0];

	if (cap->flags || flags & ~kvm_dirty_log_manual_caps(kvm->arch) ||
	    flags == KVM_DIRTY_LOG_INITIALLY_SET)
		return -EINVAL;
	mutex_lock(&kvm->slots_lock);
	kvm->dirty_log_manual = flags;
	mutex_unlock(&kvm->slots_lock);
	return 0;
}
