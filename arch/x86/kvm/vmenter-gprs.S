/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Macros included by the SVM and VMX world switches: they move the
 * guest's general purpose registers between the CPU and the vCPU's regs[]
 * array (struct kvm_x86_vcpu, indexed by enum kvm_x86_reg).  RAX and RSP
 * are left to the caller: where they live differs between the two.
 */

#define GUEST_REG(n)	((n) * 8)

/* Load RCX..R15 from the array at \regs; \regs must be %rdi. */
.macro LOAD_GUEST_GPRS regs:req
	mov	GUEST_REG(1)(\regs), %rcx
	mov	GUEST_REG(2)(\regs), %rdx
	mov	GUEST_REG(3)(\regs), %rbx
	mov	GUEST_REG(5)(\regs), %rbp
	mov	GUEST_REG(6)(\regs), %rsi
	mov	GUEST_REG(8)(\regs), %r8
	mov	GUEST_REG(9)(\regs), %r9
	mov	GUEST_REG(10)(\regs), %r10
	mov	GUEST_REG(11)(\regs), %r11
	mov	GUEST_REG(12)(\regs), %r12
	mov	GUEST_REG(13)(\regs), %r13
	mov	GUEST_REG(14)(\regs), %r14
	mov	GUEST_REG(15)(\regs), %r15
	/* Last: it holds the address of the array. */
	mov	GUEST_REG(7)(\regs), %rdi
.endm

/* Store RCX..R15 to the array at \regs; \regs must be %rax. */
.macro STORE_GUEST_GPRS regs:req
	mov	%rcx, GUEST_REG(1)(\regs)
	mov	%rdx, GUEST_REG(2)(\regs)
	mov	%rbx, GUEST_REG(3)(\regs)
	mov	%rbp, GUEST_REG(5)(\regs)
	mov	%rsi, GUEST_REG(6)(\regs)
	mov	%rdi, GUEST_REG(7)(\regs)
	mov	%r8, GUEST_REG(8)(\regs)
	mov	%r9, GUEST_REG(9)(\regs)
	mov	%r10, GUEST_REG(10)(\regs)
	mov	%r11, GUEST_REG(11)(\regs)
	mov	%r12, GUEST_REG(12)(\regs)
	mov	%r13, GUEST_REG(13)(\regs)
	mov	%r14, GUEST_REG(14)(\regs)
	mov	%r15, GUEST_REG(15)(\regs)
.endm

/*
 * Leave no guest value in a caller-saved register, which the compiler
 * may spill; the callee-saved ones are restored from the stack.
 */
.macro CLEAR_GUEST_GPRS
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
.endm
