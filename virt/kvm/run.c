// SPDX-License-Identifier: GPL-2.0-only
/*
 * Running vCPUs on the threads that call KVM_RUN.
 *
 * A vCPU has no thread of its own: whichever thread holds its mutex runs
 * it.  While a thread is in a vCPU ioctl the vCPU is "loaded": the
 * architecture keeps guest state in the host CPU, and preempt notifiers
 * put it back and reload it when the scheduler moves the thread.
 *
 * Other threads reach a running vCPU with requests (a bit in
 * vcpu->requests, handled before the next guest entry) and kicks (an IPI
 * that forces the CPU out of the guest, so that it sees the request, or a
 * wake-up if the vCPU waits in kvm_vcpu_block() for the guest's HLT).
 */
#include <linux/entry-kvm.h>
#include <linux/kvm.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/sched/stat.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <trace/events/ipi.h>

#include "kvm_core.h"

static struct kvm_vcpu *preempt_notifier_to_vcpu(struct preempt_notifier *pn)
{
	return container_of(pn, struct kvm_vcpu, preempt_notifier);
}

static void kvm_sched_in(struct preempt_notifier *pn, int cpu)
{
	struct kvm_vcpu *vcpu = preempt_notifier_to_vcpu(pn);

	WRITE_ONCE(vcpu->preempted, false);
	WRITE_ONCE(vcpu->cpu, cpu);
	if (vcpu->kvm->arch->vcpu_load)
		vcpu->kvm->arch->vcpu_load(vcpu, cpu);
}

static void kvm_sched_out(struct preempt_notifier *pn,
			  struct task_struct *next)
{
	struct kvm_vcpu *vcpu = preempt_notifier_to_vcpu(pn);

	/* Still on the run queue: preempted, not gone to sleep. */
	if (READ_ONCE(current->on_rq))
		WRITE_ONCE(vcpu->preempted, true);
	if (vcpu->kvm->arch->vcpu_put)
		vcpu->kvm->arch->vcpu_put(vcpu);
}

static struct preempt_ops kvm_preempt_ops = {
	.sched_in	= kvm_sched_in,
	.sched_out	= kvm_sched_out,
};

/**
 * kvm_vcpu_run_init() - set up the run state of a new vCPU
 * @vcpu: the vCPU
 */
void kvm_vcpu_run_init(struct kvm_vcpu *vcpu)
{
	mutex_init(&vcpu->mutex);
	vcpu->cpu = -1;
	vcpu->mode = OUTSIDE_GUEST_MODE;
	preempt_notifier_init(&vcpu->preempt_notifier, &kvm_preempt_ops);
	rcuwait_init(&vcpu->wait);
}

/**
 * kvm_vcpu_load() - give the vCPU's state to the calling thread's CPU
 * @vcpu: the vCPU, whose mutex the caller holds
 */
void kvm_vcpu_load(struct kvm_vcpu *vcpu)
{
	int cpu = get_cpu();

	WRITE_ONCE(vcpu->cpu, cpu);
	preempt_notifier_register(&vcpu->preempt_notifier);
	if (vcpu->kvm->arch->vcpu_load)
		vcpu->kvm->arch->vcpu_load(vcpu, cpu);
	put_cpu();
}

/**
 * kvm_vcpu_put() - take the vCPU's state back from the CPU
 * @vcpu: the vCPU loaded by kvm_vcpu_load()
 */
void kvm_vcpu_put(struct kvm_vcpu *vcpu)
{
	preempt_disable();
	if (vcpu->kvm->arch->vcpu_put)
		vcpu->kvm->arch->vcpu_put(vcpu);
	preempt_notifier_unregister(&vcpu->preempt_notifier);
	WRITE_ONCE(vcpu->preempted, false);
	preempt_enable();
}

/**
 * kvm_vcpu_kick() - make a vCPU leave the guest soon
 * @vcpu: the vCPU
 *
 * If @vcpu waits in kvm_vcpu_block(), wake it.  If it is in guest mode
 * on another CPU, interrupt that CPU; the interrupt exits the guest.
 * Otherwise the vCPU will see whatever the caller published before its
 * next entry.  May be called from any context, hard interrupts included.
 */
