// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM's hypercalls seen from one 32-bit vCPU: the KVM leaf of CPUID
 * offers PV unhalt, PV IPIs and PV yield; an unknown number is
 * -KVM_ENOSYS, KVM_HC_VAPIC_POLL_IRQ is 0, the number is 32 bits outside
 * 64-bit mode, ring 3 gets -KVM_EPERM, a kick or yield to no vCPU is
 * harmless, and the vCPU's "hypercalls" statistic counts them.  The
 * other vendor's hypercall instruction is patched to this processor's
 * and works, unless userspace disabled KVM_X86_QUIRK_FIX_HYPERCALL_INSN:
 * then it is #UD.  With KVM_CAP_ENFORCE_PV_FEATURE_CPUID, a hypercall or
 * kvmclock MSR the KVM leaf does not offer is -KVM_ENOSYS or #GP.  The
 * hypercalls between vCPUs are in ipi_test.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define HYPERCALL_GPA	0x3000
#define FOREIGN_GPA	0x3010
#define USER_STACK	0x6000
#define KERNEL_STACK	0x8000
#define MEM_SIZE	0x10000
#define UD_VECTOR	6
#define GP_VECTOR	13
#define MSR_KVM_SYSTEM_TIME_NEW	0x4b564d01
#define CLOCKSOURCE2		3

#define KVM_CPUID_FEATURES	0x40000001
#define PV_UNHALT		7
#define PV_SEND_IPI		11
#define PV_SCHED_YIELD		13
#define KVM_ENOSYS		1000
#define KVM_EPERM		1
#define HC_VAPIC_POLL_IRQ	1
#define HC_KICK_CPU		5
#define HC_SCHED_YIELD		11

/*
 * Entry points at CPL 0; they call the hypercall at EDI, and its EAX
 * comes back in EBX.
 */
GUEST_CODE32(guest_code,
	     "kernel_call:\n"
	     "call *%edi\n"
	     "mov %eax, %ebx\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n"
	     "read_msr:\n"
	     "rdmsr\n"
	     "mov %eax, %ebx\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n"
	     "user_call:\n"
	     PM_TO_RING3("user_body - guest_code + " KVM_STR(CODE_GPA),
			 KVM_STR(USER_STACK))
	     "user_body:\n"
	     "call *%edi\n"
	     "mov %eax, %ebx\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "ud2\n");

GUEST_CODE_LABEL(kernel_call);
GUEST_CODE_LABEL(user_call);
GUEST_CODE_LABEL(read_msr);

static struct kvm_vcpu *vcpu;

static void start(const unsigned char *entry, uint64_t stub, uint64_t nr,
		  uint64_t a0, uint64_t a1)
{
	struct kvm_regs regs = {
		.rip = CODE_GPA + (entry - guest_code),
		.rsp = KERNEL_STACK,
		.rflags = 0x2,
		.rax = nr, .rbx = a0, .rcx = a1, .rdi = stub,
	};

	vcpu_set_regs(vcpu, &regs);
}

/*
 * Run from @entry with RAX = @nr, RBX and RCX the arguments, calling the
 * hypercall at HYPERCALL_GPA; EAX after.
 */
static uint64_t hypercall_at(const unsigned char *entry, uint64_t nr,
			     uint64_t a0, uint64_t a1)
{
	struct ucall uc;

	start(entry, HYPERCALL_GPA, nr, a0, a1);
	vcpu_run_ucall(vcpu, &uc);
	return (uint32_t)uc.args[0];
}

/*
 * The other vendor's instruction: patched (with the quirk) or #UD at the
 * instruction (without).
 */
static void test_foreign(struct kvm_vm *vm, uint8_t *mem, int kvm_fd)
{
	const uint8_t *native = mem + HYPERCALL_GPA;
	uint8_t *foreign = vm_put_hypercall(mem, FOREIGN_GPA, true);
	struct ucall uc;

	ksft_test_result(kvm_check_cap(kvm_fd, KVM_CAP_DISABLE_QUIRKS2) &
			 KVM_X86_QUIRK_FIX_HYPERCALL_INSN,
			 "fix_hypercall_quirk_offered\n");
	start(kernel_call, FOREIGN_GPA, HC_VAPIC_POLL_IRQ, 0, 0);
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.args[0] == 0 && !memcmp(foreign, native, 3),
			 "foreign_insn_patched_and_works\n");

	ksft_test_result(vm_enable_cap(vm, KVM_CAP_DISABLE_QUIRKS2, 0, 1ULL << 62) == EINVAL &&
			 !vm_enable_cap(vm, KVM_CAP_DISABLE_QUIRKS2, 0,
					KVM_X86_QUIRK_FIX_HYPERCALL_INSN),
			 "disable_quirks2_checks_bits\n");
	vm_put_hypercall(mem, FOREIGN_GPA, true);
	start(kernel_call, FOREIGN_GPA, HC_VAPIC_POLL_IRQ, 0, 0);
	vcpu_run(vcpu);
	ksft_test_result(vcpu_exit_ucall(vcpu, &uc) &&
			 uc.cmd == UCALL_EXCEPTION && uc.args[0] == UD_VECTOR &&
			 uc.args[1] == FOREIGN_GPA && memcmp(foreign, native, 3) &&
			 hypercall_at(kernel_call, HC_VAPIC_POLL_IRQ, 0, 0) == 0,
			 "foreign_insn_ud_without_quirk\n");
}

