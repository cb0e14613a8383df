// SPDX-License-Identifier: GPL-2.0-only
/*
 * The architectural register state of an x86 vCPU: the state after reset
 * and the ioctls that read and write it (KVM_GET/SET_REGS and _SREGS).
 *
 * General purpose registers, RIP and RFLAGS live in struct kvm_x86_vcpu;
 * segment, control and descriptor table registers live where the backend
 * keeps them for the processor (VMCB or VMCS) and are reached through the
 * backend's get_sregs/set_sregs.
 */
#include <linux/kvm.h>
#include <linux/static_call.h>
#include <linux/uaccess.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include "x86.h"

/* Family 6, model 0, stepping 0 in EDX after reset (SDM vol. 3A, 10.1.4). */
#define RESET_EDX		0x600
#define RESET_CR0		(X86_CR0_ET | X86_CR0_CD | X86_CR0_NW)

static void segment_reset(struct kvm_segment *seg, u8 type, bool s)
{
	*seg = (struct kvm_segment) {
		.limit = 0xffff,
		.type = type,
		.present = 1,
		.s = s,
	};
}

/**
 * kvm_x86_vcpu_reset() - put a vCPU in the state of a processor after RESET
 * @vcpu: the vCPU
 * @init: INIT rather than RESET: the MSRs, XCR0 and the FPU keep their
 *	values (SDM vol. 3A, table 10-1)
 *
 * Real mode, executing at CS:IP = f000:fff0 with CS base 0xffff0000, as
 * the SDM (vol. 3A, 10.1) and APM (vol. 2, 14.1) define it.  Events
 * waiting for delivery are dropped and the local APIC is reset.
 */
void kvm_x86_vcpu_reset(struct kvm_x86_vcpu *vcpu, bool init)
{
	struct kvm_sregs sregs = {};

	memset(vcpu->regs, 0, sizeof(vcpu->regs));
	vcpu->regs[VCPU_RDX] = RESET_EDX;
	vcpu->rip = 0xfff0;
	vcpu->rflags = X86_EFLAGS_FIXED;

	segment_reset(&sregs.cs, 0xb, true);	/* code, read/execute, accessed */
	sregs.cs.selector = 0xf000;
	sregs.cs.base = 0xffff0000;
	segment_reset(&sregs.ds, 0x3, true);	/* data, read/write, accessed */
	sregs.es = sregs.ds;
	sregs.fs = sregs.ds;
	sregs.gs = sregs.ds;
	sregs.ss = sregs.ds;
	segment_reset(&sregs.tr, 0xb, false);	/* busy TSS */
	segment_reset(&sregs.ldt, 0x2, false);	/* LDT */
	sregs.gdt.limit = 0xffff;
	sregs.idt.limit = 0xffff;
	sregs.cr0 = RESET_CR0;
	static_call(kvm_x86_set_sregs)(vcpu, &sregs);
	vcpu->exception.type = KVM_X86_EVENT_NONE;
	vcpu->interrupt.type = KVM_X86_EVENT_NONE;
	vcpu->nmi.type = KVM_X86_EVENT_NONE;
	vcpu->nmi_pending = 0;
	static_call_cond(kvm_x86_set_nmi_mask)(vcpu, false);
	static_call_cond(kvm_x86_set_interrupt_shadow)(vcpu, 0);
	kvm_x86_dr_reset(vcpu);
	if (!init) {
		kvm_x86_msr_reset(vcpu);
		kvm_x86_fpu_reset(vcpu);
	}
	kvm_lapic_reset(vcpu);
}

static u64 cr4_supported(void)
{
	struct kvm_cpuid_entry2 leaf1 = { .function = 1 };
	u64 cr4 = X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE |
		  X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE |
		  X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;

	/* VMXE where the backend offers nested VMX. */
	kvm_x86_nested_cpuid(&leaf1);
	if (leaf1.ecx & BIT(X86_FEATURE_VMX & 31))
		cr4 |= X86_CR4_VMXE;

	if (boot_cpu_has(X86_FEATURE_FSGSBASE))
		cr4 |= X86_CR4_FSGSBASE;
	if (boot_cpu_has(X86_FEATURE_PCID))
		cr4 |= X86_CR4_PCIDE;
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		cr4 |= X86_CR4_OSXSAVE;
	if (boot_cpu_has(X86_FEATURE_SMEP))
		cr4 |= X86_CR4_SMEP;
	if (boot_cpu_has(X86_FEATURE_SMAP))
		cr4 |= X86_CR4_SMAP;
	if (boot_cpu_has(X86_FEATURE_UMIP))
		cr4 |= X86_CR4_UMIP;
	if (boot_cpu_has(X86_FEATURE_PKU))
		cr4 |= X86_CR4_PKE;
	return cr4;
}

