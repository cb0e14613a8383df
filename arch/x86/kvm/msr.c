// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's model-specific registers: RDMSR/WRMSR in the guest, and
 * KVM_GET_MSRS/KVM_SET_MSRS and the MSR lists for userspace.
 *
 * One function reads and one writes each MSR, for the guest and for
 * userspace alike; they differ only where the architecture makes a guest
 * write special (EFER.LME under paging, the microcode revision).  MSRs the
 * processor switches for the guest (EFER, PAT, the segment bases, the
 * SYSCALL and SYSENTER MSRs) are kept by the backend, in its VMCB or VMCS
 * or its own switch list; the others are kept here.  An MSR that is
 * neither is unknown: #GP for the guest, a short count for userspace.
 */
#include <linux/kvm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/apicdef.h>
#include <asm/kvm_para.h>
#include <asm/msr-index.h>
#include <asm/trapnr.h>

#include "x86.h"

/* As upstream: more entries than this in one KVM_GET/SET_MSRS is E2BIG. */
#define KVM_MAX_IO_MSRS		256

/* MTRRs: variable ranges, fixed ranges and write-combining. */
#define MTRR_CAP_VALUE		(BIT(10) | BIT(8) | KVM_NR_VAR_MTRRS)
#define MTRR_DEF_TYPE_VALID	(0xffULL | BIT(10) | BIT(11))
#define MTRR_PHYS_MASK_VALID	BIT(11)

/* MTRR numbers (SDM vol. 3A, 13.11), named without camel case. */
#define MSR_MTRR_PHYS_BASE0	0x200
#define MSR_MTRR_FIX64K_00000	0x250
#define MSR_MTRR_FIX16K_80000	0x258
#define MSR_MTRR_FIX16K_A0000	0x259
#define MSR_MTRR_FIX4K_C0000	0x268
#define MSR_MTRR_FIX4K_F8000	0x26f

/* MSR_K7_HWCR: McStatusWrEn and TscFreqSel stick, three bits are ignored. */
#define HWCR_KEPT		(BIT_ULL(18) | BIT_ULL(24))
#define HWCR_IGNORED		(BIT_ULL(3) | BIT_ULL(6) | BIT_ULL(8))

/* Reset values upstream KVM reports, which VMMs rely on. */
#define MISC_ENABLE_RESET	(MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL | \
				 MSR_IA32_MISC_ENABLE_BTS_UNAVAIL)
#define APIC_DEFAULT_BASE	0xfee00000ULL

/*
 * What KVM_GET_MSR_INDEX_LIST offers for saving and restoring a vCPU:
 * every one of them can be read and written back with KVM_GET/SET_MSRS.
 * EFER and the APIC base travel in struct kvm_sregs instead, the MTRRs
 * are known to VMMs by their CPUID bit, the machine-check banks by the
 * count userspace gave KVM_X86_SETUP_MCE.
 */
static const u32 kvm_msrs_to_save[] = {
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
	MSR_STAR, MSR_CSTAR, MSR_KERNEL_GS_BASE, MSR_SYSCALL_MASK, MSR_LSTAR,
	MSR_IA32_TSC, MSR_IA32_CR_PAT, MSR_IA32_MISC_ENABLE,
	MSR_IA32_UCODE_REV, MSR_IA32_TSC_ADJUST, MSR_K7_HWCR,
	MSR_IA32_POWER_CTL, MSR_IA32_MCG_STATUS, MSR_IA32_MCG_CTL,
	MSR_PLATFORM_INFO, MSR_MISC_FEATURES_ENABLES,
	MSR_KVM_SYSTEM_TIME, MSR_KVM_WALL_CLOCK,
	MSR_KVM_SYSTEM_TIME_NEW, MSR_KVM_WALL_CLOCK_NEW,
	HV_X64_MSR_GUEST_OS_ID, HV_X64_MSR_HYPERCALL, HV_X64_MSR_VP_INDEX,
	HV_X64_MSR_VP_RUNTIME, HV_X64_MSR_VP_ASSIST_PAGE,
	HV_X64_MSR_RESET, HV_X64_MSR_TIME_REF_COUNT, HV_X64_MSR_REFERENCE_TSC,
	HV_X64_MSR_TSC_FREQUENCY, HV_X64_MSR_APIC_FREQUENCY,
	HV_X64_MSR_CRASH_P0, HV_X64_MSR_CRASH_P1, HV_X64_MSR_CRASH_P2,
	HV_X64_MSR_CRASH_P3, HV_X64_MSR_CRASH_P4, HV_X64_MSR_CRASH_CTL,
	HV_X64_MSR_REENLIGHTENMENT_CONTROL, HV_X64_MSR_TSC_EMULATION_CONTROL,
	HV_X64_MSR_TSC_EMULATION_STATUS, HV_X64_MSR_SCONTROL,
	HV_X64_MSR_STIMER0_CONFIG, HV_X64_MSR_SYNDBG_CONTROL,
	HV_X64_MSR_SYNDBG_STATUS, HV_X64_MSR_SYNDBG_SEND_BUFFER,
	HV_X64_MSR_SYNDBG_RECV_BUFFER, HV_X64_MSR_SYNDBG_PENDING_BUFFER,
	HV_X64_MSR_SYNDBG_OPTIONS, MSR_IA32_SMBASE, MSR_KVM_STEAL_TIME,
};

