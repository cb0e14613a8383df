/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * In-kernel API of the architecture-neutral hypervisor core (virt/kvm).
 *
 * Architecture code registers with the core through the functions here;
 * other kernel subsystems that hold on to a VM (VFIO) use the reference
 * counting helpers.  The userspace ABI lives in <uapi/linux/kvm.h>, which
 * this header includes.
 */
#ifndef _LINUX_KVM_CORE_H
#define _LINUX_KVM_CORE_H

#include <uapi/linux/kvm.h>
#include <linux/kvm_types.h>

struct module;

/**
 * struct kvm_arch_ops - what the core asks of the architecture code
 * @owner:	module that implements the operations; an open /dev/kvm pins it
 * @check_extension: answer KVM_CHECK_EXTENSION for capabilities the core
 *		does not know; return 0 for unsupported ones
 * @max_vcpus:	most vCPUs a VM may have
 * @max_vcpu_ids: vCPU ids are below this
 */
struct kvm_arch_ops {
	struct module *owner;
	long (*check_extension)(long cap);
	unsigned int max_vcpus;
	unsigned int max_vcpu_ids;
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

#endif /* _LINUX_KVM_CORE_H */
