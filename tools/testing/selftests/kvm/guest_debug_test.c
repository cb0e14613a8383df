// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_SET_GUEST_DEBUG, as a debugger in userspace uses it: single steps
 * over instructions the guest runs and instructions KVM completes (CPUID,
 * a port write that goes to userspace) with RFLAGS.TF kept out of the
 * guest's registers; an INT3 breakpoint; instruction and data
 * breakpoints in the debugger's DR0-DR3; general detect of a guest MOV
 * DR; a #DB given to the guest.  Every stop is KVM_EXIT_DEBUG with the
 * vector, the linear address of the next instruction and DR6.  Without a
 * debugger, a guest that steps itself gets its trap after a CPUID too.
 * KVM_GUESTDBG_BLOCKIRQ is left to upstream's debug_regs, which ours
 * passes under Bochs: there, upstream KVM stops at the same instruction
 * again and again when it steps with an MSI pending.
 */
#include <cpuid.h>
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define DATA_GPA	0x8000
#define STACK		0x9000
#define MEM_SIZE	0x10000

#define DB_VEC		1
#define BP_VEC		3
#define DR6_FIXED	0xffff0ff0ULL
#define DR6_BS		0x4000ULL
#define DR6_BD		0x2000ULL
#define DR7_FIXED	0x400ULL
#define DR7_GD		0x2000ULL
#define RFLAGS_TF	0x100

#define SYNC	"movb $" KVM_STR(UCALL_SYNC) ", %al\n" \
		"outb %al, $" KVM_STR(UCALL_PORT) "\n"

GUEST_CODE64(guest_code,
	     "mov $" KVM_STR(STACK) ", %rsp\n"
	     "hlt\n"
	     "step_start: mov $1, %eax\n"
	     "step_2: xor %ecx, %ecx\n"
	     "step_3: cpuid\n"
	     "step_end: hlt\n"
	     "out_step: out %al, $0x80\n"
	     "out_end: hlt\n"
	     "sw_bp: int3\n"
	     "hw_bp: nop\n"
	     "data_write: movl $7, " KVM_STR(DATA_GPA) "\n"
	     "data_done:\n"
	     SYNC
	     "mov_dr: mov %dr0, %rax\n"
	     SYNC
	     "nop\n"
	     SYNC
	     "hlt\n"
	     "self_step: pushf\n"
	     "orl $" KVM_STR(RFLAGS_TF) ", (%rsp)\n"
	     "popf\n"
	     "cpuid\n"
	     "after_cpuid: nop\n"
	     "hlt\n");

GUEST_CODE_LABEL(step_start);
GUEST_CODE_LABEL(step_2);
GUEST_CODE_LABEL(step_3);
GUEST_CODE_LABEL(step_end);
GUEST_CODE_LABEL(out_step);
GUEST_CODE_LABEL(out_end);
GUEST_CODE_LABEL(sw_bp);
GUEST_CODE_LABEL(hw_bp);
GUEST_CODE_LABEL(data_done);
GUEST_CODE_LABEL(mov_dr);
GUEST_CODE_LABEL(self_step);
GUEST_CODE_LABEL(after_cpuid);

#define GPA_OF(label)	(CODE_GPA + (uint64_t)((label) - guest_code))

static int set_debug(struct kvm_vcpu *vcpu, uint32_t control,
		     const uint64_t dr[8])
{
	struct kvm_guest_debug dbg = { .control = control };

	if (dr)
		memcpy(dbg.arch.debugreg, dr, sizeof(dbg.arch.debugreg));
	return ioctl(vcpu->fd, KVM_SET_GUEST_DEBUG, &dbg);
}

static void must_set_debug(struct kvm_vcpu *vcpu, uint32_t control,
			   const uint64_t dr[8])
{
	TEST_REQUIRE(!set_debug(vcpu, control, dr), "KVM_SET_GUEST_DEBUG: %s",
		     strerror(errno));
}

/* Run to a debug stop: vector @vec at @pc with DR6 @dr6 (if #DB). */
static bool debug_stop(struct kvm_vcpu *vcpu, uint32_t vec, uint64_t pc,
		       uint64_t dr6)
{
	struct kvm_debug_exit_arch *a = &vcpu->run->debug.arch;
	bool ok = !vcpu_run(vcpu) && vcpu->run->exit_reason == KVM_EXIT_DEBUG &&
		  a->exception == vec && a->pc == pc &&
		  (vec != DB_VEC || a->dr6 == dr6);

	if (!ok)
		ksft_print_msg("exit %s vector %u pc %#llx dr6 %#llx, wanted %u at %#llx\n",
			       exit_reason_str(vcpu->run->exit_reason),
			       a->exception, (unsigned long long)a->pc,
			       (unsigned long long)a->dr6, vec,
			       (unsigned long long)pc);
	return ok;
}

