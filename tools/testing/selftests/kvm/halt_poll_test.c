// SPDX-License-Identifier: GPL-2.0-only
/*
 * Halt polling: a 64-bit guest with the in-kernel APIC halts again and
 * again, each time until a periodic timer (2 ms) ticks.  With a polling
 * limit of one second (KVM_CAP_HALT_POLL), the vCPU learns to poll
 * through such halts: the statistics show polls, and polls that ended a
 * halt.  With a limit of 0 it does not poll at all (ten more halts).
 * KVM_CAP_HALT_POLL refuses flags and limits beyond 32 bits.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define TIMER_HANDLER	0x3000
#define COUNT		0x9000
#define MEM_SIZE	0x10000
#define TIMER_VECTOR	0x41
#define HALTS		40
#define HALTS_UNPOLLED	10

#define SYNC		"mov $" KVM_STR(UCALL_SYNC) ", %al\n" \
			"out %al, $" KVM_STR(UCALL_PORT) "\n"

/* n times: halt until the timer handler has counted; then a ucall. */
#define HALT_ON_TIMER(n) "mov $" KVM_STR(n) ", %r10d\n" \
			"1: mov 0x9000, %r9d\n" \
			"2: sti\n hlt\n cli\n" \
			"cmp 0x9000, %r9d\n" \
			"je 2b\n" \
			"dec %r10d\n" \
			"jnz 1b\n" \
			SYNC

GUEST_CODE64(guest_code,
	     "mov $0x8000, %rsp\n"
	     "mov $0xfee00000, %edi\n"
	     "movl $0x1ff, 0xf0(%rdi)\n"
	     "movl $0xb, 0x3e0(%rdi)\n"
	     /* Periodic, every 2,000,000 ns (divide by 1). */
	     "movl $" KVM_STR(0x20000 | TIMER_VECTOR) ", 0x320(%rdi)\n"
	     "movl $2000000, 0x380(%rdi)\n"
	     HALT_ON_TIMER(HALTS)
	     HALT_ON_TIMER(HALTS_UNPOLLED)
	     "mov $" KVM_STR(UCALL_DONE) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

GUEST_CODE64(guest_timer_handler,
	     "lock incl 0x9000\n"
	     "movl $0, 0xb0(%rdi)\n"
	     "iretq\n");

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_IRQCHIP,
			KVM_CAP_BINARY_STATS_FD };
	long long attempted, successful, before;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	uint8_t *mem;
	int stats_fd;

	kvm_require_caps(kvm_fd, caps, 3);
	ksft_print_header();
	ksft_set_plan(5);

	vm = vm_create();
	ksft_test_result(ioctl(vm->fd, KVM_CHECK_EXTENSION,
			       KVM_CAP_HALT_POLL) > 0, "cap_halt_poll\n");
	ksft_test_result(vm_enable_cap(vm, KVM_CAP_HALT_POLL, 1, 1000) == EINVAL &&
			 vm_enable_cap(vm, KVM_CAP_HALT_POLL, 0, 1ULL << 32) ==
			 EINVAL, "bad_flags_and_limit_einval\n");
	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	TEST_REQUIRE(!vm_enable_cap(vm, KVM_CAP_HALT_POLL, 0, 1000000000),
		     "KVM_CAP_HALT_POLL");
	vcpu = vcpu_create(vm, 0);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	memcpy(mem + TIMER_HANDLER, guest_timer_handler,
	       GUEST_CODE_SIZE(guest_timer_handler));
	vcpu_set_gate(mem, TIMER_VECTOR, TIMER_HANDLER);
	stats_fd = ioctl(vcpu->fd, KVM_GET_STATS_FD, NULL);
	TEST_REQUIRE(stats_fd >= 0, "KVM_GET_STATS_FD: %s", strerror(errno));

	vcpu_run_ucall(vcpu, &uc);
	attempted = kvm_stat(stats_fd, "halt_attempted_poll");
	successful = kvm_stat(stats_fd, "halt_successful_poll");
	ksft_test_result(uc.cmd == UCALL_SYNC &&
			 *(uint32_t *)(mem + COUNT) >= HALTS,
			 "guest_woke_at_timer_ticks\n");
	ksft_test_result(attempted > 0 && successful > 0,
			 "short_halts_end_in_polling (%lld of %lld polls)\n",
			 successful, attempted);

	TEST_REQUIRE(!vm_enable_cap(vm, KVM_CAP_HALT_POLL, 0, 0),
		     "KVM_CAP_HALT_POLL");
	before = kvm_stat(stats_fd, "halt_attempted_poll");
	vcpu_run_ucall(vcpu, &uc);
	attempted = kvm_stat(stats_fd, "halt_attempted_poll");
	ksft_test_result(uc.cmd == UCALL_SYNC && attempted == before &&
			 *(uint32_t *)(mem + COUNT) >= HALTS + HALTS_UNPOLLED,
			 "limit_zero_never_polls (%lld polls)\n",
			 attempted - before);
	vcpu_run_ucall(vcpu, &uc);
	TEST_REQUIRE(uc.cmd == UCALL_DONE, "guest did not finish");

	close(stats_fd);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_finished();
}
