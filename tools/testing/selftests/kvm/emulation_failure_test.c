// SPDX-License-Identifier: GPL-2.0-only
/*
 * An instruction the emulator cannot carry out: FLDS from a page no
 * memory slot backs.  In ring 0 the exit is KVM_EXIT_INTERNAL_ERROR with
 * KVM_INTERNAL_ERROR_EMULATION and the instruction's bytes in the
 * emulation_failure layout; userspace may skip the instruction and the
 * guest goes on.  In ring 3 the guest gets #UD instead, unless
 * KVM_CAP_EXIT_ON_EMULATION_FAILURE (which takes no flags) asks for the
 * exit there too.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define USER_STACK	0x6000
#define KERNEL_STACK	0x8000
#define MEM_SIZE	0x10000
#define MMIO_GPA	0x20000
#define UD_VECTOR	6

/* Entry points at CPL 0; each reports with UCALL_SYNC. */
GUEST_CODE32(guest_code,
	     "kernel_flds:\n"
	     "mov $" KVM_STR(MMIO_GPA) ", %eax\n"
	     "flds (%eax)\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n"
	     "user_flds:\n"
	     PM_TO_RING3("user_body - guest_code + " KVM_STR(CODE_GPA),
			 KVM_STR(USER_STACK))
	     "user_body:\n"
	     "mov $" KVM_STR(PM_USER_DS) ", %bx\n"
	     "mov %bx, %ds\n"
	     "mov $" KVM_STR(MMIO_GPA) ", %eax\n"
	     "user_flds_insn:\n"
	     "flds (%eax)\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "ud2\n");

GUEST_CODE_LABEL(kernel_flds);
GUEST_CODE_LABEL(user_flds);
GUEST_CODE_LABEL(user_flds_insn);

static void start_at(struct kvm_vcpu *vcpu, const unsigned char *entry)
{
	struct kvm_regs regs = {
		.rip = CODE_GPA + (entry - guest_code),
		.rsp = KERNEL_STACK,
		.rflags = 0x2,
	};

	vcpu_set_regs(vcpu, &regs);
}

/* From @entry: check the exit, skip the 2-byte FLDS, run to UCALL_SYNC. */
static bool failure_reported(struct kvm_vcpu *vcpu, const unsigned char *entry)
{
	struct kvm_run *run = vcpu->run;
	struct kvm_regs regs;
	struct ucall uc;
	bool ok;

	start_at(vcpu, entry);
	TEST_REQUIRE(!vcpu_run(vcpu), "KVM_RUN: %s", strerror(errno));
	ok = run->exit_reason == KVM_EXIT_INTERNAL_ERROR &&
	     run->emulation_failure.suberror == KVM_INTERNAL_ERROR_EMULATION &&
	     run->emulation_failure.ndata >= 3 &&
	     (run->emulation_failure.flags &
	      KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES) &&
	     run->emulation_failure.insn_size >= 2 &&
	     run->emulation_failure.insn_size <= 15 &&
	     run->emulation_failure.insn_bytes[0] == 0xd9 &&
	     run->emulation_failure.insn_bytes[1] == 0x00;
	if (!ok) {
		ksft_print_msg("exit %s suberror %u ndata %u flags %#llx size %u\n",
			       exit_reason_str(run->exit_reason),
			       run->emulation_failure.suberror,
			       run->emulation_failure.ndata,
			       (unsigned long long)run->emulation_failure.flags,
			       run->emulation_failure.insn_size);
		return false;
	}
	vcpu_get_regs(vcpu, &regs);
	regs.rip += 2;
	vcpu_set_regs(vcpu, &regs);
	vcpu_run_ucall(vcpu, &uc);
	return uc.cmd == UCALL_SYNC;
}

/* FLDS in ring 3 without the capability: #UD at the instruction. */
static bool user_ud(struct kvm_vcpu *vcpu)
{
	struct ucall uc = {};

	start_at(vcpu, user_flds);
	TEST_REQUIRE(!vcpu_run(vcpu), "KVM_RUN: %s", strerror(errno));
	if (!vcpu_exit_ucall(vcpu, &uc))
		ksft_print_msg("exit %s\n", exit_reason_str(vcpu->run->exit_reason));
	return uc.cmd == UCALL_EXCEPTION && uc.args[0] == UD_VECTOR &&
	       uc.args[1] == (uint64_t)(CODE_GPA + (user_flds_insn - guest_code));
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
	ksft_set_plan(5);

	vm = vm_create();
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu = vcpu_create(vm, 0);
	vcpu_load_protected_mode(vcpu, mem, CODE_GPA, guest_code,
				 GUEST_CODE_SIZE(guest_code));
	vcpu_pm_load_tr(vcpu, mem);

	ksft_test_result(failure_reported(vcpu, kernel_flds),
			 "kernel_failure_exits_with_insn_bytes\n");
	ksft_test_result(user_ud(vcpu), "user_failure_is_ud\n");
	ksft_test_result(kvm_check_cap(kvm_fd,
				       KVM_CAP_EXIT_ON_EMULATION_FAILURE) > 0 &&
			 vm_enable_cap(vm, KVM_CAP_EXIT_ON_EMULATION_FAILURE, 1, 1) == EINVAL &&
			 vm_enable_cap(vm, KVM_CAP_EXIT_ON_EMULATION_FAILURE, 0, 1) == 0,
			 "enable_cap\n");
	ksft_test_result(failure_reported(vcpu, kernel_flds),
			 "kernel_failure_exits_with_cap\n");
	ksft_test_result(failure_reported(vcpu, user_flds),
			 "user_failure_exits_with_cap\n");

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	close(kvm_fd);
	ksft_finished();
}
