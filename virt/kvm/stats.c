// SPDX-License-Identifier: GPL-2.0-only
/*
 * Binary statistics (KVM_GET_STATS_FD): a read-only file per VM or vCPU
 * laid out as api.rst describes -- header, id string, descriptors, then
 * the live 64-bit values.  The first three blocks never change; the data
 * is read from the counters at every read.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kvm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kvm_core.h"

#define CUMULATIVE	(KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_UNIT_NONE | \
			 KVM_STATS_BASE_POW10)
#define INSTANT		(KVM_STATS_TYPE_INSTANT | KVM_STATS_UNIT_NONE | \
			 KVM_STATS_BASE_POW10)
#define NANOSECONDS	(KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_UNIT_SECONDS | \
			 KVM_STATS_BASE_POW10)
#define VM_STAT(n, f)	{ #n, f, offsetof(struct kvm_vm_stat, n) }
#define VCPU_STAT(n, f)	{ #n, f, offsetof(struct kvm_vcpu_stat, n) }

const struct kvm_stat_def kvm_vm_stats[] = {
	VM_STAT(remote_tlb_flush, CUMULATIVE),
	VM_STAT(pages_4k, INSTANT),
};

const struct kvm_stat_def kvm_vcpu_stats[] = {
	VCPU_STAT(exits, CUMULATIVE),
	VCPU_STAT(io_exits, CUMULATIVE),
	VCPU_STAT(mmio_exits, CUMULATIVE),
	VCPU_STAT(insn_emulation, CUMULATIVE),
	VCPU_STAT(halt_exits, CUMULATIVE),
	VCPU_STAT(halt_wakeup, CUMULATIVE),
	{ "halt_wait_ns", NANOSECONDS,
	  offsetof(struct kvm_vcpu_stat, halt_wait_ns), -9 },
	VCPU_STAT(halt_attempted_poll, CUMULATIVE),
	VCPU_STAT(halt_successful_poll, CUMULATIVE),
	{ "halt_poll_success_ns", NANOSECONDS,
	  offsetof(struct kvm_vcpu_stat, halt_poll_success_ns), -9 },
	{ "halt_poll_fail_ns", NANOSECONDS,
	  offsetof(struct kvm_vcpu_stat, halt_poll_fail_ns), -9 },
	VCPU_STAT(signal_exits, CUMULATIVE),
	VCPU_STAT(irq_exits, CUMULATIVE),
	VCPU_STAT(pf_taken, CUMULATIVE),
	VCPU_STAT(tlb_flush, CUMULATIVE),
	VCPU_STAT(spin_exits, CUMULATIVE),
	VCPU_STAT(spin_yields, CUMULATIVE),
	VCPU_STAT(hypercalls, CUMULATIVE),
};

const unsigned int kvm_nr_vm_stats = ARRAY_SIZE(kvm_vm_stats);
const unsigned int kvm_nr_vcpu_stats = ARRAY_SIZE(kvm_vcpu_stats);

/**
 * struct kvm_stats_file - what a statistics file reads from
 * @kvm:	the VM, referenced while the file is open
 * @defs:	the statistics
 * @nr:		how many
 * @counters:	the structure holding the counters (VM or vCPU)
 * @id:		the id string
 */
struct kvm_stats_file {
	struct kvm *kvm;
	const struct kvm_stat_def *defs;
	unsigned int nr;
	const void *counters;
	char id[KVM_STATS_NAME_SIZE];
};

static size_t kvm_stats_desc_offset(void)
{
	return sizeof(struct kvm_stats_header) + KVM_STATS_NAME_SIZE;
}

/* Each descriptor is followed by its name, KVM_STATS_NAME_SIZE bytes. */
static size_t kvm_stats_desc_size(void)
{
	return offsetof(struct kvm_stats_desc, name) + KVM_STATS_NAME_SIZE;
}

