// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hyper-V's enlightened VMCS: a 64-bit guest hypervisor (L1) whose
 * VMLAUNCH and VMRESUME use the VMCS its VP assist page names, a
 * structure in its memory that the test fills in and reads (L1 itself
 * only enters L2 and reports).  KVM_CAP_HYPERV_ENLIGHTENED_VMCS gives
 * version 1 and makes the vCPU's KVM_GET_SUPPORTED_HV_CPUID show it.
 * Checked: L2 runs from the enlightened VMCS and its exit is written
 * there (reason, RIP, instruction length); a RIP the test changes is
 * taken by VMRESUME; a wrong revision is VMfailInvalid and an enlightened
 * VMCS at an address that is no memory #UD; with the enlightened MSR
 * bitmap, a bitmap L1 says is clean is not read again; L2's TLB flush
 * hypercall is handled without an exit to L1 if L1 allows direct
 * hypercalls, and ends in a synthetic exit while L1 holds a TLB lock;
 * without direct hypercalls L1 gets the VMCALL; KVM_GET/SET_NESTED_STATE
 * in L2 carries the enlightened VMCS along to a new VM, and is refused
 * for a vCPU that did not enable it.
 *
 * Only where KVM offers VMX and the enlightened VMCS: elsewhere every
 * case is skipped.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/const.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define L2_GPA		0x3000
#define STACK		0x8000
#define L2_STACK	0x9000
#define VMXON_GPA	0x10000
#define EVMCS_GPA	0x11000
#define MSR_BITMAP_GPA	0x12000
#define VP_ASSIST_GPA	0x13000
#define PARTITION_GPA	0x14000
#define TSS_GPA		0x15000ULL
#define VARS_GPA	0x16000
#define MEM_SIZE	0x20000

#define VAR_VMXON	0x16000
#define VAR_RESUME	0x16008
#define VAR_RESULT	0x16010

#define MSR_IA32_FEAT_CTL		0x3a
#define MSR_GS_BASE			0xc0000101
#define MSR_IA32_VMX_BASIC		0x480
#define MSR_IA32_VMX_TRUE_PINBASED	0x48d
#define MSR_IA32_VMX_TRUE_PROCBASED	0x48e
#define MSR_IA32_VMX_TRUE_EXIT		0x48f
#define MSR_IA32_VMX_TRUE_ENTRY		0x490
#define HV_X64_MSR_GUEST_OS_ID		0x40000000
#define HV_X64_MSR_VP_ASSIST_PAGE	0x40000073
#define FEAT_CTL_LOCKED_VMX		0x5

#define HV_ENLIGHTMENT_LEAF		0x40000004
#define HV_EVMCS_RECOMMENDED		_BITUL(14)
#define HV_NESTED_LEAF			0x4000000a
#define HV_NESTED_DIRECT_FLUSH		_BITUL(17)
#define HV_FLUSH_SPACE_FAST		0x10002	/* code 2, fast */
#define HV_FLUSH_ALL			3	/* all processors and spaces */
#define HV_CLEAN_MSR_BITMAP		_BITUL(1)
#define HV_CLEAN_ALL			0xffff
#define HV_EXIT_TRAP_AFTER_FLUSH	0x10000031

#define X86_CR4_VMXE		0x2000
#define UD_VECTOR		6
#define PROC_MSR_BITMAPS	_BITUL(28)
#define EXIT_HOST_64		_BITUL(9)
#define ENTRY_IA32E		_BITUL(9)
#define REASON_CPUID		10
#define REASON_VMCALL		18
#define REASON_RDMSR		31
#define VMFAIL_MARK		0xf0000000
#define RFLAGS_CF		0x1

/*
 * The enlightened VMCS, version 1 (Hyper-V TLFS), up to the fields this
 * test uses: every field is naturally aligned, so no packing is needed.
 */
