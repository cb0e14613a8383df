// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPUID: the table KVM_GET_SUPPORTED_CPUID offers (size negotiation,
 * hypervisor leaves), KVM_SET_CPUID2/KVM_GET_CPUID2 round trips and
 * limits, and a guest's CPUID instruction answering exactly what userspace
 * set, subleaves included -- except for the bits that follow the guest's
 * state: CPUID.1:ECX.OSXSAVE is CR4.OSXSAVE and CPUID.0xD.0:EBX the XSAVE
 * area size for the XCR0 the guest set.  And MONITOR/MWAIT, which CPUID
 * does not offer: NOPs by default, #UD without the quirk that makes them
 * so, and CPUID.1:ECX.MONITOR following IA32_MISC_ENABLE without the
 * other quirk (KVM_CAP_DISABLE_QUIRKS2).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define MEM_SIZE	0x10000
#define MAX_ENTRIES	256

/* Report CPUID(0), CPUID(4, 1) and CPUID(4, 0) through ucalls. */
GUEST_CODE16(guest_cpuid,
	     "xorl %eax, %eax\n"
	     "cpuid\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "movl $4, %eax\n"
	     "movl $1, %ecx\n"
	     "cpuid\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "movl $4, %eax\n"
	     "xorl %ecx, %ecx\n"
	     "cpuid\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

#define OSXSAVE		0x08000000u	/* CPUID.1:ECX */
#define XSAVE		0x04000000u

/*
 * CPUID.1:ECX before and after setting CR4.OSXSAVE, XCR0 as XGETBV reads
 * it after reset, then CPUID.0xD.0:EBX twice, for the XCR0 userspace sets
 * in between.  (XCR0 comes from
 * KVM_SET_XCRS rather than XSETBV: QEMU's SVM does not intercept XSETBV,
 * so the hypervisor under test would not see the guest's.)
 */
GUEST_CODE16(guest_xsave,
	     "movl $1, %eax\n"
	     "cpuid\n"
	     "movl %ecx, %ebx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "movl %cr4, %eax\n"
	     "orl $0x40000, %eax\n"
	     "movl %eax, %cr4\n"
	     "movl $1, %eax\n"
	     "cpuid\n"
	     "movl %ecx, %ebx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "xorl %ecx, %ecx\n"
	     "xgetbv\n"
	     "movl %eax, %ebx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "1: movl $0xd, %eax\n"
	     "xorl %ecx, %ecx\n"
	     "cpuid\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "jmp 1b\n");

static void test_supported(int kvm_fd)
{
	struct kvm_cpuid2 *c = kvm_cpuid2_alloc(1);
	uint32_t eax, ebx, ecx, edx;
	struct kvm_cpuid_entry2 *e;
	int ret;

	ret = ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c);
	ksft_test_result(ret == -1 && errno == E2BIG,
			 "supported_cpuid_small_buffer_is_e2big\n");
	free(c);

	c = kvm_cpuid2_alloc(MAX_ENTRIES);
	ret = ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c);
	ksft_test_result(!ret && c->nent > 2 && kvm_cpuid2_find(c, 0) && kvm_cpuid2_find(c, 1),
			 "supported_cpuid_has_leaves_0_and_1 (nent %u)\n",
			 c->nent);
	e = kvm_cpuid2_find(c, 0x40000000);
	ksft_test_result(e && e->ebx == 0x4b4d564b && e->ecx == 0x564b4d56 &&
			 e->edx == 0x4d, "hypervisor_leaf_says_kvm\n");
	/* The vendor is the host's. */
	e = kvm_cpuid2_find(c, 0);
	asm volatile("cpuid" : "=a" (eax), "=b" (ebx), "=c" (ecx), "=d" (edx)
		     : "a" (0), "c" (0));
	ksft_test_result(e && e->ebx == ebx && e->ecx == ecx && e->edx == edx,
			 "leaf_0_has_the_host_vendor\n");
	free(c);
}

