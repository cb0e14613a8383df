// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's MOV to and from debug registers: values the guest writes
 * reach KVM_GET_DEBUGREGS, values userspace sets with KVM_SET_DEBUGREGS
 * reach the guest, DR6 and DR7 keep their fixed bits, and DR4 and DR5
 * are DR6 and DR7 while CR4.DE is clear.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define MEM_SIZE	0x10000

#define DR6_FIXED	0xffff0ff0ULL
#define DR7_FIXED	0x400ULL

GUEST_CODE16(guest_code,
	     "movl $0x12345678, %eax\n"
	     "movl %eax, %dr0\n"
	     "movl %dr0, %ebx\n"
	     "movl %dr7, %ecx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "movl %dr1, %ebx\n"
	     "movl %dr6, %ecx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "xorl %eax, %eax\n"
	     "movl %eax, %dr6\n"
	     "movl $0x000f0003, %eax\n"
	     "movl %eax, %dr7\n"
	     "movl %dr4, %ebx\n"
	     "movl %dr5, %ecx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "movb $" KVM_STR(UCALL_DONE) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

static void get_debugregs(struct kvm_vcpu *vcpu, struct kvm_debugregs *d)
{
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_DEBUGREGS, d),
		     "KVM_GET_DEBUGREGS: %s", strerror(errno));
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_DEBUGREGS };
	struct kvm_debugregs d;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	uint8_t *mem;

	kvm_require_caps(kvm_fd, caps, 2);
	ksft_print_header();
	ksft_set_plan(4);

	vm = vm_create();
	vcpu = vcpu_create(vm, 0);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));

	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == 0x12345678 &&
			 uc.args[1] == DR7_FIXED, "guest_dr0_round_trip\n");
	get_debugregs(vcpu, &d);
	ksft_test_result(d.db[0] == 0x12345678 && d.dr7 == DR7_FIXED &&
			 d.dr6 == DR6_FIXED, "guest_dr0_reaches_userspace\n");

	d.db[1] = 0xcafe0000;
	d.dr6 = DR6_FIXED | 0x2;
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_DEBUGREGS, &d),
		     "KVM_SET_DEBUGREGS: %s", strerror(errno));
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == 0xcafe0000 &&
			 uc.args[1] == (DR6_FIXED | 0x2),
			 "userspace_dr1_dr6_reach_guest\n");

	vcpu_run_ucall(vcpu, &uc);
	get_debugregs(vcpu, &d);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == DR6_FIXED &&
			 uc.args[1] == (0x000f0003 | DR7_FIXED) &&
			 d.dr6 == DR6_FIXED && d.dr7 == (0x000f0003 | DR7_FIXED),
			 "dr4_dr5_alias_dr6_dr7_fixed_bits\n");
	TEST_REQUIRE(vcpu_run_ucall(vcpu, &uc) == UCALL_DONE, "done");

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_finished();
}
