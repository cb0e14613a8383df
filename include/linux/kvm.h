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
#include <linux/preempt.h>
#include <linux/rcuwait.h>
#include <linux/refcount.h>
#include <linux/signal_types.h>
#include <linux/types.h>
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
 * @dirty_bitmap: with KVM_MEM_LOG_DIRTY_PAGES, one bit per page written
 *		since userspace last collected it (KVM_GET_DIRTY_LOG); the
 *		only field that changes while the slot is visible, and only
 *		with atomic bit operations
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
	unsigned long *dirty_bitmap;
};

/**
 * struct kvm_vm_stat - statistics of a VM (KVM_GET_STATS_FD)
 * @remote_tlb_flush: times every vCPU was made to flush its TLB
 * @pages_4k:	guest pages mapped with 4 KiB entries now
 */
struct kvm_vm_stat {
	u64 remote_tlb_flush;
	u64 pages_4k;
};

/**
 * struct kvm_vcpu_stat - statistics of a vCPU (KVM_GET_STATS_FD)
 * @exits:	guest exits of any kind
 * @io_exits:	port accesses sent to userspace
 * @mmio_exits:	MMIO accesses sent to userspace
 * @insn_emulation: instructions the kernel carried out for the guest
 * @halt_exits:	HLTs sent to userspace
 * @halt_wakeup: times a vCPU waiting in the kernel was woken
 * @halt_wait_ns: nanoseconds vCPUs spent waiting in the kernel
 * @halt_attempted_poll: waits that began by polling
 * @halt_successful_poll: of those, the ones polling ended
 * @halt_poll_success_ns: nanoseconds spent in polls that succeeded
 * @halt_poll_fail_ns: nanoseconds spent in polls that did not
 * @signal_exits: KVM_RUN ended by a signal
 * @irq_exits:	exits for host interrupts
 * @pf_taken:	guest page table misses the MMU handled
 * @tlb_flush:	TLB flushes done for requests
 * @spin_exits:	exits of a guest caught spinning (a PAUSE loop)
 * @spin_yields: of those, the times it gave its CPU to a preempted vCPU
 * @hypercalls:	hypercalls the kernel carried out
 *
 * The vCPU's own thread updates them; readers may see a stale value.
 */
struct kvm_vcpu_stat {
	u64 exits;
	u64 io_exits;
	u64 mmio_exits;
	u64 insn_emulation;
	u64 halt_exits;
	u64 halt_wakeup;
	u64 halt_wait_ns;
	u64 halt_attempted_poll;
	u64 halt_successful_poll;
	u64 halt_poll_success_ns;
	u64 halt_poll_fail_ns;
	u64 signal_exits;
	u64 irq_exits;
	u64 pf_taken;
	u64 tlb_flush;
	u64 spin_exits;
	u64 spin_yields;
	u64 hypercalls;
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
 * @lock:	serializes the creation of vCPUs, and of irqfds
 * @vcpus:	the vCPUs by id; they live as long as the VM
 * @nr_vcpus:	number of vCPUs created
 * @created_vcpus: number of vCPUs created or being created, under @lock:
 *		settings that must precede the first vCPU check this one
 * @max_vcpu_ids: vCPU ids of this VM are below this; the architecture's
 *		limit unless it lowers it (under @lock, before the first vCPU)
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
 * @stat:	statistics
 * @vm_list:	in the list of VMs whose statistics debugfs sums
 * @debugfs_dentry: the VM's directory in debugfs, or NULL
 * @debugfs_stats: what its files show
 * @irqfds_lock: protects changes to @irqfds (taken from wake-ups)
 * @irqfds:	the eventfds that raise GSIs (KVM_IRQFD), read under RCU
 * @ioeventfds_lock: serializes changes to @ioeventfds
 * @ioeventfds:	the eventfds guest writes signal (KVM_IOEVENTFD), read
 *		under RCU
 * @dirty_log_manual: KVM_DIRTY_LOG_* flags of
 *		KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, under @slots_lock
 * @coalesced_ring: the page where coalesced writes queue, shared with
 *		userspace through the vCPU files
 * @coalesced_ring_lock: serializes vCPUs appending to @coalesced_ring
 * @coalesced_zones_lock: serializes changes to @coalesced_zones
 * @coalesced_zones: the zones whose writes are coalesced, read under RCU
 * @nr_coalesced_zones: how many, under @coalesced_zones_lock
 * @max_halt_poll_ns: the longest its vCPUs poll before they sleep, as
 *		KVM_CAP_HALT_POLL set it, or U64_MAX: the module parameter
 *		halt_poll_ns applies
 */
struct kvm_debugfs_stat;

struct kvm {
	refcount_t users;
	struct mm_struct *mm;
	const struct kvm_arch_ops *arch;
	struct mutex lock;		/* vCPU and irqfd creation */
	struct xarray vcpus;
	unsigned int nr_vcpus;
	unsigned int created_vcpus;
	unsigned int max_vcpu_ids;

