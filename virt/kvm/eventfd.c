// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts and doorbells through eventfds, so that devices emulated
 * outside the vCPU threads (vhost, VFIO, another process) need no exit to
 * userspace:
 *
 * - an irqfd (KVM_IRQFD) raises a GSI of the VM when its eventfd is
 *   signalled: the eventfd's wait queue calls us, in whatever context
 *   the signaller is in, and the architecture sets the line.  A
 *   resampling irqfd keeps a level-triggered line up until the guest
 *   acknowledges the interrupt, then lowers it and signals its resample
 *   eventfd, so that the device can raise it again if it still needs to;
 * - an ioeventfd (KVM_IOEVENTFD) is signalled by a guest write to a port
 *   or an MMIO address (optionally of one value only), which then does
 *   not go to userspace.
 *
 * Both lists are read under RCU (the paths that use them may not sleep)
 * and changed under the VM's locks for them.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/kvm.h>
#include <linux/poll.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kvm_core.h"

/**
 * struct irqfd - an eventfd that raises a GSI
 * @kvm:	the VM
 * @eventfd:	the eventfd
 * @resamplefd:	signalled when the guest acknowledged the interrupt, or
 *		NULL for an edge (the line is raised and lowered at once)
 * @gsi:	the GSI
 * @active:	in @kvm's list; whoever clears it (under the list's lock)
 *		takes the irqfd down
 * @wait:	our entry in the eventfd's wait queue
 * @wqh:	that wait queue
 * @pt:		how vfs_poll() hands us @wqh
 * @list:	in kvm->irqfds
 * @rcu:	frees it after the readers of the list
 */
struct irqfd {
	struct kvm *kvm;
	struct eventfd_ctx *eventfd;
	struct eventfd_ctx *resamplefd;
	u32 gsi;
	bool active;
	wait_queue_entry_t wait;
	wait_queue_head_t *wqh;
	poll_table pt;
	struct list_head list;
	struct rcu_head rcu;
};

/**
 * struct ioeventfd - an eventfd that guest writes signal
 * @list:	in kvm->ioeventfds
 * @addr:	the port or guest physical address
 * @len:	the size of the writes it takes; 0 for any
 * @pio:	@addr is a port
 * @wildcard:	any value; otherwise only @datamatch
 * @datamatch:	the value
 * @eventfd:	the eventfd
 * @rcu:	frees it after the readers of the list
 */
struct ioeventfd {
	struct list_head list;
	u64 addr;
	u32 len;
	bool pio;
	bool wildcard;
	u64 datamatch;
	struct eventfd_ctx *eventfd;
	struct rcu_head rcu;
};

/* After the readers: they may signal the resample eventfd. */
static void irqfd_free_rcu(struct rcu_head *rcu)
{
	struct irqfd *irqfd = container_of(rcu, struct irqfd, rcu);

	eventfd_ctx_put(irqfd->eventfd);
	if (irqfd->resamplefd)
		eventfd_ctx_put(irqfd->resamplefd);
	kfree(irqfd);
}

static void irqfd_free(struct irqfd *irqfd)
{
	call_rcu(&irqfd->rcu, irqfd_free_rcu);
}

/* After the readers: they may signal the eventfd. */
static void ioeventfd_free_rcu(struct rcu_head *rcu)
{
	struct ioeventfd *p = container_of(rcu, struct ioeventfd, rcu);

	eventfd_ctx_put(p->eventfd);
	kfree(p);
}

/* Under the list's lock: take @irqfd out; true if the caller owns it now. */
static bool __irqfd_deactivate(struct irqfd *irqfd)
{
	if (!irqfd->active)
		return false;
	irqfd->active = false;
	list_del_rcu(&irqfd->list);
	return true;
}

static bool irqfd_deactivate(struct irqfd *irqfd)
{
	unsigned long flags;
	bool own;

	spin_lock_irqsave(&irqfd->kvm->irqfds_lock, flags);
	own = __irqfd_deactivate(irqfd);
	spin_unlock_irqrestore(&irqfd->kvm->irqfds_lock, flags);
	return own;
}

static void irqfd_inject(struct irqfd *irqfd)
{
	struct kvm *kvm = irqfd->kvm;

	kvm->arch->set_irq(kvm, irqfd->gsi, true);
	if (!irqfd->resamplefd)
		kvm->arch->set_irq(kvm, irqfd->gsi, false);
}