static bool cpuid_offers_hypercalls(int kvm_fd)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 256 * sizeof(c->entries[0]));
	uint32_t want = 1u << PV_UNHALT | 1u << PV_SEND_IPI | 1u << PV_SCHED_YIELD;
	bool ok = false;
	uint32_t i;

	TEST_REQUIRE(c, "calloc");
	c->nent = 256;
	TEST_REQUIRE(!ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c),
		     "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == KVM_CPUID_FEATURES)
			ok = (c->entries[i].eax & want) == want;
	free(c);
	return ok;
}

/*
 * A vCPU of a new VM whose KVM leaf offers only @features, with
 * KVM_CAP_ENFORCE_PV_FEATURE_CPUID: the global vcpu while it lives.
 */
static struct kvm_vm *enforcing_vm(uint32_t features)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_ENFORCE_PV_FEATURE_CPUID, .args = { 1 },
	};
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 256 * sizeof(c->entries[0]));
	struct kvm_vm *vm = vm_create();
	uint8_t *mem;
	uint32_t i;

	TEST_REQUIRE(c, "calloc");
	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu = vcpu_create(vm, 0);
	vcpu_load_protected_mode(vcpu, mem, CODE_GPA, guest_code,
				 GUEST_CODE_SIZE(guest_code));
	vm_put_hypercall(mem, HYPERCALL_GPA, false);
	c->nent = 256;
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_CPUID2, c), "KVM_GET_CPUID2: %s",
		     strerror(errno));
	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == KVM_CPUID_FEATURES)
			c->entries[i].eax = features;
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_CPUID2, c), "KVM_SET_CPUID2: %s",
		     strerror(errno));
	free(c);
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_ENABLE_CAP, &cap),
		     "KVM_CAP_ENFORCE_PV_FEATURE_CPUID: %s", strerror(errno));
	return vm;
}

/* The guest's RDMSR of kvmclock's MSR: true if it works, false for #GP. */
static bool kvmclock_msr_reads(void)
{
	struct ucall uc;

	start(read_msr, 0, 0, 0, MSR_KVM_SYSTEM_TIME_NEW);
	vcpu_run(vcpu);
	TEST_REQUIRE(vcpu_exit_ucall(vcpu, &uc) &&
		     (uc.cmd == UCALL_SYNC || (uc.cmd == UCALL_EXCEPTION &&
					       uc.args[0] == GP_VECTOR)),
		     "rdmsr: exit %s", exit_reason_str(vcpu->run->exit_reason));
	return uc.cmd == UCALL_SYNC;
}

