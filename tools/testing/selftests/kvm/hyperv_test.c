// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hyper-V enlightenments: KVM_GET_SUPPORTED_HV_CPUID on /dev/kvm and on a
 * vCPU; the Hyper-V MSRs in the list to save and refused to a guest whose
 * CPUID does not say Hyper-V; the VP index; the hypercall page and
 * hypercalls through it (unknown code, reserved bits, long spin wait, an
 * extended hypercall answered by userspace); the reference counter, the
 * TSC frequency and the reference TSC page (off, on, agreeing with the
 * counter, rewritten by KVM_SET_CLOCK); reset and crash reports as system
 * events; the VP run time; EOI, ICR and TPR through the APIC access MSRs
 * and the assist page MSR; IPIs (to VP 0, to all, to nobody, an invalid
 * vector) and TLB flushes by hypercall, with input in memory, in RDX and
 * R8, and in XMM registers; the SynIC (its MSRs, exits, SINT routes,
 * masks) and synthetic timers (messages, a busy slot and EOM, direct
 * mode, waking a halted guest, auto-EOI); the synthetic debugger's exits
 * and hypercalls; a message hypercall without a SynIC; and
 * KVM_CAP_HYPERV_ENFORCE_CPUID hiding what CPUID does not offer, XMM
 * input among it (#UD).
 */
#include <cpuid.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define HV_X64_MSR_GUEST_OS_ID		0x40000000
#define HV_X64_MSR_HYPERCALL		0x40000001
#define HV_X64_MSR_VP_INDEX		0x40000002
#define HV_X64_MSR_RESET		0x40000003
#define HV_X64_MSR_VP_RUNTIME		0x40000010
#define HV_X64_MSR_TIME_REF_COUNT	0x40000020
#define HV_X64_MSR_REFERENCE_TSC	0x40000021
#define HV_X64_MSR_TSC_FREQUENCY	0x40000022
#define HV_X64_MSR_EOI			0x40000070
#define HV_X64_MSR_ICR			0x40000071
#define HV_X64_MSR_TPR			0x40000072
#define HV_X64_MSR_VP_ASSIST_PAGE	0x40000073
#define HV_X64_MSR_SCONTROL		0x40000080
#define HV_X64_MSR_SVERSION		0x40000081
#define HV_X64_MSR_SIMP			0x40000083
#define HV_X64_MSR_EOM			0x40000084
#define HV_X64_MSR_SINT0		0x40000090
#define HV_X64_MSR_STIMER0_CONFIG	0x400000b0
#define HV_X64_MSR_STIMER0_COUNT	0x400000b1
#define HV_SINT_MASKED			0x10000ULL
#define HV_SINT_AUTO_EOI		0x20000ULL
#define HV_STIMER_ENABLE		0x1ULL
#define HV_STIMER_PERIODIC		0x2ULL
#define HV_STIMER_DIRECT		0x1000ULL
#define HV_STIMER_VECTOR(v)		((uint64_t)(v) << 4)
#define HV_STIMER_SINT(n)		((uint64_t)(n) << 16)
#define HVMSG_TIMER_EXPIRED		0x80000010u
#define HV_X64_MSR_SYNDBG_CONTROL	0x400000f1
#define HV_X64_MSR_SYNDBG_STATUS	0x400000f2
#define HV_X64_MSR_CRASH_P0		0x40000100
#define HV_X64_MSR_CRASH_CTL		0x40000105
#define HV_CRASH_CTL_CRASH_NOTIFY	0x8000000000000000ULL

#define HV_INTERFACE_SIGNATURE		0x31237648	/* "Hv#1" */
#define HV_FEATURES_LEAF		0x40000003
#define HV_MSR_TIME_REF_COUNT_AVAILABLE	0x2u
#define HV_MSR_HYPERCALL_AVAILABLE	0x20u
#define HV_ENABLE_EXTENDED_HYPERCALLS	0x100000u

#define HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE	0x0002
#define HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST	0x0003
#define HVCALL_NOTIFY_LONG_SPIN_WAIT	0x0008
#define HVCALL_SEND_IPI			0x000b
#define HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX	0x0013
#define HVCALL_SEND_IPI_EX		0x0015
#define HVCALL_POST_MESSAGE		0x005c
#define HVCALL_RESET_DEBUG_SESSION	0x006b
#define HV_STATUS_OPERATION_DENIED	8
#define HV_HYPERCALL_FAST		0x10000ULL
#define HV_HYPERCALL_VARHEAD_1		0x20000ULL
#define HV_GENERIC_SET_SPARSE_4K	0
#define HV_GENERIC_SET_ALL		1
#define HV_EXT_CALL_QUERY_CAPABILITIES	0x8001
#define HV_HYPERCALL_REP_COMP_1		0x100000000ULL
#define HV_HYPERCALL_RSVD2		0x8000000000000000ULL
#define HV_STATUS_INVALID_HYPERCALL_CODE  2
#define HV_STATUS_INVALID_HYPERCALL_INPUT 3
#define HV_STATUS_ACCESS_DENIED		6

#define LINUX_OS_ID			0x8100000000000000ULL
#define CODE_GPA	0x1000
#define HCALL_GPA	0x3000
#define TSC_PAGE_GPA	0x4000
#define IN_GPA		0x5000
#define OUT_GPA		0x6000
#define XMM_GPA		0x6800
#define SIMP_GPA	0x7000
#define HANDLER_GPA	0x9000
#define STACK		0x8000
#define GP_VECTOR	13
#define UD_VECTOR	6
#define MAX_ENTRIES	256

/*
 * Entry points; the test sets the registers each reads.  Each reports
 * with UCALL_SYNC (RBX and RCX its results), or the library's handler
 * reports an exception.
 */
GUEST_CODE64(guest_code,
	     /* RCX: MSR; RBX = its value */
	     "read_msr:\n"
	     "rdmsr\n"
	     "shl $32, %rdx\n"
	     "or %rdx, %rax\n"
	     "mov %rax, %rbx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n"
	     /* RCX: MSR, RAX: value */
	     "write_msr:\n"
	     "mov %rax, %rdx\n"
	     "shr $32, %rdx\n"
	     "wrmsr\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n"
	     /* Halt with interrupts on until one comes */
	     "halt_once:\n"
	     "sti\n"
	     "hlt\n"
	     "cli\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n"
	     /* The same, with XMM0 and XMM1 loaded from XMM_GPA first */
	     "hypercall_xmm:\n"
	     "mov %cr4, %rax\n"
	     "or $0x200, %rax\n"			/* OSFXSR */
	     "mov %rax, %cr4\n"
	     "movdqu " KVM_STR(XMM_GPA) ", %xmm0\n"
	     "movdqu " KVM_STR(XMM_GPA) " + 16, %xmm1\n"
	     /* RCX: input value, RDX, R8: parameters; RBX = result */
	     "hypercall:\n"
	     "mov $" KVM_STR(HCALL_GPA) ", %rax\n"
	     "call *%rax\n"
	     "mov %rax, %rbx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n"
	     /* RBX = the TSC page's time, RCX = the counter's after it */
	     "tsc_page_time:\n"
	     "mov $" KVM_STR(TSC_PAGE_GPA) ", %rsi\n"
	     "rdtsc\n"
	     "shl $32, %rdx\n"
	     "or %rdx, %rax\n"
	     "mulq 8(%rsi)\n"
	     "add 16(%rsi), %rdx\n"
	     "mov %rdx, %rbx\n"
	     "mov $" KVM_STR(HV_X64_MSR_TIME_REF_COUNT) ", %ecx\n"
	     "rdmsr\n"
	     "shl $32, %rdx\n"
	     "or %rdx, %rax\n"
	     "mov %rax, %rcx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

GUEST_CODE_LABEL(read_msr);
GUEST_CODE_LABEL(write_msr);
GUEST_CODE_LABEL(hypercall);
GUEST_CODE_LABEL(hypercall_xmm);
GUEST_CODE_LABEL(halt_once);

/* An interrupt handler that sends no EOI: for auto-EOI SINTs. */
GUEST_CODE64(guest_iret, "iretq\n");
GUEST_CODE_LABEL(tsc_page_time);

struct hv_guest {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	uint8_t *mem;
};

static struct kvm_cpuid2 *supported_hv_cpuid(int fd)
{
	struct kvm_cpuid2 *hv = kvm_cpuid2_alloc(MAX_ENTRIES);

	TEST_REQUIRE(!ioctl(fd, KVM_GET_SUPPORTED_HV_CPUID, hv),
		     "KVM_GET_SUPPORTED_HV_CPUID: %s", strerror(errno));
	return hv;
}

/*
 * The supported CPUID with the Hyper-V leaves in place of KVM's; @eax,
 * @ebx, @edx replace the features leaf unless ~0.
 */
static void set_hv_cpuid(struct kvm_vcpu *vcpu, uint32_t eax, uint32_t ebx,
			 uint32_t edx)
{
	struct kvm_cpuid2 *c = kvm_hv_cpuid(vcpu->vm->kvm_fd);
	struct kvm_cpuid_entry2 *f = kvm_cpuid2_find(c, HV_FEATURES_LEAF);

	if (f && eax != ~0u) {
		f->eax = eax;
		f->ebx = ebx;
		f->edx = edx;
	}
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_CPUID2, c), "KVM_SET_CPUID2: %s",
		     strerror(errno));
	free(c);
}

