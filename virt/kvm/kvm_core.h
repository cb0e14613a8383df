/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Definitions shared by the files of the hypervisor core, not by anyone
 * else.
 */
#ifndef VIRT_KVM_CORE_H
#define VIRT_KVM_CORE_H

#include <linux/kvm.h>

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

int kvm_memslots_init(struct kvm *kvm);
void kvm_memslots_destroy(struct kvm *kvm);
int kvm_set_memory_region(struct kvm *kvm,
			  const struct kvm_userspace_memory_region2 *mem);

#endif /* VIRT_KVM_CORE_H */
