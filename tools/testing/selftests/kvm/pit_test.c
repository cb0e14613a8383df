// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel 8254 PIT (KVM_CREATE_PIT2).  A 64-bit guest programs
 * counter 0 as a rate generator and takes its ticks through the I/O APIC
 * (GSI 0), never faster than programmed; a one-shot count then gives one
 * more tick and no others.  Counter 2, gated through port 0x61, counts
 * down (a latched read shows it) and its output rises at terminal count.
 * From userspace: KVM_GET_PIT2 shows what the guest programmed, and the
 * errnos of a second PIT, a PIT without the irqchip and state of a PIT
 * that does not exist.  Two threads reload counter 0 with KVM_SET_PIT2
 * while its timer fires every few microseconds, on other CPUs: a reload
 * racing the timer must leave one timer running (the debug kernel of
 * the harness catches a WARN from hrtimer_forward()).
 *
 * Reinjection (KVM_REINJECT_CONTROL): the guest holds its first tick in
 * service for twelve periods.  With reinjection, the ticks it missed
 * come after its EOI, one per EOI; without, they merge into one, and the
 * guest's eightieth tick comes ten periods later.  Ticks that come while
 * the PIT's pin is masked are not kept for later.  Only lower bounds of
 * time are exact (a tick never comes early), so the reinjected ticks are
 * timed against the merged ones, with five periods for a slow host.
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define HANDLER		0x3000
#define COUNT		0x9000
#define MEM_SIZE	0x10000
#define PERIOD		11932		/* 10 ms */

#define SYNC		"mov $" KVM_STR(UCALL_SYNC) ", %al\n" \
			"out %al, $" KVM_STR(UCALL_PORT) "\n"
#define OUTB(port, v)	"mov $" #v ", %al\n out %al, $" #port "\n"
/*
 * Wait until the tick count is at least @n.  Not "equal": a tick that
 * came while the last one was in service is taken right after its
 * IRETQ, so the count can pass @n before the loop looks again, and a
 * periodic counter never comes back to it.
 */
#define WAIT(n)		"1: cli\n cmpl $" #n ", 0x9000\n" \
			"jae 2f\n sti\n hlt\n jmp 1b\n 2: sti\n"
#define START		"rdtsc\n shl $32, %rdx\n or %rdx, %rax\n mov %rax, %r8\n"
/*
 * Stack, APIC (RDI) and I/O APIC (R12) addresses, the APIC enabled, the
 * PICs masked, then I/O APIC pin 0 (GSI 0) to the boot CPU with @entry
 * as the low half of its entry.
 */
#define SETUP(entry)	"mov $0x8000, %rsp\n" \
			"mov $0xfee00000, %edi\n" \
			"mov $0xfec00000, %r12d\n" \
			"movl $0x1ff, 0xf0(%rdi)\n" \
			OUTB(0x21, 0xff) \
			OUTB(0xa1, 0xff) \
			"movl $0x10, (%r12)\n movl " entry ", 0x10(%r12)\n" \
			"movl $0x11, (%r12)\n movl $0, 0x10(%r12)\n"
#define ELAPSED		"rdtsc\n shl $32, %rdx\n or %rdx, %rax\n sub %r8, %rax\n"

