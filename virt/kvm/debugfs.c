// SPDX-License-Identifier: GPL-2.0-only
/*
 * The statistics in debugfs, laid out as upstream KVM lays them out for
 * tools such as kvm_stat: /sys/kernel/debug/kvm/NAME is a statistic
 * summed over every VM and vCPU, /sys/kernel/debug/kvm/PID-FD/NAME the
 * same for the VM that process PID created as file descriptor FD.
 * Writing 0 to a cumulative statistic resets it.
 *
 * A VM's directory goes before the VM does; debugfs makes its removal
 * wait for readers, so a reader always finds the VM alive.
 */
#include <linux/debugfs.h>
#include <linux/kvm.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "kvm_core.h"

/**
 * struct kvm_debugfs_stat - what one debugfs file shows
 * @kvm:	the VM, or NULL for the sum over all VMs
 * @def:	the statistic
 * @vcpu:	a vCPU statistic, summed over the VM's vCPUs
 */
struct kvm_debugfs_stat {
	struct kvm *kvm;
	const struct kvm_stat_def *def;
	bool vcpu;
};

static struct dentry *kvm_debugfs_dir;
static struct kvm_debugfs_stat *kvm_debugfs_totals;
/* The VMs with a debugfs directory, for the sums. */
static LIST_HEAD(kvm_vm_list);
static DEFINE_MUTEX(kvm_vm_list_lock);

static u64 kvm_debugfs_counter(void *counters, const struct kvm_stat_def *def,
			       bool clear)
{
	u64 *counter = counters + def->offset;

	if (clear)
		WRITE_ONCE(*counter, 0);
	return READ_ONCE(*counter);
}

static u64 kvm_debugfs_vm_stat(struct kvm *kvm,
			       const struct kvm_debugfs_stat *s, bool clear)
{
	struct kvm_vcpu *vcpu;
	unsigned long id;
	u64 sum = 0;

	if (!s->vcpu)
		return kvm_debugfs_counter(&kvm->stat, s->def, clear);
	xa_for_each(&kvm->vcpus, id, vcpu)
		sum += kvm_debugfs_counter(&vcpu->stat, s->def, clear);
	return sum;
}

static u64 kvm_debugfs_stat(const struct kvm_debugfs_stat *s, bool clear)
{
	struct kvm *kvm;
	u64 sum = 0;

	if (s->kvm)
		return kvm_debugfs_vm_stat(s->kvm, s, clear);
	mutex_lock(&kvm_vm_list_lock);
	list_for_each_entry(kvm, &kvm_vm_list, vm_list)
		sum += kvm_debugfs_vm_stat(kvm, s, clear);
	mutex_unlock(&kvm_vm_list_lock);
	return sum;
}

static int kvm_debugfs_get(void *data, u64 *val)
{
	*val = kvm_debugfs_stat(data, false);
	return 0;
}

static int kvm_debugfs_set(void *data, u64 val)
{
	const struct kvm_debugfs_stat *s = data;

	if (val || (s->def->flags & KVM_STATS_TYPE_MASK) !=
		   KVM_STATS_TYPE_CUMULATIVE)
		return -EINVAL;
	kvm_debugfs_stat(s, true);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(kvm_debugfs_fops, kvm_debugfs_get, kvm_debugfs_set,
			 "%llu\n");

/* The VM's statistics, then its vCPUs', in @stats, each with a file. */
static void kvm_debugfs_fill(struct dentry *dir, struct kvm *kvm,
			     struct kvm_debugfs_stat *stats)
{
	unsigned int i;

	for (i = 0; i < kvm_nr_vm_stats + kvm_nr_vcpu_stats; i++) {
		struct kvm_debugfs_stat *s = &stats[i];
		bool vcpu = i >= kvm_nr_vm_stats;
		umode_t mode;

		s->kvm = kvm;
		s->vcpu = vcpu;
		s->def = vcpu ? &kvm_vcpu_stats[i - kvm_nr_vm_stats] :
				&kvm_vm_stats[i];
		mode = (s->def->flags & KVM_STATS_TYPE_MASK) ==
		       KVM_STATS_TYPE_CUMULATIVE ? 0644 : 0444;
		debugfs_create_file_unsafe(s->def->name, mode, dir, s,
					   &kvm_debugfs_fops);
	}
}

static struct kvm_debugfs_stat *kvm_debugfs_alloc(void)
{
	return kcalloc(kvm_nr_vm_stats + kvm_nr_vcpu_stats,
		       sizeof(struct kvm_debugfs_stat), GFP_KERNEL_ACCOUNT);
}

/**
 * kvm_debugfs_init() - create /sys/kernel/debug/kvm and the sums
 *
 * Without debugfs, or without memory, there are no files; nothing else
 * depends on them.
 */
void kvm_debugfs_init(void)
{
	kvm_debugfs_totals = kvm_debugfs_alloc();
	if (!kvm_debugfs_totals)
		return;
	kvm_debugfs_dir = debugfs_create_dir("kvm", NULL);
	kvm_debugfs_fill(kvm_debugfs_dir, NULL, kvm_debugfs_totals);
}

/**
 * kvm_debugfs_exit() - remove /sys/kernel/debug/kvm; no VM is left
 */
void kvm_debugfs_exit(void)
{
	debugfs_remove_recursive(kvm_debugfs_dir);
	kvm_debugfs_dir = NULL;
	kfree(kvm_debugfs_totals);
	kvm_debugfs_totals = NULL;
}

/**
 * kvm_debugfs_add_vm() - give a new VM its directory and count it
 * @kvm: the VM, before userspace can reach it
 * @fd: the file descriptor it will be
 */
void kvm_debugfs_add_vm(struct kvm *kvm, int fd)
{
	char name[32];

	mutex_lock(&kvm_vm_list_lock);
	list_add(&kvm->vm_list, &kvm_vm_list);
	mutex_unlock(&kvm_vm_list_lock);

	if (!kvm_debugfs_dir)
		return;
	kvm->debugfs_stats = kvm_debugfs_alloc();
	if (!kvm->debugfs_stats)
		return;
	snprintf(name, sizeof(name), "%d-%d", task_pid_nr(current), fd);
	kvm->debugfs_dentry = debugfs_create_dir(name, kvm_debugfs_dir);
	kvm_debugfs_fill(kvm->debugfs_dentry, kvm, kvm->debugfs_stats);
}

/**
 * kvm_debugfs_remove_vm() - take a dying VM out of debugfs
 * @kvm: the VM, added or not; when this returns, no reader uses it
 */
void kvm_debugfs_remove_vm(struct kvm *kvm)
{
	debugfs_remove_recursive(kvm->debugfs_dentry);
	kfree(kvm->debugfs_stats);
	mutex_lock(&kvm_vm_list_lock);
	list_del_init(&kvm->vm_list);
	mutex_unlock(&kvm_vm_list_lock);
}
