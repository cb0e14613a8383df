// SPDX-License-Identifier: GPL-2.0-only
/*
 * Machine checks: KVM_CAP_MCE and KVM_X86_GET_MCE_CAP_SUPPORTED, the bank
 * count and capabilities KVM_X86_SETUP_MCE takes, the MCG and bank MSRs
 * for userspace and the guest, and KVM_X86_SET_MCE: a corrected error
 * only fills its bank, an uncorrected one raises #MC in a guest with
 * CR4.MCE, and one more while the first is in progress shuts the guest
 * down.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define MSR_IA32_MCG_CAP	0x179
#define MSR_IA32_MCG_STATUS	0x17a
#define MSR_IA32_MCG_CTL	0x17b
#define MSR_MC_CTL(b)		(0x400 + 4 * (b))
#define MSR_MC_STATUS(b)	(0x401 + 4 * (b))
#define MSR_MC_ADDR(b)		(0x402 + 4 * (b))
#define MSR_MC_MISC(b)		(0x403 + 4 * (b))
#define MSR_MC_CTL2(b)		(0x280 + (b))

#define MCG_CTL_P		0x100ULL
#define MCG_CMCI_P		0x400ULL
#define MCG_TES_P		0x800ULL
#define MCG_SER_P		0x1000000ULL
#define MCG_STATUS_RIPV		0x1ULL
#define MCG_STATUS_EIPV		0x2ULL
#define MCG_STATUS_MCIP		0x4ULL
#define MCI_STATUS_VAL		0x8000000000000000ULL
#define MCI_STATUS_OVER		0x4000000000000000ULL
#define MCI_STATUS_UC		0x2000000000000000ULL
#define MCI_STATUS_EN		0x1000000000000000ULL
#define MCI_STATUS_PCC		0x200000000000000ULL

#define BANKS		10
#define CODE_GPA	0x1000
#define MEM_SIZE	0x10000
#define MC_VECTOR	18
#define GP_VECTOR	13

/* Turns on CR4.MCE, reads MC3_STATUS for the test, then waits for #MC. */
GUEST_CODE64(guest_mce,
	     "mov $0x8000, %rsp\n"
	     "mov %cr4, %rax\n"
	     "or $0x40, %rax\n"
	     "mov %rax, %cr4\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "mov $0x40d, %ecx\n"
	     "rdmsr\n"
	     "shl $32, %rdx\n"
	     "mov %eax, %eax\n"
	     "or %rdx, %rax\n"
	     "mov %rax, %rbx\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "1: jmp 1b\n");

/* Clears MC1_STATUS (allowed), then writes a value there (#GP). */
GUEST_CODE64(guest_status_write,
	     "mov $0x8000, %rsp\n"
	     "mov $0x405, %ecx\n"
	     "xor %eax, %eax\n"
	     "xor %edx, %edx\n"
	     "wrmsr\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "mov $1, %eax\n"
	     "wrmsr\n"
	     "mov $" KVM_STR(UCALL_DONE) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n");

static bool expect_msr(struct kvm_vcpu *vcpu, uint32_t index, uint64_t want)
{
	uint64_t v;
	int r = kvm_get_msr(vcpu->fd, index, &v);

	if (r == 1 && v == want)
		return true;
	ksft_print_msg("MSR %#x: read %d, %#llx, expected %#llx\n", index, r,
		       (unsigned long long)v, (unsigned long long)want);
	return false;
}

static int setup_mce(struct kvm_vcpu *vcpu, uint64_t cap)
{
	return ioctl(vcpu->fd, KVM_X86_SETUP_MCE, &cap);
}

static int set_mce(struct kvm_vcpu *vcpu, uint8_t bank, uint64_t status,
		   uint64_t mcg_status)
{
	struct kvm_x86_mce mce = {
		.status = status, .addr = 0x1234000 + bank,
		.misc = 0x86, .mcg_status = mcg_status, .bank = bank,
	};

	return ioctl(vcpu->fd, KVM_X86_SET_MCE, &mce);
}

static struct kvm_vcpu *new_vcpu(const unsigned char *code, size_t len)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *vcpu = vcpu_create(vm, 0);
	void *mem = vm_add_memory(vm, 0, MEM_SIZE);

	vcpu_load_long_mode(vcpu, mem, CODE_GPA, code, len);
	return vcpu;
}

static void free_vcpu(struct kvm_vcpu *vcpu)
{
	struct kvm_vm *vm = vcpu->vm;

	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

static void test_setup(uint64_t supported)
{
	struct kvm_vcpu *vcpu = new_vcpu(guest_mce, GUEST_CODE_SIZE(guest_mce));
	uint64_t cap = BANKS | MCG_CTL_P | MCG_SER_P, v;
	bool ok;

	ok = setup_mce(vcpu, 0) == -1 && errno == EINVAL;
	ok &= setup_mce(vcpu, 33) == -1 && errno == EINVAL;
	ok &= setup_mce(vcpu, BANKS | MCG_TES_P) == -1 && errno == EINVAL;
	ok &= ioctl(vcpu->fd, KVM_X86_SETUP_MCE, NULL) == -1 && errno == EFAULT;
	ksft_test_result(ok,
			 "KVM_X86_SETUP_MCE: no banks, 33 banks, an unoffered capability: EINVAL\n");

	ok = !setup_mce(vcpu, cap);
	/* Upstream's SVM keeps only the bits AMD defines (8:0). */
	ok &= kvm_get_msr(vcpu->fd, MSR_IA32_MCG_CAP, &v) == 1 &&
	      (v == cap || v == (cap & 0x1ff));
	ok &= expect_msr(vcpu, MSR_IA32_MCG_CTL, ~0ULL);
	ok &= expect_msr(vcpu, MSR_MC_CTL(0), ~0ULL);
	ok &= expect_msr(vcpu, MSR_MC_CTL(BANKS - 1), ~0ULL);
	ok &= expect_msr(vcpu, MSR_MC_STATUS(BANKS - 1), 0);
	ok &= kvm_get_msr(vcpu->fd, MSR_MC_CTL(BANKS), &v) == 0;
	ksft_test_result(ok,
			 "after setup: MCG_CAP as set, MCG_CTL and every bank's CTL all ones, no bank %d\n",
			 BANKS);

	ok = kvm_set_msr(vcpu->fd, MSR_MC_CTL(2), 0) == 1 &&
	     kvm_set_msr(vcpu->fd, MSR_MC_CTL(2), 0x1234) == 0 &&
	     kvm_set_msr(vcpu->fd, MSR_MC_CTL(2), ~0ULL) == 1;
	ok &= kvm_set_msr(vcpu->fd, MSR_IA32_MCG_CTL, 0x5) == 0;
	ok &= kvm_set_msr(vcpu->fd, MSR_MC_STATUS(2), MCI_STATUS_VAL | 7) == 1 &&
	      kvm_get_msr(vcpu->fd, MSR_MC_STATUS(2), &v) == 1 &&
	      v == (MCI_STATUS_VAL | 7) && kvm_set_msr(vcpu->fd, MSR_MC_STATUS(2), 0) == 1;
	ksft_test_result(ok,
			 "MCi_CTL and MCG_CTL take all ones or zeroes; userspace restores MCi_STATUS\n");

	if (supported & MCG_CMCI_P) {
		ok = !setup_mce(vcpu, cap | MCG_CMCI_P);
		ok &= kvm_get_msr(vcpu->fd, MSR_MC_CTL2(BANKS - 1), &v) == 1 && !v;
		ok &= kvm_set_msr(vcpu->fd, MSR_MC_CTL2(1), 0x40000005ULL) == 1 &&
		      kvm_get_msr(vcpu->fd, MSR_MC_CTL2(1), &v) == 1 &&
		      v == 0x40000005ULL;
		ok &= kvm_set_msr(vcpu->fd, MSR_MC_CTL2(1), 0x80000000ULL) == 0;
		ksft_test_result(ok, "with CMCI: MCi_CTL2 per bank, reserved bits refused\n");
	} else {
		ksft_test_result_skip("CMCI is not offered\n");
	}
	free_vcpu(vcpu);
}

static void test_inject(void)
{
	struct kvm_vcpu *vcpu = new_vcpu(guest_mce, GUEST_CODE_SIZE(guest_mce));
	uint64_t corrected = MCI_STATUS_VAL | MCI_STATUS_EN | 0x17a;
	uint64_t uc = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN |
		      MCI_STATUS_PCC | 0x150;
	uint64_t ucna = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | 0x10090;
	uint64_t mcg = MCG_STATUS_MCIP | MCG_STATUS_EIPV, v;
	struct ucall u;
	bool ok;

	TEST_REQUIRE(!setup_mce(vcpu, BANKS | MCG_CTL_P | MCG_SER_P), "setup");
	ok = set_mce(vcpu, BANKS, corrected, 0) == -1 && errno == EINVAL;
	ok &= set_mce(vcpu, 3, corrected & ~MCI_STATUS_VAL, 0) == -1 &&
	      errno == EINVAL;
	ksft_test_result(ok, "KVM_X86_SET_MCE: bank out of range, status without VAL: EINVAL\n");

	vcpu_run_ucall(vcpu, &u);	/* CR4.MCE is on */
	ok = !set_mce(vcpu, 3, corrected, 0);
	ok &= kvm_get_msr(vcpu->fd, MSR_MC_STATUS(3), &v) == 1 && v == corrected;
	ok &= kvm_get_msr(vcpu->fd, MSR_MC_ADDR(3), &v) == 1 && v == 0x1234003;
	ok &= kvm_get_msr(vcpu->fd, MSR_MC_MISC(3), &v) == 1 && v == 0x86;
	ok &= vcpu_run_ucall(vcpu, &u) == UCALL_SYNC && u.args[0] == corrected;
	ksft_test_result(ok,
			 "a corrected error fills its bank, which the guest reads, without #MC\n");

	ok = !set_mce(vcpu, 3, corrected, 0);
	ok &= kvm_get_msr(vcpu->fd, MSR_MC_STATUS(3), &v) == 1 &&
	      v == (corrected | MCI_STATUS_OVER);
	ksft_test_result(ok, "a second one in the same bank sets OVER\n");

	ok = !set_mce(vcpu, 0, ucna, 0) && !set_mce(vcpu, 0, ucna + 1, 0);
	ok &= kvm_get_msr(vcpu->fd, MSR_MC_STATUS(0), &v) == 1 &&
	      v == ucna + 1;
	ksft_test_result(ok, "a second UCNA in a bank replaces the first (%#llx)\n",
			 (unsigned long long)v);

	ok = !set_mce(vcpu, 1, uc, mcg);
	ok &= vcpu_run(vcpu) == 0 && vcpu_exit_ucall(vcpu, &u) &&
	      u.cmd == UCALL_EXCEPTION && u.args[0] == MC_VECTOR;
	ok &= kvm_get_msr(vcpu->fd, MSR_IA32_MCG_STATUS, &v) == 1 && v == mcg;
	ok &= kvm_get_msr(vcpu->fd, MSR_MC_STATUS(1), &v) == 1 && v == uc;
	ksft_test_result(ok,
			 "an uncorrected error raises #MC with MCG_STATUS and the bank as given\n");

	ok = !set_mce(vcpu, 2, uc, mcg);
	ok &= vcpu_run(vcpu) == 0 &&
	      vcpu->run->exit_reason == KVM_EXIT_SHUTDOWN;
	ksft_test_result(ok, "another one while MCIP is set shuts the guest down\n");
	free_vcpu(vcpu);

	/* Without CR4.MCE, the first one shuts it down. */
	vcpu = new_vcpu(guest_status_write, GUEST_CODE_SIZE(guest_status_write));
	TEST_REQUIRE(!setup_mce(vcpu, BANKS | MCG_CTL_P), "setup");
	ok = !set_mce(vcpu, 1, uc, mcg);
	ok &= vcpu_run(vcpu) == 0 &&
	      vcpu->run->exit_reason == KVM_EXIT_SHUTDOWN;
	ksft_test_result(ok, "an uncorrected error without CR4.MCE shuts the guest down\n");
	free_vcpu(vcpu);
}

static void test_guest_status_write(void)
{
	struct kvm_vcpu *vcpu;
	struct ucall u;
	bool ok;

	vcpu = new_vcpu(guest_status_write, GUEST_CODE_SIZE(guest_status_write));
	TEST_REQUIRE(!setup_mce(vcpu, BANKS | MCG_CTL_P), "setup");
	ok = vcpu_run_ucall(vcpu, &u) == UCALL_SYNC;
	ok &= vcpu_run(vcpu) == 0 && vcpu_exit_ucall(vcpu, &u) &&
	      u.cmd == UCALL_EXCEPTION && u.args[0] == GP_VECTOR;
	ksft_test_result(ok, "the guest may clear MCi_STATUS, not set it (#GP)\n");
	free_vcpu(vcpu);
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_MCE };
	uint64_t supported = 0;
	bool ok;

	kvm_require_caps(kvm_fd, caps, 1);
	ksft_print_header();
	ksft_set_plan(13);

	ok = kvm_check_cap(kvm_fd, KVM_CAP_MCE) == 32;
	ok &= !ioctl(kvm_fd, KVM_X86_GET_MCE_CAP_SUPPORTED, &supported);
	ok &= (supported & (MCG_CTL_P | MCG_SER_P)) == (MCG_CTL_P | MCG_SER_P);
	ksft_test_result(ok,
			 "KVM_CAP_MCE: 32 banks; supported capabilities %#llx include MCG_CTL_P and MCG_SER_P\n",
			 (unsigned long long)supported);
	close(kvm_fd);

	test_setup(supported);
	test_inject();
	test_guest_status_write();
	ksft_finished();
}