struct evmcs {
	uint32_t revision_id, abort;
	uint16_t host_sel[7], pad16_1;
	uint64_t host_pat, host_efer, host_cr0, host_cr3, host_cr4;
	uint64_t host_sysenter_esp, host_sysenter_eip, host_rip;
	uint32_t host_sysenter_cs, pin, exit_ctls, proc2;
	uint64_t io_bitmap_a, io_bitmap_b, msr_bitmap;
	uint16_t guest_sel[8];
	uint32_t guest_limit[8], gdtr_limit, idtr_limit;
	uint32_t guest_ar[8];
	uint64_t guest_base[8], gdtr_base, idtr_base;
	uint64_t pad64_1[3];
	uint64_t exit_msr_store_addr, exit_msr_load_addr, entry_msr_load_addr;
	uint64_t cr3_target[4];
	uint32_t pf_error_mask, pf_error_match, cr3_target_count;
	uint32_t exit_msr_store_count, exit_msr_load_count;
	uint32_t entry_msr_load_count;
	uint64_t tsc_offset, virtual_apic_addr, link_pointer;
	uint64_t guest_debugctl, guest_pat, guest_efer, guest_pdpte[4];
	uint64_t guest_pending_dbg, guest_sysenter_esp, guest_sysenter_eip;
	uint32_t guest_activity, guest_sysenter_cs;
	uint64_t cr0_mask, cr4_mask, cr0_shadow, cr4_shadow;
	uint64_t guest_cr0, guest_cr3, guest_cr4, guest_dr7;
	uint64_t host_fs_base, host_gs_base, host_tr_base;
	uint64_t host_gdtr_base, host_idtr_base, host_rsp;
	uint64_t ept_pointer;
	uint16_t vpid, pad16_2[3];
	uint64_t pad64_2[5];
	uint64_t guest_phys_addr;
	uint32_t insn_error, exit_reason, exit_intr_info, exit_intr_error;
	uint32_t idt_vectoring_info, idt_vectoring_error, exit_insn_len;
	uint32_t insn_info;
	uint64_t exit_qual, exit_io_rcx, exit_io_rsi, exit_io_rdi, exit_io_rip;
	uint64_t guest_linear_addr, guest_rsp, guest_rflags;
	uint32_t guest_interruptibility, proc, exception_bitmap, entry_ctls;
	uint32_t entry_intr_info, entry_error_code, entry_insn_len;
	uint32_t tpr_threshold;
	uint64_t guest_rip;
	uint32_t clean_fields, pad32_1, synthetic_controls;
	uint32_t enlightenments;	/* bit 0 flush hypercall, 1 MSR bitmap */
	uint32_t hv_vp_id, pad32_2;
	uint64_t hv_vm_id, partition_assist_page;
};

static_assert(sizeof(struct evmcs) == 864, "enlightened VMCS layout");

#define EVMCS_FLUSH_HYPERCALL	_BITUL(0)
#define EVMCS_MSR_BITMAP	_BITUL(1)

/* The VP assist page, as far as nested virtualization goes. */
struct vp_assist {
	uint32_t apic_assist, reserved1;
	uint64_t vtl[3];
	uint32_t nested_features;	/* bit 0: direct hypercall */
	uint32_t nested_hypercall_controls;
	uint8_t enlighten_vmentry, reserved2[7];
	uint64_t current_nested_vmcs;
};

static_assert(sizeof(struct vp_assist) == 56, "VP assist page layout");

#define SYNC	"movb $" KVM_STR(UCALL_SYNC) ", %al\n" \
		"outb %al, $" KVM_STR(UCALL_PORT) "\n"

/*
 * L1: CR4.VMXE, VMXON, then forever: VMLAUNCH or VMRESUME, and report 0
 * after L2's exit (RBX), or the VMfail flags.  No VMPTRLD: the entry is
 * enlightened.
 */
GUEST_CODE64(guest_code,
	     "mov $" KVM_STR(STACK) ", %rsp\n"
	     "mov %cr4, %rax\n"
	     "or $" KVM_STR(X86_CR4_VMXE) ", %rax\n"
	     "mov %rax, %cr4\n"
	     "vmxon " KVM_STR(VAR_VMXON) "\n"
	     "run:\n"
	     "cmpq $0, " KVM_STR(VAR_RESUME) "\n"
	     "jne 1f\n"
	     "vmlaunch\n"
	     "jmp vmfail\n"
	     "1: vmresume\n"
	     "vmfail:\n"
	     "pushf\n"
	     "pop %rbx\n"
	     "and $0x41, %ebx\n"
	     "or $" KVM_STR(VMFAIL_MARK) ", %ebx\n"
	     SYNC
	     "jmp run\n"
	     "l1_exit:\n"
	     "xor %ebx, %ebx\n"
	     SYNC
	     "jmp run\n");

