// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSR filters (KVM_X86_SET_MSR_FILTER): userspace denies the guest's
 * RDMSR and WRMSR of chosen MSRs, to handle them itself or to refuse
 * them.
 *
 * A filter is up to 16 ranges of MSRs, each with a bitmap (a 1 allows)
 * for reads, writes or both, and a default for MSRs no range covers.  A
 * denied access exits to userspace with KVM_MSR_EXIT_REASON_FILTER if
 * userspace enabled that reason of KVM_CAP_X86_USER_SPACE_MSR, and is a
 * #GP otherwise.  Only the guest's RDMSR and WRMSR are filtered, not
 * KVM_GET/SET_MSRS, nor the x2APIC's MSRs.
 *
 * The filter is replaced whole and read under RCU, so a vCPU sees the old
 * one or the new one.  QEMU installs one as soon as the VM exists.
 */
#include <linux/kvm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "x86.h"

#define X2APIC_MSR_FIRST	0x800
#define X2APIC_MSR_END		0x900

struct kvm_x86_msr_range {
	u32 flags;
	u32 base;
	u32 nmsrs;
	unsigned long *bitmap;
};

/**
 * struct kvm_x86_msr_filter - an installed filter
 * @deny:	MSRs outside every range are denied
 * @nr:		ranges in use
 * @ranges:	the ranges, in the order userspace gave them
 * @rcu:	frees the filter after the vCPUs stopped looking at it
 */
struct kvm_x86_msr_filter {
	bool deny;
	unsigned int nr;
	struct kvm_x86_msr_range ranges[KVM_MSR_FILTER_MAX_RANGES];
	struct rcu_head rcu;
};

static void msr_filter_free(struct kvm_x86_msr_filter *f)
{
	unsigned int i;

	if (!f)
		return;
	for (i = 0; i < f->nr; i++)
		kfree(f->ranges[i].bitmap);
	kfree(f);
}

static void msr_filter_free_rcu(struct rcu_head *head)
{
	msr_filter_free(container_of(head, struct kvm_x86_msr_filter, rcu));
}

/**
 * kvm_msr_allowed() - may the guest do this RDMSR or WRMSR?
 * @vcpu: the vCPU
 * @index: the MSR
 * @write: WRMSR rather than RDMSR
 *
 * The first range that covers @index for this kind of access decides.
 *
 * Return: true if no filter denies it.
 */
bool kvm_msr_allowed(struct kvm_x86_vcpu *vcpu, u32 index, bool write)
{
	u32 kind = write ? KVM_MSR_FILTER_WRITE : KVM_MSR_FILTER_READ;
	const struct kvm_x86_msr_filter *f;
	bool allowed = true;
	unsigned int i;

	if (index >= X2APIC_MSR_FIRST && index < X2APIC_MSR_END)
		return true;
	rcu_read_lock();
	f = rcu_dereference(to_kvm_x86(vcpu->vcpu.kvm)->msr_filter);
	if (f) {
		allowed = !f->deny;
		for (i = 0; i < f->nr; i++) {
			const struct kvm_x86_msr_range *r = &f->ranges[i];

			if (!(r->flags & kind) || index < r->base ||
			    index - r->base >= r->nmsrs)
				continue;
			allowed = test_bit(index - r->base, r->bitmap);
			break;
		}
	}
	rcu_read_unlock();
	return allowed;
}

static int msr_range_copy(struct kvm_x86_msr_range *r,
			  const struct kvm_msr_filter_range *u)
{
	size_t bytes = BITS_TO_LONGS(u->nmsrs) * sizeof(long);

	if (!u->flags || u->flags & ~KVM_MSR_FILTER_RANGE_VALID_MASK ||
	    bytes > KVM_MSR_FILTER_MAX_BITMAP_SIZE)
		return -EINVAL;
	/* The uapi structure does not mark the pointer as a user one. */
	r->bitmap = memdup_user((void __user *)(unsigned long)u->bitmap,
				bytes);
	if (IS_ERR(r->bitmap)) {
		int ret = PTR_ERR(r->bitmap);

		r->bitmap = NULL;
		return ret;
	}
	r->flags = u->flags;
	r->base = u->base;
	r->nmsrs = u->nmsrs;
	return 0;
}

/**
 * kvm_msr_filter_ioctl() - KVM_X86_SET_MSR_FILTER
 * @kx: the VM
 * @argp: struct kvm_msr_filter
 *
 * Ranges with no MSRs are skipped; without any, the filter goes away (and
 * then default deny makes no sense).
 *
 * Return: 0; -EINVAL for unknown flags, a range without flags or with
 * too large a bitmap, or default deny without ranges; -EFAULT, -ENOMEM.
 */
long kvm_msr_filter_ioctl(struct kvm_x86 *kx, void __user *argp)
{
	struct kvm_x86_msr_filter *f, *old;
	struct kvm_msr_filter *u;
	unsigned int i;
	int ret = 0;

	u = memdup_user(argp, sizeof(*u));
	if (IS_ERR(u))
		return PTR_ERR(u);
	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f) {
		ret = -ENOMEM;
		goto out;
	}
	if (u->flags & ~KVM_MSR_FILTER_VALID_MASK) {
		ret = -EINVAL;
		goto out;
	}
	f->deny = u->flags & KVM_MSR_FILTER_DEFAULT_DENY;
	for (i = 0; i < KVM_MSR_FILTER_MAX_RANGES; i++) {
		if (!u->ranges[i].nmsrs)
			continue;
		ret = msr_range_copy(&f->ranges[f->nr], &u->ranges[i]);
		if (ret)
			goto out;
		f->nr++;
	}
	if (!f->nr && f->deny) {
		ret = -EINVAL;
		goto out;
	}
	if (!f->nr) {
		msr_filter_free(f);
		f = NULL;
	}

	mutex_lock(&kx->kvm.lock);
	old = rcu_replace_pointer(kx->msr_filter, f,
				  lockdep_is_held(&kx->kvm.lock));
	mutex_unlock(&kx->kvm.lock);
	if (old)
		call_rcu(&old->rcu, msr_filter_free_rcu);
	f = NULL;
out:
	msr_filter_free(f);
	kfree(u);
	return ret;
}

/**
 * kvm_msr_filter_destroy() - free the filter of a dying VM
 * @kx: the VM; no vCPU is left
 */
void kvm_msr_filter_destroy(struct kvm_x86 *kx)
{
	msr_filter_free(rcu_dereference_protected(kx->msr_filter, true));
}
