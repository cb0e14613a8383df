// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest debugging (KVM_SET_GUEST_DEBUG): a debugger in userspace, such as
 * QEMU's gdbstub, single-steps the guest and sets breakpoints in it.
 *
 * Single steps use RFLAGS.TF, set for the entry and taken away again
 * after the exit so that the guest never sees it in its registers, and
 * the #DB it raises, which the backend intercepts.  An instruction that
 * exits and is completed by us (CPUID, a port or MMIO access, WRMSR...)
 * never raises that #DB: a step is over when the RIP at the next entry
 * differs from the one at the last exit that ended a step, unless
 * userspace set it (KVM_SET_REGS).  Software breakpoints are INT3
 * instructions the debugger wrote into the guest: the backend intercepts
 * #BP.  Hardware breakpoints are the debugger's DR0-DR3 and DR7, loaded
 * into the processor for the guest (the guest's own debug registers stay
 * virtual: its MOV DR always exits), with #DB intercepted; a guest MOV DR
 * with the debugger's DR7.GD set is a general-detect exit.
 *
 * Each of these ends KVM_RUN with KVM_EXIT_DEBUG: the vector, the linear
 * address of the instruction, DR6 as the #DB would have set it, and DR7.
 * KVM_GUESTDBG_INJECT_DB and _INJECT_BP give the guest a #DB or #BP the
 * debugger does not want for itself; KVM_GUESTDBG_BLOCKIRQ keeps
 * interrupts and NMIs out while debugging (a step does not land in an
 * interrupt handler).
 */
#include <linux/kvm.h>
#include <linux/uaccess.h>
#include <asm/debugreg.h>
#include <asm/trapnr.h>

#include "x86.h"

#define KVM_GUESTDBG_VALID	(KVM_GUESTDBG_ENABLE | \
				 KVM_GUESTDBG_SINGLESTEP | \
				 KVM_GUESTDBG_USE_SW_BP | \
				 KVM_GUESTDBG_USE_HW_BP | \
				 KVM_GUESTDBG_INJECT_DB | \
				 KVM_GUESTDBG_INJECT_BP | \
				 KVM_GUESTDBG_BLOCKIRQ)

/**
 * kvm_x86_guest_debug_caps() - KVM_CAP_SET_GUEST_DEBUG2
 *
 * Return: the KVM_GUESTDBG_* bits KVM_SET_GUEST_DEBUG takes.
 */
u32 kvm_x86_guest_debug_caps(void)
{
	return KVM_GUESTDBG_VALID;
}

static long kvm_set_guest_debug(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_x86_debug *d = &vcpu->debug;
	struct kvm_guest_debug dbg;
	u32 control;

	if (!kvm_x86_guest_debug_supported())
		return -EINVAL;
	if (copy_from_user(&dbg, argp, sizeof(dbg)))
		return -EFAULT;
	control = dbg.control;
	if (control & ~KVM_GUESTDBG_VALID)
		return -EINVAL;
	/* VM entry refuses the high half of DR7 (SDM vol. 3C, 27.3.1.1). */
	if ((control & KVM_GUESTDBG_USE_HW_BP) && dbg.arch.debugreg[7] >> 32)
		return -EINVAL;
	/* Userspace gives the exception even without ENABLE (QEMU does). */
	if (control & (KVM_GUESTDBG_INJECT_DB | KVM_GUESTDBG_INJECT_BP)) {
		if (vcpu->exception.type)
			return -EBUSY;
		kvm_x86_queue_exception(vcpu, control & KVM_GUESTDBG_INJECT_DB ?
					X86_TRAP_DB : X86_TRAP_BP, false, 0);
	}
	control &= ~(KVM_GUESTDBG_INJECT_DB | KVM_GUESTDBG_INJECT_BP);
	d->control = control & KVM_GUESTDBG_ENABLE ? control : 0;
	memcpy(d->db, dbg.arch.debugreg, sizeof(d->db));
	d->dr7 = dbg.arch.debugreg[7];
	d->step_rip = vcpu->rip;
	kvm_x86_set_guest_debug(vcpu);
	return 0;
}

