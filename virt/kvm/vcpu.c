// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU file descriptors.
 *
 * A vCPU belongs to its VM and lives as long as the VM does; its file
 * holds a reference on the VM, so the VM file may be closed first.  The
 * kvm_run page is shared with userspace by mmap() of the vCPU file, and
 * so is the VM's coalesced I/O ring, at page KVM_COALESCED_MMIO_PAGE_OFFSET
 * (the architecture may back the pages between).
 */
#include <linux/anon_inodes.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/uaccess.h>

#include "kvm_core.h"

static vm_fault_t kvm_vcpu_fault(struct vm_fault *vmf)
{
	struct kvm_vcpu *vcpu = vmf->vma->vm_file->private_data;

	if (vmf->pgoff == 0)
		vmf->page = virt_to_page(vcpu->run);
	else if (vmf->pgoff == KVM_COALESCED_MMIO_PAGE_OFFSET)
		vmf->page = kvm_coalesced_ring_page(vcpu->kvm);
	else if (vcpu->kvm->arch->vcpu_page)
		vmf->page = vcpu->kvm->arch->vcpu_page(vcpu, vmf->pgoff);
	else
		vmf->page = NULL;
	if (!vmf->page)
		return VM_FAULT_SIGBUS;
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct kvm_vcpu_vm_ops = {
	.fault = kvm_vcpu_fault,
};

static int kvm_vcpu_mmap(struct file *filp, struct vm_area_struct *vma)
{
	vma->vm_ops = &kvm_vcpu_vm_ops;
	return 0;
}

static int kvm_vcpu_release(struct inode *inode, struct file *filp)
{
	struct kvm_vcpu *vcpu = filp->private_data;

	kvm_put_kvm(vcpu->kvm);
	return 0;
}

static long kvm_vcpu_arch_ioctl(struct kvm_vcpu *vcpu, unsigned int ioctl,
				unsigned long arg)
{
	long ret;

	if (!vcpu->kvm->arch->vcpu_ioctl)
		return -ENOTTY;
	kvm_vcpu_load(vcpu);
	ret = vcpu->kvm->arch->vcpu_ioctl(vcpu, ioctl, arg);
	kvm_vcpu_put(vcpu);
	return ret;
}

/*
 * KVM_PRE_FAULT_MEMORY: map guest memory before the guest touches it, a
 * page at a time, until the range is done, a page cannot be (outside the
 * slots: -ENOENT), or a signal comes.  The structure goes back with what
 * remains.  Return: 0 if a page was done, else why none was.
 */
static long kvm_vcpu_pre_fault(struct kvm_vcpu *vcpu, void __user *argp)
{
	struct kvm_pre_fault_memory r;
	bool done_one = false;
	long ret = 0;
	int idx;

	if (!vcpu->kvm->arch->pre_fault)
		return -ENOTTY;
	if (copy_from_user(&r, argp, sizeof(r)))
		return -EFAULT;
	if (r.flags || !r.size || !PAGE_ALIGNED(r.gpa) ||
	    !PAGE_ALIGNED(r.size) || r.gpa + r.size < r.gpa)
		return -EINVAL;

	kvm_vcpu_load(vcpu);
	idx = srcu_read_lock(&vcpu->kvm->srcu);
	while (r.size) {
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		ret = vcpu->kvm->arch->pre_fault(vcpu, r.gpa);
		if (ret)
			break;
		done_one = true;
		r.gpa += PAGE_SIZE;
		r.size -= PAGE_SIZE;
		cond_resched();
	}
	srcu_read_unlock(&vcpu->kvm->srcu, idx);
	kvm_vcpu_put(vcpu);

	if (copy_to_user(argp, &r, sizeof(r)))
		return -EFAULT;
	return done_one ? 0 : ret;
}

static long kvm_vcpu_ioctl(struct file *filp, unsigned int ioctl,
			   unsigned long arg)
{
	struct kvm_vcpu *vcpu = filp->private_data;
	long ret;

	if (vcpu->kvm->mm != current->mm)
		return -EIO;

	/* A second thread waits here while another one runs the vCPU. */
	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	switch (ioctl) {
	case KVM_RUN:
		ret = kvm_vcpu_ioctl_run(vcpu, arg);
		break;
	case KVM_SET_SIGNAL_MASK:
		ret = kvm_vcpu_ioctl_set_signal_mask(vcpu, (void __user *)arg);
		break;
	case KVM_GET_STATS_FD:
		ret = kvm_vcpu_stats_fd(vcpu);
		break;
	case KVM_PRE_FAULT_MEMORY:
		ret = kvm_vcpu_pre_fault(vcpu, (void __user *)arg);
		break;
	default:
		ret = kvm_vcpu_arch_ioctl(vcpu, ioctl, arg);
		break;
	}
	mutex_unlock(&vcpu->mutex);
	return ret;
}

static const struct file_operations kvm_vcpu_fops = {
	.owner		= THIS_MODULE,
	.release	= kvm_vcpu_release,
	.unlocked_ioctl	= kvm_vcpu_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= kvm_vcpu_mmap,
	.llseek		= noop_llseek,
};

/* Free a vCPU; @initialized: the architecture set up its part. */
static void kvm_free_vcpu(struct kvm_vcpu *vcpu, bool initialized)
{
	if (initialized && vcpu->kvm->arch->vcpu_destroy)
		vcpu->kvm->arch->vcpu_destroy(vcpu);
	kvm_vcpu_run_free(vcpu);
	free_page((unsigned long)vcpu->run);
	kfree(vcpu);
}

/**
 * kvm_create_vcpu_fd() - create a vCPU and a file descriptor for it
 * @kvm: the VM
 * @id: the vCPU id from KVM_CREATE_VCPU
 *
 * Return: the new file descriptor; -EINVAL if @id is out of range or the
 * VM has its maximum number of vCPUs, -EEXIST if @id is taken, or another
 * negative errno.
 */
int kvm_create_vcpu_fd(struct kvm *kvm, unsigned long id)
{
	struct kvm_vcpu *vcpu;
	char name[24];
	int fd, ret;

	/*
	 * Count the vCPU from here on, so that VM-wide settings that must
	 * come before the first vCPU are refused while one is being set up.
	 */
	mutex_lock(&kvm->lock);
	if (kvm->created_vcpus >= kvm->arch->max_vcpus ||
	    id >= kvm->max_vcpu_ids) {
		mutex_unlock(&kvm->lock);
		return -EINVAL;
	}
	kvm->created_vcpus++;
	mutex_unlock(&kvm->lock);

	ret = -ENOMEM;
	vcpu = kzalloc(kvm->arch->vcpu_size ?: sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		goto uncount;
	vcpu->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->run) {
		kfree(vcpu);
		goto uncount;
	}
	vcpu->kvm = kvm;
	vcpu->id = id;
	kvm_vcpu_run_init(vcpu);
	ret = kvm->arch->vcpu_init ? kvm->arch->vcpu_init(vcpu) : 0;
	if (ret) {
		kvm_free_vcpu(vcpu, false);
		goto uncount;
	}

	mutex_lock(&kvm->lock);
	ret = xa_insert(&kvm->vcpus, id, vcpu, GFP_KERNEL_ACCOUNT);
	if (ret) {
		if (ret == -EBUSY)
			ret = -EEXIST;
		goto fail;
	}

	/* The file's reference on the VM; the VM cannot be dying here. */
	refcount_inc(&kvm->users);
	snprintf(name, sizeof(name), "kvm-vcpu:%lu", id);
	fd = anon_inode_getfd(name, &kvm_vcpu_fops, vcpu, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		xa_erase(&kvm->vcpus, id);
		/* Others may have found it (to send it an interrupt, say). */
		synchronize_rcu();
		/* Not the last reference: the caller's VM file holds one. */
		refcount_dec(&kvm->users);
		ret = fd;
		goto fail;
	}
	kvm->nr_vcpus++;
	mutex_unlock(&kvm->lock);
	return fd;

fail:
	kvm->created_vcpus--;
	mutex_unlock(&kvm->lock);
	kvm_free_vcpu(vcpu, true);
	return ret;
uncount:
	mutex_lock(&kvm->lock);
	kvm->created_vcpus--;
	mutex_unlock(&kvm->lock);
	return ret;
}

/**
 * kvm_destroy_vcpus() - free the vCPUs of a VM that is being destroyed
 * @kvm: the VM; no vCPU file is open any more (each holds a VM reference)
 */
void kvm_destroy_vcpus(struct kvm *kvm)
{
	struct kvm_vcpu *vcpu;
	unsigned long id;

	xa_for_each(&kvm->vcpus, id, vcpu)
		kvm_free_vcpu(vcpu, true);
	xa_destroy(&kvm->vcpus);
}
