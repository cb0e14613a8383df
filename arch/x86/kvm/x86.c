// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86 architecture layer of the hypervisor: connects the generic core with
 * the hardware backend that is loaded (VMX or SVM).
 */
#define pr_fmt(fmt) "kvm: " fmt

#include <linux/module.h>
#include <linux/mutex.h>

#include "backend.h"

static DEFINE_MUTEX(kvm_x86_backend_lock);
static const struct kvm_x86_backend *kvm_x86_backend;

static long kvm_x86_check_extension(long cap)
{
	return 0;
}

/*
 * vCPU ids are APIC ids, which need not be dense (a topology may leave
 * holes), so allow four times as many ids as vCPUs.
 */
#define KVM_X86_MAX_VCPUS	1024
#define KVM_X86_MAX_VCPU_IDS	(4 * KVM_X86_MAX_VCPUS)

static struct kvm_arch_ops kvm_x86_arch_ops = {
	.check_extension = kvm_x86_check_extension,
	.max_vcpus	 = KVM_X86_MAX_VCPUS,
	.max_vcpu_ids	 = KVM_X86_MAX_VCPU_IDS,
	.nr_address_spaces = 1,
	.memslot_flags	 = KVM_MEM_READONLY,
};

/**
 * kvm_x86_register_backend() - install a hardware backend
 * @backend: the backend; must stay valid until it is unregistered
 *
 * Checks that the processor supports the backend and creates /dev/kvm.
 * The VMX and SVM backends exclude each other.
 *
 * Return: 0, -EBUSY if a backend is already registered, or the error the
 * backend's processor check returned.
 */
int kvm_x86_register_backend(const struct kvm_x86_backend *backend)
{
	int ret;

	mutex_lock(&kvm_x86_backend_lock);
	if (kvm_x86_backend) {
		pr_err("cannot load %s: the %s backend is loaded\n",
		       backend->name, kvm_x86_backend->name);
		ret = -EBUSY;
		goto out;
	}
	ret = backend->check_processor();
	if (ret)
		goto out;

	kvm_x86_arch_ops.owner = backend->owner;
	ret = kvm_core_register(&kvm_x86_arch_ops);
	if (!ret)
		kvm_x86_backend = backend;
out:
	mutex_unlock(&kvm_x86_backend_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(kvm_x86_register_backend);

/**
 * kvm_x86_unregister_backend() - remove the hardware backend
 * @backend: the backend passed to kvm_x86_register_backend()
 */
void kvm_x86_unregister_backend(const struct kvm_x86_backend *backend)
{
	mutex_lock(&kvm_x86_backend_lock);
	if (!WARN_ON_ONCE(kvm_x86_backend != backend)) {
		kvm_core_unregister(&kvm_x86_arch_ops);
		kvm_x86_backend = NULL;
	}
	mutex_unlock(&kvm_x86_backend_lock);
}
EXPORT_SYMBOL_GPL(kvm_x86_unregister_backend);

MODULE_DESCRIPTION("Kernel-based Virtual Machine: core and x86 support");
MODULE_LICENSE("GPL");