/**
 * kvm_x86_debug_ioctl() - KVM_SET_GUEST_DEBUG
 * @vcpu: the vCPU, loaded, not running
 * @ioctl: the ioctl
 * @argp: its argument
 *
 * Return: 0, -EFAULT, -EINVAL for unknown control bits or a DR7 the
 * processor refuses, -EBUSY for an exception to inject while another
 * waits, or -ENOTTY for another ioctl.
 */
long kvm_x86_debug_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
			 void __user *argp)
{
	if (ioctl != KVM_SET_GUEST_DEBUG)
		return -ENOTTY;
	return kvm_set_guest_debug(vcpu, argp);
}

/**
 * kvm_x86_debug_exit() - stop for the debugger: KVM_EXIT_DEBUG
 * @vcpu: the vCPU, after an exit
 * @vector: X86_TRAP_DB or X86_TRAP_BP
 * @dr6: DR6 as the #DB would set it (B0-B3, BD, BS); ignored for #BP
 *
 * The next single step starts from here.
 *
 * Return: 0, for the exit to userspace.
 */
int kvm_x86_debug_exit(struct kvm_x86_vcpu *vcpu, u8 vector, u64 dr6)
{
	struct kvm_debug_exit_arch *a = &vcpu->vcpu.run->debug.arch;
	struct kvm_sregs sregs;

	static_call(kvm_x86_get_sregs)(vcpu, &sregs);
	vcpu->vcpu.run->exit_reason = KVM_EXIT_DEBUG;
	a->exception = vector;
	a->pc = sregs.cs.base + vcpu->rip;
	a->dr6 = vector == X86_TRAP_DB ? DR6_RESERVED | dr6 : 0;
	a->dr7 = kvm_x86_debug_dr7(vcpu);
	vcpu->debug.step_rip = vcpu->rip;
	return 0;
}
EXPORT_SYMBOL_GPL(kvm_x86_debug_exit);

/**
 * kvm_x86_debug_mov_dr() - does the guest's MOV DR stop for the debugger?
 * @vcpu: the vCPU, at a MOV to or from a debug register that exited
 *
 * With the debugger's DR7.GD set, the instruction is a general-detect
 * #DB, whether the processor raised it or the MOV DR exit came first.
 *
 * Return: 0 after a KVM_EXIT_DEBUG, or 1 if the MOV DR is the guest's.
 */
int kvm_x86_debug_mov_dr(struct kvm_x86_vcpu *vcpu)
{
	if ((vcpu->debug.control & KVM_GUESTDBG_USE_HW_BP) &&
	    (vcpu->debug.dr7 & KVM_DR7_GD))
		return kvm_x86_debug_exit(vcpu, X86_TRAP_DB, KVM_DR6_BD);
	return 1;
}
EXPORT_SYMBOL_GPL(kvm_x86_debug_mov_dr);

/**
 * kvm_x86_debug_step_done() - did we complete the instruction stepped?
 * @vcpu: the vCPU, before an entry
 *
 * Return: 0 after a KVM_EXIT_DEBUG for a step that ended without a #DB,
 * or 1 to enter the guest.
 */
int kvm_x86_debug_step_done(struct kvm_x86_vcpu *vcpu)
{
	if ((vcpu->debug.control & KVM_GUESTDBG_SINGLESTEP) &&
	    vcpu->rip != vcpu->debug.step_rip)
		return kvm_x86_debug_exit(vcpu, X86_TRAP_DB, DR_STEP);
	return 1;
}

/**
 * kvm_x86_debug_enter() - arm the debugger's steps and breakpoints
 * @vcpu: the vCPU, right before the entry (interrupts off)
 *
 * The host's DR7 is cleared before DR0-DR3 take the debugger's addresses,
 * so that no host breakpoint hits one of them before the entry; the exit
 * disables the guest's again and the backend restores the host's.
 */
void kvm_x86_debug_enter(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_x86_debug *d = &vcpu->debug;

	if ((d->control & KVM_GUESTDBG_SINGLESTEP) &&
	    !(vcpu->rflags & X86_EFLAGS_TF)) {
		vcpu->rflags |= X86_EFLAGS_TF;
		d->tf_set = true;
	}
	if (d->control & KVM_GUESTDBG_USE_HW_BP) {
		set_debugreg(0, 7);
		set_debugreg(d->db[0], 0);
		set_debugreg(d->db[1], 1);
		set_debugreg(d->db[2], 2);
		set_debugreg(d->db[3], 3);
	}
}