GUEST_CODE64(guest_code,
	     /* I/O APIC pin 0 (GSI 0): edge, vector 0x60. */
	     SETUP("$0x60")
	     "sti\n"
	     /* Counter 0, mode 2, every PERIOD ticks: five of them. */
	     START
	     OUTB(0x43, 0x34)
	     OUTB(0x40, 0x9c)
	     OUTB(0x40, 0x2e)
	     WAIT(5)
	     ELAPSED
	     "mov %rax, %rbx\n"
	     /*
	      * Mode 0, 1193 ticks (1 ms): one more, then none for RSI.  R9
	      * is the count when the periodic ticks stop; one of them may
	      * still wait in the APIC then.
	      */
	     "cli\n mov 0x9000, %r9d\n"
	     OUTB(0x43, 0x30)
	     OUTB(0x40, 0xa9)
	     OUTB(0x40, 0x04)
	     "sti\n lea 1(%r9), %r10d\n"
	     "5: cli\n cmp %r10d, 0x9000\n jae 6f\n sti\n hlt\n jmp 5b\n"
	     "6: sti\n"
	     START
	     "3: pause\n"
	     ELAPSED
	     "cmp %rsi, %rax\n"
	     "jb 3b\n"
	     "mov 0x9000, %ecx\n sub %r9d, %ecx\n"
	     SYNC
	     /* Counter 2, gated by port 0x61, mode 0 from 0xffff. */
	     OUTB(0x61, 0x01)
	     OUTB(0x43, 0xb0)
	     OUTB(0x42, 0xff)
	     OUTB(0x42, 0xff)
	     "in $0x61, %al\n"
	     "movzbl %al, %ebx\n"
	     "and $0x20, %ebx\n"
	     OUTB(0x43, 0x80)
	     "in $0x42, %al\n"
	     "movzbl %al, %ecx\n"
	     "in $0x42, %al\n"
	     "movzbl %al, %eax\n"
	     "shl $8, %eax\n"
	     "or %eax, %ecx\n"
	     SYNC
	     "4: in $0x61, %al\n"
	     "test $0x20, %al\n"
	     "jz 4b\n"
	     "mov $" KVM_STR(UCALL_DONE) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

GUEST_CODE64(guest_handler,
	     "lock incl 0x9000\n"
	     "movl $0, 0xb0(%rdi)\n"
	     "iretq\n");

/*
 * Wait with HLT for R13 ticks and report when they were in (RBX) and how
 * many (RCX).  The I/O APIC pin's entry is R15 until R14, when the pin
 * is unmasked; the first tick is held in service until RBP.  The times
 * are TSC ticks since just before the PIT starts.
 */
GUEST_CODE64(guest_reinject,
	     SETUP("%r15d")
	     START
	     OUTB(0x43, 0x34)
	     OUTB(0x40, 0x9c)
	     OUTB(0x40, 0x2e)
	     "sti\n"
	     "1: pause\n"
	     ELAPSED
	     "cmp %r14, %rax\n jb 1b\n"
	     "movl $0x10, (%r12)\n movl $0x60, 0x10(%r12)\n"
	     "2: cli\n cmp %r13d, 0x9000\n jae 3f\n sti\n hlt\n jmp 2b\n"
	     "3: mov 0x9000, %ecx\n"
	     ELAPSED
	     "mov %rax, %rbx\n"
	     OUTB(0x43, 0x30)
	     SYNC
	     "hlt\n");

GUEST_CODE64(guest_hold_handler,
	     "push %rax\n push %rdx\n"
	     "lock incl 0x9000\n"
	     "cmpl $1, 0x9000\n jne 2f\n"
	     "1: rdtsc\n shl $32, %rdx\n or %rdx, %rax\n sub %r8, %rax\n"
	     "cmp %rbp, %rax\n jb 1b\n"
	     "2: movl $0, 0xb0(%rdi)\n"
	     "pop %rdx\n pop %rax\n"
	     "iretq\n");

/*
 * In TSC ticks, when a guest in a VM of its own had @ticks ticks of the
 * PIT: its first tick is in service for @hold periods (and a half), or
 * the PIT's pin is masked for @masked periods (and a half).
 */
static uint64_t time_for_ticks(long khz, unsigned int ticks, bool reinject,
			       unsigned int hold, unsigned int masked)
{
	struct kvm_pit_config config = { .flags = KVM_PIT_SPEAKER_DUMMY };
	struct kvm_reinject_control rc = { .pit_reinject = reinject };
	uint64_t period = (uint64_t)PERIOD * 1000 * khz / 1193182;
	struct kvm_vcpu *vcpu;
	struct kvm_regs regs;
	struct kvm_vm *vm;
	struct ucall uc;
	uint8_t *mem;

	vm = vm_create();
	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0) &&
		     !ioctl(vm->fd, KVM_CREATE_PIT2, &config) &&
		     !ioctl(vm->fd, KVM_REINJECT_CONTROL, &rc),
		     "PIT: %s", strerror(errno));
	vcpu = vcpu_create(vm, 0);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_reinject,
			    GUEST_CODE_SIZE(guest_reinject));
	memcpy(mem + HANDLER, guest_hold_handler,
	       GUEST_CODE_SIZE(guest_hold_handler));
	vcpu_set_gate(mem, 0x60, HANDLER);
	vcpu_get_regs(vcpu, &regs);
	regs.r13 = ticks;
	regs.r14 = masked ? period * (2 * masked + 1) / 2 : 0;
	regs.r15 = masked ? 0x10060 : 0x60;
	regs.rbp = hold ? period * (2 * hold + 1) / 2 : 0;
	vcpu_set_regs(vcpu, &regs);
	vcpu_run_ucall(vcpu, &uc);
	TEST_REQUIRE(uc.cmd == UCALL_SYNC, "guest: ucall %lu",
		     (unsigned long)uc.cmd);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	return uc.args[0];
}

