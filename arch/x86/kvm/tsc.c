// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rate of the guest's TSC: KVM_SET_TSC_KHZ and KVM_GET_TSC_KHZ.
 *
 * A vCPU's TSC is the host's, scaled by a ratio, plus an offset:
 *
 *	guest_tsc = host_tsc * ratio + offset
 *
 * The ratio is a fixed-point number in the processor's format (VMX: 48
 * fraction bits, SVM: 32), 1.0 unless userspace asked for a rate more
 * than 250 ppm off the host's and the processor can scale.  A guest
 * moved to a host with another TSC rate keeps the rate it booted with,
 * which it calibrated once and never again.
 *
 * The VM has a TSC of its own, which new vCPUs start with and userspace's
 * TSC writes join (msr.c).  It runs at the VM's rate, the one the VM
 * ioctl set for the vCPUs to come, until a TSC write of a vCPU with
 * another rate sets it anew, at that rate: QEMU gives every vCPU the
 * same rate and then writes every TSC.
 */
#include <linux/kvm.h>
#include <linux/math64.h>
#include <asm/tsc.h>

#include "x86.h"

u8 kvm_x86_tsc_frac_bits __read_mostly;
static u64 tsc_ratio_max __read_mostly;

/**
 * kvm_x86_tsc_setup() - learn how the backend scales the TSC
 * @frac_bits: fraction bits of its ratio, 0 if it cannot scale
 * @max_ratio: the largest ratio it takes
 */
void kvm_x86_tsc_setup(u8 frac_bits, u64 max_ratio)
{
	kvm_x86_tsc_frac_bits = frac_bits;
	tsc_ratio_max = max_ratio;
}

/**
 * kvm_x86_tsc_khz() - the rate of a vCPU's TSC
 * @vcpu: the vCPU
 *
 * Return: the rate in kHz: the host's if the vCPU's TSC is not scaled
 * (a rate userspace gave within 250 ppm of it is not the real one).
 */
u32 kvm_x86_tsc_khz(const struct kvm_x86_vcpu *vcpu)
{
	return vcpu->tsc_ratio == kvm_x86_tsc_one() ? tsc_khz : vcpu->tsc_khz;
}

/* The ratio for @khz (0: the host's rate), or -EINVAL. */
static int tsc_ratio(u32 khz, u64 *ratio)
{
	u32 slack = tsc_khz / 4000;

	*ratio = kvm_x86_tsc_one();
	if (!khz || (khz >= tsc_khz - slack && khz <= tsc_khz + slack))
		return 0;
	if (!kvm_x86_tsc_frac_bits || !tsc_khz)
		return -EINVAL;
	*ratio = mul_u64_u32_div(1ULL << kvm_x86_tsc_frac_bits, khz, tsc_khz);
	return *ratio && *ratio <= tsc_ratio_max ? 0 : -EINVAL;
}

/**
 * kvm_x86_tsc_vm_offset() - the offset that gives a vCPU the VM's TSC
 * @vcpu: the vCPU
 *
 * Return: the offset, for the vCPU's own ratio.  Called with the VM's
 * tsc_lock held.
 */
u64 kvm_x86_tsc_vm_offset(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_x86 *kx = to_kvm_x86(vcpu->vcpu.kvm);
	u64 now;

	lockdep_assert_held(&kx->tsc_lock);
	if (vcpu->tsc_ratio == kx->tsc_ratio)
		return kx->tsc_offset;
	now = rdtsc();
	return kvm_x86_tsc_scale(now, kx->tsc_ratio) + kx->tsc_offset -
	       kvm_x86_tsc_scale(now, vcpu->tsc_ratio);
}

