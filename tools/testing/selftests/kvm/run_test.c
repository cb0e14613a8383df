// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_RUN on the calling thread: port reads completed on the next run,
 * HLT exits, immediate_exit, signals (pending before KVM_RUN, unblocked by
 * KVM_SET_SIGNAL_MASK, and sent by another thread while the guest spins),
 * guest memory whose host mapping is replaced or removed while the guest
 * uses it, memory slots changing while another thread runs the vCPU, and
 * bad arguments.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define DATA_GPA	0x8000
#define PAGE		4096

/* Read a port and hand the value to the test. */
GUEST_CODE16(guest_in,
	     "inb $0x80, %al\n"
	     "movzbl %al, %ebx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

/* Report the word at DATA_GPA, forever. */
GUEST_CODE16(guest_read_data,
	     "1: movl (" KVM_STR(DATA_GPA) "), %ebx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "jmp 1b\n");

/*
 * Spin without exits.  With interrupts enabled in the guest: Bochs holds
 * host interrupts back from a guest that has them disabled, even where
 * they should exit it (upstream KVM hangs there too).
 */
GUEST_CODE16(guest_spin,
	     "sti\n"
	     "1: jmp 1b\n");

static struct kvm_vm *vm;
static void *mem;

static struct kvm_vcpu *new_guest(const void *code, size_t len)
{
	struct kvm_vcpu *vcpu;

	vm = vm_create();
	mem = vm_add_memory(vm, 0, DATA_GPA);
	vcpu = vcpu_create(vm, 0);
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, code, len);
	return vcpu;
}

static void end_guest(struct kvm_vcpu *vcpu)
{
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

static void test_port_in_and_hlt(void)
{
	struct kvm_vcpu *vcpu = new_guest(guest_in, GUEST_CODE_SIZE(guest_in));
	struct kvm_run *run = vcpu->run;
	struct ucall uc;
	int ret;

	ret = vcpu_run(vcpu);
	ksft_test_result(!ret && run->exit_reason == KVM_EXIT_IO &&
			 run->io.direction == KVM_EXIT_IO_IN &&
			 run->io.port == 0x80 && run->io.size == 1 &&
			 run->io.count == 1,
			 "port_read_exits (exit %s)\n",
			 exit_reason_str(run->exit_reason));
	*((uint8_t *)run + run->io.data_offset) = 0x5a;
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.args[0] == 0x5a,
			 "port_read_gets_userspace_data (0x%llx)\n",
			 (unsigned long long)uc.args[0]);
	ret = vcpu_run(vcpu);
	ksft_test_result(!ret && run->exit_reason == KVM_EXIT_HLT,
			 "hlt_exits (exit %s)\n", exit_reason_str(run->exit_reason));
	end_guest(vcpu);
}

static void test_immediate_exit(void)
{
	struct kvm_vcpu *vcpu = new_guest(guest_in, GUEST_CODE_SIZE(guest_in));
	struct kvm_regs regs;
	int ret;

	vcpu->run->immediate_exit = 1;
	ret = vcpu_run(vcpu);
	vcpu_get_regs(vcpu, &regs);
	ksft_test_result(ret == -1 && errno == EINTR && regs.rip == CODE_GPA,
			 "immediate_exit_returns_eintr_without_running\n");
	vcpu->run->immediate_exit = 0;
	ret = vcpu_run(vcpu);
	ksft_test_result(!ret && vcpu->run->exit_reason == KVM_EXIT_IO,
			 "runs_after_immediate_exit_is_cleared\n");
	ksft_test_result(ioctl(vcpu->fd, KVM_RUN, 1) == -1 && errno == EINVAL,
			 "run_with_nonzero_argument_is_einval\n");
	end_guest(vcpu);
}

static void on_sigusr1(int sig)
{
}

/*
 * SIGUSR1 is blocked in the thread and pending; the vCPU's signal mask
 * unblocks it, so KVM_RUN must return at once.
 */
static void test_signal_mask(void)
{
	struct kvm_vcpu *vcpu = new_guest(guest_in, GUEST_CODE_SIZE(guest_in));
	struct {
		struct kvm_signal_mask hdr;
		sigset_t set;
	} mask;
	struct timespec zero = {};
	sigset_t block;
	int ret;

	mask.hdr.len = 4;
	ksft_test_result(ioctl(vcpu->fd, KVM_SET_SIGNAL_MASK, &mask) == -1 &&
			 errno == EINVAL, "signal_mask_bad_length_is_einval\n");

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	raise(SIGUSR1);

	memset(&mask, 0, sizeof(mask));
	mask.hdr.len = 8;	/* the kernel's sigset_t */
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_SIGNAL_MASK, &mask),
		     "KVM_SET_SIGNAL_MASK: %s", strerror(errno));
	ret = vcpu_run(vcpu);
	ksft_test_result(ret == -1 && errno == EINTR &&
			 vcpu->run->exit_reason == KVM_EXIT_INTR,
			 "unblocked_pending_signal_exits_with_eintr\n");
	/* The thread's mask is back: the signal is still pending for it. */
	ksft_test_result(sigtimedwait(&block, NULL, &zero) == SIGUSR1,
			 "thread_mask_restored_after_run\n");
	pthread_sigmask(SIG_UNBLOCK, &block, NULL);
	end_guest(vcpu);
}

