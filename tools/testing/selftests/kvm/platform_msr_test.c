// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSR_PLATFORM_INFO and CPUID faulting: both MSRs are in the list to
 * save; the guest reads the value userspace set, only while the VM
 * allows it (KVM_CAP_MSR_PLATFORM_INFO), and never writes it; with
 * MSR_MISC_FEATURES_ENABLES bit 0 set, CPUID at CPL 3 raises #GP and at
 * CPL 0 still works; the enable bit needs the offer in
 * MSR_PLATFORM_INFO, and userspace cannot take the offer back while the
 * guest uses it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define MSR_PLATFORM_INFO		0xce
#define MSR_MISC_FEATURES_ENABLES	0x140
#define CPUID_FAULT_OFFERED		0x80000000ULL
#define CPUID_FAULT_ON			1ULL
#define TURBO_RATIO			0xff00ULL

#define CODE_GPA	0x1000
#define USER_STACK	0x6000
#define KERNEL_STACK	0x8000
#define MEM_SIZE	0x10000
#define UD_VECTOR	6
#define GP_VECTOR	13

/*
 * Entry points, all at CPL 0; each reports with UCALL_SYNC, or the
 * library's handler reports an exception.  user_cpuid goes to ring 3
 * with IRET (IOPL 3 for the ucall) and comes back with #UD.
 */