static bool run_to_hlt(struct kvm_vcpu *vcpu)
{
	return !vcpu_run(vcpu) && vcpu->run->exit_reason == KVM_EXIT_HLT;
}

static bool run_to_sync(struct kvm_vcpu *vcpu)
{
	struct ucall uc;

	return vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC;
}

/* Move the guest to @rip, with the stack guest_code sets up first. */
static void skip_to(struct kvm_vcpu *vcpu, uint64_t rip)
{
	struct kvm_regs regs;

	vcpu_get_regs(vcpu, &regs);
	regs.rip = rip;
	regs.rsp = STACK;
	vcpu_set_regs(vcpu, &regs);
}

/*
 * QEMU's TCG, our SVM platform, neither intercepts the #BP of an INT3
 * nor arms the breakpoints of the DR7 that VMRUN loads: on it (CPUID
 * leaf 0x40000000 says "TCGTCGTCGTCG") those cases cannot show anything.
 */
static bool under_tcg(void)
{
	unsigned int a, b, c, d;

	__cpuid(1, a, b, c, d);
	if (!(c & (1u << 31)))
		return false;
	__cpuid(0x40000000, a, b, c, d);
	return b == 0x54474354 && c == 0x43544743 && d == 0x47435447;
}

static struct kvm_vcpu *guest_create(uint8_t **mem)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *vcpu = vcpu_create(vm, 0);

	*mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu_load_long_mode(vcpu, *mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	return vcpu;
}