/* A long-mode guest; with @hv, its CPUID says Hyper-V. */
static void hv_guest_create_irqchip(struct hv_guest *g, bool hv, bool irqchip)
{
	g->vm = vm_create();
	g->mem = vm_add_memory(g->vm, 0, LONG_MODE_MEM_MIN);
	if (irqchip)
		TEST_REQUIRE(!ioctl(g->vm->fd, KVM_CREATE_IRQCHIP, 0),
			     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	g->vcpu = vcpu_create(g->vm, 0);
	vcpu_load_long_mode(g->vcpu, g->mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	if (hv)
		set_hv_cpuid(g->vcpu, ~0u, 0, 0);
}

static void hv_guest_create(struct hv_guest *g, bool hv)
{
	hv_guest_create_irqchip(g, hv, false);
}

static void hv_guest_destroy(struct hv_guest *g)
{
	vcpu_destroy(g->vcpu);
	vm_destroy(g->vm);
}

/*
 * Run from @entry with RCX, RAX, RDX and R8 set to the rest; return the
 * ucall command (UCALL_SYNC, or UCALL_EXCEPTION with the vector in
 * arg 0), or -1 for another exit, which stays in the run page.
 */
static int run_at(struct hv_guest *g, const unsigned char *entry,
		  uint64_t rcx, uint64_t rax, uint64_t rdx, uint64_t r8,
		  struct ucall *uc)
{
	struct kvm_regs regs;

	vcpu_get_regs(g->vcpu, &regs);
	regs.rip = CODE_GPA + (entry - guest_code);
	regs.rsp = STACK;
	regs.rflags = 0x2;
	regs.rcx = rcx;
	regs.rax = rax;
	regs.rdx = rdx;
	regs.r8 = r8;
	vcpu_set_regs(g->vcpu, &regs);
	TEST_REQUIRE(!vcpu_run(g->vcpu), "KVM_RUN: %s", strerror(errno));
	if (!vcpu_exit_ucall(g->vcpu, uc))
		return -1;
	return uc->cmd;
}

/* The guest's RDMSR: true and the value, or false for #GP. */
static bool guest_rdmsr(struct hv_guest *g, uint32_t msr, uint64_t *val)
{
	struct ucall uc;
	int r = run_at(g, read_msr, msr, 0, 0, 0, &uc);

	TEST_REQUIRE(r == UCALL_SYNC ||
		     (r == UCALL_EXCEPTION && uc.args[0] == GP_VECTOR),
		     "rdmsr %#x: %d", msr, r);
	*val = uc.args[0];
	return r == UCALL_SYNC;
}

/* The guest's WRMSR: 1 done, 0 for #GP, -1 for an exit (in the run page). */
static int guest_wrmsr(struct hv_guest *g, uint32_t msr, uint64_t val)
{
	struct ucall uc;
	int r = run_at(g, write_msr, msr, val, 0, 0, &uc);

	if (r < 0)
		return -1;
	TEST_REQUIRE(r == UCALL_SYNC ||
		     (r == UCALL_EXCEPTION && uc.args[0] == GP_VECTOR),
		     "wrmsr %#x: %d", msr, r);
	return r == UCALL_SYNC;
}

/*
 * A hypercall through the page with RDX and R8 as given; its result, or
 * ~0 for another exit.
 */
static uint64_t guest_hypercall_with(struct hv_guest *g, uint64_t control,
				     uint64_t rdx, uint64_t r8)
{
	struct ucall uc;
	int r = run_at(g, hypercall, control, 0, rdx, r8, &uc);

	if (r < 0)
		return ~0ULL;
	TEST_REQUIRE(r == UCALL_SYNC, "hypercall %#llx: %d",
		     (unsigned long long)control, r);
	return uc.args[0];
}

/* A hypercall with its input at IN_GPA and output at OUT_GPA. */
static uint64_t guest_hypercall(struct hv_guest *g, uint64_t control)
{
	return guest_hypercall_with(g, control, IN_GPA, OUT_GPA);
}

static uint64_t host_msr(struct hv_guest *g, uint32_t msr)
{
	uint64_t v = 0;

	TEST_REQUIRE(kvm_get_msr(g->vcpu->fd, msr, &v) == 1, "get %#x", msr);
	return v;
}

/* Guest OS id and hypercall page, as a guest sets them up. */
static void hv_guest_enable(struct hv_guest *g)
{
	TEST_REQUIRE(guest_wrmsr(g, HV_X64_MSR_GUEST_OS_ID, LINUX_OS_ID) == 1,
		     "guest OS id");
	TEST_REQUIRE(guest_wrmsr(g, HV_X64_MSR_HYPERCALL, HCALL_GPA | 1) == 1,
		     "hypercall page");
}

static void test_cpuid_and_lists(int kvm_fd)
{
	struct kvm_cpuid2 small = { .nent = 1 }, *sys, *vc;
	struct kvm_cpuid_entry2 *iface, *vendor;
	struct hv_guest g;
	uint64_t v;
	int ret;

	ret = ioctl(kvm_fd, KVM_GET_SUPPORTED_HV_CPUID, &small);
	ksft_test_result(ret == -1 && errno == E2BIG,
			 "sys_hv_cpuid_small_is_e2big\n");
	sys = supported_hv_cpuid(kvm_fd);
	iface = kvm_cpuid2_find(sys, 0x40000001);
	vendor = kvm_cpuid2_find(sys, 0x40000000);
	ksft_test_result(sys->nent == 10 && iface &&
			 iface->eax == HV_INTERFACE_SIGNATURE && vendor &&
			 vendor->eax >= 0x40000005 && kvm_cpuid2_find(sys, 0x40000003) &&
			 kvm_cpuid2_find(sys, 0x4000000a),
			 "sys_hv_cpuid_has_the_ten_leaves (%u)\n", sys->nent);

	hv_guest_create(&g, false);
	ret = ioctl(g.vcpu->fd, KVM_GET_SUPPORTED_HV_CPUID, &small);
	ksft_test_result(ret == -1 && errno == E2BIG,
			 "vcpu_hv_cpuid_small_is_e2big\n");
	vc = supported_hv_cpuid(g.vcpu->fd);
	iface = kvm_cpuid2_find(vc, 0x40000001);
	ksft_test_result(vc->nent == sys->nent && iface &&
			 iface->eax == HV_INTERFACE_SIGNATURE,
			 "vcpu_hv_cpuid_lists_the_same_leaves\n");
	free(vc);
	free(sys);

	ksft_test_result(!guest_rdmsr(&g, HV_X64_MSR_GUEST_OS_ID, &v) &&
			 guest_wrmsr(&g, HV_X64_MSR_GUEST_OS_ID, LINUX_OS_ID) == 0,
			 "hv_msrs_gp_without_hv_cpuid\n");
	hv_guest_destroy(&g);

	ksft_test_result(kvm_msr_listed(kvm_fd, HV_X64_MSR_GUEST_OS_ID) &&
			 kvm_msr_listed(kvm_fd, HV_X64_MSR_HYPERCALL) &&
			 kvm_msr_listed(kvm_fd, HV_X64_MSR_VP_INDEX) &&
			 kvm_msr_listed(kvm_fd, HV_X64_MSR_TIME_REF_COUNT) &&
			 kvm_msr_listed(kvm_fd, HV_X64_MSR_REFERENCE_TSC),
			 "hv_msrs_in_save_list\n");
}

static void test_vp_index(void)
{
	struct hv_guest g;
	uint64_t v = ~0ULL, w = ~0ULL;

	hv_guest_create(&g, true);
	ksft_test_result(guest_rdmsr(&g, HV_X64_MSR_VP_INDEX, &v) && v == 0 &&
			 host_msr(&g, HV_X64_MSR_VP_INDEX) == 0,
			 "vp_index_starts_at_0 (%llu)\n", (unsigned long long)v);
	ksft_test_result(kvm_set_msr(g.vcpu->fd, HV_X64_MSR_VP_INDEX, 7) == 1 &&
			 guest_rdmsr(&g, HV_X64_MSR_VP_INDEX, &w) && w == 7,
			 "host_sets_vp_index\n");
	ksft_test_result(guest_wrmsr(&g, HV_X64_MSR_VP_INDEX, 3) == 0 &&
			 host_msr(&g, HV_X64_MSR_VP_INDEX) == 7,
			 "guest_vp_index_write_is_gp\n");
	hv_guest_destroy(&g);
}

/* VMCALL on Intel, VMMCALL on AMD. */
static bool is_hypercall_insn(const uint8_t *p)
{
	uint32_t eax, ebx, ecx, edx;

	__cpuid(0, eax, ebx, ecx, edx);
	return p[0] == 0x0f && p[1] == 0x01 &&
	       p[2] == (ebx == 0x68747541 ? 0xd9 : 0xc1);	/* "Auth" */
}

static void test_hypercalls(void)
{
	struct hv_guest g;
	struct kvm_run *run;
	uint64_t control, r;
	bool ok;

	hv_guest_create(&g, true);
	hv_guest_enable(&g);
	run = g.vcpu->run;
	ksft_test_result(is_hypercall_insn(g.mem + HCALL_GPA) &&
			 host_msr(&g, HV_X64_MSR_HYPERCALL) == (HCALL_GPA | 1),
			 "hypercall_page_holds_the_hypercall (%02x %02x %02x %02x)\n",
			 g.mem[HCALL_GPA], g.mem[HCALL_GPA + 1],
			 g.mem[HCALL_GPA + 2], g.mem[HCALL_GPA + 3]);

	r = guest_hypercall(&g, 0x7fff);
	ksft_test_result((r & 0xffff) == HV_STATUS_INVALID_HYPERCALL_CODE,
			 "unknown_hypercall_is_invalid_code (%#llx)\n",
			 (unsigned long long)r);
	r = guest_hypercall(&g, HVCALL_NOTIFY_LONG_SPIN_WAIT |
			    HV_HYPERCALL_RSVD2);
	ksft_test_result((r & 0xffff) == HV_STATUS_INVALID_HYPERCALL_INPUT,
			 "reserved_bits_are_invalid_input (%#llx)\n",
			 (unsigned long long)r);
	r = guest_hypercall(&g, HVCALL_NOTIFY_LONG_SPIN_WAIT);
	ksft_test_result((r & 0xffff) == 0, "long_spin_wait_succeeds\n");
	r = guest_hypercall(&g, HVCALL_NOTIFY_LONG_SPIN_WAIT |
			    HV_HYPERCALL_REP_COMP_1);
	ksft_test_result((r & 0xffff) == HV_STATUS_INVALID_HYPERCALL_INPUT,
			 "long_spin_wait_with_reps_is_invalid_input\n");

	/* Userspace answers the extended hypercall; the guest sees that. */
	control = HV_EXT_CALL_QUERY_CAPABILITIES;
	r = guest_hypercall(&g, control);
	ok = r == ~0ULL && run->exit_reason == KVM_EXIT_HYPERV &&
	     run->hyperv.type == KVM_EXIT_HYPERV_HCALL &&
	     run->hyperv.u.hcall.input == control &&
	     run->hyperv.u.hcall.params[0] == IN_GPA &&
	     run->hyperv.u.hcall.params[1] == OUT_GPA;
	if (ok) {
		struct ucall uc;

		run->hyperv.u.hcall.result = 0x1234;
		TEST_REQUIRE(!vcpu_run(g.vcpu), "KVM_RUN: %s", strerror(errno));
		ok = vcpu_exit_ucall(g.vcpu, &uc) && uc.cmd == UCALL_SYNC &&
		     uc.args[0] == 0x1234;
	}
	ksft_test_result(ok, "ext_hypercall_goes_to_userspace (exit %u)\n",
			 run->exit_reason);
	hv_guest_destroy(&g);
}

static void test_time(void)
{
	struct kvm_clock_data clock = { .clock = 1000000000000ULL };
	static const uint8_t zero[24];
	uint64_t a = 0, b = 0, f = 0, khz;
	struct hv_guest g;
	struct ucall uc;
	bool ok;

	hv_guest_create(&g, true);
	hv_guest_enable(&g);
	ok = guest_rdmsr(&g, HV_X64_MSR_TIME_REF_COUNT, &a);
	usleep(20000);
	ok = ok && guest_rdmsr(&g, HV_X64_MSR_TIME_REF_COUNT, &b);
	/* 20 ms are 200000 units of 100 ns. */
	ksft_test_result(ok && b >= a + 200000,
			 "time_ref_count_advances (%llu %llu)\n",
			 (unsigned long long)a, (unsigned long long)b);
	khz = ioctl(g.vcpu->fd, KVM_GET_TSC_KHZ, 0);
	ksft_test_result(guest_rdmsr(&g, HV_X64_MSR_TSC_FREQUENCY, &f) &&
			 f == khz * 1000,
			 "tsc_frequency_is_tsc_khz (%llu)\n",
			 (unsigned long long)f);

	ok = guest_wrmsr(&g, HV_X64_MSR_REFERENCE_TSC, TSC_PAGE_GPA) == 1;
	ksft_test_result(ok && !memcmp(g.mem + TSC_PAGE_GPA, zero, 24),
			 "tsc_page_off_stays_clean\n");

	ok = guest_wrmsr(&g, HV_X64_MSR_REFERENCE_TSC, TSC_PAGE_GPA | 1) == 1;
	ok = ok && *(uint32_t *)(g.mem + TSC_PAGE_GPA) != 0;
	ok = ok && run_at(&g, tsc_page_time, 0, 0, 0, 0, &uc) == UCALL_SYNC;
	/* The page's time, then the counter's: in order, within 10 ms. */
	ksft_test_result(ok && uc.args[1] >= uc.args[0] &&
			 uc.args[1] - uc.args[0] < 100000,
			 "tsc_page_agrees_with_counter (%llu %llu)\n",
			 (unsigned long long)uc.args[0],
			 (unsigned long long)uc.args[1]);

	/* The clock set to 1000 s: the page follows at the next entry. */
	TEST_REQUIRE(!ioctl(g.vm->fd, KVM_SET_CLOCK, &clock),
		     "KVM_SET_CLOCK: %s", strerror(errno));
	ok = run_at(&g, tsc_page_time, 0, 0, 0, 0, &uc) == UCALL_SYNC;
	ksft_test_result(ok && uc.args[0] >= 10000000000ULL &&
			 uc.args[0] < 10100000000ULL &&
			 uc.args[1] >= uc.args[0],
			 "set_clock_rewrites_tsc_page (%llu)\n",
			 (unsigned long long)uc.args[0]);
	hv_guest_destroy(&g);
}

static void test_system_events(void)
{
	struct hv_guest g;
	struct kvm_run *run;

	hv_guest_create(&g, true);
	run = g.vcpu->run;
	ksft_test_result(guest_wrmsr(&g, HV_X64_MSR_RESET, 1) == -1 &&
			 run->exit_reason == KVM_EXIT_SYSTEM_EVENT &&
			 run->system_event.type == KVM_SYSTEM_EVENT_RESET,
			 "reset_msr_is_reset_event (exit %u)\n",
			 run->exit_reason);
	TEST_REQUIRE(guest_wrmsr(&g, HV_X64_MSR_CRASH_P0, 0xdead) == 1,
		     "crash P0");
	ksft_test_result(guest_wrmsr(&g, HV_X64_MSR_CRASH_CTL,
				     HV_CRASH_CTL_CRASH_NOTIFY) == -1 &&
			 run->exit_reason == KVM_EXIT_SYSTEM_EVENT &&
			 run->system_event.type == KVM_SYSTEM_EVENT_CRASH &&
			 host_msr(&g, HV_X64_MSR_CRASH_P0) == 0xdead,
			 "crash_ctl_is_crash_event (exit %u)\n",
			 run->exit_reason);
	hv_guest_destroy(&g);
}

/* Bit @vec of the APIC's 256-bit register at @reg (ISR, IRR...). */
static bool apic_bit(struct kvm_lapic_state *s, unsigned int reg, int vec)
{
	uint32_t w;

	memcpy(&w, s->regs + reg + (vec / 32) * 0x10, 4);
	return w & (1u << (vec % 32));
}

/* Software-enable the in-kernel APIC (SVR bit 8), as a guest would. */
static void apic_sw_enable(struct hv_guest *g)
{
	struct kvm_lapic_state apic;

	TEST_REQUIRE(!ioctl(g->vcpu->fd, KVM_GET_LAPIC, &apic),
		     "KVM_GET_LAPIC: %s", strerror(errno));
	apic.regs[0xf1] |= 1;
	TEST_REQUIRE(!ioctl(g->vcpu->fd, KVM_SET_LAPIC, &apic),
		     "KVM_SET_LAPIC: %s", strerror(errno));
}

static void test_vp_msrs(void)
{
	struct kvm_lapic_state apic;
	uint64_t v = 0, w = 0;
	struct hv_guest g;
	uint32_t tpr = 0;
	bool ok;

	hv_guest_create_irqchip(&g, true, true);
	ok = kvm_set_msr(g.vcpu->fd, HV_X64_MSR_VP_RUNTIME, 1000000) == 1 &&
	     guest_rdmsr(&g, HV_X64_MSR_VP_RUNTIME, &v) &&
	     guest_rdmsr(&g, HV_X64_MSR_VP_RUNTIME, &w);
	/* Set to 100 ms; a second of run time at most since. */
	ksft_test_result(ok && v >= 1000000 && w >= v && w < 11000000,
			 "vp_runtime_counts_from_what_userspace_set (%llu %llu)\n",
			 (unsigned long long)v, (unsigned long long)w);

	ok = guest_wrmsr(&g, HV_X64_MSR_TPR, 0x50) == 1 &&
	     guest_rdmsr(&g, HV_X64_MSR_TPR, &v) && v == 0x50 &&
	     !ioctl(g.vcpu->fd, KVM_GET_LAPIC, &apic);
	memcpy(&tpr, apic.regs + 0x80, 4);
	ksft_test_result(ok && tpr == 0x50, "tpr_msr_is_the_apic_tpr\n");
	TEST_REQUIRE(guest_wrmsr(&g, HV_X64_MSR_TPR, 0) == 1, "TPR 0");

	/*
	 * A fixed IPI to itself, vector 0x41, to the software-enabled APIC
	 * (SVR bit 8); the guest runs with interrupts off.
	 */
	apic_sw_enable(&g);
	ok = guest_wrmsr(&g, HV_X64_MSR_ICR, 0x40041) == 1 &&
	     !ioctl(g.vcpu->fd, KVM_GET_LAPIC, &apic);
	ksft_test_result(ok && apic_bit(&apic, 0x200, 0x41),
			 "icr_msr_sends_the_ipi\n");

	/* 0x41 in service instead: the EOI MSR ends it. */
	memset(apic.regs + 0x200, 0, 0x80);
	apic.regs[0x100 + (0x41 / 32) * 0x10] |= 1 << 1;	/* ISR */
	TEST_REQUIRE(!ioctl(g.vcpu->fd, KVM_SET_LAPIC, &apic),
		     "KVM_SET_LAPIC: %s", strerror(errno));
	ok = guest_wrmsr(&g, HV_X64_MSR_EOI, 0) == 1 &&
	     !ioctl(g.vcpu->fd, KVM_GET_LAPIC, &apic);
	ksft_test_result(ok && !apic_bit(&apic, 0x100, 0x41),
			 "eoi_msr_ends_the_isr\n");

	ok = guest_wrmsr(&g, HV_X64_MSR_VP_ASSIST_PAGE, OUT_GPA | 1) == 1 &&
	     host_msr(&g, HV_X64_MSR_VP_ASSIST_PAGE) == (OUT_GPA | 1);
	ksft_test_result(ok, "vp_assist_page_msr_reads_back\n");
	hv_guest_destroy(&g);

	hv_guest_create(&g, true);
	ksft_test_result(guest_wrmsr(&g, HV_X64_MSR_TPR, 0x10) == 0,
			 "apic_msrs_gp_without_in_kernel_apic\n");
	hv_guest_destroy(&g);
}

/* Is @vec pending in the APIC's IRR?  Then clear it for the next case. */
static bool irr_takes(struct hv_guest *g, int vec)
{
	struct kvm_lapic_state apic;
	bool set;

	TEST_REQUIRE(!ioctl(g->vcpu->fd, KVM_GET_LAPIC, &apic),
		     "KVM_GET_LAPIC: %s", strerror(errno));
	set = apic_bit(&apic, 0x200, vec);
	memset(apic.regs + 0x200, 0, 0x80);
	TEST_REQUIRE(!ioctl(g->vcpu->fd, KVM_SET_LAPIC, &apic),
		     "KVM_SET_LAPIC: %s", strerror(errno));
	return set;
}

/* Hypercall input in memory at IN_GPA. */
static void put_input(struct hv_guest *g, const uint64_t *in, int n)
{
	memset(g->mem + IN_GPA, 0, 0x1000);
	memcpy(g->mem + IN_GPA, in, n * sizeof(*in));
}

/* A fast hypercall whose guest loads @xmm into XMM0 and XMM1 first. */
static uint64_t guest_hypercall_xmm(struct hv_guest *g, uint64_t control,
				    uint64_t rdx, uint64_t r8,
				    const uint64_t xmm[4])
{
	struct ucall uc;
	int r;

	memcpy(g->mem + XMM_GPA, xmm, 32);
	r = run_at(g, hypercall_xmm, control, 0, rdx, r8, &uc);
	TEST_REQUIRE(r == UCALL_SYNC, "hypercall %#llx: %d",
		     (unsigned long long)control, r);
	return uc.args[0];
}

/*
 * IPIs and TLB flushes by hypercall, VP 0 (the vCPU itself) the target.
 * The guest runs with interrupts off, so an IPI stays in the IRR.
 */
static void test_ipis_and_flushes(int kvm_fd)
{
	static const uint64_t ipi_ex[] = { 0x42, HV_GENERIC_SET_SPARSE_4K,
					   1, 1 };
	static const uint64_t xmm_ipi[] = { 1, 1, 0, 0 };
	static const uint64_t xmm_flush[] = { HV_GENERIC_SET_SPARSE_4K, 1,
					      1, 0 };
	static const uint64_t ipi_all[] = { 0x44, HV_GENERIC_SET_ALL };
	static const uint64_t flush[] = { 0, 0, 1, 0x1000, 0x2000, 0x3000 };
	struct hv_guest g;
	uint64_t r;

	if (kvm_check_cap(kvm_fd, KVM_CAP_HYPERV_SEND_IPI) <= 0 ||
	    kvm_check_cap(kvm_fd, KVM_CAP_HYPERV_TLBFLUSH) <= 0) {
		for (r = 0; r < 10; r++)
			ksft_test_result_skip("ipi and tlb flush hypercalls\n");
		return;
	}
	hv_guest_create_irqchip(&g, true, true);
	apic_sw_enable(&g);
	hv_guest_enable(&g);

	put_input(&g, (uint64_t []){ 0x40, 1 }, 2);
	r = guest_hypercall(&g, HVCALL_SEND_IPI);
	ksft_test_result(!r && irr_takes(&g, 0x40),
			 "send_ipi_to_vp_0 (%#llx)\n", (unsigned long long)r);
	r = guest_hypercall_with(&g, HVCALL_SEND_IPI | HV_HYPERCALL_FAST,
				 0x41, 1);
	ksft_test_result(!r && irr_takes(&g, 0x41),
			 "send_ipi_fast (%#llx)\n", (unsigned long long)r);
	put_input(&g, ipi_ex, 4);
	r = guest_hypercall(&g, HVCALL_SEND_IPI_EX | HV_HYPERCALL_VARHEAD_1);
	ksft_test_result(!r && irr_takes(&g, 0x42),
			 "send_ipi_ex_sparse_bank (%#llx)\n",
			 (unsigned long long)r);
	r = guest_hypercall_xmm(&g, HVCALL_SEND_IPI_EX | HV_HYPERCALL_FAST |
				HV_HYPERCALL_VARHEAD_1, 0x43,
				HV_GENERIC_SET_SPARSE_4K, xmm_ipi);
	ksft_test_result(!r && irr_takes(&g, 0x43),
			 "send_ipi_ex_fast_banks_in_xmm (%#llx)\n",
			 (unsigned long long)r);
	put_input(&g, ipi_all, 2);
	r = guest_hypercall(&g, HVCALL_SEND_IPI_EX);
	ksft_test_result(!r && irr_takes(&g, 0x44),
			 "send_ipi_ex_to_all (%#llx)\n", (unsigned long long)r);
	put_input(&g, (uint64_t []){ 0x45, 2 }, 2);
	r = guest_hypercall(&g, HVCALL_SEND_IPI);
	ksft_test_result(!r && !irr_takes(&g, 0x45),
			 "send_ipi_to_absent_vp_sends_nothing (%#llx)\n",
			 (unsigned long long)r);
	put_input(&g, (uint64_t []){ 0x0f, 1 }, 2);
	r = guest_hypercall(&g, HVCALL_SEND_IPI);
	ksft_test_result(r == HV_STATUS_INVALID_HYPERCALL_INPUT &&
			 !irr_takes(&g, 0x0f),
			 "send_ipi_vector_below_16_invalid (%#llx)\n",
			 (unsigned long long)r);

	put_input(&g, flush, 3);
	r = guest_hypercall(&g, HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE);
	ksft_test_result(!r, "flush_address_space (%#llx)\n",
			 (unsigned long long)r);
	put_input(&g, flush, 6);
	r = guest_hypercall(&g, HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST |
			    HV_HYPERCALL_REP_COMP_1 * 3);
	ksft_test_result(r == HV_HYPERCALL_REP_COMP_1 * 3,
			 "flush_list_completes_every_rep (%#llx)\n",
			 (unsigned long long)r);
	r = guest_hypercall_xmm(&g, HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX |
				HV_HYPERCALL_FAST | HV_HYPERCALL_VARHEAD_1,
				0, 0, xmm_flush);
	ksft_test_result(!r, "flush_ex_fast_set_in_xmm (%#llx)\n",
			 (unsigned long long)r);
	hv_guest_destroy(&g);
}

/* A guest WRMSR that userspace hears of: the exit, then the rest. */
static bool wrmsr_exits(struct hv_guest *g, uint32_t msr, uint64_t val,
			struct kvm_run *seen)
{
	struct ucall uc;

	if (guest_wrmsr(g, msr, val) != -1)
		return false;
	*seen = *g->vcpu->run;
	return !vcpu_run(g->vcpu) && vcpu_exit_ucall(g->vcpu, &uc) &&
	       uc.cmd == UCALL_SYNC;
}

/* Let the vCPU's thread deliver what expired: run the guest a little. */
static void guest_touch(struct hv_guest *g)
{
	uint64_t v;

	TEST_REQUIRE(guest_rdmsr(g, HV_X64_MSR_SVERSION, &v), "SVERSION");
}

/* SINT 2's slot of the message page: type, flags, timer, expiration. */
static void slot_2(struct hv_guest *g, uint32_t *type, uint8_t *flags,
		   uint32_t *timer, uint64_t *expiration)
{
	uint8_t *m = g->mem + SIMP_GPA + 2 * 256;

	memcpy(type, m, 4);
	*flags = m[5];
	memcpy(timer, m + 16, 4);
	memcpy(expiration, m + 24, 8);
}

/*
 * The SynIC: its MSRs need KVM_CAP_HYPERV_SYNIC2; the guest's SCONTROL
 * and SIMP writes come to userspace; a HV_SINT route raises the SINT's
 * vector unless masked.  Synthetic timers: a one-shot posts its message
 * into SINT 2's slot, a second one finds the slot busy and waits for
 * EOM; a periodic direct-mode timer sends its vector; a halted guest
 * wakes for an auto-EOI SINT, which the APIC does not keep in service.
 */
static void test_synic(int kvm_fd)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_HYPERV_SYNIC2 };
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e[2];
	} routes = { .r.nr = 2 };
	struct kvm_irq_level line = { .irq = 5, .level = 1 };
	struct kvm_lapic_state apic;
	uint64_t v, now, config;
	uint32_t type, timer;
	struct kvm_run seen;
	struct hv_guest g;
	struct ucall uc;
	uint8_t flags;
	bool ok;
	int r;

	if (kvm_check_cap(kvm_fd, KVM_CAP_HYPERV_SYNIC2) <= 0) {
		for (r = 0; r < 11; r++)
			ksft_test_result_skip("synic\n");
		return;
	}
	hv_guest_create_irqchip(&g, true, true);
	apic_sw_enable(&g);
	hv_guest_enable(&g);
	ksft_test_result(!guest_rdmsr(&g, HV_X64_MSR_SCONTROL, &v),
			 "synic_msrs_gp_without_the_cap\n");

	TEST_REQUIRE(!ioctl(g.vcpu->fd, KVM_ENABLE_CAP, &cap),
		     "KVM_CAP_HYPERV_SYNIC2: %s", strerror(errno));
	ksft_test_result(guest_rdmsr(&g, HV_X64_MSR_SVERSION, &v) && v == 1,
			 "sversion_is_1\n");
	ok = wrmsr_exits(&g, HV_X64_MSR_SCONTROL, 1, &seen);
	ksft_test_result(ok && seen.exit_reason == KVM_EXIT_HYPERV &&
			 seen.hyperv.type == KVM_EXIT_HYPERV_SYNIC &&
			 seen.hyperv.u.synic.msr == HV_X64_MSR_SCONTROL &&
			 seen.hyperv.u.synic.control == 1,
			 "scontrol_write_exits_to_userspace\n");
	ok = wrmsr_exits(&g, HV_X64_MSR_SIMP, SIMP_GPA | 1, &seen);
	ksft_test_result(ok && seen.hyperv.u.synic.msr == HV_X64_MSR_SIMP &&
			 seen.hyperv.u.synic.msg_page == (SIMP_GPA | 1),
			 "simp_write_exits_to_userspace\n");

	/* SINT 2: vector 0x50; SINT 3 stays masked. */
	TEST_REQUIRE(guest_wrmsr(&g, HV_X64_MSR_SINT0 + 2, 0x50) == 1,
		     "SINT2");
	routes.e[0] = (struct kvm_irq_routing_entry) {
		.gsi = 5, .type = KVM_IRQ_ROUTING_HV_SINT,
		.u.hv_sint = { .vcpu = 0, .sint = 2 },
	};
	routes.e[1] = (struct kvm_irq_routing_entry) {
		.gsi = 6, .type = KVM_IRQ_ROUTING_HV_SINT,
		.u.hv_sint = { .vcpu = 0, .sint = 3 },
	};
	TEST_REQUIRE(!ioctl(g.vm->fd, KVM_SET_GSI_ROUTING, &routes),
		     "KVM_SET_GSI_ROUTING: %s", strerror(errno));
	ok = !ioctl(g.vm->fd, KVM_IRQ_LINE, &line);
	ksft_test_result(ok && irr_takes(&g, 0x50),
			 "hv_sint_route_raises_the_vector\n");
	TEST_REQUIRE(guest_wrmsr(&g, HV_X64_MSR_SINT0 + 3,
				 0x53 | HV_SINT_MASKED) == 1, "SINT3");
	line.irq = 6;
	ok = !ioctl(g.vm->fd, KVM_IRQ_LINE, &line);
	ksft_test_result(ok && !irr_takes(&g, 0x53),
			 "masked_sint_raises_nothing\n");
	ksft_test_result(guest_wrmsr(&g, HV_X64_MSR_SINT0 + 3, 5) == 0,
			 "sint_vector_below_16_gp\n");

	/* Timer 0, one-shot in 10 ms, messages to SINT 2. */
	now = host_msr(&g, HV_X64_MSR_TIME_REF_COUNT);
	TEST_REQUIRE(kvm_set_msr(g.vcpu->fd, HV_X64_MSR_STIMER0_COUNT,
				 now + 100000) == 1 &&
		     kvm_set_msr(g.vcpu->fd, HV_X64_MSR_STIMER0_CONFIG,
				 HV_STIMER_ENABLE | HV_STIMER_SINT(2)) == 1,
		     "STIMER0");
	usleep(50 * 1000);
	guest_touch(&g);
	slot_2(&g, &type, &flags, &timer, &v);
	config = host_msr(&g, HV_X64_MSR_STIMER0_CONFIG);
	ksft_test_result(type == HVMSG_TIMER_EXPIRED && timer == 0 &&
			 v == now + 100000 && irr_takes(&g, 0x50) &&
			 !(config & HV_STIMER_ENABLE),
			 "one_shot_timer_posts_its_message (%#x %llu %#llx)\n",
			 type, (unsigned long long)(v - now),
			 (unsigned long long)config);

	/* Again, with the slot still full: pending until EOM. */
	now = host_msr(&g, HV_X64_MSR_TIME_REF_COUNT);
	TEST_REQUIRE(kvm_set_msr(g.vcpu->fd, HV_X64_MSR_STIMER0_COUNT,
				 now + 10000) == 1 &&
		     kvm_set_msr(g.vcpu->fd, HV_X64_MSR_STIMER0_CONFIG,
				 HV_STIMER_ENABLE | HV_STIMER_SINT(2)) == 1,
		     "STIMER0");
	usleep(50 * 1000);
	guest_touch(&g);
	slot_2(&g, &type, &flags, &timer, &v);
	ok = (flags & 1) && v != now + 10000 && !irr_takes(&g, 0x50);
	memset(g.mem + SIMP_GPA + 2 * 256, 0, 256);
	TEST_REQUIRE(guest_wrmsr(&g, HV_X64_MSR_EOM, 0) == 1, "EOM");
	slot_2(&g, &type, &flags, &timer, &v);
	ksft_test_result(ok && type == HVMSG_TIMER_EXPIRED &&
			 v == now + 10000 && irr_takes(&g, 0x50),
			 "busy_slot_message_waits_for_eom\n");

	/* Timer 1, periodic every 1 ms, vector 0x51 directly. */
	TEST_REQUIRE(guest_wrmsr(&g, HV_X64_MSR_STIMER0_CONFIG + 2,
				 HV_STIMER_PERIODIC | HV_STIMER_DIRECT |
				 HV_STIMER_VECTOR(0x51)) == 1 &&
		     guest_wrmsr(&g, HV_X64_MSR_STIMER0_COUNT + 2, 10000) == 1 &&
		     guest_wrmsr(&g, HV_X64_MSR_STIMER0_CONFIG + 2,
				 HV_STIMER_ENABLE | HV_STIMER_PERIODIC |
				 HV_STIMER_DIRECT | HV_STIMER_VECTOR(0x51)) == 1,
		     "STIMER1");
	usleep(20 * 1000);
	guest_touch(&g);
	config = host_msr(&g, HV_X64_MSR_STIMER0_CONFIG + 2);
	ok = irr_takes(&g, 0x51);
	ksft_test_result(ok && (config & HV_STIMER_ENABLE),
			 "periodic_direct_timer_sends_its_vector (%d %#llx)\n",
			 ok, (unsigned long long)config);
	TEST_REQUIRE(kvm_set_msr(g.vcpu->fd, HV_X64_MSR_STIMER0_CONFIG + 2,
				 0) == 1, "STIMER1 off");

	/*
	 * SINT 4: vector 0x52, auto-EOI; timer 2 one-shot in 20 ms to it,
	 * while the guest halts with interrupts on.
	 */
	vcpu_set_gate(g.mem, 0x52, HANDLER_GPA);
	memcpy(g.mem + HANDLER_GPA, guest_iret, GUEST_CODE_SIZE(guest_iret));
	TEST_REQUIRE(guest_wrmsr(&g, HV_X64_MSR_SINT0 + 4,
				 0x52 | HV_SINT_AUTO_EOI) == 1, "SINT4");
	now = host_msr(&g, HV_X64_MSR_TIME_REF_COUNT);
	TEST_REQUIRE(kvm_set_msr(g.vcpu->fd, HV_X64_MSR_STIMER0_COUNT + 4,
				 now + 200000) == 1 &&
		     kvm_set_msr(g.vcpu->fd, HV_X64_MSR_STIMER0_CONFIG + 4,
				 HV_STIMER_ENABLE | HV_STIMER_SINT(4)) == 1,
		     "STIMER2");
	r = run_at(&g, halt_once, 0, 0, 0, 0, &uc);
	ok = r == UCALL_SYNC && !ioctl(g.vcpu->fd, KVM_GET_LAPIC, &apic);
	ksft_test_result(ok && !apic_bit(&apic, 0x100, 0x52) &&
			 !apic_bit(&apic, 0x200, 0x52),
			 "timer_wakes_halted_guest_auto_eoi (%d)\n", r);
	hv_guest_destroy(&g);
}

