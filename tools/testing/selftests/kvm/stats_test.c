// SPDX-License-Identifier: GPL-2.0-only
/*
 * Binary statistics (KVM_GET_STATS_FD) of a VM and a vCPU: the header,
 * id string and descriptors as api.rst lays them out, pread() of the data
 * again and again, and counters that move when a guest exits.  The same
 * counters in debugfs: per VM in kvm/PID-FD/ and summed over all VMs in
 * kvm/, reset by writing 0, gone with the VM.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define MEM_SIZE	0x10000

/* A port write, then HLT. */
GUEST_CODE16(guest_exits,
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

struct stats {
	struct kvm_stats_header h;
	char *id;
	char *descs;
	size_t desc_size;
};

static struct kvm_stats_desc *desc(struct stats *s, unsigned int i)
{
	return (struct kvm_stats_desc *)(s->descs + i * s->desc_size);
}

static bool read_stats(int fd, struct stats *s)
{
	size_t size;

	if (pread(fd, &s->h, sizeof(s->h), 0) != sizeof(s->h))
		return false;
	s->desc_size = sizeof(struct kvm_stats_desc) + s->h.name_size;
	s->id = calloc(1, s->h.name_size);
	size = s->h.num_desc * s->desc_size;
	s->descs = calloc(1, size);
	TEST_REQUIRE(s->id && s->descs, "out of memory");
	return pread(fd, s->id, s->h.name_size, s->h.id_offset) ==
		       s->h.name_size &&
	       pread(fd, s->descs, size, s->h.desc_offset) == (ssize_t)size;
}

/* Header and descriptors as api.rst promises them. */
static bool well_formed(struct stats *s)
{
	unsigned int i, j;

	if (s->h.flags || !s->h.name_size || !s->h.num_desc ||
	    s->h.id_offset % 8 || s->h.desc_offset % 8 || s->h.data_offset % 8)
		return false;
	for (i = 0; i < s->h.num_desc; i++) {
		struct kvm_stats_desc *d = desc(s, i);

		if ((d->flags & KVM_STATS_TYPE_MASK) > KVM_STATS_TYPE_MAX ||
		    (d->flags & KVM_STATS_UNIT_MASK) > KVM_STATS_UNIT_MAX ||
		    !d->size || !d->name[0] ||
		    strnlen(d->name, s->h.name_size) >= s->h.name_size)
			return false;
		for (j = 0; j < i; j++)
			if (!strcmp(desc(s, j)->name, d->name))
				return false;
	}
	return true;
}

#define DEBUGFS		"/sys/kernel/debug"

/* A statistic in debugfs, or -1. */
static long long debugfs_stat(const char *dir, const char *name)
{
	char path[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static bool debugfs_write(const char *dir, const char *name, const char *s)
{
	char path[128];
	bool ok;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return false;
	ok = fputs(s, f) >= 0;
	return !fclose(f) && ok;
}

static bool have_debugfs(void)
{
	struct stat st;

	if (stat(DEBUGFS "/kvm", &st))
		mount("debugfs", DEBUGFS, "debugfs", 0, NULL);
	return !stat(DEBUGFS "/kvm", &st);
}

/* After the guest's exits: the VM's directory and the sums. */
static void test_debugfs(struct kvm_vm *vm, long long exits, char *vm_dir,
			 size_t size)
{
	struct stat st;

	snprintf(vm_dir, size, DEBUGFS "/kvm/%d-%d", getpid(), vm->fd);
	if (!have_debugfs() || stat(vm_dir, &st)) {
		ksft_test_result_skip("debugfs: no %s\n", vm_dir);
		ksft_test_result_skip("debugfs: no %s\n", vm_dir);
		ksft_test_result_skip("debugfs: no %s\n", vm_dir);
		vm_dir[0] = 0;
		return;
	}
	ksft_test_result(debugfs_stat(vm_dir, "exits") == exits &&
			 debugfs_stat(vm_dir, "io_exits") >= 1,
			 "debugfs_vm_stats (%lld)\n",
			 debugfs_stat(vm_dir, "exits"));
	ksft_test_result(debugfs_stat(DEBUGFS "/kvm", "exits") >= exits,
			 "debugfs_sum_over_vms\n");
	ksft_test_result(debugfs_write(vm_dir, "exits", "0") &&
			 !debugfs_stat(vm_dir, "exits") &&
			 !debugfs_write(vm_dir, "exits", "1"),
			 "debugfs_reset_to_zero_only\n");
}

int main(void)
{
	static const long caps[] = { KVM_CAP_USER_MEMORY,
				     KVM_CAP_BINARY_STATS_FD };
	struct stats vm_stats = {}, vcpu_stats = {};
	long long exits_before, exits_after;
	char vm_dir[64];
	struct stat st;
	int vm_stats_fd, vcpu_stats_fd, kvm_fd;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	void *mem;

	ksft_print_header();
	kvm_fd = kvm_open_dev();
	kvm_require_caps(kvm_fd, caps, 2);
	close(kvm_fd);
	ksft_set_plan(7 + 4);

	vm = vm_create();
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu = vcpu_create(vm, 0);
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_exits,
			    GUEST_CODE_SIZE(guest_exits));

	vm_stats_fd = ioctl(vm->fd, KVM_GET_STATS_FD, 0);
	vcpu_stats_fd = ioctl(vcpu->fd, KVM_GET_STATS_FD, 0);
	TEST_REQUIRE(vm_stats_fd >= 0 && vcpu_stats_fd >= 0,
		     "KVM_GET_STATS_FD: %s", strerror(errno));

	ksft_test_result(read_stats(vm_stats_fd, &vm_stats) &&
			 well_formed(&vm_stats), "vm_stats_well_formed\n");
	ksft_test_result(read_stats(vcpu_stats_fd, &vcpu_stats) &&
			 well_formed(&vcpu_stats), "vcpu_stats_well_formed\n");
	ksft_test_result(!strncmp(vm_stats.id, "kvm-", 4) &&
			 strstr(vcpu_stats.id, "/vcpu-0"),
			 "id_strings (%s, %s)\n", vm_stats.id, vcpu_stats.id);

	exits_before = kvm_stat(vcpu_stats_fd, "exits");
	vcpu_run_ucall(vcpu, &uc);
	TEST_REQUIRE(!vcpu_run(vcpu) && vcpu->run->exit_reason == KVM_EXIT_HLT,
		     "expected HLT, got %s",
		     exit_reason_str(vcpu->run->exit_reason));
	exits_after = kvm_stat(vcpu_stats_fd, "exits");
	ksft_test_result(exits_before >= 0 && exits_after >= exits_before + 2,
			 "exits_counted (%lld -> %lld)\n", exits_before,
			 exits_after);
	ksft_test_result(kvm_stat(vcpu_stats_fd, "io_exits") >= 1,
			 "io_exits_counted\n");
	ksft_test_result(kvm_stat(vcpu_stats_fd, "halt_exits") >= 1,
			 "halt_exits_counted\n");
	test_debugfs(vm, exits_after, vm_dir, sizeof(vm_dir));
	if (vm_dir[0])
		exits_after = 0;	/* reset through debugfs */

	/* The files keep the VM alive. */
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_test_result(kvm_stat(vcpu_stats_fd, "exits") ==
			 exits_after, "stats_outlive_vm_files\n");
	close(vm_stats_fd);
	close(vcpu_stats_fd);
	if (vm_dir[0])
		ksft_test_result(stat(vm_dir, &st) && errno == ENOENT,
				 "debugfs_dir_gone_with_vm\n");
	else
		ksft_test_result_skip("debugfs: no directory\n");
	ksft_finished();
}