/* Properties of the host that userspace reads with KVM_GET_MSRS on /dev/kvm. */
static const u32 kvm_feature_msrs[] = {
	MSR_IA32_UCODE_REV,
};

static bool canonical(u64 addr)
{
	return __is_canonical_address(addr,
			boot_cpu_has(X86_FEATURE_LA57) ? 57 : 48);
}

/* Memory types an MTRR or PAT entry may name (SDM vol. 3A, 13.3). */
static bool memtype_valid(u8 type, bool pat)
{
	return type == 0 || type == 1 || type == 4 || type == 5 ||
	       type == 6 || (pat && type == 7);
}

static bool bytes_memtype_valid(u64 data, bool pat)
{
	int i;

	for (i = 0; i < 8; i++)
		if (!memtype_valid(data >> (i * 8), pat))
			return false;
	return true;
}

/* Index into kvm_x86_vcpu::mtrr_fixed of a fixed-range MTRR, or -1. */
static int mtrr_fixed_index(u32 index)
{
	switch (index) {
	case MSR_MTRR_FIX64K_00000:
		return 0;
	case MSR_MTRR_FIX16K_80000:
	case MSR_MTRR_FIX16K_A0000:
		return 1 + index - MSR_MTRR_FIX16K_80000;
	case MSR_MTRR_FIX4K_C0000 ... MSR_MTRR_FIX4K_F8000:
		return 3 + index - MSR_MTRR_FIX4K_C0000;
	default:
		return -1;
	}
}

static bool is_mtrr_var(u32 index)
{
	return index >= MSR_MTRR_PHYS_BASE0 &&
	       index < MSR_MTRR_PHYS_BASE0 + 2 * KVM_NR_VAR_MTRRS;
}

static bool mtrr_var_valid(u32 index, u64 data)
{
	u64 reserved = ~0ULL << boot_cpu_data.x86_phys_bits;

	if ((index - MSR_MTRR_PHYS_BASE0) & 1)
		return !(data & (reserved | (0x800 - 1)));
	return !(data & (reserved | 0xf00)) && memtype_valid(data, false);
}

/* Guest CPUID bits that make EFER bits writable by the guest. */
static bool guest_has(struct kvm_x86_vcpu *vcpu, u32 function, int reg,
		      int bit)
{
	const struct kvm_cpuid_entry2 *e = kvm_find_cpuid(vcpu, function, 0);
	const u32 *regs;

	if (!e)
		return false;
	regs = &e->eax;
	return regs[reg] & BIT(bit);
}

#define CPUID_EBX	1
#define CPUID_ECX	2
#define CPUID_EDX	3
#define LEAF7_TSC_ADJUST 1
#define LEAF1_X2APIC	21
#define EXT1_NX		20
#define EXT1_LM		29
#define EXT1_SVM	2	/* ECX */

/*
 * With KVM_CAP_ENFORCE_PV_FEATURE_CPUID, the guest has the paravirtual
 * MSRs its KVM leaf offers, and no others.
 */
static bool pv_msr_allowed(struct kvm_x86_vcpu *vcpu, u32 index)
{
	switch (index) {
	case MSR_KVM_SYSTEM_TIME:
	case MSR_KVM_WALL_CLOCK:
		return kvm_pv_allowed(vcpu, KVM_FEATURE_CLOCKSOURCE);
	case MSR_KVM_SYSTEM_TIME_NEW:
	case MSR_KVM_WALL_CLOCK_NEW:
		return kvm_pv_allowed(vcpu, KVM_FEATURE_CLOCKSOURCE2);
	default:
		return kvm_pv_allowed(vcpu, KVM_FEATURE_STEAL_TIME);
	}
}