GUEST_CODE_LABEL(l1_exit);

/* L2: VMCALL, CPUID, VMCALL. */
GUEST_CODE64(l2_vmcall_cpuid, "vmcall\n xor %eax, %eax\n cpuid\n vmcall\n");
/* L2: RDMSR of IA32_GS_BASE three times, then VMCALL. */
GUEST_CODE64(l2_rdmsr, "mov $" KVM_STR(MSR_GS_BASE) ", %ecx\n"
	     "rdmsr\n rdmsr\n rdmsr\n vmcall\n");
/* L2: a fast flush of every address space on every processor, CPUID. */
GUEST_CODE64(l2_flush, "mov $" KVM_STR(HV_FLUSH_SPACE_FAST) ", %ecx\n"
	     "xor %edx, %edx\n"
	     "mov $" KVM_STR(HV_FLUSH_ALL) ", %r8d\n"
	     "vmcall\n"
	     "mov %rax, " KVM_STR(VAR_RESULT) "\n"
	     "xor %eax, %eax\n cpuid\n vmcall\n");
/* L2: a report to userspace (L1 does not take I/O), then VMCALL. */
GUEST_CODE64(l2_sync, "mov $0x77, %ebx\n" SYNC "vmcall\n");

struct test {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	uint8_t *mem;
	struct evmcs *ev;
	struct vp_assist *vp;
	struct kvm_sregs sregs;
};

static uint32_t ar(const struct kvm_segment *s)
{
	if (!s->present || s->unusable)
		return 0x10000;
	return s->type | s->s << 4 | s->dpl << 5 | 1 << 7 | s->avl << 12 |
	       s->l << 13 | s->db << 14 | s->g << 15;
}

static uint32_t cap_low(struct test *t, uint32_t msr)
{
	uint64_t v = 0;

	TEST_REQUIRE(kvm_get_msr(t->vcpu->fd, msr, &v) == 1, "MSR %#x", msr);
	return v;
}

/*
 * An enlightened VMCS that runs @code as L2 in L1's mode, page tables
 * and descriptor tables, and returns to l1_exit; every field is new to
 * KVM (no clean field).
 */
static void evmcs_setup(struct test *t, const void *code, size_t len,
			uint32_t proc)
{
	const struct kvm_sregs *s = &t->sregs;
	const struct kvm_segment *seg[8] = {
		&s->es, &s->cs, &s->ss, &s->ds, &s->fs, &s->gs, &s->ldt, &s->tr,
	};
	struct evmcs *e = t->ev;
	unsigned int i;

	memset(e, 0, 4096);
	memcpy(t->mem + L2_GPA, code, len);
	e->revision_id = 1;
	e->pin = cap_low(t, MSR_IA32_VMX_TRUE_PINBASED);
	e->proc = cap_low(t, MSR_IA32_VMX_TRUE_PROCBASED) | proc;
	e->exit_ctls = cap_low(t, MSR_IA32_VMX_TRUE_EXIT) | EXIT_HOST_64;
	e->entry_ctls = cap_low(t, MSR_IA32_VMX_TRUE_ENTRY) | ENTRY_IA32E;
	e->msr_bitmap = MSR_BITMAP_GPA;
	e->link_pointer = -1ULL;
	for (i = 0; i < 8; i++) {
		e->guest_sel[i] = seg[i]->selector;
		e->guest_base[i] = seg[i]->base;
		e->guest_limit[i] = seg[i]->limit;
		e->guest_ar[i] = i == 6 ? 0x10000 : ar(seg[i]);
		if (i != 6)
			e->host_sel[i == 7 ? 6 : i] = seg[i]->selector;
	}
	e->gdtr_base = s->gdt.base;
	e->gdtr_limit = s->gdt.limit;
	e->idtr_base = s->idt.base;
	e->idtr_limit = s->idt.limit;
	e->guest_cr0 = s->cr0;
	e->guest_cr3 = s->cr3;
	e->guest_cr4 = s->cr4 | X86_CR4_VMXE;
	e->guest_dr7 = 0x400;
	e->guest_rsp = L2_STACK;
	e->guest_rip = L2_GPA;
	e->guest_rflags = 2;
	e->host_cr0 = s->cr0;
	e->host_cr3 = s->cr3;
	e->host_cr4 = s->cr4 | X86_CR4_VMXE;
	e->host_fs_base = s->fs.base;
	e->host_gs_base = s->gs.base;
	e->host_tr_base = s->tr.base;
	e->host_gdtr_base = s->gdt.base;
	e->host_idtr_base = s->idt.base;
	e->host_rsp = STACK;
	e->host_rip = CODE_GPA + (l1_exit - guest_code);
}

