// SPDX-License-Identifier: GPL-2.0-only
/*
 * ucall: guest-to-test calls over port I/O (see kvm_util.h).
 */
#include <errno.h>
#include <string.h>

#include "kvm_util.h"

bool vcpu_exit_ucall(struct kvm_vcpu *vcpu, struct ucall *uc)
{
	struct kvm_run *run = vcpu->run;
	struct kvm_regs regs;
	uint8_t cmd;

	if (run->exit_reason != KVM_EXIT_IO || run->io.port != UCALL_PORT ||
	    run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 1 ||
	    run->io.count != 1)
		return false;
	memcpy(&cmd, (char *)run + run->io.data_offset, 1);
	vcpu_get_regs(vcpu, &regs);
	uc->cmd = cmd;
	uc->args[0] = regs.rbx;
	uc->args[1] = regs.rcx;
	return true;
}

int vcpu_run_ucall(struct kvm_vcpu *vcpu, struct ucall *uc)
{
	struct kvm_run *run = vcpu->run;

	TEST_REQUIRE(!vcpu_run(vcpu), "KVM_RUN: %s", strerror(errno));
	TEST_REQUIRE(vcpu_exit_ucall(vcpu, uc),
		     "expected a ucall, got exit %s (%u)",
		     exit_reason_str(run->exit_reason), run->exit_reason);
	if (uc->cmd == UCALL_ABORT)
		ksft_exit_fail_msg("guest abort at line %llu, value 0x%llx\n",
				   (unsigned long long)uc->args[0],
				   (unsigned long long)uc->args[1]);
	if (uc->cmd == UCALL_EXCEPTION)
		ksft_exit_fail_msg("guest exception %llu (error code or RIP 0x%llx)\n",
				   (unsigned long long)uc->args[0],
				   (unsigned long long)uc->args[1]);
	return uc->cmd;
}
