// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest linear to guest physical addresses, through the guest's own page
 * tables.
 *
 * With nested paging the processor walks the guest's tables itself; we
 * walk them only when we act for the guest, as the instruction emulator
 * does when it fetches the instruction at RIP and reaches its memory
 * operands.  The walk follows the paging mode CR0, CR4 and EFER select
 * (none, 32-bit, PAE, 4-level and 5-level; SDM vol. 3A, 4.1), checks the
 * access against every level's permissions and sets the accessed and
 * dirty bits as the processor would -- with a compare-and-exchange, so
 * that an update a guest CPU makes to the same entry meanwhile is not
 * lost.
 */
#include <linux/kvm.h>
#include <linux/uaccess.h>
#include <asm/trap_pf.h>
#include <asm/trapnr.h>

#include "x86.h"

#define PTE_P		BIT_ULL(0)
#define PTE_RW		BIT_ULL(1)
#define PTE_US		BIT_ULL(2)
#define PTE_A		BIT_ULL(5)
#define PTE_D		BIT_ULL(6)
#define PTE_PS		BIT_ULL(7)
#define PTE_NX		BIT_ULL(63)
#define PTE_ADDR	GENMASK_ULL(51, 12)

/* How the current paging mode lays out its tables. */
struct walk_mode {
	int levels;
	int entry_size;		/* 4 or 8 bytes */
	int index_bits;		/* 10 or 9 */
	u64 reserved;		/* bits that must be clear in an entry */
	bool pae;		/* legacy PAE: a 4-entry PDPT on top */
};

static void walk_mode(const struct kvm_sregs *s, struct walk_mode *m)
{
	if (!(s->cr4 & X86_CR4_PAE)) {
		*m = (struct walk_mode){ 2, 4, 10, 0, false };
		return;
	}
	*m = (struct walk_mode){ 4, 8, 9, 0, false };
	if (s->efer & EFER_LMA)
		m->levels = s->cr4 & X86_CR4_LA57 ? 5 : 4;
	else
		*m = (struct walk_mode){ 3, 8, 9, 0, true };
	m->reserved = GENMASK_ULL(51, boot_cpu_data.x86_phys_bits);
	if (!(s->efer & EFER_NX))
		m->reserved |= PTE_NX;
}

/* Read the entry at @gpa; *@uaddr is where it lives in the VM's mm. */
static int walk_read(struct kvm_x86_vcpu *vcpu, gpa_t gpa, int size,
		     u64 *entry, unsigned long *uaddr)
{
	unsigned long hva = kvm_x86_gpa_to_hva(vcpu, gpa, false);
	u32 e32;

	if (!hva)
		return -ENOENT;	/* a page table outside RAM */
	*uaddr = hva;
	if (size == 4) {
		if (get_user(e32, (u32 __user *)hva))
			return -EFAULT;
		*entry = e32;
		return 0;
	}
	return get_user(*entry, (u64 __user *)hva) ? -EFAULT : 0;
}

/*
 * Set @bits in the entry that read @old.  Return 0, -EAGAIN if the entry
 * changed under us (walk again), or -EFAULT.
 */
static int walk_set_bits(unsigned long uaddr, int size, u64 old, u64 bits)
{
	int ret;

	if (!access_ok((void __user *)uaddr, size))
		return -EFAULT;
	if (size == 4) {
		u32 old32 = old;

		ret = __try_cmpxchg_user((u32 __user *)uaddr, &old32,
					 old32 | (u32)bits, efault4);
	} else {
		ret = __try_cmpxchg_user((u64 __user *)uaddr, &old, old | bits,
					 efault8);
	}
	return ret < 0 ? -EFAULT : ret ? -EAGAIN : 0;
}

