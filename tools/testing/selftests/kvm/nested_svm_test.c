// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested SVM: a 64-bit guest (L1) runs a guest of its own (L2) with
 * VMRUN, in a VMCB the test writes into guest memory.  KVM_GET_SUPPORTED_
 * CPUID offers SVM; VMRUN before EFER.SVME is a #UD.  L2's VMMCALL, an
 * intercepted CPUID, an OUT to a port L1's I/O permission map takes and
 * an intercepted #UD exit to L1 with the exit code, the exit information
 * and L2's state in the VMCB; an OUT to a port the map leaves alone and a
 * CPUID L1 does not intercept are handled as L1's own.  L2's DR7 is the
 * one of the VMCB, and is saved there at the exit.  A VMCB without
 * the VMRUN intercept makes VMRUN fail at once (VMEXIT_INVALID).  VMSAVE
 * and VMLOAD move MSR_KERNEL_GS_BASE to and from a page.  With the
 * in-kernel APIC, L2 halted (HLT not intercepted) waits until an
 * interrupt L1 intercepts comes from another thread: L1 gets the exit.
 * Hyper-V's enlightenments for an L1 whose CPUID says Hyper-V: with the
 * enlightened MSR bitmap, a permission map L1 says is clean is not read
 * again; L2's TLB flush hypercall is handled without an exit to L1 if L1
 * allows direct hypercalls, and ends in a synthetic exit while L1 holds
 * a TLB lock.
 *
 * Only on processors with SVM: elsewhere every case is skipped.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/const.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define L2_GPA		0x3000
#define STACK		0x8000
#define VMCB_GPA	0x10000
#define HSAVE_GPA	0x11000
#define IOPM_GPA	0x12000		/* three pages */
#define SAVE_GPA	0x15000
#define L2_STACK	0x17000
#define MSRPM_GPA	0x18000		/* two pages */
#define VP_ASSIST_GPA	0x1a000
#define PARTITION_GPA	0x1b000
#define VAR_RESULT	0x1c000
#define MEM_SIZE	0x20000

#define MSR_EFER		0xc0000080
#define MSR_VM_HSAVE_PA		0xc0010117
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_GS_BASE		0xc0000101
#define HV_X64_MSR_GUEST_OS_ID	0x40000000
#define HV_X64_MSR_VP_ASSIST_PAGE 0x40000073
#define EFER_SVME		0x1000
#define UD_VECTOR		6

/* VMCB offsets (APM vol. 2, appendix B). */
#define VMCB_INTERCEPT_EXC	0x008
#define VMCB_INTERCEPT_W3	0x00c
#define VMCB_INTERCEPT_W4	0x010
#define VMCB_IOPM		0x040
#define VMCB_MSRPM		0x048
#define VMCB_ASID		0x058
#define VMCB_EXIT_CODE		0x070
#define VMCB_EXIT_INFO1		0x078
#define VMCB_CLEAN		0x0c0
/* Hyper-V's enlightenments, in the area software may use. */
#define VMCB_HV_CONTROL		0x3e0	/* bit 0 flush hypercall, 1 MSR bitmap */
#define VMCB_HV_VP_ID		0x3e4
#define VMCB_HV_VM_ID		0x3e8
#define VMCB_HV_PARTITION	0x3f0
#define HV_FLUSH_HYPERCALL	_BITUL(0)
#define HV_MSR_BITMAP		_BITUL(1)
#define CLEAN_HV		_BITUL(31)
#define VMCB_SAVE		0x400
#define SAVE_CPL		0x0cb
#define SAVE_EFER		0x0d0
#define SAVE_CR4		0x148
#define SAVE_CR3		0x150
#define SAVE_CR0		0x158
#define SAVE_DR7		0x160
#define SAVE_RFLAGS		0x170
#define SAVE_RIP		0x178
#define SAVE_RSP		0x1d8
#define SAVE_RAX		0x1f8
#define SAVE_KERNEL_GS_BASE	0x220

