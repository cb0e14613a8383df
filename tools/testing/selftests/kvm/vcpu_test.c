// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU file descriptors: id rules, duplicate ids, racing creators, the
 * mmap'ed kvm_run page, vCPU files outliving the VM file, and a forked
 * child; the VM's own vCPU id limit (KVM_CAP_MAX_VCPU_ID) and boot vCPU
 * (KVM_SET_BOOT_CPU_ID).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kvm_util.h"

#define NR_THREADS	4
#define NR_RACE_IDS	32

static int kvm_fd;

static void test_caps(void)
{
	int nr = kvm_check_cap(kvm_fd, KVM_CAP_NR_VCPUS);
	int max = kvm_check_cap(kvm_fd, KVM_CAP_MAX_VCPUS);
	int max_id = kvm_check_cap(kvm_fd, KVM_CAP_MAX_VCPU_ID);

	ksft_test_result(nr >= 1 && max >= nr && max_id >= max,
			 "vcpu_limits_are_consistent (nr %d, max %d, max_id %d)\n",
			 nr, max, max_id);
}

static void test_run_page(void)
{
	int vm = kvm_create_vm_fd(kvm_fd), fd, size;
	struct kvm_run *run;

	size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	fd = ioctl(vm, KVM_CREATE_VCPU, 0);
	TEST_REQUIRE(fd >= 0, "KVM_CREATE_VCPU: %s", strerror(errno));
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	TEST_REQUIRE(run != MAP_FAILED, "mmap: %s", strerror(errno));
	/* Userspace writes the run page; the kernel keeps it for the vCPU. */
	run->request_interrupt_window = 1;
	ksft_test_result(size >= 4096 && run->request_interrupt_window == 1,
			 "run_page_mmap (size %d)\n", size);
	munmap(run, size);
	close(fd);
	close(vm);
}

static void test_id_rules(void)
{
	int max_id = kvm_check_cap(kvm_fd, KVM_CAP_MAX_VCPU_ID);
	int vm = kvm_create_vm_fd(kvm_fd), a, b, c, d;

	a = ioctl(vm, KVM_CREATE_VCPU, 0);
	b = ioctl(vm, KVM_CREATE_VCPU, 0);
	ksft_test_result(a >= 0 && b == -1 && errno == EEXIST,
			 "duplicate_id_is_eexist\n");
	c = ioctl(vm, KVM_CREATE_VCPU, max_id);
	ksft_test_result(c == -1 && errno == EINVAL, "id_max_vcpu_id_is_einval\n");
	d = ioctl(vm, KVM_CREATE_VCPU, max_id - 1);
	ksft_test_result(d >= 0, "id_below_max_vcpu_id_works\n");
	close(a);
	close(d);
	close(vm);
}

struct race {
	int vm;
	int created;
	int other_errors;
};

