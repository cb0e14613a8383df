// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSR filters (KVM_X86_SET_MSR_FILTER, KVM_CAP_X86_MSR_FILTER).
 *
 * A real-mode guest reads STAR and LSTAR and writes STAR in a loop,
 * counting the #GPs it takes; between rounds the test installs filters.
 * Without one everything works; a range that denies reading STAR makes
 * that read a #GP but leaves the write alone, and userspace still reads
 * and writes STAR with KVM_GET/SET_MSRS.  With KVM_MSR_EXIT_REASON_FILTER
 * a denied read exits to userspace, which answers it.  Under default deny
 * the MSRs no range allows are denied, for the kind of access the range
 * does not name too, and userspace's refusal is a #GP.  An empty filter
 * lifts it.  Bad filters get -EINVAL (or -EFAULT).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define CODE_GPA	0x1000
#define HANDLER_GPA	0x800
#define MEM_SIZE	0x10000
#define GP_VECTOR	13

/* Each round: read STAR, read LSTAR, write STAR; SI counts the #GPs. */
GUEST_CODE16(guest_code,
	     "xorw %ax, %ax\n"
	     "movw %ax, %ss\n"
	     "movw $0x8000, %sp\n"
	     "1: xorw %si, %si\n"
	     "xorl %eax, %eax\n"
	     "movl $0xc0000081, %ecx\n"
	     "rdmsr\n"
	     "movl %eax, %edi\n"
	     "movl $0xc0000082, %ecx\n"
	     "rdmsr\n"
	     "movl $0xc0000081, %ecx\n"
	     "movl $0xabcd0000, %eax\n"
	     "xorl %edx, %edx\n"
	     "wrmsr\n"
	     "movzwl %si, %ebx\n"
	     "movl %edi, %ecx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "jmp 1b\n");

/* #GP: skip the two-byte RDMSR/WRMSR and count it. */
GUEST_CODE16(guest_gp_handler,
	     "pushw %bp\n"
	     "movw %sp, %bp\n"
	     "addw $2, 2(%bp)\n"
	     "popw %bp\n"
	     "incw %si\n"
	     "iretw\n");

static struct kvm_vm *vm;
static struct kvm_vcpu *vcpu;
/* Bitmaps from MSR 0xc0000080 (EFER): bit 1 is STAR, bit 2 LSTAR. */
static uint8_t deny_star[1] = { 0xfd };
static uint8_t allow_star[1] = { 0x02 };

static int set_filter(uint32_t flags, uint32_t range_flags, uint32_t nmsrs,
		      void *bitmap)
{
	struct kvm_msr_filter f = {
		.flags = flags,
		.ranges[0] = {
			.flags = range_flags, .nmsrs = nmsrs,
			.base = 0xc0000080, .bitmap = bitmap,
		},
	};

	return ioctl(vm->fd, KVM_X86_SET_MSR_FILTER, &f) ? errno : 0;
}

static uint64_t get_msr(uint32_t index)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = { .hdr.nmsrs = 1, .e.index = index };

	TEST_REQUIRE(ioctl(vcpu->fd, KVM_GET_MSRS, &m) == 1, "KVM_GET_MSRS");
	return m.e.data;
}

static int set_msr(uint32_t index, uint64_t data)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = { .hdr.nmsrs = 1, .e = { .index = index, .data = data } };

	return ioctl(vcpu->fd, KVM_SET_MSRS, &m);
}

/* One round of the guest: the #GPs it took and the STAR it read. */
static void round_(uint64_t *gps, uint64_t *star)
{
	struct ucall uc;

	TEST_REQUIRE(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC, "no sync");
	*gps = uc.args[0];
	*star = (uint32_t)uc.args[1];
}

/* Run to an MSR exit; true if it is @kind for @index with @reason. */
static bool msr_exit(uint32_t kind, uint32_t index, uint32_t reason)
{
	struct kvm_run *run = vcpu->run;

	return !vcpu_run(vcpu) && run->exit_reason == kind &&
	       run->msr.index == index && run->msr.reason == reason;
}

