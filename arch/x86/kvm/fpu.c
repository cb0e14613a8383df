// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's FPU, extended state and debug registers as userspace sees
 * them: KVM_GET/SET_FPU, KVM_GET/SET_XSAVE(2), KVM_GET/SET_XCRS and
 * KVM_GET/SET_DEBUGREGS, and the guest's XSETBV.
 *
 * The FPU registers live in the vCPU's guest fpstate, which the kernel's
 * FPU code swaps with the thread's around KVM_RUN; outside KVM_RUN it is
 * in memory, where these ioctls read and write it.  XCR0 is the guest's
 * while the guest runs with CR4.OSXSAVE set and a value different from
 * the host's (the backends switch it around the world switch).
 */
#include <linux/kvm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/debugreg.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/fpu/xstate.h>
#include <asm/trapnr.h>

#include "x86.h"

#define DR6_RESET	0xffff0ff0ULL
#define DR7_RESET	0x400ULL

/* The host's XCR0, which the backends restore after the guest ran. */
u64 kvm_x86_host_xcr0 __read_mostly;
EXPORT_SYMBOL_GPL(kvm_x86_host_xcr0);

/**
 * kvm_x86_fpu_init() - read the host's XCR0, once
 */
void kvm_x86_fpu_init(void)
{
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		kvm_x86_host_xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
}

/*
 * The XCR0 bits the guest may set: those its CPUID leaf 0xD offers and
 * the host has, and x87 always.
 */
static u64 guest_xcr0_valid(struct kvm_x86_vcpu *vcpu)
{
	const struct kvm_cpuid_entry2 *e = kvm_find_cpuid(vcpu, 0xd, 0);
	u64 offered = e ? e->eax | (u64)e->edx << 32 : 0;

	return (offered & kvm_x86_host_xcr0) | XFEATURE_MASK_FP;
}

/* Checks of XSETBV (SDM vol. 1, 13.3). */
static int set_xcr0(struct kvm_x86_vcpu *vcpu, u64 xcr0)
{
	u64 avx512 = XFEATURE_MASK_AVX512;
	u64 mpx = XFEATURE_MASK_BNDREGS | XFEATURE_MASK_BNDCSR;

	if (!(xcr0 & XFEATURE_MASK_FP) || xcr0 & ~guest_xcr0_valid(vcpu))
		return -EINVAL;
	if ((xcr0 & XFEATURE_MASK_YMM) && !(xcr0 & XFEATURE_MASK_SSE))
		return -EINVAL;
	if ((xcr0 & mpx) && (xcr0 & mpx) != mpx)
		return -EINVAL;
	if ((xcr0 & avx512) &&
	    ((xcr0 & avx512) != avx512 || !(xcr0 & XFEATURE_MASK_YMM)))
		return -EINVAL;
	vcpu->xcr0 = xcr0;
	return 0;
}

/**
 * kvm_x86_exit_xsetbv() - execute XSETBV for the guest
 * @vcpu: the vCPU
 * @len: length of the instruction, to skip it
 *
 * Only XCR0 exists; a value it does not take is #GP.
 *
 * Return: 1, to enter the guest again.
 */
int kvm_x86_exit_xsetbv(struct kvm_x86_vcpu *vcpu, unsigned int len)
{
	u64 val = (u32)vcpu->regs[VCPU_RAX] |
		  (u64)(u32)vcpu->regs[VCPU_RDX] << 32;

	if ((u32)vcpu->regs[VCPU_RCX] != XCR_XFEATURE_ENABLED_MASK ||
	    set_xcr0(vcpu, val)) {
		kvm_x86_queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return 1;
	}
	kvm_x86_skip_insn(vcpu, len);
	return 1;
}
EXPORT_SYMBOL_GPL(kvm_x86_exit_xsetbv);

/**
 * kvm_x86_get_xmm() - read the guest's XMM0 to XMM5
 * @vcpu: the vCPU, in KVM_RUN, whose FPU state the thread has
 * @xmm: the six registers, low quadword first
 *
 * The registers are the guest's in the processor, unless a task switch
 * since the last entry saved them; then load them back first, as the next
 * entry would.
 */