static void test_guest_sees_table(void)
{
	struct kvm_cpuid2 *c = kvm_cpuid2_alloc(3), *back;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	void *mem;
	int ret;

	vm = vm_create();
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu = vcpu_create(vm, 0);
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_cpuid,
			    GUEST_CODE_SIZE(guest_cpuid));

	c->entries[0] = (struct kvm_cpuid_entry2) {
		.function = 0, .eax = 7,
		.ebx = 0x11111111, .ecx = 0x22222222, .edx = 0x33333333,
	};
	c->entries[1] = (struct kvm_cpuid_entry2) {
		.function = 4, .index = 0,
		.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
		.ebx = 0x40, .ecx = 0x400,
	};
	c->entries[2] = (struct kvm_cpuid_entry2) {
		.function = 4, .index = 1,
		.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
		.ebx = 0x41, .ecx = 0x401,
	};
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_CPUID2, c),
		     "KVM_SET_CPUID2: %s", strerror(errno));

	back = kvm_cpuid2_alloc(1);
	ret = ioctl(vcpu->fd, KVM_GET_CPUID2, back);
	ksft_test_result(ret == -1 && errno == E2BIG,
			 "get_cpuid2_small_buffer_is_e2big\n");
	free(back);
	back = kvm_cpuid2_alloc(8);
	ret = ioctl(vcpu->fd, KVM_GET_CPUID2, back);
	ksft_test_result(!ret && back->nent == 3 &&
			 !memcmp(back->entries, c->entries,
				 3 * sizeof(c->entries[0])),
			 "get_cpuid2_returns_what_was_set\n");
	free(back);

	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.args[0] == 0x11111111 &&
			 (uc.args[1] & 0xffffffff) == 0x22222222,
			 "guest_cpuid_0 (ebx %llx ecx %llx)\n",
			 (unsigned long long)uc.args[0],
			 (unsigned long long)uc.args[1]);
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.args[0] == 0x41 && uc.args[1] == 0x401,
			 "guest_cpuid_subleaf_1\n");
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.args[0] == 0x40 && uc.args[1] == 0x400,
			 "guest_cpuid_subleaf_0\n");
	free(c);

	c = kvm_cpuid2_alloc(MAX_ENTRIES + 1);
	ret = ioctl(vcpu->fd, KVM_SET_CPUID2, c);
	ksft_test_result(ret == -1 && errno == E2BIG,
			 "set_cpuid2_too_many_entries_is_e2big\n");
	free(c);

	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/*
 * CPUID.1:ECX, then MONITOR on this code and MWAIT, each followed by a
 * report.  The test can also start the guest at either instruction, with
 * the registers set, to see that one fault.
 */
GUEST_CODE64(guest_mwait,
	     "movl $1, %eax\n"
	     "cpuid\n"
	     "movl %ecx, %ebx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "leaq guest_mwait(%rip), %rax\n"
	     "xorl %ecx, %ecx\n"
	     "xorl %edx, %edx\n"
	     "guest_mwait_monitor:\n"
	     "monitor\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "xorl %eax, %eax\n"
	     "xorl %ecx, %ecx\n"
	     "guest_mwait_mwait:\n"
	     "mwait\n"
	     "movb $" KVM_STR(UCALL_DONE) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");
GUEST_CODE_LABEL(guest_mwait_monitor);
GUEST_CODE_LABEL(guest_mwait_mwait);

#define LEAF1_MONITOR		0x8u
#define MSR_IA32_MISC_ENABLE	0x1a0
#define MISC_ENABLE_MWAIT	0x40000ull	/* bit 18 */
#define UD_VECTOR		6

/*
 * A long-mode guest running guest_mwait from @start, with @quirks
 * disabled and MONITOR taken out of its CPUID.
 */
static struct kvm_vcpu *mwait_guest(uint64_t quirks, const unsigned char *start)
{
	struct kvm_cpuid2 *c = kvm_cpuid2_alloc(MAX_ENTRIES);
	struct kvm_cpuid_entry2 *leaf1;
	struct kvm_vcpu *vcpu;
	struct kvm_regs regs;
	struct kvm_vm *vm;
	void *mem;
	int ret;

	vm = vm_create();
	mem = vm_add_memory(vm, 0, LONG_MODE_MEM_MIN);
	if (quirks) {
		ret = vm_enable_cap(vm, KVM_CAP_DISABLE_QUIRKS2, 0, quirks);
		TEST_REQUIRE(!ret, "KVM_CAP_DISABLE_QUIRKS2: %s", strerror(ret));
	}
	vcpu = vcpu_create(vm, 0);
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_mwait,
			    GUEST_CODE_SIZE(guest_mwait));
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_CPUID2, c), "KVM_GET_CPUID2: %s",
		     strerror(errno));
	leaf1 = kvm_cpuid2_find(c, 1);
	TEST_REQUIRE(leaf1, "no leaf 1");
	leaf1->ecx &= ~LEAF1_MONITOR;
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_CPUID2, c), "KVM_SET_CPUID2: %s",
		     strerror(errno));
	free(c);

	vcpu_get_regs(vcpu, &regs);
	regs.rip = CODE_GPA + (start - guest_mwait);
	regs.rsp = CODE_GPA;	/* below the code, for exception frames */
	regs.rax = CODE_GPA;
	regs.rcx = 0;
	regs.rdx = 0;
	vcpu_set_regs(vcpu, &regs);
	return vcpu;
}

