// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dirty page logging: KVM_MEM_LOG_DIRTY_PAGES, KVM_GET_DIRTY_LOG and, with
 * KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, KVM_CLEAR_DIRTY_LOG.
 *
 * A 64-bit guest writes (or reads) the pages the test lists for it in a
 * command block, then reports back.  The test asks for the dirty log and
 * checks that it holds exactly the pages written since the last time:
 * reads leave no trace, a page written again after being collected shows
 * up again (it was write-protected), a page the kernel writes for the
 * guest (the data of an IN to memory) counts as written, and turning
 * logging off and on, moving the slot and the manual-protect mode keep
 * those rules.  Bad slot ids, ranges and flags get their errnos.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kvm_util.h"

#define PAGE		4096UL
#define CODE_GPA	0x1000
#define CMD_GPA		0x9000	/* struct command */
#define MEM_SIZE	LONG_MODE_MEM_MIN
#define LOG_GPA		0x100000	/* the logged slot */
#define MOVED_GPA	0x400000	/* where it moves to */
#define LOG_SLOT	1
/* Not a multiple of 64: the last word of the bitmap is partial. */
#define LOG_PAGES	200
#define IN_PORT		0xe4
#define MAX_PAGES	16
#define WORDS		((LOG_PAGES + 63) / 64)

/* What the guest does next; the test fills it in before each run. */
struct command {
	uint64_t op;		/* OP_* */
	uint64_t value;		/* what OP_WRITE stores */
	uint64_t nr;
	uint64_t gpa[MAX_PAGES];
};

#define OP_WRITE	0
#define OP_READ		1
#define OP_IN		2	/* IN from IN_PORT into the first page */

GUEST_CODE64(guest_code,
	     "1:	mov $" KVM_STR(CMD_GPA) ", %rbx\n"
	     "	mov 16(%rbx), %rcx\n"
	     "	lea 24(%rbx), %rsi\n"
	     "	cmpq $" KVM_STR(OP_IN) ", (%rbx)\n"
	     "	je 4f\n"
	     "2:	test %rcx, %rcx\n"
	     "	jz 3f\n"
	     "	mov (%rsi), %rdi\n"
	     "	cmpq $" KVM_STR(OP_READ) ", (%rbx)\n"
	     "	je 5f\n"
	     "	mov 8(%rbx), %rax\n"
	     "	mov %rax, (%rdi)\n"
	     "	jmp 6f\n"
	     "5:	mov (%rdi), %rax\n"
	     "6:	add $8, %rsi\n"
	     "	dec %rcx\n"
	     "	jmp 2b\n"
	     "4:	mov (%rsi), %rdi\n"
	     "	mov $" KVM_STR(IN_PORT) ", %dx\n"
	     "	insb\n"
	     "3:	mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "	out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "	jmp 1b\n"
);

static struct kvm_vm *vm;
static struct kvm_vcpu *vcpu;
static uint8_t *mem;		/* guest physical 0 */
static uint8_t *log_mem;	/* the logged slot */
static uint64_t log_gpa = LOG_GPA;
static struct command *cmd;

static int set_log_slot(uint32_t flags, uint64_t gpa)
{
	struct kvm_userspace_memory_region r = {
		.slot = LOG_SLOT,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = LOG_PAGES * PAGE,
		.userspace_addr = (uintptr_t)log_mem,
	};

	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r))
		return errno;
	log_gpa = gpa;
	return 0;
}

static int get_log(uint32_t slot, uint64_t *bitmap)
{
	struct kvm_dirty_log log = { .slot = slot, .dirty_bitmap = bitmap };

	memset(bitmap, 0xa5, WORDS * 8);
	return ioctl(vm->fd, KVM_GET_DIRTY_LOG, &log) ? errno : 0;
}

static int clear_log(uint64_t first, uint32_t nr, uint64_t *bitmap)
{
	struct kvm_clear_dirty_log c = {
		.slot = LOG_SLOT,
		.num_pages = nr,
		.first_page = first,
		.dirty_bitmap = bitmap,
	};

	return ioctl(vm->fd, KVM_CLEAR_DIRTY_LOG, &c) ? errno : 0;
}

/* Have the guest do @op on pages @pages[0..n) of the logged slot. */
static void guest_do(uint64_t op, const int *pages, int n, uint64_t value)
{
	struct kvm_run *run = vcpu->run;
	struct ucall uc;
	int i;

	cmd->op = op;
	cmd->value = value;
	cmd->nr = n;
	for (i = 0; i < n; i++)
		cmd->gpa[i] = log_gpa + pages[i] * PAGE;
	if (op == OP_IN) {
		TEST_REQUIRE(!vcpu_run(vcpu) &&
			     run->exit_reason == KVM_EXIT_IO &&
			     run->io.direction == KVM_EXIT_IO_IN &&
			     run->io.port == IN_PORT,
			     "expected an IN exit, got %s",
			     exit_reason_str(run->exit_reason));
		*((uint8_t *)run + run->io.data_offset) = (uint8_t)value;
	}
	TEST_REQUIRE(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC,
		     "guest did not sync");
}