/*
 * The synthetic debugger: userspace hears of the guest's control writes,
 * not of its status writes; the debug hypercalls find no session.  And
 * a message hypercall from a vCPU without a SynIC is wrong input.
 */
static void test_syndbg(void)
{
	struct kvm_run seen;
	struct hv_guest g;
	uint64_t r;
	bool ok;

	hv_guest_create(&g, true);
	hv_guest_enable(&g);
	ok = wrmsr_exits(&g, HV_X64_MSR_SYNDBG_CONTROL, 2, &seen);
	ksft_test_result(ok && seen.exit_reason == KVM_EXIT_HYPERV &&
			 seen.hyperv.type == KVM_EXIT_HYPERV_SYNDBG &&
			 seen.hyperv.u.syndbg.msr == HV_X64_MSR_SYNDBG_CONTROL &&
			 seen.hyperv.u.syndbg.control == 2,
			 "syndbg_control_write_exits_to_userspace\n");
	ksft_test_result(guest_wrmsr(&g, HV_X64_MSR_SYNDBG_STATUS, 0) == 1,
			 "syndbg_status_write_stays_in_the_kernel\n");
	r = guest_hypercall(&g, HVCALL_RESET_DEBUG_SESSION);
	ksft_test_result(r == HV_STATUS_OPERATION_DENIED,
			 "reset_debug_session_finds_none (%#llx)\n",
			 (unsigned long long)r);
	r = guest_hypercall(&g, HVCALL_POST_MESSAGE);
	ksft_test_result(r == HV_STATUS_INVALID_HYPERCALL_INPUT,
			 "post_message_without_synic_invalid (%#llx)\n",
			 (unsigned long long)r);
	hv_guest_destroy(&g);
}