void kvm_vcpu_kick(struct kvm_vcpu *vcpu)
{
	int cpu = READ_ONCE(vcpu->cpu);

	if (rcuwait_wake_up(&vcpu->wait))
		return;
	if (cmpxchg(&vcpu->mode, IN_GUEST_MODE, EXITING_GUEST_MODE) !=
	    IN_GUEST_MODE)
		return;
	preempt_disable();
	if (cpu != smp_processor_id() && cpu >= 0)
		smp_send_reschedule(cpu);
	preempt_enable();
}
EXPORT_SYMBOL_GPL(kvm_vcpu_kick);

/**
 * kvm_make_request() - ask a vCPU to do something before it next runs
 * @vcpu: the vCPU
 * @req: the KVM_REQ_* number
 */
void kvm_make_request(struct kvm_vcpu *vcpu, int req)
{
	set_bit(req, &vcpu->requests);
	/* Publish the bit before reading the mode in kvm_vcpu_kick(). */
	smp_mb__after_atomic();
	kvm_vcpu_kick(vcpu);
}
EXPORT_SYMBOL_GPL(kvm_make_request);

static void kvm_ack_request(void *info)
{
}

/**
 * kvm_make_all_vcpus_request() - make every vCPU of a VM do something now
 * @kvm: the VM
 * @req: the KVM_REQ_* number
 *
 * Returns once no vCPU of @kvm is in the guest without having seen
 * @req: vCPUs in guest mode are interrupted and the call waits for the
 * interrupt to be taken, which happens only after the guest exit.  Must
 * not be called with interrupts disabled; may be called with spinlocks
 * held.
 */
void kvm_make_all_vcpus_request(struct kvm *kvm, int req)
{
	struct kvm_vcpu *vcpu;
	cpumask_var_t cpus;
	unsigned long id;
	bool have_mask;
	int cpu;

	have_mask = zalloc_cpumask_var(&cpus, GFP_ATOMIC);
	preempt_disable();
	xa_for_each(&kvm->vcpus, id, vcpu) {
		set_bit(req, &vcpu->requests);
		/* Publish the bit before reading the mode, as above. */
		smp_mb__after_atomic();
		cpu = READ_ONCE(vcpu->cpu);
		if (READ_ONCE(vcpu->mode) == OUTSIDE_GUEST_MODE || cpu < 0 ||
		    cpu == smp_processor_id())
			continue;
		if (have_mask)
			cpumask_set_cpu(cpu, cpus);
	}
	if (have_mask)
		smp_call_function_many(cpus, kvm_ack_request, NULL, true);
	else
		smp_call_function(kvm_ack_request, NULL, true);
	preempt_enable();
	if (have_mask)
		free_cpumask_var(cpus);
}
EXPORT_SYMBOL_GPL(kvm_make_all_vcpus_request);

/**
 * kvm_vcpu_handle_work() - do what the host needs before a guest entry
 * @vcpu: the running vCPU, inside its SRCU read side
 *
 * Reschedules, runs task work and notices signals, with the vCPU's SRCU
 * read side dropped while it may sleep.  Call with interrupts enabled.
 *
 * Return: 0 if the guest may be entered; -EINTR with exit reason
 * KVM_EXIT_INTR if a signal is pending: KVM_RUN returns to userspace.
 */
int kvm_vcpu_handle_work(struct kvm_vcpu *vcpu)
{
	struct kvm *kvm = vcpu->kvm;
	int ret;

	/*
	 * A racy look is enough here: the run loop looks again with
	 * interrupts disabled right before it enters the guest.
	 */
	if (!__xfer_to_guest_mode_work_pending())
		return 0;
	srcu_read_unlock(&kvm->srcu, vcpu->srcu_idx);
	ret = xfer_to_guest_mode_handle_work(vcpu);
	vcpu->srcu_idx = srcu_read_lock(&kvm->srcu);
	if (ret) {
		vcpu->run->exit_reason = KVM_EXIT_INTR;
		vcpu->stat.signal_exits++;
	}
	return ret;
}
EXPORT_SYMBOL_GPL(kvm_vcpu_handle_work);