GUEST_CODE32(guest_code,
	     "read_platform_info:\n"
	     "mov $" KVM_STR(MSR_PLATFORM_INFO) ", %ecx\n"
	     "rdmsr\n"
	     "mov %eax, %ebx\n"
	     "mov %edx, %ecx\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n"
	     "write_platform_info:\n"
	     "mov $" KVM_STR(MSR_PLATFORM_INFO) ", %ecx\n"
	     "xor %eax, %eax\n"
	     "xor %edx, %edx\n"
	     "wrmsr\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n"
	     "enable_faulting:\n"
	     "mov $" KVM_STR(MSR_MISC_FEATURES_ENABLES) ", %ecx\n"
	     "mov $1, %eax\n"
	     "xor %edx, %edx\n"
	     "wrmsr\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n"
	     "user_cpuid:\n"
	     PM_TO_RING3("do_cpuid - guest_code + " KVM_STR(CODE_GPA),
			 KVM_STR(USER_STACK))
	     "do_cpuid:\n"
	     "xor %eax, %eax\n"
	     "cpuid\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "ud2\n");

GUEST_CODE_LABEL(read_platform_info);
GUEST_CODE_LABEL(write_platform_info);
GUEST_CODE_LABEL(enable_faulting);
GUEST_CODE_LABEL(user_cpuid);
GUEST_CODE_LABEL(do_cpuid);

static uint64_t msr(struct kvm_vcpu *vcpu, uint32_t index)
{
	uint64_t v = 0;

	TEST_REQUIRE(kvm_get_msr(vcpu->fd, index, &v) == 1, "get MSR %#x",
		     index);
	return v;
}

/* Run to the next ucall: UCALL_SYNC, or the vector of an exception. */
static uint64_t run(struct kvm_vcpu *vcpu, struct ucall *uc)
{
	TEST_REQUIRE(!vcpu_run(vcpu), "KVM_RUN: %s", strerror(errno));
	TEST_REQUIRE(vcpu_exit_ucall(vcpu, uc), "exit %s",
		     exit_reason_str(vcpu->run->exit_reason));
	if (uc->cmd == UCALL_EXCEPTION)
		return uc->args[0];
	TEST_REQUIRE(uc->cmd == UCALL_SYNC, "ucall %d", uc->cmd);
	return UCALL_SYNC;
}

/*
 * Run the guest from @entry, at CPL 0.  Only the registers change: the
 * segments stay as the guest loaded them (see vcpu_pm_load_tr()).
 */
static uint64_t run_at(struct kvm_vcpu *vcpu, const unsigned char *entry,
		       struct ucall *uc)
{
	struct kvm_regs regs = {
		.rip = CODE_GPA + (entry - guest_code),
		.rsp = KERNEL_STACK,
		.rflags = 0x2,
	};

	vcpu_set_regs(vcpu, &regs);
	return run(vcpu, uc);
}

/* CPUID at CPL 3: UCALL_SYNC once back in ring 0, or the vector. */
static uint64_t user_cpuid_result(struct kvm_vcpu *vcpu)
{
	struct ucall uc;
	uint64_t r = run_at(vcpu, user_cpuid, &uc);

	if (r != UCALL_SYNC)
		return r;
	return run(vcpu, &uc) == UD_VECTOR ? UCALL_SYNC : -1ULL;
}

static void test_lists(int kvm_fd)
{
	struct kvm_msr_list probe = { .nmsrs = 0 }, *list;
	bool pi = false, mfe = false;
	uint32_t i;

	ioctl(kvm_fd, KVM_GET_MSR_INDEX_LIST, &probe);
	list = calloc(1, sizeof(*list) + probe.nmsrs * sizeof(uint32_t));
	TEST_REQUIRE(list, "calloc");
	list->nmsrs = probe.nmsrs;
	TEST_REQUIRE(!ioctl(kvm_fd, KVM_GET_MSR_INDEX_LIST, list),
		     "KVM_GET_MSR_INDEX_LIST");
	for (i = 0; i < list->nmsrs; i++) {
		pi |= list->indices[i] == MSR_PLATFORM_INFO;
		mfe |= list->indices[i] == MSR_MISC_FEATURES_ENABLES;
	}
	ksft_test_result(pi && mfe, "both_msrs_listed\n");
	free(list);
}

static void test_platform_info(struct kvm_vm *vm, struct kvm_vcpu *vcpu,
			       int kvm_fd)
{
	uint64_t pi = msr(vcpu, MSR_PLATFORM_INFO), want;
	struct ucall uc;

	ksft_test_result(kvm_check_cap(kvm_fd, KVM_CAP_MSR_PLATFORM_INFO) > 0 &&
			 (pi & CPUID_FAULT_OFFERED) &&
			 msr(vcpu, MSR_MISC_FEATURES_ENABLES) == 0,
			 "cap_and_reset_values (%#llx)\n", (unsigned long long)pi);

	want = pi | TURBO_RATIO;
	TEST_REQUIRE(kvm_set_msr(vcpu->fd, MSR_PLATFORM_INFO, want) == 1,
		     "set MSR_PLATFORM_INFO");
	ksft_test_result(run_at(vcpu, read_platform_info, &uc) ==
			 UCALL_SYNC && (uint32_t)uc.args[0] == (uint32_t)want &&
			 (uint32_t)uc.args[1] == want >> 32,
			 "guest_reads_userspace_value\n");
	ksft_test_result(run_at(vcpu, write_platform_info, &uc) ==
			 GP_VECTOR && msr(vcpu, MSR_PLATFORM_INFO) == want,
			 "guest_write_gp\n");

	ksft_test_result(!vm_enable_cap(vm, KVM_CAP_MSR_PLATFORM_INFO, 0, 0) &&
			 run_at(vcpu, read_platform_info, &uc) ==
			 GP_VECTOR && msr(vcpu, MSR_PLATFORM_INFO) == want,
			 "guest_read_gp_when_disabled\n");
	ksft_test_result(!vm_enable_cap(vm, KVM_CAP_MSR_PLATFORM_INFO, 0, 1) &&
			 run_at(vcpu, read_platform_info, &uc) ==
			 UCALL_SYNC && (uint32_t)uc.args[0] == (uint32_t)want,
			 "guest_reads_again_when_enabled\n");
	TEST_REQUIRE(kvm_set_msr(vcpu->fd, MSR_PLATFORM_INFO, pi) == 1,
		     "set MSR_PLATFORM_INFO");
}

static void test_cpuid_faulting(struct kvm_vcpu *vcpu)
{
	uint64_t pi = msr(vcpu, MSR_PLATFORM_INFO);
	struct ucall uc;

	ksft_test_result(user_cpuid_result(vcpu) == UCALL_SYNC,
			 "user_cpuid_without_faulting\n");
	ksft_test_result(kvm_set_msr(vcpu->fd, MSR_MISC_FEATURES_ENABLES, 2) == 0 &&
			 kvm_set_msr(vcpu->fd, MSR_MISC_FEATURES_ENABLES, 1) == 1 &&
			 msr(vcpu, MSR_MISC_FEATURES_ENABLES) == CPUID_FAULT_ON,
			 "userspace_enables_faulting\n");
	ksft_test_result(kvm_set_msr(vcpu->fd, MSR_PLATFORM_INFO,
				     pi & ~CPUID_FAULT_OFFERED) == 0 &&
			 msr(vcpu, MSR_PLATFORM_INFO) == pi,
			 "offer_stays_while_faulting\n");
	ksft_test_result(run_at(vcpu, do_cpuid, &uc) == UCALL_SYNC,
			 "kernel_cpuid_with_faulting\n");
	ksft_test_result(user_cpuid_result(vcpu) == GP_VECTOR,
			 "user_cpuid_gp_with_faulting\n");

	TEST_REQUIRE(kvm_set_msr(vcpu->fd, MSR_MISC_FEATURES_ENABLES, 0) == 1,
		     "clear MSR_MISC_FEATURES_ENABLES");
	ksft_test_result(run_at(vcpu, enable_faulting, &uc) == UCALL_SYNC &&
			 msr(vcpu, MSR_MISC_FEATURES_ENABLES) == CPUID_FAULT_ON &&
			 user_cpuid_result(vcpu) == GP_VECTOR,
			 "guest_enables_faulting\n");

	TEST_REQUIRE(kvm_set_msr(vcpu->fd, MSR_MISC_FEATURES_ENABLES, 0) == 1,
		     "clear MSR_MISC_FEATURES_ENABLES");
	TEST_REQUIRE(kvm_set_msr(vcpu->fd, MSR_PLATFORM_INFO,
				 pi & ~CPUID_FAULT_OFFERED) == 1,
		     "withdraw the offer");
	ksft_test_result(kvm_set_msr(vcpu->fd, MSR_MISC_FEATURES_ENABLES, 1) == 0 &&
			 run_at(vcpu, enable_faulting, &uc) == GP_VECTOR &&
			 msr(vcpu, MSR_MISC_FEATURES_ENABLES) == 0 &&
			 user_cpuid_result(vcpu) == UCALL_SYNC,
			 "no_faulting_without_offer\n");
}

int main(void)
{
	static const long caps[] = { KVM_CAP_USER_MEMORY };
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint8_t *mem;
	int kvm_fd;

	ksft_print_header();
	kvm_fd = kvm_open_dev();
	kvm_require_caps(kvm_fd, caps, 1);
	ksft_set_plan(13);

	vm = vm_create();
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu = vcpu_create(vm, 0);
	vcpu_load_protected_mode(vcpu, mem, CODE_GPA, guest_code,
				 GUEST_CODE_SIZE(guest_code));
	vcpu_pm_load_tr(vcpu, mem);

	test_lists(kvm_fd);
	test_platform_info(vm, vcpu, kvm_fd);
	test_cpuid_faulting(vcpu);

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	close(kvm_fd);
	ksft_finished();
}
