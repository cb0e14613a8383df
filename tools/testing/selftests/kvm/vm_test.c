// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM file descriptors: creation and destruction in loops, files closed in
 * any order, bad machine types, a forked child, unknown ioctls, and the
 * backend module pinned by a VM.  The x86 VM settings VMMs make without
 * effect on a two-dimensional-paging hypervisor, and a vCPU run in a VM
 * without memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kvm_util.h"

#define NR_VMS	100

/* A VM file works iff it answers KVM_CHECK_EXTENSION. */
static bool vm_works(int vm_fd)
{
	return ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_CHECK_EXTENSION_VM) == 1;
}

static void test_create_destroy_loop(int kvm_fd)
{
	bool ok = true;
	int i, fd;

	for (i = 0; i < NR_VMS && ok; i++) {
		fd = kvm_create_vm_fd(kvm_fd);
		ok = vm_works(fd);
		close(fd);
	}
	ksft_test_result(ok, "create_and_destroy_%d_vms\n", NR_VMS);
}

static void test_vm_outlives_dev_kvm(void)
{
	int kvm_fd = kvm_open_dev();
	int fd = kvm_create_vm_fd(kvm_fd);

	close(kvm_fd);
	ksft_test_result(vm_works(fd), "vm_outlives_dev_kvm_fd\n");
	close(fd);
}

static void test_many_vms_closed_out_of_order(int kvm_fd)
{
	int fds[8], i;
	bool ok = true;

	for (i = 0; i < 8; i++)
		fds[i] = kvm_create_vm_fd(kvm_fd);
	for (i = 0; i < 8; i += 2)
		close(fds[i]);
	for (i = 1; i < 8; i += 2)
		ok &= vm_works(fds[i]);
	for (i = 7; i > 0; i -= 2)
		close(fds[i]);
	ksft_test_result(ok, "vms_closed_in_any_order\n");
}

static void test_bad_type(int kvm_fd)
{
	int r = ioctl(kvm_fd, KVM_CREATE_VM, 0x7fffffffUL);

	ksft_test_result(r == -1 && errno == EINVAL, "bad_vm_type_is_einval\n");
	if (r >= 0)
		close(r);
}

static void test_fork(int kvm_fd)
{
	int fd = kvm_create_vm_fd(kvm_fd);
	int status;
	pid_t pid;

	pid = fork();
	TEST_REQUIRE(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		int r = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_CHECK_EXTENSION_VM);

		_exit(r == -1 && errno == EIO ? 0 : 1);
	}
	TEST_REQUIRE(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) && vm_works(fd),
			 "forked_child_gets_eio\n");
	close(fd);
}

static void test_unknown_ioctl(int kvm_fd)
{
	int fd = kvm_create_vm_fd(kvm_fd);
	int r = ioctl(fd, _IO(KVMIO, 0xff), 0);

	ksft_test_result(r == -1 && errno == ENOTTY, "unknown_vm_ioctl_is_enotty\n");
	close(fd);
}

/*
 * The addresses VMMs give for a real-mode TSS and identity page table
 * (QEMU does on every VM); the latter only before the first vCPU.
 */
static void test_x86_vm_addresses(int kvm_fd)
{
	int fd = kvm_create_vm_fd(kvm_fd);
	uint64_t ident = 0xfffbc000;
	bool before, after, tss;
	int vcpu_fd;

	tss = kvm_check_cap(kvm_fd, KVM_CAP_SET_TSS_ADDR) > 0 &&
	      !ioctl(fd, KVM_SET_TSS_ADDR, 0xfffbd000UL);
	before = kvm_check_cap(kvm_fd, KVM_CAP_SET_IDENTITY_MAP_ADDR) > 0 &&
		 !ioctl(fd, KVM_SET_IDENTITY_MAP_ADDR, &ident);
	vcpu_fd = ioctl(fd, KVM_CREATE_VCPU, 0);
	TEST_REQUIRE(vcpu_fd >= 0, "KVM_CREATE_VCPU: %s", strerror(errno));
	after = ioctl(fd, KVM_SET_IDENTITY_MAP_ADDR, &ident) == -1 &&
		errno == EINVAL;
	ksft_test_result(tss && before && after,
			 "tss_and_identity_map_addresses\n");
	close(vcpu_fd);
	close(fd);
}

/*
 * The shadow page limit (KVM_SET_NR_MMU_PAGES, at least 64), and
 * KVM_RUN in a VM without memory: the vCPU cannot fetch its first
 * instruction, an internal error for userspace.
 */
static void test_no_memory(int kvm_fd)
{
	int fd = kvm_create_vm_fd(kvm_fd), vcpu_fd, size;
	struct kvm_run *run;

	vcpu_fd = ioctl(fd, KVM_CREATE_VCPU, 0);
	TEST_REQUIRE(vcpu_fd >= 0, "KVM_CREATE_VCPU: %s", strerror(errno));
	ksft_test_result(ioctl(fd, KVM_SET_NR_MMU_PAGES, 63UL) == -1 &&
			 errno == EINVAL &&
			 !ioctl(fd, KVM_SET_NR_MMU_PAGES, 64UL),
			 "nr_mmu_pages\n");

	size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);
	TEST_REQUIRE(run != MAP_FAILED, "mmap: %s", strerror(errno));
	ksft_test_result(!ioctl(vcpu_fd, KVM_RUN, 0) &&
			 run->exit_reason == KVM_EXIT_INTERNAL_ERROR,
			 "run_without_memory_internal_error (exit %u)\n",
			 run->exit_reason);
	munmap(run, size);
	close(vcpu_fd);
	close(fd);
}

/* A VM keeps the backend module loaded even without an open /dev/kvm. */
static void test_vm_pins_backend(void)
{
	const char *backend = kvm_backend_module();
	int kvm_fd, fd, r;

	if (!backend) {
		ksft_test_result_skip("vm_pins_backend_module (backend is built in)\n");
		return;
	}
	kvm_fd = kvm_open_dev();
	fd = kvm_create_vm_fd(kvm_fd);
	close(kvm_fd);
	r = syscall(SYS_delete_module, backend, O_NONBLOCK);
	ksft_test_result(r == -1 && errno == EWOULDBLOCK, "vm_pins_backend_module\n");
	close(fd);
}

int main(void)
{
	int kvm_fd;

	ksft_print_header();
	kvm_fd = kvm_open_dev();
	ksft_set_plan(8 + 2);

	test_create_destroy_loop(kvm_fd);
	test_vm_outlives_dev_kvm();
	test_many_vms_closed_out_of_order(kvm_fd);
	test_bad_type(kvm_fd);
	test_fork(kvm_fd);
	test_unknown_ioctl(kvm_fd);
	test_x86_vm_addresses(kvm_fd);
	test_no_memory(kvm_fd);
	test_vm_pins_backend();

	close(kvm_fd);
	ksft_finished();
}