static int walk_once(struct kvm_x86_vcpu *vcpu, const struct kvm_sregs *s,
		     u64 la, u32 access, gpa_t *gpa, u32 *error)
{
	bool user = access & X86_PF_USER, write = access & X86_PF_WRITE;
	bool fetch = access & X86_PF_INSTR;
	u64 allowed = PTE_RW | PTE_US, nx = 0, entry = 0, size = 0;
	gpa_t where[5] = {};
	u64 entries[5];
	struct walk_mode m;
	unsigned long uaddr;
	int level, top, ret;
	bool leaf = false;
	u64 table;

	walk_mode(s, &m);
	if (m.pae)
		table = s->cr3 & GENMASK_ULL(31, 5);
	else if (m.entry_size == 4)
		table = s->cr3 & GENMASK_ULL(31, 12);
	else
		table = s->cr3 & PTE_ADDR;

	*error = 0;
	for (level = m.levels; !leaf; level--) {
		int shift = 12 + m.index_bits * (level - 1);
		u64 index = (la >> shift) & ((1ULL << m.index_bits) - 1);
		gpa_t at;

		if (m.pae && level == 3)
			index = (la >> 30) & 3;
		at = table + index * m.entry_size;
		ret = walk_read(vcpu, at, m.entry_size, &entry, &uaddr);
		if (ret)
			return ret;
		if (!(entry & PTE_P))
			goto fault;
		*error = X86_PF_PROT;
		if (entry & m.reserved)
			goto reserved;
		entries[level - 1] = entry;
		/* PAE's PDPTEs carry no permissions and no accessed bit. */
		if (!(m.pae && level == 3)) {
			where[level - 1] = at;
			allowed &= entry;
			nx |= entry & PTE_NX;
		}

		size = 1ULL << shift;
		leaf = level == 1;
		if (!leaf && (entry & PTE_PS)) {
			/* 4 MiB pages need CR4.PSE; 32-bit paging ignores PS. */
			if (level == 2)
				leaf = m.entry_size == 8 || (s->cr4 & X86_CR4_PSE);
			else if (level == 3 && !m.pae)
				leaf = true;
			else
				goto reserved;
		}
		table = entry & (m.entry_size == 4 ? GENMASK_ULL(31, 12) :
				 PTE_ADDR);
	}
	top = level + 1;	/* the leaf's level */

	/* SDM vol. 3A, 4.6: what the access may do with these rights. */
	if (user && !(allowed & PTE_US))
		goto fault;
	if (write && !(allowed & PTE_RW) && (user || (s->cr0 & X86_CR0_WP)))
		goto fault;
	if (fetch && nx)
		goto fault;
	if (!user && (allowed & PTE_US)) {
		if (fetch && (s->cr4 & X86_CR4_SMEP))
			goto fault;
		if (!fetch && (s->cr4 & X86_CR4_SMAP) &&
		    !(vcpu->rflags & X86_EFLAGS_AC))
			goto fault;
	}

	if (m.entry_size == 4 && size > PAGE_SIZE)
		/* A 4 MiB page: PSE-36 puts address bits 39:32 at 20:13. */
		*gpa = (entry & GENMASK_ULL(31, 22)) |
		       ((entry >> 13) & 0xff) << 32;
	else
		*gpa = entry & PTE_ADDR & ~(size - 1);
	*gpa |= la & (size - 1);

	/* Accessed on every level, dirty on the leaf for a write. */
	for (level = m.levels; level >= top; level--) {
		u64 bits = PTE_A | (write && level == top ? PTE_D : 0);

		if (!where[level - 1] || (entries[level - 1] & bits) == bits)
			continue;
		/* Tables in a read-only slot stay as they are, as in ROM. */
		uaddr = kvm_x86_gpa_to_hva(vcpu, where[level - 1], true);
		if (!uaddr)
			continue;
		ret = walk_set_bits(uaddr, m.entry_size, entries[level - 1],
				    bits);
		if (ret)
			return ret;
		kvm_x86_mark_page_dirty(vcpu, where[level - 1] >> PAGE_SHIFT);
	}
	return 0;

reserved:
	*error |= X86_PF_RSVD;
fault:
	*error |= access;
	return 1;
}

/**
 * kvm_x86_read_pdptes() - the PDPTEs PAE paging takes from CR3
 * @vcpu: the vCPU
 * @cr3: the guest's CR3
 * @pdpte: the four entries, read
 *
 * With PAE paging (not long mode) the processor loads the four entries
 * of the page-directory-pointer table into registers when CR3 is loaded
 * and paging turned on, and VMX with EPT loads them from the VMCS at VM
 * entry: a backend that changes CR0, CR3 or CR4 for the guest reads them
 * here.
 *
 * Return: 0, or -EFAULT if the table is not in the guest's RAM (the
 * entries read as not present then).
 */
