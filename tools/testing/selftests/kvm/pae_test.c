// SPDX-License-Identifier: GPL-2.0-only
/*
 * PAE paging and KVM_GET/SET_SREGS2.  A real-mode guest turns on PAE
 * paging itself (CR3, CR4.PAE, then PE, PG and NE in one write) and reads
 * a page its tables map elsewhere; KVM_GET_SREGS2 reports the PDPTEs;
 * KVM_SET_SREGS2 refuses unknown flags and PDPTEs without PAE paging; and
 * a second vCPU given the first one's registers -- as a VMM restoring a
 * vCPU does -- runs in PAE paging at once.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define CODE2_GPA	0x1800
#define PDPT_GPA	0x2000
#define PD_GPA		0x3000
#define PT_GPA		0x4000
#define LINEAR		0x6000	/* mapped to ... */
#define PHYS		0x7000	/* ... this page */
#define MEM_SIZE	0x10000
#define MARKER		0xcafe

#define PTE_P		0x1ULL
#define PTE_RW		0x2ULL
/*
 * Where PDPTEs are read from memory (SVM), QEMU's page walker has set
 * this bit in them by then; Intel processors do not.
 */
#define PTE_A		0x20ULL

GUEST_CODE16(guest_pae_on,
	     "movl $" KVM_STR(PDPT_GPA) ", %eax\n"
	     "movl %eax, %cr3\n"
	     "movl %cr4, %eax\n"
	     "orl $0x20, %eax\n"
	     "movl %eax, %cr4\n"
	     "movl %cr0, %eax\n"
	     "orl $0x80000021, %eax\n"
	     "movl %eax, %cr0\n"
	     "movw " KVM_STR(LINEAR) ", %bx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

GUEST_CODE16(guest_read,
	     "movw " KVM_STR(LINEAR) ", %bx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

static void build_tables(uint8_t *mem)
{
	uint64_t *pdpt = (uint64_t *)(mem + PDPT_GPA);
	uint64_t *pd = (uint64_t *)(mem + PD_GPA);
	uint64_t *pt = (uint64_t *)(mem + PT_GPA);
	int i;

	pdpt[0] = PD_GPA | PTE_P;	/* PAE PDPTEs have no R/W, U/S */
	pd[0] = PT_GPA | PTE_P | PTE_RW;
	for (i = 0; i < 512; i++)
		pt[i] = ((uint64_t)i << 12) | PTE_P | PTE_RW;
	pt[LINEAR >> 12] = PHYS | PTE_P | PTE_RW;
	*(uint16_t *)(mem + LINEAR) = 0x1111;
	*(uint16_t *)(mem + PHYS) = MARKER;
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_SREGS2 };
	struct kvm_vcpu *vcpu, *vcpu2;
	struct kvm_sregs2 s2, bad;
	struct kvm_regs regs;
	struct kvm_vm *vm;
	struct ucall uc;
	uint8_t *mem;

	kvm_require_caps(kvm_fd, caps, 2);
	ksft_print_header();
	ksft_set_plan(6);

	vm = vm_create();
	vcpu = vcpu_create(vm, 0);
	vcpu2 = vcpu_create(vm, 1);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	build_tables(mem);
	memcpy(mem + CODE2_GPA, guest_read, GUEST_CODE_SIZE(guest_read));

	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_SREGS2, &s2), "KVM_GET_SREGS2: %s",
		     strerror(errno));
	bad = s2;
	bad.flags = KVM_SREGS2_FLAGS_PDPTRS_VALID;
	ksft_test_result(!s2.flags &&
			 ioctl(vcpu->fd, KVM_SET_SREGS2, &bad) == -1 &&
			 errno == EINVAL, "sregs2_pdptes_without_pae_einval\n");
	bad.flags = 2;
	ksft_test_result(ioctl(vcpu->fd, KVM_SET_SREGS2, &bad) == -1 &&
			 errno == EINVAL, "sregs2_unknown_flag_einval\n");

	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_pae_on,
			    GUEST_CODE_SIZE(guest_pae_on));
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == MARKER,
			 "guest_turns_on_pae_paging (read %#llx)\n",
			 (unsigned long long)uc.args[0]);

	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_SREGS2, &s2), "KVM_GET_SREGS2: %s",
		     strerror(errno));
	ksft_test_result(s2.flags == KVM_SREGS2_FLAGS_PDPTRS_VALID &&
			 (s2.pdptrs[0] & ~PTE_A) == (PD_GPA | PTE_P) &&
			 !s2.pdptrs[1] &&
			 !s2.pdptrs[2] && !s2.pdptrs[3],
			 "get_sregs2_reports_pdptes (flags %#llx, %#llx)\n",
			 (unsigned long long)s2.flags,
			 (unsigned long long)s2.pdptrs[0]);
	ksft_test_result(!ioctl(vcpu->fd, KVM_SET_SREGS2, &s2),
			 "set_sregs2_round_trip\n");

	/* The second vCPU gets the registers without the PDPTEs. */
	s2.flags = 0;
	TEST_REQUIRE(!ioctl(vcpu2->fd, KVM_SET_SREGS2, &s2), "KVM_SET_SREGS2: %s",
		     strerror(errno));
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE2_GPA;
	regs.rflags = 2;
	vcpu_set_regs(vcpu2, &regs);
	vcpu_run_ucall(vcpu2, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == MARKER,
			 "restored_vcpu_runs_in_pae_paging (read %#llx)\n",
			 (unsigned long long)uc.args[0]);

	vcpu_destroy(vcpu2);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_finished();
}
