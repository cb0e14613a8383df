// SPDX-License-Identifier: GPL-2.0-only
/*
 * Coalesced MMIO and port I/O (KVM_REGISTER_COALESCED_MMIO): guest writes
 * inside a registered zone are queued in the ring page that every vCPU
 * file maps at page KVM_CAP_COALESCED_MMIO, without an exit.
 *
 * A 64-bit guest writes inside and outside an MMIO zone and a port zone;
 * the test checks that only the writes outside exit, that the ring holds
 * the others in order with their address, length, kind and data, and
 * that reads, writes that straddle a zone's end and writes of the other
 * kind still exit.  Then the guest fills the ring from a start in the
 * middle of it, so the indexes wrap, and the write that would take the
 * last free entry exits.  Unregistering makes writes exit again; an
 * index userspace made bogus is treated as a full ring.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kvm_util.h"

#define PAGE		4096
#define CODE_GPA	0x1000
#define MEM_SIZE	LONG_MODE_MEM_MIN
#define ZONE_GPA	0x20000	/* no memory slot: MMIO */
#define ZONE_SIZE	16
#define ZONE_PORT	0xe0
#define PORT_SIZE	4
/* struct kvm_coalesced_mmio_ring and its entries, for 4 KiB pages. */
#define RING_MAX	((PAGE - 8) / 24)
#define FILL_START	100	/* the ring wraps while it fills */

GUEST_CODE64(guest_code,
	     "mov $" KVM_STR(ZONE_GPA) ", %rdi\n"
	     /* Phase 1: four queued writes, then four that exit. */
	     "movabs $0x1122334455667788, %rax\n"
	     "mov %rax, (%rdi)\n"
	     "mov $0xaabbccdd, %eax\n"
	     "mov %eax, 8(%rdi)\n"
	     "mov $" KVM_STR(ZONE_PORT) ", %dx\n"
	     "mov $0x01020304, %eax\n"
	     "out %eax, %dx\n"
	     "mov $0x5a, %al\n"
	     "out %al, $" KVM_STR(ZONE_PORT) " + 2\n"
	     "mov %eax, 16(%rdi)\n"		/* past the zone */
	     "out %al, $" KVM_STR(ZONE_PORT) " + 4\n"	/* past the ports */
	     "mov (%rdi), %rax\n"		/* a read */
	     "mov %rax, 12(%rdi)\n"		/* straddles the end */
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     /* Phase 2: RING_MAX writes, the last one exits. */
	     "mov $" KVM_STR(RING_MAX) ", %ecx\n"
	     "1: mov %rcx, (%rdi)\n"
	     "dec %ecx\n"
	     "jnz 1b\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     /* Phase 3: the MMIO zone is gone, the ports not yet. */
	     "mov %rdi, (%rdi)\n"
	     "mov $0x77, %al\n"
	     "out %al, $" KVM_STR(ZONE_PORT) "\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "mov $0x78, %al\n"
	     "out %al, $" KVM_STR(ZONE_PORT) "\n"
	     /* Phase 4: a bogus index. */
	     "mov %rdi, (%rdi)\n"
	     "mov $" KVM_STR(UCALL_DONE) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
);

static struct kvm_vm *vm;
static struct kvm_vcpu *vcpu;
static struct kvm_coalesced_mmio_ring *ring;

static int zone_ioctl(unsigned long nr, uint64_t addr, uint32_t size,
		      uint32_t pio)
{
	struct kvm_coalesced_mmio_zone z = {
		.addr = addr, .size = size, .pio = pio,
	};

	return ioctl(vm->fd, nr, &z) ? errno : 0;
}

/* Run until the next exit, which must be a write to @addr (MMIO or port). */
static bool exits_at(bool pio, uint64_t addr, bool write)
{
	struct kvm_run *run = vcpu->run;

	if (vcpu_run(vcpu))
		return false;
	if (pio)
		return run->exit_reason == KVM_EXIT_IO &&
		       run->io.port == addr &&
		       run->io.direction == (write ? KVM_EXIT_IO_OUT :
						     KVM_EXIT_IO_IN);
	return run->exit_reason == KVM_EXIT_MMIO &&
	       run->mmio.phys_addr == addr && run->mmio.is_write == write;
}

static uint32_t ring_count(void)
{
	return (ring->last + RING_MAX - ring->first) % RING_MAX;
}

static bool entry_is(uint32_t i, bool pio, uint64_t addr, uint32_t len,
		     uint64_t data)
{
	struct kvm_coalesced_mmio *e = &ring->coalesced_mmio[i % RING_MAX];
	uint64_t got = 0;

	memcpy(&got, e->data, sizeof(got));
	if (e->pio == pio && e->phys_addr == addr && e->len == len &&
	    got == data)
		return true;
	ksft_print_msg("entry %u: pio %u addr 0x%llx len %u data 0x%llx\n",
		       i, e->pio, (unsigned long long)e->phys_addr, e->len,
		       (unsigned long long)got);
	return false;
}

static void run_to_sync(void)
{
	struct ucall uc;

	TEST_REQUIRE(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC,
		     "expected a sync");
}