/* Called by the eventfd's wait queue, with its lock held. */
static int irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			int sync, void *key)
{
	struct irqfd *irqfd = container_of(wait, struct irqfd, wait);
	__poll_t events = key_to_poll(key);
	u64 cnt;

	if (events & EPOLLIN) {
		eventfd_ctx_do_read(irqfd->eventfd, &cnt);
		irqfd_inject(irqfd);
	}
	/* The eventfd is being closed: the irqfd goes with it. */
	if (events & EPOLLHUP && irqfd_deactivate(irqfd)) {
		__remove_wait_queue(irqfd->wqh, &irqfd->wait);
		irqfd_free(irqfd);
	}
	return 0;
}

static void irqfd_ptable_queue_proc(struct file *file, wait_queue_head_t *wqh,
				    poll_table *pt)
{
	struct irqfd *irqfd = container_of(pt, struct irqfd, pt);

	irqfd->wqh = wqh;
	add_wait_queue_priority(wqh, &irqfd->wait);
}

static int irqfd_assign(struct kvm *kvm, const struct kvm_irqfd *args)
{
	struct irqfd *irqfd, *tmp;
	unsigned long flags;
	__poll_t events;
	struct fd f;
	int ret;

	if (!kvm->arch->irqfd_allowed || !kvm->arch->irqfd_allowed(kvm))
		return -EINVAL;
	f = fdget(args->fd);
	if (!fd_file(f))
		return -EBADF;
	ret = -ENOMEM;
	irqfd = kzalloc(sizeof(*irqfd), GFP_KERNEL_ACCOUNT);
	if (!irqfd)
		goto put;
	irqfd->kvm = kvm;
	irqfd->gsi = args->gsi;
	irqfd->eventfd = eventfd_ctx_fileget(fd_file(f));
	if (IS_ERR(irqfd->eventfd)) {
		ret = PTR_ERR(irqfd->eventfd);
		kfree(irqfd);
		goto put;
	}
	if (args->flags & KVM_IRQFD_FLAG_RESAMPLE) {
		irqfd->resamplefd = eventfd_ctx_fdget(args->resamplefd);
		if (IS_ERR(irqfd->resamplefd)) {
			ret = PTR_ERR(irqfd->resamplefd);
			irqfd->resamplefd = NULL;
			goto fail;
		}
	}
	init_waitqueue_func_entry(&irqfd->wait, irqfd_wakeup);
	init_poll_funcptr(&irqfd->pt, irqfd_ptable_queue_proc);

	spin_lock_irqsave(&kvm->irqfds_lock, flags);
	list_for_each_entry(tmp, &kvm->irqfds, list) {
		if (tmp->eventfd == irqfd->eventfd) {
			spin_unlock_irqrestore(&kvm->irqfds_lock, flags);
			ret = -EBUSY;
			goto fail;
		}
	}
	irqfd->active = true;
	list_add_tail_rcu(&irqfd->list, &kvm->irqfds);
	spin_unlock_irqrestore(&kvm->irqfds_lock, flags);

	/*
	 * Signals from before the assignment count too.  From here a close
	 * of the eventfd may free the irqfd, after RCU.
	 */
	rcu_read_lock();
	events = vfs_poll(fd_file(f), &irqfd->pt);
	if (events & EPOLLIN)
		irqfd_inject(irqfd);
	rcu_read_unlock();
	fdput(f);
	return 0;
fail:
	if (irqfd->resamplefd)
		eventfd_ctx_put(irqfd->resamplefd);
	eventfd_ctx_put(irqfd->eventfd);
	kfree(irqfd);
put:
	fdput(f);
	return ret;
}

/* Stop @irqfd (owned by the caller) and free it. */
static void irqfd_shutdown(struct irqfd *irqfd)
{
	u64 cnt;

	/* Waits for a wake-up that is running; none comes after. */
	eventfd_ctx_remove_wait_queue(irqfd->eventfd, &irqfd->wait, &cnt);
	/* A resampled line stays up otherwise. */
	if (irqfd->resamplefd)
		irqfd->kvm->arch->set_irq(irqfd->kvm, irqfd->gsi, false);
	irqfd_free(irqfd);
}

