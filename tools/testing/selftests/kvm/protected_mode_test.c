// SPDX-License-Identifier: GPL-2.0-only
/*
 * A 32-bit protected-mode guest set up by the library: CPUID, accesses
 * to a page no memory slot backs -- a store, a load, a read-modify-write
 * and a zero-extending load, each exiting as MMIO with 32-bit operands and
 * addresses -- and a #UD its exception handler reports with the EIP.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define MEM_SIZE	0x10000
#define MMIO_GPA	0x20000

static uint8_t dev[8];
static unsigned int nr_mmio;

GUEST_CODE32(guest_pm,
	     "mov $0x8000, %esp\n"
	     "xor %eax, %eax\n"
	     "cpuid\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "mov $" KVM_STR(MMIO_GPA) ", %esi\n"
	     "movl $0x12345678, (%esi)\n"
	     "mov (%esi), %ebx\n"
	     "addl $0x11111111, (%esi)\n"
	     "movzbl 3(%esi), %ecx\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "guest_pm_ud2:\n"
	     "ud2\n");

GUEST_CODE_LABEL(guest_pm_ud2);

/* Run to the next ucall, answering MMIO from dev[]. */
static struct ucall run(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	struct ucall uc;

	for (;;) {
		TEST_REQUIRE(!vcpu_run(vcpu), "KVM_RUN: %s", strerror(errno));
		if (run->exit_reason != KVM_EXIT_MMIO)
			break;
		TEST_REQUIRE(run->mmio.phys_addr >= MMIO_GPA &&
			     run->mmio.phys_addr + run->mmio.len <=
			     MMIO_GPA + sizeof(dev), "MMIO at %#llx",
			     (unsigned long long)run->mmio.phys_addr);
		nr_mmio++;
		if (run->mmio.is_write)
			memcpy(dev + run->mmio.phys_addr - MMIO_GPA,
			       run->mmio.data, run->mmio.len);
		else
			memcpy(run->mmio.data,
			       dev + run->mmio.phys_addr - MMIO_GPA,
			       run->mmio.len);
	}
	TEST_REQUIRE(vcpu_exit_ucall(vcpu, &uc), "exit %s",
		     exit_reason_str(run->exit_reason));
	return uc;
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY };
	uint64_t ud2 = CODE_GPA + (guest_pm_ud2 - guest_pm);
	unsigned int a, b, c, d;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	uint8_t *mem;
	uint32_t v;

	kvm_require_caps(kvm_fd, caps, 1);
	ksft_print_header();
	ksft_set_plan(3);

	vm = vm_create();
	vcpu = vcpu_create(vm, 0);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu_load_protected_mode(vcpu, mem, CODE_GPA, guest_pm,
				 GUEST_CODE_SIZE(guest_pm));

	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0));
	uc = run(vcpu);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == b &&
			 uc.args[1] == c, "protected_mode_cpuid\n");

	uc = run(vcpu);
	memcpy(&v, dev, 4);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == 0x12345678 &&
			 v == 0x23456789 && uc.args[1] == 0x23 && nr_mmio == 5,
			 "protected_mode_mmio (%u exits)\n", nr_mmio);

	uc = run(vcpu);
	ksft_test_result(uc.cmd == UCALL_EXCEPTION && uc.args[0] == 6 &&
			 uc.args[1] == ud2,
			 "ud_reported_with_eip\n");

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_finished();
}