static ssize_t kvm_stats_read(struct file *file, char __user *ubuf,
			      size_t size, loff_t *ppos)
{
	struct kvm_stats_file *sf = file->private_data;
	size_t data_offset = kvm_stats_desc_offset() +
			     sf->nr * kvm_stats_desc_size();
	size_t total = data_offset + sf->nr * sizeof(u64);
	struct kvm_stats_header *header;
	unsigned int i;
	ssize_t ret;
	char *image;

	if (*ppos < 0)
		return -EINVAL;
	if (*ppos >= total || !size)
		return 0;
	size = min_t(size_t, size, total - *ppos);

	/* Small enough to build whole at every read. */
	image = kzalloc(total, GFP_KERNEL);
	if (!image)
		return -ENOMEM;
	header = (struct kvm_stats_header *)image;
	header->name_size = KVM_STATS_NAME_SIZE;
	header->num_desc = sf->nr;
	header->id_offset = sizeof(*header);
	header->desc_offset = kvm_stats_desc_offset();
	header->data_offset = data_offset;
	strscpy(image + header->id_offset, sf->id, KVM_STATS_NAME_SIZE);
	for (i = 0; i < sf->nr; i++) {
		struct kvm_stats_desc *d = (void *)(image + header->desc_offset +
						    i * kvm_stats_desc_size());
		u64 *value = (u64 *)(image + data_offset) + i;

		d->flags = sf->defs[i].flags;
		d->exponent = sf->defs[i].exponent;
		d->size = 1;
		d->offset = i * sizeof(u64);
		strscpy(d->name, sf->defs[i].name, KVM_STATS_NAME_SIZE);
		*value = READ_ONCE(*(const u64 *)(sf->counters +
						   sf->defs[i].offset));
	}

	ret = size;
	if (copy_to_user(ubuf, image + *ppos, size))
		ret = -EFAULT;
	else
		*ppos += size;
	kfree(image);
	return ret;
}

static int kvm_stats_release(struct inode *inode, struct file *file)
{
	struct kvm_stats_file *sf = file->private_data;

	kvm_put_kvm(sf->kvm);
	kfree(sf);
	return 0;
}

static const struct file_operations kvm_stats_fops = {
	.owner		= THIS_MODULE,
	.read		= kvm_stats_read,
	.release	= kvm_stats_release,
	.llseek		= generic_file_llseek,
};

static int kvm_stats_fd(struct kvm *kvm, const struct kvm_stat_def *defs,
			unsigned int nr, const void *counters, const char *id)
{
	struct kvm_stats_file *sf;
	struct file *file;
	int fd, ret;

	sf = kzalloc(sizeof(*sf), GFP_KERNEL_ACCOUNT);
	if (!sf)
		return -ENOMEM;
	sf->defs = defs;
	sf->nr = nr;
	sf->counters = counters;
	strscpy(sf->id, id, sizeof(sf->id));

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto free;
	}
	file = anon_inode_getfile("kvm-stats", &kvm_stats_fops, sf, O_RDONLY);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		ret = PTR_ERR(file);
		goto free;
	}
	/* pread() to read the data again (api.rst). */
	file->f_mode |= FMODE_PREAD;
	/* The caller's VM or vCPU file holds a reference: cannot fail. */
	refcount_inc(&kvm->users);
	sf->kvm = kvm;
	fd_install(fd, file);
	return fd;

free:
	kfree(sf);
	return ret;
}

/**
 * kvm_vm_stats_fd() - KVM_GET_STATS_FD on a VM
 * @kvm: the VM
 *
 * Return: the new file descriptor or a negative errno.
 */
int kvm_vm_stats_fd(struct kvm *kvm)
{
	char id[KVM_STATS_NAME_SIZE];

	snprintf(id, sizeof(id), "kvm-%d", task_pid_nr(current));
	return kvm_stats_fd(kvm, kvm_vm_stats, ARRAY_SIZE(kvm_vm_stats),
			    &kvm->stat, id);
}

/**
 * kvm_vcpu_stats_fd() - KVM_GET_STATS_FD on a vCPU
 * @vcpu: the vCPU
 *
 * Return: the new file descriptor or a negative errno.
 */
int kvm_vcpu_stats_fd(struct kvm_vcpu *vcpu)
{
	char id[KVM_STATS_NAME_SIZE];

	snprintf(id, sizeof(id), "kvm-%d/vcpu-%u", task_pid_nr(current),
		 vcpu->id);
	return kvm_stats_fd(vcpu->kvm, kvm_vcpu_stats,
			    ARRAY_SIZE(kvm_vcpu_stats), &vcpu->stat, id);
}