int kvm_x86_read_pdptes(struct kvm_x86_vcpu *vcpu, u64 cr3, u64 pdpte[4])
{
	struct kvm *kvm = vcpu->vcpu.kvm;
	unsigned long hva;
	int idx, ret = 0;

	idx = srcu_read_lock(&kvm->srcu);
	hva = kvm_x86_gpa_to_hva(vcpu, cr3 & GENMASK_ULL(31, 5), false);
	if (!hva || copy_from_user(pdpte, (void __user *)hva, 4 * sizeof(u64)))
		ret = -EFAULT;
	srcu_read_unlock(&kvm->srcu, idx);
	if (ret)
		memset(pdpte, 0, 4 * sizeof(u64));
	return ret;
}
EXPORT_SYMBOL_GPL(kvm_x86_read_pdptes);

/**
 * kvm_x86_walk() - translate a guest linear address
 * @vcpu: the vCPU, in its SRCU read side
 * @s: its control registers (from the backend's get_sregs)
 * @la: the linear address
 * @access: the X86_PF_WRITE, X86_PF_USER and X86_PF_INSTR bits of the
 *	access
 * @gpa: the guest physical address, on success
 * @error: the page fault error code, on a fault
 *
 * Return: 0 with *@gpa set; 1 if the access faults, with *@error set (the
 * caller gives the guest its #PF); -ENOENT if a page table is outside the
 * guest's RAM; -EFAULT if the host memory of a table is gone.
 */
int kvm_x86_walk(struct kvm_x86_vcpu *vcpu, const struct kvm_sregs *s,
		 u64 la, u32 access, gpa_t *gpa, u32 *error)
{
	int tries, ret = -EAGAIN;

	if (!(s->cr0 & X86_CR0_PG)) {
		*gpa = la;
		return 0;
	}
	/* An entry that keeps changing under us: let the guest run first. */
	for (tries = 0; tries < 4 && ret == -EAGAIN; tries++)
		ret = walk_once(vcpu, s, la, access, gpa, error);
	return ret;
}

/**
 * kvm_x86_access_linear() - read or write guest memory by linear address
 * @vcpu: the vCPU, loaded, in its SRCU read side
 * @la: the linear address (segmentation applied)
 * @data: the data
 * @len: its length
 * @write: write rather than read
 *
 * For the backends' instructions with memory operands (the VMX
 * instructions), accessed at the guest's privilege level.
 *
 * Return: 0; 1 if the access faults, with the #PF queued for the guest;
 * -ENOENT for memory that is not RAM (page tables included); -EFAULT if
 * the host memory is gone.
 */
int kvm_x86_access_linear(struct kvm_x86_vcpu *vcpu, u64 la, void *data,
			  unsigned int len, bool write)
{
	u32 access = write ? X86_PF_WRITE : 0, error;
	struct kvm *kvm = vcpu->vcpu.kvm;
	int as = kvm_x86_vcpu_as(vcpu);
	struct kvm_sregs s;
	unsigned int n;
	gpa_t gpa;
	int ret;

	static_call(kvm_x86_get_sregs)(vcpu, &s);
	if (kvm_x86_cpl(&s, vcpu->rflags) == 3)
		access |= X86_PF_USER;
	for (; len; len -= n, la += n, data += n) {
		n = min_t(unsigned int, len, PAGE_SIZE - (la & ~PAGE_MASK));
		ret = kvm_x86_walk(vcpu, &s, la, access, &gpa, &error);
		if (ret == 1) {
			s.cr2 = la;
			static_call(kvm_x86_set_sregs)(vcpu, &s);
			kvm_x86_queue_exception(vcpu, X86_TRAP_PF, true, error);
			return 1;
		}
		if (!ret)
			ret = write ? kvm_x86_write_guest_as(kvm, as, gpa, data, n) :
				      kvm_x86_read_guest_as(kvm, as, gpa, data, n);
		if (ret)
			return ret;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(kvm_x86_access_linear);