static int set_efer(struct kvm_x86_vcpu *vcpu, u64 efer, bool host)
{
	u64 old;
	int ret;

	if (efer & ~kvm_x86_efer_supported())
		return -EINVAL;
	if (host)
		return static_call(kvm_x86_set_msr)(vcpu, MSR_EFER, efer);

	if ((efer & EFER_NX) && !guest_has(vcpu, 0x80000001, CPUID_EDX, EXT1_NX))
		return -EINVAL;
	if ((efer & EFER_LME) && !guest_has(vcpu, 0x80000001, CPUID_EDX, EXT1_LM))
		return -EINVAL;
	/* EFER.SVME (nested SVM): CPUID 0x80000001:ECX.SVM offers it. */
	if ((efer & kvm_x86_nested_efer()) &&
	    !guest_has(vcpu, 0x80000001, CPUID_ECX, EXT1_SVM))
		return -EINVAL;
	ret = static_call(kvm_x86_get_msr)(vcpu, MSR_EFER, &old);
	if (ret)
		return ret;
	/* LME cannot change under paging; LMA is the processor's. */
	if (((old ^ efer) & EFER_LME) &&
	    (static_call(kvm_x86_get_cr0)(vcpu) & X86_CR0_PG))
		return -EINVAL;
	efer = (efer & ~EFER_LMA) | (old & EFER_LMA);
	return static_call(kvm_x86_set_msr)(vcpu, MSR_EFER, efer);
}

/*
 * The APIC base must be one the architecture allows (SDM vol. 3A,
 * 11.12.5): x2APIC mode only if the CPUID offers it, never without the
 * xAPIC enabled, and the guest may not go from x2APIC to xAPIC mode
 * directly or into x2APIC mode from a disabled APIC.  Without an APIC in
 * the kernel the value is only stored.
 */
static int set_apic_base(struct kvm_x86_vcpu *vcpu, u64 data, bool host)
{
	u64 reserved = (~0ULL << boot_cpu_data.x86_phys_bits) | 0x2ff;
	u64 mode = MSR_IA32_APICBASE_ENABLE | X2APIC_ENABLE;
	u64 old = vcpu->apic_base & mode, new = data & mode;

	if (!guest_has(vcpu, 1, CPUID_ECX, LEAF1_X2APIC))
		reserved |= X2APIC_ENABLE;

	if (data & reserved || new == X2APIC_ENABLE)
		return -EINVAL;
	if (!host && ((old == mode && new == MSR_IA32_APICBASE_ENABLE) ||
		      (!old && new == mode)))
		return -EINVAL;
	old = vcpu->apic_base;
	vcpu->apic_base = data;
	kvm_lapic_set_base(vcpu, old);
	return 0;
}

/*
 * Userspace writes the TSC of one vCPU after the other: the same value
 * at reset (QEMU writes 0) or values saved moments apart when a VM is
 * restored.  Taken literally, the vCPUs' TSCs would differ by the time
 * between the writes, and the guest would see its TSC go backwards from
 * one CPU to the next (Linux then stops trusting it).  So a value within
 * a second of what the VM's TSC reads now means the VM's TSC: the vCPU
 * joins it.  Any other value sets the VM's TSC anew, for this vCPU and
 * for those written or created after it.  The VM's TSC runs at the rate
 * of the vCPU that set it (tsc.c): a vCPU at another rate sets it anew.
 */
static u64 user_tsc_offset(struct kvm_x86_vcpu *vcpu, u64 data)
{
	struct kvm_x86 *kx = to_kvm_x86(vcpu->vcpu.kvm);
	s64 slack = (s64)kvm_x86_tsc_khz(vcpu) * MSEC_PER_SEC, delta;
	u64 now, offset;

	spin_lock(&kx->tsc_lock);
	now = kvm_x86_tsc_scale(rdtsc(), vcpu->tsc_ratio);
	delta = data - (now + kx->tsc_offset);
	if (vcpu->tsc_ratio != kx->tsc_ratio || delta < -slack ||
	    delta > slack) {
		kx->tsc_ratio = vcpu->tsc_ratio;
		kx->tsc_offset = data - now;
	}
	offset = kx->tsc_offset;
	spin_unlock(&kx->tsc_lock);
	return offset;
}

/*
 * MSR_PLATFORM_INFO is read-only for the guest, which may read it only
 * while the VM allows (KVM_CAP_MSR_PLATFORM_INFO); userspace sets its
 * value.  Of its bits only CPUID faulting (bit 31) means something here:
 * it offers MSR_MISC_FEATURES_ENABLES bit 0, with which CPUID outside
 * ring 0 raises #GP (kvm_x86_exit_cpuid()).  Userspace cannot take the
 * offer back while the guest uses it.
 */
static int get_platform_info(struct kvm_x86_vcpu *vcpu, u64 *data, bool host)
{
	if (!host && !READ_ONCE(to_kvm_x86(vcpu->vcpu.kvm)->platform_info_read))
		return -EINVAL;
	*data = vcpu->platform_info;
	return 0;
}