void kvm_x86_get_xmm(struct kvm_x86_vcpu *vcpu, u64 xmm[12])
{
	fpregs_lock();
	if (test_thread_flag(TIF_NEED_FPU_LOAD))
		switch_fpu_return();
	asm volatile("movdqu %%xmm0, 0x00(%0)\n\t"
		     "movdqu %%xmm1, 0x10(%0)\n\t"
		     "movdqu %%xmm2, 0x20(%0)\n\t"
		     "movdqu %%xmm3, 0x30(%0)\n\t"
		     "movdqu %%xmm4, 0x40(%0)\n\t"
		     "movdqu %%xmm5, 0x50(%0)"
		     : : "r" (xmm) : "memory");
	fpregs_unlock();
}

/**
 * kvm_x86_fpu_reset() - XCR0 after RESET
 * @vcpu: the vCPU
 *
 * The FPU registers are in their initial state in a new fpstate.
 */
void kvm_x86_fpu_reset(struct kvm_x86_vcpu *vcpu)
{
	vcpu->xcr0 = XFEATURE_MASK_FP;
}

/**
 * kvm_x86_dr_reset() - the debug registers after RESET or INIT
 * @vcpu: the vCPU
 */
void kvm_x86_dr_reset(struct kvm_x86_vcpu *vcpu)
{
	memset(vcpu->db, 0, sizeof(vcpu->db));
	vcpu->dr6 = DR6_RESET;
	vcpu->dr7 = DR7_RESET;
}

static struct fxregs_state *guest_fxsave(struct kvm_x86_vcpu *vcpu)
{
	return &vcpu->guest_fpu.fpstate->regs.fxsave;
}

static long kvm_get_fpu(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct fxregs_state *fx = guest_fxsave(vcpu);
	struct kvm_fpu fpu = {
		.fcw = fx->cwd,
		.fsw = fx->swd,
		.ftwx = fx->twd,
		.last_opcode = fx->fop,
		.last_ip = fx->rip,
		.last_dp = fx->rdp,
		.mxcsr = fx->mxcsr,
	};

	memcpy(fpu.fpr, fx->st_space, sizeof(fpu.fpr));
	memcpy(fpu.xmm, fx->xmm_space, sizeof(fpu.xmm));
	return copy_to_user(argp, &fpu, sizeof(fpu)) ? -EFAULT : 0;
}

static long kvm_set_fpu(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct fxregs_state *fx = guest_fxsave(vcpu);
	struct kvm_fpu fpu;

	if (copy_from_user(&fpu, argp, sizeof(fpu)))
		return -EFAULT;
	/* FXRSTOR faults on reserved MXCSR bits, 16-31 on every processor. */
	if (fpu.mxcsr >> 16)
		return -EINVAL;
	memcpy(fx->st_space, fpu.fpr, sizeof(fpu.fpr));
	memcpy(fx->xmm_space, fpu.xmm, sizeof(fpu.xmm));
	fx->cwd = fpu.fcw;
	fx->swd = fpu.fsw;
	fx->twd = fpu.ftwx;
	fx->fop = fpu.last_opcode;
	fx->rip = fpu.last_ip;
	fx->rdp = fpu.last_dp;
	fx->mxcsr = fpu.mxcsr;
	/* XRSTOR must load them rather than their initial values. */
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		vcpu->guest_fpu.fpstate->regs.xsave.header.xfeatures |=
			XFEATURE_MASK_FPSSE;
	return 0;
}

/* The size of KVM_GET_XSAVE2's and KVM_SET_XSAVE's buffer. */
static unsigned int xsave_size(struct kvm_x86_vcpu *vcpu)
{
	return max_t(unsigned int, sizeof(struct kvm_xsave),
		     vcpu->guest_fpu.uabi_size);
}

/* The components guests may enable in XCR0: x87, SSE and AVX. */
#define KVM_XCR0_OFFERED	(XFEATURE_MASK_FP | XFEATURE_MASK_SSE | \
				 XFEATURE_MASK_YMM)