static void *race_thread(void *arg)
{
	struct race *r = arg;
	int id, fd;

	for (id = 0; id < NR_RACE_IDS; id++) {
		fd = ioctl(r->vm, KVM_CREATE_VCPU, id);
		if (fd >= 0) {
			__atomic_add_fetch(&r->created, 1, __ATOMIC_RELAXED);
			close(fd);
		} else if (errno != EEXIST) {
			__atomic_add_fetch(&r->other_errors, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

static void test_racing_creators(void)
{
	struct race r = { .vm = kvm_create_vm_fd(kvm_fd) };
	pthread_t t[NR_THREADS];
	int i;

	for (i = 0; i < NR_THREADS; i++)
		pthread_create(&t[i], NULL, race_thread, &r);
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(t[i], NULL);
	ksft_test_result(r.created == NR_RACE_IDS && !r.other_errors,
			 "racing_creators_get_each_id_once (%d created)\n",
			 r.created);
	close(r.vm);
}

static void test_vcpu_outlives_vm_file(void)
{
	int vm = kvm_create_vm_fd(kvm_fd), fd, size;
	struct kvm_run *run;

	size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	fd = ioctl(vm, KVM_CREATE_VCPU, 1);
	TEST_REQUIRE(fd >= 0, "KVM_CREATE_VCPU: %s", strerror(errno));
	close(vm);
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ksft_test_result(run != MAP_FAILED, "vcpu_file_outlives_vm_file\n");
	if (run != MAP_FAILED)
		munmap(run, size);
	close(fd);
}

static void test_fork(void)
{
	int vm = kvm_create_vm_fd(kvm_fd), fd, status;
	struct kvm_regs regs;
	pid_t pid;

	fd = ioctl(vm, KVM_CREATE_VCPU, 0);
	TEST_REQUIRE(fd >= 0, "KVM_CREATE_VCPU: %s", strerror(errno));
	pid = fork();
	TEST_REQUIRE(pid >= 0, "fork: %s", strerror(errno));
	if (!pid)
		_exit(ioctl(fd, KVM_GET_REGS, &regs) == -1 && errno == EIO ? 0 : 1);
	TEST_REQUIRE(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status),
			 "forked_child_gets_eio_on_vcpu\n");
	close(fd);
	close(vm);
}

static int enable_max_vcpu_id(int vm, uint64_t max)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_MAX_VCPU_ID, .args = { max },
	};

	return ioctl(vm, KVM_ENABLE_CAP, &cap) ? errno : 0;
}

static uint64_t apic_base(int vcpu)
{
	struct kvm_sregs sregs;

	TEST_REQUIRE(!ioctl(vcpu, KVM_GET_SREGS, &sregs), "KVM_GET_SREGS: %s",
		     strerror(errno));
	return sregs.apic_base;
}

#define APIC_BASE_BSP	0x100ULL

static void test_max_vcpu_id_and_boot_cpu(void)
{
	int max_id = kvm_check_cap(kvm_fd, KVM_CAP_MAX_VCPU_ID);
	int vm = kvm_create_vm_fd(kvm_fd), v0, v1;

	if (!kvm_check_cap(kvm_fd, KVM_CAP_SET_BOOT_CPU_ID)) {
		ksft_test_result_skip("max_vcpu_id: no KVM_CAP_SET_BOOT_CPU_ID\n");
		ksft_test_result_skip("max_vcpu_id: no KVM_CAP_SET_BOOT_CPU_ID\n");
		ksft_test_result_skip("max_vcpu_id: no KVM_CAP_SET_BOOT_CPU_ID\n");
		ksft_test_result_skip("max_vcpu_id: no KVM_CAP_SET_BOOT_CPU_ID\n");
		close(vm);
		return;
	}
	ksft_test_result(enable_max_vcpu_id(vm, max_id + 1) == EINVAL &&
			 !ioctl(vm, KVM_SET_BOOT_CPU_ID, 2) &&
			 enable_max_vcpu_id(vm, 1) == EINVAL,
			 "max_vcpu_id_beyond_cap_or_below_boot_cpu_einval\n");
	ksft_test_result(!enable_max_vcpu_id(vm, 3) &&
			 enable_max_vcpu_id(vm, 4) == EINVAL &&
			 !enable_max_vcpu_id(vm, 3) &&
			 enable_max_vcpu_id(vm, 0) == EINVAL,
			 "max_vcpu_id_set_once\n");
	v0 = ioctl(vm, KVM_CREATE_VCPU, 0);
	ksft_test_result(ioctl(vm, KVM_CREATE_VCPU, 3) == -1 &&
			 errno == EINVAL && v0 >= 0 &&
			 ioctl(vm, KVM_SET_BOOT_CPU_ID, 1) == -1 &&
			 errno == EBUSY,
			 "vcpu_id_at_limit_einval_boot_cpu_after_vcpu_ebusy\n");
	v1 = ioctl(vm, KVM_CREATE_VCPU, 2);
	ksft_test_result(v1 >= 0 && (apic_base(v1) & APIC_BASE_BSP) &&
			 !(apic_base(v0) & APIC_BASE_BSP),
			 "boot_cpu_has_the_bsp_flag\n");
	close(v1);
	close(v0);
	close(vm);
}

int main(void)
{
	ksft_print_header();
	kvm_fd = kvm_open_dev();
	ksft_set_plan(8 + 4);

	test_caps();
	test_run_page();
	test_id_rules();
	test_racing_creators();
	test_vcpu_outlives_vm_file();
	test_fork();
	test_max_vcpu_id_and_boot_cpu();

	close(kvm_fd);
	ksft_finished();
}