static void mwait_guest_destroy(struct kvm_vcpu *vcpu)
{
	struct kvm_vm *vm = vcpu->vm;

	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/* Run to the next ucall; an exception's vector, or 0 for any other. */
static unsigned int mwait_run(struct kvm_vcpu *vcpu, struct ucall *uc)
{
	TEST_REQUIRE(!vcpu_run(vcpu), "KVM_RUN: %s", strerror(errno));
	TEST_REQUIRE(vcpu_exit_ucall(vcpu, uc), "exit %s",
		     exit_reason_str(vcpu->run->exit_reason));
	return uc->cmd == UCALL_EXCEPTION ? uc->args[0] : 0;
}

/* #UD at @insn, guest_mwait's MONITOR or MWAIT, when started there. */
static bool mwait_faults(uint64_t quirks, const unsigned char *insn)
{
	struct kvm_vcpu *vcpu = mwait_guest(quirks, insn);
	uint64_t rip = CODE_GPA + (insn - guest_mwait);
	struct ucall uc;
	bool ud;

	ud = mwait_run(vcpu, &uc) == UD_VECTOR && uc.args[1] == rip;
	mwait_guest_destroy(vcpu);
	return ud;
}

static void test_monitor_mwait(int kvm_fd)
{
	const uint64_t ud = KVM_X86_QUIRK_MWAIT_NEVER_UD_FAULTS;
	const uint64_t misc = KVM_X86_QUIRK_MISC_ENABLE_NO_MWAIT;
	long quirks = kvm_check_cap(kvm_fd, KVM_CAP_DISABLE_QUIRKS2);
	struct kvm_vcpu *vcpu;
	struct ucall uc;
	bool ok;

	/* By default both are NOPs for a guest whose CPUID lacks them. */
	vcpu = mwait_guest(0, guest_mwait);
	ok = !mwait_run(vcpu, &uc) && uc.cmd == UCALL_SYNC &&
	     !(uc.args[1] & LEAF1_MONITOR);
	ok = ok && !mwait_run(vcpu, &uc) && uc.cmd == UCALL_SYNC;
	ok = ok && !mwait_run(vcpu, &uc) && uc.cmd == UCALL_DONE;
	ksft_test_result(ok, "monitor_mwait_are_nops_by_default\n");
	mwait_guest_destroy(vcpu);

	if ((quirks & (ud | misc)) != (ud | misc)) {
		ksft_test_result_skip("monitor_ud_without_quirk: no quirk\n");
		ksft_test_result_skip("mwait_ud_without_quirk: no quirk\n");
		ksft_test_result_skip("misc_enable_mwait_is_cpuid_monitor: no quirk\n");
		ksft_test_result_skip("misc_enable_mwait_clear_is_ud: no quirk\n");
		return;
	}
	ksft_test_result(mwait_faults(ud, guest_mwait_monitor),
			 "monitor_ud_without_quirk\n");
	ksft_test_result(mwait_faults(ud, guest_mwait_mwait),
			 "mwait_ud_without_quirk\n");

	/* IA32_MISC_ENABLE.MWAIT set: CPUID says MONITOR, no more #UD. */
	vcpu = mwait_guest(ud | misc, guest_mwait);
	TEST_REQUIRE(kvm_set_msr(vcpu->fd, MSR_IA32_MISC_ENABLE,
				 MISC_ENABLE_MWAIT) == 1, "MISC_ENABLE");
	ok = !mwait_run(vcpu, &uc) && uc.cmd == UCALL_SYNC &&
	     (uc.args[1] & LEAF1_MONITOR);
	ok = ok && !mwait_run(vcpu, &uc) && uc.cmd == UCALL_SYNC;
	ok = ok && !mwait_run(vcpu, &uc) && uc.cmd == UCALL_DONE;
	ksft_test_result(ok, "misc_enable_mwait_is_cpuid_monitor\n");
	mwait_guest_destroy(vcpu);

	/* And cleared again: CPUID loses MONITOR, MONITOR faults. */
	vcpu = mwait_guest(ud | misc, guest_mwait);
	TEST_REQUIRE(kvm_set_msr(vcpu->fd, MSR_IA32_MISC_ENABLE,
				 MISC_ENABLE_MWAIT) == 1, "MISC_ENABLE");
	TEST_REQUIRE(kvm_set_msr(vcpu->fd, MSR_IA32_MISC_ENABLE, 0) == 1,
		     "MISC_ENABLE");
	ok = !mwait_run(vcpu, &uc) && uc.cmd == UCALL_SYNC &&
	     !(uc.args[1] & LEAF1_MONITOR);
	ok = ok && mwait_run(vcpu, &uc) == UD_VECTOR;
	ksft_test_result(ok, "misc_enable_mwait_clear_is_ud\n");
	mwait_guest_destroy(vcpu);
}

static struct kvm_cpuid_entry2 *find_index(struct kvm_cpuid2 *c,
					   uint32_t function, uint32_t index)
{
	uint32_t i;

	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == function &&
		    c->entries[i].index == index)
			return &c->entries[i];
	return NULL;
}