/* Give a vCPU, loaded, a rate; its TSC goes on from where it is. */
static void tsc_set_rate(struct kvm_x86_vcpu *vcpu, u32 khz, u64 ratio)
{
	struct kvm_x86 *kx = to_kvm_x86(vcpu->vcpu.kvm);
	u64 tsc, now, offset;

	spin_lock(&kx->tsc_lock);
	now = rdtsc();
	tsc = kvm_x86_tsc_scale(now, vcpu->tsc_ratio) + vcpu->tsc_offset;
	vcpu->tsc_khz = khz;
	vcpu->tsc_ratio = ratio;
	/* At the VM's rate, it joins the VM's TSC. */
	if (ratio == kx->tsc_ratio)
		offset = kx->tsc_offset;
	else
		offset = tsc - kvm_x86_tsc_scale(now, ratio);
	spin_unlock(&kx->tsc_lock);
	kvm_x86_set_tsc_ratio(vcpu, ratio);
	kvm_clock_set_rate(vcpu);
	kvm_x86_set_tsc_offset(vcpu, offset);
}

/**
 * kvm_x86_tsc_vcpu_init() - a new vCPU's TSC runs at the VM's rate
 * @vcpu: the vCPU, loaded, before its first reset (which sets its TSC)
 */
void kvm_x86_tsc_vcpu_init(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_x86 *kx = to_kvm_x86(vcpu->vcpu.kvm);

	spin_lock(&kx->tsc_lock);
	vcpu->tsc_khz = kx->tsc_khz;
	vcpu->tsc_ratio = kx->tsc_default_ratio;
	spin_unlock(&kx->tsc_lock);
	kvm_x86_set_tsc_ratio(vcpu, vcpu->tsc_ratio);
	kvm_clock_set_rate(vcpu);
}

/**
 * kvm_x86_tsc_vcpu_ioctl() - KVM_SET_TSC_KHZ and KVM_GET_TSC_KHZ of a vCPU
 * @vcpu: the vCPU, loaded
 * @ioctl: the ioctl
 * @arg: the rate in kHz to set; 0 is the host's
 *
 * Return: the rate (GET) or 0, -EINVAL for a rate the processor cannot
 * give, or -ENOTTY for another ioctl.
 */
long kvm_x86_tsc_vcpu_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
			    unsigned long arg)
{
	u64 ratio;

	switch (ioctl) {
	case KVM_GET_TSC_KHZ:
		return vcpu->tsc_khz;
	case KVM_SET_TSC_KHZ:
		if (arg >= U32_MAX || tsc_ratio(arg, &ratio))
			return -EINVAL;
		tsc_set_rate(vcpu, arg ?: tsc_khz, ratio);
		return 0;
	default:
		return -ENOTTY;
	}
}

/**
 * kvm_x86_tsc_vm_ioctl() - KVM_SET_TSC_KHZ and KVM_GET_TSC_KHZ of a VM
 * @kx: the VM
 * @ioctl: the ioctl
 * @arg: the rate in kHz for the vCPUs to come; 0 is the host's
 *
 * The vCPUs there keep their rates.  Without any, the VM's TSC takes the
 * new rate too, going on from where it is.
 *
 * Return: the rate (GET) or 0, -EINVAL for a rate the processor cannot
 * give, or -ENOTTY for another ioctl.
 */
long kvm_x86_tsc_vm_ioctl(struct kvm_x86 *kx, unsigned int ioctl,
			  unsigned long arg)
{
	u64 ratio, now;

	switch (ioctl) {
	case KVM_GET_TSC_KHZ:
		return READ_ONCE(kx->tsc_khz);
	case KVM_SET_TSC_KHZ:
		if (arg >= U32_MAX || tsc_ratio(arg, &ratio))
			return -EINVAL;
		mutex_lock(&kx->kvm.lock);
		spin_lock(&kx->tsc_lock);
		if (!kx->kvm.created_vcpus) {
			now = rdtsc();
			kx->tsc_offset += kvm_x86_tsc_scale(now, kx->tsc_ratio) -
					  kvm_x86_tsc_scale(now, ratio);
			kx->tsc_ratio = ratio;
		}
		WRITE_ONCE(kx->tsc_default_ratio, ratio);
		WRITE_ONCE(kx->tsc_khz, arg ?: tsc_khz);
		spin_unlock(&kx->tsc_lock);
		mutex_unlock(&kx->kvm.lock);
		return 0;
	default:
		return -ENOTTY;
	}
}