/* Sleep until @runnable or a signal; -EINTR for the signal. */
static int kvm_vcpu_sleep(struct kvm_vcpu *vcpu,
			  bool (*runnable)(struct kvm_vcpu *vcpu))
{
	int ret = 0;

	prepare_to_rcuwait(&vcpu->wait);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (runnable(vcpu))
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		schedule();
		vcpu->stat.halt_wakeup++;
	}
	finish_rcuwait(&vcpu->wait);
	return ret;
}

/*
 * Halt polling.  A guest often halts for a few microseconds only: an
 * IPI from another vCPU or a short timer is already on its way.  Going
 * to sleep and being woken costs more than that, so a vCPU first polls
 * for a while, if no other task wants its CPU.  How long adapts to the
 * vCPU's waits: a wait the window would have covered (it slept, but not
 * for long) doubles the window, starting from HALT_POLL_START_NS; a
 * longer one closes it, as polling then only burns the CPU.  The module
 * parameter, or KVM_CAP_HALT_POLL for one VM, sets the longest window;
 * 0 disables polling.
 */
#define HALT_POLL_START_NS	10000

static unsigned int halt_poll_ns = 200000;
module_param(halt_poll_ns, uint, 0644);
MODULE_PARM_DESC(halt_poll_ns,
		 "longest a halted vCPU polls before it sleeps, in ns (0: never)");

/**
 * kvm_enable_halt_poll() - KVM_CAP_HALT_POLL: a VM's own polling limit
 * @kvm: the VM
 * @cap: args[0] is the limit in nanoseconds (0: do not poll)
 *
 * Return: 0, or -EINVAL for flags or a limit beyond 32 bits.
 */
int kvm_enable_halt_poll(struct kvm *kvm, const struct kvm_enable_cap *cap)
{
	if (cap->flags || cap->args[0] > UINT_MAX)
		return -EINVAL;
	WRITE_ONCE(kvm->max_halt_poll_ns, cap->args[0]);
	return 0;
}

static unsigned int kvm_max_halt_poll_ns(struct kvm *kvm)
{
	u64 max = READ_ONCE(kvm->max_halt_poll_ns);

	return max == U64_MAX ? READ_ONCE(halt_poll_ns) : max;
}

/* Poll for up to @ns; true if @runnable came true. */
static bool kvm_vcpu_poll(struct kvm_vcpu *vcpu,
			  bool (*runnable)(struct kvm_vcpu *vcpu), u64 ns)
{
	ktime_t stop = ktime_add_ns(ktime_get(), ns);

	do {
		if (runnable(vcpu))
			return true;
		cpu_relax();
	} while (single_task_running() && !need_resched() &&
		 !signal_pending(current) && ktime_before(ktime_get(), stop));
	return false;
}

/* After a wait of @ns that polling did not end: adapt the window. */
static void kvm_vcpu_adapt_poll(struct kvm_vcpu *vcpu, u64 ns,
				unsigned int max)
{
	u64 window = (u64)vcpu->halt_poll_ns * 2;

	if (ns > max)
		window = 0;
	else if (window < HALT_POLL_START_NS)
		window = HALT_POLL_START_NS;
	vcpu->halt_poll_ns = min_t(u64, window, max);
}

/**
 * kvm_vcpu_block() - wait until a halted vCPU has something to do
 * @vcpu: the running vCPU, inside its SRCU read side
 * @runnable: tells whether the vCPU has something to do (an interrupt
 *	for its HLT to take, say); called in the waiting loop, with the
 *	task state already set, so a kick between the check and the sleep
 *	is not lost
 *
 * It polls @runnable for a while first (see halt polling above).
 * Whoever makes @runnable true must kvm_vcpu_kick() the vCPU afterwards.
 * The vCPU's SRCU read side is dropped while it sleeps, so that memory
 * slot updates do not wait for a halted guest.
 *
 * Return: 0 once @runnable is true, or -EINTR with exit reason
 * KVM_EXIT_INTR if a signal came first.
 */