/* Intercept bits: word 3 from exit code 0x60, word 4 from 0x80. */
#define W3_INTR			((uint32_t)_BITUL(0x60 - 0x60))
#define W3_CPUID		((uint32_t)_BITUL(0x72 - 0x60))
#define W3_IOIO			((uint32_t)_BITUL(0x7b - 0x60))
#define W3_MSR			((uint32_t)_BITUL(0x7c - 0x60))
#define W4_VMRUN		((uint32_t)_BITUL(0x80 - 0x80))
#define W4_VMMCALL		((uint32_t)_BITUL(0x81 - 0x80))

#define EXIT_EXCP_UD		0x46
#define EXIT_INTR		0x60
#define EXIT_CPUID		0x72
#define EXIT_IOIO		0x7b
#define EXIT_MSR		0x7c
#define EXIT_VMMCALL		0x81
#define EXIT_HV_ENL		0xf0000000	/* Hyper-V synthetic exit */
#define HV_TRAP_AFTER_FLUSH	1
#define HV_NESTED_LEAF		0x4000000a
#define HV_NESTED_DIRECT_FLUSH	_BITUL(17)

#define SYNC	"movb $" KVM_STR(UCALL_SYNC) ", %al\n" \
		"outb %al, $" KVM_STR(UCALL_PORT) "\n"

/*
 * L1: EFER.SVME and the host save area, then forever: VMRUN, report the
 * exit code (RBX) and EXITINFO1 (RCX).  Other entry points: VMRUN
 * without SVME, and VMSAVE/VMLOAD of MSR_KERNEL_GS_BASE.
 */
GUEST_CODE64(guest_code,
	     "mov $" KVM_STR(STACK) ", %rsp\n"
	     "mov $" KVM_STR(MSR_EFER) ", %ecx\n"
	     "rdmsr\n"
	     "or $" KVM_STR(EFER_SVME) ", %eax\n"
	     "wrmsr\n"
	     "mov $" KVM_STR(MSR_VM_HSAVE_PA) ", %ecx\n"
	     "mov $" KVM_STR(HSAVE_GPA) ", %eax\n"
	     "xor %edx, %edx\n"
	     "wrmsr\n"
	     "1: mov $" KVM_STR(VMCB_GPA) ", %eax\n"
	     "vmrun %rax\n"
	     "mov " KVM_STR(VMCB_GPA) " + " KVM_STR(VMCB_EXIT_CODE) ", %rbx\n"
	     "mov " KVM_STR(VMCB_GPA) " + " KVM_STR(VMCB_EXIT_INFO1) ", %rcx\n"
	     SYNC
	     "jmp 1b\n"
	     "vmrun_no_svme:\n"
	     "mov $" KVM_STR(VMCB_GPA) ", %eax\n"
	     "vmrun %rax\n"
	     SYNC
	     "vmsave_vmload:\n"
	     "mov $" KVM_STR(MSR_KERNEL_GS_BASE) ", %ecx\n"
	     "mov $0x5678, %eax\n"
	     "mov $0x1234, %edx\n"
	     "wrmsr\n"
	     "mov $" KVM_STR(SAVE_GPA) ", %eax\n"
	     "vmsave %rax\n"
	     SYNC
	     "mov $" KVM_STR(SAVE_GPA) ", %eax\n"
	     "vmload %rax\n"
	     "mov $" KVM_STR(MSR_KERNEL_GS_BASE) ", %ecx\n"
	     "rdmsr\n"
	     "shl $32, %rdx\n"
	     "or %rdx, %rax\n"
	     "mov %rax, %rbx\n"
	     SYNC
	     "hlt\n");

GUEST_CODE_LABEL(vmrun_no_svme);
GUEST_CODE_LABEL(vmsave_vmload);

