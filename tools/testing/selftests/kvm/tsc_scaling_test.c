// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's TSC rate (KVM_SET_TSC_KHZ, KVM_GET_TSC_KHZ, on the VM and
 * on a vCPU).  Everywhere: KVM_CAP_TSC_CONTROL and KVM_CAP_VM_TSC_CONTROL
 * agree, both ioctls give the host's rate at first, and the VM's rate is
 * for the vCPUs to come: those there keep theirs.
 * Without scaling, a vCPU cannot have a slower TSC (EINVAL); with it, not
 * one of 2^32 - 1 kHz (EINVAL).
 *
 * Where the processor scales the TSC (VMX TSC multiplier, SVM TSC ratio
 * MSR): a VM at half the host's rate has vCPUs at half the rate, whose
 * TSC runs at half the speed (counted from userspace with MSR_IA32_TSC
 * against CLOCK_MONOTONIC) and which RDTSC in the guest reads too (between
 * two reads from userspace); at twice the rate the same.  kvmclock's page
 * has the scale of the guest's rate: its time for the guest's RDTSC is
 * between two KVM_GET_CLOCKs.  A TSC-deadline timer at half the rate
 * fires when the guest's TSC reaches the deadline, not before.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define HANDLER		0x3000
#define FIRED		0x9000
#define CLOCK_PAGE	0x9100
#define MEM_SIZE	0x10000
#define TIMER_VECTOR	0x50
#define MSR_TSC		0x10
#define MSR_SYSTEM_TIME	0x4b564d01

/* The kvmclock page (the pvclock ABI). */
struct time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
};

#define SYNC		"mov $" KVM_STR(UCALL_SYNC) ", %al\n" \
			"out %al, $" KVM_STR(UCALL_PORT) "\n"
#define RDTSC		"rdtsc\n shl $32, %rdx\n or %rdx, %rax\n"

/*
 * Report RDTSC in RBX; with RSI set, arm the TSC-deadline timer RSI ticks
 * away first, wait for it, and report how many ticks it took.
 */
GUEST_CODE64(guest_code,
	     "mov $0x8000, %rsp\n"
	     "mov $0xfee00000, %edi\n"
	     "movl $0x1ff, 0xf0(%rdi)\n"
	     "movl $" KVM_STR(0x40000 | TIMER_VECTOR) ", 0x320(%rdi)\n"
	     "1: test %rsi, %rsi\n jnz 2f\n"
	     RDTSC
	     "mov %rax, %rbx\n"
	     SYNC
	     "jmp 1b\n"
	     "2: movl $0, 0x9000\n"
	     RDTSC
	     "mov %rax, %r8\n"
	     "add %rsi, %rax\n"
	     "mov %rax, %rdx\n shr $32, %rdx\n"
	     "mov $0x6e0, %ecx\n wrmsr\n"
	     "3: sti\n hlt\n cli\n cmpl $0, 0x9000\n je 3b\n"
	     RDTSC
	     "sub %r8, %rax\n mov %rax, %rbx\n"
	     "xor %esi, %esi\n"
	     SYNC
	     "jmp 1b\n");

GUEST_CODE64(guest_handler,
	     "movl $1, 0x9000\n"
	     "movl $0, 0xb0(%rdi)\n"
	     "iretq\n");

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t guest_tsc(struct kvm_vcpu *vcpu)
{
	uint64_t tsc = 0;

	TEST_REQUIRE(kvm_get_msr(vcpu->fd, MSR_TSC, &tsc) == 1,
		     "KVM_GET_MSRS: %s", strerror(errno));
	return tsc;
}

/* The rate of the vCPU's TSC in kHz, over 200 ms of the host's. */
static uint64_t measured_khz(struct kvm_vcpu *vcpu)
{
	uint64_t t0, t1, g0, g1;

	t0 = now_ns();
	g0 = guest_tsc(vcpu);
	usleep(200000);
	g1 = guest_tsc(vcpu);
	t1 = now_ns();
	return (g1 - g0) * 1000000 / (t1 - t0);
}

static bool near(uint64_t khz, uint64_t want)
{
	return khz >= want * 98 / 100 && khz <= want * 102 / 100;
}