/**
 * kvm_x86_efer_supported() - the EFER bits a guest may have
 *
 * Return: the mask of them.
 */
u64 kvm_x86_efer_supported(void)
{
	u64 efer = EFER_SCE | EFER_LME | EFER_LMA | kvm_x86_nested_efer();

	if (boot_cpu_has(X86_FEATURE_NX))
		efer |= EFER_NX;
	return efer;
}

/*
 * Reject what no processor could hold: reserved bits, and the mode
 * combinations the SDM calls invalid (vol. 3A, 2.5 and 9.8.5).
 */
static bool sregs_valid(const struct kvm_sregs *sregs)
{
	bool long_mode = (sregs->efer & EFER_LME) && (sregs->cr0 & X86_CR0_PG);

	if (sregs->cr0 >> 32 || sregs->cr4 & ~cr4_supported() ||
	    sregs->efer & ~kvm_x86_efer_supported())
		return false;
	if ((sregs->cr0 & X86_CR0_PG) && !(sregs->cr0 & X86_CR0_PE))
		return false;
	if ((sregs->cr0 & X86_CR0_NW) && !(sregs->cr0 & X86_CR0_CD))
		return false;
	if (long_mode != !!(sregs->efer & EFER_LMA))
		return false;
	if (long_mode && !(sregs->cr4 & X86_CR4_PAE))
		return false;
	return true;
}

/**
 * kvm_x86_cpl() - the current privilege level
 * @sregs: the vCPU's segment and control registers
 * @rflags: its RFLAGS
 *
 * Return: 0 in real mode, 3 in virtual-8086 mode, else the DPL of SS
 * (which the processor keeps equal to CS.RPL).
 */
u8 kvm_x86_cpl(const struct kvm_sregs *sregs, unsigned long rflags)
{
	if (!(sregs->cr0 & X86_CR0_PE))
		return 0;
	if (rflags & X86_EFLAGS_VM)
		return 3;
	return sregs->ss.dpl;
}

/**
 * kvm_x86_get_regs() - the general purpose registers, RIP and RFLAGS
 * @vcpu: the vCPU, loaded
 * @regs: filled in
 */
void kvm_x86_get_regs(struct kvm_x86_vcpu *vcpu, struct kvm_regs *regs)
{
	*regs = (struct kvm_regs) {
		.rax = vcpu->regs[VCPU_RAX], .rbx = vcpu->regs[VCPU_RBX],
		.rcx = vcpu->regs[VCPU_RCX], .rdx = vcpu->regs[VCPU_RDX],
		.rsi = vcpu->regs[VCPU_RSI], .rdi = vcpu->regs[VCPU_RDI],
		.rsp = vcpu->regs[VCPU_RSP], .rbp = vcpu->regs[VCPU_RBP],
		.r8 = vcpu->regs[VCPU_R8], .r9 = vcpu->regs[VCPU_R9],
		.r10 = vcpu->regs[VCPU_R10], .r11 = vcpu->regs[VCPU_R11],
		.r12 = vcpu->regs[VCPU_R12], .r13 = vcpu->regs[VCPU_R13],
		.r14 = vcpu->regs[VCPU_R14], .r15 = vcpu->regs[VCPU_R15],
		.rip = vcpu->rip, .rflags = vcpu->rflags,
	};
}

/**
 * kvm_x86_set_regs() - set what kvm_x86_get_regs() gets
 * @vcpu: the vCPU, loaded
 * @regs: the values; every value is possible
 */
