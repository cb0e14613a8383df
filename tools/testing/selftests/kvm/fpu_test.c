// SPDX-License-Identifier: GPL-2.0-only
/*
 * FPU, extended state and debug registers: KVM_GET/SET_FPU, _XSAVE,
 * _XCRS and _DEBUGREGS -- reset values, round trips, refusals -- and a
 * guest that reads the SSE register userspace set with KVM_SET_XSAVE and
 * writes one that userspace reads back with KVM_GET_FPU, so the guest's
 * FPU state really is the one the ioctls see.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define MEM_SIZE	0x10000
#define CR4_OSFXSR	0x200
#define MXCSR_RESET	0x1f80
#define MXCSR_OFFSET	24	/* in the FXSAVE/XSAVE legacy area */
#define XMM_OFFSET	160	/* of XMM0, there */
#define XFEATURE_MASK_FPSSE	3ULL
#define XSTATE_BV	512	/* offset of the XSAVE header's bitmap */

/* Report XMM0; put 0xcafef00d into XMM1 and report again. */
GUEST_CODE16(guest_code,
	     "movd %xmm0, %ebx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "movl $0xcafef00d, %ecx\n"
	     "movd %ecx, %xmm1\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "movb $" KVM_STR(UCALL_DONE) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

static int kvm_fd;

static const unsigned char xmm0[16] = { 0x78, 0x56, 0x34, 0x12, 1, 2, 3 };

/*
 * Upstream's KVM_SET_FPU writes the legacy area but leaves the XSAVE
 * header alone, so on XSAVE hosts its MXCSR reads 0 and what it set may
 * not reach the guest: only the round trip of the x87 control word and
 * the registers is common ground.  The guest gets its state through
 * KVM_SET_XSAVE below.
 */
static void test_fpu(struct kvm_vcpu *vcpu)
{
	struct kvm_fpu fpu, back;

	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_FPU, &fpu), "KVM_GET_FPU");
	ksft_test_result(fpu.fcw == 0x37f, "fpu_reset_fcw (%#x)\n", fpu.fcw);
	fpu.fcw = 0x27f;
	memcpy(fpu.xmm[2], xmm0, sizeof(xmm0));
	memset(fpu.fpr[3], 0x5a, 10);
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_FPU, &fpu), "KVM_SET_FPU");
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_FPU, &back), "KVM_GET_FPU");
	ksft_test_result(back.fcw == 0x27f &&
			 !memcmp(back.xmm[2], xmm0, sizeof(xmm0)) &&
			 !memcmp(back.fpr[3], fpu.fpr[3], 10),
			 "fpu_round_trip\n");
}

/* Give the guest XMM0 through KVM_SET_XSAVE; false without XSAVE. */
static bool test_xsave(struct kvm_vcpu *vcpu)
{
	int size = kvm_check_cap(kvm_fd, KVM_CAP_XSAVE2);
	struct kvm_xsave *xs, *back;
	uint64_t *bv;
	uint32_t *mxcsr;

	if (!kvm_check_cap(kvm_fd, KVM_CAP_XSAVE)) {
		ksft_test_result_skip("xsave: no KVM_CAP_XSAVE\n");
		ksft_test_result_skip("xsave: no KVM_CAP_XSAVE\n");
		return false;
	}
	if (size < (int)sizeof(*xs))
		size = sizeof(*xs);
	xs = calloc(1, size);
	back = calloc(1, size);
	TEST_REQUIRE(xs && back, "calloc");
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_XSAVE, xs), "KVM_GET_XSAVE");
	memcpy((char *)xs->region + XMM_OFFSET, xmm0, sizeof(xmm0));
	mxcsr = (uint32_t *)((char *)xs->region + MXCSR_OFFSET);
	*mxcsr = MXCSR_RESET;
	bv = (uint64_t *)((char *)xs->region + XSTATE_BV);
	*bv |= XFEATURE_MASK_FPSSE;
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_XSAVE, xs), "KVM_SET_XSAVE");
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_XSAVE, back), "KVM_GET_XSAVE");
	ksft_test_result(!memcmp((char *)back->region + XMM_OFFSET, xmm0,
				 sizeof(xmm0)), "xsave_round_trip\n");
	*bv |= 1ULL << 62;	/* a state component no processor has */
	ksft_test_result(ioctl(vcpu->fd, KVM_SET_XSAVE, xs) == -1 &&
			 errno == EINVAL, "xsave_unknown_component_einval\n");
	free(xs);
	free(back);
	return true;
}

static int set_xcr0(struct kvm_vcpu *vcpu, uint64_t xcr0, uint32_t flags)
{
	struct kvm_xcrs xcrs = {
		.nr_xcrs = 1, .flags = flags,
		.xcrs = { { .xcr = 0, .value = xcr0 } },
	};

	return ioctl(vcpu->fd, KVM_SET_XCRS, &xcrs) ? errno : 0;
}