static int set_platform_info(struct kvm_x86_vcpu *vcpu, u64 data, bool host)
{
	if (!host || (!(data & MSR_PLATFORM_INFO_CPUID_FAULT) &&
		      (vcpu->misc_features & MSR_MISC_FEATURES_ENABLES_CPUID_FAULT)))
		return -EINVAL;
	vcpu->platform_info = data;
	return 0;
}

static int set_misc_features(struct kvm_x86_vcpu *vcpu, u64 data)
{
	if (data & ~MSR_MISC_FEATURES_ENABLES_CPUID_FAULT ||
	    (data && !(vcpu->platform_info & MSR_PLATFORM_INFO_CPUID_FAULT)))
		return -EINVAL;
	vcpu->misc_features = data;
	return 0;
}

/**
 * kvm_x86_get_msr() - read an MSR of the guest
 * @vcpu: the vCPU, loaded
 * @index: the MSR
 * @data: its value
 * @host: for userspace rather than the guest
 *
 * Return: 0, or a negative errno if the MSR does not exist for the guest.
 */
int kvm_x86_get_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data,
		    bool host)
{
	int i;

	i = kvm_mce_get_msr(vcpu, index, data, host);
	if (i <= 0)
		return i;
	i = kvm_hv_get_msr(vcpu, index, data, host);
	if (i != -ENOENT)
		return i;
	switch (index) {
	case MSR_IA32_FEAT_CTL:
	case MSR_IA32_VMX_BASIC ... MSR_IA32_VMX_VMFUNC:
		return kvm_x86_nested_msr(vcpu, index, data, false, host);
	case MSR_IA32_APICBASE:
		*data = vcpu->apic_base;
		return 0;
	case MSR_IA32_TSC:
		/* Userspace saves L1's TSC; the guest reads its own. */
		*data = kvm_x86_guest_tsc(vcpu);
		if (!host)
			*data = kvm_x86_nested_tsc(vcpu, *data);
		return 0;
	case MSR_IA32_TSC_ADJUST:
		if (!host && !guest_has(vcpu, 7, CPUID_EBX, LEAF7_TSC_ADJUST))
			return -EINVAL;
		*data = vcpu->tsc_adjust;
		return 0;
	case MSR_K7_HWCR:
		*data = vcpu->hwcr;
		return 0;
	case MSR_IA32_POWER_CTL:
		*data = vcpu->power_ctl;
		return 0;
	case MSR_PLATFORM_INFO:
		return get_platform_info(vcpu, data, host);
	case MSR_K8_INT_PENDING_MSG:
		/*
		 * AMD's C1E and SMI message MSR: Linux reads it at boot on
		 * AMD family 0xf and later (with RDMSR, not the safe form).
		 * No message is ever pending here.
		 */
		*data = 0;
		return 0;
	case MSR_MISC_FEATURES_ENABLES:
		*data = vcpu->misc_features;
		return 0;
	case MSR_IA32_DEBUGCTLMSR:
		/* No branch recording or single-stepping on branches. */
		*data = 0;
		return 0;
	case MSR_KVM_STEAL_TIME:
		if (!host && !pv_msr_allowed(vcpu, index))
			return -ENOENT;
		*data = vcpu->steal.msr;
		return 0;
	case MSR_IA32_SMBASE:
		/* Only userspace: the guest reads SMBASE in the save area. */
		if (!host)
			return -ENOENT;
		*data = vcpu->smm.smbase;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		*data = vcpu->misc_enable;
		return 0;
	case MSR_IA32_UCODE_REV:
		*data = vcpu->ucode_rev;
		return 0;
	case MSR_MTRRcap:
		*data = MTRR_CAP_VALUE;
		return 0;
	case MSR_MTRRdefType:
		*data = vcpu->mtrr_def_type;
		return 0;
	case MSR_IA32_TSC_DEADLINE:
	case X2APIC_MSR_BASE ... X2APIC_MSR_LAST:
		return kvm_lapic_get_msr(vcpu, index, data);
	case MSR_KVM_SYSTEM_TIME:
	case MSR_KVM_SYSTEM_TIME_NEW:
	case MSR_KVM_WALL_CLOCK:
	case MSR_KVM_WALL_CLOCK_NEW:
		if (!host && !pv_msr_allowed(vcpu, index))
			return -ENOENT;
		*data = kvm_clock_get_msr(vcpu, index);
		return 0;
	}
	i = mtrr_fixed_index(index);
	if (i >= 0) {
		*data = vcpu->mtrr_fixed[i];
		return 0;
	}
	if (is_mtrr_var(index)) {
		*data = vcpu->mtrr_var[index - MSR_MTRR_PHYS_BASE0];
		return 0;
	}
	return static_call(kvm_x86_get_msr)(vcpu, index, data);
}

