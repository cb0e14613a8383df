// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_CAP_SYNC_REGS: register sets in the run page.  KVM_RUN leaves the
 * sets asked for in kvm_valid_regs there, the same as the GET ioctls
 * give, and nothing else; it takes the sets marked in kvm_dirty_regs
 * (general registers, the APIC base in the special registers, an NMI in
 * the events, each seen by the guest or userspace) and clears the marks;
 * unknown bits and bad sets are -EINVAL, and the guest does not run --
 * also when another thread rewrites the page while KVM_RUN reads it.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define NMI_HANDLER	0x800
#define MEM_SIZE	0x10000
#define MSR_IA32_APICBASE 0x1b
#define ALL_SETS	(KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS | \
			 KVM_SYNC_X86_EVENTS)

/* A checkpoint after another, BX counting them. */
GUEST_CODE16(guest_code,
	     "xorw %ax, %ax\n"
	     "movw %ax, %ss\n"
	     "movw $0x8000, %sp\n"
	     "xorl %ebx, %ebx\n"
	     "1: incl %ebx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "jmp 1b\n");

/* The NMI reports CX = 0x4e4d, then returns to the loop. */
GUEST_CODE16(guest_nmi_handler,
	     "pushw %cx\n"
	     "movw $0x4e4d, %cx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "popw %cx\n"
	     "iretw\n");

static struct kvm_vcpu *vcpu;

/* KVM_RUN; the errno, or 0 with the guest's next checkpoint. */
static int run(void)
{
	struct ucall uc;

	if (vcpu_run(vcpu))
		return errno;
	TEST_REQUIRE(vcpu_exit_ucall(vcpu, &uc) && uc.cmd == UCALL_SYNC,
		     "exit %s", exit_reason_str(vcpu->run->exit_reason));
	return 0;
}

static uint64_t rbx(void)
{
	struct kvm_regs regs;

	vcpu_get_regs(vcpu, &regs);
	return regs.rbx;
}

static bool same_as_ioctls(void)
{
	struct kvm_run *r = vcpu->run;
	struct kvm_vcpu_events events;
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	vcpu_get_regs(vcpu, &regs);
	vcpu_get_sregs(vcpu, &sregs);
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &events),
		     "KVM_GET_VCPU_EVENTS: %s", strerror(errno));
	return !memcmp(&regs, &r->s.regs.regs, sizeof(regs)) &&
	       !memcmp(&sregs, &r->s.regs.sregs, sizeof(sregs)) &&
	       !memcmp(&events, &r->s.regs.events, sizeof(events));
}

static void test_bad_fields(void)
{
	struct kvm_run *r = vcpu->run;
	uint64_t before = rbx();
	int e1, e2;

	r->kvm_valid_regs = ALL_SETS | 0x8;
	e1 = run();
	r->kvm_valid_regs = 0;
	r->kvm_dirty_regs = 1ULL << 31;
	e2 = run();
	r->kvm_dirty_regs = 0;
	ksft_test_result(e1 == EINVAL && e2 == EINVAL && rbx() == before,
			 "unknown_bits_einval\n");
}

static void test_valid(void)
{
	struct kvm_run *r = vcpu->run;

	r->kvm_valid_regs = ALL_SETS;
	ksft_test_result(!run() && same_as_ioctls(), "valid_sets_as_ioctls\n");

	r->kvm_valid_regs = 0;
	r->s.regs.regs.rbx = 0xaaaa;
	ksft_test_result(!run() && r->s.regs.regs.rbx == 0xaaaa &&
			 rbx() != 0xaaaa + 1, "no_valid_sets_untouched\n");
}

static void test_dirty(void)
{
	struct kvm_run *r = vcpu->run;
	uint64_t base = 0;

	r->kvm_valid_regs = ALL_SETS;
	TEST_REQUIRE(!run(), "KVM_RUN");
	r->s.regs.regs.rbx = 0x1000;
	r->kvm_dirty_regs = KVM_SYNC_X86_REGS;
	ksft_test_result(!run() && r->s.regs.regs.rbx == 0x1001 &&
			 rbx() == 0x1001 && r->kvm_dirty_regs == 0,
			 "dirty_regs_taken_and_cleared\n");

	/* Not marked dirty: the page's value is not taken. */
	r->s.regs.regs.rbx = 0x2000;
	ksft_test_result(!run() && rbx() == 0x1002,
			 "unmarked_regs_ignored\n");

	r->s.regs.sregs.apic_base = 0xfe000000 | 1 << 11 | 1 << 8;
	r->kvm_dirty_regs = KVM_SYNC_X86_SREGS;
	ksft_test_result(!run() &&
			 kvm_get_msr(vcpu->fd, MSR_IA32_APICBASE, &base) == 1 &&
			 base == (0xfe000000 | 1 << 11 | 1 << 8) &&
			 r->s.regs.sregs.apic_base == base,
			 "dirty_sregs_taken (%#llx)\n", (unsigned long long)base);

	memset(&r->s.regs.events, 0, sizeof(r->s.regs.events));
	r->s.regs.events.nmi.pending = 1;
	r->s.regs.events.flags = KVM_VCPUEVENT_VALID_NMI_PENDING;
	r->kvm_dirty_regs = KVM_SYNC_X86_EVENTS;
	ksft_test_result(!run() && r->s.regs.regs.rcx == 0x4e4d,
			 "dirty_events_nmi_delivered\n");
	TEST_REQUIRE(!run(), "KVM_RUN");
}