static void test_xcrs(struct kvm_vcpu *vcpu)
{
	struct kvm_xcrs xcrs = { .nr_xcrs = 17 };

	if (!kvm_check_cap(kvm_fd, KVM_CAP_XCRS)) {
		ksft_test_result_skip("xcrs: no KVM_CAP_XCRS\n");
		ksft_test_result_skip("xcrs: no KVM_CAP_XCRS\n");
		ksft_test_result_skip("xcrs: no KVM_CAP_XCRS\n");
		return;
	}
	ksft_test_result(ioctl(vcpu->fd, KVM_SET_XCRS, &xcrs) == -1 &&
			 errno == EINVAL, "xcrs_too_many_einval\n");
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_XCRS, &xcrs), "KVM_GET_XCRS");
	ksft_test_result(xcrs.nr_xcrs == 1 && xcrs.xcrs[0].xcr == 0 &&
			 xcrs.xcrs[0].value == 1, "xcr0_reset_is_x87\n");
	/* Without XSAVE in its CPUID the guest may enable x87 only. */
	ksft_test_result(set_xcr0(vcpu, 1, 0) == 0 &&
			 set_xcr0(vcpu, 0, 0) == EINVAL &&
			 set_xcr0(vcpu, 3, 0) == EINVAL &&
			 set_xcr0(vcpu, 1, 1) == EINVAL,
			 "xcr0_checks\n");
}

static void test_debugregs(struct kvm_vcpu *vcpu)
{
	struct kvm_debugregs dbg, back;

	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_DEBUGREGS, &dbg),
		     "KVM_GET_DEBUGREGS");
	ksft_test_result(!dbg.db[0] && !dbg.db[3] && dbg.dr6 == 0xffff0ff0 &&
			 dbg.dr7 == 0x400 && !dbg.flags,
			 "debugregs_reset\n");
	dbg.db[0] = 0x1000;
	dbg.db[3] = 0xffffffff81000000ULL;
	dbg.dr7 = 0x10400;	/* a condition, no breakpoint enabled */
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_DEBUGREGS, &dbg),
		     "KVM_SET_DEBUGREGS");
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_DEBUGREGS, &back),
		     "KVM_GET_DEBUGREGS");
	ksft_test_result(back.db[0] == 0x1000 &&
			 back.db[3] == 0xffffffff81000000ULL &&
			 back.dr7 == 0x10400, "debugregs_round_trip\n");
	back.dr7 = 1ULL << 32;
	ksft_test_result(ioctl(vcpu->fd, KVM_SET_DEBUGREGS, &back) == -1 &&
			 errno == EINVAL, "debugregs_dr7_high_half_einval\n");
	back.dr7 = 0x400;
	back.flags = 1;
	ksft_test_result(ioctl(vcpu->fd, KVM_SET_DEBUGREGS, &back) == -1 &&
			 errno == EINVAL, "debugregs_flags_einval\n");
}

static void test_guest(struct kvm_vcpu *vcpu, void *mem, bool xsave)
{
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
	struct ucall uc;

	if (!xsave) {
		ksft_test_result_skip("guest: no KVM_CAP_XSAVE\n");
		ksft_test_result_skip("guest: no KVM_CAP_XSAVE\n");
		ksft_test_result_skip("guest: no KVM_CAP_XSAVE\n");
		return;
	}

	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	vcpu_get_sregs(vcpu, &sregs);
	sregs.cr4 |= CR4_OSFXSR;
	vcpu_set_sregs(vcpu, &sregs);

	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result((uint32_t)uc.args[0] == 0x12345678,
			 "guest_sees_xmm0_from_set_xsave (%#llx)\n",
			 (unsigned long long)uc.args[0]);
	vcpu_run_ucall(vcpu, &uc);
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_FPU, &fpu), "KVM_GET_FPU");
	ksft_test_result(!memcmp(fpu.xmm[1], "\x0d\xf0\xfe\xca", 4),
			 "get_fpu_sees_the_guests_xmm1\n");
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_DONE, "guest_done\n");
}

int main(void)
{
	static const long caps[] = { KVM_CAP_USER_MEMORY };
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	bool xsave;
	void *mem;

	ksft_print_header();
	kvm_fd = kvm_open_dev();
	kvm_require_caps(kvm_fd, caps, 1);
	ksft_set_plan(14);

	vm = vm_create();
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu = vcpu_create(vm, 0);

	test_fpu(vcpu);
	xsave = test_xsave(vcpu);
	test_xcrs(vcpu);
	test_debugregs(vcpu);
	test_guest(vcpu, mem, xsave);

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	close(kvm_fd);
	ksft_finished();
}
