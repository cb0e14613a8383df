/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMX world switch.
 *
 * VM entry loads the guest's RSP, RIP and RFLAGS from the VMCS and VM exit
 * loads the host's RSP and RIP (vmx_vmexit) from it; the other general
 * purpose registers are loaded from and saved to the vCPU's regs[] array
 * here.  HOST_RSP is written right before the entry, since it is this
 * function's stack pointer.
 */
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/segment.h>

#include "../vmenter-gprs.S"
/* Encoding of the VMCS field HOST_RSP (SDM vol. 3D, B.4.4). */
#define VMCS_HOST_RSP	0x6c14

.section .noinstr.text, "ax"

/*
 * bool __vmx_vcpu_run(unsigned long *regs, bool launched)
 *
 * Called with interrupts disabled and the vCPU's VMCS current.  Returns
 * true if VMLAUNCH/VMRESUME itself failed (VMfail), false after a VM exit.
 */
SYM_FUNC_START(__vmx_vcpu_run)
	push	%rbp
	mov	%rsp, %rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx
	push	%rdi		/* regs */

	mov	$VMCS_HOST_RSP, %eax
	vmwrite	%rsp, %rax
	jbe	.Lfail_early

	/* Keep "launched" in the flags: the loads below do not touch them. */
	test	%sil, %sil

	mov	GUEST_REG(0)(%rdi), %rax
	LOAD_GUEST_GPRS %rdi

	jnz	.Lresume
	vmlaunch
	jmp	.Lfail
.Lresume:
	vmresume
	jbe	.Lfail

/* VM exits land here, with the stack pointer of the entry. */
SYM_INNER_LABEL(vmx_vmexit, SYM_L_GLOBAL)
	/* Reached by VM exit, never by an indirect branch. */
	ANNOTATE_NOENDBR
	push	%rax
	mov	8(%rsp), %rax
	pop	GUEST_REG(0)(%rax)
	STORE_GUEST_GPRS %rax
	xor	%ebx, %ebx
	jmp	.Lout

.Lfail:
	mov	$1, %ebx
	jmp	.Lout
.Lfail_early:
	mov	$1, %ebx

.Lout:
	/* The guest must not steer the host's returns. */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT

	CLEAR_GUEST_GPRS

	mov	%ebx, %eax
	add	$8, %rsp
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(__vmx_vcpu_run)

.section .text, "ax"

/*
 * void vmx_do_nmi_irqoff(void)
 *
 * An NMI that arrived in the guest exited it instead of reaching the
 * host, and NMIs stay blocked until the next IRET: call the host's NMI
 * handler with the frame an NMI would have pushed, so that its IRET both
 * returns here and unblocks NMIs.
 */
SYM_FUNC_START(vmx_do_nmi_irqoff)
	push	%rbp
	mov	%rsp, %rbp
	and	$-16, %rsp
	push	$__KERNEL_DS
	push	%rbp
	pushf
	push	$__KERNEL_CS
	call	asm_exc_nmi_kvm_vmx
	leave
	RET
SYM_FUNC_END(vmx_do_nmi_irqoff)
