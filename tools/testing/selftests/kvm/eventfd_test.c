// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioeventfds and irqfds.  A guest's port and MMIO writes that an
 * ioeventfd takes signal it without an exit to userspace (with and
 * without a data match, and of any length); writes it does not take
 * still exit.  An irqfd raises an I/O APIC pin or an MSI route when its
 * eventfd is written, and a resampling one keeps a level-triggered line
 * up until the guest's EOI, then lowers it and signals its resample
 * eventfd.  And the errnos of bad requests.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define HANDLERS	0x3000
#define COUNT		0x9000
#define MEM_SIZE	0x10000
#define PORT		0x99
#define MMIO_GPA	0x20000
#define ANY_GPA		0x21000

#define SYNC		"mov $" KVM_STR(UCALL_SYNC) ", %al\n" \
			"out %al, $" KVM_STR(UCALL_PORT) "\n"
#define IOAPIC_W(reg, val) "movl $" #reg ", (%r12)\n" \
			   "movl $" #val ", 0x10(%r12)\n"
#define WAIT(c, n)	"1: cli\n cmpl $" #n ", 0x9000 + 4 * " #c "\n" \
			"je 2f\n sti\n hlt\n jmp 1b\n 2: sti\n"

GUEST_CODE64(guest_io,
	     "mov $0x8000, %rsp\n"
	     "mov $0x42, %al\n"
	     "out %al, $" KVM_STR(PORT) "\n"
	     "out %al, $" KVM_STR(PORT) "\n"
	     "out %al, $" KVM_STR(PORT) "\n"
	     "movl $0x12345678, " KVM_STR(MMIO_GPA) "\n"
	     "movw $0x55aa, " KVM_STR(ANY_GPA) "\n"
	     SYNC
	     "mov $0x43, %al\n"
	     "out %al, $" KVM_STR(PORT) "\n"
	     SYNC
	     "mov $0x42, %al\n"
	     "out %al, $" KVM_STR(PORT) "\n"
	     "mov $" KVM_STR(UCALL_DONE) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

GUEST_CODE64(guest_irq,
	     "mov $0x8000, %rsp\n"
	     "mov $0xfee00000, %edi\n"
	     "mov $0xfec00000, %r12d\n"
	     "movl $0x1ff, 0xf0(%rdi)\n"
	     /* Pin 10: edge, vector 0x60; pin 11: level, vector 0x62. */
	     IOAPIC_W(0x24, 0x60)
	     IOAPIC_W(0x25, 0)
	     IOAPIC_W(0x26, 0x8062)
	     IOAPIC_W(0x27, 0)
	     "sti\n"
	     SYNC
	     WAIT(0, 1)
	     SYNC
	     WAIT(1, 1)
	     SYNC
	     WAIT(2, 1)
	     SYNC
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

static int ioeventfd(struct kvm_vm *vm, uint64_t addr, uint32_t len,
		     int fd, uint32_t flags, uint64_t datamatch)
{
	struct kvm_ioeventfd io = {
		.datamatch = datamatch,
		.addr = addr,
		.len = len,
		.fd = fd,
		.flags = flags,
	};

	return ioctl(vm->fd, KVM_IOEVENTFD, &io);
}

static int irqfd(struct kvm_vm *vm, int fd, uint32_t gsi, uint32_t flags,
		 int resamplefd)
{
	struct kvm_irqfd i = {
		.fd = fd,
		.gsi = gsi,
		.flags = flags,
		.resamplefd = resamplefd,
	};

	return ioctl(vm->fd, KVM_IRQFD, &i);
}

/* The eventfd's count, which reading resets; 0 if it is not signalled. */
static uint64_t efd_count(int fd)
{
	uint64_t n = 0;

	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

static void test_ioeventfd(void)
{
	int port_fd = eventfd(0, EFD_NONBLOCK), mmio_fd = eventfd(0, EFD_NONBLOCK);
	int any_fd = eventfd(0, EFD_NONBLOCK);
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	uint8_t *mem;
	bool ok;

	vm = vm_create();
	vcpu = vcpu_create(vm, 0);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_io,
			    GUEST_CODE_SIZE(guest_io));

	ok = !ioeventfd(vm, PORT, 1, port_fd,
			KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DATAMATCH,
			0x42) &&
	     !ioeventfd(vm, MMIO_GPA, 4, mmio_fd, 0, 0) &&
	     !ioeventfd(vm, ANY_GPA, 0, any_fd, 0, 0);
	ksft_test_result(ok, "ioeventfd_assign\n");

	/* Three port writes and two MMIO writes, then the ucall. */
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && efd_count(port_fd) == 3,
			 "ioeventfd_pio_datamatch_no_exit\n");
	ksft_test_result(efd_count(mmio_fd) == 1 && efd_count(any_fd) == 1,
			 "ioeventfd_mmio_and_any_length_no_exit\n");

	/* Another value is not the ioeventfd's: userspace sees it. */
	ksft_test_result(!vcpu_run(vcpu) &&
			 vcpu->run->exit_reason == KVM_EXIT_IO &&
			 vcpu->run->io.port == PORT && !efd_count(port_fd),
			 "ioeventfd_other_value_exits\n");
	vcpu_run_ucall(vcpu, &uc);

	ksft_test_result(ioeventfd(vm, PORT, 1, port_fd,
				   KVM_IOEVENTFD_FLAG_PIO |
				   KVM_IOEVENTFD_FLAG_DATAMATCH, 0x42) == -1 &&
			 errno == EEXIST, "ioeventfd_duplicate_eexist\n");
	ok = ioeventfd(vm, PORT, 3, port_fd, KVM_IOEVENTFD_FLAG_PIO, 0) == -1 &&
	     errno == EINVAL;
	ok &= ioeventfd(vm, PORT, 0, port_fd, KVM_IOEVENTFD_FLAG_PIO |
			KVM_IOEVENTFD_FLAG_DATAMATCH, 0) == -1 && errno == EINVAL;
	ok &= ioeventfd(vm, PORT, 1, port_fd, 1u << 7, 0) == -1 &&
	      errno == EINVAL;
	ok &= ioeventfd(vm, -1ULL, 8, port_fd, 0, 0) == -1 && errno == EINVAL;
	ok &= ioeventfd(vm, PORT, 1, kvm_open_dev(), KVM_IOEVENTFD_FLAG_PIO,
			0) == -1 && errno == EINVAL;
	ksft_test_result(ok, "ioeventfd_bad_requests_einval\n");
	ksft_test_result(ioeventfd(vm, PORT, 2, port_fd,
				   KVM_IOEVENTFD_FLAG_PIO |
				   KVM_IOEVENTFD_FLAG_DEASSIGN, 0) == -1 &&
			 errno == ENOENT, "ioeventfd_deassign_missing_enoent\n");

	/* Deassigned, the write goes to userspace again. */
	ok = !ioeventfd(vm, PORT, 1, port_fd,
			KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DATAMATCH |
			KVM_IOEVENTFD_FLAG_DEASSIGN, 0x42);
	ksft_test_result(ok && !vcpu_run(vcpu) &&
			 vcpu->run->exit_reason == KVM_EXIT_IO &&
			 vcpu->run->io.port == PORT,
			 "ioeventfd_deassigned_exits\n");

	close(port_fd);
	close(mmio_fd);
	close(any_fd);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

static void test_irqfd(void)
{
	int edge = eventfd(0, EFD_NONBLOCK), msi = eventfd(0, EFD_NONBLOCK);
	int level = eventfd(0, EFD_NONBLOCK), resample = eventfd(0, EFD_NONBLOCK);
	struct kvm_irq_routing_entry *e;
	struct kvm_irq_routing *r;
	struct kvm_irqchip chip = { .chip_id = KVM_IRQCHIP_IOAPIC };
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	uint64_t one = 1;
	uint8_t *mem;
	uint32_t *count;
	int v;

	vm = vm_create();
	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	vcpu = vcpu_create(vm, 0);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	count = (uint32_t *)(mem + COUNT);
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_irq,
			    GUEST_CODE_SIZE(guest_irq));
	for (v = 0; v < 3; v++) {
		uint32_t counter = COUNT + 4 * v;
		uint8_t *p = mem + HANDLERS + 0x20 * v;

		memcpy(p, guest_handler, GUEST_CODE_SIZE(guest_handler));
		memcpy(p + 2, &counter, 4);
		vcpu_set_gate(mem, 0x60 + v, HANDLERS + 0x20 * v);
	}

	/* GSI 40 is an MSI with vector 0x61, the others as they were. */
	r = calloc(1, sizeof(*r) + 41 * sizeof(*e));
	e = r->entries;
	for (v = 0; v < 24; v++, e++) {
		e->gsi = v;
		e->type = KVM_IRQ_ROUTING_IRQCHIP;
		e->u.irqchip.irqchip = KVM_IRQCHIP_IOAPIC;
		e->u.irqchip.pin = v;
	}
	e->gsi = 40;
	e->type = KVM_IRQ_ROUTING_MSI;
	e->u.msi.address_lo = 0xfee00000;
	e->u.msi.data = 0x61;
	r->nr = 25;
	TEST_REQUIRE(!ioctl(vm->fd, KVM_SET_GSI_ROUTING, r),
		     "KVM_SET_GSI_ROUTING: %s", strerror(errno));
	free(r);

	vcpu_run_ucall(vcpu, &uc);	/* the guest set up the I/O APIC */
	ksft_test_result(!irqfd(vm, edge, 10, 0, 0) && !irqfd(vm, msi, 40, 0, 0) &&
			 !irqfd(vm, level, 11, KVM_IRQFD_FLAG_RESAMPLE,
				resample), "irqfd_assign\n");
	ksft_test_result(irqfd(vm, edge, 12, 0, 0) == -1 && errno == EBUSY,
			 "irqfd_same_eventfd_ebusy\n");

	TEST_REQUIRE(write(edge, &one, 8) == 8, "write: %s", strerror(errno));
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(count[0] == 1, "irqfd_ioapic_edge\n");
	TEST_REQUIRE(write(msi, &one, 8) == 8, "write: %s", strerror(errno));
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(count[1] == 1, "irqfd_msi_route\n");

	/* Level: delivered once; the EOI lowers it and tells resample. */
	TEST_REQUIRE(write(level, &one, 8) == 8, "write: %s", strerror(errno));
	vcpu_run_ucall(vcpu, &uc);
	TEST_REQUIRE(!ioctl(vm->fd, KVM_GET_IRQCHIP, &chip),
		     "KVM_GET_IRQCHIP: %s", strerror(errno));
	ksft_test_result(count[2] == 1 && efd_count(resample) == 1 &&
			 !(chip.chip.ioapic.irr & (1 << 11)) &&
			 !chip.chip.ioapic.redirtbl[11].fields.remote_irr,
			 "irqfd_resample_lowers_line_after_eoi\n");

	/* Deassigned (and an unknown one is fine), the eventfd does nothing. */
	ksft_test_result(!irqfd(vm, edge, 10, KVM_IRQFD_FLAG_DEASSIGN, 0) &&
			 !irqfd(vm, edge, 10, KVM_IRQFD_FLAG_DEASSIGN, 0),
			 "irqfd_deassign\n");
	TEST_REQUIRE(write(edge, &one, 8) == 8, "write: %s", strerror(errno));
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_DONE && count[0] == 1,
			 "irqfd_deassigned_does_nothing\n");

	ksft_test_result(irqfd(vm, kvm_open_dev(), 3, 0, 0) == -1 &&
			 errno == EINVAL &&
			 irqfd(vm, edge, 3, 1u << 5, 0) == -1 && errno == EINVAL,
			 "irqfd_bad_requests_einval\n");
	/* Closing an eventfd takes its irqfd away; the VM dies cleanly. */
	close(msi);
	close(edge);
	close(level);
	close(resample);
	vcpu_destroy(vcpu);
	vm_destroy(vm);

	vm = vm_create();
	edge = eventfd(0, 0);
	ksft_test_result(irqfd(vm, edge, 3, 0, 0) == -1 && errno == EINVAL,
			 "irqfd_without_irqchip_einval\n");
	close(edge);
	vm_destroy(vm);
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_IOEVENTFD,
			KVM_CAP_IOEVENTFD_ANY_LENGTH, KVM_CAP_IRQFD,
			KVM_CAP_IRQFD_RESAMPLE, KVM_CAP_IRQCHIP };

	kvm_require_caps(kvm_fd, caps, 6);
	ksft_print_header();
	ksft_set_plan(17);
	test_ioeventfd();
	test_irqfd();
	ksft_finished();
}