/* The dirty log of the logged slot is exactly @pages[0..n)? */
static bool log_is(const int *pages, int n)
{
	uint64_t bitmap[WORDS], want[WORDS] = {};
	int i;

	if (get_log(LOG_SLOT, bitmap))
		return false;
	for (i = 0; i < n; i++)
		want[pages[i] / 64] |= 1ULL << (pages[i] % 64);
	if (!memcmp(bitmap, want, sizeof(want)))
		return true;
	for (i = 0; i < WORDS; i++)
		ksft_print_msg("word %d: 0x%016llx, want 0x%016llx\n", i,
			       (unsigned long long)bitmap[i],
			       (unsigned long long)want[i]);
	return false;
}

#define PAGES(...)	((const int[]){ __VA_ARGS__ })
#define NR(...)		(sizeof(PAGES(__VA_ARGS__)) / sizeof(int))
#define WRITE(v, ...)	guest_do(OP_WRITE, PAGES(__VA_ARGS__), NR(__VA_ARGS__), v)
#define READ(...)	guest_do(OP_READ, PAGES(__VA_ARGS__), NR(__VA_ARGS__), 0)
#define LOG_IS(...)	log_is(PAGES(__VA_ARGS__), NR(__VA_ARGS__))
#define LOG_EMPTY()	log_is(NULL, 0)

static uint64_t page_value(int page)
{
	return *(uint64_t *)(log_mem + page * PAGE);
}

static void test_errnos(void)
{
	uint64_t bitmap[WORDS];
	struct kvm_dirty_log bad = { .slot = LOG_SLOT,
				     .dirty_bitmap = (void *)8 };

	ksft_test_result(get_log(0, bitmap) == ENOENT,
			 "get_on_slot_without_logging\n");
	ksft_test_result(get_log(7, bitmap) == ENOENT,
			 "get_on_missing_slot\n");
	/* Address space 1 is SMM's where the kernel has SMM; 2 is none. */
	ksft_test_result(get_log(32764, bitmap) == EINVAL &&
			 get_log(2 << 16 | LOG_SLOT, bitmap) == EINVAL,
			 "get_on_bad_slot_id\n");
	ksft_test_result(ioctl(vm->fd, KVM_GET_DIRTY_LOG, &bad) == -1 &&
			 errno == EFAULT, "get_to_bad_address\n");
	ksft_test_result(set_log_slot(KVM_MEM_LOG_DIRTY_PAGES |
				      KVM_MEM_READONLY, log_gpa) == EINVAL &&
			 set_log_slot(KVM_MEM_LOG_DIRTY_PAGES | 0x100000,
				      log_gpa) == EINVAL,
			 "flags_other_than_logging_cannot_change\n");
}

static void test_log(void)
{
	ksft_test_result(LOG_EMPTY(), "starts_clean\n");
	WRITE(1, 0, 3, 64, 199);
	ksft_test_result(LOG_IS(0, 3, 64, 199) && page_value(64) == 1,
			 "guest_writes_are_logged\n");
	ksft_test_result(LOG_EMPTY(), "get_clears_the_log\n");
	READ(1, 2, 3, 100);
	ksft_test_result(LOG_EMPTY(), "reads_are_not_logged\n");
	WRITE(2, 3, 199);
	ksft_test_result(LOG_IS(3, 199) && page_value(199) == 2,
			 "written_again_after_get_is_logged_again\n");
	WRITE(3, 5);
	WRITE(4, 5);
	ksft_test_result(LOG_IS(5) && page_value(5) == 4,
			 "two_writes_between_gets\n");
	guest_do(OP_IN, PAGES(10), 1, 0x5a);
	ksft_test_result(LOG_IS(10) && log_mem[10 * PAGE] == 0x5a,
			 "kernel_write_for_the_guest_is_logged\n");
}