	struct mutex slots_lock;	/* serializes memory slot updates */
	struct xarray slots;
	struct maple_tree gfn_tree[KVM_MAX_ADDRESS_SPACES];
	struct srcu_struct srcu;
	spinlock_t mmu_lock;		/* guest page tables, hva_tree */
	struct rb_root_cached hva_tree;
	unsigned long mmu_invalidate_seq;
	unsigned int mmu_invalidate_in_progress;
	struct mmu_notifier mmu_notifier;
	struct kvm_vm_stat stat;
	struct list_head vm_list;
	struct dentry *debugfs_dentry;
	struct kvm_debugfs_stat *debugfs_stats;
	spinlock_t irqfds_lock;		/* changes to irqfds */
	struct list_head irqfds;
	struct mutex ioeventfds_lock;	/* changes to ioeventfds */
	struct list_head ioeventfds;
	u64 dirty_log_manual;
	struct kvm_coalesced_mmio_ring *coalesced_ring;
	spinlock_t coalesced_ring_lock;	/* appends to coalesced_ring */
	struct mutex coalesced_zones_lock; /* changes to coalesced_zones */
	struct list_head coalesced_zones;
	unsigned int nr_coalesced_zones;
	u64 max_halt_poll_ns;
};

/* Where a vCPU is, as seen by kvm_vcpu_kick(); see struct kvm_vcpu. */
enum kvm_vcpu_mode {
	OUTSIDE_GUEST_MODE,
	IN_GUEST_MODE,
	EXITING_GUEST_MODE,
};

/*
 * Requests: work that another thread asks of a vCPU, done by the vCPU
 * before its next guest entry.  Bits of kvm_vcpu::requests; the core
 * defines the first ones, architectures number theirs from
 * KVM_REQ_ARCH_BASE.
 */
#define KVM_REQ_TLB_FLUSH	0	/* drop cached guest translations */
#define KVM_REQ_ARCH_BASE	8

/**
 * struct kvm_vcpu - one virtual CPU
 * @kvm:	the VM it belongs to
 * @id:		the id userspace gave it (the x86 APIC id)
 * @run:	the page shared with userspace through mmap() of the vCPU file
 * @mutex:	held by the thread in a vCPU ioctl: one thread at a time
 *		runs or inspects a vCPU
 * @cpu:	host CPU whose hardware state the vCPU holds, or -1
 * @mode:	enum kvm_vcpu_mode; IN_GUEST_MODE from just before the last
 *		check for requests to the exit from the guest, so that a
 *		requester knows whether it must interrupt the CPU
 * @requests:	pending KVM_REQ_* bits
 * @preempt_notifier: puts and reloads the vCPU's state when the running
 *		thread is scheduled out and in
 * @sigset_active: KVM_SET_SIGNAL_MASK installed @sigset
 * @sigset:	signal mask of the thread while it is in KVM_RUN
 * @srcu_idx:	the vCPU's SRCU read side of kvm->srcu while it handles
 *		exits (not while the guest runs or the thread sleeps)
 * @wait:	the thread waiting in kvm_vcpu_block(), which kicks wake
 * @pid:	the thread that last called KVM_RUN, which a spinning vCPU
 *		may yield to; changed under @mutex, read under RCU
 * @preempted:	that thread was scheduled out while still runnable
 * @halt_poll_ns: how long the vCPU polls before it sleeps in
 *		kvm_vcpu_block(), adapted to how long its waits last
 * @stat:	statistics
 *
 * Architectures embed this at the start of their own vCPU structure.
 */
struct kvm_vcpu {
	struct kvm *kvm;
	unsigned int id;
	struct kvm_run *run;
	struct mutex mutex;		/* one ioctl at a time */
	int cpu;
	int mode;
	unsigned long requests;
	struct preempt_notifier preempt_notifier;
	bool sigset_active;
	sigset_t sigset;
	int srcu_idx;
	struct rcuwait wait;
	struct pid __rcu *pid;
	bool preempted;
	unsigned int halt_poll_ns;
	struct kvm_vcpu_stat stat;
};

/**
 * struct kvm_arch_ops - what the core asks of the architecture code
 * @owner:	module that implements the operations; an open /dev/kvm pins it
 * @check_extension: answer KVM_CHECK_EXTENSION for capabilities the core
 *		does not know; return 0 for unsupported ones
 * @dev_ioctl:	/dev/kvm ioctls the core does not know; -EINVAL for
 *		unknown ones (optional)
 * @max_vcpus:	most vCPUs a VM may have
 * @max_vcpu_ids: vCPU ids are below this
 * @nr_address_spaces: memory slot address spaces of a VM, at most
 *		KVM_MAX_ADDRESS_SPACES
 * @memslot_flags: the KVM_MEM_* flags the architecture supports
 * @vm_size:	size of the architecture's VM structure, which embeds
 *		struct kvm at offset 0; 0 if it has none
 * @vcpu_size:	the same for struct kvm_vcpu
 * @vm_init:	set up the architecture's part of a new VM
 * @vm_release: the VM is being destroyed: stop whatever sends interrupts
 *		to the vCPUs (timers of the VM), which go next (optional)
 * @vm_destroy:	free it; every vCPU is gone
 * @vm_ioctl:	VM ioctls the core does not know; -ENOTTY for unknown ones
 *		(optional)
 * @enable_cap:	KVM_ENABLE_CAP on a VM, with the structure copied in;
 *		-EINVAL for capabilities that cannot be enabled (optional:
 *		without it every KVM_ENABLE_CAP is -EINVAL)
 * @vcpu_init:	set up the architecture's part of a new vCPU; its core
 *		fields are set
 * @vcpu_destroy: free it
 * @vcpu_ioctl:	vCPU ioctls the core does not handle; called with the vCPU
 *		loaded and its mutex held; -ENOTTY for unknown ones
 * @vcpu_load:	the calling thread takes the vCPU to host CPU @cpu, with
 *		preemption off; also called when the thread is scheduled in
 * @vcpu_put:	the thread leaves the CPU (scheduled out or done), with
 *		preemption off
 * @pre_fault:	map the guest page at @gpa as the vCPU's read of it would
 *		(KVM_PRE_FAULT_MEMORY): 0, -ENOENT outside the memory slots,
 *		or a negative errno; with the vCPU loaded, in the VM's SRCU
 *		read side (optional)
 * @vcpu_page:	the page at @pgoff of the vCPU file's mapping, for pages
 *		other than the run page and the coalesced I/O ring; NULL if
 *		there is none (optional)
 * @vcpu_run:	KVM_RUN once the core has loaded the vCPU and installed its
 *		signal mask: finish what the last exit to userspace left,
 *		then run the guest until userspace must act.  Return 0 with
 *		kvm_run::exit_reason set, or a negative errno.
 * @irqfd_allowed: the VM has interrupt controllers in the kernel whose
 *		lines irqfds can drive (optional: without it there are none)
 * @set_irq:	set the level of GSI @gsi; called from any context,
 *		interrupts off included (optional, with @irqfd_allowed)
 * @unmap_gfn_range: remove the guest mappings of [@start, @end) of @slot
 *		and make sure no vCPU uses them when this returns; called with
 *		kvm->mmu_lock held, so it must not sleep
 * @write_protect_gfn_range: make the guest mappings of [@start, @end) of
 *		@slot read-only, so that the next guest write to those pages
 *		is seen (and logged); with kvm->mmu_lock held.  Return true if
 *		a mapping changed: the caller then has vCPUs flush their TLB.
 *		Required with KVM_MEM_LOG_DIRTY_PAGES in @memslot_flags.
 *
 * The VM and vCPU operations are optional: an architecture without them
 * has VMs and vCPUs that cannot run (KVM_RUN is -ENOTTY).
 */
struct kvm_arch_ops {
	struct module *owner;
	long (*check_extension)(long cap);
	long (*dev_ioctl)(unsigned int ioctl, unsigned long arg);
	unsigned int max_vcpus;
	unsigned int max_vcpu_ids;
	unsigned int nr_address_spaces;
	u32 memslot_flags;
	size_t vm_size;
	size_t vcpu_size;
	int (*vm_init)(struct kvm *kvm);
	void (*vm_release)(struct kvm *kvm);
	void (*vm_destroy)(struct kvm *kvm);
	long (*vm_ioctl)(struct kvm *kvm, unsigned int ioctl,
			 unsigned long arg);
	int (*enable_cap)(struct kvm *kvm, const struct kvm_enable_cap *cap);
	int (*vcpu_init)(struct kvm_vcpu *vcpu);
	void (*vcpu_destroy)(struct kvm_vcpu *vcpu);
	long (*vcpu_ioctl)(struct kvm_vcpu *vcpu, unsigned int ioctl,
			   unsigned long arg);
	void (*vcpu_load)(struct kvm_vcpu *vcpu, int cpu);
	void (*vcpu_put)(struct kvm_vcpu *vcpu);
	int (*pre_fault)(struct kvm_vcpu *vcpu, gpa_t gpa);
	struct page *(*vcpu_page)(struct kvm_vcpu *vcpu, unsigned long pgoff);
	int (*vcpu_run)(struct kvm_vcpu *vcpu);
	bool (*irqfd_allowed)(struct kvm *kvm);
	void (*set_irq)(struct kvm *kvm, u32 gsi, bool level);
	void (*unmap_gfn_range)(struct kvm *kvm,
				const struct kvm_memory_slot *slot,
				gfn_t start, gfn_t end);
	bool (*write_protect_gfn_range)(struct kvm *kvm,
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

void kvm_vcpu_kick(struct kvm_vcpu *vcpu);
int kvm_vcpu_block(struct kvm_vcpu *vcpu,
		   bool (*runnable)(struct kvm_vcpu *vcpu));
void kvm_make_request(struct kvm_vcpu *vcpu, int req);
void kvm_make_all_vcpus_request(struct kvm *kvm, int req);
int kvm_vcpu_handle_work(struct kvm_vcpu *vcpu);
void kvm_vcpu_on_spin(struct kvm_vcpu *me);
bool kvm_vcpu_yield_to_preempted(struct kvm_vcpu *me, struct kvm_vcpu *target);

/**
 * kvm_check_request() - take a request addressed to this vCPU
 * @vcpu: the vCPU, from its own thread
 * @req: the KVM_REQ_* number
 *
 * Return: true if @req was pending; it is cleared.
 */
static inline bool kvm_check_request(struct kvm_vcpu *vcpu, int req)
{
	if (!test_bit(req, &vcpu->requests))
		return false;
	clear_bit(req, &vcpu->requests);
	/* Order the clear before the work the request asks for. */
	smp_mb__after_atomic();
	return true;
}

void kvm_irqfd_acked(struct kvm *kvm, u32 gsi);
bool kvm_ioeventfd_write(struct kvm *kvm, bool pio, u64 addr, u32 len,
			 const void *val);
bool kvm_coalesced_write(struct kvm *kvm, bool pio, u64 addr, u32 len,
			 const void *val);

struct kvm_memory_slot *kvm_gfn_to_memslot(struct kvm *kvm, int as_id,
					   gfn_t gfn);
void kvm_as_mark_page_dirty(struct kvm *kvm, int as_id, gfn_t gfn);

static inline void kvm_mark_page_dirty(struct kvm *kvm, gfn_t gfn)
{
	kvm_as_mark_page_dirty(kvm, 0, gfn);
}

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

/**
 * kvm_as_gpa_to_hva() - host virtual address of a guest physical address
 * @kvm: the VM
 * @as_id: the memory slot address space
 * @gpa: the guest physical address
 * @write: the caller wants to write there
 *
 * Called in the VM's SRCU read side; the address is good until it leaves
 * it.  Memory the VM's mm does not map at that address makes the access
 * fail with -EFAULT, as a fault by the guest would.
 *
 * Return: the user address in the VM's mm, or 0 if @gpa is in no memory
 * slot (or, for a write, only in a read-only one): an MMIO address.
 */
static inline unsigned long kvm_as_gpa_to_hva(struct kvm *kvm, int as_id,
					      gpa_t gpa, bool write)
{
	struct kvm_memory_slot *slot = kvm_gfn_to_memslot(kvm, as_id,
							  gpa >> PAGE_SHIFT);

	if (!slot || (write && (slot->flags & KVM_MEM_READONLY)))
		return 0;
	return kvm_memslot_hva(slot, gpa >> PAGE_SHIFT) +
	       (gpa & ~PAGE_MASK);
}

/**
 * kvm_gpa_to_hva() - kvm_as_gpa_to_hva() in address space 0
 * @kvm: the VM
 * @gpa: the guest physical address
 * @write: the caller wants to write there
 *
 * Return: the user address, or 0 for an MMIO address.
 */
static inline unsigned long kvm_gpa_to_hva(struct kvm *kvm, gpa_t gpa,
					   bool write)
{
	return kvm_as_gpa_to_hva(kvm, 0, gpa, write);
}

#endif /* _LINUX_KVM_CORE_H */