int kvm_vcpu_block(struct kvm_vcpu *vcpu,
		   bool (*runnable)(struct kvm_vcpu *vcpu))
{
	struct kvm *kvm = vcpu->kvm;
	unsigned int max = kvm_max_halt_poll_ns(kvm);
	ktime_t start, slept;
	u64 ns;
	int ret;

	if (runnable(vcpu))
		return 0;
	start = ktime_get();
	if (vcpu->halt_poll_ns && max) {
		bool done = kvm_vcpu_poll(vcpu, runnable,
					  min(vcpu->halt_poll_ns, max));

		ns = ktime_to_ns(ktime_sub(ktime_get(), start));
		vcpu->stat.halt_attempted_poll++;
		if (done) {
			vcpu->stat.halt_successful_poll++;
			vcpu->stat.halt_poll_success_ns += ns;
			return 0;
		}
		vcpu->stat.halt_poll_fail_ns += ns;
	}
	slept = ktime_get();
	srcu_read_unlock(&kvm->srcu, vcpu->srcu_idx);
	ret = kvm_vcpu_sleep(vcpu, runnable);
	vcpu->srcu_idx = srcu_read_lock(&kvm->srcu);
	vcpu->stat.halt_wait_ns += ktime_to_ns(ktime_sub(ktime_get(), slept));
	if (ret) {
		vcpu->run->exit_reason = KVM_EXIT_INTR;
		vcpu->stat.signal_exits++;
		return ret;
	}
	kvm_vcpu_adapt_poll(vcpu, ktime_to_ns(ktime_sub(ktime_get(), start)),
			    max);
	return 0;
}
EXPORT_SYMBOL_GPL(kvm_vcpu_block);

/* Yield the CPU to the thread that runs @target; true if it got it. */
static bool kvm_vcpu_yield_to(struct kvm_vcpu *target)
{
	struct task_struct *task = NULL;
	struct pid *pid;
	bool yielded;

	rcu_read_lock();
	pid = rcu_dereference(target->pid);
	if (pid)
		task = get_pid_task(pid, PIDTYPE_PID);
	rcu_read_unlock();
	if (!task)
		return false;
	yielded = yield_to(task, true) > 0;
	put_task_struct(task);
	return yielded;
}

/**
 * kvm_vcpu_on_spin() - give the CPU to a vCPU that a spinning one waits for
 * @me: the running vCPU, which the processor caught spinning in a PAUSE
 *	loop (a lock, or a flag another vCPU sets)
 *
 * Whoever the guest waits for may be a vCPU whose thread was preempted on
 * this host; spinning on until the scheduler notices burns the rest of the
 * time slice, and on a host that has fewer CPUs than the guest has vCPUs
 * it is all the guest does.  Yield to the first preempted vCPU after @me
 * (in id order, wrapping), so that spinners spread their yields.
 */
void kvm_vcpu_on_spin(struct kvm_vcpu *me)
{
	struct kvm_vcpu *vcpu;
	unsigned long id;
	int pass;

	me->stat.spin_exits++;
	for (pass = 0; pass < 2; pass++) {
		unsigned long first = pass ? 0 : me->id + 1;
		unsigned long last = pass ? me->id : ULONG_MAX;

		xa_for_each_range(&me->kvm->vcpus, id, vcpu, first, last) {
			if (vcpu == me || !READ_ONCE(vcpu->preempted))
				continue;
			if (kvm_vcpu_yield_to(vcpu)) {
				me->stat.spin_yields++;
				return;
			}
		}
	}
}
EXPORT_SYMBOL_GPL(kvm_vcpu_on_spin);

