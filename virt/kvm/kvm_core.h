/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Definitions shared by the files of the hypervisor core, not by anyone
 * else.
 */
#ifndef VIRT_KVM_CORE_H
#define VIRT_KVM_CORE_H

#include <linux/kvm.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/xarray.h>

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
 * @lock:	serializes the creation of vCPUs
 * @vcpus:	the vCPUs by id; they live as long as the VM
 * @nr_vcpus:	number of vCPUs created
 */
struct kvm {
	refcount_t users;
	struct mm_struct *mm;
	const struct kvm_arch_ops *arch;
	struct mutex lock;		/* serializes vCPU creation */
	struct xarray vcpus;
	unsigned int nr_vcpus;
};

/**
 * struct kvm_vcpu - one virtual CPU
 * @kvm:	the VM it belongs to
 * @id:		the id userspace gave it (the x86 APIC id)
 * @run:	the page shared with userspace through mmap() of the vCPU file
 */
struct kvm_vcpu {
	struct kvm *kvm;
	unsigned int id;
	struct kvm_run *run;
};

long kvm_check_extension(const struct kvm_arch_ops *arch, long cap);
int kvm_create_vm_fd(const struct kvm_arch_ops *arch, unsigned long type);
int kvm_create_vcpu_fd(struct kvm *kvm, unsigned long id);
void kvm_destroy_vcpus(struct kvm *kvm);

#endif /* VIRT_KVM_CORE_H */