/**
 * kvm_x86_set_msr() - write an MSR of the guest
 * @vcpu: the vCPU, loaded
 * @index: the MSR
 * @data: the value
 * @host: for userspace rather than the guest
 *
 * Return: 0, or a negative errno if the MSR does not exist or does not
 * take @data.
 */
int kvm_x86_set_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 data,
		    bool host)
{
	int i;

	i = kvm_mce_set_msr(vcpu, index, data, host);
	if (i <= 0)
		return i;
	i = kvm_hv_set_msr(vcpu, index, data, host);
	if (i != -ENOENT)
		return i;
	switch (index) {
	case MSR_EFER:
		return set_efer(vcpu, data, host);
	case MSR_IA32_FEAT_CTL:
	case MSR_IA32_VMX_BASIC ... MSR_IA32_VMX_VMFUNC:
		return kvm_x86_nested_msr(vcpu, index, &data, true, host);
	case MSR_IA32_APICBASE:
		return set_apic_base(vcpu, data, host);
	case MSR_IA32_TSC_DEADLINE:
	case X2APIC_MSR_BASE ... X2APIC_MSR_LAST:
		return kvm_lapic_set_msr(vcpu, index, data);
	case MSR_IA32_TSC:
		if (host) {
			kvm_x86_set_tsc_offset(vcpu, user_tsc_offset(vcpu, data));
			return 0;
		}
		/* SDM vol. 3B, 17.17.3: the guest's write moves TSC_ADJUST too. */
		vcpu->tsc_adjust += data - kvm_x86_guest_tsc(vcpu);
		kvm_x86_set_tsc_offset(vcpu, data -
				       kvm_x86_tsc_scale(rdtsc(), vcpu->tsc_ratio));
		return 0;
	case MSR_IA32_TSC_ADJUST:
		/* Userspace restores the value; the guest moves its TSC. */
		if (!host && !guest_has(vcpu, 7, CPUID_EBX, LEAF7_TSC_ADJUST))
			return -EINVAL;
		if (!host)
			kvm_x86_set_tsc_offset(vcpu, vcpu->tsc_offset +
					       (data - vcpu->tsc_adjust));
		vcpu->tsc_adjust = data;
		return 0;
	case MSR_K7_HWCR:
		if (data & ~(HWCR_KEPT | HWCR_IGNORED))
			return -EINVAL;
		vcpu->hwcr = data & HWCR_KEPT;
		return 0;
	case MSR_IA32_POWER_CTL:
		/*
		 * Power management is the host's; a guest may write it (C1E
		 * promotion, say) and reads back what it wrote, as on
		 * upstream.
		 */
		vcpu->power_ctl = data;
		return 0;
	case MSR_PLATFORM_INFO:
		return set_platform_info(vcpu, data, host);
	case MSR_MISC_FEATURES_ENABLES:
		return set_misc_features(vcpu, data);
	case MSR_KVM_STEAL_TIME:
		if (!host && !pv_msr_allowed(vcpu, index))
			return -ENOENT;
		return kvm_steal_set_msr(vcpu, data);
	case MSR_IA32_SMBASE:
		if (!host || data >> 32)
			return host ? -EINVAL : -ENOENT;
		vcpu->smm.smbase = data;
		return 0;
	case MSR_KVM_SYSTEM_TIME:
	case MSR_KVM_SYSTEM_TIME_NEW:
	case MSR_KVM_WALL_CLOCK:
	case MSR_KVM_WALL_CLOCK_NEW:
		if (!host && !pv_msr_allowed(vcpu, index))
			return -ENOENT;
		return kvm_clock_set_msr(vcpu, index, data, host);
	case MSR_IA32_MISC_ENABLE:
		vcpu->misc_enable = data;
		return 0;
	case MSR_IA32_UCODE_REV:
		/* The guest's write only prepares a CPUID; nothing changes. */
		if (host)
			vcpu->ucode_rev = data;
		return 0;
	case MSR_MTRRcap:
		return host && data == MTRR_CAP_VALUE ? 0 : -EINVAL;
	case MSR_IA32_DEBUGCTLMSR:
		return data ? -EINVAL : 0;
	case MSR_MTRRdefType:
		if (data & ~MTRR_DEF_TYPE_VALID || !memtype_valid(data, false))
			return -EINVAL;
		vcpu->mtrr_def_type = data;
		return 0;
	case MSR_IA32_CR_PAT:
		if (!bytes_memtype_valid(data, true))
			return -EINVAL;
		break;
	case MSR_SYSCALL_MASK:
		/* The high half is reserved and faults on real processors. */
		if (data >> 32)
			return -EINVAL;
		break;
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_KERNEL_GS_BASE:
	case MSR_LSTAR:
	case MSR_CSTAR:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
		if (!canonical(data))
			return -EINVAL;
		break;
	}
	i = mtrr_fixed_index(index);
	if (i >= 0) {
		if (!bytes_memtype_valid(data, false))
			return -EINVAL;
		vcpu->mtrr_fixed[i] = data;
		return 0;
	}
	if (is_mtrr_var(index)) {
		if (!mtrr_var_valid(index, data))
			return -EINVAL;
		vcpu->mtrr_var[index - MSR_MTRR_PHYS_BASE0] = data;
		return 0;
	}
	return static_call(kvm_x86_set_msr)(vcpu, index, data);
}