/* Does the guest's RDTSC fall between two reads from userspace? */
static bool rdtsc_between(struct kvm_vcpu *vcpu)
{
	uint64_t before, after;
	struct ucall uc;

	before = guest_tsc(vcpu);
	vcpu_run_ucall(vcpu, &uc);
	after = guest_tsc(vcpu);
	return uc.cmd == UCALL_SYNC && before <= uc.args[0] &&
	       uc.args[0] <= after;
}

static uint64_t vm_clock(struct kvm_vm *vm)
{
	struct kvm_clock_data data = {};

	TEST_REQUIRE(!ioctl(vm->fd, KVM_GET_CLOCK, &data),
		     "KVM_GET_CLOCK: %s", strerror(errno));
	return data.clock;
}

/* kvmclock's time for @tsc, as the guest computes it from its page. */
static uint64_t page_time(const struct time_info *ti,
			  uint64_t tsc)
{
	uint64_t delta = tsc - ti->tsc_timestamp;

	if (ti->tsc_shift < 0)
		delta >>= -ti->tsc_shift;
	else
		delta <<= ti->tsc_shift;
	return ti->system_time +
	       (uint64_t)(((__uint128_t)delta * ti->tsc_to_system_mul) >> 32);
}

/* Is kvmclock's time for the guest's RDTSC between two KVM_GET_CLOCKs? */
static bool clock_between(struct kvm_vm *vm, struct kvm_vcpu *vcpu,
			  uint8_t *mem)
{
	struct time_info *ti = (void *)(mem + CLOCK_PAGE);
	uint64_t before, after, t;
	struct ucall uc;

	TEST_REQUIRE(kvm_set_msr(vcpu->fd, MSR_SYSTEM_TIME, CLOCK_PAGE | 1) == 1,
		     "MSR_SYSTEM_TIME: %s", strerror(errno));
	before = vm_clock(vm);
	vcpu_run_ucall(vcpu, &uc);
	after = vm_clock(vm);
	t = page_time(ti, uc.args[0]);
	/* A microsecond of rounding, either way. */
	return uc.cmd == UCALL_SYNC && !(ti->version & 1) &&
	       before <= t + 1000 && t <= after + 1000;
}

/* Ticks the guest counted until a deadline @ticks away fired. */
static uint64_t deadline_ticks(struct kvm_vcpu *vcpu, uint64_t ticks)
{
	struct kvm_regs regs;
	struct ucall uc;

	vcpu_get_regs(vcpu, &regs);
	regs.rsi = ticks;
	vcpu_set_regs(vcpu, &regs);
	vcpu_run_ucall(vcpu, &uc);
	return uc.cmd == UCALL_SYNC ? uc.args[0] : 0;
}

/* The rate of a vCPU created now. */
static long new_vcpu_khz(struct kvm_vm *vm)
{
	struct kvm_vcpu *vcpu = vcpu_create(vm, 1);
	long khz = ioctl(vcpu->fd, KVM_GET_TSC_KHZ, 0);

	vcpu_destroy(vcpu);
	return khz;
}

static void set_tsc_deadline_cpuid(int kvm_fd, struct kvm_vcpu *vcpu)
{
	struct kvm_cpuid2 *cpuid;
	unsigned int i;

	cpuid = calloc(1, sizeof(*cpuid) + 256 * sizeof(cpuid->entries[0]));
	cpuid->nent = 256;
	TEST_REQUIRE(!ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid),
		     "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	for (i = 0; i < cpuid->nent; i++)
		if (cpuid->entries[i].function == 1)
			cpuid->entries[i].ecx |= 1u << 24;
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_CPUID2, cpuid),
		     "KVM_SET_CPUID2: %s", strerror(errno));
	free(cpuid);
}

