// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_GET_NESTED_STATE and KVM_SET_NESTED_STATE: what a vCPU that runs
 * guests of its own (nested virtualization) keeps beyond its registers,
 * so that userspace can save it and restore it, in another VM or on
 * another host.  The header (struct kvm_nested_state) is common; its
 * vendor part and the data after it are the backend's.
 *
 * KVM_CAP_NESTED_STATE answers the largest size of the state, 0 if the
 * backend has none to save (and the ioctls are -EINVAL then).  GET is
 * -E2BIG, with the size it needs in the header, if userspace's size is
 * smaller.  SET reads no more than that largest size.
 */
#include <linux/kvm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "x86.h"

static long nested_state_get(struct kvm_x86_vcpu *vcpu,
			     struct kvm_nested_state __user *argp)
{
	u32 max = kvm_x86_nested_state_size(), user_size;
	struct kvm_nested_state *state __free(kvfree) = NULL;
	long size;

	if (!max)
		return -EINVAL;
	if (get_user(user_size, &argp->size))
		return -EFAULT;
	state = kvzalloc(max, GFP_KERNEL_ACCOUNT);
	if (!state)
		return -ENOMEM;
	size = kvm_x86_get_nested_state(vcpu, state);
	if (size < 0)
		return size;
	if (user_size < size)
		return put_user(size, &argp->size) ? -EFAULT : -E2BIG;
	return copy_to_user(argp, state, size) ? -EFAULT : 0;
}

static long nested_state_set(struct kvm_x86_vcpu *vcpu,
			     struct kvm_nested_state __user *argp)
{
	u32 max = kvm_x86_nested_state_size(), size;
	struct kvm_nested_state *state __free(kvfree) = NULL;
	struct kvm_nested_state hdr;
	long ret;
	int idx;

	if (!max)
		return -EINVAL;
	if (copy_from_user(&hdr, argp, sizeof(hdr)))
		return -EFAULT;
	if (hdr.size < sizeof(hdr))
		return -EINVAL;
	/* A VM entry still to come is one into the nested guest. */
	if ((hdr.flags & KVM_STATE_NESTED_RUN_PENDING) &&
	    !(hdr.flags & KVM_STATE_NESTED_GUEST_MODE))
		return -EINVAL;
	size = min(hdr.size, max);
	state = kvzalloc(max, GFP_KERNEL_ACCOUNT);
	if (!state)
		return -ENOMEM;
	*state = hdr;
	state->size = size;
	if (copy_from_user(state + 1, argp + 1, size - sizeof(hdr)))
		return -EFAULT;
	/* The backend may look at guest memory (the nested guest's pages). */
	idx = srcu_read_lock(&vcpu->vcpu.kvm->srcu);
	ret = kvm_x86_set_nested_state(vcpu, state);
	srcu_read_unlock(&vcpu->vcpu.kvm->srcu, idx);
	return ret;
}

/**
 * kvm_x86_nested_state_ioctl() - KVM_GET_NESTED_STATE, KVM_SET_NESTED_STATE
 * @vcpu: the vCPU, loaded, not running
 * @ioctl: the ioctl
 * @argp: its argument, a struct kvm_nested_state
 *
 * Return: 0, -EFAULT, -E2BIG (GET: the size is too small), -EINVAL for a
 * state the backend refuses or a backend without nested state, -ENOMEM,
 * or -ENOTTY for another ioctl.
 */
long kvm_x86_nested_state_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
				void __user *argp)
{
	switch (ioctl) {
	case KVM_GET_NESTED_STATE:
		return nested_state_get(vcpu, argp);
	case KVM_SET_NESTED_STATE:
		return nested_state_set(vcpu, argp);
	default:
		return -ENOTTY;
	}
}
