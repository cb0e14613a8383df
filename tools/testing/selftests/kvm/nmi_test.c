// SPDX-License-Identifier: GPL-2.0-only
/*
 * NMIs from userspace: KVM_NMI delivers one to a real-mode guest; while
 * its handler runs (until the handler's IRET) further NMIs are blocked
 * and only one of them is latched; KVM_GET/SET_VCPU_EVENTS report and
 * change the latched NMIs and the blocking.
 *
 * The handler counts NMIs in SI, notes a nested entry in BP and reports
 * from inside with CX = 0x100; the main loop reports the count and the
 * nesting note over and over (a tick).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define HANDLER_GPA	0x800
#define CODE_GPA	0x1000
#define MEM_SIZE	0x10000
#define NMI_VECTOR	2
#define IN_HANDLER	0x100

GUEST_CODE16(guest_code,
	     "xorw %ax, %ax\n"
	     "movw %ax, %ss\n"
	     "movw $0x8000, %sp\n"
	     "xorw %si, %si\n"
	     "xorw %di, %di\n"
	     "xorw %bp, %bp\n"
	     "1: movzwl %si, %ebx\n"
	     "movzwl %bp, %ecx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "jmp 1b\n");

GUEST_CODE16(guest_nmi_handler,
	     "incw %si\n"
	     "cmpw $0, %di\n"
	     "je 1f\n"
	     "movw $1, %bp\n"
	     "1: movw $1, %di\n"
	     "movzwl %si, %ebx\n"
	     "movl $" KVM_STR(IN_HANDLER) ", %ecx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "xorw %di, %di\n"
	     "iretw\n");

static struct kvm_vcpu_events get_events(struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu_events ev;

	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &ev),
		     "KVM_GET_VCPU_EVENTS: %s", strerror(errno));
	return ev;
}

static void set_events(struct kvm_vcpu *vcpu, struct kvm_vcpu_events *ev)
{
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, ev),
		     "KVM_SET_VCPU_EVENTS: %s", strerror(errno));
}

static void nmi(struct kvm_vcpu *vcpu)
{
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_NMI), "KVM_NMI: %s", strerror(errno));
}

/* Run to the next report; true if it came from the NMI handler. */
static bool run(struct kvm_vcpu *vcpu, uint64_t *count, uint64_t *nested)
{
	struct ucall uc;

	TEST_REQUIRE(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC, "ucall %d",
		     uc.cmd);
	*count = uc.args[0];
	*nested = uc.args[1] == IN_HANDLER ? 0 : uc.args[1];
	return uc.args[1] == IN_HANDLER;
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_VCPU_EVENTS };
	uint64_t count, nested;
	struct kvm_vcpu_events ev;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint16_t *ivt;
	uint8_t *mem;
	bool handler;

	kvm_require_caps(kvm_fd, caps, 2);
	ksft_print_header();
	ksft_set_plan(9);

	ksft_test_result(kvm_check_cap(kvm_fd, KVM_CAP_USER_NMI) == 1,
			 "cap_user_nmi\n");

	vm = vm_create();
	vcpu = vcpu_create(vm, 0);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	memcpy(mem + HANDLER_GPA, guest_nmi_handler,
	       GUEST_CODE_SIZE(guest_nmi_handler));
	ivt = (uint16_t *)mem;
	ivt[NMI_VECTOR * 2] = HANDLER_GPA;
	ivt[NMI_VECTOR * 2 + 1] = 0;
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));

	/* A tick, then one NMI: latched, then handled. */
	handler = run(vcpu, &count, &nested);
	ev = get_events(vcpu);
	ksft_test_result(!handler && !count && !ev.nmi.pending &&
			 !ev.nmi.masked && !ev.nmi.injected,
			 "no_nmi_at_start\n");
	nmi(vcpu);
	ev = get_events(vcpu);
	ksft_test_result(ev.nmi.pending == 1 && !ev.nmi.masked,
			 "kvm_nmi_latched\n");
	handler = run(vcpu, &count, &nested);
	ev = get_events(vcpu);
	ksft_test_result(handler && count == 1 && ev.nmi.masked &&
			 !ev.nmi.pending, "nmi_delivered_and_blocks\n");

	/* Two more while the handler runs: one waits, one is lost. */
	nmi(vcpu);
	nmi(vcpu);
	ev = get_events(vcpu);
	ksft_test_result(ev.nmi.pending == 1, "one_nmi_latched_while_blocked\n");
	handler = run(vcpu, &count, &nested);
	ksft_test_result(handler && count == 2 && !nested,
			 "latched_nmi_after_iret_not_nested\n");
	handler = run(vcpu, &count, &nested);
	ev = get_events(vcpu);
	ksft_test_result(!handler && count == 2 && !nested && !ev.nmi.masked &&
			 !ev.nmi.pending, "third_nmi_lost\n");

	/* Blocked by KVM_SET_VCPU_EVENTS: waits until unblocked. */
	ev.flags = KVM_VCPUEVENT_VALID_NMI_PENDING;
	ev.nmi.pending = 1;
	ev.nmi.masked = 1;
	set_events(vcpu, &ev);
	handler = run(vcpu, &count, &nested);
	ev = get_events(vcpu);
	ksft_test_result(!handler && count == 2 && ev.nmi.pending == 1 &&
			 ev.nmi.masked, "set_vcpu_events_blocks_nmi\n");
	ev.flags = 0;
	ev.nmi.masked = 0;
	set_events(vcpu, &ev);
	handler = run(vcpu, &count, &nested);
	ksft_test_result(handler && count == 3,
			 "set_vcpu_events_unblocks_nmi\n");

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_finished();
}