static void *kick_later(void *arg)
{
	usleep(200 * 1000);
	pthread_kill(*(pthread_t *)arg, SIGUSR1);
	return NULL;
}

static void test_signal_kicks_spinning_guest(void)
{
	struct kvm_vcpu *vcpu = new_guest(guest_spin, GUEST_CODE_SIZE(guest_spin));
	pthread_t self = pthread_self(), kicker;
	int ret;

	pthread_create(&kicker, NULL, kick_later, &self);
	ret = vcpu_run(vcpu);
	ksft_test_result(ret == -1 && errno == EINTR &&
			 vcpu->run->exit_reason == KVM_EXIT_INTR,
			 "signal_from_another_thread_stops_the_guest\n");
	pthread_join(kicker, NULL);
	end_guest(vcpu);
}

static uint32_t read_via_guest(struct kvm_vcpu *vcpu)
{
	struct ucall uc;

	vcpu_run_ucall(vcpu, &uc);
	return uc.args[0];
}

/*
 * The guest keeps reading a word of a second slot while the test replaces
 * and removes the host memory behind it.
 */
static void test_host_mapping_changes(void)
{
	struct kvm_vcpu *vcpu = new_guest(guest_read_data,
					  GUEST_CODE_SIZE(guest_read_data));
	struct kvm_userspace_memory_region region = {
		.slot = 1,
		.guest_phys_addr = DATA_GPA,
		.memory_size = PAGE,
	};
	uint32_t *data;
	int ret;

	data = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_REQUIRE(data != MAP_FAILED, "mmap: %s", strerror(errno));
	*data = 0x1111;
	region.userspace_addr = (uintptr_t)data;
	TEST_REQUIRE(!ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region),
		     "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));

	ksft_test_result(read_via_guest(vcpu) == 0x1111, "guest_reads_slot\n");
	*data = 0x2222;
	ksft_test_result(read_via_guest(vcpu) == 0x2222,
			 "guest_sees_host_write\n");

	/* A new page at the same address: the old mapping must go. */
	data = mmap(data, PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	TEST_REQUIRE(data != MAP_FAILED, "mmap: %s", strerror(errno));
	*data = 0x3333;
	ksft_test_result(read_via_guest(vcpu) == 0x3333,
			 "guest_sees_replaced_host_page\n");

	madvise(data, PAGE, MADV_DONTNEED);
	ksft_test_result(read_via_guest(vcpu) == 0,
			 "guest_sees_madvise_dontneed\n");

	munmap(data, PAGE);
	ret = vcpu_run(vcpu);
	ksft_test_result(ret == -1 && errno == EFAULT,
			 "unmapped_slot_memory_is_efault (ret %d, %s)\n", ret,
			 strerror(errno));
	end_guest(vcpu);
}

struct reader {
	struct kvm_vcpu *vcpu;
	int runs;
	int bad;
};

static void *read_in_guest(void *arg)
{
	struct reader *r = arg;
	struct ucall uc;
	int i;

	for (i = 0; i < r->runs; i++) {
		vcpu_run_ucall(r->vcpu, &uc);
		if (uc.args[0] != 0x4444)
			r->bad++;
	}
	return NULL;
}

/*
 * Memory slots change while another thread keeps the vCPU in KVM_RUN:
 * the guest keeps reading its own slot correctly, and no update waits
 * forever for the running vCPU.
 */
static void test_memslot_updates_while_running(void)
{
	struct kvm_vcpu *vcpu = new_guest(guest_read_data,
					  GUEST_CODE_SIZE(guest_read_data));
	struct kvm_userspace_memory_region data = {
		.slot = 1, .guest_phys_addr = DATA_GPA, .memory_size = PAGE,
	}, other = {
		.slot = 2, .memory_size = PAGE,
	};
	struct reader r = { .vcpu = vcpu, .runs = 2000 };
	pthread_t thread;
	uint32_t *page;
	int i, failed = 0;

	page = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_REQUIRE(page != MAP_FAILED, "mmap: %s", strerror(errno));
	*page = 0x4444;
	data.userspace_addr = (uintptr_t)page;
	other.userspace_addr = (uintptr_t)page + PAGE;
	TEST_REQUIRE(!ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &data),
		     "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));

	pthread_create(&thread, NULL, read_in_guest, &r);
	for (i = 0; i < 200; i++) {
		other.guest_phys_addr = 0x20000;
		other.memory_size = PAGE;
		failed |= ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &other);
		other.guest_phys_addr = 0x30000;
		failed |= ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &other);
		other.memory_size = 0;
		failed |= ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &other);
	}
	pthread_join(thread, NULL);
	ksft_test_result(!failed && !r.bad,
			 "memslot_updates_while_another_thread_runs (bad %d)\n",
			 r.bad);
	end_guest(vcpu);
}

int main(void)
{
	static const long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_IMMEDIATE_EXIT };
	int fd;

	ksft_print_header();
	fd = kvm_open_dev();
	kvm_require_caps(fd, caps, 2);
	close(fd);
	ksft_set_plan(3 + 3 + 3 + 1 + 5 + 1);
	signal(SIGUSR1, on_sigusr1);

	test_port_in_and_hlt();
	test_immediate_exit();
	test_signal_mask();
	test_signal_kicks_spinning_guest();
	test_host_mapping_changes();
	test_memslot_updates_while_running();
	ksft_finished();
}