/**
 * kvm_x86_set_tsc_offset() - set what the guest's TSC adds to the host's
 * @vcpu: the vCPU, loaded
 * @offset: the difference
 */
void kvm_x86_set_tsc_offset(struct kvm_x86_vcpu *vcpu, u64 offset)
{
	vcpu->tsc_offset = offset;
	static_call(kvm_x86_set_tsc_offset)(vcpu, offset);
	/* The kvmclock page holds a TSC value of this vCPU. */
	kvm_make_request(&vcpu->vcpu, KVM_REQ_CLOCK_UPDATE);
}

/**
 * kvm_x86_tsc_attr_ioctl() - the vCPU's TSC offset as a device attribute
 * @vcpu: the vCPU, loaded
 * @ioctl: KVM_HAS_DEVICE_ATTR, KVM_GET_DEVICE_ATTR or KVM_SET_DEVICE_ATTR
 * @argp: struct kvm_device_attr in userspace
 *
 * Group KVM_VCPU_TSC_CTRL, attribute KVM_VCPU_TSC_OFFSET: the guest's
 * TSC minus the host's, which a VMM sets after a migration to count the
 * time the VM was away (devices/vcpu.rst).
 *
 * Return: 0, -ENXIO for another attribute, -EFAULT, or -ENOTTY for
 * another ioctl.
 */
long kvm_x86_tsc_attr_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
			    void __user *argp)
{
	struct kvm_device_attr attr;
	u64 __user *uaddr;
	u64 offset;

	if (ioctl != KVM_HAS_DEVICE_ATTR && ioctl != KVM_GET_DEVICE_ATTR &&
	    ioctl != KVM_SET_DEVICE_ATTR)
		return -ENOTTY;
	if (copy_from_user(&attr, argp, sizeof(attr)))
		return -EFAULT;
	if (attr.group != KVM_VCPU_TSC_CTRL ||
	    attr.attr != KVM_VCPU_TSC_OFFSET)
		return -ENXIO;
	uaddr = u64_to_user_ptr(attr.addr);
	switch (ioctl) {
	case KVM_HAS_DEVICE_ATTR:
		return 0;
	case KVM_GET_DEVICE_ATTR:
		return put_user(vcpu->tsc_offset, uaddr) ? -EFAULT : 0;
	default:
		if (get_user(offset, uaddr))
			return -EFAULT;
		kvm_x86_set_tsc_offset(vcpu, offset);
		return 0;
	}
}

/**
 * kvm_x86_msr_reset() - the MSRs kept here, as after RESET
 * @vcpu: the vCPU, loaded
 *
 * The TSC of every vCPU starts at the VM's TSC, so the vCPUs agree on
 * it.
 */
void kvm_x86_msr_reset(struct kvm_x86_vcpu *vcpu)
{
	u64 offset;

	vcpu->apic_base = APIC_DEFAULT_BASE | MSR_IA32_APICBASE_ENABLE;
	if (vcpu->vcpu.id == to_kvm_x86(vcpu->vcpu.kvm)->bsp_vcpu_id)
		vcpu->apic_base |= MSR_IA32_APICBASE_BSP;
	vcpu->misc_enable = MISC_ENABLE_RESET;
	vcpu->ucode_rev = kvm_x86_ucode_rev_reset();
	vcpu->mtrr_def_type = 0;
	memset(vcpu->mtrr_fixed, 0, sizeof(vcpu->mtrr_fixed));
	memset(vcpu->mtrr_var, 0, sizeof(vcpu->mtrr_var));
	vcpu->tsc_adjust = 0;
	vcpu->hwcr = 0;
	vcpu->power_ctl = 0;
	vcpu->platform_info = MSR_PLATFORM_INFO_CPUID_FAULT;
	vcpu->misc_features = 0;
	vcpu->pvclock_msr = 0;
	vcpu->wall_clock_msr = 0;
	vcpu->steal.msr = 0;
	kvm_mce_reset(vcpu);
	kvm_hv_vcpu_reset(vcpu);
	kvm_smm_reset(vcpu);
	spin_lock(&to_kvm_x86(vcpu->vcpu.kvm)->tsc_lock);
	offset = kvm_x86_tsc_vm_offset(vcpu);
	spin_unlock(&to_kvm_x86(vcpu->vcpu.kvm)->tsc_lock);
	kvm_x86_set_tsc_offset(vcpu, offset);
}

