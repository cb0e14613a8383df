// SPDX-License-Identifier: GPL-2.0-only
/*
 * A 64-bit guest set up by the library: CPUID answers from the table,
 * WRMSR and RDMSR round-trip a 64-bit value, and exceptions reach the
 * library's handlers, which report the vector with the RIP (#UD) or the
 * error code (#GP for an unknown MSR).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define MEM_SIZE	0x10000
#define MSR_KERNEL_GS_BASE	0xc0000102
#define GS_VALUE	0x00007f0012345678ULL
#define MSR_UNKNOWN	0xdeadbeef

GUEST_CODE64(guest_lm,
	     "mov $0x8000, %rsp\n"
	     "xor %eax, %eax\n"
	     "cpuid\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "mov $" KVM_STR(MSR_KERNEL_GS_BASE) ", %ecx\n"
	     "movabs $" KVM_STR(GS_VALUE) ", %rax\n"
	     "mov %rax, %rdx\n"
	     "shr $32, %rdx\n"
	     "wrmsr\n"
	     "xor %eax, %eax\n"
	     "xor %edx, %edx\n"
	     "rdmsr\n"
	     "shl $32, %rdx\n"
	     "or %rdx, %rax\n"
	     "mov %rax, %rbx\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "guest_lm_ud2:\n"
	     "ud2\n"
	     "guest_lm_gp:\n"
	     "mov $0x8000, %rsp\n"
	     "mov $" KVM_STR(MSR_UNKNOWN) ", %ecx\n"
	     "rdmsr\n"
	     "hlt\n");

GUEST_CODE_LABEL(guest_lm_ud2);
GUEST_CODE_LABEL(guest_lm_gp);

/* Run to the next ucall, which may be an exception report. */
static struct ucall run(struct kvm_vcpu *vcpu)
{
	struct ucall uc;

	TEST_REQUIRE(!vcpu_run(vcpu), "KVM_RUN: %s", strerror(errno));
	TEST_REQUIRE(vcpu_exit_ucall(vcpu, &uc), "exit %s",
		     exit_reason_str(vcpu->run->exit_reason));
	return uc;
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY };
	uint64_t ud2 = CODE_GPA + (guest_lm_ud2 - guest_lm);
	uint64_t gp = CODE_GPA + (guest_lm_gp - guest_lm);
	unsigned int a, b, c, d;
	struct kvm_regs regs;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	uint8_t *mem;

	kvm_require_caps(kvm_fd, caps, 1);
	ksft_print_header();
	ksft_set_plan(4);

	vm = vm_create();
	vcpu = vcpu_create(vm, 0);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_lm,
			    GUEST_CODE_SIZE(guest_lm));

	/* The supported table has the host's vendor in leaf 0. */
	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0));
	uc = run(vcpu);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == b &&
			 uc.args[1] == c, "long_mode_cpuid\n");
	uc = run(vcpu);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == GS_VALUE,
			 "long_mode_wrmsr_rdmsr (%#llx)\n",
			 (unsigned long long)uc.args[0]);
	uc = run(vcpu);
	ksft_test_result(uc.cmd == UCALL_EXCEPTION && uc.args[0] == 6 &&
			 uc.args[1] == ud2, "ud_reported_with_rip\n");

	vcpu_get_regs(vcpu, &regs);
	regs.rip = gp;
	vcpu_set_regs(vcpu, &regs);
	uc = run(vcpu);
	ksft_test_result(uc.cmd == UCALL_EXCEPTION && uc.args[0] == 13 &&
			 uc.args[1] == 0, "gp_reported_with_error_code\n");

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_finished();
}
