// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory slot rules of KVM_SET_USER_MEMORY_REGION(2): creation, identical
 * re-creation, moves, deletion, the errno of every kind of bad request
 * (alignment, wrap-around, overlap, flags, ids, resizing), and the full
 * number of slots that KVM_CAP_NR_MEMSLOTS promises.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kvm_util.h"

#define PAGE		4096UL
#define NR_SLOTS	32764
/* Every SPREAD-th slot is deleted and its neighbour moved. */
#define SPREAD		64
/* A flag bit no kernel defines. */
#define BAD_FLAG	0x100000U

static int vm_fd;
static char *mem;		/* 64 pages of host memory for the slots */

/* KVM_SET_USER_MEMORY_REGION; returns 0 or the errno. */
/*
 * struct kvm_userspace_memory_region is the start of _region2, so one
 * structure serves both ioctls.
 */
static int set_region_with(unsigned long ioctl_nr, uint32_t slot,
			   uint32_t flags, uint64_t gpa, uint64_t size,
			   void *hva)
{
	struct kvm_userspace_memory_region2 r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	return ioctl(vm_fd, ioctl_nr, &r) ? errno : 0;
}

#define set_region(...) \
	set_region_with(KVM_SET_USER_MEMORY_REGION, __VA_ARGS__)
#define set_region2(...) \
	set_region_with(KVM_SET_USER_MEMORY_REGION2, __VA_ARGS__)

static void expect(int err, int want, const char *name)
{
	ksft_test_result(err == want, "%s (errno %d, want %d)\n", name, err,
			 want);
}

static void test_create_move_delete(void)
{
	expect(set_region(0, 0, 0x100000, 16 * PAGE, mem), 0, "create");
	expect(set_region(0, 0, 0x100000, 16 * PAGE, mem), 0,
	       "identical_update_is_a_no_op");
	expect(set_region(0, 0, 0x200000, 16 * PAGE, mem), 0, "move");
	expect(set_region(1, 0, 0x100000, 16 * PAGE, mem + 16 * PAGE), 0,
	       "old_range_is_free_after_move");
	expect(set_region(1, 0, 0x1ff000, 16 * PAGE, mem + 16 * PAGE), EEXIST,
	       "move_onto_overlap");
	expect(set_region(0, 0, 0x200000, 0, NULL), 0, "delete");
	expect(set_region(0, 0, 0x200000, 0, NULL), EINVAL,
	       "delete_missing_slot");
	expect(set_region(0, 0, 0x200000, 16 * PAGE, mem), 0,
	       "recreate_after_delete");
	expect(set_region(1, 0, 0, 0, NULL), 0, "delete_second");
	expect(set_region(0, 0, 0, 0, NULL), 0, "delete_first");
}

static void test_bad_requests(void)
{
	expect(set_region(0, 0, 0x100000, 16 * PAGE, mem), 0, "create_base");

	expect(set_region(1, 0, 0x100800, PAGE, mem), EINVAL, "unaligned_gpa");
	expect(set_region(1, 0, 0x300000, PAGE + 1, mem), EINVAL,
	       "unaligned_size");
	expect(set_region(1, 0, 0x300000, PAGE, mem + 8), EINVAL,
	       "unaligned_hva");
	expect(set_region(1, 0, ~0xfffULL, 2 * PAGE, mem), EINVAL,
	       "gpa_wraps_around");
	expect(set_region(1, 0, 0x300000, PAGE, (void *)0xffff800000000000UL),
	       EINVAL, "kernel_hva");
	expect(set_region(1, BAD_FLAG, 0x300000, PAGE, mem), EINVAL,
	       "unknown_flag");
	expect(set_region(NR_SLOTS, 0, 0x300000, PAGE, mem), EINVAL,
	       "slot_id_too_big");
	expect(set_region(2 << 16, 0, 0x300000, PAGE, mem), EINVAL,
	       "address_space_too_big");
	expect(set_region2(1, KVM_MEM_GUEST_MEMFD, 0x300000, PAGE, mem), EINVAL,
	       "guest_memfd_on_a_default_vm");

	expect(set_region(1, 0, 0x0ff000, 2 * PAGE, mem), EEXIST,
	       "overlap_start");
	expect(set_region(1, 0, 0x10f000, 2 * PAGE, mem), EEXIST,
	       "overlap_end");
	expect(set_region(1, 0, 0x104000, PAGE, mem), EEXIST, "overlap_inside");
	expect(set_region(1, 0, 0x0f0000, 64 * PAGE, mem), EEXIST,
	       "overlap_around");
	expect(set_region(1, 0, 0x110000, PAGE, mem), 0, "adjacent_is_fine");

	expect(set_region(0, 0, 0x100000, 8 * PAGE, mem), EINVAL, "resize");
	expect(set_region(0, 0, 0x100000, 16 * PAGE, mem + PAGE), EINVAL,
	       "change_hva");
	expect(set_region(0, KVM_MEM_READONLY, 0x100000, 16 * PAGE, mem),
	       EINVAL, "toggle_readonly");
	expect(ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, (void *)8) ? errno : 0,
	       EFAULT, "bad_pointer");

	expect(set_region2(2, KVM_MEM_READONLY, 0x400000, PAGE, mem), 0,
	       "readonly_slot_with_region2");
	set_region(2, 0, 0, 0, NULL);
	set_region(1, 0, 0, 0, NULL);
	set_region(0, 0, 0, 0, NULL);
}

