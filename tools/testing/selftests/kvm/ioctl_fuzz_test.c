// SPDX-License-Identifier: GPL-2.0-only
/*
 * Random ioctls on /dev/kvm, VM and vCPU files: random ioctl numbers in
 * the KVM range (with random direction and size bits, and the real
 * numbers), random arguments -- integers, NULL, unmapped, kernel and
 * unaligned pointers, pointers to random bytes and to the end of a
 * mapping.  Whatever the kernel answers, it must not crash, warn or leak:
 * the harness fails the run on any splat and kmemleak reports.  KVM_RUN
 * is left out (a random guest could wait forever for an interrupt).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kvm_util.h"

#define PAGE		4096
#define ITERATIONS	100000
/* Our debug kernel in Bochs does some thousand ioctls a second. */
#define ITERATIONS_SLOW	10000
/* A new VM every so often, so that vCPUs and slots do not pile up. */
#define VM_LIFETIME	2000

static char *buf;		/* two pages; the second is PROT_NONE */
static unsigned long long seed = 88172645463325252ULL;

static unsigned long long rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static unsigned long random_arg(void)
{
	switch (rnd() % 10) {
	case 0:
		return 0;
	case 1:
		return rnd() % 4096;
	case 2:
		return rnd();
	case 3:
		return 0x1000;			/* unmapped */
	case 4:
		return 0xffff888000000000UL;	/* the kernel's */
	case 5:
		return (unsigned long)buf + PAGE - (rnd() % 64);	/* runs off */
	case 6:
		return (unsigned long)buf + (rnd() % 16);	/* unaligned */
	default:
		for (int i = 0; i < PAGE; i += 8)
			*(unsigned long long *)(buf + i) = rnd() % 3 ? rnd() : 0;
		return (unsigned long)buf;
	}
}

static unsigned long random_ioctl(void)
{
	unsigned long dir = rnd() % 4, size = rnd() % 0x4000;
	unsigned long nr = rnd() % 4 ? rnd() % 0x100 : rnd() % 0x10;

	return _IOC(dir, KVMIO, nr, size);
}

/* Ioctls whose results we keep (new files) or must avoid. */
static bool skip(unsigned long ioctl)
{
	return _IOC_TYPE(ioctl) == KVMIO && _IOC_NR(ioctl) == _IOC_NR(KVM_RUN);
}

int main(void)
{
	unsigned long n = getenv("KVM_SELFTEST_SLOW") ? ITERATIONS_SLOW :
							  ITERATIONS;
	int kvm_fd, vm_fd = -1, vcpu_fd = -1, fds[3];
	unsigned long i, calls = 0;

	ksft_print_header();
	kvm_fd = kvm_open_dev();
	ksft_set_plan(1);

	buf = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_REQUIRE(buf != MAP_FAILED, "mmap: %s", strerror(errno));
	TEST_REQUIRE(!mprotect(buf + PAGE, PAGE, PROT_NONE), "mprotect");

	for (i = 0; i < n; i++) {
		unsigned long ioctl_nr = random_ioctl();
		int fd, ret;

		if (i % VM_LIFETIME == 0) {
			if (vcpu_fd >= 0)
				close(vcpu_fd);
			if (vm_fd >= 0)
				close(vm_fd);
			vm_fd = kvm_create_vm_fd(kvm_fd);
			vcpu_fd = ioctl(vm_fd, KVM_CREATE_VCPU, 0);
		}
		fds[0] = kvm_fd;
		fds[1] = vm_fd;
		fds[2] = vcpu_fd;
		fd = fds[rnd() % 3];
		if (skip(ioctl_nr) || fd < 0)
			continue;
		ret = ioctl(fd, ioctl_nr, random_arg());
		calls++;
		/* New VMs, vCPUs and other files: close them again. */
		if (ret > 2 && ret != kvm_fd && ret != vm_fd && ret != vcpu_fd)
			close(ret);
	}
	close(vcpu_fd);
	close(vm_fd);
	close(kvm_fd);
	ksft_test_result_pass("%lu_random_ioctls_survived\n", calls);
	ksft_finished();
}
