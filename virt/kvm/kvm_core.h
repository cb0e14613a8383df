/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Definitions shared by the files of the hypervisor core, not by anyone
 * else.
 */
#ifndef VIRT_KVM_CORE_H
#define VIRT_KVM_CORE_H

#include <linux/kvm.h>
#include <linux/refcount.h>

struct mm_struct;

/**
 * struct kvm - one virtual machine
 * @users:	references: the VM file and other subsystems (VFIO); the VM
 *		is destroyed when the last one goes
 * @mm:		address space of the process that created the VM; only that
 *		process may use the VM (a forked child gets -EIO), and guest
 *		memory comes from it
 * @arch:	the architecture operations, stable while the VM exists
 *		because the VM holds a reference on their module
 */
struct kvm {
	refcount_t users;
	struct mm_struct *mm;
	const struct kvm_arch_ops *arch;
};

long kvm_check_extension(const struct kvm_arch_ops *arch, long cap);
int kvm_create_vm_fd(const struct kvm_arch_ops *arch, unsigned long type);

#endif /* VIRT_KVM_CORE_H */