/**
 * kvm_x86_xcr0_supported() - the XCR0 components guests may enable
 *
 * Return: those the host has enabled too, or 0 without XSAVE.
 */
u64 kvm_x86_xcr0_supported(void)
{
	return kvm_x86_host_xcr0 & KVM_XCR0_OFFERED;
}

/**
 * kvm_x86_xsave_size_for() - size of a standard-format XSAVE area
 * @xcr0: the components it holds
 *
 * Return: the legacy area and the header, and the end of the furthest
 * component of @xcr0 (SDM vol. 1, 13.4), as CPUID.0xD.0:EBX reports it.
 */
u32 kvm_x86_xsave_size_for(u64 xcr0)
{
	u32 size = 512 + 64, eax, ebx, ecx, edx;
	int i;

	for (i = 2; i < 64; i++) {
		if (!(xcr0 & BIT_ULL(i)))
			continue;
		cpuid_count(0xd, i, &eax, &ebx, &ecx, &edx);
		size = max(size, eax + ebx);
	}
	return size;
}

/**
 * kvm_x86_xsave_size() - what KVM_CHECK_EXTENSION(KVM_CAP_XSAVE2) says
 *
 * Return: the size of the host's XSAVE area for its XCR0, at least the
 * size of struct kvm_xsave.
 */
int kvm_x86_xsave_size(void)
{
	u32 eax, ebx = 0, ecx, edx;

	if (boot_cpu_has(X86_FEATURE_XSAVE))
		cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
	return max_t(int, sizeof(struct kvm_xsave), ebx);
}

static long kvm_get_xsave(struct kvm_x86_vcpu *vcpu, void __user *argp,
			  unsigned int size)
{
	void *buf = kzalloc(size, GFP_KERNEL_ACCOUNT);
	long ret = 0;

	if (!buf)
		return -ENOMEM;
	fpu_copy_guest_fpstate_to_uabi(&vcpu->guest_fpu, buf, size,
				       kvm_x86_host_xcr0 | XFEATURE_MASK_FPSSE,
				       0);
	if (copy_to_user(argp, buf, size))
		ret = -EFAULT;
	kfree(buf);
	return ret;
}

static long kvm_set_xsave(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	void *buf = memdup_user(argp, xsave_size(vcpu));
	u32 pkru;
	long ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	/* Guests do not have protection keys: PKRU is not kept. */
	ret = fpu_copy_uabi_to_guest_fpstate(&vcpu->guest_fpu, buf,
					     kvm_x86_host_xcr0 |
					     XFEATURE_MASK_FPSSE, &pkru);
	kfree(buf);
	return ret;
}

static long kvm_get_xcrs(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_xcrs xcrs = {};

	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		xcrs.nr_xcrs = 1;
		xcrs.xcrs[0].xcr = XCR_XFEATURE_ENABLED_MASK;
		xcrs.xcrs[0].value = vcpu->xcr0;
	}
	return copy_to_user(argp, &xcrs, sizeof(xcrs)) ? -EFAULT : 0;
}

static long kvm_set_xcrs(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_xcrs xcrs;
	u32 i;

	if (copy_from_user(&xcrs, argp, sizeof(xcrs)))
		return -EFAULT;
	if (!boot_cpu_has(X86_FEATURE_XSAVE))
		return -EINVAL;
	if (xcrs.nr_xcrs > KVM_MAX_XCRS || xcrs.flags)
		return -EINVAL;
	for (i = 0; i < xcrs.nr_xcrs; i++)
		if (xcrs.xcrs[i].xcr != XCR_XFEATURE_ENABLED_MASK ||
		    set_xcr0(vcpu, xcrs.xcrs[i].value))
			return -EINVAL;
	return 0;
}

/*
 * DR6 and DR7 bits software may change (SDM vol. 3B, 19.2): the
 * breakpoint hits, BD, BS and BT in DR6; all of DR7 but bit 10, which
 * reads as 1, and the reserved bits 11, 12, 14 and 15.
 */
