// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's machine-check architecture (SDM vol. 3B, chapter 16): the
 * global MCG registers, the error-reporting banks, and the ioctls with
 * which userspace sizes them (KVM_X86_SETUP_MCE) and reports an error
 * into them (KVM_X86_SET_MCE), e.g. one the host found in guest memory.
 *
 * Nothing here comes from the hardware: the banks hold what userspace and
 * the guest put there.  An uncorrected error raises #MC; a corrected one,
 * or an uncorrected one that needs no action (UCNA), only fills its bank,
 * and signals the bank's CMCI when the guest enabled it.
 */
#include <linux/kvm.h>
#include <linux/uaccess.h>
#include <asm/mce.h>
#include <asm/msr-index.h>
#include <asm/trapnr.h>

#include "x86.h"

/* Capabilities KVM_X86_SETUP_MCE accepts besides the bank count. */
#define MCE_CAP_SUPPORTED	(MCG_CTL_P | MCG_CMCI_P | MCG_SER_P)

/* The four MSRs of a bank, in the order of their numbers. */
enum { MCI_CTL, MCI_STATUS, MCI_ADDR, MCI_MISC };

/* MCi_CTL2: the corrected-error threshold and the CMCI enable. */
#define MCI_CTL2_VALID		(BIT_ULL(30) | GENMASK_ULL(14, 0))
#define MCI_CTL2_CMCI_EN	BIT_ULL(30)

/* MSR_K7_HWCR.McStatusWrEn: the guest may write non-zero MCi_STATUS. */
#define HWCR_MCSTATUS_WREN	BIT_ULL(18)

static unsigned int nr_banks(struct kvm_x86_vcpu *vcpu)
{
	return vcpu->mcg_cap & MCG_BANKCNT_MASK;
}

/**
 * kvm_mce_reset() - machine-check state of a new vCPU
 * @vcpu: the vCPU
 *
 * Until userspace says otherwise with KVM_X86_SETUP_MCE, the vCPU has
 * every bank and no optional register; as after a processor's reset, no
 * bank reports anything until software enables it.
 */
void kvm_mce_reset(struct kvm_x86_vcpu *vcpu)
{
	vcpu->mcg_cap = KVM_MAX_MCE_BANKS;
	vcpu->mcg_status = 0;
	vcpu->mcg_ctl = 0;
	memset(vcpu->mce_banks, 0, sizeof(vcpu->mce_banks));
	memset(vcpu->mci_ctl2, 0, sizeof(vcpu->mci_ctl2));
}

/*
 * Whether @index is a register of one of the vCPU's banks: @bank says
 * which bank, @reg which register (MCI_*), -1 for CTL2.
 */
static bool mce_bank_msr(struct kvm_x86_vcpu *vcpu, u32 index,
			 unsigned int *bank, int *reg)
{
	if (index >= MSR_IA32_MC0_CTL &&
	    index < MSR_IA32_MC0_CTL + 4 * nr_banks(vcpu)) {
		*bank = (index - MSR_IA32_MC0_CTL) / 4;
		*reg = (index - MSR_IA32_MC0_CTL) % 4;
		return true;
	}
	if ((vcpu->mcg_cap & MCG_CMCI_P) && index >= MSR_IA32_MC0_CTL2 &&
	    index < MSR_IA32_MC0_CTL2 + nr_banks(vcpu)) {
		*bank = index - MSR_IA32_MC0_CTL2;
		*reg = -1;
		return true;
	}
	return false;
}

/**
 * kvm_mce_get_msr() - read a machine-check MSR
 * @vcpu: the vCPU
 * @index: the MSR
 * @data: its value
 * @host: for userspace
 *
 * Return: 0, 1 if @index is not a machine-check MSR, or -EINVAL if it is
 * one the vCPU lacks.
 */
