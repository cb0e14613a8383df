// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_bench: cost of the hypervisor's basic operations, measured inside
 * the emulated machine with clock_gettime().  Under QEMU -icount shift=0
 * one guest nanosecond is one instruction, so the figures are exact
 * instruction counts; under Bochs (clock: sync=none) they are
 * proportional to instructions.  Prints "BENCH: name value unit" lines;
 * "n/a" when the hypervisor cannot run the benchmark yet.
 *
 *   pio_roundtrip   guest OUT -> exit to userspace -> KVM_RUN again
 *   cpuid_exit      a CPUID exit handled in the kernel
 *   vm_lifecycle    create VM + memslot + vCPU, first run, destroy
 *   vcpu_memory     kernel memory per vCPU (64 vCPUs, MemFree delta)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define PIO_PORT	0xf2
#define CODE_GPA	0x1000
#define MEM_SIZE	0x10000
#define NR_PIO		20000
#define NR_CPUID	20000
#define NR_LIFECYCLE	200
#define NR_VCPUS_MEM	64

GUEST_CODE16(pio_loop,
	     "1: outb %al, $" KVM_STR(PIO_PORT) "\n"
	     "jmp 1b\n");

GUEST_CODE16(cpuid_loop,
	     "movl $" KVM_STR(NR_CPUID) ", %esi\n"
	     "1: xorl %eax, %eax\n"
	     "cpuid\n"
	     "decl %esi\n"
	     "jnz 1b\n"
	     "movb $" KVM_STR(UCALL_DONE) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

GUEST_CODE16(done_now,
	     "movb $" KVM_STR(UCALL_DONE) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static struct kvm_vcpu *guest(struct kvm_vm **vmp, const unsigned char *code,
			      size_t len)
{
	struct kvm_vm *vm = vm_create();
	void *mem = vm_add_memory(vm, 0, MEM_SIZE);
	struct kvm_vcpu *vcpu = vcpu_create(vm, 0);

	vcpu_load_real_mode(vcpu, mem, CODE_GPA, code, len);
	*vmp = vm;
	return vcpu;
}

static void bench_pio(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	double t0;
	int i;

	vcpu = guest(&vm, pio_loop, GUEST_CODE_SIZE(pio_loop));
	TEST_REQUIRE(!vcpu_run(vcpu), "KVM_RUN: %s", strerror(errno));	/* warm up */
	t0 = now_ns();
	for (i = 0; i < NR_PIO; i++) {
		vcpu_run(vcpu);
		TEST_REQUIRE(vcpu->run->exit_reason == KVM_EXIT_IO &&
			     vcpu->run->io.port == PIO_PORT, "unexpected exit %s",
			     exit_reason_str(vcpu->run->exit_reason));
	}
	printf("BENCH: pio_roundtrip %.0f ns\n", (now_ns() - t0) / NR_PIO);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

static void bench_cpuid(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	double t0;

	vcpu = guest(&vm, cpuid_loop, GUEST_CODE_SIZE(cpuid_loop));
	t0 = now_ns();
	vcpu_run_ucall(vcpu, &uc);
	TEST_REQUIRE(uc.cmd == UCALL_DONE, "guest did not finish");
	printf("BENCH: cpuid_exit %.0f ns\n", (now_ns() - t0) / NR_CPUID);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

static void bench_lifecycle(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	double t0;
	int i;

	t0 = now_ns();
	for (i = 0; i < NR_LIFECYCLE; i++) {
		vcpu = guest(&vm, done_now, GUEST_CODE_SIZE(done_now));
		vcpu_run_ucall(vcpu, &uc);
		vcpu_destroy(vcpu);
		vm_destroy(vm);
	}
	printf("BENCH: vm_lifecycle %.0f ns\n", (now_ns() - t0) / NR_LIFECYCLE);
}

static long mem_free_kib(void)
{
	char line[128];
	long kib = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

static void bench_vcpu_memory(void)
{
	struct kvm_vcpu *vcpus[NR_VCPUS_MEM];
	struct kvm_vm *vm = vm_create();
	long before, after;
	int i;

	sync();
	before = mem_free_kib();
	for (i = 0; i < NR_VCPUS_MEM; i++)
		vcpus[i] = vcpu_create(vm, i);
	after = mem_free_kib();
	printf("BENCH: vcpu_memory %ld KiB\n", (before - after) / NR_VCPUS_MEM);
	for (i = 0; i < NR_VCPUS_MEM; i++)
		vcpu_destroy(vcpus[i]);
	vm_destroy(vm);
}

int main(void)
{
	int fd = kvm_open_dev();

	if (!kvm_check_cap(fd, KVM_CAP_USER_MEMORY)) {
		printf("BENCH: pio_roundtrip n/a\nBENCH: cpuid_exit n/a\n"
		       "BENCH: vm_lifecycle n/a\nBENCH: vcpu_memory n/a\n");
		return 0;
	}
	close(fd);
	bench_pio();
	bench_cpuid();
	bench_lifecycle();
	bench_vcpu_memory();
	return 0;
}