/**
 * kvm_vcpu_yield_to_preempted() - give the CPU to a vCPU the guest waits for
 * @me: the running vCPU
 * @target: the vCPU it waits for (the guest said so)
 *
 * Return: true if @target's thread was preempted and got the CPU.
 */
bool kvm_vcpu_yield_to_preempted(struct kvm_vcpu *me, struct kvm_vcpu *target)
{
	if (target == me || !READ_ONCE(target->preempted))
		return false;
	return kvm_vcpu_yield_to(target);
}
EXPORT_SYMBOL_GPL(kvm_vcpu_yield_to_preempted);

/* Remember the thread in KVM_RUN, for vCPUs that yield to this one. */
static void kvm_vcpu_set_pid(struct kvm_vcpu *vcpu)
{
	struct pid *old = rcu_dereference_protected(vcpu->pid,
						    lockdep_is_held(&vcpu->mutex));

	if (old == task_pid(current))
		return;
	rcu_assign_pointer(vcpu->pid, get_task_pid(current, PIDTYPE_PID));
	/*
	 * Readers take their reference under RCU: wait for them before
	 * dropping ours.  Only when another thread takes over the vCPU,
	 * which VMMs rarely do -- not at its first run, which would cost
	 * every short-lived VM a grace period.
	 */
	if (old) {
		synchronize_rcu();
		put_pid(old);
	}
}

/**
 * kvm_vcpu_run_free() - release what kvm_vcpu_ioctl_run() kept
 * @vcpu: the vCPU, which no thread uses any more
 */
void kvm_vcpu_run_free(struct kvm_vcpu *vcpu)
{
	put_pid(rcu_dereference_protected(vcpu->pid, true));
}

/**
 * kvm_vcpu_ioctl_run() - KVM_RUN
 * @vcpu: the vCPU, whose mutex the caller holds
 * @arg: must be 0
 *
 * Return: 0 with the exit in the run page, -EINTR for a signal or
 * immediate_exit, or another negative errno.
 */
long kvm_vcpu_ioctl_run(struct kvm_vcpu *vcpu, unsigned long arg)
{
	sigset_t saved;
	long ret;

	if (!vcpu->kvm->arch->vcpu_run)
		return -ENOTTY;
	if (arg)
		return -EINVAL;

	kvm_vcpu_set_pid(vcpu);
	if (vcpu->sigset_active)
		sigprocmask(SIG_SETMASK, &vcpu->sigset, &saved);
	kvm_vcpu_load(vcpu);
	ret = vcpu->kvm->arch->vcpu_run(vcpu);
	kvm_vcpu_put(vcpu);
	if (vcpu->sigset_active)
		sigprocmask(SIG_SETMASK, &saved, NULL);
	return ret;
}

/**
 * kvm_vcpu_ioctl_set_signal_mask() - KVM_SET_SIGNAL_MASK
 * @vcpu: the vCPU, whose mutex the caller holds
 * @argp: struct kvm_signal_mask, or NULL to run with the thread's mask
 *
 * Return: 0, -EINVAL if the mask is not a sigset_t, or -EFAULT.
 */
long kvm_vcpu_ioctl_set_signal_mask(struct kvm_vcpu *vcpu,
				    void __user *argp)
{
	struct kvm_signal_mask __user *user_mask = argp;
	struct kvm_signal_mask mask;
	sigset_t set;

	if (!argp) {
		vcpu->sigset_active = false;
		return 0;
	}
	if (copy_from_user(&mask, user_mask, sizeof(mask)))
		return -EFAULT;
	if (mask.len != sizeof(set))
		return -EINVAL;
	if (copy_from_user(&set, user_mask->sigset, sizeof(set)))
		return -EFAULT;
	/* As sigprocmask(): SIGKILL and SIGSTOP cannot be blocked. */
	sigdelsetmask(&set, sigmask(SIGKILL) | sigmask(SIGSTOP));
	vcpu->sigset = set;
	vcpu->sigset_active = true;
	return 0;
}