int kvm_mce_get_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data,
		    bool host)
{
	unsigned int bank;
	int reg;

	switch (index) {
	case MSR_IA32_MCG_CAP:
		*data = vcpu->mcg_cap;
		return 0;
	case MSR_IA32_MCG_STATUS:
		*data = vcpu->mcg_status;
		return 0;
	case MSR_IA32_MCG_CTL:
		if (!host && !(vcpu->mcg_cap & MCG_CTL_P))
			return -EINVAL;
		*data = vcpu->mcg_ctl;
		return 0;
	}
	if (!mce_bank_msr(vcpu, index, &bank, &reg))
		return 1;
	*data = reg < 0 ? vcpu->mci_ctl2[bank] : vcpu->mce_banks[bank][reg];
	return 0;
}

/**
 * kvm_mce_set_msr() - write a machine-check MSR
 * @vcpu: the vCPU
 * @index: the MSR
 * @data: the value
 * @host: for userspace, which restores what it saved
 *
 * Return: 0, 1 if @index is not a machine-check MSR, or -EINVAL if the
 * vCPU lacks it or it does not take @data.
 */
int kvm_mce_set_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 data,
		    bool host)
{
	unsigned int bank;
	int reg;

	switch (index) {
	case MSR_IA32_MCG_CAP:
		/* Read-only; KVM_X86_SETUP_MCE sets it. */
		return host && data == vcpu->mcg_cap ? 0 : -EINVAL;
	case MSR_IA32_MCG_STATUS:
		vcpu->mcg_status = data;
		return 0;
	case MSR_IA32_MCG_CTL:
		if (!host && !(vcpu->mcg_cap & MCG_CTL_P))
			return -EINVAL;
		/* All reporting on or all off (SDM 16.3.1.3). */
		if (data && data != ~0ULL)
			return -EINVAL;
		vcpu->mcg_ctl = data;
		return 0;
	}
	if (!mce_bank_msr(vcpu, index, &bank, &reg))
		return 1;
	switch (reg) {
	case -1:
		if (data & ~MCI_CTL2_VALID)
			return -EINVAL;
		vcpu->mci_ctl2[bank] = data;
		return 0;
	case MCI_CTL:
		/*
		 * All ones or all zeroes; Linux clears bit 10 (AMD's GART
		 * TLB walk errors) and bit 0 of some banks, as processors
		 * allow.
		 */
		if (data && (data | BIT_ULL(10) | BIT_ULL(0)) != ~0ULL)
			return -EINVAL;
		break;
	case MCI_STATUS:
		/* Software may only clear a status, unless AMD's HWCR lets it. */
		if (!host && data && !(vcpu->hwcr & HWCR_MCSTATUS_WREN))
			return -EINVAL;
		break;
	}
	vcpu->mce_banks[bank][reg] = data;
	return 0;
}

static int mce_setup(struct kvm_x86_vcpu *vcpu, u64 __user *argp)
{
	unsigned int banks, i;
	u64 cap;

	if (get_user(cap, argp))
		return -EFAULT;
	banks = cap & MCG_BANKCNT_MASK;
	if (!banks || banks > KVM_MAX_MCE_BANKS)
		return -EINVAL;
	if (cap & ~(MCE_CAP_SUPPORTED | MCG_BANKCNT_MASK | MCG_EXT_CNT_MASK))
		return -EINVAL;
	/* The banks keep what they hold; reporting is enabled. */
	vcpu->mcg_cap = cap;
	vcpu->mcg_ctl = ~0ULL;
	for (i = 0; i < banks; i++) {
		vcpu->mce_banks[i][MCI_CTL] = ~0ULL;
		vcpu->mci_ctl2[i] = 0;
	}
	kvm_lapic_update_version(vcpu);
	return 0;
}

/*
 * An uncorrected error that needs no action (UCNA, SDM 16.6.2): no machine
 * check in progress, nothing signalled or required, the processor context
 * intact.  It is reported like a corrected one.
 */
static bool mce_is_ucna(const struct kvm_x86_mce *mce)
{
	return !mce->mcg_status &&
	       !(mce->status & (MCI_STATUS_PCC | MCI_STATUS_S | MCI_STATUS_AR));
}