static void guest_destroy(struct kvm_vcpu *vcpu)
{
	struct kvm_vm *vm = vcpu->vm;

	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

#define STEP	(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP)
#define HW_BP	(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP)

/*
 * From a HLT (KVM_EXIT_HLT, the HLT done): two instructions the guest
 * runs, then a CPUID KVM completes.  Each VM ends after a step that KVM
 * completed: Bochs leaves that step's trap pending in the VMCS, which
 * upstream KVM delivers to the guest once the debugger lets go.
 */
static void test_steps(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm_regs regs;
	uint8_t *mem;
	bool ok;

	vcpu = guest_create(&mem);
	TEST_REQUIRE(run_to_hlt(vcpu), "first hlt");
	must_set_debug(vcpu, STEP, NULL);
	ok = debug_stop(vcpu, DB_VEC, GPA_OF(step_2), DR6_FIXED | DR6_BS);
	vcpu_get_regs(vcpu, &regs);
	ok = ok && debug_stop(vcpu, DB_VEC, GPA_OF(step_3), DR6_FIXED | DR6_BS);
	ksft_test_result(ok && !(regs.rflags & RFLAGS_TF),
			 "single_step_hidden_tf (rflags %#llx)\n",
			 (unsigned long long)regs.rflags);
	ksft_test_result(debug_stop(vcpu, DB_VEC, GPA_OF(step_end),
				    DR6_FIXED | DR6_BS),
			 "single_step_over_cpuid\n");
	guest_destroy(vcpu);

	/* A port write: first userspace's exit, then the step's end. */
	vcpu = guest_create(&mem);
	TEST_REQUIRE(run_to_hlt(vcpu) && run_to_hlt(vcpu), "second hlt");
	must_set_debug(vcpu, STEP, NULL);
	ok = !vcpu_run(vcpu) && vcpu->run->exit_reason == KVM_EXIT_IO &&
	     vcpu->run->io.port == 0x80;
	ksft_test_result(ok && debug_stop(vcpu, DB_VEC, GPA_OF(out_end),
					  DR6_FIXED | DR6_BS),
			 "single_step_over_port_write\n");
	guest_destroy(vcpu);
}

/*
 * INT3, breakpoints in DR1 and DR2 and general detect, where the
 * platform has them.
 */
static void test_breakpoints(void)
{
	uint64_t dr[8] = { 0 };
	struct kvm_vcpu *vcpu;
	uint8_t *mem;
	int i;

	if (under_tcg()) {
		for (i = 0; i < 5; i++)
			ksft_test_result_skip("QEMU's TCG: no #BP intercept, no DR7 from VMRUN\n");
		return;
	}
	vcpu = guest_create(&mem);
	skip_to(vcpu, GPA_OF(sw_bp));
	must_set_debug(vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP,
		       NULL);
	ksft_test_result(debug_stop(vcpu, BP_VEC, GPA_OF(sw_bp), 0),
			 "int3_breakpoint\n");
	skip_to(vcpu, GPA_OF(hw_bp));

	/* DR2 on the NOP (execute, global enable). */
	dr[2] = GPA_OF(hw_bp);
	dr[7] = DR7_FIXED | 0x20;
	must_set_debug(vcpu, HW_BP, dr);
	ksft_test_result(debug_stop(vcpu, DB_VEC, GPA_OF(hw_bp),
				    DR6_FIXED | 0x4),
			 "instruction_breakpoint_dr2\n");
	skip_to(vcpu, GPA_OF(hw_bp) + 1);

	/* DR1 on a 4-byte write of DATA_GPA: a trap after the MOV. */
	dr[2] = 0;
	dr[1] = DATA_GPA;
	dr[7] = DR7_FIXED | 0x8 | 0xd << 20;
	must_set_debug(vcpu, HW_BP, dr);
	ksft_test_result(debug_stop(vcpu, DB_VEC, GPA_OF(data_done),
				    DR6_FIXED | 0x2) && mem[DATA_GPA] == 7,
			 "data_write_breakpoint_dr1\n");

	/* DR7.GD: the guest's MOV from DR0 stops before it runs. */
	must_set_debug(vcpu, 0, NULL);
	TEST_REQUIRE(run_to_sync(vcpu), "sync after the data write");
	memset(dr, 0, sizeof(dr));
	dr[7] = DR7_FIXED | DR7_GD;
	must_set_debug(vcpu, HW_BP, dr);
	ksft_test_result(debug_stop(vcpu, DB_VEC, GPA_OF(mov_dr),
				    DR6_FIXED | DR6_BD),
			 "general_detect_of_mov_dr\n");

	/* Off again: the guest goes on from there. */
	must_set_debug(vcpu, 0, NULL);
	ksft_test_result(run_to_sync(vcpu), "disabled_guest_runs_on\n");
	guest_destroy(vcpu);
}

int main(void)
{
	uint32_t all = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP |
		       KVM_GUESTDBG_USE_SW_BP | KVM_GUESTDBG_USE_HW_BP |
		       KVM_GUESTDBG_INJECT_DB | KVM_GUESTDBG_INJECT_BP |
		       KVM_GUESTDBG_BLOCKIRQ;
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_SET_GUEST_DEBUG };
	struct kvm_vcpu *vcpu;
	struct ucall uc;
	uint8_t *mem;
	bool ok;

	kvm_require_caps(kvm_fd, caps, 2);
	ksft_print_header();
	ksft_set_plan(11);
	ksft_test_result((kvm_check_cap(kvm_fd, KVM_CAP_SET_GUEST_DEBUG2) &
			  all) == all, "set_guest_debug2_offers_x86_controls\n");
	test_steps();
	test_breakpoints();

	vcpu = guest_create(&mem);
	TEST_REQUIRE(run_to_hlt(vcpu), "hlt");
	/* A #DB for the guest's own handler, without ENABLE (as QEMU). */
	must_set_debug(vcpu, KVM_GUESTDBG_INJECT_DB, NULL);
	ok = !vcpu_run(vcpu) && vcpu_exit_ucall(vcpu, &uc);
	ksft_test_result(ok && uc.cmd == UCALL_EXCEPTION && uc.args[0] == DB_VEC,
			 "inject_db_reaches_guest (exit %s cmd %d arg0 %llu)\n",
			 exit_reason_str(vcpu->run->exit_reason), ok ? uc.cmd : -1,
			 ok ? (unsigned long long)uc.args[0] : 0ULL);
	guest_destroy(vcpu);

	/*
	 * No debugger: the guest steps itself over a CPUID that KVM
	 * completes, and its own #DB handler gets the trap after it.
	 */
	vcpu = guest_create(&mem);
	skip_to(vcpu, GPA_OF(self_step));
	ok = !vcpu_run(vcpu) && vcpu_exit_ucall(vcpu, &uc);
	ksft_test_result(ok && uc.cmd == UCALL_EXCEPTION && uc.args[0] == DB_VEC &&
			 uc.args[1] == GPA_OF(after_cpuid),
			 "guest_own_step_over_cpuid (cmd %d vector %llu rip %#llx)\n",
			 ok ? uc.cmd : -1, ok ? (unsigned long long)uc.args[0] : 0ULL,
			 ok ? (unsigned long long)uc.args[1] : 0ULL);
	guest_destroy(vcpu);
	ksft_finished();
}
