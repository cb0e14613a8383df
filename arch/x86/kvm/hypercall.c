// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM's hypercalls (Documentation/virt/kvm/x86/hypercalls.rst): VMCALL
 * or VMMCALL with the number in RAX and up to four arguments in RBX,
 * RCX, RDX and RSI; the result replaces RAX.  A paravirtualized Linux
 * uses them when the KVM leaf of CPUID offers them: to wake a vCPU that
 * halted waiting for a lock (KVM_HC_KICK_CPU, KVM_FEATURE_PV_UNHALT), to
 * send an IPI to many vCPUs at once (KVM_HC_SEND_IPI,
 * KVM_FEATURE_PV_SEND_IPI) and to yield to a preempted vCPU it waits for
 * (KVM_HC_SCHED_YIELD, KVM_FEATURE_PV_SCHED_YIELD).  Only the guest's
 * kernel may call them; outside 64-bit mode the values are 32 bits.
 * With KVM_CAP_ENFORCE_PV_FEATURE_CPUID, a hypercall the KVM leaf does
 * not offer is -KVM_ENOSYS, as an unknown one.
 * A guest that enabled the Hyper-V interface makes Hyper-V's hypercalls
 * with the same instructions instead (hyperv.c).
 */
#include <linux/kvm.h>
#include <linux/kvm_para.h>

#include "x86.h"

/* The vCPU whose APIC has physical id @id, or NULL. */
static struct kvm_x86_vcpu *vcpu_by_apic_id(struct kvm_x86_vcpu *me, u64 id)
{
	struct kvm_vcpu *v;
	unsigned long i;

	if (id > U32_MAX)
		return NULL;
	xa_for_each(&me->vcpu.kvm->vcpus, i, v)
		if (kvm_lapic_has_id(to_x86_vcpu(v), id))
			return to_x86_vcpu(v);
	return NULL;
}

/*
 * KVM_HC_KICK_CPU: a vCPU that halted (spinning on a lock too long) goes
 * on, with or without an interrupt.  A kick that comes before the HLT
 * ends that HLT at once: the kicker cannot know whether its target has
 * halted yet.
 */
static unsigned long hc_kick(struct kvm_x86_vcpu *me, u64 apic_id)
{
	struct kvm_x86_vcpu *target = vcpu_by_apic_id(me, apic_id);

	if (target) {
		WRITE_ONCE(target->pv_unhalted, true);
		kvm_vcpu_kick(&target->vcpu);
	}
	return 0;
}

/*
 * KVM_HC_SEND_IPI: the interrupt of @icr (vector and delivery mode) to
 * APIC id @min + n for each bit n of the bitmap: @lo, then @hi, words of
 * @bits bits (the guest's register size).  Return: how many vCPUs took
 * it.
 */
static unsigned long hc_send_ipi(struct kvm_x86_vcpu *me, u64 lo, u64 hi,
				 u64 min, u64 icr, unsigned int bits)
{
	unsigned long map[2] = { lo, hi }, n, count = 0;
	struct kvm_lapic_irq irq = {
		.vector = icr & APIC_VECTOR_MASK,
		.mode = (icr & APIC_MODE_MASK) >> 8,
		.source = me,
	};
	struct kvm_x86_vcpu *target;
	int w;

	for (w = 0; w < 2; w++) {
		for_each_set_bit(n, &map[w], bits) {
			target = vcpu_by_apic_id(me, min + w * bits + n);
			if (target)
				count += kvm_lapic_deliver(target, &irq);
		}
	}
	return count;
}

/* KVM_HC_SCHED_YIELD: the caller waits for @apic_id; run it if preempted. */
static unsigned long hc_sched_yield(struct kvm_x86_vcpu *me, u64 apic_id)
{
	struct kvm_x86_vcpu *target = vcpu_by_apic_id(me, apic_id);

	if (target)
		kvm_vcpu_yield_to_preempted(&me->vcpu, &target->vcpu);
	return 0;
}

/**
 * kvm_x86_exit_hypercall() - the guest executed VMCALL or VMMCALL
 * @vcpu: the vCPU
 * @len: length of the instruction, to skip it
 *
 * Return: 1, to enter the guest again.
 */
int kvm_x86_exit_hypercall(struct kvm_x86_vcpu *vcpu, unsigned int len)
{
	unsigned long *r = vcpu->regs, ret;
	struct kvm_sregs sregs;
	bool wide;
	u64 a[4];

	static_call(kvm_x86_get_sregs)(vcpu, &sregs);
	if (kvm_hv_hypercall_enabled(vcpu))
		return kvm_hv_hypercall(vcpu, &sregs, len);
	wide = (sregs.efer & EFER_LMA) && sregs.cs.l;
	a[0] = wide ? r[VCPU_RBX] : (u32)r[VCPU_RBX];
	a[1] = wide ? r[VCPU_RCX] : (u32)r[VCPU_RCX];
	a[2] = wide ? r[VCPU_RDX] : (u32)r[VCPU_RDX];
	a[3] = wide ? r[VCPU_RSI] : (u32)r[VCPU_RSI];

	vcpu->vcpu.stat.hypercalls++;
	if (kvm_x86_cpl(&sregs, vcpu->rflags)) {
		ret = -KVM_EPERM;
		goto out;
	}
	switch (wide ? r[VCPU_RAX] : (u32)r[VCPU_RAX]) {
	case KVM_HC_VAPIC_POLL_IRQ:
		/* The exit itself was the point: interrupts are looked at. */
		ret = 0;
		break;
	case KVM_HC_KICK_CPU:
		ret = kvm_pv_allowed(vcpu, KVM_FEATURE_PV_UNHALT) ?
		      hc_kick(vcpu, a[1]) : -KVM_ENOSYS;
		break;
	case KVM_HC_SEND_IPI:
		ret = kvm_pv_allowed(vcpu, KVM_FEATURE_PV_SEND_IPI) ?
		      hc_send_ipi(vcpu, a[0], a[1], a[2], a[3], wide ? 64 : 32) :
		      -KVM_ENOSYS;
		break;
	case KVM_HC_SCHED_YIELD:
		ret = kvm_pv_allowed(vcpu, KVM_FEATURE_PV_SCHED_YIELD) ?
		      hc_sched_yield(vcpu, a[0]) : -KVM_ENOSYS;
		break;
	case KVM_HC_CLOCK_PAIRING:
		/* ptp_kvm's clock pairing is not offered. */
		ret = -KVM_EOPNOTSUPP;
		break;
	default:
		ret = -KVM_ENOSYS;
		break;
	}
out:
	r[VCPU_RAX] = wide ? ret : (u32)ret;
	kvm_x86_skip_insn(vcpu, len);
	return 1;
}
EXPORT_SYMBOL_GPL(kvm_x86_exit_hypercall);
