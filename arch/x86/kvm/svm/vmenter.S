/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SVM world switch.
 *
 * VMRUN saves and restores only part of the host state (RIP, RSP, RAX,
 * RFLAGS, the control registers, EFER, CS/DS/ES/SS and the descriptor
 * tables); the rest of the state that VMLOAD and VMSAVE move (FS, GS, TR,
 * LDTR, KernelGSBase and the SYSCALL/SYSENTER MSRs) is saved to the
 * CPU's host save area before the guest's is loaded, and restored right
 * after the guest's is saved.  Between the two the kernel's GS base is the
 * guest's, so nothing here may touch per-CPU data, and GIF is clear, so
 * neither interrupts nor NMIs can arrive.
 *
 * The general purpose registers other than RAX and RSP (which the VMCB
 * holds) are loaded from and saved to the vCPU's regs[] array.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

#define REG(n)	((n) * 8)

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

	mov	%rdx, %rax
	vmsave	%rax
	mov	%rsi, %rax
	vmload	%rax

	mov	REG(1)(%rdi), %rcx
	mov	REG(2)(%rdi), %rdx
	mov	REG(3)(%rdi), %rbx
	mov	REG(5)(%rdi), %rbp
	mov	REG(6)(%rdi), %rsi
	mov	REG(8)(%rdi), %r8
	mov	REG(9)(%rdi), %r9
	mov	REG(10)(%rdi), %r10
	mov	REG(11)(%rdi), %r11
	mov	REG(12)(%rdi), %r12
	mov	REG(13)(%rdi), %r13
	mov	REG(14)(%rdi), %r14
	mov	REG(15)(%rdi), %r15
	mov	REG(7)(%rdi), %rdi

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
	mov	%rcx, REG(1)(%rax)
	mov	%rdx, REG(2)(%rax)
	mov	%rbx, REG(3)(%rax)
	mov	%rbp, REG(5)(%rax)
	mov	%rsi, REG(6)(%rax)
	mov	%rdi, REG(7)(%rax)
	mov	%r8, REG(8)(%rax)
	mov	%r9, REG(9)(%rax)
	mov	%r10, REG(10)(%rax)
	mov	%r11, REG(11)(%rax)
	mov	%r12, REG(12)(%rax)
	mov	%r13, REG(13)(%rax)
	mov	%r14, REG(14)(%rax)
	mov	%r15, REG(15)(%rax)

	mov	8(%rsp), %rax
	vmsave	%rax
	mov	16(%rsp), %rax
	vmload	%rax

	/* The guest must not steer the host's returns. */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT

	/* Leave no guest value in a register the compiler may spill. */
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d

	add	$24, %rsp
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(__svm_vcpu_run)