/* Run L1 to its next report: 0 after an exit, or the VMfail flags. */
static uint64_t run_l1(struct test *t, bool resume)
{
	struct ucall uc;

	memcpy(t->mem + VAR_RESUME, &(uint64_t){ resume }, 8);
	if (vcpu_run_ucall(t->vcpu, &uc) != UCALL_SYNC)
		return ~0ULL - uc.cmd;
	return uc.args[0];
}

/* EAX of leaf @function of @fd's KVM_GET_SUPPORTED_HV_CPUID. */
static uint32_t hv_leaf_eax(int fd, uint32_t function)
{
	struct kvm_cpuid2 *hv = kvm_cpuid2_alloc(64);
	uint32_t i, eax = 0;

	TEST_REQUIRE(!ioctl(fd, KVM_GET_SUPPORTED_HV_CPUID, hv),
		     "KVM_GET_SUPPORTED_HV_CPUID: %s", strerror(errno));
	for (i = 0; i < hv->nent; i++)
		if (hv->entries[i].function == function)
			eax = hv->entries[i].eax;
	free(hv);
	return eax;
}

/* The supported CPUID with the Hyper-V leaves in place of KVM's. */
static void set_hv_cpuid(struct test *t)
{
	struct kvm_cpuid2 *c = kvm_hv_cpuid(t->vm->kvm_fd);

	TEST_REQUIRE(!ioctl(t->vcpu->fd, KVM_SET_CPUID2, c),
		     "KVM_SET_CPUID2: %s", strerror(errno));
	free(c);
}

/* KVM_ENABLE_CAP(KVM_CAP_HYPERV_ENLIGHTENED_VMCS): the versions, or 0. */
static uint16_t enable_evmcs(struct kvm_vcpu *vcpu)
{
	uint16_t version = 0;
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_HYPERV_ENLIGHTENED_VMCS,
		.args[0] = (unsigned long)&version,
	};

	if (ioctl(vcpu->fd, KVM_ENABLE_CAP, &cap))
		return 0;
	return version;
}

/*
 * L1 in 64-bit mode with Hyper-V (hypercalls on), VMX operation allowed,
 * its VP assist page naming the enlightened VMCS for its entries.
 */