/* Finish an RDMSR or WRMSR that userspace answered in the run page. */
static int complete_user_msr(struct kvm_x86_vcpu *vcpu, bool read)
{
	struct kvm_run *run = vcpu->vcpu.run;

	if (run->msr.error) {
		kvm_x86_queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return 1;
	}
	if (read) {
		vcpu->regs[VCPU_RAX] = (u32)run->msr.data;
		vcpu->regs[VCPU_RDX] = run->msr.data >> 32;
	}
	kvm_x86_skip_insn(vcpu, vcpu->user_msr_len);
	return 1;
}

static int complete_user_rdmsr(struct kvm_x86_vcpu *vcpu)
{
	return complete_user_msr(vcpu, true);
}

static int complete_user_wrmsr(struct kvm_x86_vcpu *vcpu)
{
	return complete_user_msr(vcpu, false);
}

/*
 * Send an RDMSR or WRMSR we refused to userspace, if it asked for this
 * kind of refusal (KVM_CAP_X86_USER_SPACE_MSR).  Returns whether it did.
 */
static bool msr_to_user(struct kvm_x86_vcpu *vcpu, bool write, u32 index,
			u64 data, u32 reason, unsigned int len)
{
	u32 mask = READ_ONCE(to_kvm_x86(vcpu->vcpu.kvm)->user_space_msr);
	struct kvm_run *run = vcpu->vcpu.run;

	if (!(mask & reason))
		return false;
	run->exit_reason = write ? KVM_EXIT_X86_WRMSR : KVM_EXIT_X86_RDMSR;
	memset(&run->msr, 0, sizeof(run->msr));
	run->msr.reason = reason;
	run->msr.index = index;
	run->msr.data = write ? data : 0;
	vcpu->user_msr_len = len;
	vcpu->complete_userspace_exit = write ? complete_user_wrmsr :
						complete_user_rdmsr;
	return true;
}

/**
 * kvm_x86_exit_msr() - execute RDMSR or WRMSR for the guest
 * @vcpu: the vCPU
 * @write: WRMSR rather than RDMSR
 * @len: length of the instruction, to skip it
 *
 * ECX names the MSR, EDX:EAX holds the value.  An MSR that does not
 * exist, a value it does not take, or an access a filter denies, is a #GP
 * in the guest, unless userspace asked to handle such accesses itself.
 *
 * Return: 1 to enter the guest again, 0 to exit to userspace.
 */
int kvm_x86_exit_msr(struct kvm_x86_vcpu *vcpu, bool write, unsigned int len)
{
	u32 index = vcpu->regs[VCPU_RCX], reason;
	u64 data = 0;
	int ret;

	if (write)
		data = (u32)vcpu->regs[VCPU_RAX] |
		       (u64)(u32)vcpu->regs[VCPU_RDX] << 32;
	if (!kvm_msr_allowed(vcpu, index, write))
		ret = -EPERM;
	else if (write)
		ret = kvm_x86_set_msr(vcpu, index, data, false);
	else
		ret = kvm_x86_get_msr(vcpu, index, &data, false);
	if (ret) {
		reason = ret == -EPERM ? KVM_MSR_EXIT_REASON_FILTER :
			 ret == -ENOENT ? KVM_MSR_EXIT_REASON_UNKNOWN :
					  KVM_MSR_EXIT_REASON_INVAL;
		if (msr_to_user(vcpu, write, index, data, reason, len))
			return 0;
		kvm_x86_queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return 1;
	}
	if (!write) {
		vcpu->regs[VCPU_RAX] = (u32)data;
		vcpu->regs[VCPU_RDX] = data >> 32;
	}
	kvm_x86_skip_insn(vcpu, len);
	return 1;
}
EXPORT_SYMBOL_GPL(kvm_x86_exit_msr);

/*
 * KVM_GET_MSRS and KVM_SET_MSRS: process the entries in order and stop at
 * the first that fails.  Returns how many succeeded.
 */