#define RELOAD_NS	200000000ULL	/* each reloading thread, 200 ms */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Reload counter 0 in mode 2 with count 1: it expires a tick later. */
static void *reload_counter(void *arg)
{
	struct kvm_vm *vm = arg;
	struct kvm_pit_state2 state;
	uint64_t end = now_ns() + RELOAD_NS;
	long failed = 0;

	memset(&state, 0, sizeof(state));
	state.channels[0].mode = 2;
	state.channels[0].count = 1;
	state.channels[0].rw_mode = 3;
	state.channels[0].read_state = 3;
	state.channels[0].write_state = 3;
	while (now_ns() < end)
		failed += !!ioctl(vm->fd, KVM_SET_PIT2, &state);
	return (void *)failed;
}

/* In a VM of its own, whose PIT keeps ticking until the VM goes. */
static bool reload_while_firing(void)
{
	struct kvm_pit_config config = { .flags = KVM_PIT_SPEAKER_DUMMY };
	struct kvm_vm *vm = vm_create();
	void *failed[2] = { NULL, NULL };
	pthread_t t[2];
	int i;

	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0) &&
		     !ioctl(vm->fd, KVM_CREATE_PIT2, &config),
		     "KVM_CREATE_PIT2: %s", strerror(errno));
	for (i = 0; i < 2; i++)
		TEST_REQUIRE(!pthread_create(&t[i], NULL, reload_counter, vm),
			     "pthread_create");
	for (i = 0; i < 2; i++)
		pthread_join(t[i], &failed[i]);
	vm_destroy(vm);
	return !failed[0] && !failed[1];
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_IRQCHIP, KVM_CAP_PIT2,
			KVM_CAP_PIT_STATE2 };
	struct kvm_pit_config config = { .flags = KVM_PIT_SPEAKER_DUMMY };
	struct kvm_pit_state2 state;
	struct kvm_regs regs;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	uint64_t want;
	uint64_t period, t, t_merge, t_reinject;
	uint8_t *mem;
	long khz;

	kvm_require_caps(kvm_fd, caps, 4);
	ksft_print_header();
	ksft_set_plan(13);

	vm = vm_create();
	ksft_test_result(ioctl(vm->fd, KVM_CREATE_PIT2, &config) == -1 &&
			 errno == ENOENT, "create_pit2_without_irqchip_enoent\n");
	ksft_test_result(ioctl(vm->fd, KVM_GET_PIT2, &state) == -1 &&
			 errno == ENXIO, "get_pit2_without_pit_enxio\n");
	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_PIT2, &config),
		     "KVM_CREATE_PIT2: %s", strerror(errno));
	ksft_test_result(ioctl(vm->fd, KVM_CREATE_PIT2, &config) == -1 &&
			 errno == EEXIST, "create_pit2_twice_eexist\n");
	ksft_test_result(reload_while_firing(),
			 "set_pit2_while_the_timer_fires\n");

	vcpu = vcpu_create(vm, 0);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	memcpy(mem + HANDLER, guest_handler, GUEST_CODE_SIZE(guest_handler));
	vcpu_set_gate(mem, 0x60, HANDLER);
	khz = ioctl(vcpu->fd, KVM_GET_TSC_KHZ, 0);
	TEST_REQUIRE(khz > 0, "KVM_GET_TSC_KHZ: %s", strerror(errno));
	/* The guest waits 20 ms for ticks that must not come. */
	vcpu_get_regs(vcpu, &regs);
	regs.rsi = 20 * khz;
	vcpu_set_regs(vcpu, &regs);

	vcpu_run_ucall(vcpu, &uc);
	want = 5ULL * PERIOD * 1000 * khz / 1193182;
	ksft_test_result(uc.args[0] >= want * 99 / 100 &&
			 uc.args[0] < want + 2000ULL * khz,
			 "rate_generator_five_ticks_on_time (%llu ticks, want %llu)\n",
			 (unsigned long long)uc.args[0],
			 (unsigned long long)want);
	/* The one-shot's tick, and maybe a periodic one still pending. */
	ksft_test_result(uc.args[1] == 1 || uc.args[1] == 2,
			 "one_shot_ticks_once (%llu)\n",
			 (unsigned long long)uc.args[1]);

	TEST_REQUIRE(!ioctl(vm->fd, KVM_GET_PIT2, &state),
		     "KVM_GET_PIT2: %s", strerror(errno));
	ksft_test_result(state.channels[0].mode == 0 &&
			 state.channels[0].count == 1193,
			 "get_pit2_shows_counter_0 (mode %u count %u)\n",
			 state.channels[0].mode, state.channels[0].count);

	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.args[0] == 0 && uc.args[1] < 0xffff,
			 "counter_2_counts_down (out %llu count %#llx)\n",
			 (unsigned long long)uc.args[0],
			 (unsigned long long)uc.args[1]);
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_DONE, "counter_2_output_rises\n");
	ksft_test_result(!ioctl(vm->fd, KVM_SET_PIT2, &state),
			 "set_pit2\n");

	vcpu_destroy(vcpu);
	vm_destroy(vm);

	/*
	 * Eighty ticks, the first in service for 12.5 periods.  Without
	 * reinjection the eleven missed merge into one, and the eightieth
	 * cannot come before 90 periods.  With it, they come after the EOI
	 * and the eightieth after 80 periods, as late as the host is slow to
	 * send them: compared with the first, in the same TSC periods (the
	 * TSC's rate may be a few percent off the PIT's).
	 */
	period = (uint64_t)PERIOD * 1000 * khz / 1193182;
	t_merge = time_for_ticks(khz, 80, false, 12, 0);
	t_reinject = time_for_ticks(khz, 80, true, 12, 0);
	ksft_test_result(t_merge >= 84 * period,
			 "no_reinject_merges_missed_ticks (%llu periods)\n",
			 (unsigned long long)(t_merge / period));
	ksft_test_result(t_reinject + 5 * period <= t_merge,
			 "reinject_ticks_missed_in_service (%llu periods)\n",
			 (unsigned long long)(t_reinject / period));
	/*
	 * Six ticks after 20.5 periods masked: no burst of old ones, which
	 * would end at 21 periods; 26 exactly.
	 */
	t = time_for_ticks(khz, 6, true, 0, 20);
	ksft_test_result(t >= 24 * period,
			 "reinject_forgets_masked_ticks (%llu periods)\n",
			 (unsigned long long)(t / period));
	ksft_finished();
}