static void test_queue(void)
{
	bool ok;

	ksft_test_result(exits_at(false, ZONE_GPA + 16, true),
			 "write_past_zone_exits\n");
	ksft_test_result(ring_count() == 4 && ring->first == 0 &&
			 entry_is(0, false, ZONE_GPA, 8, 0x1122334455667788) &&
			 entry_is(1, false, ZONE_GPA + 8, 4, 0xaabbccdd) &&
			 entry_is(2, true, ZONE_PORT, 4, 0x01020304) &&
			 entry_is(3, true, ZONE_PORT + 2, 1, 0x5a),
			 "writes_in_zones_queued_in_order\n");
	ksft_test_result(exits_at(true, ZONE_PORT + 4, true),
			 "port_past_zone_exits\n");
	ksft_test_result(exits_at(false, ZONE_GPA, false),
			 "read_in_zone_exits\n");
	ksft_test_result(exits_at(false, ZONE_GPA + 12, true),
			 "write_straddling_zone_end_exits\n");
	run_to_sync();
	ok = ring_count() == 4;
	ring->first = FILL_START;
	ring->last = FILL_START;
	ksft_test_result(ok, "exits_add_nothing_to_ring\n");
}

static void test_full(void)
{
	uint32_t i;
	bool ok;

	ok = exits_at(false, ZONE_GPA, true);
	ksft_test_result(ok && *(uint64_t *)vcpu->run->mmio.data == 1 &&
			 ring->first == FILL_START &&
			 ring->last == FILL_START - 1,
			 "full_ring_leaves_one_entry_free_and_exits\n");
	ok = true;
	for (i = 0; i < RING_MAX - 1; i++)
		ok &= entry_is(FILL_START + i, false, ZONE_GPA, 8, RING_MAX - i);
	ksft_test_result(ok, "ring_wraps_in_order\n");
	run_to_sync();
	ring->first = ring->last;
}

static void test_unregister(void)
{
	ksft_test_result(zone_ioctl(KVM_UNREGISTER_COALESCED_MMIO,
				    ZONE_GPA, ZONE_SIZE, 0) == 0,
			 "unregister\n");
	ksft_test_result(exits_at(false, ZONE_GPA, true) && ring_count() == 0,
			 "write_after_unregister_exits\n");
	run_to_sync();
	ksft_test_result(ring_count() == 1 &&
			 entry_is(ring->first, true, ZONE_PORT, 1, 0x77),
			 "port_zone_still_queues\n");
	ring->first = ring->last;
	zone_ioctl(KVM_UNREGISTER_COALESCED_MMIO, ZONE_PORT, PORT_SIZE, 1);
	ksft_test_result(exits_at(true, ZONE_PORT, true),
			 "port_after_unregister_exits\n");

	zone_ioctl(KVM_REGISTER_COALESCED_MMIO, ZONE_GPA, ZONE_SIZE, 0);
	ring->last = 0xffffffff;
	ksft_test_result(exits_at(false, ZONE_GPA, true) &&
			 ring->last == 0xffffffff,
			 "bogus_index_counts_as_full\n");
}

static void test_errnos(int kvm_fd)
{
	int size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);

	ksft_test_result(kvm_check_cap(kvm_fd, KVM_CAP_COALESCED_MMIO) ==
			 KVM_COALESCED_MMIO_PAGE_OFFSET &&
			 kvm_check_cap(kvm_fd, KVM_CAP_COALESCED_PIO) == 1 &&
			 size >= (KVM_COALESCED_MMIO_PAGE_OFFSET + 1) * PAGE,
			 "caps_and_mmap_size (%d)\n", size);
	ksft_test_result(zone_ioctl(KVM_REGISTER_COALESCED_MMIO, 0, 8, 2) ==
			 EINVAL &&
			 zone_ioctl(KVM_UNREGISTER_COALESCED_MMIO, 0, 8, 2) ==
			 EINVAL, "pio_must_be_0_or_1\n");
	ksft_test_result(zone_ioctl(KVM_UNREGISTER_COALESCED_MMIO,
				    0x12345000, 8, 0) == 0,
			 "unregister_nothing\n");
	ksft_test_result(ioctl(vm->fd, KVM_REGISTER_COALESCED_MMIO, 8) &&
			 errno == EFAULT, "bad_address\n");
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_COALESCED_MMIO, KVM_CAP_COALESCED_PIO };
	struct kvm_vcpu *other;
	uint8_t *mem;

	kvm_require_caps(kvm_fd, caps, 2);
	ksft_print_header();
	ksft_set_plan(4 + 6 + 2 + 5 + 1);

	vm = vm_create();
	vcpu = vcpu_create(vm, 0);
	other = vcpu_create(vm, 1);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	ring = (void *)((uint8_t *)vcpu->run +
			KVM_COALESCED_MMIO_PAGE_OFFSET * PAGE);

	test_errnos(kvm_fd);
	TEST_REQUIRE(!zone_ioctl(KVM_REGISTER_COALESCED_MMIO, ZONE_GPA,
				 ZONE_SIZE, 0) &&
		     !zone_ioctl(KVM_REGISTER_COALESCED_MMIO, ZONE_PORT,
				 PORT_SIZE, 1), "register: %s", strerror(errno));
	test_queue();
	test_full();
	test_unregister();
	ksft_test_result(!memcmp((uint8_t *)other->run +
				 KVM_COALESCED_MMIO_PAGE_OFFSET * PAGE,
				 ring, PAGE),
			 "every_vcpu_maps_the_same_ring\n");

	vcpu_destroy(other);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_finished();
}