/* As upstream, taking away an irqfd that is not there is not an error. */
static int irqfd_deassign(struct kvm *kvm, const struct kvm_irqfd *args)
{
	struct irqfd *irqfd, *found = NULL;
	struct eventfd_ctx *eventfd;
	unsigned long flags;

	eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);
	spin_lock_irqsave(&kvm->irqfds_lock, flags);
	list_for_each_entry(irqfd, &kvm->irqfds, list) {
		if (irqfd->eventfd == eventfd && irqfd->gsi == args->gsi) {
			if (__irqfd_deactivate(irqfd))
				found = irqfd;
			break;
		}
	}
	spin_unlock_irqrestore(&kvm->irqfds_lock, flags);
	eventfd_ctx_put(eventfd);
	if (found)
		irqfd_shutdown(found);
	return 0;
}

#define KVM_IRQFD_FLAGS	(KVM_IRQFD_FLAG_DEASSIGN | KVM_IRQFD_FLAG_RESAMPLE)

/**
 * kvm_vm_ioctl_irqfd() - KVM_IRQFD
 * @kvm: the VM
 * @argp: struct kvm_irqfd
 *
 * Return: 0; -EINVAL for unknown flags or a VM whose interrupt
 * controllers are not in the kernel, -EBADF for fds that are no
 * eventfds, -EBUSY for an eventfd that already is an irqfd of the VM.
 */