static void test_enforce_cpuid(int kvm_fd)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_HYPERV_ENFORCE_CPUID, .args = { 1 },
	};
	struct hv_guest g;
	struct ucall uc;
	uint64_t v, r;

	if (kvm_check_cap(kvm_fd, KVM_CAP_HYPERV_ENFORCE_CPUID) <= 0) {
		ksft_test_result_skip("enforce_cpuid_hides_the_counter\n");
		ksft_test_result_skip("enforce_cpuid_denies_ext_hypercalls\n");
		ksft_test_result_skip("enforce_cpuid_xmm_input_ud\n");
		return;
	}
	hv_guest_create(&g, false);
	set_hv_cpuid(g.vcpu, HV_MSR_HYPERCALL_AVAILABLE, 0, 0);
	TEST_REQUIRE(!ioctl(g.vcpu->fd, KVM_ENABLE_CAP, &cap),
		     "KVM_CAP_HYPERV_ENFORCE_CPUID: %s", strerror(errno));
	hv_guest_enable(&g);
	ksft_test_result(!guest_rdmsr(&g, HV_X64_MSR_TIME_REF_COUNT, &v),
			 "enforce_cpuid_hides_the_counter\n");
	r = guest_hypercall(&g, HV_EXT_CALL_QUERY_CAPABILITIES);
	ksft_test_result((r & 0xffff) == HV_STATUS_ACCESS_DENIED,
			 "enforce_cpuid_denies_ext_hypercalls (%#llx)\n",
			 (unsigned long long)r);
	/* The features leaf lacks XMM input: a fast flush takes #UD. */
	r = run_at(&g, hypercall,
		   HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE | HV_HYPERCALL_FAST, 0,
		   0, 0, &uc);
	ksft_test_result(r == UCALL_EXCEPTION && uc.args[0] == UD_VECTOR,
			 "enforce_cpuid_xmm_input_ud\n");
	hv_guest_destroy(&g);
}

int main(void)
{
	static const long caps[] = {
		KVM_CAP_HYPERV, KVM_CAP_HYPERV_TIME, KVM_CAP_HYPERV_CPUID,
		KVM_CAP_HYPERV_VP_INDEX, KVM_CAP_ADJUST_CLOCK,
	};
	int kvm_fd;

	ksft_print_header();
	kvm_fd = kvm_open_dev();
	kvm_require_caps(kvm_fd, caps, 5);
	ksft_set_plan(6 + 3 + 6 + 5 + 2 + 6 + 10 + 11 + 4 + 3);

	test_cpuid_and_lists(kvm_fd);
	test_vp_index();
	test_hypercalls();
	test_time();
	test_system_events();
	test_vp_msrs();
	test_ipis_and_flushes(kvm_fd);
	test_synic(kvm_fd);
	test_syndbg();
	test_enforce_cpuid(kvm_fd);
	close(kvm_fd);
	ksft_finished();
}
