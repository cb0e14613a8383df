// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest physical address MMU, shared by NPT (SVM) and EPT (VMX).
 *
 * With two-dimensional paging the guest owns its page tables; we only
 * translate guest physical to host physical addresses.  The tables start
 * empty and are filled on demand: a guest access to an unmapped guest page
 * exits (nested page fault, EPT violation), and kvm_tdp_page_fault() looks
 * the page up in the memory slots, gets the host page from the creating
 * process's mapping and installs a 4 KiB entry.  Guest pages outside every
 * slot are never mapped, so accesses to them keep exiting: that is MMIO.
 *
 * We hold no reference on the host pages we map.  Instead the MMU notifier
 * (virt/kvm/memslot.c) removes our entries before the host changes its
 * mapping, and a fault installs an entry only if no such invalidation ran
 * since it looked the page up (kvm->mmu_invalidate_seq).
 *
 * A slot that logs dirty pages is mapped read-only until written: the
 * write faults, sets the page's bit and maps it writable, and
 * KVM_GET_DIRTY_LOG write-protects it again (virt/kvm/dirty_log.c).
 *
 * Each memory slot address space has its own tables: a vCPU in system
 * management mode sees address space 1 (SMRAM and what userspace puts
 * beside it), other vCPUs address space 0.  Slots belong to one address
 * space, so invalidations only touch that one's tables.
 *
 * The entry formats differ (NPT entries are ordinary x86 page table
 * entries, EPT has its own), so the backend describes them in struct
 * kvm_tdp_format.  Every level is indexed by 9 bits of the address, as
 * in both formats.  Tables are freed with the VM.
 */
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/kvm.h>
#include <linux/mm.h>
#include <linux/static_call.h>
#include <linux/uaccess.h>

#include "x86.h"

#define TDP_ENTRIES		512
#define TDP_PRESENT		BIT_ULL(0)
#define TDP_ADDR_MASK		GENMASK_ULL(51, 12)

static const struct kvm_tdp_format *tdp_format;

/**
 * kvm_mmu_set_format() - use the page table format of the loaded backend
 * @format: the backend's format; stays valid while the backend is loaded
 */
void kvm_mmu_set_format(const struct kvm_tdp_format *format)
{
	tdp_format = format;
}

static unsigned int tdp_index(gfn_t gfn, int level)
{
	return (gfn >> (9 * (level - 1))) & (TDP_ENTRIES - 1);
}

static u64 *tdp_table(u64 entry)
{
	return phys_to_virt(entry & TDP_ADDR_MASK);
}

/**
 * kvm_mmu_init() - give a new VM an empty guest page table
 * @kx: the VM
 *
 * Return: 0 or -ENOMEM.
 */
int kvm_mmu_init(struct kvm_x86 *kx)
{
	int as;

	for (as = 0; as < KVM_X86_ADDRESS_SPACES; as++) {
		kx->tdp_root[as] = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
		if (!kx->tdp_root[as]) {
			kvm_mmu_destroy(kx);
			return -ENOMEM;
		}
	}
	return 0;
}

static void tdp_free_table(u64 *table, int level)
{
	int i;

	if (level > 1) {
		for (i = 0; i < TDP_ENTRIES; i++)
			if (table[i] & TDP_PRESENT)
				tdp_free_table(tdp_table(table[i]), level - 1);
	}
	free_page((unsigned long)table);
}

/**
 * kvm_mmu_destroy() - free the guest page tables of a dying VM
 * @kx: the VM; no vCPU is left and the MMU notifier is gone
 */
void kvm_mmu_destroy(struct kvm_x86 *kx)
{
	int as;

	for (as = 0; as < KVM_X86_ADDRESS_SPACES; as++)
		if (kx->tdp_root[as])
			tdp_free_table(kx->tdp_root[as], tdp_format->levels);
}

/*
 * Apply @op to the present leaves for [start, end) below @table, which
 * maps the guest pages from @base on; true if any leaf changed.
 */
