// SPDX-License-Identifier: GPL-2.0-only
/*
 * System management mode: a 64-bit guest with SMRAM in memory slot
 * address space 1 takes SMIs from KVM_SMI and from an SMI IPI to itself.
 * The handler at SMBASE + 0x8000 reports from SMM (KVM_RUN_X86_SMM,
 * KVM_GET_VCPU_EVENTS) and leaves with RSM; the state save area holds
 * the revision, SMBASE and the interrupted RIP; after RSM the guest goes
 * on with its registers, SMRAM is invisible to it, and an SMI raised in
 * SMM waits for RSM.  A handler that writes a new SMBASE into the save
 * area moves the next SMI there.  The guest cannot read MSR_IA32_SMBASE.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kvm_util.h"

#define MSR_IA32_SMBASE		0x9e
#define SMBASE			0x30000
#define NEW_SMBASE		0x40000
#define SMRAM_SIZE		0x30000		/* 0x30000 to 0x5ffff */
#define SAVE_AREA		0xfe00		/* from SMBASE */
#define SAVE_REVISION		0xfc		/* from the save area */
#define SAVE_SMBASE		0x100
#define SAVE_CR0		0x158
#define SAVE_RIP		0x178
#define SMM_REVISION		0x00020064
#define CODE_GPA		0x1000
#define STACK			0x8000
#define GP_VECTOR		13

/*
 * The guest: a checkpoint (where the test raises an SMI, to be taken
 * after the OUT), its R12 after it, a read of SMRAM (MMIO outside SMM), an SMI IPI to itself, then
 * RDMSR of SMBASE.
 */