/* L2's programs, each at L2_GPA. */
GUEST_CODE64(l2_vmmcall, "mov $0x1234, %rax\n vmmcall\n");
GUEST_CODE64(l2_cpuid, "xor %eax, %eax\n cpuid\n vmmcall\n");
GUEST_CODE64(l2_out_80, "out %al, $0x80\n vmmcall\n");
GUEST_CODE64(l2_ucall, "mov $0x77, %ebx\n" SYNC "vmmcall\n");
GUEST_CODE64(l2_ud2, "ud2\n");
GUEST_CODE64(l2_hlt, "hlt\n vmmcall\n");
/* L2 reads its DR7. */
GUEST_CODE64(l2_dr7, "mov %dr7, %rax\n vmmcall\n");
/* RDMSR of IA32_GS_BASE three times, then VMMCALL. */
GUEST_CODE64(l2_rdmsr, "mov $" KVM_STR(MSR_GS_BASE) ", %ecx\n"
	     "rdmsr\n rdmsr\n rdmsr\n vmmcall\n");
/* A fast flush of every address space on every processor, CPUID. */
GUEST_CODE64(l2_flush, "mov $0x10002, %ecx\n"
	     "xor %edx, %edx\n"
	     "mov $3, %r8d\n"
	     "vmmcall\n"
	     "mov %rax, " KVM_STR(VAR_RESULT) "\n"
	     "xor %eax, %eax\n cpuid\n vmmcall\n");

struct test {
	struct kvm_vcpu *vcpu;
	uint8_t *mem;
	struct kvm_sregs sregs;
};

static void put32(struct test *t, uint64_t off, uint32_t v)
{
	memcpy(t->mem + VMCB_GPA + off, &v, 4);
}

static void put64(struct test *t, uint64_t off, uint64_t v)
{
	memcpy(t->mem + VMCB_GPA + off, &v, 8);
}

static uint64_t get64(struct test *t, uint64_t off)
{
	uint64_t v;

	memcpy(&v, t->mem + VMCB_GPA + off, 8);
	return v;
}

/* A segment as the VMCB packs it: selector, attributes, limit, base. */
static void put_seg(struct test *t, unsigned int n, const struct kvm_segment *s)
{
	uint16_t attrib = s->type | s->s << 4 | s->dpl << 5 |
			  s->present << 7 | s->avl << 8 | s->l << 9 |
			  s->db << 10 | s->g << 11;
	uint8_t *p = t->mem + VMCB_GPA + VMCB_SAVE + n * 16;

	memcpy(p, &s->selector, 2);
	memcpy(p + 2, &attrib, 2);
	memcpy(p + 4, &s->limit, 4);
	memcpy(p + 8, &s->base, 8);
}

/*
 * A VMCB that runs @code as L2 in L1's own mode, page tables and
 * descriptor tables, with @w3 and @w4 intercepted (VMRUN always) and
 * the exceptions of @exc.
 */
static void vmcb_setup(struct test *t, const void *code, size_t len,
		       uint32_t w3, uint32_t w4, uint32_t exc)
{
	struct kvm_sregs *s = &t->sregs;
	struct { uint16_t limit; uint64_t base; } dt;

	memset(t->mem + VMCB_GPA, 0, 0x1000);
	memcpy(t->mem + L2_GPA, code, len);
	put32(t, VMCB_INTERCEPT_EXC, exc);
	put32(t, VMCB_INTERCEPT_W3, w3);
	put32(t, VMCB_INTERCEPT_W4, w4 | W4_VMRUN);
	put64(t, VMCB_IOPM, IOPM_GPA);
	put32(t, VMCB_ASID, 1);
	put_seg(t, 0, &s->es);
	put_seg(t, 1, &s->cs);
	put_seg(t, 2, &s->ss);
	put_seg(t, 3, &s->ds);
	dt.limit = s->gdt.limit;
	dt.base = s->gdt.base;
	memcpy(t->mem + VMCB_GPA + VMCB_SAVE + 6 * 16 + 4, &dt.limit, 2);
	memcpy(t->mem + VMCB_GPA + VMCB_SAVE + 6 * 16 + 8, &dt.base, 8);
	dt.limit = s->idt.limit;
	dt.base = s->idt.base;
	memcpy(t->mem + VMCB_GPA + VMCB_SAVE + 8 * 16 + 4, &dt.limit, 2);
	memcpy(t->mem + VMCB_GPA + VMCB_SAVE + 8 * 16 + 8, &dt.base, 8);
	t->mem[VMCB_GPA + VMCB_SAVE + SAVE_CPL] = 0;
	put64(t, VMCB_SAVE + SAVE_EFER, s->efer | EFER_SVME);
	put64(t, VMCB_SAVE + SAVE_CR0, s->cr0);
	put64(t, VMCB_SAVE + SAVE_CR3, s->cr3);
	put64(t, VMCB_SAVE + SAVE_CR4, s->cr4);
	put64(t, VMCB_SAVE + SAVE_RFLAGS, 2);
	put64(t, VMCB_SAVE + SAVE_RIP, L2_GPA);
	put64(t, VMCB_SAVE + SAVE_RSP, L2_STACK);
}