void kvm_x86_set_regs(struct kvm_x86_vcpu *vcpu, const struct kvm_regs *regs)
{
	vcpu->regs[VCPU_RAX] = regs->rax;
	vcpu->regs[VCPU_RBX] = regs->rbx;
	vcpu->regs[VCPU_RCX] = regs->rcx;
	vcpu->regs[VCPU_RDX] = regs->rdx;
	vcpu->regs[VCPU_RSI] = regs->rsi;
	vcpu->regs[VCPU_RDI] = regs->rdi;
	vcpu->regs[VCPU_RSP] = regs->rsp;
	vcpu->regs[VCPU_RBP] = regs->rbp;
	vcpu->regs[VCPU_R8] = regs->r8;
	vcpu->regs[VCPU_R9] = regs->r9;
	vcpu->regs[VCPU_R10] = regs->r10;
	vcpu->regs[VCPU_R11] = regs->r11;
	vcpu->regs[VCPU_R12] = regs->r12;
	vcpu->regs[VCPU_R13] = regs->r13;
	vcpu->regs[VCPU_R14] = regs->r14;
	vcpu->regs[VCPU_R15] = regs->r15;
	vcpu->rip = regs->rip;
	/* A debugger that moves the RIP did not complete a single step. */
	vcpu->debug.step_rip = regs->rip;
	/* Bit 1 of RFLAGS always reads as 1. */
	vcpu->rflags = regs->rflags | X86_EFLAGS_FIXED;
}

static long kvm_get_regs(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_regs regs;

	kvm_x86_get_regs(vcpu, &regs);
	return copy_to_user(argp, &regs, sizeof(regs)) ? -EFAULT : 0;
}

static long kvm_set_regs(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_regs regs;

	if (copy_from_user(&regs, argp, sizeof(regs)))
		return -EFAULT;
	kvm_x86_set_regs(vcpu, &regs);
	return 0;
}

/**
 * kvm_x86_get_sregs() - the segment, control and descriptor table
 *	registers, EFER and the APIC base
 * @vcpu: the vCPU, loaded
 * @sregs: filled in
 */
void kvm_x86_get_sregs(struct kvm_x86_vcpu *vcpu, struct kvm_sregs *sregs)
{
	memset(sregs, 0, sizeof(*sregs));
	static_call(kvm_x86_get_sregs)(vcpu, sregs);
	sregs->apic_base = vcpu->apic_base;
}

static long kvm_get_sregs(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_sregs sregs;

	kvm_x86_get_sregs(vcpu, &sregs);
	return copy_to_user(argp, &sregs, sizeof(sregs)) ? -EFAULT : 0;
}

/**
 * kvm_x86_set_sregs() - set what kvm_x86_get_sregs() gets
 * @vcpu: the vCPU, loaded
 * @sregs: the values
 *
 * Return: 0, or -EINVAL for a state no processor could be in.
 */
int kvm_x86_set_sregs(struct kvm_x86_vcpu *vcpu, const struct kvm_sregs *sregs)
{
	if (!sregs_valid(sregs) ||
	    kvm_x86_set_msr(vcpu, MSR_IA32_APICBASE, sregs->apic_base, true))
		return -EINVAL;
	static_call(kvm_x86_set_sregs)(vcpu, sregs);
	return 0;
}

static long kvm_set_sregs(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_sregs sregs;

	if (copy_from_user(&sregs, argp, sizeof(sregs)))
		return -EFAULT;
	return kvm_x86_set_sregs(vcpu, &sregs);
}

/*
 * struct kvm_sregs2 is struct kvm_sregs up to apic_base, then flags and
 * the PDPTEs where struct kvm_sregs has its interrupt bitmap.
 */
#define SREGS_COMMON	offsetof(struct kvm_sregs, interrupt_bitmap)
static_assert(offsetof(struct kvm_sregs2, flags) == SREGS_COMMON);

static bool pae_paging(const struct kvm_sregs *sregs)
{
	return (sregs->cr0 & X86_CR0_PG) && (sregs->cr4 & X86_CR4_PAE) &&
	       !(sregs->efer & EFER_LMA);
}

/*
 * KVM_GET_SREGS2: as KVM_GET_SREGS, and with PAE paging the PDPTEs the
 * processor uses (which it loaded from memory when CR3 was loaded).
 */
static long kvm_get_sregs2(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_sregs2 s2 = {};
	struct kvm_sregs sregs;

	kvm_x86_get_sregs(vcpu, &sregs);
	memcpy(&s2, &sregs, SREGS_COMMON);
	if (pae_paging(&sregs)) {
		static_call(kvm_x86_get_pdptes)(vcpu, s2.pdptrs);
		s2.flags = KVM_SREGS2_FLAGS_PDPTRS_VALID;
	}
	return copy_to_user(argp, &s2, sizeof(s2)) ? -EFAULT : 0;
}

/*
 * KVM_SET_SREGS2: as KVM_SET_SREGS; PDPTEs given with PAE paging replace
 * the ones read from memory (a VMM restoring a vCPU whose page tables
 * changed after its CR3 load).  PDPTEs without PAE paging are -EINVAL.
 */
