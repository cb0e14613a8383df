// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM file descriptors and the lifetime of a VM.
 *
 * A VM lives as long as something references it: its file, its vCPUs'
 * files, and other subsystems that took a reference with
 * kvm_get_kvm_safe().  It pins the
 * address space of its creator and the backend module that runs it, so
 * the VM file can outlive /dev/kvm and the creating process's other fds.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kvm_core.h"

static void kvm_destroy_vm(struct kvm *kvm)
{
	struct module *owner = kvm->arch->owner;

	kvm_debugfs_remove_vm(kvm);
	kvm_eventfds_destroy(kvm);
	if (kvm->arch->vm_release)
		kvm->arch->vm_release(kvm);
	kvm_destroy_vcpus(kvm);
	/* Stops the MMU notifier before the guest page tables go. */
	kvm_memslots_destroy(kvm);
	if (kvm->arch->vm_destroy)
		kvm->arch->vm_destroy(kvm);
	kvm_coalesced_destroy(kvm);
	preempt_notifier_dec();
	mmdrop(kvm->mm);
	kfree(kvm);
	module_put(owner);
}

/**
 * kvm_get_kvm_safe() - take a reference on a VM that may be going away
 * @kvm: the VM
 *
 * Return: true if the reference was taken, false if the VM is already
 * being destroyed.
 */
bool kvm_get_kvm_safe(struct kvm *kvm)
{
	return refcount_inc_not_zero(&kvm->users);
}
EXPORT_SYMBOL_GPL(kvm_get_kvm_safe);

/**
 * kvm_put_kvm() - drop a reference on a VM, destroying it with the last one
 * @kvm: the VM
 */
void kvm_put_kvm(struct kvm *kvm)
{
	if (refcount_dec_and_test(&kvm->users))
		kvm_destroy_vm(kvm);
}
EXPORT_SYMBOL_GPL(kvm_put_kvm);

static int kvm_vm_release(struct inode *inode, struct file *filp)
{
	kvm_put_kvm(filp->private_data);
	return 0;
}

static long kvm_vm_ioctl_set_memory_region(struct kvm *kvm,
					   unsigned int ioctl,
					   void __user *argp)
{
	struct kvm_userspace_memory_region2 mem = {};
	size_t size = ioctl == KVM_SET_USER_MEMORY_REGION ?
		      sizeof(struct kvm_userspace_memory_region) : sizeof(mem);

	if (copy_from_user(&mem, argp, size))
		return -EFAULT;
	return kvm_set_memory_region(kvm, &mem);
}

static long kvm_vm_ioctl_enable_cap(struct kvm *kvm, void __user *argp)
{
	struct kvm_enable_cap cap;

	if (copy_from_user(&cap, argp, sizeof(cap)))
		return -EFAULT;
	if (cap.cap == KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2)
		return kvm_dirty_log_enable_manual(kvm, &cap);
	if (cap.cap == KVM_CAP_HALT_POLL)
		return kvm_enable_halt_poll(kvm, &cap);
	if (!kvm->arch->enable_cap)
		return -EINVAL;
	return kvm->arch->enable_cap(kvm, &cap);
}

static long kvm_vm_ioctl(struct file *filp, unsigned int ioctl,
			 unsigned long arg)
{
	struct kvm *kvm = filp->private_data;

	/* Guest memory is the creator's: a forked child must not touch it. */
	if (kvm->mm != current->mm)
		return -EIO;

	switch (ioctl) {
	case KVM_CHECK_EXTENSION:
		return kvm_check_extension(kvm->arch, arg);
	case KVM_CREATE_VCPU:
		return kvm_create_vcpu_fd(kvm, arg);
	case KVM_GET_STATS_FD:
		return kvm_vm_stats_fd(kvm);
	case KVM_SET_USER_MEMORY_REGION:
	case KVM_SET_USER_MEMORY_REGION2:
		return kvm_vm_ioctl_set_memory_region(kvm, ioctl,
						      (void __user *)arg);
	case KVM_ENABLE_CAP:
		return kvm_vm_ioctl_enable_cap(kvm, (void __user *)arg);
	case KVM_GET_DIRTY_LOG:
	case KVM_CLEAR_DIRTY_LOG:
		return kvm_vm_ioctl_dirty_log(kvm, ioctl, (void __user *)arg);
	case KVM_IRQFD:
		return kvm_vm_ioctl_irqfd(kvm, (void __user *)arg);
	case KVM_IOEVENTFD:
		return kvm_vm_ioctl_ioeventfd(kvm, (void __user *)arg);
	case KVM_REGISTER_COALESCED_MMIO:
	case KVM_UNREGISTER_COALESCED_MMIO:
		return kvm_vm_ioctl_coalesced(kvm, ioctl, (void __user *)arg);
	default:
		if (!kvm->arch->vm_ioctl)
			return -ENOTTY;
		return kvm->arch->vm_ioctl(kvm, ioctl, arg);
	}
}

static const struct file_operations kvm_vm_fops = {
	.owner		= THIS_MODULE,
	.release	= kvm_vm_release,
	.unlocked_ioctl	= kvm_vm_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/**
 * kvm_create_vm_fd() - create a VM and a file descriptor for it
 * @arch: the registered architecture operations
 * @type: the machine type from KVM_CREATE_VM; only 0 exists
 *
 * Called from a /dev/kvm ioctl, whose open file pins @arch's module.
 *
 * Return: the new file descriptor, or a negative errno.
 */
int kvm_create_vm_fd(const struct kvm_arch_ops *arch, unsigned long type)
{
	struct file *file;
	struct kvm *kvm;
	int fd, ret;

	if (type)
		return -EINVAL;

	kvm = kzalloc(arch->vm_size ?: sizeof(*kvm), GFP_KERNEL_ACCOUNT);
	if (!kvm)
		return -ENOMEM;
	refcount_set(&kvm->users, 1);
	mutex_init(&kvm->lock);
	xa_init(&kvm->vcpus);
	INIT_LIST_HEAD(&kvm->vm_list);
	kvm_eventfds_init(kvm);
	kvm->arch = arch;
	kvm->max_vcpu_ids = arch->max_vcpu_ids;
	kvm->max_halt_poll_ns = U64_MAX;
	kvm->mm = current->mm;
	mmgrab(kvm->mm);
	ret = kvm_coalesced_init(kvm);
	if (ret)
		goto free;
	ret = kvm_memslots_init(kvm);
	if (ret)
		goto free_ring;
	ret = arch->vm_init ? arch->vm_init(kvm) : 0;
	if (ret) {
		kvm_memslots_destroy(kvm);
		goto free_ring;
	}
	preempt_notifier_inc();
	/* Cannot fail: the caller's /dev/kvm file holds a reference. */
	__module_get(arch->owner);

	/*
	 * The debugfs directory is named after the file descriptor, and
	 * must exist before userspace can close it.
	 */
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto put;
	}
	file = anon_inode_getfile("kvm-vm", &kvm_vm_fops, kvm, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		ret = PTR_ERR(file);
		goto put;
	}
	kvm_debugfs_add_vm(kvm, fd);
	fd_install(fd, file);
	return fd;

put:
	kvm_put_kvm(kvm);
	return ret;

free_ring:
	kvm_coalesced_destroy(kvm);
free:
	mmdrop(kvm->mm);
	kfree(kvm);
	return ret;
}
