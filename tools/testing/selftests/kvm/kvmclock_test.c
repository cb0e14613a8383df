// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmclock and KVM_GET_CLOCK/KVM_SET_CLOCK (KVM_CAP_ADJUST_CLOCK).
 *
 * Two 64-bit vCPUs register their kvmclock pages with
 * MSR_KVM_SYSTEM_TIME_NEW and read the clock the way Linux does (the
 * version protocol, the TSC delta scaled by the page's multiplier and
 * shift), twice in a row, and report it.  What they read must lie between
 * the KVM_GET_CLOCK values taken before and after the run, never go back
 * between two reads, one vCPU after the other, and follow KVM_SET_CLOCK
 * forwards and backwards.  The wall clock page (MSR_KVM_WALL_CLOCK_NEW)
 * must give the host's real time at which the clock was 0.  KVM_SET_CLOCK
 * with KVM_CLOCK_REALTIME adds the real time that passed, and unknown
 * flags are -EINVAL.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define AREA_GPA(id)	(0x8000 + (id) * 0x1000)	/* page, stack above */
#define WALL_OFFSET	0x100
#define MEM_SIZE	LONG_MODE_MEM_MIN
#define MSR_SYSTEM_TIME	0x4b564d01
#define MSR_WALL_CLOCK	0x4b564d00
#define NSEC		1000000000ULL
#define VALID_FLAGS	(KVM_CLOCK_TSC_STABLE | KVM_CLOCK_REALTIME | \
			 KVM_CLOCK_HOST_TSC)

/*
 * RSI holds the vCPU's area: its kvmclock page, its wall clock page at
 * WALL_OFFSET, its stack at the top.
 */
GUEST_CODE64(guest_code,
	     "lea 0x1000(%rsi), %rsp\n"
	     "mov %rsi, %rax\n"
	     "or $1, %eax\n"
	     "xor %edx, %edx\n"
	     "mov $" KVM_STR(MSR_SYSTEM_TIME) ", %ecx\n"
	     "wrmsr\n"
	     "lea " KVM_STR(WALL_OFFSET) "(%rsi), %rax\n"
	     "mov $" KVM_STR(MSR_WALL_CLOCK) ", %ecx\n"
	     "wrmsr\n"
	     "1: mov %rsi, %rdi\n"
	     "call 2f\n"
	     "mov %rax, %rbx\n"
	     "call 2f\n"
	     "mov %rax, %rcx\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "jmp 1b\n"
	     /* Read the clock of the page at RDI into RAX. */
	     "2: mov (%rdi), %r8d\n"
	     "test $1, %r8d\n"
	     "jnz 2b\n"
	     "lfence\n"
	     "rdtsc\n"
	     "shl $32, %rdx\n"
	     "or %rdx, %rax\n"
	     "sub 8(%rdi), %rax\n"
	     "movsbl 28(%rdi), %ecx\n"
	     "test %ecx, %ecx\n"
	     "js 3f\n"
	     "shl %cl, %rax\n"
	     "jmp 4f\n"
	     "3: neg %ecx\n"
	     "shr %cl, %rax\n"
	     "4: mov 24(%rdi), %ecx\n"
	     "mul %rcx\n"
	     "shrd $32, %rdx, %rax\n"
	     "add 16(%rdi), %rax\n"
	     "lfence\n"
	     "cmp (%rdi), %r8d\n"
	     "jne 2b\n"
	     "ret\n"
);

static struct kvm_vm *vm;
static struct kvm_vcpu *vcpus[2];
static uint8_t *mem;

static struct kvm_clock_data get_clock(void)
{
	struct kvm_clock_data d;

	TEST_REQUIRE(!ioctl(vm->fd, KVM_GET_CLOCK, &d), "KVM_GET_CLOCK: %s",
		     strerror(errno));
	return d;
}

static int set_clock(uint64_t clock, uint32_t flags, uint64_t realtime)
{
	struct kvm_clock_data d = {
		.clock = clock, .flags = flags, .realtime = realtime,
	};

	return ioctl(vm->fd, KVM_SET_CLOCK, &d) ? errno : 0;
}

/* Run vCPU @id to its next report; the two clock values it read. */
static void guest_read(int id, uint64_t *a, uint64_t *b)
{
	struct ucall uc;

	TEST_REQUIRE(vcpu_run_ucall(vcpus[id], &uc) == UCALL_SYNC,
		     "expected a sync");
	*a = uc.args[0];
	*b = uc.args[1];
}