static long msrs_ioctl(struct kvm_msrs __user *umsrs,
		       int (*op)(void *arg, struct kvm_msr_entry *e),
		       void *arg, bool copy_back)
{
	struct kvm_msr_entry *entries;
	struct kvm_msrs msrs;
	u32 i;
	long ret;

	if (copy_from_user(&msrs, umsrs, sizeof(msrs)))
		return -EFAULT;
	if (msrs.nmsrs >= KVM_MAX_IO_MSRS)
		return -E2BIG;
	entries = memdup_array_user(umsrs->entries, msrs.nmsrs,
				    sizeof(*entries));
	if (IS_ERR(entries))
		return PTR_ERR(entries);
	for (i = 0; i < msrs.nmsrs; i++)
		if (op(arg, &entries[i]))
			break;
	ret = i;
	if (copy_back && copy_to_user(umsrs->entries, entries,
				      i * sizeof(*entries)))
		ret = -EFAULT;
	kfree(entries);
	return ret;
}

static int vcpu_get_msr(void *vcpu, struct kvm_msr_entry *e)
{
	return kvm_x86_get_msr(vcpu, e->index, &e->data, true);
}

static int vcpu_set_msr(void *vcpu, struct kvm_msr_entry *e)
{
	return kvm_x86_set_msr(vcpu, e->index, e->data, true);
}

/**
 * kvm_x86_msr_ioctl() - KVM_GET_MSRS and KVM_SET_MSRS on a vCPU
 * @vcpu: the vCPU, loaded
 * @ioctl: the ioctl
 * @argp: struct kvm_msrs in userspace
 *
 * Return: the number of MSRs read or written, -E2BIG for too many,
 * -EFAULT, -ENOMEM, or -ENOTTY for another ioctl.
 */
long kvm_x86_msr_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
		       void __user *argp)
{
	switch (ioctl) {
	case KVM_GET_MSRS:
		return msrs_ioctl(argp, vcpu_get_msr, vcpu, true);
	case KVM_SET_MSRS:
		return msrs_ioctl(argp, vcpu_set_msr, vcpu, false);
	default:
		return -ENOTTY;
	}
}

static int feature_msr_get(void *unused, struct kvm_msr_entry *e)
{
	switch (e->index) {
	case MSR_IA32_UCODE_REV:
		/* The host's revision, as the processor reports it. */
		return rdmsrl_safe(e->index, &e->data) ? -EIO : 0;
	case MSR_IA32_VMX_BASIC ... MSR_IA32_VMX_VMFUNC:
		/* What nested VMX offers a guest hypervisor. */
		return kvm_x86_nested_msr(NULL, e->index, &e->data, false,
					  true) ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

static long msr_list(struct kvm_msr_list __user *ulist, const u32 *indices,
		     u32 n)
{
	u32 room;

	if (get_user(room, &ulist->nmsrs) || put_user(n, &ulist->nmsrs))
		return -EFAULT;
	if (room < n)
		return -E2BIG;
	if (copy_to_user(ulist->indices, indices, n * sizeof(*indices)))
		return -EFAULT;
	return 0;
}

/* The feature MSRs: ours, and the VMX ones where nested VMX offers them. */
static long feature_msr_list(struct kvm_msr_list __user *ulist)
{
	u32 list[ARRAY_SIZE(kvm_feature_msrs) + MSR_IA32_VMX_VMFUNC -
		 MSR_IA32_VMX_BASIC + 1];
	u32 n = ARRAY_SIZE(kvm_feature_msrs), index;
	u64 data;

	memcpy(list, kvm_feature_msrs, sizeof(kvm_feature_msrs));
	for (index = MSR_IA32_VMX_BASIC; index <= MSR_IA32_VMX_VMFUNC; index++)
		if (!kvm_x86_nested_msr(NULL, index, &data, false, true))
			list[n++] = index;
	return msr_list(ulist, list, n);
}

/**
 * kvm_x86_msr_dev_ioctl() - the MSR ioctls of /dev/kvm
 * @ioctl: KVM_GET_MSR_INDEX_LIST, KVM_GET_MSR_FEATURE_INDEX_LIST or
 *	KVM_GET_MSRS (of the feature MSRs)
 * @argp: its argument in userspace
 *
 * The lists report their length in nmsrs and fail with -E2BIG if the
 * caller's nmsrs is smaller.
 *
 * Return: 0 or the number of MSRs read, or a negative errno.
 */
long kvm_x86_msr_dev_ioctl(unsigned int ioctl, void __user *argp)
{
	switch (ioctl) {
	case KVM_GET_MSR_INDEX_LIST:
		return msr_list(argp, kvm_msrs_to_save,
				ARRAY_SIZE(kvm_msrs_to_save));
	case KVM_GET_MSR_FEATURE_INDEX_LIST:
		return feature_msr_list(argp);
	case KVM_GET_MSRS:
		return msrs_ioctl(argp, feature_msr_get, NULL, true);
	default:
		return -EINVAL;
	}
}