/*
 * Put the error in its bank, over whatever was there; @over says whether
 * the bank shows that it lost an error (MCi_STATUS.OVER).
 */
static void mce_fill_bank(u64 *b, const struct kvm_x86_mce *mce, bool over)
{
	b[MCI_STATUS] = mce->status | (over ? MCI_STATUS_OVER : 0);
	b[MCI_ADDR] = mce->addr;
	b[MCI_MISC] = mce->misc;
}

static int mce_inject(struct kvm_x86_vcpu *vcpu, struct kvm_x86_mce __user *argp)
{
	struct kvm_x86_mce mce;
	u64 *b;

	if (copy_from_user(&mce, argp, sizeof(mce)))
		return -EFAULT;
	if (mce.bank >= nr_banks(vcpu) || !(mce.status & MCI_STATUS_VAL))
		return -EINVAL;
	b = vcpu->mce_banks[mce.bank];

	if (!(mce.status & MCI_STATUS_UC) || mce_is_ucna(&mce)) {
		bool ucna = mce.status & MCI_STATUS_UC;

		/*
		 * A UCNA replaces what the bank held, an earlier UCNA
		 * included, without OVER, as upstream's does.  A corrected
		 * error does not replace an uncorrected one: the bank keeps
		 * it and overflows.
		 */
		if (!ucna && (b[MCI_STATUS] & (MCI_STATUS_VAL | MCI_STATUS_UC)) ==
			     (MCI_STATUS_VAL | MCI_STATUS_UC)) {
			b[MCI_STATUS] |= MCI_STATUS_OVER;
			return 0;
		}
		mce_fill_bank(b, &mce,
			      !ucna && (b[MCI_STATUS] & MCI_STATUS_VAL));
		/* CTL2 is only writable with MCG_CMCI_P. */
		if (vcpu->mci_ctl2[mce.bank] & MCI_CTL2_CMCI_EN)
			kvm_lapic_cmci(vcpu);
		return 0;
	}

	/* Reporting not fully enabled for the machine or the bank: dropped. */
	if (((vcpu->mcg_cap & MCG_CTL_P) && vcpu->mcg_ctl != ~0ULL) ||
	    b[MCI_CTL] != ~0ULL)
		return 0;
	/* A machine check in a machine check, or without CR4.MCE: shutdown. */
	if ((vcpu->mcg_status & MCG_STATUS_MCIP) ||
	    !(static_call(kvm_x86_get_cr4)(vcpu) & X86_CR4_MCE)) {
		kvm_make_request(&vcpu->vcpu, KVM_REQ_TRIPLE_FAULT);
		return 0;
	}
	mce_fill_bank(b, &mce, b[MCI_STATUS] & MCI_STATUS_VAL);
	vcpu->mcg_status = mce.mcg_status;
	kvm_x86_queue_exception(vcpu, X86_TRAP_MC, false, 0);
	return 0;
}

/**
 * kvm_mce_ioctl() - KVM_X86_SETUP_MCE and KVM_X86_SET_MCE
 * @vcpu: the vCPU, loaded
 * @ioctl: the ioctl
 * @argp: its argument in userspace
 *
 * Return: 0, -EFAULT, -EINVAL for a bad bank count, capability, bank or
 * status, or -ENOTTY for another ioctl.
 */
long kvm_mce_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
		   void __user *argp)
{
	switch (ioctl) {
	case KVM_X86_SETUP_MCE:
		return mce_setup(vcpu, argp);
	case KVM_X86_SET_MCE:
		return mce_inject(vcpu, argp);
	default:
		return -ENOTTY;
	}
}

/**
 * kvm_mce_cap_supported() - KVM_X86_GET_MCE_CAP_SUPPORTED
 * @argp: the u64 in userspace
 *
 * Return: 0 or -EFAULT.
 */
long kvm_mce_cap_supported(u64 __user *argp)
{
	return put_user(MCE_CAP_SUPPORTED, argp);
}