/* Run L1 to its next report: the exit code and EXITINFO1 of L2's exit. */
static uint64_t run_l2(struct test *t, uint64_t *info1)
{
	struct ucall uc;

	vcpu_run_ucall(t->vcpu, &uc);
	TEST_REQUIRE(uc.cmd == UCALL_SYNC, "ucall %d", uc.cmd);
	if (info1)
		*info1 = uc.args[1];
	return uc.args[0];
}

static bool host_has_svm(int kvm_fd)
{
	struct {
		struct kvm_cpuid2 c;
		struct kvm_cpuid_entry2 e[128];
	} cpuid = { .c.nent = 128 };
	unsigned int i;

	TEST_REQUIRE(!ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, &cpuid),
		     "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	for (i = 0; i < cpuid.c.nent; i++)
		if (cpuid.e[i].function == 0x80000001)
			return cpuid.e[i].ecx & _BITUL(2);
	return false;
}

/* L2 halts; an interrupt L1 intercepts ends the wait with an exit to L1. */
static void test_halted_l2_interrupt(void)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_lapic_state lapic;
	pthread_t msi;
	struct test t;
	uint64_t code;

	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	t.mem = vm_add_memory(vm, 0, MEM_SIZE);
	t.vcpu = vcpu_create(vm, 0);
	vcpu_load_long_mode(t.vcpu, t.mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	vcpu_get_sregs(t.vcpu, &t.sregs);
	/* The APIC software-enabled (spurious vector register, bit 8). */
	TEST_REQUIRE(!ioctl(t.vcpu->fd, KVM_GET_LAPIC, &lapic), "KVM_GET_LAPIC");
	lapic.regs[0xf0] = 0xff;
	lapic.regs[0xf1] = 1;
	TEST_REQUIRE(!ioctl(t.vcpu->fd, KVM_SET_LAPIC, &lapic), "KVM_SET_LAPIC");

	vmcb_setup(&t, l2_hlt, GUEST_CODE_SIZE(l2_hlt), W3_INTR, W4_VMMCALL, 0);
	/* L2 takes interrupts (without V_INTR_MASKING its RFLAGS.IF counts). */
	put64(&t, VMCB_SAVE + SAVE_RFLAGS, 0x202);
	TEST_REQUIRE(!pthread_create(&msi, NULL, vm_late_msi, vm), "thread");
	code = run_l2(&t, NULL);
	pthread_join(msi, NULL);
	ksft_test_result(code == EXIT_INTR,
			 "interrupt_wakes_halted_l2_for_l1 (%#llx)\n",
			 (unsigned long long)code);
	vcpu_destroy(t.vcpu);
	vm_destroy(vm);
}

/*
 * Make L1 a Hyper-V guest: the Hyper-V leaves in place of KVM's, its OS
 * id, a VP assist page.  Return: whether KVM offers it the direct flush.
 */
