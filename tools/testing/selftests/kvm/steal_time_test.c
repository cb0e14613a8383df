// SPDX-License-Identifier: GPL-2.0-only
/*
 * Steal time: the KVM leaf offers it, MSR_KVM_STEAL_TIME is in the list
 * to save and refuses reserved bits; a 64-bit guest registers a record
 * and reads it while another thread, pinned to the same host CPU, takes
 * CPU time from the vCPU's thread: the steal time grows by no more than
 * the time the thread waited on the runqueue (its schedstat), and by a
 * good part of it, and the version is even between updates.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "kvm_util.h"

#define MSR_KVM_STEAL_TIME	0x4b564d03
#define KVM_FEATURE_STEAL_TIME	5
#define CODE_GPA		0x1000
#define ST_GPA			0x3000
#define STACK			0x8000
#define GP_VECTOR		13
#define STEAL_MS		300

/*
 * Register the record (RAX), then forever: spin a while, report the
 * steal time (RBX) and the version (RCX).
 */
GUEST_CODE64(guest_code,
	     "mov $" KVM_STR(MSR_KVM_STEAL_TIME) ", %ecx\n"
	     "mov %rax, %rdx\n"
	     "shr $32, %rdx\n"
	     "wrmsr\n"
	     "1: mov $1000000, %r9\n"
	     "2: dec %r9\n"
	     "jnz 2b\n"
	     "mov " KVM_STR(ST_GPA) ", %rbx\n"
	     "mov " KVM_STR(ST_GPA) " + 8, %ecx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "jmp 1b\n");

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The calling thread's time waiting on a runqueue, in ns. */
static long long run_delay(void)
{
	unsigned long long run, wait;
	char path[64];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/schedstat",
		 (long)syscall(SYS_gettid));
	f = fopen(path, "r");
	TEST_REQUIRE(f, "%s: %s", path, strerror(errno));
	n = fscanf(f, "%llu %llu", &run, &wait);
	fclose(f);
	TEST_REQUIRE(n == 2, "schedstat");
	return wait;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	TEST_REQUIRE(!sched_setaffinity(0, sizeof(set), &set),
		     "sched_setaffinity: %s", strerror(errno));
}

static int stealing;	/* the stealer spins: read and written atomically */

/* Take the CPU from the vCPU's thread for STEAL_MS. */
static void *stealer(void *arg)
{
	long long end;

	pin(0);
	end = now_ns() + STEAL_MS * 1000000LL;
	__atomic_store_n(&stealing, 1, __ATOMIC_RELEASE);
	while (now_ns() < end)
		;
	__atomic_store_n(&stealing, 0, __ATOMIC_RELEASE);
	return NULL;
}

static bool offered(int kvm_fd)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) +
				      256 * sizeof(struct kvm_cpuid_entry2));
	bool ok = false;
	uint32_t i;

	TEST_REQUIRE(c, "calloc");
	c->nent = 256;
	TEST_REQUIRE(!ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c),
		     "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == 0x40000001)
			ok = c->entries[i].eax & (1u << KVM_FEATURE_STEAL_TIME);
	free(c);
	return ok;
}

int main(void)
{
	long long delay0, delay1, waited;
	uint64_t steal0, steal1, stolen;
	struct kvm_regs regs;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	bool even = true;
	struct ucall uc;
	pthread_t t;
	void *mem;
	int kvm_fd;

	ksft_print_header();
	kvm_fd = kvm_open_dev();
	ksft_set_plan(5);
	ksft_test_result(offered(kvm_fd), "kvm_leaf_offers_steal_time\n");
	ksft_test_result(kvm_msr_listed(kvm_fd, MSR_KVM_STEAL_TIME),
			 "steal_time_msr_in_save_list\n");

	pin(0);
	vm = vm_create();
	mem = vm_add_memory(vm, 0, LONG_MODE_MEM_MIN);
	vcpu = vcpu_create(vm, 0);
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	ksft_test_result(kvm_set_msr(vcpu->fd, MSR_KVM_STEAL_TIME,
				     ST_GPA | 0x2 | 1) == 0,
			 "reserved_bits_refused\n");
	vcpu_get_regs(vcpu, &regs);
	regs.rax = ST_GPA | 1;
	regs.rsp = STACK;
	vcpu_set_regs(vcpu, &regs);

	/*
	 * The run queue wait from here is the test's, but the record's only
	 * from the entry that gives the first report: a wait in between
	 * (the debug kernel under Bochs takes tens of ms) is the test's
	 * alone, never the record's.
	 */
	delay0 = run_delay();
	TEST_REQUIRE(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC, "first report");
	steal0 = uc.args[0];
	__atomic_store_n(&stealing, 0, __ATOMIC_RELEASE);
	TEST_REQUIRE(!pthread_create(&t, NULL, stealer, NULL),
		     "pthread_create");
	while (!__atomic_load_n(&stealing, __ATOMIC_ACQUIRE))
		sched_yield();
	while (__atomic_load_n(&stealing, __ATOMIC_ACQUIRE)) {
		TEST_REQUIRE(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC,
			     "report");
		even &= !(uc.args[1] & 1);
	}
	pthread_join(t, NULL);
	/* One more entry after the last wait: the record has all of it. */
	TEST_REQUIRE(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC, "last report");
	steal1 = uc.args[0];
	delay1 = run_delay();
	stolen = steal1 - steal0;
	waited = delay1 - delay0;

	ksft_test_result(even && !(uc.args[1] & 1),
			 "version_even_between_updates\n");
	/* The wait after the last entry is not in the record yet. */
	ksft_test_result(waited >= STEAL_MS * 100000LL &&
			 stolen >= (uint64_t)waited / 4 &&
			 stolen <= (uint64_t)waited + 5000000,
			 "steal_time_follows_the_runqueue_wait (stolen %llu us, waited %lld us)\n",
			 (unsigned long long)stolen / 1000, waited / 1000);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	close(kvm_fd);
	ksft_finished();
}