/* Size of an XSAVE area for @xcr0, from the supported leaf 0xD. */
static uint32_t xsave_size(struct kvm_cpuid2 *c, uint64_t xcr0)
{
	struct kvm_cpuid_entry2 *e;
	uint32_t size = 576;
	int i;

	for (i = 2; i < 64; i++) {
		if (!(xcr0 & (1ULL << i)))
			continue;
		e = find_index(c, 0xd, i);
		TEST_REQUIRE(e, "no CPUID.0xD.%d for XCR0 %#llx", i,
			     (unsigned long long)xcr0);
		if (e->eax + e->ebx > size)
			size = e->eax + e->ebx;
	}
	return size;
}

/* XSAVE in the supported table, and the CPUID bits that follow state. */
static void test_xsave(int kvm_fd)
{
	struct kvm_cpuid2 *c = kvm_cpuid2_alloc(MAX_ENTRIES), *got;
	struct kvm_cpuid_entry2 *leaf1, *leafd;
	struct kvm_xcrs xcrs = { .nr_xcrs = 1 };
	uint64_t xcr0 = 3, before;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	uint8_t *mem;

	TEST_REQUIRE(!ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c),
		     "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	leaf1 = find_index(c, 1, 0);
	leafd = find_index(c, 0xd, 0);
	if (!leaf1 || !(leaf1->ecx & XSAVE)) {
		ksft_test_result_skip("supported_xsave_leaf: no XSAVE\n");
		ksft_test_result_skip("guest_osxsave_follows_cr4: no XSAVE\n");
		ksft_test_result_skip("guest_xsave_size_follows_xcr0: no XSAVE\n");
		ksft_test_result_skip("guest_xcr0_after_reset_is_fp: no XSAVE\n");
		ksft_test_result_skip("get_cpuid2_follows_cr4_and_xcr0: no XSAVE\n");
		ksft_test_result_skip("set_cpuid2_after_run_as_got_or_set: no XSAVE\n");
		free(c);
		return;
	}
	ksft_test_result(!(leaf1->ecx & OSXSAVE) && leafd &&
			 (leafd->eax & 3) == 3 && leafd->ebx >= 576 &&
			 leafd->ecx == xsave_size(c, leafd->eax),
			 "supported_xsave_leaf\n");
	if (leafd && (leafd->eax & 4))
		xcr0 = 7;	/* and AVX */

	vm = vm_create();
	vcpu = vcpu_create(vm, 0);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	xcrs.xcrs[0].value = xcr0;
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_CPUID2, c), "KVM_SET_CPUID2: %s",
		     strerror(errno));
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_xsave,
			    GUEST_CODE_SIZE(guest_xsave));
	vcpu_run_ucall(vcpu, &uc);
	before = uc.args[0];
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(!(before & OSXSAVE) && (uc.args[0] & OSXSAVE),
			 "guest_osxsave_follows_cr4\n");
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.args[0] == 1, "guest_xcr0_after_reset_is_fp (%#llx)\n",
			 (unsigned long long)uc.args[0]);
	vcpu_run_ucall(vcpu, &uc);
	before = uc.args[0];
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_XCRS, &xcrs), "KVM_SET_XCRS: %s",
		     strerror(errno));
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(before == 576 && uc.args[0] == xsave_size(c, xcr0),
			 "guest_xsave_size_follows_xcr0 (xcr0 %#llx: %llu)\n",
			 (unsigned long long)xcr0,
			 (unsigned long long)uc.args[0]);

	/* What the guest reads now, as upstream reports it. */
	got = kvm_cpuid2_alloc(MAX_ENTRIES);
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_CPUID2, got), "KVM_GET_CPUID2: %s",
		     strerror(errno));
	leaf1 = find_index(got, 1, 0);
	leafd = find_index(got, 0xd, 0);
	ksft_test_result(leaf1 && (leaf1->ecx & OSXSAVE) && leafd &&
			 leafd->ebx == xsave_size(c, xcr0),
			 "get_cpuid2_follows_cr4_and_xcr0\n");
	ksft_test_result(!ioctl(vcpu->fd, KVM_SET_CPUID2, got) &&
			 !ioctl(vcpu->fd, KVM_SET_CPUID2, c),
			 "set_cpuid2_after_run_as_got_or_set\n");

	free(got);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	free(c);
}

int main(void)
{
	static const long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_EXT_CPUID };
	int kvm_fd;

	ksft_print_header();
	kvm_fd = kvm_open_dev();
	kvm_require_caps(kvm_fd, caps, 2);
	ksft_set_plan(4 + 6 + 6 + 5);

	test_supported(kvm_fd);
	test_guest_sees_table();
	test_xsave(kvm_fd);
	test_monitor_mwait(kvm_fd);
	close(kvm_fd);
	ksft_finished();
}