static long kvm_set_sregs2(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_sregs sregs = {};
	struct kvm_sregs2 s2;
	bool pdptes;
	int ret;

	if (copy_from_user(&s2, argp, sizeof(s2)))
		return -EFAULT;
	memcpy(&sregs, &s2, SREGS_COMMON);
	pdptes = s2.flags & KVM_SREGS2_FLAGS_PDPTRS_VALID;
	if ((s2.flags & ~KVM_SREGS2_FLAGS_PDPTRS_VALID) ||
	    (pdptes && !pae_paging(&sregs)))
		return -EINVAL;
	ret = kvm_x86_set_sregs(vcpu, &sregs);
	if (!ret && pdptes)
		static_call_cond(kvm_x86_set_pdptes)(vcpu, s2.pdptrs);
	return ret;
}

/*
 * KVM_CAP_SYNC_REGS: register sets in the run page.  Userspace marks the
 * sets it changed in kvm_dirty_regs, and KVM_RUN takes them as the
 * ioctls would, first thing; it asks for sets in kvm_valid_regs, and
 * KVM_RUN leaves them there when it returns.  The page is userspace's
 * while the vCPU runs (another of its threads may write it), so each set
 * is copied once and the copy checked and used.
 */
int kvm_x86_sync_regs_in(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->vcpu.run;
	u64 dirty = READ_ONCE(run->kvm_dirty_regs);
	int ret = 0;

	if ((dirty | READ_ONCE(run->kvm_valid_regs)) &
	    ~KVM_SYNC_X86_VALID_FIELDS)
		return -EINVAL;
	if (dirty & KVM_SYNC_X86_REGS) {
		struct kvm_regs regs;

		memcpy(&regs, &run->s.regs.regs, sizeof(regs));
		kvm_x86_set_regs(vcpu, &regs);
		dirty &= ~KVM_SYNC_X86_REGS;
	}
	if (dirty & KVM_SYNC_X86_SREGS) {
		struct kvm_sregs sregs;

		memcpy(&sregs, &run->s.regs.sregs, sizeof(sregs));
		ret = kvm_x86_set_sregs(vcpu, &sregs);
		if (!ret)
			dirty &= ~KVM_SYNC_X86_SREGS;
	}
	if (!ret && (dirty & KVM_SYNC_X86_EVENTS)) {
		struct kvm_vcpu_events events;

		memcpy(&events, &run->s.regs.events, sizeof(events));
		ret = kvm_x86_set_events(vcpu, &events);
		if (!ret)
			dirty &= ~KVM_SYNC_X86_EVENTS;
	}
	/* What was taken is no longer dirty. */
	WRITE_ONCE(run->kvm_dirty_regs, dirty);
	return ret;
}

void kvm_x86_sync_regs_out(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->vcpu.run;
	u64 valid = READ_ONCE(run->kvm_valid_regs);

	if (valid & ~KVM_SYNC_X86_VALID_FIELDS)
		return;
	if (valid & KVM_SYNC_X86_REGS)
		kvm_x86_get_regs(vcpu, &run->s.regs.regs);
	if (valid & KVM_SYNC_X86_SREGS)
		kvm_x86_get_sregs(vcpu, &run->s.regs.sregs);
	if (valid & KVM_SYNC_X86_EVENTS)
		kvm_x86_get_events(vcpu, &run->s.regs.events);
}

/**
 * kvm_x86_regs_ioctl() - the register state ioctls of a vCPU
 * @vcpu: the vCPU, loaded
 * @ioctl: the ioctl
 * @argp: its argument
 *
 * Return: 0, -EFAULT, -EINVAL for impossible state, or -ENOTTY for an
 * ioctl that is not about registers.
 */
long kvm_x86_regs_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
			void __user *argp)
{
	switch (ioctl) {
	case KVM_GET_REGS:
		return kvm_get_regs(vcpu, argp);
	case KVM_SET_REGS:
		return kvm_set_regs(vcpu, argp);
	case KVM_GET_SREGS:
		return kvm_get_sregs(vcpu, argp);
	case KVM_SET_SREGS:
		return kvm_set_sregs(vcpu, argp);
	case KVM_GET_SREGS2:
		return kvm_get_sregs2(vcpu, argp);
	case KVM_SET_SREGS2:
		return kvm_set_sregs2(vcpu, argp);
	default:
		return -ENOTTY;
	}
}