static void test_flag_changes(void)
{
	uint64_t bitmap[WORDS];

	WRITE(5, 20);
	ksft_test_result(set_log_slot(0, log_gpa) == 0 &&
			 get_log(LOG_SLOT, bitmap) == ENOENT,
			 "logging_off\n");
	/* Mapped writable while nothing logs. */
	WRITE(6, 21);
	ksft_test_result(set_log_slot(KVM_MEM_LOG_DIRTY_PAGES, log_gpa) == 0 &&
			 LOG_EMPTY(), "logging_on_again_starts_clean\n");
	WRITE(7, 21);
	ksft_test_result(LOG_IS(21) && page_value(21) == 7,
			 "page_writable_before_logging_is_logged\n");
	WRITE(8, 22);
	ksft_test_result(set_log_slot(KVM_MEM_LOG_DIRTY_PAGES,
				      MOVED_GPA) == 0 && LOG_IS(22),
			 "move_keeps_the_log\n");
	WRITE(9, 23, 150);
	ksft_test_result(LOG_IS(23, 150) && page_value(150) == 9,
			 "logging_after_move\n");
	ksft_test_result(set_log_slot(KVM_MEM_LOG_DIRTY_PAGES, LOG_GPA) == 0,
			 "move_back\n");
}

static void test_manual(int kvm_fd)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
	};
	uint64_t bits[WORDS] = {};
	int ret;

	ksft_test_result(kvm_check_cap(kvm_fd,
				       KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2) ==
			 (KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE |
			  KVM_DIRTY_LOG_INITIALLY_SET), "manual_cap_flags\n");
	cap.args[0] = 4;
	ret = ioctl(vm->fd, KVM_ENABLE_CAP, &cap) ? errno : 0;
	cap.args[0] = KVM_DIRTY_LOG_INITIALLY_SET;
	ksft_test_result(ret == EINVAL && ioctl(vm->fd, KVM_ENABLE_CAP, &cap) &&
			 errno == EINVAL, "manual_bad_flags\n");
	cap.args[0] = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE;
	ksft_test_result(!ioctl(vm->fd, KVM_ENABLE_CAP, &cap),
			 "manual_enable\n");

	WRITE(10, 1, 2, 70);
	ksft_test_result(LOG_IS(1, 2, 70) && LOG_IS(1, 2, 70),
			 "manual_get_does_not_clear\n");
	bits[0] = 1ULL << 1;
	bits[1] = 1ULL << (70 - 64);
	ksft_test_result(clear_log(0, 128, bits) == 0 && LOG_IS(2),
			 "manual_clear_some\n");
	WRITE(11, 1, 2);
	ksft_test_result(LOG_IS(1, 2), "manual_cleared_page_logged_again\n");
	memset(bits, 0xff, sizeof(bits));
	ksft_test_result(clear_log(0, LOG_PAGES, bits) == 0 && LOG_EMPTY(),
			 "manual_clear_all\n");
	WRITE(12, 2, 199);
	ksft_test_result(LOG_IS(2, 199), "manual_logged_after_clear\n");
	ksft_test_result(clear_log(192, 8, bits) == 0 && LOG_IS(2),
			 "manual_clear_partial_last_word\n");
	ksft_test_result(clear_log(1, 64, bits) == EINVAL &&
			 clear_log(0, 65, bits) == EINVAL &&
			 clear_log(192, 9, bits) == EINVAL &&
			 clear_log(256, 0, bits) == EINVAL &&
			 clear_log(0, 64, (void *)8) == EFAULT,
			 "manual_clear_bad_ranges\n");

	cap.args[0] = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE |
		      KVM_DIRTY_LOG_INITIALLY_SET;
	ksft_test_result(!ioctl(vm->fd, KVM_ENABLE_CAP, &cap) &&
			 set_log_slot(0, LOG_GPA) == 0 &&
			 set_log_slot(KVM_MEM_LOG_DIRTY_PAGES, LOG_GPA) == 0,
			 "initially_set_enable\n");
	get_log(LOG_SLOT, bits);
	ksft_test_result(bits[0] == ~0ULL && bits[2] == ~0ULL &&
			 bits[3] == (1ULL << (LOG_PAGES - 192)) - 1,
			 "initially_set_every_page_dirty\n");
	memset(bits, 0xff, sizeof(bits));
	ksft_test_result(clear_log(0, LOG_PAGES, bits) == 0 && LOG_EMPTY(),
			 "initially_set_clear\n");
	WRITE(13, 30);
	ksft_test_result(LOG_IS(30) && page_value(30) == 13,
			 "initially_set_logged_after_clear\n");
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY };

	kvm_require_caps(kvm_fd, caps, 1);
	ksft_print_header();
	ksft_set_plan(5 + 7 + 6 + 14);

	vm = vm_create();
	vcpu = vcpu_create(vm, 0);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	cmd = (struct command *)(mem + CMD_GPA);
	log_mem = mmap(NULL, LOG_PAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_REQUIRE(log_mem != MAP_FAILED, "mmap: %s", strerror(errno));
	TEST_REQUIRE(!set_log_slot(KVM_MEM_LOG_DIRTY_PAGES, LOG_GPA),
		     "KVM_MEM_LOG_DIRTY_PAGES slot: %s", strerror(errno));
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));

	test_errnos();
	test_log();
	test_flag_changes();
	test_manual(kvm_fd);

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_finished();
}
