// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested VMX: a 64-bit guest (L1) runs a guest of its own (L2) with
 * VMXON, VMCLEAR, VMPTRLD, VMWRITE and VMLAUNCH/VMRESUME.  The test puts
 * a table of (field, value) pairs in guest memory; L1 VMWRITEs them all,
 * enters L2 and, when L2 exits to it, reports two fields it VMREADs (or
 * the VMfail flags and the instruction error).  L2's programs check the
 * exits L1 asks for (CPUID and VMCALL always; I/O and MSR bitmaps; the
 * exception bitmap; CR0 bits L1 owns), those it does not (handled as
 * L1's own: an OUT reaches userspace, L2 goes on after it), the TSC
 * offset (and multiplier, where TSC scaling is offered) and CR0 read
 * shadow L2 sees, L2's PAT that L1 finds after an
 * exit that does not load it, the entry checks (VMLAUNCH of a
 * launched VMCS, a bad control, a bad event to inject, bad guest state)
 * and a triple fault of L2.  VMX needs CR4.VMXE (#UD) and
 * IA32_FEATURE_CONTROL (#GP); the instructions #UD after VMXOFF.  With
 * the in-kernel APIC, an interrupt for L1 while L2 runs is an exit to
 * L1, which acknowledges the interrupt if L1 asks for that.  L2's
 * accesses to a page L1 virtualizes APIC accesses to exit to L1.  With
 * VMCS shadowing, L2's VMREAD and VMWRITE work on L1's shadow VMCS unless
 * L1's bitmaps take them; a shadow VMCS cannot be launched.  The vCPU
 * moves to a new VM (KVM_GET/SET_NESTED_STATE with the rest of its
 * state) in L2, in L1 between two runs of L2, and in SMM entered from
 * L2; an SMI in L2 leaves VMX operation and RSM goes back into L2.
 *
 * Only where KVM offers VMX: elsewhere every case is skipped.
 *
 * Named to run late in a boot of the harness, which runs the tests in
 * alphabetical order: under Bochs 2.7, after the SMIs this test takes in
 * L2, nmi_test run later in the same boot fails from its first case on
 * (a new vCPU shows an NMI latched, blocked or handled), with upstream
 * KVM as with ours; alone, or before this test, it passes on both.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/const.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define L2_GPA		0x3000
#define STACK		0x8000
#define L2_STACK	0x9000
#define VMXON_GPA	0x10000
#define VMCS_GPA	0x11000
#define IO_BITMAP_GPA	0x12000		/* A and B */
#define MSR_BITMAP_GPA	0x14000
#define TABLE_GPA	0x15000
#define TSS_GPA		0x16000ULL
#define VARS_GPA	0x17000
#define APIC_ACCESS_GPA	0x18000
#define SHADOW_GPA	0x19000
#define VMREAD_BITMAP_GPA 0x1a000
#define VMWRITE_BITMAP_GPA 0x1b000
#define MEM_SIZE	0x20000
#define SMBASE		0x30000		/* SMRAM, memory slot address space 1 */
#define SMRAM_SIZE	0x10000

/* What L1 reads: its pointers, what to report, what to do. */
/* At VARS_GPA; plain numbers, for the assembler. */
#define VAR_VMXON	0x17000
#define VAR_VMCS	0x17008
#define VAR_FIELD_A	0x17010
#define VAR_FIELD_B	0x17018
#define VAR_RESUME	0x17020
#define VAR_RESULT	0x17028
#define VAR_SHADOW	0x17030
#define VAR_SH_FIELD	0x17038
#define VAR_SH_VALUE	0x17040
#define VAR_RESULT2	0x17048

#define MSR_IA32_FEAT_CTL		0x3a
#define MSR_IA32_SYSENTER_CS		0x174
#define MSR_IA32_TSC			0x10
#define MSR_IA32_CR_PAT			0x277
#define MSR_IA32_VMX_BASIC		0x480
#define MSR_IA32_VMX_TRUE_PINBASED	0x48d
#define MSR_IA32_VMX_TRUE_PROCBASED	0x48e
#define MSR_IA32_VMX_TRUE_EXIT		0x48f
#define MSR_IA32_VMX_TRUE_ENTRY		0x490
#define MSR_IA32_VMX_PROCBASED_CTLS2	0x48b
#define FEAT_CTL_LOCKED_VMX		0x5

#define X86_CR0_TS	0x8
#define X86_CR4_VMXE	0x2000
#define UD_VECTOR	6
#define GP_VECTOR	13

/* Field encodings (SDM vol. 3D, appendix B). */
#define IO_BITMAP_A		0x2000
#define IO_BITMAP_B		0x2002
#define MSR_BITMAP		0x2004
#define TSC_OFFSET		0x2010
#define TSC_MULTIPLIER		0x2032
#define APIC_ACCESS_ADDR	0x2014
#define VMREAD_BITMAP		0x2026
#define VMWRITE_BITMAP		0x2028
#define VMCS_LINK_POINTER	0x2800
#define PIN_CONTROLS		0x4000
#define PROC_CONTROLS		0x4002
#define EXCEPTION_BITMAP	0x4004
#define EXIT_CONTROLS		0x400c
#define ENTRY_CONTROLS		0x4012
#define ENTRY_INTR_INFO		0x4016
#define SECONDARY_CONTROLS	0x401e
#define INSN_ERROR		0x4400
#define EXIT_REASON		0x4402
#define EXIT_INTR_INFO		0x4404
#define GUEST_ES_SELECTOR	0x0800
#define GUEST_ES_LIMIT		0x4800
#define GUEST_GDTR_LIMIT	0x4810
#define GUEST_IDTR_LIMIT	0x4812
#define GUEST_ES_AR		0x4814
#define GUEST_SYSENTER_CS	0x482a
#define HOST_ES_SELECTOR	0x0c00
#define HOST_SYSENTER_CS	0x4c00
#define CR0_MASK		0x6000
#define CR4_MASK		0x6002
#define CR0_SHADOW		0x6004
#define CR4_SHADOW		0x6006
#define EXIT_QUALIFICATION	0x6400
#define GUEST_CR0		0x6800
#define GUEST_CR3		0x6802
#define GUEST_CR4		0x6804
#define GUEST_ES_BASE		0x6806
#define GUEST_GDTR_BASE		0x6816
#define GUEST_IDTR_BASE		0x6818
#define GUEST_DR7		0x681a
#define GUEST_RSP		0x681c
#define GUEST_RIP		0x681e
#define GUEST_RFLAGS		0x6820
#define HOST_CR0		0x6c00
#define HOST_CR3		0x6c02
#define HOST_CR4		0x6c04
#define HOST_FS_BASE		0x6c06
#define HOST_GS_BASE		0x6c08
#define HOST_TR_BASE		0x6c0a
#define HOST_GDTR_BASE		0x6c0c
#define HOST_IDTR_BASE		0x6c0e
#define HOST_RSP		0x6c14
#define HOST_RIP		0x6c16
#define NO_SUCH_FIELD		0x1000	/* reserved bit 12 */

#define PROC_TSC_OFFSETTING	_BITUL(3)
#define PROC_IO_BITMAPS		_BITUL(25)
#define PROC_MSR_BITMAPS	_BITUL(28)
#define PROC_SECONDARY		_BITUL(31)
#define PROC2_APIC_ACCESSES	_BITUL(0)
#define PROC2_SHADOW_VMCS	_BITUL(14)
#define PROC2_TSC_SCALING	_BITUL(25)
#define PIN_EXT_INTR		_BITUL(0)
#define EXIT_HOST_64		_BITUL(9)
#define EXIT_ACK_INTR		_BITUL(15)
#define ENTRY_IA32E		_BITUL(9)

#define REASON_EXCEPTION	0
#define REASON_EXT_INTR		1
#define REASON_TRIPLE_FAULT	2
#define REASON_CPUID		10
#define REASON_VMCALL		18
#define REASON_VMREAD		23
#define REASON_CR_ACCESS	28
#define REASON_IO		30
#define REASON_RDMSR		31
#define REASON_APIC_ACCESS	44
#define REASON_ENTRY_FAILED	0x80000000u
#define REASON_INVALID_STATE	33

#define VMFAIL_MARK		0xf0000000
#define RFLAGS_ZF		0x40

#define SYNC	"movb $" KVM_STR(UCALL_SYNC) ", %al\n" \
		"outb %al, $" KVM_STR(UCALL_PORT) "\n"
/* After a VMX instruction: a VMfail (CF or ZF) is reported. */
#define CHECK	"jbe vmfail\n"

/*
 * L1: CR4.VMXE, VMXON, a current VMCS, then forever: VMWRITE the table,
 * VMLAUNCH or VMRESUME, and report two fields after L2's exit (RBX,
 * RCX), or the flags and the error of a VMfail.
 */
GUEST_CODE64(guest_code,
	     "mov $" KVM_STR(STACK) ", %rsp\n"
	     "mov %cr4, %rax\n"
	     "or $" KVM_STR(X86_CR4_VMXE) ", %rax\n"
	     "mov %rax, %cr4\n"
	     "vmxon " KVM_STR(VAR_VMXON) "\n" CHECK
	     "vmclear " KVM_STR(VAR_VMCS) "\n" CHECK
	     "vmptrld " KVM_STR(VAR_VMCS) "\n" CHECK
	     "run:\n"
	     "mov $" KVM_STR(TABLE_GPA) ", %rsi\n"
	     "1: mov (%rsi), %rax\n"
	     "cmp $-1, %rax\n"
	     "je 2f\n"
	     "vmwrite 8(%rsi), %rax\n" CHECK
	     "add $16, %rsi\n"
	     "jmp 1b\n"
	     "2: cmpq $0, " KVM_STR(VAR_RESUME) "\n"
	     "jne 3f\n"
	     "vmlaunch\n"
	     "jmp vmfail\n"
	     "3: vmresume\n"
	     "vmfail:\n"
	     "pushf\n"
	     "pop %rbx\n"
	     "and $" KVM_STR(RFLAGS_ZF) " | 1, %ebx\n"
	     "or $" KVM_STR(VMFAIL_MARK) ", %ebx\n"
	     "mov $" KVM_STR(INSN_ERROR) ", %eax\n"
	     "vmread %rax, %rcx\n"
	     SYNC
	     "jmp run\n"
	     "l1_exit:\n"
	     "mov " KVM_STR(VAR_FIELD_A) ", %rax\n"
	     "vmread %rax, %rbx\n"
	     "mov " KVM_STR(VAR_FIELD_B) ", %rax\n"
	     "vmread %rax, %rcx\n"
	     SYNC
	     "jmp run\n"
	     "vmxon_only:\n"
	     "mov $" KVM_STR(STACK) ", %rsp\n"
	     "vmxon " KVM_STR(VAR_VMXON) "\n"
	     SYNC
	     "vmxoff_vmread:\n"
	     "vmptrst " KVM_STR(VAR_RESULT) "\n"
	     "vmxoff\n"
	     SYNC
	     "mov $" KVM_STR(EXIT_REASON) ", %eax\n"
	     "vmread %rax, %rbx\n"
	     SYNC
	     /* VMWRITE a field of the shadow VMCS, then run. */
	     "shadow_set:\n"
	     "vmptrld " KVM_STR(VAR_SHADOW) "\n" CHECK
	     "mov " KVM_STR(VAR_SH_FIELD) ", %rax\n"
	     "vmwrite " KVM_STR(VAR_SH_VALUE) ", %rax\n" CHECK
	     "vmptrld " KVM_STR(VAR_VMCS) "\n" CHECK
	     "jmp run\n"
	     /* Report that field of the shadow VMCS. */
	     "shadow_get:\n"
	     "vmptrld " KVM_STR(VAR_SHADOW) "\n" CHECK
	     "mov " KVM_STR(VAR_SH_FIELD) ", %rax\n"
	     "vmread %rax, %rbx\n" CHECK
	     "vmptrld " KVM_STR(VAR_VMCS) "\n" CHECK
	     SYNC
	     "jmp run\n"
	     /* VMLAUNCH of the shadow VMCS: report the flags. */
	     "shadow_launch:\n"
	     "vmptrld " KVM_STR(VAR_SHADOW) "\n" CHECK
	     "vmlaunch\n"
	     "pushf\n"
	     "pop %rbx\n"
	     "and $" KVM_STR(RFLAGS_ZF) " | 1, %ebx\n"
	     "vmptrld " KVM_STR(VAR_VMCS) "\n" CHECK
	     SYNC
	     "jmp run\n");

GUEST_CODE_LABEL(l1_exit);
GUEST_CODE_LABEL(shadow_set);
GUEST_CODE_LABEL(shadow_get);
GUEST_CODE_LABEL(shadow_launch);
GUEST_CODE_LABEL(vmxon_only);
GUEST_CODE_LABEL(vmxoff_vmread);

/* L2's programs, each at L2_GPA. */
GUEST_CODE64(l2_vmcall, "vmcall\n");
GUEST_CODE64(l2_cpuid, "xor %eax, %eax\n cpuid\n vmcall\n");
GUEST_CODE64(l2_out_80, "out %al, $0x80\n vmcall\n");
GUEST_CODE64(l2_ucall, "mov $0x77, %ebx\n" SYNC "vmcall\n");
GUEST_CODE64(l2_ud2, "ud2\n");
GUEST_CODE64(l2_rdmsr, "mov $" KVM_STR(MSR_IA32_SYSENTER_CS) ", %ecx\n"
	     "rdmsr\n vmcall\n");
GUEST_CODE64(l2_rdtsc, "rdtsc\n"
	     "mov %eax, " KVM_STR(VAR_RESULT) "\n"
	     "mov %edx, " KVM_STR(VAR_RESULT) " + 4\n vmcall\n");
/* RDTSC, then RDMSR of IA32_TSC, which L1's MSR bitmap leaves to us. */
GUEST_CODE64(l2_tsc_twice, "rdtsc\n"
	     "mov %eax, " KVM_STR(VAR_RESULT) "\n"
	     "mov %edx, " KVM_STR(VAR_RESULT) " + 4\n"
	     "mov $" KVM_STR(MSR_IA32_TSC) ", %ecx\n rdmsr\n"
	     "mov %eax, " KVM_STR(VAR_RESULT2) "\n"
	     "mov %edx, " KVM_STR(VAR_RESULT2) " + 4\n vmcall\n");
/* A self-IPI of vector 0x40 through the xAPIC's ICR, then VMCALL. */
GUEST_CODE64(l2_self_ipi, "mov $0xfee00300, %eax\n"
	     "movl $0x40040, (%rax)\n vmcall\n");
GUEST_CODE64(l2_hlt, "hlt\n vmcall\n");
/* A read and a write of offset 0x80 of L1's APIC-access page. */
GUEST_CODE64(l2_apic_read, "mov " KVM_STR(APIC_ACCESS_GPA) " + 0x80, %eax\n"
	     "vmcall\n");
GUEST_CODE64(l2_apic_write, "movl $0, " KVM_STR(APIC_ACCESS_GPA) " + 0x80\n"
	     "vmcall\n");
/* A write of IA32_PAT, which L1's MSR bitmap leaves to us. */
GUEST_CODE64(l2_wrmsr_pat, "mov $0x277, %ecx\n"
	     "mov $0x06060606, %eax\n mov %eax, %edx\n"
	     "wrmsr\n vmcall\n");
/* VMREAD GUEST_RIP (of the shadow VMCS) to VAR_RESULT, VMWRITE 0x5678. */
GUEST_CODE64(l2_shadow, "mov $" KVM_STR(GUEST_RIP) ", %eax\n"
	     "vmread %rax, %rbx\n"
	     "mov %rbx, " KVM_STR(VAR_RESULT) "\n"
	     "mov $0x5678, %ecx\n"
	     "vmwrite %rcx, %rax\n vmcall\n");
GUEST_CODE64(l2_cr0_ts, "mov %cr0, %rax\n"
	     "mov %rax, " KVM_STR(VAR_RESULT) "\n"
	     "and $~" KVM_STR(X86_CR0_TS) ", %rax\n"
	     "mov %rax, %cr0\n vmcall\n");

struct test {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	uint8_t *mem;
	struct kvm_sregs sregs;
	uint64_t *table;
	unsigned int n;
	uint64_t pin, proc, exit, entry;
};

static void put64(struct test *t, uint64_t gpa, uint64_t v)
{
	memcpy(t->mem + gpa, &v, 8);
}

static uint64_t get64(struct test *t, uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, t->mem + gpa, 8);
	return v;
}

/* Set @field in the table, or add it. */
static void field(struct test *t, uint64_t enc, uint64_t val)
{
	unsigned int i;

	for (i = 0; i < t->n && t->table[2 * i] != enc; i++)
		;
	t->table[2 * i] = enc;
	t->table[2 * i + 1] = val;
	if (i == t->n)
		t->table[2 * ++t->n] = -1ULL;
}

static uint32_t ar(const struct kvm_segment *s)
{
	if (!s->present || s->unusable)
		return 0x10000;
	return s->type | s->s << 4 | s->dpl << 5 | 1 << 7 | s->avl << 12 |
	       s->l << 13 | s->db << 14 | s->g << 15;
}

/*
 * A VMCS12 that runs @code as L2 in L1's own mode, page tables and
 * descriptor tables, and returns to l1_exit; with the processor-based
 * controls @proc added and the exceptions of @exc intercepted.
 */
static void vmcs_setup(struct test *t, const void *code, size_t len,
		       uint64_t proc, uint32_t exc)
{
	const struct kvm_sregs *s = &t->sregs;
	const struct kvm_segment *seg[8] = {
		&s->es, &s->cs, &s->ss, &s->ds, &s->fs, &s->gs, &s->ldt, &s->tr,
	};
	unsigned int i;

	t->n = 0;
	t->table[0] = -1ULL;
	memcpy(t->mem + L2_GPA, code, len);
	field(t, PIN_CONTROLS, t->pin);
	field(t, PROC_CONTROLS, t->proc | proc);
	field(t, EXIT_CONTROLS, t->exit | EXIT_HOST_64);
	field(t, ENTRY_CONTROLS, t->entry | ENTRY_IA32E);
	field(t, EXCEPTION_BITMAP, exc);
	field(t, IO_BITMAP_A, IO_BITMAP_GPA);
	field(t, IO_BITMAP_B, IO_BITMAP_GPA + 0x1000);
	field(t, MSR_BITMAP, MSR_BITMAP_GPA);
	field(t, VMCS_LINK_POINTER, -1ULL);
	field(t, CR0_MASK, 0);
	field(t, CR4_MASK, 0);
	for (i = 0; i < 8; i++) {
		field(t, GUEST_ES_SELECTOR + 2 * i, seg[i]->selector);
		field(t, GUEST_ES_BASE + 2 * i, seg[i]->base);
		field(t, GUEST_ES_LIMIT + 2 * i, seg[i]->limit);
		field(t, GUEST_ES_AR + 2 * i, i == 6 ? 0x10000 : ar(seg[i]));
		if (i != 6)
			field(t, HOST_ES_SELECTOR + 2 * (i == 7 ? 6 : i),
			      seg[i]->selector);
	}
	field(t, GUEST_GDTR_BASE, s->gdt.base);
	field(t, GUEST_GDTR_LIMIT, s->gdt.limit);
	field(t, GUEST_IDTR_BASE, s->idt.base);
	field(t, GUEST_IDTR_LIMIT, s->idt.limit);
	field(t, GUEST_CR0, s->cr0);
	field(t, GUEST_CR3, s->cr3);
	field(t, GUEST_CR4, s->cr4 | X86_CR4_VMXE);
	field(t, GUEST_DR7, 0x400);
	field(t, GUEST_RSP, L2_STACK);
	field(t, GUEST_RIP, L2_GPA);
	field(t, GUEST_RFLAGS, 2);
	field(t, GUEST_SYSENTER_CS, 0);
	field(t, HOST_CR0, s->cr0);
	field(t, HOST_CR3, s->cr3);
	field(t, HOST_CR4, s->cr4 | X86_CR4_VMXE);
	field(t, HOST_FS_BASE, s->fs.base);
	field(t, HOST_GS_BASE, s->gs.base);
	field(t, HOST_TR_BASE, s->tr.base);
	field(t, HOST_GDTR_BASE, s->gdt.base);
	field(t, HOST_IDTR_BASE, s->idt.base);
	field(t, HOST_SYSENTER_CS, 0);
	field(t, HOST_RSP, STACK);
	field(t, HOST_RIP, CODE_GPA + (l1_exit - guest_code));
}

/* Run L1 to its next report (*@b too); a failed run gives a marker. */
static uint64_t run_l1(struct test *t, bool resume, uint64_t a, uint64_t b,
		       uint64_t *val_b)
{
	struct ucall uc;

	put64(t, VAR_RESUME, resume);
	put64(t, VAR_FIELD_A, a);
	put64(t, VAR_FIELD_B, b);
	if (vcpu_run_ucall(t->vcpu, &uc) != UCALL_SYNC)
		return ~0ULL - uc.cmd;
	if (val_b)
		*val_b = uc.args[1];
	return uc.args[0];
}

static bool host_has_vmx(int kvm_fd)
{
	struct {
		struct kvm_cpuid2 c;
		struct kvm_cpuid_entry2 e[128];
	} cpuid = { .c.nent = 128 };
	unsigned int i;

	TEST_REQUIRE(!ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, &cpuid),
		     "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	for (i = 0; i < cpuid.c.nent; i++)
		if (cpuid.e[i].function == 1)
			return cpuid.e[i].ecx & _BITUL(5);
	return false;
}

static void jump(struct test *t, const unsigned char *entry)
{
	struct kvm_regs regs;

	vcpu_get_regs(t->vcpu, &regs);
	regs.rip = CODE_GPA + (entry - guest_code);
	regs.rsp = STACK;
	vcpu_set_regs(t->vcpu, &regs);
}

static uint64_t cap_low(struct test *t, uint32_t msr)
{
	uint64_t v = 0;

	TEST_REQUIRE(kvm_get_msr(t->vcpu->fd, msr, &v) == 1, "MSR %#x", msr);
	return (uint32_t)v;
}

/* L1 in 64-bit mode at guest_code, its VMXON region and VMCS ready. */
static void test_init(struct test *t, struct kvm_vm *vm, uint64_t basic)
{
	t->vm = vm;
	t->mem = vm_add_memory(vm, 0, MEM_SIZE);
	t->vcpu = vcpu_create(vm, 0);
	t->table = (uint64_t *)(t->mem + TABLE_GPA);
	vcpu_load_long_mode(t->vcpu, t->mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	vcpu_get_sregs(t->vcpu, &t->sregs);
	vcpu_add_tss64(t->vcpu, t->mem, &t->sregs, TSS_GPA);
	t->pin = cap_low(t, MSR_IA32_VMX_TRUE_PINBASED);
	t->proc = cap_low(t, MSR_IA32_VMX_TRUE_PROCBASED);
	t->exit = cap_low(t, MSR_IA32_VMX_TRUE_EXIT);
	t->entry = cap_low(t, MSR_IA32_VMX_TRUE_ENTRY);
	put64(t, VAR_VMXON, VMXON_GPA);
	put64(t, VAR_VMCS, VMCS_GPA);
	memcpy(t->mem + VMXON_GPA, &basic, 4);
	memcpy(t->mem + VMCS_GPA, &basic, 4);
}

/* The same, with IA32_FEATURE_CONTROL letting L1 execute VMXON. */
static void test_init_vmxon(struct test *t, struct kvm_vm *vm, uint64_t basic)
{
	test_init(t, vm, basic);
	TEST_REQUIRE(kvm_set_msr(t->vcpu->fd, MSR_IA32_FEAT_CTL,
				 FEAT_CTL_LOCKED_VMX) == 1,
		     "IA32_FEATURE_CONTROL");
}

/* Does IA32_VMX_PROCBASED_CTLS2 let L1 set secondary control @bit? */
static bool offers_proc2(struct test *t, uint64_t bit)
{
	uint64_t c = 0;

	TEST_REQUIRE(kvm_get_msr(t->vcpu->fd, MSR_IA32_VMX_PROCBASED_CTLS2,
				 &c) == 1, "IA32_VMX_PROCBASED_CTLS2");
	return c >> 32 & bit;
}

/*
 * With the in-kernel APIC, L1 exits on external interrupts: L2's self-IPI
 * ends L2 with an external-interrupt exit, the vector left pending; with
 * "acknowledge interrupt on exit" the exit takes it and names it.  L2
 * halted (L1 does not exit on HLT) waits until an interrupt for L1 comes,
 * though L2 does not take interrupts itself (RFLAGS.IF clear).
 */
static void test_external_interrupt(uint64_t basic)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_lapic_state lapic;
	pthread_t msi;
	uint64_t a, b;
	struct test t;

	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	test_init_vmxon(&t, vm, basic);
	/* The APIC software-enabled (spurious vector register, bit 8). */
	TEST_REQUIRE(!ioctl(t.vcpu->fd, KVM_GET_LAPIC, &lapic), "KVM_GET_LAPIC");
	lapic.regs[0xf0] = 0xff;
	lapic.regs[0xf1] = 1;
	TEST_REQUIRE(!ioctl(t.vcpu->fd, KVM_SET_LAPIC, &lapic), "KVM_SET_LAPIC");

	vmcs_setup(&t, l2_self_ipi, GUEST_CODE_SIZE(l2_self_ipi), 0, 0);
	field(&t, PIN_CONTROLS, t.pin | PIN_EXT_INTR);
	a = run_l1(&t, false, EXIT_REASON, EXIT_INTR_INFO, &b);
	ksft_test_result(a == REASON_EXT_INTR && !(b >> 31),
			 "l2_interrupt_exits_to_l1 (%#llx info %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);

	field(&t, EXIT_CONTROLS, t.exit | EXIT_HOST_64 | EXIT_ACK_INTR);
	a = run_l1(&t, true, EXIT_REASON, EXIT_INTR_INFO, &b);
	ksft_test_result(a == REASON_EXT_INTR && b == 0x80000040,
			 "exit_acknowledges_the_interrupt (%#llx info %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);

	/* 0x40 is in service now: the next vector is in a higher class. */
	vmcs_setup(&t, l2_hlt, GUEST_CODE_SIZE(l2_hlt), 0, 0);
	field(&t, PIN_CONTROLS, t.pin | PIN_EXT_INTR);
	field(&t, EXIT_CONTROLS, t.exit | EXIT_HOST_64 | EXIT_ACK_INTR);
	TEST_REQUIRE(!pthread_create(&msi, NULL, vm_late_msi, vm), "thread");
	a = run_l1(&t, true, EXIT_REASON, EXIT_INTR_INFO, &b);
	pthread_join(msi, NULL);
	ksft_test_result(a == REASON_EXT_INTR && b == 0x80000051,
			 "interrupt_wakes_halted_l2_for_l1 (%#llx info %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);

	vcpu_destroy(t.vcpu);
	vm_destroy(vm);
}

/*
 * L1 virtualizes APIC accesses for L2: L2's read and write of the page
 * exit to L1 with the offset and the access type (SDM vol. 3C, table
 * 28-6: 0 linear read, 1 linear write).  The address must be aligned;
 * one that is no memory of the VM stops the vCPU with an emulation
 * failure, as upstream KVM does.
 */
static void test_apic_access(uint64_t basic)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_run *run;
	uint64_t a, b;
	struct test t;

	test_init_vmxon(&t, vm, basic);
	if (!offers_proc2(&t, PROC2_APIC_ACCESSES)) {
		for (a = 0; a < 4; a++)
			ksft_test_result_skip("no virtualized APIC accesses\n");
		goto out;
	}

	vmcs_setup(&t, l2_apic_read, GUEST_CODE_SIZE(l2_apic_read),
		   PROC_SECONDARY, 0);
	field(&t, SECONDARY_CONTROLS, PROC2_APIC_ACCESSES);
	field(&t, APIC_ACCESS_ADDR, APIC_ACCESS_GPA);
	a = run_l1(&t, false, EXIT_REASON, EXIT_QUALIFICATION, &b);
	ksft_test_result(a == REASON_APIC_ACCESS && b == 0x80,
			 "l2_apic_read_exits_to_l1 (%#llx qual %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);

	vmcs_setup(&t, l2_apic_write, GUEST_CODE_SIZE(l2_apic_write),
		   PROC_SECONDARY, 0);
	field(&t, SECONDARY_CONTROLS, PROC2_APIC_ACCESSES);
	field(&t, APIC_ACCESS_ADDR, APIC_ACCESS_GPA);
	a = run_l1(&t, true, EXIT_REASON, EXIT_QUALIFICATION, &b);
	ksft_test_result(a == REASON_APIC_ACCESS && b == 0x1080,
			 "l2_apic_write_exits_to_l1 (%#llx qual %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);

	field(&t, APIC_ACCESS_ADDR, APIC_ACCESS_GPA + 0x80);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(a == (VMFAIL_MARK | RFLAGS_ZF) && b == 7,
			 "unaligned_apic_access_page_fails (%#llx error %llu)\n",
			 (unsigned long long)a, (unsigned long long)b);

	field(&t, APIC_ACCESS_ADDR, 1ULL << 32);
	put64(&t, VAR_RESUME, 1);
	run = t.vcpu->run;
	ksft_test_result(!vcpu_run(t.vcpu) &&
			 run->exit_reason == KVM_EXIT_INTERNAL_ERROR &&
			 run->emulation_failure.suberror ==
			 KVM_INTERNAL_ERROR_EMULATION,
			 "apic_access_page_not_in_memory_stops (exit %u)\n",
			 run->exit_reason);
out:
	vcpu_destroy(t.vcpu);
	vm_destroy(vm);
}

/*
 * VMCS shadowing: L2 reads and writes GUEST_RIP of L1's shadow VMCS,
 * where L1 finds what L2 wrote; with the field's bit set in L1's VMREAD
 * bitmap, L2's VMREAD exits to L1.  A VMCS link pointer that is no shadow
 * VMCS fails the entry (qualification 4); VMLAUNCH of a shadow VMCS fails
 * without a VMCS to report the error in (CF).
 */
static void test_shadow_vmcs(uint64_t basic)
{
	uint32_t shadow_rev = (uint32_t)basic | 0x80000000u;
	struct kvm_vm *vm = vm_create();
	uint64_t a, b;
	struct test t;

	test_init_vmxon(&t, vm, basic);
	if (!offers_proc2(&t, PROC2_SHADOW_VMCS)) {
		for (a = 0; a < 5; a++)
			ksft_test_result_skip("no VMCS shadowing\n");
		goto out;
	}
	memcpy(t.mem + SHADOW_GPA, &shadow_rev, 4);
	put64(&t, VAR_SHADOW, SHADOW_GPA);
	put64(&t, VAR_SH_FIELD, GUEST_RIP);
	put64(&t, VAR_SH_VALUE, 0x1234);

	/* Into VMX operation, with a launched VMCS. */
	vmcs_setup(&t, l2_vmcall, GUEST_CODE_SIZE(l2_vmcall), 0, 0);
	TEST_REQUIRE(run_l1(&t, false, EXIT_REASON, GUEST_RIP, NULL) ==
		     REASON_VMCALL, "L2");

	jump(&t, shadow_launch);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, NULL);
	ksft_test_result(a == 1, "vmlaunch_of_shadow_vmcs_fails_invalid (flags %#llx)\n",
			 (unsigned long long)a);

	vmcs_setup(&t, l2_shadow, GUEST_CODE_SIZE(l2_shadow), PROC_SECONDARY, 0);
	field(&t, SECONDARY_CONTROLS, PROC2_SHADOW_VMCS);
	field(&t, VMREAD_BITMAP, VMREAD_BITMAP_GPA);
	field(&t, VMWRITE_BITMAP, VMWRITE_BITMAP_GPA);
	field(&t, VMCS_LINK_POINTER, SHADOW_GPA);
	memset(t.mem + VMREAD_BITMAP_GPA, 0, 0x2000);
	jump(&t, shadow_set);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, NULL);
	ksft_test_result(a == REASON_VMCALL && get64(&t, VAR_RESULT) == 0x1234,
			 "l2_vmread_reads_the_shadow_vmcs (%#llx read %#llx)\n",
			 (unsigned long long)a,
			 (unsigned long long)get64(&t, VAR_RESULT));

	jump(&t, shadow_get);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, NULL);
	ksft_test_result(a == 0x5678,
			 "l2_vmwrite_reaches_the_shadow_vmcs (%#llx)\n",
			 (unsigned long long)a);

	t.mem[VMREAD_BITMAP_GPA + GUEST_RIP / 8] = 1 << (GUEST_RIP % 8);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(a == REASON_VMREAD && b == L2_GPA + 5,
			 "l2_vmread_in_bitmap_exits_to_l1 (%#llx rip %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);

	field(&t, VMCS_LINK_POINTER, VMCS_GPA);
	a = run_l1(&t, true, EXIT_REASON, EXIT_QUALIFICATION, &b);
	ksft_test_result(a == (REASON_ENTRY_FAILED | REASON_INVALID_STATE) &&
			 b == 4,
			 "link_pointer_not_a_shadow_vmcs_fails_entry (%#llx qual %llu)\n",
			 (unsigned long long)a, (unsigned long long)b);
out:
	vcpu_destroy(t.vcpu);
	vm_destroy(vm);
}

/* The SMI handler, in big real mode: report 0x5a5a, then RSM. */
GUEST_CODE16(smi_handler,
	     "mov $0x5a5a, %bx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "rsm\n");

/* SMRAM at SMBASE: a copy of @from, or the SMI handler at SMBASE + 0x8000. */
static uint8_t *add_smram(struct kvm_vm *vm, const uint8_t *from)
{
	struct kvm_userspace_memory_region region;
	uint8_t *smram = mmap(NULL, SMRAM_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	TEST_REQUIRE(smram != MAP_FAILED, "mmap");
	region = (struct kvm_userspace_memory_region) {
		.slot = 1 << 16, .guest_phys_addr = SMBASE,
		.memory_size = SMRAM_SIZE, .userspace_addr = (uintptr_t)smram,
	};
	TEST_REQUIRE(!ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region),
		     "SMRAM slot: %s", strerror(errno));
	if (from)
		memcpy(smram, from, SMRAM_SIZE);
	else
		memcpy(smram + 0x8000, smi_handler,
		       GUEST_CODE_SIZE(smi_handler));
	return smram;
}

/*
 * An SMI in L2 runs the handler in SMM, outside VMX operation: not in
 * L2, no exit to L1; RSM goes back into L2, which goes on.
 */
static void test_smm_in_l2(uint64_t basic)
{
	struct kvm_vm *vm = vm_create();
	uint8_t *smram;
	uint64_t a, b;
	struct test t;

	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	smram = add_smram(vm, NULL);
	test_init_vmxon(&t, vm, basic);
	vmcs_setup(&t, l2_ucall, GUEST_CODE_SIZE(l2_ucall), 0, 0);
	TEST_REQUIRE(run_l1(&t, false, EXIT_REASON, GUEST_RIP, NULL) == 0x77,
		     "L2's ucall");
	TEST_REQUIRE(!ioctl(t.vcpu->fd, KVM_SMI, 0), "KVM_SMI: %s",
		     strerror(errno));
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, NULL);
	ksft_test_result(a == 0x5a5a && (t.vcpu->run->flags & KVM_RUN_X86_SMM),
			 "smi_in_l2_runs_the_handler (%#llx)\n",
			 (unsigned long long)a);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(a == REASON_VMCALL && b == L2_GPA + 9 &&
			 !(t.vcpu->run->flags & KVM_RUN_X86_SMM),
			 "rsm_goes_back_to_l2 (%#llx rip %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);
	vcpu_destroy(t.vcpu);
	vm_destroy(vm);
	munmap(smram, SMRAM_SIZE);
}

static struct kvm_nested_state *get_nested(struct kvm_vcpu *vcpu)
{
	int size = kvm_check_cap(vcpu->vm->kvm_fd, KVM_CAP_NESTED_STATE);
	struct kvm_nested_state *n = calloc(1, size);

	TEST_REQUIRE(n, "out of memory");
	n->size = size;
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_NESTED_STATE, n),
		     "KVM_GET_NESTED_STATE: %s", strerror(errno));
	return n;
}

/*
 * Move the vCPU to a new VM, as a migration does: memory (SMRAM too if
 * there is *@smram), then the registers, IA32_FEATURE_CONTROL, the
 * events and, last as the kernel's own selftests do, the nested state.
 * Return: whether KVM_SET_NESTED_STATE took it.
 */
static bool migrate(struct test *t, uint8_t **smram)
{
	uint8_t *old_smram = *smram;
	struct kvm_nested_state *n;
	struct kvm_vcpu_events ev;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_vm *vm;
	uint64_t feat = 0;
	uint8_t *mem;
	bool ok;

	/* The port access that stopped the vCPU completes first (api.rst). */
	t->vcpu->run->immediate_exit = 1;
	TEST_REQUIRE(ioctl(t->vcpu->fd, KVM_RUN, 0) == -1 && errno == EINTR,
		     "KVM_RUN with immediate_exit");
	t->vcpu->run->immediate_exit = 0;
	n = get_nested(t->vcpu);
	vm = vm_create();
	vcpu_get_regs(t->vcpu, &regs);
	vcpu_get_sregs(t->vcpu, &sregs);
	TEST_REQUIRE(!ioctl(t->vcpu->fd, KVM_GET_VCPU_EVENTS, &ev),
		     "KVM_GET_VCPU_EVENTS: %s", strerror(errno));
	TEST_REQUIRE(kvm_get_msr(t->vcpu->fd, MSR_IA32_FEAT_CTL, &feat) == 1,
		     "IA32_FEATURE_CONTROL");
	if (old_smram) {
		TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
			     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
		*smram = add_smram(vm, old_smram);
		munmap(old_smram, SMRAM_SIZE);
	}
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	memcpy(mem, t->mem, MEM_SIZE);
	vcpu_destroy(t->vcpu);
	vm_destroy(t->vm);

	t->vm = vm;
	t->mem = mem;
	t->table = (uint64_t *)(mem + TABLE_GPA);
	t->vcpu = vcpu_create(vm, 0);
	vcpu_set_supported_cpuid(t->vcpu);
	vcpu_set_sregs(t->vcpu, &sregs);
	TEST_REQUIRE(kvm_set_msr(t->vcpu->fd, MSR_IA32_FEAT_CTL, feat) == 1,
		     "IA32_FEATURE_CONTROL");
	vcpu_set_regs(t->vcpu, &regs);
	TEST_REQUIRE(!ioctl(t->vcpu->fd, KVM_SET_VCPU_EVENTS, &ev),
		     "KVM_SET_VCPU_EVENTS: %s", strerror(errno));
	ok = !ioctl(t->vcpu->fd, KVM_SET_NESTED_STATE, n);
	free(n);
	return ok;
}

/*
 * KVM_GET/SET_NESTED_STATE: the state outside VMX operation, in L2 and
 * in L1; L2 goes on in a new VM, and a VMCS L1 launched stays launched
 * there.  In SMM entered from L2, the state says VMX operation and L2
 * wait for RSM, which goes back to L2 in a new VM.  Bad input: a size
 * too small for the state (E2BIG, and the size needed), SVM's format
 * (EINVAL).
 */
static void test_nested_state(uint64_t basic)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_nested_state *n;
	uint8_t *smram = NULL;
	uint64_t a, b;
	struct test t;
	bool ok;
	int cap;

	cap = kvm_check_cap(vm->kvm_fd, KVM_CAP_NESTED_STATE);
	ksft_test_result(cap >= (int)sizeof(*n) + 0x1000,
			 "nested_state_cap_has_room_for_a_vmcs (%d)\n", cap);
	if (cap < (int)sizeof(*n) + 0x1000) {
		for (a = 0; a < 7; a++)
			ksft_test_result_skip("no nested state\n");
		vm_destroy(vm);
		return;
	}
	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	smram = add_smram(vm, NULL);
	test_init_vmxon(&t, vm, basic);

	n = get_nested(t.vcpu);
	ksft_test_result(n->format == 0 && n->flags == 0 &&
			 n->hdr.vmx.vmxon_pa == -1ULL &&
			 n->hdr.vmx.vmcs12_pa == -1ULL,
			 "outside_vmx_operation_no_vmxon_no_vmcs (size %u)\n",
			 n->size);
	n->format = 1;
	ksft_test_result(ioctl(t.vcpu->fd, KVM_SET_NESTED_STATE, n) == -1 &&
			 errno == EINVAL, "svm_format_on_vmx_einval\n");
	free(n);

	/* L2 stops at an OUT to userspace; it goes on in another VM. */
	vmcs_setup(&t, l2_ucall, GUEST_CODE_SIZE(l2_ucall), 0, 0);
	TEST_REQUIRE(run_l1(&t, false, EXIT_REASON, GUEST_RIP, NULL) == 0x77,
		     "L2's ucall");
	n = get_nested(t.vcpu);
	ok = (n->flags & KVM_STATE_NESTED_GUEST_MODE) &&
	     n->hdr.vmx.vmxon_pa == VMXON_GPA &&
	     n->hdr.vmx.vmcs12_pa == VMCS_GPA;
	a = n->size;
	n->size = sizeof(*n);
	ksft_test_result(ioctl(t.vcpu->fd, KVM_GET_NESTED_STATE, n) == -1 &&
			 errno == E2BIG && n->size == a,
			 "small_size_e2big_with_the_size (%u)\n", n->size);
	free(n);
	ok = ok && migrate(&t, &smram);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(ok && a == REASON_VMCALL && b == L2_GPA + 9,
			 "l2_goes_on_in_a_new_vm (%#llx rip %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);

	/* In L1, between two runs of L2: the VMCS stays launched. */
	vmcs_setup(&t, l2_vmcall, GUEST_CODE_SIZE(l2_vmcall), 0, 0);
	ok = migrate(&t, &smram);
	a = run_l1(&t, false, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(ok && a == (VMFAIL_MARK | RFLAGS_ZF) && b == 4 &&
			 run_l1(&t, true, EXIT_REASON, GUEST_RIP, NULL) ==
			 REASON_VMCALL,
			 "l1_vmcs_stays_launched_in_a_new_vm (%#llx error %llu)\n",
			 (unsigned long long)a, (unsigned long long)b);

	/*
	 * An SMI in L2: in SMM, VMX operation and L2 are SMM's to give back;
	 * RSM goes back to L2 in a new VM.
	 */
	vmcs_setup(&t, l2_ucall, GUEST_CODE_SIZE(l2_ucall), 0, 0);
	TEST_REQUIRE(run_l1(&t, true, EXIT_REASON, GUEST_RIP, NULL) == 0x77,
		     "L2's ucall");
	TEST_REQUIRE(!ioctl(t.vcpu->fd, KVM_SMI, 0), "KVM_SMI: %s",
		     strerror(errno));
	TEST_REQUIRE(run_l1(&t, true, EXIT_REASON, GUEST_RIP, NULL) == 0x5a5a,
		     "SMI handler");
	n = get_nested(t.vcpu);
	ksft_test_result(!(n->flags & KVM_STATE_NESTED_GUEST_MODE) &&
			 n->hdr.vmx.smm.flags == (KVM_STATE_NESTED_SMM_VMXON |
						  KVM_STATE_NESTED_SMM_GUEST_MODE) &&
			 n->hdr.vmx.vmxon_pa == VMXON_GPA,
			 "in_smm_from_l2_smm_holds_vmxon_and_l2 (flags %#x smm %#x)\n",
			 n->flags, n->hdr.vmx.smm.flags);
	free(n);
	ok = migrate(&t, &smram);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(ok && a == REASON_VMCALL && b == L2_GPA + 9,
			 "rsm_to_l2_in_a_new_vm (%#llx rip %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);

	vcpu_destroy(t.vcpu);
	vm_destroy(t.vm);
	munmap(smram, SMRAM_SIZE);
}

#define NR_CASES 43

int main(void)
{
	int kvm_fd = kvm_open_dev();
	uint64_t a, b, lo, hi, basic = 0;
	struct kvm_vm *vm;
	struct ucall uc;
	struct test t;
	int i;

	ksft_print_header();
	ksft_set_plan(NR_CASES);
	if (!host_has_vmx(kvm_fd)) {
		for (i = 0; i < NR_CASES; i++)
			ksft_test_result_skip("no VMX to nest\n");
		ksft_finished();
	}
	ksft_test_result(kvm_get_msr(kvm_fd, MSR_IA32_VMX_BASIC, &basic) == 1 &&
			 (basic & 0x7fffffff) && (basic >> 55 & 1),
			 "vmx_offered_with_true_controls (basic %#llx)\n",
			 (unsigned long long)basic);

	vm = vm_create();
	test_init(&t, vm, basic);

	/* VMXON before CR4.VMXE. */
	jump(&t, vmxon_only);
	ksft_test_result(!vcpu_run(t.vcpu) && vcpu_exit_ucall(t.vcpu, &uc) &&
			 uc.cmd == UCALL_EXCEPTION && uc.args[0] == UD_VECTOR,
			 "vmxon_without_cr4_vmxe_ud\n");

	/* VMXON with IA32_FEATURE_CONTROL not locked with VMX on. */
	TEST_REQUIRE(kvm_set_msr(t.vcpu->fd, MSR_IA32_FEAT_CTL, 0) == 1,
		     "IA32_FEATURE_CONTROL");
	jump(&t, guest_code);
	ksft_test_result(!vcpu_run(t.vcpu) && vcpu_exit_ucall(t.vcpu, &uc) &&
			 uc.cmd == UCALL_EXCEPTION && uc.args[0] == GP_VECTOR,
			 "vmxon_without_feature_control_gp\n");
	TEST_REQUIRE(kvm_set_msr(t.vcpu->fd, MSR_IA32_FEAT_CTL,
				 FEAT_CTL_LOCKED_VMX) == 1,
		     "IA32_FEATURE_CONTROL");
	jump(&t, guest_code);

	vmcs_setup(&t, l2_vmcall, GUEST_CODE_SIZE(l2_vmcall), 0, 0);
	a = run_l1(&t, false, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(a == REASON_VMCALL && b == L2_GPA,
			 "l2_vmcall_exits_to_l1 (%#llx rip %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);

	/* The VMCS12 is launched now: VMLAUNCH fails, VMRESUME works. */
	a = run_l1(&t, false, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(a == (VMFAIL_MARK | RFLAGS_ZF) && b == 4,
			 "vmlaunch_of_launched_vmcs_fails (%#llx error %llu)\n",
			 (unsigned long long)a, (unsigned long long)b);

	vmcs_setup(&t, l2_cpuid, GUEST_CODE_SIZE(l2_cpuid), 0, 0);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(a == REASON_CPUID && b == L2_GPA + 2,
			 "cpuid_exits_to_l1 (%#llx rip %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);

	/* Port 0x80 in L1's I/O bitmap A. */
	memset(t.mem + IO_BITMAP_GPA, 0, 0x2000);
	t.mem[IO_BITMAP_GPA + 0x80 / 8] = 1;
	vmcs_setup(&t, l2_out_80, GUEST_CODE_SIZE(l2_out_80), PROC_IO_BITMAPS, 0);
	a = run_l1(&t, true, EXIT_REASON, EXIT_QUALIFICATION, &b);
	ksft_test_result(a == REASON_IO && (b >> 16) == 0x80,
			 "out_in_l1_io_bitmap_exits_to_l1 (%#llx %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);

	vmcs_setup(&t, l2_ucall, GUEST_CODE_SIZE(l2_ucall), PROC_IO_BITMAPS, 0);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(a == 0x77, "out_not_in_bitmap_reaches_userspace\n");
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(a == REASON_VMCALL,
			 "l2_goes_on_after_userspace (%#llx)\n",
			 (unsigned long long)a);

	vmcs_setup(&t, l2_ud2, GUEST_CODE_SIZE(l2_ud2), 0, _BITUL(UD_VECTOR));
	a = run_l1(&t, true, EXIT_REASON, EXIT_INTR_INFO, &b);
	ksft_test_result(a == REASON_EXCEPTION && b == 0x80000306,
			 "intercepted_ud_exits_to_l1 (%#llx info %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);

	/* SYSENTER_CS: its read bit set in the bitmap, then clear. */
	memset(t.mem + MSR_BITMAP_GPA, 0, 0x1000);
	t.mem[MSR_BITMAP_GPA + MSR_IA32_SYSENTER_CS / 8] =
		1 << (MSR_IA32_SYSENTER_CS % 8);
	vmcs_setup(&t, l2_rdmsr, GUEST_CODE_SIZE(l2_rdmsr), PROC_MSR_BITMAPS, 0);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, &b);
	t.mem[MSR_BITMAP_GPA + MSR_IA32_SYSENTER_CS / 8] = 0;
	vmcs_setup(&t, l2_rdmsr, GUEST_CODE_SIZE(l2_rdmsr), PROC_MSR_BITMAPS, 0);
	b = run_l1(&t, true, EXIT_REASON, GUEST_RIP, NULL);
	ksft_test_result(a == REASON_RDMSR && b == REASON_VMCALL,
			 "rdmsr_exits_by_l1_msr_bitmap (%#llx then %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);

	/* An exit that does not load IA32_PAT leaves L1 with L2's. */
	vmcs_setup(&t, l2_wrmsr_pat, GUEST_CODE_SIZE(l2_wrmsr_pat),
		   PROC_MSR_BITMAPS, 0);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, NULL);
	TEST_REQUIRE(kvm_get_msr(t.vcpu->fd, MSR_IA32_CR_PAT, &b) == 1, "PAT");
	ksft_test_result(a == REASON_VMCALL && b == 0x0606060606060606ULL,
			 "exit_leaves_l1_with_l2_pat (%#llx pat %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b);

	/* L2's TSC is L1's plus the offset L1 gives it. */
	vmcs_setup(&t, l2_rdtsc, GUEST_CODE_SIZE(l2_rdtsc), PROC_TSC_OFFSETTING, 0);
	field(&t, TSC_OFFSET, 1ULL << 50);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, NULL);
	TEST_REQUIRE(kvm_get_msr(t.vcpu->fd, MSR_IA32_TSC, &b) == 1, "TSC");
	ksft_test_result(a == REASON_VMCALL && get64(&t, VAR_RESULT) > 1ULL << 50 &&
			 b < 1ULL << 50,
			 "l2_tsc_has_l1_offset (%#llx, L1 %#llx)\n",
			 (unsigned long long)get64(&t, VAR_RESULT),
			 (unsigned long long)b);

	/*
	 * With TSC scaling, L2's TSC is L1's times L1's multiplier (1.5) plus
	 * the offset, for RDTSC and for RDMSR alike: between the values for
	 * L1's TSC before and after the run.
	 */
	if (!offers_proc2(&t, PROC2_TSC_SCALING)) {
		ksft_test_result_skip("l2_tsc_scaled_by_l1: no TSC scaling\n");
	} else {
		vmcs_setup(&t, l2_tsc_twice, GUEST_CODE_SIZE(l2_tsc_twice),
			   PROC_TSC_OFFSETTING | PROC_MSR_BITMAPS |
			   PROC_SECONDARY, 0);
		field(&t, SECONDARY_CONTROLS, PROC2_TSC_SCALING);
		field(&t, TSC_MULTIPLIER, 3ULL << 47);
		field(&t, TSC_OFFSET, 1ULL << 50);
		TEST_REQUIRE(kvm_get_msr(t.vcpu->fd, MSR_IA32_TSC, &b) == 1,
			     "TSC");
		lo = b * 3 / 2 + (1ULL << 50);
		a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, NULL);
		TEST_REQUIRE(kvm_get_msr(t.vcpu->fd, MSR_IA32_TSC, &b) == 1,
			     "TSC");
		hi = b * 3 / 2 + (1ULL << 50);
		ksft_test_result(a == REASON_VMCALL &&
				 lo <= get64(&t, VAR_RESULT) &&
				 get64(&t, VAR_RESULT) <= get64(&t, VAR_RESULT2) &&
				 get64(&t, VAR_RESULT2) <= hi,
				 "l2_tsc_scaled_by_l1 (%#llx %#llx in %#llx-%#llx)\n",
				 (unsigned long long)get64(&t, VAR_RESULT),
				 (unsigned long long)get64(&t, VAR_RESULT2),
				 (unsigned long long)lo, (unsigned long long)hi);
	}

	/* L1 owns CR0.TS and shows it set: L2 reads it, clearing it exits. */
	vmcs_setup(&t, l2_cr0_ts, GUEST_CODE_SIZE(l2_cr0_ts), 0, 0);
	field(&t, CR0_MASK, X86_CR0_TS);
	field(&t, CR0_SHADOW, t.sregs.cr0 | X86_CR0_TS);
	a = run_l1(&t, true, EXIT_REASON, EXIT_QUALIFICATION, &b);
	ksft_test_result(a == REASON_CR_ACCESS && b == 0 &&
			 (get64(&t, VAR_RESULT) & X86_CR0_TS),
			 "cr0_shadow_and_owned_bit_write_exits (%#llx qual %#llx cr0 %#llx)\n",
			 (unsigned long long)a, (unsigned long long)b,
			 (unsigned long long)get64(&t, VAR_RESULT));

	/* No pin-based control at all: the fixed-1 bits are missing. */
	vmcs_setup(&t, l2_vmcall, GUEST_CODE_SIZE(l2_vmcall), 0, 0);
	field(&t, PIN_CONTROLS, 0);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(a == (VMFAIL_MARK | RFLAGS_ZF) && b == 7,
			 "bad_control_fails_vmresume (%#llx error %llu)\n",
			 (unsigned long long)a, (unsigned long long)b);

	/*
	 * An event of a reserved type to inject: the processor refuses the
	 * VMCS02 as an instruction, and that is L1's VMfail; L1 goes on.
	 */
	vmcs_setup(&t, l2_vmcall, GUEST_CODE_SIZE(l2_vmcall), 0, 0);
	field(&t, ENTRY_INTR_INFO, 0x80000000 | 1 << 8 | 0x20);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, &b);
	field(&t, ENTRY_INTR_INFO, 0);
	ksft_test_result(a == (VMFAIL_MARK | RFLAGS_ZF) && b == 7 &&
			 run_l1(&t, true, EXIT_REASON, GUEST_RIP, NULL) ==
			 REASON_VMCALL,
			 "bad_event_injection_fails_vmresume (%#llx error %llu)\n",
			 (unsigned long long)a, (unsigned long long)b);

	vmcs_setup(&t, l2_vmcall, GUEST_CODE_SIZE(l2_vmcall), 0, 0);
	field(&t, GUEST_CR3, -1ULL);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(a == (REASON_ENTRY_FAILED | REASON_INVALID_STATE),
			 "bad_guest_cr3_fails_entry (%#llx)\n",
			 (unsigned long long)a);

	/* #UD, #GP and #DF with no IDT: L2 shuts down, L1 gets the exit. */
	vmcs_setup(&t, l2_ud2, GUEST_CODE_SIZE(l2_ud2), 0, 0);
	field(&t, GUEST_IDTR_LIMIT, 0);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(a == REASON_TRIPLE_FAULT,
			 "l2_triple_fault_exits_to_l1 (%#llx)\n",
			 (unsigned long long)a);

	vmcs_setup(&t, l2_vmcall, GUEST_CODE_SIZE(l2_vmcall), 0, 0);
	field(&t, NO_SUCH_FIELD, 0);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, &b);
	ksft_test_result(a == (VMFAIL_MARK | RFLAGS_ZF) && b == 12,
			 "vmwrite_of_unknown_field_fails (%#llx error %llu)\n",
			 (unsigned long long)a, (unsigned long long)b);

	/* VMPTRST stores the current VMCS; after VMXOFF VMREAD is a #UD. */
	jump(&t, vmxoff_vmread);
	a = run_l1(&t, true, EXIT_REASON, GUEST_RIP, NULL);
	ksft_test_result(get64(&t, VAR_RESULT) == VMCS_GPA && !vcpu_run(t.vcpu) &&
			 vcpu_exit_ucall(t.vcpu, &uc) &&
			 uc.cmd == UCALL_EXCEPTION && uc.args[0] == UD_VECTOR,
			 "vmptrst_then_vmxoff_ud (%#llx)\n",
			 (unsigned long long)get64(&t, VAR_RESULT));

	vcpu_destroy(t.vcpu);
	vm_destroy(vm);
	test_external_interrupt(basic);
	test_apic_access(basic);
	test_shadow_vmcs(basic);
	test_smm_in_l2(basic);
	test_nested_state(basic);
	ksft_finished();
}