#define NR_SCALED	8

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_GET_TSC_KHZ,
			KVM_CAP_IRQCHIP, KVM_CAP_TSC_DEADLINE_TIMER };
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	long host, half, khz;
	uint64_t t, ticks;
	uint8_t *mem;
	int scaling, i;

	kvm_require_caps(kvm_fd, caps, 4);
	ksft_print_header();
	ksft_set_plan(6 + NR_SCALED);
	scaling = kvm_check_cap(kvm_fd, KVM_CAP_TSC_CONTROL);
	ksft_test_result(scaling == kvm_check_cap(kvm_fd,
						  KVM_CAP_VM_TSC_CONTROL),
			 "tsc_control_caps_agree (%d)\n", scaling);

	vm = vm_create();
	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	host = ioctl(vm->fd, KVM_GET_TSC_KHZ, 0);
	ksft_test_result(host > 0, "vm_get_tsc_khz (%ld)\n", host);
	half = host / 2;
	if (scaling)
		ksft_test_result(!ioctl(vm->fd, KVM_SET_TSC_KHZ, half) &&
				 ioctl(vm->fd, KVM_GET_TSC_KHZ, 0) == half,
				 "vm_set_tsc_khz_half\n");
	else
		ksft_test_result_skip("no TSC scaling\n");

	vcpu = vcpu_create(vm, 0);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	memcpy(mem + HANDLER, guest_handler, GUEST_CODE_SIZE(guest_handler));
	vcpu_set_gate(mem, TIMER_VECTOR, HANDLER);
	set_tsc_deadline_cpuid(kvm_fd, vcpu);

	khz = ioctl(vcpu->fd, KVM_GET_TSC_KHZ, 0);
	ksft_test_result(khz == ioctl(vm->fd, KVM_GET_TSC_KHZ, 0),
			 "vcpu_starts_at_the_vm_rate (%ld)\n", khz);
	/* For the vCPUs to come; those there keep theirs. */
	ksft_test_result(!ioctl(vm->fd, KVM_SET_TSC_KHZ, host) &&
			 new_vcpu_khz(vm) == host &&
			 ioctl(vcpu->fd, KVM_GET_TSC_KHZ, 0) == khz,
			 "vm_set_tsc_khz_for_new_vcpus\n");
	if (!scaling) {
		ksft_test_result(ioctl(vcpu->fd, KVM_SET_TSC_KHZ, half) == -1 &&
				 errno == EINVAL,
				 "vcpu_slower_tsc_without_scaling_einval\n");
		for (i = 0; i < NR_SCALED; i++)
			ksft_test_result_skip("no TSC scaling\n");
		goto out;
	}
	ksft_test_result(ioctl(vcpu->fd, KVM_SET_TSC_KHZ, 0xffffffffUL) == -1 &&
			 errno == EINVAL, "vcpu_set_tsc_khz_too_large_einval\n");
	t = guest_tsc(vcpu);
	/* Counted from the VM's creation or the vCPU's: moments ago. */
	ksft_test_result(t < 10ULL * 1000 * half,
			 "tsc_starts_near_zero (%llu)\n", (unsigned long long)t);
	khz = measured_khz(vcpu);
	ksft_test_result(near(khz, half), "tsc_runs_at_half_rate (%ld kHz)\n",
			 khz);
	ksft_test_result(rdtsc_between(vcpu), "guest_rdtsc_at_half_rate\n");
	ksft_test_result(clock_between(vm, vcpu, mem),
			 "kvmclock_at_half_rate\n");
	/* 20 ms of the guest's TSC. */
	ticks = deadline_ticks(vcpu, 20ULL * half);
	ksft_test_result(ticks >= 20ULL * half && ticks < 2000ULL * half,
			 "tsc_deadline_at_half_rate (%llu ticks)\n",
			 (unsigned long long)ticks);

	/* As QEMU: the rate, then the TSC. */
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_TSC_KHZ, 2 * host),
		     "KVM_SET_TSC_KHZ: %s", strerror(errno));
	TEST_REQUIRE(kvm_set_msr(vcpu->fd, MSR_TSC, 0) == 1,
		     "MSR_IA32_TSC: %s", strerror(errno));
	khz = measured_khz(vcpu);
	ksft_test_result(ioctl(vcpu->fd, KVM_GET_TSC_KHZ, 0) == 2 * host &&
			 near(khz, 2 * host),
			 "tsc_runs_at_twice_the_rate (%ld kHz)\n", khz);
	ksft_test_result(rdtsc_between(vcpu), "guest_rdtsc_at_twice_the_rate\n");
	ksft_test_result(clock_between(vm, vcpu, mem),
			 "kvmclock_at_twice_the_rate\n");
out:
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_finished();
}
