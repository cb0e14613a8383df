// SPDX-License-Identifier: GPL-2.0-only
/*
 * The split irqchip (KVM_CAP_SPLIT_IRQCHIP): local APICs in the kernel,
 * PIC and I/O APIC in userspace.  A 64-bit guest takes an edge MSI from
 * KVM_SIGNAL_MSI; a level-triggered MSI routed to a GSI of userspace's
 * I/O APIC and raised with KVM_IRQ_LINE, whose EOI goes to userspace as
 * KVM_EXIT_IOAPIC_EOI with its vector; and an ExtINT given with
 * KVM_INTERRUPT, through LINT0, also in the interrupt window userspace
 * asks for.  That window stays shut while the guest masks LINT0, as a
 * guest does when it leaves virtual wire mode for the I/O APIC while
 * QEMU still asks for a window for its PIC.  And what the split irqchip
 * refuses: enabling it twice, after a vCPU, the full irqchip on top of
 * it, routes to in-kernel pins, a second KVM_INTERRUPT before the first
 * is taken.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define HANDLERS	0x3000
#define COUNT		0x9000
#define MEM_SIZE	0x10000

#define SYNC		"mov $" KVM_STR(UCALL_SYNC) ", %al\n" \
			"out %al, $" KVM_STR(UCALL_PORT) "\n"
#define WAIT(c, n)	"1: cli\n cmpl $" #n ", 0x9000 + 4 * " #c "\n" \
			"je 2f\n sti\n hlt\n jmp 1b\n 2: sti\n"

GUEST_CODE64(guest_code,
	     "mov $0x8000, %rsp\n"
	     "mov $0xfee00000, %edi\n"
	     "movl $0x1ff, 0xf0(%rdi)\n"
	     "sti\n"
	     SYNC
	     WAIT(0, 1)
	     SYNC
	     WAIT(1, 1)
	     SYNC
	     WAIT(2, 1)
	     "movl $0x10700, 0x350(%rdi)\n"
	     SYNC
	     "mov $100000, %ecx\n"
	     "3: dec %ecx\n jnz 3b\n"
	     SYNC
	     "movl $0x700, 0x350(%rdi)\n"
	     "mov $100000, %ecx\n"
	     "4: dec %ecx\n jnz 4b\n"
	     WAIT(2, 2)
	     "mov $" KVM_STR(UCALL_DONE) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

/* Count in the counter patched in, EOI at the local APIC. */
GUEST_CODE64(guest_handler,
	     "push %rax\n"
	     "mov $0, %eax\n"
	     "lock incl (%rax)\n"
	     "movl $0, 0xb0(%rdi)\n"
	     "pop %rax\n"
	     "iretq\n");

static void irq_line(struct kvm_vm *vm, unsigned int gsi, int level)
{
	struct kvm_irq_level line = { .irq = gsi, .level = level };

	TEST_REQUIRE(!ioctl(vm->fd, KVM_IRQ_LINE, &line), "KVM_IRQ_LINE: %s",
		     strerror(errno));
}

