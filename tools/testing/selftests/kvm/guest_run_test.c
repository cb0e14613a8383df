// SPDX-License-Identifier: GPL-2.0-only
/*
 * The smallest complete guest: a real-mode program that reports values to
 * the test with ucalls, computes a sum and finishes.  It proves VM, memory
 * slot and vCPU creation, KVM_RUN, port I/O exits and register access.
 */
#include <unistd.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define MEM_SIZE	0x10000

/* Sum 1..100 in the guest, reporting before and after. */
GUEST_CODE16(guest_code,
	     "movl $42, %ebx\n"
	     "movl $0x1234, %ecx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "xorl %ebx, %ebx\n"
	     "movl $100, %ecx\n"
	     "1: addl %ecx, %ebx\n"
	     "loopl 1b\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "movb $" KVM_STR(UCALL_DONE) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

int main(void)
{
	static const long caps[] = { KVM_CAP_USER_MEMORY };
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	void *mem;
	int fd;

	ksft_print_header();
	fd = kvm_open_dev();
	kvm_require_caps(fd, caps, 1);
	ksft_set_plan(3);

	vm = vm_create();
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu = vcpu_create(vm, 0);
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));

	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == 42 &&
			 (uc.args[1] & 0xffffffff) == 0x1234,
			 "first_ucall_carries_arguments\n");

	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == 5050,
			 "guest_computes_sum (got %llu)\n",
			 (unsigned long long)uc.args[0]);

	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_DONE, "guest_done\n");

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	close(fd);
	ksft_finished();
}