static void test_errnos(void)
{
	struct kvm_msr_filter big = { .ranges[3] = {
		.flags = KVM_MSR_FILTER_READ, .nmsrs = 0x600 * 8 + 1,
		.base = 0, .bitmap = deny_star,
	} };

	ksft_test_result(kvm_check_cap(vm->kvm_fd, KVM_CAP_X86_MSR_FILTER) > 0,
			 "cap\n");
	ksft_test_result(set_filter(2, KVM_MSR_FILTER_READ, 8, deny_star) ==
			 EINVAL, "unknown_filter_flag\n");
	ksft_test_result(set_filter(0, 0, 8, deny_star) == EINVAL &&
			 set_filter(0, 4, 8, deny_star) == EINVAL,
			 "range_without_or_with_unknown_flags\n");
	ksft_test_result(ioctl(vm->fd, KVM_X86_SET_MSR_FILTER, &big) == -1 &&
			 errno == EINVAL, "bitmap_too_large\n");
	ksft_test_result(set_filter(KVM_MSR_FILTER_DEFAULT_DENY, 0, 0, NULL) ==
			 EINVAL, "default_deny_without_ranges\n");
	ksft_test_result(set_filter(0, KVM_MSR_FILTER_READ, 8, (void *)8) ==
			 EFAULT, "bad_bitmap_address\n");
	ksft_test_result(set_filter(0, 0, 0, NULL) == 0, "empty_filter\n");
}

static void test_filters(void)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_X86_USER_SPACE_MSR,
		.args[0] = KVM_MSR_EXIT_REASON_FILTER,
	};
	struct kvm_run *run = vcpu->run;
	uint64_t gps, star;

	TEST_REQUIRE(set_msr(MSR_STAR, 0x1234) == 1, "set STAR");
	round_(&gps, &star);
	ksft_test_result(gps == 0 && star == 0x1234, "no_filter\n");

	TEST_REQUIRE(!set_filter(0, KVM_MSR_FILTER_READ, 8, deny_star),
		     "KVM_X86_SET_MSR_FILTER: %s", strerror(errno));
	TEST_REQUIRE(set_msr(MSR_STAR, 0x5555) == 1, "set STAR");
	round_(&gps, &star);
	ksft_test_result(gps == 1 && star == 0 &&
			 get_msr(MSR_STAR) == 0xabcd0000,
			 "denied_read_gp_write_and_userspace_not_filtered (%llu)\n",
			 (unsigned long long)gps);

	TEST_REQUIRE(!ioctl(vm->fd, KVM_ENABLE_CAP, &cap), "KVM_ENABLE_CAP");
	ksft_test_result(msr_exit(KVM_EXIT_X86_RDMSR, MSR_STAR,
				  KVM_MSR_EXIT_REASON_FILTER),
			 "denied_read_exits_with_filter_reason\n");
	run->msr.data = 0x7777;
	round_(&gps, &star);
	ksft_test_result(gps == 0 && star == 0x7777,
			 "guest_reads_userspace_answer\n");

	TEST_REQUIRE(!set_filter(KVM_MSR_FILTER_DEFAULT_DENY,
				 KVM_MSR_FILTER_READ, 8, allow_star),
		     "KVM_X86_SET_MSR_FILTER: %s", strerror(errno));
	ksft_test_result(msr_exit(KVM_EXIT_X86_RDMSR, MSR_LSTAR,
				  KVM_MSR_EXIT_REASON_FILTER),
			 "default_deny_read_outside_allowed\n");
	ksft_test_result(msr_exit(KVM_EXIT_X86_WRMSR, MSR_STAR,
				  KVM_MSR_EXIT_REASON_FILTER) &&
			 run->msr.data == 0xabcd0000,
			 "default_deny_write_of_read_range\n");
	run->msr.error = 1;
	round_(&gps, &star);
	ksft_test_result(gps == 1 && star == 0xabcd0000,
			 "userspace_refusal_is_gp\n");

	TEST_REQUIRE(!set_filter(0, 0, 0, NULL), "clear filter");
	round_(&gps, &star);
	ksft_test_result(gps == 0, "empty_filter_lifts_it\n");
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_X86_MSR_FILTER, KVM_CAP_X86_USER_SPACE_MSR };
	uint16_t *ivt;
	uint8_t *mem;

	kvm_require_caps(kvm_fd, caps, 2);
	ksft_print_header();
	ksft_set_plan(7 + 8);

	vm = vm_create();
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu = vcpu_create(vm, 0);
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	memcpy(mem + HANDLER_GPA, guest_gp_handler,
	       GUEST_CODE_SIZE(guest_gp_handler));
	ivt = (uint16_t *)mem;
	ivt[GP_VECTOR * 2] = HANDLER_GPA;
	ivt[GP_VECTOR * 2 + 1] = 0;

	test_errnos();
	test_filters();

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_finished();
}
