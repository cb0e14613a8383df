// SPDX-License-Identifier: GPL-2.0-only
/*
 * Events for the guest.  Interrupts from a userspace interrupt
 * controller: the run page's
 * if_flag, ready_for_interrupt_injection, cr8 and apic_base,
 * request_interrupt_window and KVM_EXIT_IRQ_WINDOW_OPEN, and KVM_INTERRUPT
 * delivering a vector to a real-mode guest -- whose interrupt vector
 * table is touched for the first time by that delivery, so the exit on
 * the way (a nested page fault or EPT violation) makes the interrupt be
 * delivered again after it.  And KVM_GET/SET_VCPU_EVENTS: what they
 * report, what they refuse, and an exception set with them that the guest
 * takes.  And an exception the guest cannot deliver, which ends in a
 * triple fault: KVM_EXIT_SHUTDOWN; and a triple fault set with
 * KVM_CAP_X86_TRIPLE_FAULT_EVENT.  With KVM_CAP_EXCEPTION_PAYLOAD, a
 * pending #PF with its address as payload: reported as pending, and
 * delivered with the address in CR2.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define HANDLER_GPA	0x800
#define UD_HANDLER_GPA	0x880
#define UD_VECTOR	6
#define CODE_GPA	0x1000
#define MEM_SIZE	0x10000
#define VECTOR		0x20

/*
 * With interrupts off, report; then turn them on and wait until the
 * handler has put its vector in SI; report it.
 */
GUEST_CODE16(guest_code,
	     "xorw %ax, %ax\n"
	     "movw %ax, %ss\n"
	     "movw $0x8000, %sp\n"
	     "xorw %di, %di\n"
	     "cli\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "xorw %si, %si\n"
	     "sti\n"
	     "1: cmpw $0, %si\n"
	     "je 1b\n"
	     "movzwl %si, %ebx\n"
	     "movzwl %di, %ecx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "movb $" KVM_STR(UCALL_DONE) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

GUEST_CODE16(guest_handler,
	     "movw $" KVM_STR(VECTOR) ", %si\n"
	     "iretw\n");

/* For the #UD userspace injects with KVM_SET_VCPU_EVENTS. */
GUEST_CODE16(guest_ud_handler,
	     "movw $6, %di\n"
	     "iretw\n");

static int interrupt(struct kvm_vcpu *vcpu, unsigned int irq)
{
	struct kvm_interrupt i = { .irq = irq };

	return ioctl(vcpu->fd, KVM_INTERRUPT, &i) ? errno : 0;
}

static bool get_events(struct kvm_vcpu *vcpu, struct kvm_vcpu_events *ev)
{
	return !ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, ev);
}

/*
 * KVM_GET/SET_VCPU_EVENTS with nothing pending, their refusals, and a
 * #UD for the guest to take at the next entry.
 */
static void test_vcpu_events(struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu_events ev, bad;

	ksft_test_result(get_events(vcpu, &ev) &&
			 (ev.flags & KVM_VCPUEVENT_VALID_SHADOW) &&
			 !ev.exception.injected && !ev.interrupt.injected &&
			 !ev.nmi.pending && !ev.interrupt.shadow,
			 "events_empty_after_a_ucall\n");
	ksft_test_result(!ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev),
			 "events_set_back\n");
	bad = ev;
	bad.flags |= 0x80000000;
	ksft_test_result(ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &bad) == -1 &&
			 errno == EINVAL, "events_unknown_flag_einval\n");
	bad = ev;
	bad.exception.injected = 1;
	bad.exception.nr = 2;
	ksft_test_result(ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &bad) == -1 &&
			 errno == EINVAL, "events_nmi_as_exception_einval\n");
	bad.exception.nr = 32;
	ksft_test_result(ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &bad) == -1 &&
			 errno == EINVAL, "events_vector_32_as_exception_einval\n");

	ev.exception.injected = 1;
	ev.exception.nr = UD_VECTOR;
	ev.exception.has_error_code = 0;
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev),
		     "KVM_SET_VCPU_EVENTS");
	ksft_test_result(get_events(vcpu, &ev) && ev.exception.injected &&
			 ev.exception.nr == UD_VECTOR,
			 "events_report_the_set_exception\n");
}

/* An empty IDT: #UD, then #GP, then #DF cannot be delivered either. */
GUEST_CODE16(guest_triple_fault,
	     "lidt " KVM_STR(CODE_GPA) " + (idt_empty - guest_triple_fault)\n"
	     "ud2\n"
	     "idt_empty: .word 0\n"
	     ".long 0\n");