enum tdp_op { TDP_ZAP, TDP_WRITE_PROTECT };

static bool tdp_walk(struct kvm *kvm, u64 *table, int level, gfn_t base,
		     gfn_t start, gfn_t end, enum tdp_op op)
{
	gfn_t span = 1ULL << (9 * (level - 1));
	bool changed = false;
	unsigned int i;

	for (i = tdp_index(start, level); i < TDP_ENTRIES; i++) {
		gfn_t first = base + i * span;

		if (first >= end)
			break;
		if (!(table[i] & TDP_PRESENT))
			continue;
		if (level > 1) {
			changed |= tdp_walk(kvm, tdp_table(table[i]), level - 1,
					    first, max(start, first),
					    min(end, first + span), op);
		} else if (op == TDP_ZAP) {
			WRITE_ONCE(table[i], 0);
			kvm->stat.pages_4k--;
			changed = true;
		} else if (table[i] & tdp_format->writable) {
			WRITE_ONCE(table[i], table[i] & ~tdp_format->writable);
			changed = true;
		}
	}
	return changed;
}

/**
 * kvm_mmu_unmap_gfn_range() - remove the guest mappings of a range
 * @kvm: the VM
 * @slot: the memory slot the range belongs to
 * @start: first guest page
 * @end: guest page after the last
 *
 * Called with kvm->mmu_lock held.  When this returns no vCPU can use a
 * removed mapping: those in the guest have been interrupted and flush
 * their TLB before they enter again.
 */
void kvm_mmu_unmap_gfn_range(struct kvm *kvm,
			     const struct kvm_memory_slot *slot,
			     gfn_t start, gfn_t end)
{
	struct kvm_x86 *kx = to_kvm_x86(kvm);

	lockdep_assert_held(&kvm->mmu_lock);
	if (tdp_walk(kvm, kx->tdp_root[slot->as_id], tdp_format->levels, 0,
		     start, end, TDP_ZAP)) {
		kvm_make_all_vcpus_request(kvm, KVM_REQ_TLB_FLUSH);
		kvm->stat.remote_tlb_flush++;
	}
}

/**
 * kvm_mmu_write_protect_gfn_range() - make the guest mappings of a range
 *	read-only
 * @kvm: the VM
 * @slot: the memory slot the range belongs to, which logs dirty pages
 * @start: first guest page
 * @end: guest page after the last
 *
 * Called with kvm->mmu_lock held.  The next guest write to one of the
 * pages faults, and kvm_tdp_page_fault() logs it.
 *
 * Return: true if a mapping changed; vCPUs must then flush their TLB
 * before the caller relies on the protection.
 */
bool kvm_mmu_write_protect_gfn_range(struct kvm *kvm,
				     const struct kvm_memory_slot *slot,
				     gfn_t start, gfn_t end)
{
	lockdep_assert_held(&kvm->mmu_lock);
	return tdp_walk(kvm, to_kvm_x86(kvm)->tdp_root[slot->as_id],
			tdp_format->levels, 0, start, end, TDP_WRITE_PROTECT);
}

/* Tables a fault may need, allocated before it takes kvm->mmu_lock. */
static int tdp_topup_cache(struct kvm_x86_vcpu *vcpu)
{
	while (vcpu->mmu_cache_nr < ARRAY_SIZE(vcpu->mmu_cache)) {
		void *page = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);

		if (!page)
			return -ENOMEM;
		vcpu->mmu_cache[vcpu->mmu_cache_nr++] = page;
	}
	return 0;
}

/* Install the leaf for @gfn, creating tables from the vCPU's cache. */
static void tdp_map(struct kvm_x86_vcpu *vcpu, u64 *table, gfn_t gfn,
		    u64 leaf)
{
	int level;

	for (level = tdp_format->levels; level > 1; level--) {
		u64 *entry = &table[tdp_index(gfn, level)];

		if (!(*entry & TDP_PRESENT)) {
			void *page = vcpu->mmu_cache[--vcpu->mmu_cache_nr];

			WRITE_ONCE(*entry, virt_to_phys(page) | tdp_format->table);
		}
		table = tdp_table(*entry);
	}
	if (!(table[tdp_index(gfn, 1)] & TDP_PRESENT))
		vcpu->vcpu.kvm->stat.pages_4k++;
	WRITE_ONCE(table[tdp_index(gfn, 1)], leaf);
}

