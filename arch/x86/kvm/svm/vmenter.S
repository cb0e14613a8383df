/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SVM world switch.
 *
 * VMRUN saves and restores only part of the host state (RIP, RSP, RAX,
 * RFLAGS, the control registers, EFER, CS/DS/ES/SS and the descriptor
 * tables); the rest of the state that VMLOAD and VMSAVE move (FS, GS, TR,
 * LDTR, KernelGSBase and the SYSCALL/SYSENTER MSRs) was saved to the
 * CPU's host save area when the vCPU was loaded, and is restored from it
 * right after the guest's is saved.  Between the guest's VMLOAD and the
 * host's the kernel's GS base is the guest's, so nothing here may touch
 * per-CPU data, and GIF is clear, so neither interrupts nor NMIs can
 * arrive.
 *
 * The general purpose registers other than RAX and RSP (which the VMCB
 * holds) are loaded from and saved to the vCPU's regs[] array.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

#include "../vmenter-gprs.S"

.section .noinstr.text, "ax"

/*
 * void __svm_vcpu_run(unsigned long *regs, phys_addr_t vmcb_pa,
 *		       phys_addr_t host_save_pa)
 *
 * Called with interrupts disabled and GIF clear.
 */
SYM_FUNC_START(__svm_vcpu_run)
	push	%rbp
	mov	%rsp, %rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx
	push	%rdx		/* host save area */
	push	%rsi		/* VMCB */
	push	%rdi		/* regs */

	mov	%rsi, %rax
	vmload	%rax

	LOAD_GUEST_GPRS %rdi

	/*
	 * With GIF clear, STI only lets physical interrupts reach the
	 * guest, where they cause an exit (V_INTR_MASKING), instead of
	 * being held off for as long as the guest runs.
	 */
	sti
	vmrun	%rax
	cli

	/* RAX and RSP are the host's again; the rest are the guest's. */
	mov	(%rsp), %rax
	STORE_GUEST_GPRS %rax

	mov	8(%rsp), %rax
	vmsave	%rax
	mov	16(%rsp), %rax
	vmload	%rax

	/* The guest must not steer the host's returns. */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT

	CLEAR_GUEST_GPRS

	add	$24, %rsp
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(__svm_vcpu_run)
