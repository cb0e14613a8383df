// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/kvm: the system-wide entry point of the hypervisor.
 *
 * The device exists while an architecture backend is registered, so that
 * userspace never opens a /dev/kvm that cannot run guests.  Every open
 * /dev/kvm holds a reference on the backend module, so the backend (and
 * with it the device) cannot go away under an open file.
 */
#define pr_fmt(fmt) "kvm: " fmt

#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>

#include "kvm_core.h"

static DEFINE_MUTEX(kvm_dev_lock);
static const struct kvm_arch_ops *kvm_arch;

/**
 * kvm_check_extension() - answer KVM_CHECK_EXTENSION
 * @arch: the registered architecture operations
 * @cap: the capability asked about
 *
 * The same answers on /dev/kvm and on a VM file descriptor.
 *
 * Return: 0 if @cap is not offered, else a positive value whose meaning
 * depends on the capability.
 */
long kvm_check_extension(const struct kvm_arch_ops *arch, long cap)
{
	switch (cap) {
	case KVM_CAP_CHECK_EXTENSION_VM:
		return 1;
	case KVM_CAP_NR_VCPUS:
		return min(num_online_cpus(), arch->max_vcpus);
	case KVM_CAP_MAX_VCPUS:
		return arch->max_vcpus;
	case KVM_CAP_MAX_VCPU_ID:
		return arch->max_vcpu_ids;
	case KVM_CAP_NR_MEMSLOTS:
		return KVM_USER_MEM_SLOTS;
	case KVM_CAP_USER_MEMORY2:
	case KVM_CAP_SYNC_MMU:
	case KVM_CAP_BINARY_STATS_FD:
	case KVM_CAP_INTERNAL_ERROR_DATA:
		return 1;
	case KVM_CAP_DESTROY_MEMORY_REGION_WORKS:
	case KVM_CAP_JOIN_MEMORY_REGIONS_WORKS:
		/*
		 * Say that bugs of very old kernels are fixed: QEMU refuses
		 * to start without these.  Deleting a slot with a size-0
		 * region does work here.
		 */
		return 1;
	case KVM_CAP_READONLY_MEM:
		return !!(arch->memslot_flags & KVM_MEM_READONLY);
	case KVM_CAP_MULTI_ADDRESS_SPACE:
		/* Only offered when there is more than one. */
		return arch->nr_address_spaces > 1 ? arch->nr_address_spaces : 0;
	case KVM_CAP_ENABLE_CAP_VM:
		return !!arch->enable_cap;
	case KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2:
		return kvm_dirty_log_manual_caps(arch);
	case KVM_CAP_COALESCED_MMIO:
		/* Where the ring is in the vCPU mapping, in pages. */
		return KVM_COALESCED_MMIO_PAGE_OFFSET;
	case KVM_CAP_COALESCED_PIO:
		return 1;
	case KVM_CAP_IOEVENTFD:
	case KVM_CAP_IOEVENTFD_ANY_LENGTH:
	case KVM_CAP_HALT_POLL:
		return 1;
	case KVM_CAP_IRQFD:
	case KVM_CAP_IRQFD_RESAMPLE:
		return !!arch->set_irq;
	case KVM_CAP_PRE_FAULT_MEMORY:
		return !!arch->pre_fault;
	default:
		return arch->check_extension(cap);
	}
}

/*
 * An open /dev/kvm pins the backend module (kvm_dev_open()), so kvm_arch
 * cannot change under the ioctls.
 */
static long kvm_dev_ioctl(struct file *filp, unsigned int ioctl,
			  unsigned long arg)
{
	switch (ioctl) {
	case KVM_GET_API_VERSION:
		if (arg)
			return -EINVAL;
		return KVM_API_VERSION;
	case KVM_CHECK_EXTENSION:
		return kvm_check_extension(kvm_arch, arg);
	case KVM_CREATE_VM:
		return kvm_create_vm_fd(kvm_arch, arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		if (arg)
			return -EINVAL;
		/* The run page, then the coalesced I/O ring. */
		return (KVM_COALESCED_MMIO_PAGE_OFFSET + 1) * PAGE_SIZE;
	default:
		if (kvm_arch->dev_ioctl)
			return kvm_arch->dev_ioctl(ioctl, arg);
		return -EINVAL;
	}
}

/*
 * misc_open() calls us with the misc device lock held, which
 * kvm_core_unregister() also needs: kvm_arch is stable here.
 */
static int kvm_dev_open(struct inode *inode, struct file *filp)
{
	struct module *owner = kvm_arch->owner;

	if (!try_module_get(owner))
		return -ENODEV;
	filp->private_data = owner;
	return 0;
}

static int kvm_dev_release(struct inode *inode, struct file *filp)
{
	module_put(filp->private_data);
	return 0;
}

static const struct file_operations kvm_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= kvm_dev_open,
	.release	= kvm_dev_release,
	.unlocked_ioctl	= kvm_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice kvm_dev = {
	.minor	= KVM_MINOR,
	.name	= "kvm",
	.fops	= &kvm_dev_fops,
};

/**
 * kvm_core_register() - make the hypervisor available to userspace
 * @ops: the architecture's operations, valid until kvm_core_unregister()
 *
 * Creates /dev/kvm.  Only one backend can be registered at a time.
 *
 * Return: 0 on success, -EBUSY if another backend is registered, or the
 * error from registering the misc device.
 */
int kvm_core_register(const struct kvm_arch_ops *ops)
{
	int ret;

	mutex_lock(&kvm_dev_lock);
	if (kvm_arch) {
		ret = -EBUSY;
		goto out;
	}
	kvm_arch = ops;
	kvm_debugfs_init();
	ret = misc_register(&kvm_dev);
	if (ret) {
		pr_err("cannot register /dev/kvm: %d\n", ret);
		kvm_debugfs_exit();
		kvm_arch = NULL;
	}
out:
	mutex_unlock(&kvm_dev_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(kvm_core_register);

/**
 * kvm_core_unregister() - remove /dev/kvm
 * @ops: the operations passed to kvm_core_register()
 *
 * Called by the backend module on unload; the module reference held by
 * every open /dev/kvm guarantees that none is open any more.
 */
void kvm_core_unregister(const struct kvm_arch_ops *ops)
{
	mutex_lock(&kvm_dev_lock);
	if (!WARN_ON_ONCE(kvm_arch != ops)) {
		misc_deregister(&kvm_dev);
		kvm_debugfs_exit();
		kvm_arch = NULL;
	}
	mutex_unlock(&kvm_dev_lock);
	/* The last VM's irqfds and ioeventfds are freed after RCU. */
	rcu_barrier();
}
EXPORT_SYMBOL_GPL(kvm_core_unregister);
