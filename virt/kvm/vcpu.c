// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU file descriptors.
 *
 * A vCPU belongs to its VM and lives as long as the VM does; its file
 * holds a reference on the VM, so the VM file may be closed first.  The
 * kvm_run page is shared with userspace by mmap() of the vCPU file.
 */
#include <linux/anon_inodes.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "kvm_core.h"

static vm_fault_t kvm_vcpu_fault(struct vm_fault *vmf)
{
	struct kvm_vcpu *vcpu = vmf->vma->vm_file->private_data;

	if (vmf->pgoff)
		return VM_FAULT_SIGBUS;
	vmf->page = virt_to_page(vcpu->run);
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

static long kvm_vcpu_ioctl(struct file *filp, unsigned int ioctl,
			   unsigned long arg)
{
	struct kvm_vcpu *vcpu = filp->private_data;

	if (vcpu->kvm->mm != current->mm)
		return -EIO;

	return -ENOTTY;
}

static const struct file_operations kvm_vcpu_fops = {
	.owner		= THIS_MODULE,
	.release	= kvm_vcpu_release,
	.unlocked_ioctl	= kvm_vcpu_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= kvm_vcpu_mmap,
	.llseek		= noop_llseek,
};

static void kvm_free_vcpu(struct kvm_vcpu *vcpu)
{
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

	if (id >= kvm->arch->max_vcpu_ids)
		return -EINVAL;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	vcpu->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->run) {
		kfree(vcpu);
		return -ENOMEM;
	}
	vcpu->kvm = kvm;
	vcpu->id = id;

	mutex_lock(&kvm->lock);
	if (kvm->nr_vcpus >= kvm->arch->max_vcpus) {
		ret = -EINVAL;
		goto fail;
	}
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
		mutex_unlock(&kvm->lock);
		kvm_free_vcpu(vcpu);
		/* Not the last reference: the caller's VM file holds one. */
		refcount_dec(&kvm->users);
		return fd;
	}
	kvm->nr_vcpus++;
	mutex_unlock(&kvm->lock);
	return fd;

fail:
	mutex_unlock(&kvm->lock);
	kvm_free_vcpu(vcpu);
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
		kvm_free_vcpu(vcpu);
	xa_destroy(&kvm->vcpus);
}