GUEST_CODE64(guest_code,
	     "mov $0x1234, %r12\n"
	     "mov $1, %ebx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "guest_after_checkpoint:\n"
	     "mov %r12, %rbx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "mov " KVM_STR(SMBASE) " + 0x8000, %eax\n"
	     "mov $2, %ebx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "mov $0xfee00300, %edx\n"		/* ICR: self, SMI */
	     "movl $0x40200, (%rdx)\n"
	     "mov $3, %ebx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "mov $" KVM_STR(MSR_IA32_SMBASE) ", %ecx\n"
	     "rdmsr\n"
	     "movb $" KVM_STR(UCALL_DONE) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");
GUEST_CODE_LABEL(guest_after_checkpoint);

/* The SMI handler, in big real mode: report 0x5a5a, then RSM. */
GUEST_CODE16(smi_handler,
	     "mov $0x5a5a, %bx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "rsm\n");

/* A handler that moves SMBASE (the save area's field), reporting 0x7777. */
GUEST_CODE16(relocating_handler,
	     "movl $" KVM_STR(NEW_SMBASE) ", %eax\n"
	     "movl %eax, %cs:0xff00\n"
	     "mov $0x7777, %bx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "rsm\n");

/* The handler at the new SMBASE, reporting 0x9999. */
GUEST_CODE16(moved_handler,
	     "mov $0x9999, %bx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "rsm\n");

struct smm_guest {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	uint8_t *smram;		/* guest physical SMBASE, address space 1 */
};

static void smm_guest_create(struct smm_guest *g)
{
	struct kvm_userspace_memory_region region;
	struct kvm_regs regs;
	void *mem;

	g->vm = vm_create();
	mem = vm_add_memory(g->vm, 0, LONG_MODE_MEM_MIN);
	g->smram = mmap(NULL, SMRAM_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_REQUIRE(g->smram != MAP_FAILED, "mmap");
	region = (struct kvm_userspace_memory_region) {
		.slot = 1 << 16,
		.guest_phys_addr = SMBASE,
		.memory_size = SMRAM_SIZE,
		.userspace_addr = (uintptr_t)g->smram,
	};
	TEST_REQUIRE(!ioctl(g->vm->fd, KVM_SET_USER_MEMORY_REGION, &region),
		     "SMRAM slot: %s", strerror(errno));
	TEST_REQUIRE(!ioctl(g->vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	g->vcpu = vcpu_create(g->vm, 0);
	vcpu_load_long_mode(g->vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	vcpu_get_regs(g->vcpu, &regs);
	regs.rsp = STACK;	/* for the exception report */
	vcpu_set_regs(g->vcpu, &regs);
	memcpy(g->smram + 0x8000, smi_handler, GUEST_CODE_SIZE(smi_handler));
}

static void smm_guest_destroy(struct smm_guest *g)
{
	vcpu_destroy(g->vcpu);
	vm_destroy(g->vm);
	munmap(g->smram, SMRAM_SIZE);
}

/* Run to the next ucall; its command, or -1 for another exit. */
static int run(struct smm_guest *g, struct ucall *uc)
{
	TEST_REQUIRE(!vcpu_run(g->vcpu), "KVM_RUN: %s", strerror(errno));
	return vcpu_exit_ucall(g->vcpu, uc) ? uc->cmd : -1;
}

static bool in_smm(struct smm_guest *g)
{
	struct kvm_vcpu_events ev;

	TEST_REQUIRE(!ioctl(g->vcpu->fd, KVM_GET_VCPU_EVENTS, &ev),
		     "KVM_GET_VCPU_EVENTS: %s", strerror(errno));
	return (ev.flags & KVM_VCPUEVENT_VALID_SMM) && ev.smi.smm;
}

static uint64_t save_area(struct smm_guest *g, uint32_t base, uint32_t off,
			  int size)
{
	uint64_t v = 0;

	memcpy(&v, g->smram + base - SMBASE + SAVE_AREA + off, size);
	return v;
}

static void test_smi(int kvm_fd)
{
	uint64_t rip = CODE_GPA + (guest_after_checkpoint - guest_code);
	struct smm_guest g;
	struct ucall uc;
	uint64_t smbase = 0;
	bool ok;

	smm_guest_create(&g);
	ksft_test_result(kvm_get_msr(g.vcpu->fd, MSR_IA32_SMBASE, &smbase) == 1 &&
			 smbase == SMBASE,
			 "smbase_starts_at_0x30000 (%#llx)\n",
			 (unsigned long long)smbase);

	TEST_REQUIRE(run(&g, &uc) == UCALL_SYNC && uc.args[0] == 1,
		     "first checkpoint");
	TEST_REQUIRE(!ioctl(g.vcpu->fd, KVM_SMI, 0), "KVM_SMI: %s",
		     strerror(errno));
	ok = run(&g, &uc) == UCALL_SYNC && uc.args[0] == 0x5a5a;
	ksft_test_result(ok && (g.vcpu->run->flags & KVM_RUN_X86_SMM) &&
			 in_smm(&g),
			 "kvm_smi_runs_the_handler_in_smm (%#llx flags %#x)\n",
			 (unsigned long long)uc.args[0], g.vcpu->run->flags);
	ksft_test_result(save_area(&g, SMBASE, SAVE_REVISION, 4) ==
			 SMM_REVISION &&
			 save_area(&g, SMBASE, SAVE_SMBASE, 4) == SMBASE &&
			 save_area(&g, SMBASE, SAVE_RIP, 8) == rip &&
			 (save_area(&g, SMBASE, SAVE_CR0, 8) & 0x80000001) ==
			 0x80000001,
			 "save_area_holds_revision_smbase_rip_cr0 (%#llx)\n",
			 (unsigned long long)save_area(&g, SMBASE,
							SAVE_REVISION, 4));

	/* An SMI in SMM waits: RSM, then the handler at once again. */
	TEST_REQUIRE(!ioctl(g.vcpu->fd, KVM_SMI, 0), "KVM_SMI: %s",
		     strerror(errno));
	ok = run(&g, &uc) == UCALL_SYNC && uc.args[0] == 0x5a5a &&
	     in_smm(&g);
	ksft_test_result(ok, "smi_in_smm_waits_for_rsm\n");

	ok = run(&g, &uc) == UCALL_SYNC && uc.args[0] == 0x1234;
	ksft_test_result(ok && !(g.vcpu->run->flags & KVM_RUN_X86_SMM) &&
			 !in_smm(&g),
			 "rsm_restores_the_guest (r12 %#llx)\n",
			 (unsigned long long)uc.args[0]);

	/* SMRAM is not there outside SMM: the read is MMIO. */
	ok = run(&g, &uc) == -1 &&
	     g.vcpu->run->exit_reason == KVM_EXIT_MMIO &&
	     g.vcpu->run->mmio.phys_addr == SMBASE + 0x8000;
	ksft_test_result(ok, "smram_invisible_outside_smm (exit %u)\n",
			 g.vcpu->run->exit_reason);
	TEST_REQUIRE(ok && run(&g, &uc) == UCALL_SYNC && uc.args[0] == 2,
		     "after the MMIO read");

	/* The SMI IPI to itself, written to the ICR, relocates SMBASE. */
	memcpy(g.smram + 0x8000, relocating_handler,
	       GUEST_CODE_SIZE(relocating_handler));
	memcpy(g.smram + NEW_SMBASE - SMBASE + 0x8000, moved_handler,
	       GUEST_CODE_SIZE(moved_handler));
	ok = run(&g, &uc) == UCALL_SYNC && uc.args[0] == 0x7777 && in_smm(&g);
	ksft_test_result(ok, "smi_ipi_to_self_runs_the_handler\n");
	ok = run(&g, &uc) == UCALL_SYNC && uc.args[0] == 3 &&
	     kvm_get_msr(g.vcpu->fd, MSR_IA32_SMBASE, &smbase) == 1 &&
	     smbase == NEW_SMBASE;
	ksft_test_result(ok, "handler_relocates_smbase (%#llx)\n",
			 (unsigned long long)smbase);
	TEST_REQUIRE(!ioctl(g.vcpu->fd, KVM_SMI, 0), "KVM_SMI: %s",
		     strerror(errno));
	ok = run(&g, &uc) == UCALL_SYNC && uc.args[0] == 0x9999 &&
	     save_area(&g, NEW_SMBASE, SAVE_SMBASE, 4) == NEW_SMBASE;
	ksft_test_result(ok, "next_smi_enters_at_new_smbase\n");

	ok = run(&g, &uc) == UCALL_EXCEPTION && uc.args[0] == GP_VECTOR;
	ksft_test_result(ok, "guest_smbase_rdmsr_is_gp\n");
	smm_guest_destroy(&g);
}

int main(void)
{
	static const long caps[] = { KVM_CAP_X86_SMM, KVM_CAP_IRQCHIP };
	int kvm_fd;

	ksft_print_header();
	kvm_fd = kvm_open_dev();
	kvm_require_caps(kvm_fd, caps, 2);
	ksft_set_plan(1 + 10);

	ksft_test_result(kvm_check_cap(kvm_fd, KVM_CAP_MULTI_ADDRESS_SPACE) == 2,
			 "two_address_spaces\n");
	test_smi(kvm_fd);
	close(kvm_fd);
	ksft_finished();
}