static void ignore_signal(int sig)
{
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_SPLIT_IRQCHIP,
			KVM_CAP_SIGNAL_MSI };
	struct kvm_msi msi = { .address_lo = 0xfee00000 };
	struct kvm_interrupt irq = { .irq = 0x62 };
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e;
	} routes = {
		.r.nr = 1,
		.e.type = KVM_IRQ_ROUTING_IRQCHIP,
		.e.u.irqchip = { .irqchip = KVM_IRQCHIP_IOAPIC, .pin = 1 },
	};
	struct sigaction on_alarm = { .sa_handler = ignore_signal };
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm, *vm2;
	struct kvm_run *run;
	struct ucall uc;
	uint32_t *count;
	uint8_t *mem;
	int v, ret;

	kvm_require_caps(kvm_fd, caps, 3);
	ksft_print_header();
	ksft_set_plan(13);
	sigaction(SIGALRM, &on_alarm, NULL);

	vm = vm_create();
	ksft_test_result(!vm_enable_cap(vm, KVM_CAP_SPLIT_IRQCHIP, 0, 24) &&
			 vm_enable_cap(vm, KVM_CAP_SPLIT_IRQCHIP, 0, 24) == EEXIST &&
			 ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0) == -1 &&
			 errno == EEXIST, "split_once_and_no_full_irqchip\n");
	vm2 = vm_create();
	vcpu = vcpu_create(vm2, 0);
	ksft_test_result(vm_enable_cap(vm2, KVM_CAP_SPLIT_IRQCHIP, 0, 24) == EEXIST,
			 "split_after_vcpu_eexist\n");
	vcpu_destroy(vcpu);
	vm_destroy(vm2);
	vm2 = vm_create();
	ksft_test_result(vm_enable_cap(vm2, KVM_CAP_SPLIT_IRQCHIP, 0, 4097) ==
			 EINVAL,
			 "split_more_pins_than_gsis_einval\n");
	vm_destroy(vm2);
	ksft_test_result(ioctl(vm->fd, KVM_SET_GSI_ROUTING, &routes) == -1 &&
			 errno == EINVAL, "split_routes_to_pins_einval\n");

	vcpu = vcpu_create(vm, 0);
	run = vcpu->run;
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	count = (uint32_t *)(mem + COUNT);
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	for (v = 0; v < 3; v++) {
		uint32_t counter = COUNT + 4 * v;
		uint8_t *p = mem + HANDLERS + 0x20 * v;

		memcpy(p, guest_handler, GUEST_CODE_SIZE(guest_handler));
		memcpy(p + 2, &counter, 4);
		vcpu_set_gate(mem, 0x60 + v, HANDLERS + 0x20 * v);
	}

	vcpu_run_ucall(vcpu, &uc);
	msi.data = 0x60;
	ksft_test_result(ioctl(vm->fd, KVM_SIGNAL_MSI, &msi) == 1,
			 "split_signal_msi\n");
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(count[0] == 1, "split_edge_msi_taken\n");

	/*
	 * Pin 5 of userspace's I/O APIC, level triggered: an MSI route of
	 * GSI 5 with the trigger mode bit.  Its EOI exits.
	 */
	routes.e.gsi = 5;
	routes.e.type = KVM_IRQ_ROUTING_MSI;
	routes.e.u.msi.address_lo = 0xfee00000;
	routes.e.u.msi.data = 0x8061;
	TEST_REQUIRE(!ioctl(vm->fd, KVM_SET_GSI_ROUTING, &routes),
		     "KVM_SET_GSI_ROUTING: %s", strerror(errno));
	irq_line(vm, 5, 1);
	irq_line(vm, 5, 0);
	ksft_test_result(!vcpu_run(vcpu) &&
			 vcpu->run->exit_reason == KVM_EXIT_IOAPIC_EOI &&
			 vcpu->run->eoi.vector == 0x61 && count[1] == 1,
			 "split_level_eoi_exits (%s)\n",
			 exit_reason_str(vcpu->run->exit_reason));
	vcpu_run_ucall(vcpu, &uc);

	/* An ExtINT from userspace's PIC; one at a time. */
	ksft_test_result(!ioctl(vcpu->fd, KVM_INTERRUPT, &irq) &&
			 ioctl(vcpu->fd, KVM_INTERRUPT, &irq) == -1 &&
			 errno == EEXIST, "split_kvm_interrupt_one_at_a_time\n");
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && count[2] == 1,
			 "split_extint_taken\n");

	/*
	 * The guest masked LINT0: userspace's PIC cannot reach it, so asking
	 * for an interrupt window gives nothing, and the guest runs on (an
	 * alarm ends KVM_RUN if it does not).
	 */
	run->request_interrupt_window = 1;
	alarm(10);
	ret = vcpu_run(vcpu);
	alarm(0);
	ksft_test_result(!ret && vcpu_exit_ucall(vcpu, &uc) &&
			 uc.cmd == UCALL_SYNC &&
			 !run->ready_for_interrupt_injection,
			 "split_no_window_while_lint0_masked (%s)\n",
			 ret ? strerror(errno) :
			 exit_reason_str(run->exit_reason));

	/* LINT0 takes ExtINTs again: the window opens. */
	ret = vcpu_run(vcpu);
	ksft_test_result(!ret && run->exit_reason == KVM_EXIT_IRQ_WINDOW_OPEN &&
			 run->ready_for_interrupt_injection && run->if_flag,
			 "split_window_opens_with_lint0 (%s)\n",
			 exit_reason_str(run->exit_reason));
	run->request_interrupt_window = 0;
	ksft_test_result(!ioctl(vcpu->fd, KVM_INTERRUPT, &irq),
			 "split_kvm_interrupt_again_after_delivery\n");
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_DONE && count[2] == 2,
			 "split_extint_in_window\n");

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_finished();
}
