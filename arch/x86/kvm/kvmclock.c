// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmclock: the paravirtual clock a guest reads without exits, and
 * KVM_GET_CLOCK/KVM_SET_CLOCK, with which userspace carries it across
 * save and restore.
 *
 * A guest registers a page per vCPU with MSR_KVM_SYSTEM_TIME(_NEW); the
 * hypervisor fills in a TSC timestamp, the nanoseconds at that timestamp
 * and a TSC-to-nanoseconds scale, and the guest extrapolates from its own
 * TSC.  We make the VM's clock exactly that extrapolation of the host TSC
 * from one base point, (base_tsc, base_ns), that changes only when
 * userspace sets the clock:
 *
 *	clock(tsc) = base_ns + scale(tsc - base_tsc)
 *
 * The page then never goes stale (it holds the base point in the vCPU's
 * TSC, and the scale of the vCPU's TSC rate), every vCPU computes the same function of the
 * same synchronized TSC, so the clock is monotonic across vCPUs, and
 * KVM_GET_CLOCK computes it with the very same arithmetic, so what
 * userspace reads brackets what the guest reads.  The clock is as good
 * as the host's TSC calibration; the pages are rewritten when it is set,
 * when a guest registers its page and when a vCPU's TSC offset changes.
 */
#include <linux/kvm.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <asm/kvm_para.h>
#include <asm/pvclock-abi.h>
#include <asm/tsc.h>

#include "x86.h"

#define KVM_CLOCK_FLAGS	(KVM_CLOCK_TSC_STABLE | KVM_CLOCK_REALTIME | \
			 KVM_CLOCK_HOST_TSC)

/* Host TSC ticks to nanoseconds, as pvclock_vcpu_time_info expresses it. */
static u32 clock_mul;
static s8 clock_shift;

/*
 * Nanoseconds per tick at @khz is 10^6 / khz = mul / 2^32 * 2^shift,
 * with mul normalized to [2^31, 2^32) for precision.
 */
static void clock_scale_for(u32 khz, u32 *mul, s8 *shift)
{
	u64 num = NSEC_PER_MSEC, den = khz ?: 1;
	int s = 0;

	while (num >= den) {
		den <<= 1;
		s++;
	}
	while (num * 2 < den) {
		num <<= 1;
		s--;
	}
	*mul = div64_u64(num << 32, den);
	*shift = s;
}

/**
 * kvm_clock_setup() - compute the TSC scale from the host's TSC frequency
 */
void kvm_clock_setup(void)
{
	clock_scale_for(tsc_khz, &clock_mul, &clock_shift);
}

/**
 * kvm_clock_set_rate() - the scale of a vCPU's kvmclock page
 * @vcpu: the vCPU, whose TSC rate changed
 *
 * The guest scales its own TSC: at another rate than the host's, its
 * page has another scale for the same clock.  The caller changes the
 * TSC offset next, which rewrites the page.
 */
void kvm_clock_set_rate(struct kvm_x86_vcpu *vcpu)
{
	clock_scale_for(kvm_x86_tsc_khz(vcpu), &vcpu->clock_mul,
			&vcpu->clock_shift);
}

static u64 clock_scale(u64 ticks)
{
	if (clock_shift < 0)
		ticks >>= -clock_shift;
	else
		ticks <<= clock_shift;
	return mul_u64_u32_shr(ticks, clock_mul, 32);
}

static bool clock_tsc_stable(void)
{
	return boot_cpu_has(X86_FEATURE_CONSTANT_TSC) && !check_tsc_unstable();
}

/**
 * kvm_clock_init() - the clock of a new VM starts at 0
 * @kx: the VM
 */
void kvm_clock_init(struct kvm_x86 *kx)
{
	spin_lock_init(&kx->clock_lock);
	kx->clock_base_tsc = rdtsc();
	kx->clock_base_ns = 0;
}

/* The clock now; the host TSC it is for in *@tsc. */
static u64 clock_read(struct kvm_x86 *kx, u64 *tsc)
{
	u64 ns;

	spin_lock(&kx->clock_lock);
	*tsc = rdtsc();
	ns = kx->clock_base_ns + clock_scale(*tsc - kx->clock_base_tsc);
	spin_unlock(&kx->clock_lock);
	return ns;
}

/**
 * kvm_clock_ns() - the VM's clock now
 * @kx: the VM
 *
 * Return: kvmclock's nanoseconds.
 */
u64 kvm_clock_ns(struct kvm_x86 *kx)
{
	u64 tsc;

	return clock_read(kx, &tsc);
}

/**
 * kvm_clock_update() - rewrite a vCPU's kvmclock page
 * @vcpu: the vCPU, on its own thread, in its SRCU read side
 *
 * The version is odd while the fields change, so that a guest reading
 * meanwhile (from any vCPU) retries.  A page outside guest memory is left
 * alone: the guest gave a bad address and reads nothing useful.
 */