static void test_triple_fault(void)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *vcpu = vcpu_create(vm, 0);
	void *mem = vm_add_memory(vm, 0, MEM_SIZE);

	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_triple_fault,
			    GUEST_CODE_SIZE(guest_triple_fault));
	ksft_test_result(!vcpu_run(vcpu) &&
			 vcpu->run->exit_reason == KVM_EXIT_SHUTDOWN,
			 "triple_fault_is_shutdown (exit %s)\n",
			 exit_reason_str(vcpu->run->exit_reason));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/*
 * KVM_CAP_X86_TRIPLE_FAULT_EVENT: without it, a triple fault in
 * KVM_SET_VCPU_EVENTS is refused; with it, one set is reported pending
 * until the next KVM_RUN, which ends in KVM_EXIT_SHUTDOWN before the
 * guest runs.
 */
static void test_triple_fault_event(int kvm_fd)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *vcpu = vcpu_create(vm, 0);
	void *mem = vm_add_memory(vm, 0, MEM_SIZE);
	struct kvm_vcpu_events ev;
	bool ok;

	if (kvm_check_cap(kvm_fd, KVM_CAP_X86_TRIPLE_FAULT_EVENT) <= 0) {
		ksft_test_result_skip("triple_fault_event_without_cap_einval\n");
		ksft_test_result_skip("triple_fault_event_pending\n");
		ksft_test_result_skip("triple_fault_event_is_shutdown\n");
		goto out;
	}
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	TEST_REQUIRE(get_events(vcpu, &ev), "KVM_GET_VCPU_EVENTS");
	ev.flags |= KVM_VCPUEVENT_VALID_TRIPLE_FAULT;
	ev.triple_fault.pending = 1;
	ksft_test_result(ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev) == -1 &&
			 errno == EINVAL,
			 "triple_fault_event_without_cap_einval\n");
	TEST_REQUIRE(!vm_enable_cap(vm, KVM_CAP_X86_TRIPLE_FAULT_EVENT, 0, 1),
		     "KVM_CAP_X86_TRIPLE_FAULT_EVENT");
	ok = !ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev);
	memset(&ev, 0, sizeof(ev));
	ok = ok && get_events(vcpu, &ev);
	ksft_test_result(ok && (ev.flags & KVM_VCPUEVENT_VALID_TRIPLE_FAULT) &&
			 ev.triple_fault.pending,
			 "triple_fault_event_pending\n");
	ok = !vcpu_run(vcpu) && vcpu->run->exit_reason == KVM_EXIT_SHUTDOWN;
	ksft_test_result(ok && get_events(vcpu, &ev) &&
			 !ev.triple_fault.pending,
			 "triple_fault_event_is_shutdown (exit %s)\n",
			 exit_reason_str(vcpu->run->exit_reason));
out:
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

GUEST_CODE64(guest_nothing, "hlt\n");

/*
 * KVM_CAP_EXCEPTION_PAYLOAD: without it, KVM_VCPUEVENT_VALID_PAYLOAD is
 * refused; with it, a pending #PF keeps its payload until the guest takes
 * it, which sets CR2 to the payload then.
 */
static void test_exception_payload(int kvm_fd)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *vcpu = vcpu_create(vm, 0);
	void *mem = vm_add_memory(vm, 0, MEM_SIZE);
	const uint64_t address = 0xdead5000;
	struct kvm_vcpu_events ev;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct ucall uc;
	bool ok;

	if (kvm_check_cap(kvm_fd, KVM_CAP_EXCEPTION_PAYLOAD) <= 0) {
		ksft_test_result_skip("exception_payload_without_cap_einval\n");
		ksft_test_result_skip("pending_exception_with_payload\n");
		ksft_test_result_skip("pending_pf_payload_is_cr2\n");
		goto out;
	}
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_nothing,
			    GUEST_CODE_SIZE(guest_nothing));
	/* A stack for the exception handler, which runs first. */
	vcpu_get_regs(vcpu, &regs);
	regs.rsp = 0x8000;
	vcpu_set_regs(vcpu, &regs);
	TEST_REQUIRE(get_events(vcpu, &ev), "KVM_GET_VCPU_EVENTS");
	ev.flags = KVM_VCPUEVENT_VALID_PAYLOAD;
	ev.exception.pending = 1;
	ev.exception.injected = 0;
	ev.exception.nr = 14;
	ev.exception.has_error_code = 1;
	ev.exception.error_code = 2;
	ev.exception_has_payload = 1;
	ev.exception_payload = address;
	ksft_test_result(ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev) == -1 &&
			 errno == EINVAL,
			 "exception_payload_without_cap_einval\n");
	TEST_REQUIRE(!vm_enable_cap(vm, KVM_CAP_EXCEPTION_PAYLOAD, 0, 1),
		     "KVM_CAP_EXCEPTION_PAYLOAD");
	ok = !ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev);
	memset(&ev, 0, sizeof(ev));
	ok = ok && get_events(vcpu, &ev);
	ksft_test_result(ok && (ev.flags & KVM_VCPUEVENT_VALID_PAYLOAD) &&
			 ev.exception.pending && !ev.exception.injected &&
			 ev.exception.nr == 14 && ev.exception_has_payload &&
			 ev.exception_payload == address,
			 "pending_exception_with_payload\n");
	ok = !vcpu_run(vcpu) && vcpu_exit_ucall(vcpu, &uc) &&
	     uc.cmd == UCALL_EXCEPTION && uc.args[0] == 14;
	vcpu_get_sregs(vcpu, &sregs);
	ksft_test_result(ok && sregs.cr2 == address,
			 "pending_pf_payload_is_cr2 (cr2 %#llx)\n",
			 (unsigned long long)sregs.cr2);