/*
 * Every slot id KVM_CAP_NR_MEMSLOTS allows, one page each.  Skipped where
 * the harness says the machine is too slow for 32k ioctls (our debug
 * kernel in Bochs); every other run does it.
 */
static void test_all_slots(int kvm_fd)
{
	int nr = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS);
	size_t size = (size_t)NR_SLOTS * PAGE;
	bool ok = nr == NR_SLOTS;
	char *big;
	int i;

	ksft_test_result(ok, "nr_memslots_is_%d (got %d)\n", NR_SLOTS, nr);
	if (getenv("KVM_SELFTEST_SLOW")) {
		ksft_test_result_skip("create_%d_slots: slow machine\n", NR_SLOTS);
		ksft_test_result_skip("one_slot_too_many: slow machine\n");
		ksft_test_result_skip("delete_and_move_among_all_slots: slow machine\n");
		return;
	}
	big = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	TEST_REQUIRE(big != MAP_FAILED, "mmap: %s", strerror(errno));

	for (i = 0; i < NR_SLOTS && ok; i++)
		ok = !set_region(i, 0, (uint64_t)i * PAGE, PAGE, big + i * PAGE);
	ksft_test_result(ok, "create_%d_slots (stopped at %d)\n", NR_SLOTS, i);
	expect(set_region(NR_SLOTS, 0, (uint64_t)NR_SLOTS * PAGE, PAGE, big),
	       EINVAL, "one_slot_too_many");
	/*
	 * Delete some slots spread over the whole set and move their
	 * neighbours into the holes (each costs a grace period, so not all).
	 */
	for (i = 0; i < NR_SLOTS && ok; i += SPREAD)
		ok = !set_region(i, 0, 0, 0, NULL);
	for (i = 1; i < NR_SLOTS && ok; i += SPREAD)
		ok = !set_region(i, 0, (uint64_t)(i - 1) * PAGE, PAGE,
				 big + i * PAGE);
	ksft_test_result(ok, "delete_and_move_among_all_slots\n");
	munmap(big, size);
}

int main(void)
{
	static const long caps[] = { KVM_CAP_NR_MEMSLOTS, KVM_CAP_USER_MEMORY2 };
	int kvm_fd;

	ksft_print_header();
	kvm_fd = kvm_open_dev();
	kvm_require_caps(kvm_fd, caps, 2);
	ksft_set_plan(10 + 20 + 4);

	mem = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_REQUIRE(mem != MAP_FAILED, "mmap: %s", strerror(errno));

	vm_fd = kvm_create_vm_fd(kvm_fd);
	test_create_move_delete();
	test_bad_requests();
	close(vm_fd);

	/* A VM destroyed with all its slots in place. */
	vm_fd = kvm_create_vm_fd(kvm_fd);
	test_all_slots(kvm_fd);
	close(vm_fd);

	close(kvm_fd);
	ksft_finished();
}