long kvm_vm_ioctl_irqfd(struct kvm *kvm, void __user *argp)
{
	struct kvm_irqfd args;
	long ret;

	if (copy_from_user(&args, argp, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~KVM_IRQFD_FLAGS ||
	    (args.flags & KVM_IRQFD_FLAGS) == KVM_IRQFD_FLAGS)
		return -EINVAL;
	/* An irqfd is in the wait queue before a deassign may look for it. */
	mutex_lock(&kvm->lock);
	if (args.flags & KVM_IRQFD_FLAG_DEASSIGN)
		ret = irqfd_deassign(kvm, &args);
	else
		ret = irqfd_assign(kvm, &args);
	mutex_unlock(&kvm->lock);
	return ret;
}

/**
 * kvm_irqfd_acked() - the guest acknowledged an interrupt of a GSI
 * @kvm: the VM
 * @gsi: the GSI
 *
 * Resampling irqfds of @gsi lower the line and tell their device.  Called
 * by the architecture, from any context, without the interrupt
 * controller's locks (lowering the line takes them).
 */
void kvm_irqfd_acked(struct kvm *kvm, u32 gsi)
{
	struct irqfd *irqfd;
	bool lowered = false;

	rcu_read_lock();
	list_for_each_entry_rcu(irqfd, &kvm->irqfds, list) {
		if (irqfd->gsi != gsi || !irqfd->resamplefd)
			continue;
		if (!lowered)
			kvm->arch->set_irq(kvm, gsi, false);
		lowered = true;
		eventfd_signal(irqfd->resamplefd);
	}
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(kvm_irqfd_acked);

#define KVM_IOEVENTFD_FLAGS	(KVM_IOEVENTFD_FLAG_DATAMATCH | \
				 KVM_IOEVENTFD_FLAG_PIO | \
				 KVM_IOEVENTFD_FLAG_DEASSIGN)

static bool ioeventfd_same(const struct ioeventfd *p,
			   const struct ioeventfd *q)
{
	return p->pio == q->pio && p->addr == q->addr && p->len == q->len &&
	       p->wildcard == q->wildcard &&
	       (p->wildcard || p->datamatch == q->datamatch);
}

/**
 * kvm_vm_ioctl_ioeventfd() - KVM_IOEVENTFD
 * @kvm: the VM
 * @argp: struct kvm_ioeventfd
 *
 * Return: 0; -EINVAL for bad flags or lengths, a data match without a
 * length, or an address range that wraps, -EBADF for an fd that is no eventfd,
 * -EEXIST for a second ioeventfd on the same writes, -ENOENT when
 * deassigning one that is not there.
 */
long kvm_vm_ioctl_ioeventfd(struct kvm *kvm, void __user *argp)
{
	struct kvm_ioeventfd args;
	struct ioeventfd *p, *tmp;
	struct eventfd_ctx *eventfd;
	long ret = 0;

	if (copy_from_user(&args, argp, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~KVM_IOEVENTFD_FLAGS)
		return -EINVAL;
	switch (args.len) {
	case 0: case 1: case 2: case 4: case 8:
		break;
	default:
		return -EINVAL;
	}
	/* Length 0 takes writes of any length, whatever their value. */
	if (args.addr + args.len < args.addr ||
	    (!args.len && (args.flags & KVM_IOEVENTFD_FLAG_DATAMATCH)))
		return -EINVAL;

	eventfd = eventfd_ctx_fdget(args.fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p) {
		eventfd_ctx_put(eventfd);
		return -ENOMEM;
	}
	p->addr = args.addr;
	p->len = args.len;
	p->pio = args.flags & KVM_IOEVENTFD_FLAG_PIO;
	p->wildcard = !(args.flags & KVM_IOEVENTFD_FLAG_DATAMATCH);
	if (!p->wildcard)
		p->datamatch = args.len == 8 ? args.datamatch :
			       args.datamatch & (BIT_ULL(8 * args.len) - 1);
	p->eventfd = eventfd;

	mutex_lock(&kvm->ioeventfds_lock);
	if (args.flags & KVM_IOEVENTFD_FLAG_DEASSIGN) {
		ret = -ENOENT;
		list_for_each_entry(tmp, &kvm->ioeventfds, list) {
			if (tmp->eventfd == eventfd && ioeventfd_same(tmp, p)) {
				list_del_rcu(&tmp->list);
				call_rcu(&tmp->rcu, ioeventfd_free_rcu);
				ret = 0;
				break;
			}
		}
		goto free;
	}
	list_for_each_entry(tmp, &kvm->ioeventfds, list) {
		if (ioeventfd_same(tmp, p)) {
			ret = -EEXIST;
			goto free;
		}
	}
	list_add_tail_rcu(&p->list, &kvm->ioeventfds);
	mutex_unlock(&kvm->ioeventfds_lock);
	return 0;
free:
	mutex_unlock(&kvm->ioeventfds_lock);
	eventfd_ctx_put(eventfd);
	kfree(p);
	return ret;
}

/**
 * kvm_ioeventfd_write() - a guest write that an ioeventfd may take
 * @kvm: the VM
 * @pio: to a port rather than to MMIO
 * @addr: the port or guest physical address
 * @len: 1, 2, 4 or 8 bytes
 * @val: the value written
 *
 * Return: true if an ioeventfd took the write (and was signalled): the
 * write is done.
 */
bool kvm_ioeventfd_write(struct kvm *kvm, bool pio, u64 addr, u32 len,
			 const void *val)
{
	struct ioeventfd *p;
	bool found = false;
	u64 v = 0;

	memcpy(&v, val, min_t(u32, len, sizeof(v)));
	rcu_read_lock();
	list_for_each_entry_rcu(p, &kvm->ioeventfds, list) {
		if (p->pio != pio || p->addr != addr ||
		    (p->len && p->len != len) ||
		    (!p->wildcard && p->datamatch != v))
			continue;
		eventfd_signal(p->eventfd);
		found = true;
		break;
	}
	rcu_read_unlock();
	return found;
}
EXPORT_SYMBOL_GPL(kvm_ioeventfd_write);

/**
 * kvm_eventfds_init() - a new VM has no irqfds or ioeventfds
 * @kvm: the VM
 */
void kvm_eventfds_init(struct kvm *kvm)
{
	spin_lock_init(&kvm->irqfds_lock);
	INIT_LIST_HEAD(&kvm->irqfds);
	mutex_init(&kvm->ioeventfds_lock);
	INIT_LIST_HEAD(&kvm->ioeventfds);
}

/**
 * kvm_eventfds_destroy() - drop the irqfds and ioeventfds of a dying VM
 * @kvm: the VM, without vCPUs or files
 */
void kvm_eventfds_destroy(struct kvm *kvm)
{
	struct ioeventfd *p, *q;
	struct irqfd *irqfd;
	unsigned long flags;

	/* One at a time: closing eventfds may take others out meanwhile. */
	do {
		spin_lock_irqsave(&kvm->irqfds_lock, flags);
		irqfd = list_first_entry_or_null(&kvm->irqfds, struct irqfd,
						 list);
		if (irqfd)
			__irqfd_deactivate(irqfd);
		spin_unlock_irqrestore(&kvm->irqfds_lock, flags);
		if (irqfd)
			irqfd_shutdown(irqfd);
	} while (irqfd);
	list_for_each_entry_safe(p, q, &kvm->ioeventfds, list) {
		list_del_rcu(&p->list);
		call_rcu(&p->rcu, ioeventfd_free_rcu);
	}
}
