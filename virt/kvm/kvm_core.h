/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Definitions shared by the files of the hypervisor core, not by anyone
 * else.
 */
#ifndef VIRT_KVM_CORE_H
#define VIRT_KVM_CORE_H

#include <linux/kvm.h>

long kvm_check_extension(const struct kvm_arch_ops *arch, long cap);
int kvm_create_vm_fd(const struct kvm_arch_ops *arch, unsigned long type);
int kvm_create_vcpu_fd(struct kvm *kvm, unsigned long id);
void kvm_destroy_vcpus(struct kvm *kvm);
long kvm_vcpu_ioctl_run(struct kvm_vcpu *vcpu, unsigned long arg);
long kvm_vcpu_ioctl_set_signal_mask(struct kvm_vcpu *vcpu,
				    void __user *argp);
void kvm_vcpu_run_init(struct kvm_vcpu *vcpu);
void kvm_vcpu_run_free(struct kvm_vcpu *vcpu);
void kvm_vcpu_load(struct kvm_vcpu *vcpu);
void kvm_vcpu_put(struct kvm_vcpu *vcpu);

/**
 * struct kvm_stat_def - one statistic
 * @name:	its name, as userspace knows it
 * @flags:	KVM_STATS_TYPE_*, _UNIT_* and _BASE_* of its descriptor
 * @offset:	of its u64 counter in struct kvm_vm_stat or kvm_vcpu_stat
 * @exponent:	the unit is 10^@exponent of KVM_STATS_UNIT_* (-9: ns)
 */
struct kvm_stat_def {
	const char *name;
	u32 flags;
	size_t offset;
	s8 exponent;
};

extern const struct kvm_stat_def kvm_vm_stats[], kvm_vcpu_stats[];
extern const unsigned int kvm_nr_vm_stats, kvm_nr_vcpu_stats;

int kvm_vm_stats_fd(struct kvm *kvm);
int kvm_vcpu_stats_fd(struct kvm_vcpu *vcpu);

void kvm_debugfs_init(void);
void kvm_debugfs_exit(void);
void kvm_debugfs_add_vm(struct kvm *kvm, int fd);
void kvm_debugfs_remove_vm(struct kvm *kvm);

void kvm_eventfds_init(struct kvm *kvm);
void kvm_eventfds_destroy(struct kvm *kvm);
long kvm_vm_ioctl_irqfd(struct kvm *kvm, void __user *argp);
long kvm_vm_ioctl_ioeventfd(struct kvm *kvm, void __user *argp);

int kvm_coalesced_init(struct kvm *kvm);
void kvm_coalesced_destroy(struct kvm *kvm);
struct page *kvm_coalesced_ring_page(struct kvm *kvm);
long kvm_vm_ioctl_coalesced(struct kvm *kvm, unsigned int ioctl,
			    void __user *argp);

int kvm_memslots_init(struct kvm *kvm);
void kvm_memslots_destroy(struct kvm *kvm);
int kvm_set_memory_region(struct kvm *kvm,
			  const struct kvm_userspace_memory_region2 *mem);
struct kvm_memory_slot *kvm_find_slot(struct kvm *kvm, u32 id);

unsigned long *kvm_dirty_bitmap_alloc(struct kvm *kvm, unsigned long npages);
long kvm_vm_ioctl_dirty_log(struct kvm *kvm, unsigned int ioctl,
			    void __user *argp);
long kvm_dirty_log_manual_caps(const struct kvm_arch_ops *arch);
int kvm_enable_halt_poll(struct kvm *kvm, const struct kvm_enable_cap *cap);
int kvm_dirty_log_enable_manual(struct kvm *kvm,
				const struct kvm_enable_cap *cap);

#endif /* VIRT_KVM_CORE_H */