out:
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

int main(void)
{
	static const long caps[] = { KVM_CAP_USER_MEMORY };
	struct kvm_vcpu_events ev;
	struct kvm_vcpu *vcpu;
	struct kvm_sregs sregs;
	struct kvm_run *run;
	struct kvm_vm *vm;
	struct ucall uc;
	uint16_t *ivt;
	void *mem;
	int fd, r;

	ksft_print_header();
	fd = kvm_open_dev();
	kvm_require_caps(fd, caps, 1);
	ksft_set_plan(19 + 1 + 3 + 3);

	vm = vm_create();
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu = vcpu_create(vm, 0);
	run = vcpu->run;
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	memcpy((char *)mem + HANDLER_GPA, guest_handler,
	       GUEST_CODE_SIZE(guest_handler));
	memcpy((char *)mem + UD_HANDLER_GPA, guest_ud_handler,
	       GUEST_CODE_SIZE(guest_ud_handler));
	ivt = mem;
	ivt[VECTOR * 2] = HANDLER_GPA;
	ivt[VECTOR * 2 + 1] = 0;
	ivt[UD_VECTOR * 2] = UD_HANDLER_GPA;
	ivt[UD_VECTOR * 2 + 1] = 0;

	/* The guest's task priority comes from the run page. */
	run->cr8 = 7;
	vcpu_run_ucall(vcpu, &uc);
	vcpu_get_sregs(vcpu, &sregs);
	ksft_test_result(!run->if_flag && !run->ready_for_interrupt_injection,
			 "interrupts_off_not_ready\n");
	ksft_test_result(sregs.cr8 == 7 && run->cr8 == 7 &&
			 run->apic_base == 0xfee00900,
			 "run_page_cr8_and_apic_base\n");
	run->cr8 = 16;
	r = vcpu_run(vcpu);
	ksft_test_result(r == -1 && errno == EINVAL, "bad_cr8_einval\n");
	run->cr8 = 0;

	test_vcpu_events(vcpu);

	/* The guest runs until it turns interrupts on. */
	run->request_interrupt_window = 1;
	r = vcpu_run(vcpu);
	ksft_test_result(!r && run->exit_reason == KVM_EXIT_IRQ_WINDOW_OPEN &&
			 run->if_flag && run->ready_for_interrupt_injection,
			 "window_opens_when_the_guest_sets_if (%s)\n",
			 exit_reason_str(run->exit_reason));
	r = vcpu_run(vcpu);
	ksft_test_result(!r && run->exit_reason == KVM_EXIT_IRQ_WINDOW_OPEN,
			 "window_stays_open\n");
	run->request_interrupt_window = 0;

	ksft_test_result(interrupt(vcpu, 256) == EINVAL, "vector_256_einval\n");
	ksft_test_result(interrupt(vcpu, VECTOR) == 0, "interrupt_queued\n");
	ksft_test_result(interrupt(vcpu, VECTOR + 1) == 0 &&
			 interrupt(vcpu, VECTOR) == 0,
			 "a_later_interrupt_replaces_the_queued_one\n");
	ksft_test_result(get_events(vcpu, &ev) && ev.interrupt.injected &&
			 ev.interrupt.nr == VECTOR && !ev.interrupt.soft,
			 "events_report_the_queued_interrupt\n");

	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == VECTOR,
			 "guest_handler_ran (%#llx)\n",
			 (unsigned long long)uc.args[0]);
	ksft_test_result((uc.args[1] & 0xffff) == UD_VECTOR,
			 "guest_took_the_exception_set_with_vcpu_events\n");
	ksft_test_result(interrupt(vcpu, VECTOR) == 0,
			 "delivered_interrupt_frees_the_slot\n");
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_DONE, "guest_done\n");

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	test_triple_fault();
	test_triple_fault_event(fd);
	test_exception_payload(fd);
	close(fd);
	ksft_finished();
}