static void test_enforce(int kvm_fd)
{
	struct kvm_vcpu *saved = vcpu;
	struct kvm_vm *vm;
	bool ok;

	if (kvm_check_cap(kvm_fd, KVM_CAP_ENFORCE_PV_FEATURE_CPUID) <= 0) {
		ksft_test_result_skip("enforced_leaf_hides_hypercalls_and_msrs\n");
		ksft_test_result_skip("enforced_leaf_offers_what_it_says\n");
		return;
	}
	vm = enforcing_vm(0);
	ok = hypercall_at(kernel_call, HC_KICK_CPU, 0, 7) ==
	     (uint32_t)-KVM_ENOSYS &&
	     hypercall_at(kernel_call, HC_SCHED_YIELD, 7, 0) ==
	     (uint32_t)-KVM_ENOSYS &&
	     hypercall_at(kernel_call, HC_VAPIC_POLL_IRQ, 0, 0) == 0 &&
	     !kvmclock_msr_reads();
	ksft_test_result(ok, "enforced_leaf_hides_hypercalls_and_msrs\n");
	vcpu_destroy(vcpu);
	vm_destroy(vm);

	vm = enforcing_vm(1u << PV_UNHALT | 1u << CLOCKSOURCE2);
	ok = hypercall_at(kernel_call, HC_KICK_CPU, 0, 7) == 0 &&
	     hypercall_at(kernel_call, HC_SCHED_YIELD, 7, 0) ==
	     (uint32_t)-KVM_ENOSYS &&
	     kvmclock_msr_reads();
	ksft_test_result(ok, "enforced_leaf_offers_what_it_says\n");
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	vcpu = saved;
}

int main(void)
{
	static const long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_IRQCHIP };
	struct ucall uc;
	struct kvm_vm *vm;
	long long before;
	uint8_t *mem;
	int kvm_fd, stats_fd;

	ksft_print_header();
	kvm_fd = kvm_open_dev();
	kvm_require_caps(kvm_fd, caps, 2);
	ksft_set_plan(14);

	vm = vm_create();
	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu = vcpu_create(vm, 0);
	vcpu_load_protected_mode(vcpu, mem, CODE_GPA, guest_code,
				 GUEST_CODE_SIZE(guest_code));
	vm_put_hypercall(mem, HYPERCALL_GPA, false);
	vcpu_pm_load_tr(vcpu, mem);
	stats_fd = ioctl(vcpu->fd, KVM_GET_STATS_FD, NULL);
	TEST_REQUIRE(stats_fd >= 0, "KVM_GET_STATS_FD: %s", strerror(errno));
	before = kvm_stat(stats_fd, "hypercalls");

	ksft_test_result(cpuid_offers_hypercalls(kvm_fd),
			 "cpuid_offers_pv_unhalt_ipi_yield\n");
	ksft_test_result(hypercall_at(kernel_call, 0x7fff, 0, 0) ==
			 (uint32_t)-KVM_ENOSYS, "unknown_enosys\n");
	ksft_test_result(hypercall_at(kernel_call, HC_VAPIC_POLL_IRQ, 0, 0) == 0,
			 "vapic_poll_irq_0\n");
	ksft_test_result(hypercall_at(kernel_call, 1ULL << 32 | HC_VAPIC_POLL_IRQ,
				      0, 0) == 0,
			 "number_is_32_bits_in_32_bit_mode\n");
	ksft_test_result(hypercall_at(user_call, HC_VAPIC_POLL_IRQ, 0, 0) ==
			 (uint32_t)-KVM_EPERM, "ring_3_eperm\n");
	/* Back to ring 0 through the #UD after the ucall. */
	vcpu_run(vcpu);
	TEST_REQUIRE(vcpu_exit_ucall(vcpu, &uc) && uc.cmd == UCALL_EXCEPTION &&
		     uc.args[0] == UD_VECTOR, "#UD back to ring 0");
	ksft_test_result(hypercall_at(kernel_call, HC_KICK_CPU, 0, 7) == 0,
			 "kick_no_such_vcpu_0\n");
	ksft_test_result(hypercall_at(kernel_call, HC_SCHED_YIELD, 7, 0) == 0 &&
			 hypercall_at(kernel_call, HC_SCHED_YIELD, 0, 0) == 0,
			 "yield_to_none_or_self_0\n");
	ksft_test_result(kvm_stat(stats_fd, "hypercalls") - before == 7,
			 "hypercalls_stat (%lld)\n",
			 kvm_stat(stats_fd, "hypercalls") - before);

	test_foreign(vm, mem, kvm_fd);
	test_enforce(kvm_fd);

	close(stats_fd);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	close(kvm_fd);
	ksft_finished();
}