void kvm_clock_update(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_x86 *kx = to_kvm_x86(vcpu->vcpu.kvm);
	struct pvclock_vcpu_time_info ti = {};
	gpa_t gpa = vcpu->pvclock_msr & ~(u64)KVM_MSR_ENABLED;

	if (!(vcpu->pvclock_msr & KVM_MSR_ENABLED))
		return;
	spin_lock(&kx->clock_lock);
	ti.tsc_timestamp = kvm_x86_tsc_scale(kx->clock_base_tsc,
					     vcpu->tsc_ratio) + vcpu->tsc_offset;
	ti.system_time = kx->clock_base_ns;
	spin_unlock(&kx->clock_lock);
	ti.tsc_to_system_mul = vcpu->clock_mul;
	ti.tsc_shift = vcpu->clock_shift;
	ti.flags = clock_tsc_stable() ? PVCLOCK_TSC_STABLE_BIT : 0;

	ti.version = vcpu->pvclock_version | 1;
	if (kvm_x86_write_guest(vcpu->vcpu.kvm, gpa, &ti.version,
				sizeof(ti.version)))
		return;
	/* The odd version before the fields, as the guest reads them. */
	smp_wmb();
	ti.version++;
	kvm_x86_write_guest(vcpu->vcpu.kvm, gpa + sizeof(ti.version),
			    (u8 *)&ti + sizeof(ti.version),
			    sizeof(ti) - sizeof(ti.version));
	/* The fields before the even version that says they are whole. */
	smp_wmb();
	kvm_x86_write_guest(vcpu->vcpu.kvm, gpa, &ti.version,
			    sizeof(ti.version));
	vcpu->pvclock_version = ti.version;
}

/* The guest's wall clock page: the real time at which the clock was 0. */
static int clock_write_wall(struct kvm_x86_vcpu *vcpu, gpa_t gpa)
{
	struct kvm_x86 *kx = to_kvm_x86(vcpu->vcpu.kvm);
	struct pvclock_wall_clock wc = {};
	u64 tsc, boot;
	u32 rem;

	boot = ktime_get_real_ns() - clock_read(kx, &tsc);
	wc.sec = div_u64_rem(boot, NSEC_PER_SEC, &rem);
	wc.nsec = rem;
	wc.version = 2;
	return kvm_x86_write_guest(vcpu->vcpu.kvm, gpa, &wc, sizeof(wc));
}

/**
 * kvm_clock_set_msr() - write one of the kvmclock MSRs
 * @vcpu: the vCPU, loaded
 * @index: MSR_KVM_SYSTEM_TIME(_NEW) or MSR_KVM_WALL_CLOCK(_NEW)
 * @data: the guest physical address, with the enable bit for the first
 * @host: written by userspace (restoring state), not by the guest
 *
 * The wall clock page is written at once, and only for the guest: it is
 * a snapshot the guest asks for.  The time page is written before the
 * vCPU next enters the guest.
 *
 * Return: 0.
 */
int kvm_clock_set_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 data,
		      bool host)
{
	if (index == MSR_KVM_WALL_CLOCK || index == MSR_KVM_WALL_CLOCK_NEW) {
		vcpu->wall_clock_msr = data;
		if (!host)
			clock_write_wall(vcpu, data);
		return 0;
	}
	vcpu->pvclock_msr = data;
	if (data & KVM_MSR_ENABLED)
		kvm_make_request(&vcpu->vcpu, KVM_REQ_CLOCK_UPDATE);
	return 0;
}

/**
 * kvm_clock_get_msr() - read one of the kvmclock MSRs
 * @vcpu: the vCPU
 * @index: MSR_KVM_SYSTEM_TIME(_NEW) or MSR_KVM_WALL_CLOCK(_NEW)
 *
 * Return: what was last written.
 */
u64 kvm_clock_get_msr(struct kvm_x86_vcpu *vcpu, u32 index)
{
	if (index == MSR_KVM_WALL_CLOCK || index == MSR_KVM_WALL_CLOCK_NEW)
		return vcpu->wall_clock_msr;
	return vcpu->pvclock_msr;
}

/**
 * kvm_clock_check_extension() - what KVM_CAP_ADJUST_CLOCK answers
 *
 * Return: the flags KVM_GET_CLOCK may set.
 */
long kvm_clock_check_extension(void)
{
	return KVM_CLOCK_FLAGS;
}

static long clock_get(struct kvm_x86 *kx, void __user *argp)
{
	struct kvm_clock_data data = {};
	u64 tsc;

	data.realtime = ktime_get_real_ns();
	data.clock = clock_read(kx, &tsc);
	data.host_tsc = tsc;
	data.flags = KVM_CLOCK_REALTIME | KVM_CLOCK_HOST_TSC;
	if (clock_tsc_stable())
		data.flags |= KVM_CLOCK_TSC_STABLE;
	return copy_to_user(argp, &data, sizeof(data)) ? -EFAULT : 0;
}

static long clock_set(struct kvm_x86 *kx, void __user *argp)
{
	struct kvm_clock_data data;
	u64 now;

	if (copy_from_user(&data, argp, sizeof(data)))
		return -EFAULT;
	if (data.flags & ~KVM_CLOCK_FLAGS)
		return -EINVAL;
	/* Time that passed since userspace read the clock counts too. */
	if (data.flags & KVM_CLOCK_REALTIME) {
		now = ktime_get_real_ns();
		if (now > data.realtime)
			data.clock += now - data.realtime;
	}
	spin_lock(&kx->clock_lock);
	kx->clock_base_tsc = rdtsc();
	kx->clock_base_ns = data.clock;
	spin_unlock(&kx->clock_lock);
	kvm_make_all_vcpus_request(&kx->kvm, KVM_REQ_CLOCK_UPDATE);
	return 0;
}

/**
 * kvm_clock_ioctl() - KVM_GET_CLOCK and KVM_SET_CLOCK
 * @kx: the VM
 * @ioctl: which
 * @argp: struct kvm_clock_data
 *
 * Return: 0, -EFAULT, or -EINVAL for unknown flags.
 */
long kvm_clock_ioctl(struct kvm_x86 *kx, unsigned int ioctl,
		     void __user *argp)
{
	return ioctl == KVM_GET_CLOCK ? clock_get(kx, argp) :
					clock_set(kx, argp);
}
