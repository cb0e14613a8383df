// SPDX-License-Identifier: GPL-2.0-only
/*
 * Steal time (KVM_FEATURE_STEAL_TIME): how long a vCPU was ready to run
 * but its thread waited for a host CPU.  The guest registers a 64-byte
 * struct kvm_steal_time with MSR_KVM_STEAL_TIME and accounts the time as
 * stolen rather than as its own.
 *
 * The scheduler measures it already: a task's sched_info.run_delay is the
 * time it spent runnable on a runqueue.  Each time the vCPU's thread gets
 * a CPU back (the preempt notifier's load), the next entry adds what
 * run_delay grew by since the last update.  run_delay belongs to a
 * thread: after userspace set the MSR, or when another thread runs the
 * vCPU, the first update only takes the new thread's value as its base.
 * The version field is odd while the record changes, so that the guest
 * retries its read.
 */
#include <linux/kvm.h>
#include <linux/sched.h>
#include <asm/kvm_para.h>

#include "x86.h"

/**
 * kvm_steal_set_msr() - MSR_KVM_STEAL_TIME
 * @vcpu: the vCPU, loaded
 * @data: the record's guest physical address (64-byte aligned) and
 *	KVM_MSR_ENABLED
 *
 * Steal time counts from the next entry on.
 *
 * Return: 0, or -EINVAL for reserved bits.
 */
int kvm_steal_set_msr(struct kvm_x86_vcpu *vcpu, u64 data)
{
	if (data & KVM_STEAL_RESERVED_MASK)
		return -EINVAL;
	vcpu->steal.msr = data;
	vcpu->steal.task = NULL;
	if (data & KVM_MSR_ENABLED)
		kvm_make_request(&vcpu->vcpu, KVM_REQ_STEAL_UPDATE);
	return 0;
}

/**
 * kvm_steal_load() - the vCPU's thread got a CPU
 * @vcpu: the vCPU
 *
 * From the preempt notifier: only ask for an update before the next entry.
 */
void kvm_steal_load(struct kvm_x86_vcpu *vcpu)
{
	if (vcpu->steal.msr & KVM_MSR_ENABLED)
		kvm_make_request(&vcpu->vcpu, KVM_REQ_STEAL_UPDATE);
}

/**
 * kvm_steal_update() - add the time waited since the last update
 * @vcpu: the vCPU, on its own thread, in its SRCU read side
 *
 * A record outside guest memory is left alone, as the kvmclock page.
 */
void kvm_steal_update(struct kvm_x86_vcpu *vcpu)
{
	gpa_t gpa = vcpu->steal.msr & KVM_STEAL_VALID_BITS;
	u64 delay = current->sched_info.run_delay;
	struct kvm *kvm = vcpu->vcpu.kvm;
	struct kvm_steal_time st;
	u32 version;

	if (!(vcpu->steal.msr & KVM_MSR_ENABLED) ||
	    kvm_x86_read_guest_as(kvm, 0, gpa, &st, sizeof(st)))
		return;
	/* A base from another thread's run_delay means nothing here. */
	if (vcpu->steal.task != current) {
		vcpu->steal.task = current;
		vcpu->steal.run_delay = delay;
	}
	version = (st.version + 1) | 1;
	if (kvm_x86_write_guest(kvm, gpa + offsetof(typeof(st), version),
				&version, sizeof(version)))
		return;
	/* The odd version before the fields, as the guest reads them. */
	smp_wmb();
	st.steal += delay - vcpu->steal.run_delay;
	st.preempted = 0;
	vcpu->steal.run_delay = delay;
	kvm_x86_write_guest(kvm, gpa, &st.steal, sizeof(st.steal));
	kvm_x86_write_guest(kvm, gpa + offsetof(typeof(st), preempted),
			    &st.preempted, sizeof(st.preempted));
	/* The fields before the even version that says they are whole. */
	smp_wmb();
	version++;
	kvm_x86_write_guest(kvm, gpa + offsetof(typeof(st), version),
			    &version, sizeof(version));
}