/* Reads of vCPU @id lie in [lo, KVM_GET_CLOCK after the run], in order. */
static bool guest_reads_in(int id, uint64_t lo, uint64_t *last)
{
	uint64_t a, b, hi;

	guest_read(id, &a, &b);
	hi = get_clock().clock;
	*last = b;
	if (lo <= a && a <= b && b <= hi)
		return true;
	ksft_print_msg("vCPU %d read %llu, %llu; bracket [%llu, %llu]\n", id,
		       (unsigned long long)a, (unsigned long long)b,
		       (unsigned long long)lo, (unsigned long long)hi);
	return false;
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

static uint64_t get_msr(struct kvm_vcpu *vcpu, uint32_t index)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = { .hdr.nmsrs = 1, .e.index = index };

	TEST_REQUIRE(ioctl(vcpu->fd, KVM_GET_MSRS, &m) == 1,
		     "KVM_GET_MSRS 0x%x", index);
	return m.e.data;
}

static void test_clock(void)
{
	struct kvm_clock_data start = get_clock();
	uint64_t last, boot, before, rt;
	uint32_t *wall;
	int64_t diff;

	ksft_test_result(guest_reads_in(0, start.clock, &last),
			 "guest_clock_within_get_clock\n");
	ksft_test_result(get_msr(vcpus[0], MSR_SYSTEM_TIME) ==
			 (AREA_GPA(0) | 1) &&
			 get_msr(vcpus[0], MSR_WALL_CLOCK) ==
			 AREA_GPA(0) + WALL_OFFSET, "msrs_read_back\n");

	/* The real time at which the clock was 0, in whole seconds. */
	rt = (start.flags & KVM_CLOCK_REALTIME) ? start.realtime :
						  realtime_ns();
	boot = (rt - start.clock) / NSEC;
	wall = (uint32_t *)(mem + AREA_GPA(0) + WALL_OFFSET);
	diff = (int64_t)wall[1] - (int64_t)boot;
	ksft_test_result(!(wall[0] & 1) && diff >= -2 && diff <= 2,
			 "wall_clock_page (sec %u, want %llu)\n", wall[1],
			 (unsigned long long)boot);

	ksft_test_result(guest_reads_in(1, last, &last),
			 "second_vcpu_continues_first\n");

	ksft_test_result(set_clock(1000 * NSEC, 0, 0) == 0 &&
			 get_clock().clock >= 1000 * NSEC &&
			 get_clock().clock < 1060 * NSEC,
			 "set_clock_forwards\n");
	before = get_clock().clock;
	ksft_test_result(guest_reads_in(0, before, &last) &&
			 guest_reads_in(1, last, &last),
			 "guests_follow_set_clock_forwards\n");
	ksft_test_result(set_clock(5 * NSEC, 0, 0) == 0 &&
			 guest_reads_in(1, 5 * NSEC, &last) &&
			 last < 60 * NSEC &&
			 guest_reads_in(0, last, &last),
			 "guests_follow_set_clock_backwards\n");
	ksft_test_result(set_clock(0, 0x100, 0) == EINVAL,
			 "set_clock_unknown_flag\n");
}

static void test_realtime(long caps)
{
	uint64_t c;

	if (!(caps & KVM_CLOCK_REALTIME)) {
		ksft_test_result_skip("set_clock_realtime (not offered)\n");
		return;
	}
	TEST_REQUIRE(!set_clock(0, KVM_CLOCK_REALTIME, realtime_ns() - 5 * NSEC),
		     "KVM_SET_CLOCK: %s", strerror(errno));
	c = get_clock().clock;
	ksft_test_result(c >= 5 * NSEC && c < 65 * NSEC,
			 "set_clock_realtime_adds_elapsed (%llu)\n",
			 (unsigned long long)c);
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_ADJUST_CLOCK };
	struct kvm_regs regs;
	long flags;
	int i;

	kvm_require_caps(kvm_fd, caps, 1);
	flags = kvm_check_cap(kvm_fd, KVM_CAP_ADJUST_CLOCK);
	ksft_print_header();
	ksft_set_plan(1 + 8 + 1);
	ksft_test_result(!(flags & ~VALID_FLAGS), "adjust_clock_flags (0x%lx)\n",
			 flags);

	vm = vm_create();
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	for (i = 0; i < 2; i++) {
		vcpus[i] = vcpu_create(vm, i);
		vcpu_load_long_mode(vcpus[i], mem, CODE_GPA, guest_code,
				    GUEST_CODE_SIZE(guest_code));
		vcpu_get_regs(vcpus[i], &regs);
		regs.rsi = AREA_GPA(i);
		vcpu_set_regs(vcpus[i], &regs);
	}

	test_clock();
	test_realtime(flags);

	for (i = 0; i < 2; i++)
		vcpu_destroy(vcpus[i]);
	vm_destroy(vm);
	ksft_finished();
}