static bool make_hv_guest(struct test *t, int kvm_fd)
{
	struct kvm_cpuid2 *c = kvm_hv_cpuid(kvm_fd);
	struct kvm_cpuid_entry2 *nested = kvm_cpuid2_find(c, HV_NESTED_LEAF);
	bool flush = nested && (nested->eax & HV_NESTED_DIRECT_FLUSH);

	TEST_REQUIRE(!ioctl(t->vcpu->fd, KVM_SET_CPUID2, c),
		     "KVM_SET_CPUID2: %s", strerror(errno));
	TEST_REQUIRE(kvm_set_msr(t->vcpu->fd, HV_X64_MSR_GUEST_OS_ID,
				 0x8100000000000000ULL) == 1 &&
		     kvm_set_msr(t->vcpu->fd, HV_X64_MSR_VP_ASSIST_PAGE,
				 VP_ASSIST_GPA | 1) == 1,
		     "Hyper-V MSRs");
	free(c);
	return flush;
}

/*
 * Hyper-V's enlightenments of nested SVM, in a VMCB's software area: the
 * enlightened MSR bitmap (a clean map is not read again) and the direct
 * flush of L2's TLB flush hypercalls.
 */
static void test_hyperv(int kvm_fd)
{
	struct kvm_vm *vm = vm_create();
	uint32_t *locks;
	uint64_t code, info1, result;
	struct test t;
	bool flush;

	t.mem = vm_add_memory(vm, 0, MEM_SIZE);
	t.vcpu = vcpu_create(vm, 0);
	vcpu_load_long_mode(t.vcpu, t.mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	flush = make_hv_guest(&t, kvm_fd);
	vcpu_get_sregs(t.vcpu, &t.sregs);
	ksft_test_result(flush, "hv_direct_flush_offered\n");

	/* Not clean: the map is read and leaves GS_BASE to L0. */
	memset(t.mem + MSRPM_GPA, 0, 0x2000);
	vmcb_setup(&t, l2_rdmsr, GUEST_CODE_SIZE(l2_rdmsr), W3_MSR,
		   W4_VMMCALL, 0);
	put64(&t, VMCB_MSRPM, MSRPM_GPA);
	put32(&t, VMCB_HV_CONTROL, HV_MSR_BITMAP);
	code = run_l2(&t, NULL);
	/* Clean: a bit L1 sets now is not seen. */
	t.mem[MSRPM_GPA + 0x800 + (MSR_GS_BASE & 0x1fff) * 2 / 8] |=
		1 << ((MSR_GS_BASE & 0x1fff) * 2 % 8);
	put64(&t, VMCB_SAVE + SAVE_RIP, L2_GPA);
	put32(&t, VMCB_CLEAN, CLEAN_HV);
	info1 = run_l2(&t, NULL);
	ksft_test_result(code == EXIT_VMMCALL && info1 == EXIT_VMMCALL,
			 "clean_msr_bitmap_not_read_again (%#llx %#llx)\n",
			 (unsigned long long)code, (unsigned long long)info1);
	/* Not clean again: the bit takes L2's RDMSR. */
	put64(&t, VMCB_SAVE + SAVE_RIP, L2_GPA);
	put32(&t, VMCB_CLEAN, 0);
	code = run_l2(&t, NULL);
	ksft_test_result(code == EXIT_MSR &&
			 get64(&t, VMCB_SAVE + SAVE_RIP) == L2_GPA + 5,
			 "changed_msr_bitmap_read (%#llx)\n",
			 (unsigned long long)code);

	/* The direct flush: no exit to L1 for the hypercall. */
	locks = (uint32_t *)(t.mem + PARTITION_GPA);
	*locks = 0;
	t.mem[VP_ASSIST_GPA + 32] = 1;	/* nested_control: direct hypercall */
	vmcb_setup(&t, l2_flush, GUEST_CODE_SIZE(l2_flush), W3_CPUID,
		   W4_VMMCALL, 0);
	put32(&t, VMCB_HV_CONTROL, HV_FLUSH_HYPERCALL);
	put32(&t, VMCB_HV_VP_ID, 1);
	put64(&t, VMCB_HV_VM_ID, 1);
	put64(&t, VMCB_HV_PARTITION, PARTITION_GPA);
	memset(t.mem + VAR_RESULT, 0xff, 8);
	code = run_l2(&t, NULL);
	memcpy(&result, t.mem + VAR_RESULT, 8);
	ksft_test_result(code == EXIT_CPUID && !result,
			 "l2_flush_hypercall_handled_for_l1 (%#llx result %#llx)\n",
			 (unsigned long long)code, (unsigned long long)result);

	*locks = 1;
	put64(&t, VMCB_SAVE + SAVE_RIP, L2_GPA);
	code = run_l2(&t, &info1);
	ksft_test_result(code == EXIT_HV_ENL && info1 == HV_TRAP_AFTER_FLUSH &&
			 get64(&t, VMCB_SAVE + SAVE_RIP) == L2_GPA + 16,
			 "tlb_lock_gives_l1_synthetic_exit (%#llx %#llx)\n",
			 (unsigned long long)code, (unsigned long long)info1);

	vcpu_destroy(t.vcpu);
	vm_destroy(vm);
}

static void jump(struct test *t, const unsigned char *entry)
{
	struct kvm_regs regs;

	vcpu_get_regs(t->vcpu, &regs);
	regs.rip = CODE_GPA + (entry - guest_code);
	regs.rsp = STACK;
	vcpu_set_regs(t->vcpu, &regs);
}

#define NR_CASES 17

int main(void)
{
	int kvm_fd = kvm_open_dev();
	struct kvm_vm *vm;
	struct test t;
	struct ucall uc;
	uint64_t code, info1;
	int i;

	ksft_print_header();
	ksft_set_plan(NR_CASES);
	if (!host_has_svm(kvm_fd)) {
		for (i = 0; i < NR_CASES; i++)
			ksft_test_result_skip("no SVM to nest\n");
		ksft_finished();
	}

	vm = vm_create();
	t.mem = vm_add_memory(vm, 0, MEM_SIZE);
	t.vcpu = vcpu_create(vm, 0);
	vcpu_load_long_mode(t.vcpu, t.mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	vcpu_get_sregs(t.vcpu, &t.sregs);

	jump(&t, vmrun_no_svme);
	ksft_test_result(!vcpu_run(t.vcpu) && vcpu_exit_ucall(t.vcpu, &uc) &&
			 uc.cmd == UCALL_EXCEPTION && uc.args[0] == UD_VECTOR,
			 "vmrun_without_svme_ud\n");
	jump(&t, guest_code);

	vmcb_setup(&t, l2_vmmcall, GUEST_CODE_SIZE(l2_vmmcall), 0,
		   W4_VMMCALL, 0);
	code = run_l2(&t, NULL);
	ksft_test_result(code == EXIT_VMMCALL &&
			 get64(&t, VMCB_SAVE + SAVE_RAX) == 0x1234 &&
			 get64(&t, VMCB_SAVE + SAVE_RIP) == L2_GPA + 7,
			 "l2_vmmcall_exits_to_l1 (%#llx rip %#llx)\n",
			 (unsigned long long)code,
			 (unsigned long long)get64(&t, VMCB_SAVE + SAVE_RIP));

	vmcb_setup(&t, l2_cpuid, GUEST_CODE_SIZE(l2_cpuid), W3_CPUID,
		   W4_VMMCALL, 0);
	code = run_l2(&t, NULL);
	ksft_test_result(code == EXIT_CPUID &&
			 get64(&t, VMCB_SAVE + SAVE_RIP) == L2_GPA + 2,
			 "intercepted_cpuid_exits_to_l1 (%#llx)\n",
			 (unsigned long long)code);

	vmcb_setup(&t, l2_cpuid, GUEST_CODE_SIZE(l2_cpuid), 0, W4_VMMCALL, 0);
	code = run_l2(&t, NULL);
	ksft_test_result(code == EXIT_VMMCALL &&
			 get64(&t, VMCB_SAVE + SAVE_RAX) >= 1,
			 "cpuid_l1_leaves_alone_is_handled (%#llx leaves %llu)\n",
			 (unsigned long long)code,
			 (unsigned long long)get64(&t, VMCB_SAVE + SAVE_RAX));

	/* Port 0x80 in L1's I/O permission map. */
	memset(t.mem + IOPM_GPA, 0, 0x3000);
	t.mem[IOPM_GPA + 0x80 / 8] = 1;
	vmcb_setup(&t, l2_out_80, GUEST_CODE_SIZE(l2_out_80), W3_IOIO,
		   W4_VMMCALL, 0);
	code = run_l2(&t, &info1);
	ksft_test_result(code == EXIT_IOIO && (info1 >> 16) == 0x80,
			 "out_in_l1_iopm_exits_to_l1 (%#llx %#llx)\n",
			 (unsigned long long)code, (unsigned long long)info1);

	vmcb_setup(&t, l2_ucall, GUEST_CODE_SIZE(l2_ucall), W3_IOIO,
		   W4_VMMCALL, 0);
	vcpu_run_ucall(t.vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == 0x77,
			 "out_not_in_l1_iopm_reaches_userspace\n");
	code = run_l2(&t, NULL);
	ksft_test_result(code == EXIT_VMMCALL,
			 "l2_goes_on_after_userspace (%#llx)\n",
			 (unsigned long long)code);

	vmcb_setup(&t, l2_ud2, GUEST_CODE_SIZE(l2_ud2), 0, W4_VMMCALL,
		   _BITUL(UD_VECTOR));
	code = run_l2(&t, NULL);
	ksft_test_result(code == EXIT_EXCP_UD, "intercepted_ud_exits_to_l1 (%#llx)\n",
			 (unsigned long long)code);

	/* L2's DR7 is the VMCB12's, and goes back to it at the exit. */
	vmcb_setup(&t, l2_dr7, GUEST_CODE_SIZE(l2_dr7), 0, W4_VMMCALL, 0);
	put64(&t, VMCB_SAVE + SAVE_DR7, 0x600);
	code = run_l2(&t, NULL);
	ksft_test_result(code == EXIT_VMMCALL &&
			 get64(&t, VMCB_SAVE + SAVE_RAX) == 0x600 &&
			 get64(&t, VMCB_SAVE + SAVE_DR7) == 0x600,
			 "l2_dr7_from_and_to_vmcb12 (read %#llx, saved %#llx)\n",
			 (unsigned long long)get64(&t, VMCB_SAVE + SAVE_RAX),
			 (unsigned long long)get64(&t, VMCB_SAVE + SAVE_DR7));

	/* Without the VMRUN intercept, VMRUN fails: VMEXIT_INVALID. */
	vmcb_setup(&t, l2_vmmcall, GUEST_CODE_SIZE(l2_vmmcall), 0,
		   W4_VMMCALL, 0);
	put32(&t, VMCB_INTERCEPT_W4, W4_VMMCALL);
	code = run_l2(&t, NULL);
	ksft_test_result(code == ~0ULL, "vmcb_without_vmrun_intercept_invalid (%#llx)\n",
			 (unsigned long long)code);

	jump(&t, vmsave_vmload);
	vcpu_run_ucall(t.vcpu, &uc);
	memcpy(&code, t.mem + SAVE_GPA + VMCB_SAVE + SAVE_KERNEL_GS_BASE, 8);
	info1 = 0xabcdef;
	memcpy(t.mem + SAVE_GPA + VMCB_SAVE + SAVE_KERNEL_GS_BASE, &info1, 8);
	vcpu_run_ucall(t.vcpu, &uc);
	ksft_test_result(code == 0x123400005678ULL && uc.args[0] == 0xabcdef,
			 "vmsave_vmload_kernel_gs_base (%#llx %#llx)\n",
			 (unsigned long long)code,
			 (unsigned long long)uc.args[0]);

	vcpu_destroy(t.vcpu);
	vm_destroy(vm);
	test_halted_l2_interrupt();
	test_hyperv(kvm_fd);
	ksft_finished();
}
