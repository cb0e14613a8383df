// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading and unloading the modules: /dev/kvm exists exactly while a
 * backend module is loaded, an open /dev/kvm pins the backend, and the
 * modules can be unloaded and loaded again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "kvm_util.h"

#define CYCLES 3

static const char *backend;

static int load(const char *file)
{
	char path[256];
	struct utsname u;
	int fd, r;

	uname(&u);
	snprintf(path, sizeof(path), "/lib/modules/%s/kernel/arch/x86/kvm/%s",
		 u.release, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ksft_print_msg("open %s: %s\n", path, strerror(errno));
		return -1;
	}
	r = syscall(SYS_finit_module, fd, "", 0);
	if (r)
		ksft_print_msg("finit_module %s: %s\n", path, strerror(errno));
	close(fd);
	return r;
}

static int unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK);
}

static bool dev_kvm_exists(void)
{
	struct stat st;

	return !stat(KVM_DEV_PATH, &st);
}

static bool dev_kvm_works(void)
{
	int fd = open(KVM_DEV_PATH, O_RDWR | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = ioctl(fd, KVM_GET_API_VERSION, 0) == KVM_API_VERSION;
	close(fd);
	return ok;
}

int main(void)
{
	const char *file;
	bool ok = true;
	int fd, r, i;

	ksft_print_header();
	backend = kvm_backend_module();
	if (!backend)
		ksft_exit_skip("no backend loaded as a module\n");
	file = strcmp(backend, "kvm_amd") ? "kvm-intel.ko" : "kvm-amd.ko";
	ksft_set_plan(4);

	fd = kvm_open_dev();
	r = unload(backend);
	ksft_test_result(r == -1 && errno == EWOULDBLOCK,
			 "open_dev_kvm_pins_%s\n", backend);
	close(fd);

	r = unload(backend);
	ksft_test_result(!r && !dev_kvm_exists(), "unload_%s_removes_dev_kvm\n",
			 backend);

	r = load(file);
	ksft_test_result(!r && dev_kvm_works(), "reload_%s\n", backend);

	for (i = 0; i < CYCLES && ok; i++) {
		ok = !unload(backend) && !unload("kvm") && !dev_kvm_exists() &&
		     !load("kvm.ko") && !dev_kvm_exists() && !load(file) &&
		     dev_kvm_works();
		if (!ok)
			ksft_print_msg("cycle %d failed: %s\n", i, strerror(errno));
	}
	ksft_test_result(ok, "unload_and_reload_all_%d_times\n", CYCLES);
	ksft_finished();
}