/*
 * The guest touched a page outside its memory, or wrote to a read-only
 * slot: the instruction emulator carries the access out, with userspace.
 * Executing from there is nothing it can help with.
 */
static int tdp_mmio_fault(struct kvm_x86_vcpu *vcpu, gpa_t gpa, bool exec)
{
	if (exec)
		return kvm_x86_exit_emulation_failure(vcpu, NULL, 0);
	return kvm_x86_emulate(vcpu);
}

/**
 * kvm_tdp_page_fault() - map the guest page behind a guest page table miss
 * @vcpu: the vCPU that faulted, in its SRCU read side
 * @gpa: the guest physical address it accessed
 * @write: the access was a write
 * @exec: the access was an instruction fetch
 *
 * Return: 1 to re-enter the guest (the page is mapped, or the fault raced
 * with an invalidation and will simply happen again), 0 with an exit to
 * userspace set up, or a negative errno (-EFAULT if the slot's host memory
 * is not mapped).
 */
int kvm_tdp_page_fault(struct kvm_x86_vcpu *vcpu, gpa_t gpa, bool write,
		       bool exec)
{
	struct kvm *kvm = vcpu->vcpu.kvm;
	int as = kvm_x86_vcpu_as(vcpu);
	gfn_t gfn = gpa >> PAGE_SHIFT;
	struct kvm_memory_slot *slot;
	bool writable = write;
	unsigned long seq, hva;
	struct page *page;
	int ret;

	slot = kvm_gfn_to_memslot(kvm, as, gfn);
	if (!slot || (write && (slot->flags & KVM_MEM_READONLY))) {
		/* A slot being moved is absent for a moment: try again. */
		if (!slot && READ_ONCE(kvm->mmu_invalidate_in_progress))
			return 1;
		return tdp_mmio_fault(vcpu, gpa, exec);
	}

	ret = tdp_topup_cache(vcpu);
	if (ret)
		return ret;

	seq = READ_ONCE(kvm->mmu_invalidate_seq);
	/* Read the sequence before the host page tables. */
	smp_rmb();
	hva = kvm_memslot_hva(slot, gfn);
	/*
	 * Map reads writable when the host page already is, so that the
	 * first write does not fault again; never break COW for a read.
	 * Not in a slot that logs writes: those must fault to be seen.
	 */
	if (!write && !(slot->flags & KVM_MEM_READONLY) &&
	    !slot->dirty_bitmap &&
	    get_user_page_fast_only(hva, FOLL_WRITE, &page)) {
		writable = true;
	} else if (get_user_pages_fast(hva, 1, write ? FOLL_WRITE : 0,
				       &page) != 1) {
		return -EFAULT;
	}

	spin_lock(&kvm->mmu_lock);
	if (!kvm->mmu_invalidate_in_progress &&
	    kvm->mmu_invalidate_seq == seq) {
		tdp_map(vcpu, to_kvm_x86(kvm)->tdp_root[as], gfn,
			page_to_phys(page) | tdp_format->leaf |
			(writable ? tdp_format->writable : 0));
		/* Under mmu_lock, as KVM_GET_DIRTY_LOG's re-protection. */
		if (writable && slot->dirty_bitmap)
			set_bit(gfn - slot->base_gfn, slot->dirty_bitmap);
	}
	spin_unlock(&kvm->mmu_lock);
	put_page(page);
	vcpu->vcpu.stat.pf_taken++;
	return 1;
}
EXPORT_SYMBOL_GPL(kvm_tdp_page_fault);

/*
 * Copy between @data and guest memory of address space @as, page by
 * page, through the VM's mm.
 */