#define DR6_WRITABLE	0xe00fULL
#define DR7_WRITABLE	0xffff23ffULL

/**
 * kvm_x86_get_dr() - read a debug register for the guest
 * @vcpu: the vCPU
 * @dr: 0-3, 6 or 7
 *
 * Return: its value.
 */
u64 kvm_x86_get_dr(struct kvm_x86_vcpu *vcpu, unsigned int dr)
{
	switch (dr) {
	case 0 ... 3:
		return vcpu->db[dr];
	case 6:
		return vcpu->dr6;
	default:
		return vcpu->dr7;
	}
}

/**
 * kvm_x86_set_dr() - write a debug register for the guest
 * @vcpu: the vCPU
 * @dr: 0-3, 6 or 7
 * @val: the value
 *
 * Return: 0, or -EINVAL if the high half of DR6 or DR7 is not zero (a
 * #GP for the guest).
 */
int kvm_x86_set_dr(struct kvm_x86_vcpu *vcpu, unsigned int dr, u64 val)
{
	switch (dr) {
	case 0 ... 3:
		vcpu->db[dr] = val;
		return 0;
	case 6:
		if (val >> 32)
			return -EINVAL;
		vcpu->dr6 = (val & DR6_WRITABLE) | (DR6_RESET & ~DR6_WRITABLE);
		return 0;
	default:
		if (val >> 32)
			return -EINVAL;
		vcpu->dr7 = (val & DR7_WRITABLE) | DR7_FIXED_1;
		return 0;
	}
}

/*
 * The debug registers are kept here, for userspace and for the guest's
 * MOV DR, which always exits: breakpoints are not armed in the processor
 * yet.
 */
static long kvm_get_debugregs(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_debugregs dbg = { .dr6 = vcpu->dr6, .dr7 = vcpu->dr7 };

	memcpy(dbg.db, vcpu->db, sizeof(dbg.db));
	return copy_to_user(argp, &dbg, sizeof(dbg)) ? -EFAULT : 0;
}

static long kvm_set_debugregs(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_debugregs dbg;

	if (copy_from_user(&dbg, argp, sizeof(dbg)))
		return -EFAULT;
	/* The high halves of DR6 and DR7 are reserved (SDM vol. 3B, 19.2). */
	if (dbg.flags || dbg.dr6 >> 32 || dbg.dr7 >> 32)
		return -EINVAL;
	memcpy(vcpu->db, dbg.db, sizeof(vcpu->db));
	vcpu->dr6 = dbg.dr6;
	vcpu->dr7 = dbg.dr7;
	return 0;
}

/**
 * kvm_x86_fpu_ioctl() - the FPU, XSAVE, XCR and debug register ioctls
 * @vcpu: the vCPU, loaded, not running
 * @ioctl: the ioctl
 * @argp: its argument
 *
 * Return: 0, -EFAULT, -ENOMEM, -EINVAL for state the vCPU cannot hold,
 * or -ENOTTY for another ioctl.
 */
long kvm_x86_fpu_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
		       void __user *argp)
{
	switch (ioctl) {
	case KVM_GET_FPU:
		return kvm_get_fpu(vcpu, argp);
	case KVM_SET_FPU:
		return kvm_set_fpu(vcpu, argp);
	case KVM_GET_XSAVE:
		return kvm_get_xsave(vcpu, argp, sizeof(struct kvm_xsave));
	case KVM_GET_XSAVE2:
		return kvm_get_xsave(vcpu, argp, xsave_size(vcpu));
	case KVM_SET_XSAVE:
		return kvm_set_xsave(vcpu, argp);
	case KVM_GET_XCRS:
		return kvm_get_xcrs(vcpu, argp);
	case KVM_SET_XCRS:
		return kvm_set_xcrs(vcpu, argp);
	case KVM_GET_DEBUGREGS:
		return kvm_get_debugregs(vcpu, argp);
	case KVM_SET_DEBUGREGS:
		return kvm_set_debugregs(vcpu, argp);
	default:
		return -ENOTTY;
	}
}
