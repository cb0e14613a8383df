// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vCPU that spins waiting for another vCPU of its VM, with both threads
 * on one host CPU: the waiter spins on PAUSE with interrupts disabled, so
 * the other vCPU runs only when the host takes the CPU back -- on its
 * timer interrupt, or on the processor's PAUSE-loop exit.  An emulator
 * that holds host interrupts back from a guest with interrupts disabled
 * (Bochs) leaves only the PAUSE-loop exit: without it the machine hangs.
 * Where the processor reports PAUSE-loop exits ("ple", "pausefilter" in
 * /proc/cpuinfo) and the hypervisor counts them (the spin_exits vCPU
 * statistic), the waiter's spin must have exited.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define WAITER_GPA	0x1000
#define SETTER_GPA	0x2000
#define FLAG_GPA	0x3000
#define MEM_SIZE	0x4000

/* Wait for the flag with interrupts off; report the PAUSEs it took. */
GUEST_CODE16(guest_waiter,
	     "cli\n"
	     "xorl %ebx, %ebx\n"
	     "1: pause\n"
	     "incl %ebx\n"
	     "cmpb $0, (" KVM_STR(FLAG_GPA) ")\n"
	     "je 1b\n"
	     "movb $" KVM_STR(UCALL_DONE) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

GUEST_CODE16(guest_setter,
	     "movb $1, (" KVM_STR(FLAG_GPA) ")\n"
	     "movb $" KVM_STR(UCALL_DONE) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

struct runner {
	struct kvm_vcpu *vcpu;
	pthread_t thread;
	struct ucall uc;
};

static void *run_vcpu(void *arg)
{
	struct runner *r = arg;

	vcpu_run_ucall(r->vcpu, &r->uc);
	return NULL;
}

/* Is @word one of the space-separated words of @line? */
static bool has_word(char *line, const char *word)
{
	char *save, *w;

	for (w = strtok_r(line, " \t\n", &save); w;
	     w = strtok_r(NULL, " \t\n", &save))
		if (!strcmp(w, word))
			return true;
	return false;
}

/* Does the processor exit guests that spin on PAUSE? */
static bool cpu_has_pause_exits(void)
{
	char line[4096];
	bool found = false;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "flags", 5))
			found = has_word(line, "pausefilter");
		else if (!strncmp(line, "vmx flags", 9))
			found = has_word(line, "ple");
	}
	fclose(f);
	return found;
}

int main(void)
{
	struct runner waiter = {}, setter = {};
	long long spin_exits;
	struct kvm_vm *vm;
	cpu_set_t cpus;
	int stats_fd;
	void *mem;

	ksft_print_header();
	ksft_set_plan(3);

	/* Both vCPU threads share the CPU this one runs on. */
	CPU_ZERO(&cpus);
	CPU_SET(sched_getcpu(), &cpus);
	TEST_REQUIRE(!sched_setaffinity(0, sizeof(cpus), &cpus),
		     "sched_setaffinity: %s", strerror(errno));

	vm = vm_create();
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	waiter.vcpu = vcpu_create(vm, 0);
	setter.vcpu = vcpu_create(vm, 1);
	vcpu_load_real_mode(waiter.vcpu, mem, WAITER_GPA, guest_waiter,
			    GUEST_CODE_SIZE(guest_waiter));
	vcpu_load_real_mode(setter.vcpu, mem, SETTER_GPA, guest_setter,
			    GUEST_CODE_SIZE(guest_setter));
	stats_fd = ioctl(waiter.vcpu->fd, KVM_GET_STATS_FD, NULL);
	TEST_REQUIRE(stats_fd >= 0, "KVM_GET_STATS_FD: %s", strerror(errno));

	/*
	 * Let the waiter spin before the setter exists: this thread gets
	 * the CPU back only if the host does.
	 */
	TEST_REQUIRE(!pthread_create(&waiter.thread, NULL, run_vcpu, &waiter),
		     "pthread_create");
	usleep(50000);
	TEST_REQUIRE(!pthread_create(&setter.thread, NULL, run_vcpu, &setter),
		     "pthread_create");
	pthread_join(setter.thread, NULL);
	pthread_join(waiter.thread, NULL);

	ksft_test_result(setter.uc.cmd == UCALL_DONE,
			 "setter_ran_while_waiter_spun\n");
	ksft_test_result(waiter.uc.cmd == UCALL_DONE && waiter.uc.args[0] > 0,
			 "waiter_saw_the_flag (%llu PAUSEs)\n",
			 (unsigned long long)waiter.uc.args[0]);
	spin_exits = kvm_stat(stats_fd, "spin_exits");
	if (spin_exits < 0 || !cpu_has_pause_exits())
		ksft_test_result_skip("spin_exits: statistic %s, PAUSE-loop exits %s\n",
				      spin_exits < 0 ? "absent" : "present",
				      cpu_has_pause_exits() ? "offered" : "not offered");
	else
		ksft_test_result(spin_exits > 0, "waiter_spin_exited (%lld times)\n",
				 spin_exits);

	close(stats_fd);
	vcpu_destroy(waiter.vcpu);
	vcpu_destroy(setter.vcpu);
	vm_destroy(vm);
	ksft_finished();
}