static void test_init(struct test *t, uint64_t basic)
{
	t->vm = vm_create();
	t->mem = vm_add_memory(t->vm, 0, MEM_SIZE);
	t->vcpu = vcpu_create(t->vm, 0);
	t->ev = (struct evmcs *)(t->mem + EVMCS_GPA);
	t->vp = (struct vp_assist *)(t->mem + VP_ASSIST_GPA);
	vcpu_load_long_mode(t->vcpu, t->mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	set_hv_cpuid(t);
	vcpu_get_sregs(t->vcpu, &t->sregs);
	vcpu_add_tss64(t->vcpu, t->mem, &t->sregs, TSS_GPA);
	memcpy(t->mem + VAR_VMXON, &(uint64_t){ VMXON_GPA }, 8);
	memcpy(t->mem + VMXON_GPA, &basic, 4);
	TEST_REQUIRE(kvm_set_msr(t->vcpu->fd, MSR_IA32_FEAT_CTL,
				 FEAT_CTL_LOCKED_VMX) == 1 &&
		     kvm_set_msr(t->vcpu->fd, HV_X64_MSR_GUEST_OS_ID,
				 0x8100000000000000ULL) == 1 &&
		     kvm_set_msr(t->vcpu->fd, HV_X64_MSR_VP_ASSIST_PAGE,
				 VP_ASSIST_GPA | 1) == 1,
		     "Hyper-V and VMX MSRs");
	t->vp->enlighten_vmentry = 1;
	t->vp->current_nested_vmcs = EVMCS_GPA;
}

static void report_exit(struct test *t, bool ok, const char *name)
{
	ksft_test_result(ok, "%s (reason %#x rip %#llx len %u)\n", name,
			 t->ev->exit_reason,
			 (unsigned long long)t->ev->guest_rip,
			 t->ev->exit_insn_len);
}

/* The enlightened MSR bitmap: a clean bitmap is not read again. */
static void test_msr_bitmap(struct test *t)
{
	uint8_t *bitmap = t->mem + MSR_BITMAP_GPA;
	uint64_t a;

	memset(bitmap, 0, 4096);
	evmcs_setup(t, l2_rdmsr, GUEST_CODE_SIZE(l2_rdmsr), PROC_MSR_BITMAPS);
	t->ev->enlightenments = EVMCS_MSR_BITMAP;
	/* Not clean: the bitmap is read and leaves the RDMSRs to L0. */
	a = run_l1(t, true);
	report_exit(t, !a && t->ev->exit_reason == REASON_VMCALL,
		    "msr_bitmap_read_when_not_clean");

	/*
	 * Clean (as every group is: RIP, which L1 changes, is in none): a bit
	 * L1 sets now is not seen.
	 */
	bitmap[0x400 + (MSR_GS_BASE & 0x1fff) / 8] |= 1 << (MSR_GS_BASE % 8);
	t->ev->guest_rip = L2_GPA;
	t->ev->clean_fields = HV_CLEAN_ALL;
	a = run_l1(t, true);
	report_exit(t, !a && t->ev->exit_reason == REASON_VMCALL,
		    "clean_msr_bitmap_not_read_again");

	/* Not clean again: the bit takes L2's RDMSR. */
	t->ev->guest_rip = L2_GPA;
	t->ev->clean_fields = HV_CLEAN_ALL & ~HV_CLEAN_MSR_BITMAP;
	a = run_l1(t, true);
	report_exit(t, !a && t->ev->exit_reason == REASON_RDMSR &&
		    t->ev->guest_rip == L2_GPA + 5,
		    "changed_msr_bitmap_read");
}

/* L2's TLB flush hypercall, direct or with a synthetic exit. */
static void test_direct_flush(struct test *t)
{
	uint32_t *locks = (uint32_t *)(t->mem + PARTITION_GPA);
	uint64_t a, result;

	evmcs_setup(t, l2_flush, GUEST_CODE_SIZE(l2_flush), 0);
	t->ev->enlightenments = EVMCS_FLUSH_HYPERCALL;
	t->ev->partition_assist_page = PARTITION_GPA;
	t->ev->hv_vm_id = 1;
	t->ev->hv_vp_id = 1;
	t->vp->nested_features = 1;
	*locks = 0;
	memset(t->mem + VAR_RESULT, 0xff, 8);
	a = run_l1(t, true);
	memcpy(&result, t->mem + VAR_RESULT, 8);
	ksft_test_result(!a && t->ev->exit_reason == REASON_CPUID && !result,
			 "l2_flush_hypercall_handled_for_l1 (reason %#x result %#llx)\n",
			 t->ev->exit_reason, (unsigned long long)result);

	*locks = 1;
	t->ev->guest_rip = L2_GPA;
	a = run_l1(t, true);
	report_exit(t, !a && t->ev->exit_reason == HV_EXIT_TRAP_AFTER_FLUSH &&
		    t->ev->guest_rip == L2_GPA + 16,
		    "tlb_lock_gives_l1_synthetic_exit");

	t->vp->nested_features = 0;
	*locks = 0;
	t->ev->guest_rip = L2_GPA;
	a = run_l1(t, true);
	report_exit(t, !a && t->ev->exit_reason == REASON_VMCALL &&
		    t->ev->guest_rip == L2_GPA + 13,
		    "without_direct_hypercalls_l1_gets_vmcall");
}

/*
 * Move the vCPU to a new VM, as a migration does: memory, CPUID and the
 * enlightened VMCS capability, registers, the MSRs this test sets, the
 * events and, last, the nested state.  Return: whether
 * KVM_SET_NESTED_STATE took it; *@flags are the state's flags.
 */
static bool migrate(struct test *t, uint32_t *flags)
{
	static const uint32_t msrs[] = {
		MSR_IA32_FEAT_CTL, HV_X64_MSR_GUEST_OS_ID,
		HV_X64_MSR_VP_ASSIST_PAGE,
	};
	struct kvm_nested_state *n = calloc(1, 0x3000);
	struct kvm_vcpu_events ev;
	uint64_t val[3] = { 0 };
	struct kvm_regs regs;
	struct kvm_vm *vm;
	unsigned int i;
	uint8_t *mem;
	bool ok;

	TEST_REQUIRE(n, "calloc");
	/* The port access that stopped the vCPU completes first (api.rst). */
	t->vcpu->run->immediate_exit = 1;
	TEST_REQUIRE(ioctl(t->vcpu->fd, KVM_RUN, 0) == -1 && errno == EINTR,
		     "KVM_RUN with immediate_exit");
	t->vcpu->run->immediate_exit = 0;
	n->size = 0x3000;
	TEST_REQUIRE(!ioctl(t->vcpu->fd, KVM_GET_NESTED_STATE, n),
		     "KVM_GET_NESTED_STATE: %s", strerror(errno));
	*flags = n->flags;
	vcpu_get_regs(t->vcpu, &regs);
	vcpu_get_sregs(t->vcpu, &t->sregs);
	TEST_REQUIRE(!ioctl(t->vcpu->fd, KVM_GET_VCPU_EVENTS, &ev),
		     "KVM_GET_VCPU_EVENTS: %s", strerror(errno));
	for (i = 0; i < 3; i++)
		TEST_REQUIRE(kvm_get_msr(t->vcpu->fd, msrs[i], &val[i]) == 1,
			     "MSR %#x", msrs[i]);
	vm = vm_create();
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	memcpy(mem, t->mem, MEM_SIZE);
	vcpu_destroy(t->vcpu);
	vm_destroy(t->vm);

	t->vm = vm;
	t->mem = mem;
	t->ev = (struct evmcs *)(mem + EVMCS_GPA);
	t->vp = (struct vp_assist *)(mem + VP_ASSIST_GPA);
	t->vcpu = vcpu_create(vm, 0);
	set_hv_cpuid(t);
	TEST_REQUIRE(enable_evmcs(t->vcpu), "KVM_CAP_HYPERV_ENLIGHTENED_VMCS");
	vcpu_set_sregs(t->vcpu, &t->sregs);
	for (i = 0; i < 3; i++)
		TEST_REQUIRE(kvm_set_msr(t->vcpu->fd, msrs[i], val[i]) == 1,
			     "MSR %#x", msrs[i]);
	vcpu_set_regs(t->vcpu, &regs);
	TEST_REQUIRE(!ioctl(t->vcpu->fd, KVM_SET_VCPU_EVENTS, &ev),
		     "KVM_SET_VCPU_EVENTS: %s", strerror(errno));
	ok = !ioctl(t->vcpu->fd, KVM_SET_NESTED_STATE, n);
	free(n);
	return ok;
}

/*
 * KVM_GET_NESTED_STATE in L2 (stopped at its report to userspace) says
 * the current VMCS is enlightened; in a new VM, L2's exit still goes to
 * the enlightened VMCS.
 */
static void test_nested_state(struct test *t)
{
	uint32_t flags = 0;
	struct ucall uc;
	uint64_t a;
	bool ok;

	evmcs_setup(t, l2_sync, GUEST_CODE_SIZE(l2_sync), 0);
	memcpy(t->mem + VAR_RESUME, &(uint64_t){ 1 }, 8);
	a = vcpu_run_ucall(t->vcpu, &uc);
	ok = migrate(t, &flags);
	ksft_test_result(a == UCALL_SYNC && uc.args[0] == 0x77 &&
			 (flags & KVM_STATE_NESTED_GUEST_MODE) &&
			 (flags & KVM_STATE_NESTED_EVMCS),
			 "nested_state_in_l2_has_evmcs (flags %#x)\n", flags);

	t->ev->exit_reason = 0;
	a = run_l1(t, true);
	report_exit(t, ok && !a && t->ev->exit_reason == REASON_VMCALL &&
		    t->ev->guest_rip == L2_GPA + 9,
		    "exit_after_migration_written_to_evmcs");
}

static bool host_has_vmx(int kvm_fd)
{
	struct kvm_cpuid2 *c = kvm_cpuid2_alloc(128);
	bool vmx = false;
	uint32_t i;

	TEST_REQUIRE(!ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c),
		     "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == 1)
			vmx = c->entries[i].ecx & _BITUL(5);
	free(c);
	return vmx;
}

#define NR_CASES 16

int main(void)
{
	int kvm_fd = kvm_open_dev();
	struct kvm_nested_state state;
	uint64_t a, basic = 0;
	uint32_t before, after;
	struct ucall uc;
	struct test t;
	int i;

	ksft_print_header();
	ksft_set_plan(NR_CASES);
	if (!host_has_vmx(kvm_fd) ||
	    kvm_check_cap(kvm_fd, KVM_CAP_HYPERV_ENLIGHTENED_VMCS) <= 0) {
		for (i = 0; i < NR_CASES; i++)
			ksft_test_result_skip("no enlightened VMCS\n");
		ksft_finished();
	}
	TEST_REQUIRE(kvm_get_msr(kvm_fd, MSR_IA32_VMX_BASIC, &basic) == 1,
		     "IA32_VMX_BASIC");
	test_init(&t, basic);

	/* Without the capability, no nested state names an eVMCS. */
	memset(&state, 0, sizeof(state));
	state.size = sizeof(state);
	state.flags = KVM_STATE_NESTED_EVMCS;
	state.hdr.vmx.vmxon_pa = -1ULL;
	state.hdr.vmx.vmcs12_pa = -1ULL;
	ksft_test_result(ioctl(t.vcpu->fd, KVM_SET_NESTED_STATE, &state) &&
			 errno == EINVAL,
			 "evmcs_nested_state_needs_the_cap\n");

	before = hv_leaf_eax(t.vcpu->fd, HV_NESTED_LEAF);
	ksft_test_result(enable_evmcs(t.vcpu) == 0x0101,
			 "enable_gives_version_1\n");
	after = hv_leaf_eax(t.vcpu->fd, HV_NESTED_LEAF);
	ksft_test_result(!(before & 0xffff) && (after & 0xffff) == 0x0101 &&
			 (hv_leaf_eax(t.vcpu->fd, HV_ENLIGHTMENT_LEAF) &
			  HV_EVMCS_RECOMMENDED),
			 "vcpu_hv_cpuid_shows_evmcs_once_enabled (%#x %#x)\n",
			 before, after);
	ksft_test_result((hv_leaf_eax(kvm_fd, HV_NESTED_LEAF) & 0xffff) ==
			 0x0101 &&
			 (hv_leaf_eax(kvm_fd, HV_NESTED_LEAF) &
			  HV_NESTED_DIRECT_FLUSH),
			 "system_hv_cpuid_offers_evmcs_and_direct_flush\n");
	set_hv_cpuid(&t);

	/* A wrong revision: not taken, and there is no current VMCS. */
	evmcs_setup(&t, l2_vmcall_cpuid, GUEST_CODE_SIZE(l2_vmcall_cpuid), 0);
	t.ev->revision_id = 2;
	a = run_l1(&t, false);
	ksft_test_result(a == (VMFAIL_MARK | RFLAGS_CF),
			 "wrong_revision_vmfail_invalid (%#llx)\n",
			 (unsigned long long)a);

	t.ev->revision_id = 1;
	a = run_l1(&t, false);
	report_exit(&t, !a && t.ev->exit_reason == REASON_VMCALL &&
		    t.ev->guest_rip == L2_GPA && t.ev->exit_insn_len == 3,
		    "l2_exit_written_to_evmcs");

	/* L1 moves L2 past the VMCALL in memory; VMRESUME takes it. */
	t.ev->guest_rip += 3;
	a = run_l1(&t, true);
	report_exit(&t, !a && t.ev->exit_reason == REASON_CPUID &&
		    t.ev->guest_rip == L2_GPA + 5,
		    "vmresume_reads_evmcs_again");

	test_msr_bitmap(&t);
	test_nested_state(&t);
	test_direct_flush(&t);

	/* An enlightened VMCS at an address with no memory: #UD. */
	t.vp->current_nested_vmcs = 0x100000000ULL;
	memcpy(t.mem + VAR_RESUME, &(uint64_t){ 1 }, 8);
	ksft_test_result(!vcpu_run(t.vcpu) && vcpu_exit_ucall(t.vcpu, &uc) &&
			 uc.cmd == UCALL_EXCEPTION && uc.args[0] == UD_VECTOR,
			 "evmcs_without_memory_ud\n");

	vm_destroy(t.vm);
	ksft_finished();
}