static void test_dirty_bad(void)
{
	struct kvm_run *r = vcpu->run;
	uint64_t before;
	int e1, e2;

	r->kvm_valid_regs = ALL_SETS;
	TEST_REQUIRE(!run(), "KVM_RUN");
	r->kvm_valid_regs = 0;
	before = rbx();
	/* Paging without protection. */
	r->s.regs.sregs.cr0 |= 0x80000000;
	r->kvm_dirty_regs = KVM_SYNC_X86_SREGS;
	e1 = run();
	r->s.regs.sregs.cr0 &= ~0x80000000ULL;
	memset(&r->s.regs.events, 0, sizeof(r->s.regs.events));
	r->s.regs.events.exception.injected = 1;
	r->s.regs.events.exception.nr = 255;
	r->kvm_dirty_regs = KVM_SYNC_X86_EVENTS;
	e2 = run();
	r->kvm_dirty_regs = 0;
	ksft_test_result(e1 == EINVAL && e2 == EINVAL && rbx() == before,
			 "bad_dirty_sets_einval\n");
}

static bool racing;

/* Flip CR0 in the page between its value and one without PE but PG. */
static void *race_cr0(void *arg)
{
	struct kvm_run *r = vcpu->run;
	uint64_t good = r->s.regs.sregs.cr0, bad = good | 0x80000000;

	while (__atomic_load_n(&racing, __ATOMIC_RELAXED)) {
		__atomic_store_n(&r->kvm_dirty_regs, KVM_SYNC_X86_SREGS,
				 __ATOMIC_RELAXED);
		__atomic_store_n(&r->s.regs.sregs.cr0, bad, __ATOMIC_RELAXED);
		__atomic_store_n(&r->s.regs.sregs.cr0, good, __ATOMIC_RELAXED);
	}
	return NULL;
}

/*
 * While another thread flips the page's CR0, KVM_RUN either runs the
 * guest with a good CR0 or fails with -EINVAL -- never runs it with the
 * bad one (which would not get to the next checkpoint).
 */
static void test_race(void)
{
	struct kvm_run *r = vcpu->run;
	unsigned int ran = 0, refused = 0, other = 0;
	struct kvm_sregs sregs;
	pthread_t thread;
	time_t end;

	r->kvm_valid_regs = 0;
	vcpu_get_sregs(vcpu, &sregs);
	r->s.regs.sregs = sregs;
	__atomic_store_n(&racing, true, __ATOMIC_RELAXED);
	TEST_REQUIRE(!pthread_create(&thread, NULL, race_cr0, NULL),
		     "pthread_create");
	for (end = time(NULL) + 2; time(NULL) < end;) {
		int e = run();

		if (!e)
			ran++;
		else if (e == EINVAL)
			refused++;
		else
			other++;
	}
	__atomic_store_n(&racing, false, __ATOMIC_RELAXED);
	pthread_join(thread, NULL);
	r->kvm_dirty_regs = 0;
	vcpu_get_sregs(vcpu, &sregs);
	ksft_test_result(ran && !other && !(sregs.cr0 & 0x80000000),
			 "racing_writer (%u runs, %u refused)\n", ran, refused);
}

int main(void)
{
	static const long caps[] = { KVM_CAP_USER_MEMORY };
	uint16_t *ivt;
	struct kvm_vm *vm;
	uint8_t *mem;
	int kvm_fd;

	ksft_print_header();
	kvm_fd = kvm_open_dev();
	kvm_require_caps(kvm_fd, caps, 1);
	ksft_set_plan(10);
	ksft_test_result(kvm_check_cap(kvm_fd, KVM_CAP_SYNC_REGS) == ALL_SETS,
			 "cap_answers_the_sets\n");

	vm = vm_create();
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu = vcpu_create(vm, 0);
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	memcpy(mem + NMI_HANDLER, guest_nmi_handler,
	       GUEST_CODE_SIZE(guest_nmi_handler));
	ivt = (uint16_t *)mem;
	ivt[2 * 2] = NMI_HANDLER;
	ivt[2 * 2 + 1] = 0;
	TEST_REQUIRE(!run(), "KVM_RUN");

	test_bad_fields();
	test_valid();
	test_dirty();
	test_dirty_bad();
	test_race();

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	close(kvm_fd);
	ksft_finished();
}