static int guest_copy(struct kvm *kvm, int as, gpa_t gpa, void *data,
		      unsigned int len, bool write)
{
	while (len) {
		unsigned int n = min_t(unsigned int, len,
				       PAGE_SIZE - offset_in_page(gpa));
		unsigned long hva = kvm_as_gpa_to_hva(kvm, as, gpa, write);

		if (!hva)
			return -EFAULT;
		if (write ? copy_to_user((void __user *)hva, data, n) :
			    copy_from_user(data, (void __user *)hva, n))
			return -EFAULT;
		if (write)
			kvm_as_mark_page_dirty(kvm, as, gpa >> PAGE_SHIFT);
		gpa += n;
		data += n;
		len -= n;
	}
	return 0;
}

/**
 * kvm_x86_write_guest_as() - write guest memory the hypervisor maintains
 * @kvm: the VM, in its SRCU read side
 * @as: the memory slot address space
 * @gpa: where
 * @data: what
 * @len: how many bytes
 *
 * Through the VM's mm, page by page, and logged as dirty.
 *
 * Return: 0, or -EFAULT where no writable memory is.
 */
int kvm_x86_write_guest_as(struct kvm *kvm, int as, gpa_t gpa,
			   const void *data, unsigned int len)
{
	return guest_copy(kvm, as, gpa, (void *)data, len, true);
}
EXPORT_SYMBOL_GPL(kvm_x86_write_guest_as);

/**
 * kvm_x86_read_guest_as() - read guest memory
 * @kvm: the VM, in its SRCU read side
 * @as: the memory slot address space
 * @gpa: where
 * @data: the buffer
 * @len: how many bytes
 *
 * Return: 0, or -EFAULT where no memory is.
 */
int kvm_x86_read_guest_as(struct kvm *kvm, int as, gpa_t gpa, void *data,
			  unsigned int len)
{
	return guest_copy(kvm, as, gpa, data, len, false);
}
EXPORT_SYMBOL_GPL(kvm_x86_read_guest_as);

/**
 * kvm_mmu_pre_fault() - map a guest page before the guest reads it
 * @v: the vCPU, loaded, in the VM's SRCU read side
 * @gpa: the page, in the vCPU's address space
 *
 * As kvm_tdp_page_fault() for a read, for KVM_PRE_FAULT_MEMORY.
 *
 * Return: 0, -ENOENT outside the memory slots, or a negative errno.
 */
int kvm_mmu_pre_fault(struct kvm_vcpu *v, gpa_t gpa)
{
	struct kvm_x86_vcpu *vcpu = to_x86_vcpu(v);
	int ret;

	if (!kvm_gfn_to_memslot(v->kvm, kvm_x86_vcpu_as(vcpu),
				gpa >> PAGE_SHIFT))
		return -ENOENT;
	ret = kvm_tdp_page_fault(vcpu, gpa, false, false);
	return ret < 0 ? ret : 0;
}

/**
 * kvm_mmu_load() - give the vCPU the tables of its address space
 * @vcpu: the vCPU, loaded
 *
 * At creation and when it enters or leaves system management mode.  Its
 * TLB may hold translations through the other tables: flush it.
 */
void kvm_mmu_load(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_x86 *kx = to_kvm_x86(vcpu->vcpu.kvm);
	phys_addr_t root = virt_to_phys(kx->tdp_root[kvm_x86_vcpu_as(vcpu)]);

	static_call_cond(kvm_x86_set_tdp_root)(vcpu, root);
	kvm_make_request(&vcpu->vcpu, KVM_REQ_TLB_FLUSH);
}

/**
 * kvm_mmu_vcpu_destroy() - free the tables a vCPU keeps for its faults
 * @vcpu: the vCPU
 */
void kvm_mmu_vcpu_destroy(struct kvm_x86_vcpu *vcpu)
{
	while (vcpu->mmu_cache_nr)
		free_page((unsigned long)vcpu->mmu_cache[--vcpu->mmu_cache_nr]);
}
