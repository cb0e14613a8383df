// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested VMX: a guest hypervisor (L1) that runs guests of its own (L2)
 * with the VMX instructions, as the SDM (vol. 3C, chapters 24-28)
 * describes them.
 *
 * L1 gets VMX in its CPUID, IA32_FEATURE_CONTROL and the VMX capability
 * MSRs (struct vmx_nested_caps), and may set CR4.VMXE.  Every VMX
 * instruction exits to us and is emulated here.  L1's VMCSs (VMCS12s)
 * have our own layout (vmcs12.h); VMREAD and VMWRITE work on the current
 * one, cached in the vCPU.
 *
 * VMLAUNCH and VMRESUME run L2 in a second VMCS of ours, the VMCS02: L2's
 * state from the VMCS12, our controls with the exits L1 asked for added,
 * and -- L1 gets no EPT -- our EPT of L1's memory, since L2's physical
 * addresses are L1's.  L1's state stays in the vCPU's own VMCS, the
 * VMCS01, which is switched back to when L2 exits to L1.
 *
 * An exit of L2 that L1 asked for goes to L1: L2's state and the exit
 * information are written to the VMCS12 and L1 gets the host state the
 * VMCS12 names.  Other exits are ours, handled as for any guest, L2's
 * state being the vCPU's then.  L1's interrupts and NMIs exit to L1 if it
 * asked for that (external-interrupt and NMI exiting), and go to L2
 * otherwise; exceptions we raise for L2 exit to L1 if its exception
 * bitmap takes them.
 *
 * What VM entry and exit do not switch (CR2, the SYSCALL MSRs,
 * IA32_KERNEL_GS_BASE, the general registers but RSP) is simply the
 * vCPU's: L2 starts with L1's and L1 finds L2's.  L1 and L2 share the
 * vCPU's VPID and EPT; each switch flushes them.
 *
 * VMCS shadowing is emulated: L2's VMREAD and VMWRITE that L1's bitmaps
 * let through work on the shadow VMCS in L1's memory.
 *
 * An SMI leaves VMX operation, and L2, until RSM.  KVM_GET/SET_NESTED_STATE
 * save and restore VMX operation, L2 included.
 *
 * Hyper-V's enlightened VMCS, a VMCS12 L1 writes in its own memory in a
 * format of Hyper-V's (evmcs.c), is made current by VMLAUNCH and
 * VMRESUME instead of VMPTRLD.
 *
 * Not offered: EPT and VPID for L1, unrestricted guest, the secondary
 * controls but virtualized APIC accesses and VMCS shadowing, MSR load
 * and store lists (an entry that asks for them fails), the preemption
 * timer, the rest of APIC virtualization and activity states.
 */
#include <linux/kvm.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <asm/mce.h>
#include <asm/trapnr.h>

#include "vmx.h"

bool vmx_nested = true;
module_param_named(nested, vmx_nested, bool, 0444);
MODULE_PARM_DESC(nested, "let guests run guests of their own (nested VMX)");

/* VMPTRST's answer when there is no current VMCS. */
#define NO_VMCS12	(~0ULL)

#define RFLAGS_ARITH	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

/* The controls L1 may set (SDM vol. 3C, 25.6-25.8), as far as emulated. */
#define NESTED_PIN	(PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING | \
			 PIN_BASED_VIRTUAL_NMIS)
#define NESTED_PROC	(CPU_BASED_INTR_WINDOW_EXITING | \
			 CPU_BASED_USE_TSC_OFFSETTING | CPU_BASED_HLT_EXITING | \
			 CPU_BASED_INVLPG_EXITING | CPU_BASED_MWAIT_EXITING | \
			 CPU_BASED_RDPMC_EXITING | CPU_BASED_RDTSC_EXITING | \
			 CPU_BASED_CR3_LOAD_EXITING | \
			 CPU_BASED_CR3_STORE_EXITING | \
			 CPU_BASED_CR8_LOAD_EXITING | \
			 CPU_BASED_CR8_STORE_EXITING | \
			 CPU_BASED_NMI_WINDOW_EXITING | \
			 CPU_BASED_MOV_DR_EXITING | CPU_BASED_UNCOND_IO_EXITING | \
			 CPU_BASED_USE_IO_BITMAPS | CPU_BASED_USE_MSR_BITMAPS | \
			 CPU_BASED_MONITOR_EXITING | CPU_BASED_PAUSE_EXITING | \
			 CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)
/*
 * Of those, the exits the VMCS02 takes for L1 on top of ours.  I/O and
 * MSR accesses always exit to us and are sorted out by L1's bitmaps.
 */
#define NESTED_PROC_EXITS (NESTED_PROC & ~(CPU_BASED_USE_TSC_OFFSETTING | \
			 CPU_BASED_UNCOND_IO_EXITING | \
			 CPU_BASED_USE_IO_BITMAPS | CPU_BASED_USE_MSR_BITMAPS | \
			 CPU_BASED_ACTIVATE_SECONDARY_CONTROLS))
/*
 * The secondary controls L1 may set.  Virtualized APIC accesses are all
 * L1's: L2's accesses to the page exit to it, which only asks for the
 * processor to compare addresses -- the page itself is never used.
 */
#define NESTED_PROC2	(SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES | \
			 SECONDARY_EXEC_TSC_SCALING)
/*
 * Secondary controls emulated whatever the processor has: with VMCS
 * shadowing, L2's VMREAD and VMWRITE exit to us anyway (the VMCS02 does
 * not shadow) and we carry them out on L1's shadow VMCS.
 */
#define NESTED_PROC2_EMULATED	SECONDARY_EXEC_SHADOW_VMCS
#define NESTED_EXIT	(VM_EXIT_SAVE_DEBUG_CONTROLS | \
			 VM_EXIT_HOST_ADDR_SPACE_SIZE | \
			 VM_EXIT_ACK_INTR_ON_EXIT | VM_EXIT_SAVE_IA32_PAT | \
			 VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_IA32_EFER | \
			 VM_EXIT_LOAD_IA32_EFER)
#define NESTED_ENTRY	(VM_ENTRY_LOAD_DEBUG_CONTROLS | VM_ENTRY_IA32E_MODE | \
			 VM_ENTRY_LOAD_IA32_PAT | VM_ENTRY_LOAD_IA32_EFER)
/*
 * The controls that must be 1 (the "default1" classes of SDM vol. 3D,
 * A.2), less those the true capability MSRs let be 0: CR3 load and
 * store exiting, saving and loading the debug controls.
 */
#define TRUE_PROC_FIXED1 (CPU_BASED_ALWAYSON_WITHOUT_TRUE_MSR & \
			  ~(CPU_BASED_CR3_LOAD_EXITING | \
			    CPU_BASED_CR3_STORE_EXITING))
#define TRUE_EXIT_FIXED1 (VM_EXIT_ALWAYSON_WITHOUT_TRUE_MSR & \
			  ~VM_EXIT_SAVE_DEBUG_CONTROLS)
#define TRUE_ENTRY_FIXED1 (VM_ENTRY_ALWAYSON_WITHOUT_TRUE_MSR & \
			   ~VM_ENTRY_LOAD_DEBUG_CONTROLS)

#define DR7_RESET	0x400UL
#define CPUID1_ECX_VMX	BIT(X86_FEATURE_VMX & 31)
#define CPUID1_ECX_SMX	BIT(X86_FEATURE_SMX & 31)

static struct vmx_nested_caps nested_default;

/*
 * The VMCS12 fields: encodings and where they are.  A field is found by
 * its encoding; 64-bit fields also by their high half's (bit 0 set).
 */
struct vmcs12_field {
	u32 encoding;
	u16 offset;
};

#define FIELD(enc, member)	{ enc, offsetof(struct vmcs12, member) }

static const struct vmcs12_field vmcs12_fields[] = {
	FIELD(VIRTUAL_PROCESSOR_ID, vpid),
	FIELD(POSTED_INTR_NV, posted_intr_nv),
	FIELD(GUEST_ES_SELECTOR, guest_sel[VCPU_SEG_ES]),
	FIELD(GUEST_CS_SELECTOR, guest_sel[VCPU_SEG_CS]),
	FIELD(GUEST_SS_SELECTOR, guest_sel[VCPU_SEG_SS]),
	FIELD(GUEST_DS_SELECTOR, guest_sel[VCPU_SEG_DS]),
	FIELD(GUEST_FS_SELECTOR, guest_sel[VCPU_SEG_FS]),
	FIELD(GUEST_GS_SELECTOR, guest_sel[VCPU_SEG_GS]),
	FIELD(GUEST_LDTR_SELECTOR, guest_sel[VCPU_SEG_LDTR]),
	FIELD(GUEST_TR_SELECTOR, guest_sel[VCPU_SEG_TR]),
	FIELD(GUEST_ES_BASE, guest_base[VCPU_SEG_ES]),
	FIELD(GUEST_CS_BASE, guest_base[VCPU_SEG_CS]),
	FIELD(GUEST_SS_BASE, guest_base[VCPU_SEG_SS]),
	FIELD(GUEST_DS_BASE, guest_base[VCPU_SEG_DS]),
	FIELD(GUEST_FS_BASE, guest_base[VCPU_SEG_FS]),
	FIELD(GUEST_GS_BASE, guest_base[VCPU_SEG_GS]),
	FIELD(GUEST_LDTR_BASE, guest_base[VCPU_SEG_LDTR]),
	FIELD(GUEST_TR_BASE, guest_base[VCPU_SEG_TR]),
	FIELD(GUEST_ES_LIMIT, guest_limit[VCPU_SEG_ES]),
	FIELD(GUEST_CS_LIMIT, guest_limit[VCPU_SEG_CS]),
	FIELD(GUEST_SS_LIMIT, guest_limit[VCPU_SEG_SS]),
	FIELD(GUEST_DS_LIMIT, guest_limit[VCPU_SEG_DS]),
	FIELD(GUEST_FS_LIMIT, guest_limit[VCPU_SEG_FS]),
	FIELD(GUEST_GS_LIMIT, guest_limit[VCPU_SEG_GS]),
	FIELD(GUEST_LDTR_LIMIT, guest_limit[VCPU_SEG_LDTR]),
	FIELD(GUEST_TR_LIMIT, guest_limit[VCPU_SEG_TR]),
	FIELD(GUEST_ES_AR_BYTES, guest_ar[VCPU_SEG_ES]),
	FIELD(GUEST_CS_AR_BYTES, guest_ar[VCPU_SEG_CS]),
	FIELD(GUEST_SS_AR_BYTES, guest_ar[VCPU_SEG_SS]),
	FIELD(GUEST_DS_AR_BYTES, guest_ar[VCPU_SEG_DS]),
	FIELD(GUEST_FS_AR_BYTES, guest_ar[VCPU_SEG_FS]),
	FIELD(GUEST_GS_AR_BYTES, guest_ar[VCPU_SEG_GS]),
	FIELD(GUEST_LDTR_AR_BYTES, guest_ar[VCPU_SEG_LDTR]),
	FIELD(GUEST_TR_AR_BYTES, guest_ar[VCPU_SEG_TR]),
	FIELD(GUEST_INTR_STATUS, guest_intr_status),
	FIELD(GUEST_PML_INDEX, guest_pml_index),
	FIELD(HOST_ES_SELECTOR, host_sel[0]),
	FIELD(HOST_CS_SELECTOR, host_sel[1]),
	FIELD(HOST_SS_SELECTOR, host_sel[2]),
	FIELD(HOST_DS_SELECTOR, host_sel[3]),
	FIELD(HOST_FS_SELECTOR, host_sel[4]),
	FIELD(HOST_GS_SELECTOR, host_sel[5]),
	FIELD(HOST_TR_SELECTOR, host_sel[6]),
	FIELD(IO_BITMAP_A, io_bitmap_a),
	FIELD(IO_BITMAP_B, io_bitmap_b),
	FIELD(MSR_BITMAP, msr_bitmap),
	FIELD(VM_EXIT_MSR_STORE_ADDR, exit_msr_store_addr),
	FIELD(VM_EXIT_MSR_LOAD_ADDR, exit_msr_load_addr),
	FIELD(VM_ENTRY_MSR_LOAD_ADDR, entry_msr_load_addr),
	FIELD(TSC_OFFSET, tsc_offset),
	FIELD(TSC_MULTIPLIER, tsc_multiplier),
	FIELD(VIRTUAL_APIC_PAGE_ADDR, virtual_apic_addr),
	FIELD(APIC_ACCESS_ADDR, apic_access_addr),
	FIELD(EPT_POINTER, ept_pointer),
	FIELD(VMREAD_BITMAP, vmread_bitmap),
	FIELD(VMWRITE_BITMAP, vmwrite_bitmap),
	FIELD(GUEST_PHYSICAL_ADDRESS, guest_phys_addr),
	FIELD(VMCS_LINK_POINTER, guest_link_pointer),
	FIELD(GUEST_IA32_DEBUGCTL, guest_debugctl),
	FIELD(GUEST_IA32_PAT, guest_pat),
	FIELD(GUEST_IA32_EFER, guest_efer),
	FIELD(GUEST_IA32_PERF_GLOBAL_CTRL, guest_perf_global_ctrl),
	FIELD(GUEST_PDPTR0, guest_pdpte[0]),
	FIELD(GUEST_PDPTR1, guest_pdpte[1]),
	FIELD(GUEST_PDPTR2, guest_pdpte[2]),
	FIELD(GUEST_PDPTR3, guest_pdpte[3]),
	FIELD(HOST_IA32_PAT, host_pat),
	FIELD(HOST_IA32_EFER, host_efer),
	FIELD(HOST_IA32_PERF_GLOBAL_CTRL, host_perf_global_ctrl),
	FIELD(PIN_BASED_VM_EXEC_CONTROL, pin),
	FIELD(CPU_BASED_VM_EXEC_CONTROL, proc),
	FIELD(EXCEPTION_BITMAP, exception_bitmap),
	FIELD(PAGE_FAULT_ERROR_CODE_MASK, pf_error_mask),
	FIELD(PAGE_FAULT_ERROR_CODE_MATCH, pf_error_match),
	FIELD(CR3_TARGET_COUNT, cr3_target_count),
	FIELD(VM_EXIT_CONTROLS, exit_ctls),
	FIELD(VM_EXIT_MSR_STORE_COUNT, exit_msr_store_count),
	FIELD(VM_EXIT_MSR_LOAD_COUNT, exit_msr_load_count),
	FIELD(VM_ENTRY_CONTROLS, entry_ctls),
	FIELD(VM_ENTRY_MSR_LOAD_COUNT, entry_msr_load_count),
	FIELD(VM_ENTRY_INTR_INFO_FIELD, entry_intr_info),
	FIELD(VM_ENTRY_EXCEPTION_ERROR_CODE, entry_error_code),
	FIELD(VM_ENTRY_INSTRUCTION_LEN, entry_insn_len),
	FIELD(TPR_THRESHOLD, tpr_threshold),
	FIELD(SECONDARY_VM_EXEC_CONTROL, proc2),
	FIELD(PLE_GAP, ple_gap),
	FIELD(PLE_WINDOW, ple_window),
	FIELD(VM_INSTRUCTION_ERROR, insn_error),
	FIELD(VM_EXIT_REASON, exit_reason),
	FIELD(VM_EXIT_INTR_INFO, exit_intr_info),
	FIELD(VM_EXIT_INTR_ERROR_CODE, exit_intr_error),
	FIELD(IDT_VECTORING_INFO_FIELD, idt_vectoring_info),
	FIELD(IDT_VECTORING_ERROR_CODE, idt_vectoring_error),
	FIELD(VM_EXIT_INSTRUCTION_LEN, exit_insn_len),
	FIELD(VMX_INSTRUCTION_INFO, insn_info),
	FIELD(GUEST_GDTR_LIMIT, guest_gdtr_limit),
	FIELD(GUEST_IDTR_LIMIT, guest_idtr_limit),
	FIELD(GUEST_INTERRUPTIBILITY_INFO, guest_interruptibility),
	FIELD(GUEST_ACTIVITY_STATE, guest_activity),
	FIELD(GUEST_SYSENTER_CS, guest_sysenter_cs),
	FIELD(VMX_PREEMPTION_TIMER_VALUE, preemption_timer),
	FIELD(HOST_IA32_SYSENTER_CS, host_sysenter_cs),
	FIELD(CR0_GUEST_HOST_MASK, cr0_mask),
	FIELD(CR4_GUEST_HOST_MASK, cr4_mask),
	FIELD(CR0_READ_SHADOW, cr0_shadow),
	FIELD(CR4_READ_SHADOW, cr4_shadow),
	FIELD(CR3_TARGET_VALUE0, cr3_target[0]),
	FIELD(CR3_TARGET_VALUE1, cr3_target[1]),
	FIELD(CR3_TARGET_VALUE2, cr3_target[2]),
	FIELD(CR3_TARGET_VALUE3, cr3_target[3]),
	FIELD(EXIT_QUALIFICATION, exit_qual),
	FIELD(GUEST_LINEAR_ADDRESS, guest_linear_addr),
	FIELD(GUEST_CR0, guest_cr0),
	FIELD(GUEST_CR3, guest_cr3),
	FIELD(GUEST_CR4, guest_cr4),
	FIELD(GUEST_GDTR_BASE, guest_gdtr_base),
	FIELD(GUEST_IDTR_BASE, guest_idtr_base),
	FIELD(GUEST_DR7, guest_dr7),
	FIELD(GUEST_RSP, guest_rsp),
	FIELD(GUEST_RIP, guest_rip),
	FIELD(GUEST_RFLAGS, guest_rflags),
	FIELD(GUEST_PENDING_DBG_EXCEPTIONS, guest_pending_dbg),
	FIELD(GUEST_SYSENTER_ESP, guest_sysenter_esp),
	FIELD(GUEST_SYSENTER_EIP, guest_sysenter_eip),
	FIELD(HOST_CR0, host_cr0),
	FIELD(HOST_CR3, host_cr3),
	FIELD(HOST_CR4, host_cr4),
	FIELD(HOST_FS_BASE, host_fs_base),
	FIELD(HOST_GS_BASE, host_gs_base),
	FIELD(HOST_TR_BASE, host_tr_base),
	FIELD(HOST_GDTR_BASE, host_gdtr_base),
	FIELD(HOST_IDTR_BASE, host_idtr_base),
	FIELD(HOST_IA32_SYSENTER_ESP, host_sysenter_esp),
	FIELD(HOST_IA32_SYSENTER_EIP, host_sysenter_eip),
	FIELD(HOST_RSP, host_rsp),
	FIELD(HOST_RIP, host_rip),
};

/* Field encodings (SDM vol. 3D, B): width in bits 14:13, type in 11:10. */
#define FIELD_WIDTH(enc)	(((enc) >> 13) & 3)
#define FIELD_WIDTH_16		0
#define FIELD_WIDTH_64		1
#define FIELD_WIDTH_32		2
#define FIELD_TYPE(enc)		(((enc) >> 10) & 3)
#define FIELD_TYPE_EXIT_INFO	1

/*
 * Where the field of @enc is in a VMCS12, or -1 if there is no such
 * field; *@high: the high half of a 64-bit one.
 */
static int vmcs12_field_offset(unsigned long enc, bool *high)
{
	unsigned int i;

	*high = FIELD_WIDTH(enc) == FIELD_WIDTH_64 && (enc & 1);
	if (*high)
		enc &= ~1UL;
	for (i = 0; i < ARRAY_SIZE(vmcs12_fields); i++)
		if (vmcs12_fields[i].encoding == enc)
			return vmcs12_fields[i].offset;
	return -1;
}

static u64 field_truncate(unsigned long enc, u64 val)
{
	switch (FIELD_WIDTH(enc)) {
	case FIELD_WIDTH_16:
		return (u16)val;
	case FIELD_WIDTH_32:
		return (u32)val;
	default:
		return val;
	}
}

static u64 ctl_cap(u32 fixed1, u32 allowed)
{
	return fixed1 | (u64)(fixed1 | allowed) << 32;
}

/* The allowed-1 half of a hardware control MSR, true version if any. */
static u32 hw_allowed(u32 msr, u32 true_msr, bool true_ctls)
{
	u64 caps = 0;

	rdmsrl_safe(true_ctls ? true_msr : msr, &caps);
	return caps >> 32;
}

/**
 * vmx_nested_setup() - what nested VMX offers, from the processor's VMX
 *
 * Called at load, after vmx_config is read.
 *
 * Return: 0.
 */
int vmx_nested_setup(void)
{
	struct vmx_nested_caps *c = &nested_default;
	u32 max_index = 0;
	bool true_ctls;
	unsigned int i;
	u64 basic;

	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	true_ctls = basic & VMX_BASIC_TRUE_CTLS;
	c->basic = VMCS12_REVISION | (u64)PAGE_SIZE << 32 |
		   (u64)X86_MEMTYPE_WB << 50 | VMX_BASIC_TRUE_CTLS |
		   (basic & VMX_BASIC_INOUT);
	c->pin = ctl_cap(PIN_BASED_ALWAYSON_WITHOUT_TRUE_MSR,
			 NESTED_PIN & vmx_config.pin);
	c->proc = ctl_cap(TRUE_PROC_FIXED1, NESTED_PROC &
			  hw_allowed(MSR_IA32_VMX_PROCBASED_CTLS,
				     MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
				     true_ctls));
	c->proc2 = ctl_cap(0, NESTED_PROC2_EMULATED | (NESTED_PROC2 &
			      hw_allowed(MSR_IA32_VMX_PROCBASED_CTLS2,
					 MSR_IA32_VMX_PROCBASED_CTLS2, false)));
	c->exit = ctl_cap(TRUE_EXIT_FIXED1, NESTED_EXIT);
	c->entry = ctl_cap(TRUE_ENTRY_FIXED1, NESTED_ENTRY);
	c->misc = 0;
	/* No unrestricted guest: L2 runs paged, in protected mode. */
	c->cr0_fixed0 = X86_CR0_PE | X86_CR0_NE | X86_CR0_PG;
	c->cr0_fixed1 = vmx_config.cr0_fixed1;
	c->cr4_fixed0 = X86_CR4_VMXE;
	c->cr4_fixed1 = vmx_config.cr4_fixed1;
	for (i = 0; i < ARRAY_SIZE(vmcs12_fields); i++)
		max_index = max(max_index, (vmcs12_fields[i].encoding >> 1) & 0x1ff);
	c->vmcs_enum = max_index << 1;
	BUILD_BUG_ON(sizeof(struct vmcs12) > PAGE_SIZE);
	return 0;
}

/**
 * vmx_nested_init() - a new vCPU, outside VMX operation
 * @vmx: the vCPU, with its VMCS allocated
 *
 * Return: 0.
 */
int vmx_nested_init(struct vcpu_vmx *vmx)
{
	struct vmx_nested *n = &vmx->nested;

	n->caps = nested_default;
	n->current_gpa = NO_VMCS12;
	n->vmcs01 = vmx->vmcs;
	n->vmcs01_pa = vmx->vmcs_pa;
	return 0;
}

/**
 * vmx_nested_free() - free the vCPU's VMCSs
 * @vmx: the vCPU, going away (put: no VMCS of it is active)
 */
void vmx_nested_free(struct vcpu_vmx *vmx)
{
	struct vmx_nested *n = &vmx->nested;

	if (n->apic_access_page)
		put_page(n->apic_access_page);
	free_page((unsigned long)n->vmcs01);
	if (n->vmcs02)
		free_page((unsigned long)n->vmcs02);
	kfree(n->vmcs12);
	vmx_evmcs_free(vmx);
}

static int nested_alloc(struct vcpu_vmx *vmx)
{
	struct vmx_nested *n = &vmx->nested;
	struct page *page;

	if (n->vmcs02)
		return 0;
	n->vmcs12 = kzalloc(sizeof(*n->vmcs12), GFP_KERNEL_ACCOUNT);
	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!n->vmcs12 || !page) {
		kfree(n->vmcs12);
		n->vmcs12 = NULL;
		if (page)
			__free_page(page);
		return -ENOMEM;
	}
	n->vmcs02 = page_address(page);
	*(u32 *)n->vmcs02 = vmx_config.revision;
	n->vmcs02_pa = page_to_phys(page);
	return 0;
}

/**
 * vmx_nested_allowed() - may this vCPU's guest use VMX?
 * @vmx: the vCPU
 *
 * Return: true with nested VMX on and VMX in the guest's CPUID.
 */
bool vmx_nested_allowed(struct vcpu_vmx *vmx)
{
	const struct kvm_cpuid_entry2 *e;

	if (!vmx_nested)
		return false;
	e = kvm_find_cpuid(&vmx->x86, 1, 0);
	return e && (e->ecx & CPUID1_ECX_VMX);
}

/**
 * vmx_nested_cpuid() - what KVM_GET_SUPPORTED_CPUID offers of VMX
 * @e: a supported entry
 */
void vmx_nested_cpuid(struct kvm_cpuid_entry2 *e)
{
	if (vmx_nested && e->function == 1)
		e->ecx |= CPUID1_ECX_VMX;
}

static int nested_read_cap(const struct vmx_nested_caps *c, u32 index,
			   u64 *data)
{
	switch (index) {
	case MSR_IA32_VMX_BASIC:
		*data = c->basic;
		break;
	case MSR_IA32_VMX_PINBASED_CTLS:
		*data = c->pin | PIN_BASED_ALWAYSON_WITHOUT_TRUE_MSR;
		break;
	case MSR_IA32_VMX_TRUE_PINBASED_CTLS:
		*data = c->pin;
		break;
	case MSR_IA32_VMX_PROCBASED_CTLS:
		*data = c->proc | CPU_BASED_ALWAYSON_WITHOUT_TRUE_MSR;
		break;
	case MSR_IA32_VMX_TRUE_PROCBASED_CTLS:
		*data = c->proc;
		break;
	case MSR_IA32_VMX_EXIT_CTLS:
		*data = c->exit | VM_EXIT_ALWAYSON_WITHOUT_TRUE_MSR;
		break;
	case MSR_IA32_VMX_TRUE_EXIT_CTLS:
		*data = c->exit;
		break;
	case MSR_IA32_VMX_ENTRY_CTLS:
		*data = c->entry | VM_ENTRY_ALWAYSON_WITHOUT_TRUE_MSR;
		break;
	case MSR_IA32_VMX_TRUE_ENTRY_CTLS:
		*data = c->entry;
		break;
	case MSR_IA32_VMX_MISC:
		*data = c->misc;
		break;
	case MSR_IA32_VMX_CR0_FIXED0:
		*data = c->cr0_fixed0;
		break;
	case MSR_IA32_VMX_CR0_FIXED1:
		*data = c->cr0_fixed1;
		break;
	case MSR_IA32_VMX_CR4_FIXED0:
		*data = c->cr4_fixed0;
		break;
	case MSR_IA32_VMX_CR4_FIXED1:
		*data = c->cr4_fixed1;
		break;
	case MSR_IA32_VMX_VMCS_ENUM:
		*data = c->vmcs_enum;
		break;
	case MSR_IA32_VMX_PROCBASED_CTLS2:
		*data = c->proc2;
		break;
	case MSR_IA32_VMX_EPT_VPID_CAP:
		*data = c->ept_vpid;
		break;
	case MSR_IA32_VMX_VMFUNC:
		*data = c->vmfunc;
		break;
	default:
		return -ENOENT;
	}
	return 0;
}

/* Are the bits of @val under @mask a subset of @sup's? */
static bool bits_subset(u64 val, u64 sup, u64 mask)
{
	return !(val & ~sup & mask);
}

/* A control MSR: at least the fixed-1 bits, at most the allowed-1 bits. */
static bool ctl_cap_narrower(u64 val, u64 sup)
{
	return bits_subset(sup, val, GENMASK_ULL(31, 0)) &&
	       bits_subset(val, sup, GENMASK_ULL(63, 32));
}

/*
 * Userspace takes features away from L1 (as a VMM does to match a
 * migration target): only ever fewer than the default offers, and only
 * outside VMX operation.  The non-true control MSRs follow the true ones.
 */
static int nested_restrict_cap(struct vcpu_vmx *vmx, u32 index, u64 data)
{
	const struct vmx_nested_caps *d = &nested_default;
	struct vmx_nested_caps *c = &vmx->nested.caps;
	u64 basic_features = VMX_BASIC_DUAL_MONITOR_TREATMENT |
			     VMX_BASIC_INOUT | VMX_BASIC_TRUE_CTLS;
	u64 misc_features = VMX_MISC_SAVE_EFER_LMA | GENMASK_ULL(8, 6) |
			    VMX_MISC_INTEL_PT | VMX_MISC_RDMSR_IN_SMM |
			    VMX_MISC_VMXOFF_BLOCK_SMI |
			    VMX_MISC_VMWRITE_SHADOW_RO_FIELDS |
			    VMX_MISC_ZERO_LEN_INS;
	const u64 *def;
	u64 *cap;

	if (vmx->nested.vmxon)
		return -EBUSY;
	switch (index) {
	case MSR_IA32_VMX_BASIC:
		if ((data ^ d->basic) & ~basic_features ||
		    !bits_subset(data, d->basic, basic_features))
			return -EINVAL;
		c->basic = data;
		return 0;
	case MSR_IA32_VMX_MISC:
		if ((data ^ d->misc) & ~misc_features ||
		    !bits_subset(data, d->misc, misc_features))
			return -EINVAL;
		c->misc = data;
		return 0;
	case MSR_IA32_VMX_VMCS_ENUM:
		c->vmcs_enum = data;
		return 0;
	case MSR_IA32_VMX_EPT_VPID_CAP:
		if (!bits_subset(data, d->ept_vpid, ~0ULL))
			return -EINVAL;
		c->ept_vpid = data;
		return 0;
	case MSR_IA32_VMX_VMFUNC:
		if (!bits_subset(data, d->vmfunc, ~0ULL))
			return -EINVAL;
		c->vmfunc = data;
		return 0;
	case MSR_IA32_VMX_TRUE_PINBASED_CTLS:
		cap = &c->pin;
		def = &d->pin;
		break;
	case MSR_IA32_VMX_TRUE_PROCBASED_CTLS:
		cap = &c->proc;
		def = &d->proc;
		break;
	case MSR_IA32_VMX_TRUE_EXIT_CTLS:
		cap = &c->exit;
		def = &d->exit;
		break;
	case MSR_IA32_VMX_TRUE_ENTRY_CTLS:
		cap = &c->entry;
		def = &d->entry;
		break;
	case MSR_IA32_VMX_PROCBASED_CTLS2:
		cap = &c->proc2;
		def = &d->proc2;
		break;
	default:
		/* The fixed CR bits and the non-true MSRs: as they are. */
		return nested_read_cap(c, index, &data) ? -ENOENT : -EINVAL;
	}
	if (!ctl_cap_narrower(data, *def))
		return -EINVAL;
	*cap = data;
	return 0;
}

/*
 * IA32_FEATURE_CONTROL: firmware (userspace, or the guest's BIOS) enables
 * VMX in it and locks it; VMXON needs both.
 */
static int nested_set_feat_ctl(struct vcpu_vmx *vmx, u64 data, bool host)
{
	struct kvm_x86_vcpu *vcpu = &vmx->x86;
	const struct kvm_cpuid_entry2 *e;
	u64 valid = FEAT_CTL_LOCKED;

	if (host) {
		valid |= FEAT_CTL_VMX_ENABLED_INSIDE_SMX |
			 FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX |
			 FEAT_CTL_SGX_LC_ENABLED | FEAT_CTL_SGX_ENABLED |
			 FEAT_CTL_LMCE_ENABLED;
	} else {
		if (vmx->nested.feat_ctl & FEAT_CTL_LOCKED)
			return -EINVAL;
		e = kvm_find_cpuid(vcpu, 1, 0);
		if (vmx_nested_allowed(vmx))
			valid |= FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX |
				 (e->ecx & CPUID1_ECX_SMX ?
				  FEAT_CTL_VMX_ENABLED_INSIDE_SMX : 0);
		if (vcpu->mcg_cap & MCG_LMCE_P)
			valid |= FEAT_CTL_LMCE_ENABLED;
	}
	if (data & ~valid)
		return -EINVAL;
	vmx->nested.feat_ctl = data;
	return 0;
}

/**
 * vmx_nested_msr() - IA32_FEATURE_CONTROL and the VMX capability MSRs
 * @vcpu: the vCPU, or NULL for the values KVM_GET_MSRS reads on /dev/kvm
 * @index: the MSR
 * @data: the value read, or to write
 * @write: write rather than read
 * @host: for userspace rather than the guest
 *
 * The guest reads the capability MSRs if its CPUID has VMX, and writes
 * none; userspace reads them and may restrict them.
 *
 * Return: 0, -ENOENT for an MSR that is not one of them, or -EINVAL (a
 * #GP for the guest) for an access it may not make.
 */
int vmx_nested_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data,
		   bool write, bool host)
{
	struct vcpu_vmx *vmx = vcpu ? to_vmx(vcpu) : NULL;

	if (index == MSR_IA32_FEAT_CTL) {
		if (!vmx)
			return -ENOENT;
		if (write)
			return nested_set_feat_ctl(vmx, *data, host);
		*data = vmx->nested.feat_ctl;
		return 0;
	}
	if (!vmx_nested)
		return -ENOENT;
	if (!vmx)
		return nested_read_cap(&nested_default, index, data);
	if (!host && (write || !vmx_nested_allowed(vmx)))
		return nested_read_cap(&vmx->nested.caps, index, data) ?
		       -ENOENT : -EINVAL;
	if (write)
		return nested_restrict_cap(vmx, index, *data);
	return nested_read_cap(&vmx->nested.caps, index, data);
}

/* The privilege level: VMX keeps it in SS.DPL (SDM vol. 3C, 25.4.1). */
static unsigned int nested_cpl(void)
{
	return (vmcs_read(GUEST_SS_AR_BYTES) >> 5) & 3;
}

/* 64-bit mode: long mode and a 64-bit code segment. */
static bool nested_64bit(void)
{
	return (vmcs_read(GUEST_IA32_EFER) & EFER_LMA) &&
	       (vmcs_read(GUEST_CS_AR_BYTES) & VMX_AR_L_MASK);
}

/*
 * The checks of every VMX instruction but VMXON: #UD outside VMX
 * operation, #GP outside ring 0.  Return: true if it may go on.
 */
static bool nested_insn_allowed(struct vcpu_vmx *vmx)
{
	if (!vmx->nested.vmxon) {
		kvm_x86_queue_exception(&vmx->x86, X86_TRAP_UD, false, 0);
		return false;
	}
	if (nested_cpl()) {
		kvm_x86_queue_exception(&vmx->x86, X86_TRAP_GP, true, 0);
		return false;
	}
	return true;
}

/* The outcomes of a VMX instruction (SDM vol. 3C, 31.2). */
static int nested_succeed(struct vcpu_vmx *vmx)
{
	vmx->x86.rflags &= ~RFLAGS_ARITH;
	vmx_skip(vmx);
	return 1;
}

static int nested_fail_invalid(struct vcpu_vmx *vmx)
{
	vmx->x86.rflags = (vmx->x86.rflags & ~RFLAGS_ARITH) | X86_EFLAGS_CF;
	vmx_skip(vmx);
	return 1;
}

/* L1 finds what an exit or a failed instruction wrote in its eVMCS. */
static void nested_vmcs12_written(struct vcpu_vmx *vmx)
{
	if (vmx->nested.evmcs.active)
		vmx_evmcs_store(vmx);
}

static int nested_fail(struct vcpu_vmx *vmx, u32 error)
{
	if (vmx->nested.current_gpa == NO_VMCS12)
		return nested_fail_invalid(vmx);
	vmx->nested.vmcs12->insn_error = error;
	nested_vmcs12_written(vmx);
	vmx->x86.rflags = (vmx->x86.rflags & ~RFLAGS_ARITH) | X86_EFLAGS_ZF;
	vmx_skip(vmx);
	return 1;
}

/*
 * The linear address of the instruction's memory operand, from the
 * instruction information and the displacement in the exit qualification
 * (SDM vol. 3C, 28.2.5).
 */
static u64 nested_operand(struct vcpu_vmx *vmx, u32 info)
{
	unsigned int seg = (info >> 15) & 7;
	u64 ea = vmx->exit_qual;

	if (!(info & BIT(22)))
		ea += vmx->x86.regs[(info >> 18) & 15] << (info & 3);
	if (!(info & BIT(27)))
		ea += vmx->x86.regs[(info >> 23) & 15];
	switch ((info >> 7) & 7) {
	case 0:
		ea &= 0xffff;
		break;
	case 1:
		ea &= 0xffffffff;
		break;
	}
	if (nested_64bit())
		return ea + (seg == VCPU_SEG_FS || seg == VCPU_SEG_GS ?
			     vmcs_read(GUEST_ES_BASE + seg * 2) : 0);
	return (u32)(ea + vmcs_read(GUEST_ES_BASE + seg * 2));
}

/*
 * Read or write the memory operand.  Return: 0, or 1 if the guest got an
 * exception instead (a #PF, or a #GP for memory that is no RAM).
 */
static int nested_mem(struct vcpu_vmx *vmx, void *data, unsigned int len,
		      bool write)
{
	u64 la = nested_operand(vmx, vmcs_read(VMX_INSTRUCTION_INFO));
	int ret = kvm_x86_access_linear(&vmx->x86, la, data, len, write);

	if (ret < 0)
		kvm_x86_queue_exception(&vmx->x86, X86_TRAP_GP, true, 0);
	return ret ? 1 : 0;
}

static bool nested_gpa_valid(u64 gpa)
{
	return PAGE_ALIGNED(gpa) && !(gpa >> boot_cpu_data.x86_phys_bits);
}

/* Is L1 offered VMCS shadowing (and so VMCSs marked as shadow VMCSs)? */
static bool nested_shadowing(const struct vmx_nested *n)
{
	return (n->caps.proc2 >> 32) & SECONDARY_EXEC_SHADOW_VMCS;
}

/*
 * Write the current VMCS12 back to L1's memory; none is current then.  An
 * enlightened VMCS has its fields there already, in its own format.
 */
static void nested_put_vmcs12(struct vcpu_vmx *vmx)
{
	struct vmx_nested *n = &vmx->nested;

	if (n->current_gpa == NO_VMCS12)
		return;
	if (!n->evmcs.active)
		kvm_x86_write_guest_as(vmx->x86.vcpu.kvm, 0, n->current_gpa,
				       n->vmcs12, sizeof(*n->vmcs12));
	n->current_gpa = NO_VMCS12;
	n->evmcs.active = false;
	n->evmcs.msr_bitmap_valid = false;
}

/**
 * vmx_nested_vmxon() - VMXON: enter VMX operation
 * @vmx: the vCPU, in L1
 *
 * Return: 1 to enter the guest again, or -ENOMEM.
 */
int vmx_nested_vmxon(struct vcpu_vmx *vmx)
{
	struct vmx_nested *n = &vmx->nested;
	const struct vmx_nested_caps *c = &n->caps;
	unsigned long cr0 = vmx_get_cr0(&vmx->x86);
	unsigned long cr4 = vmx_get_cr4(&vmx->x86);
	u64 need = FEAT_CTL_LOCKED | FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX;
	u32 revision;
	u64 gpa;
	int ret;

	if (!vmx_nested_allowed(vmx) || !(cr4 & X86_CR4_VMXE) ||
	    !(cr0 & X86_CR0_PE)) {
		kvm_x86_queue_exception(&vmx->x86, X86_TRAP_UD, false, 0);
		return 1;
	}
	if (nested_cpl() || (cr0 & c->cr0_fixed0) != c->cr0_fixed0 ||
	    (cr0 & ~c->cr0_fixed1 & GENMASK(31, 0)) ||
	    (cr4 & c->cr4_fixed0) != c->cr4_fixed0 ||
	    (cr4 & ~c->cr4_fixed1) || (n->feat_ctl & need) != need) {
		kvm_x86_queue_exception(&vmx->x86, X86_TRAP_GP, true, 0);
		return 1;
	}
	if (n->vmxon)
		return nested_fail(vmx, VMXERR_VMXON_IN_VMX_ROOT_OPERATION);
	if (nested_mem(vmx, &gpa, sizeof(gpa), false))
		return 1;
	if (!nested_gpa_valid(gpa) ||
	    kvm_x86_read_guest_as(vmx->x86.vcpu.kvm, 0, gpa, &revision,
				  sizeof(revision)) ||
	    revision != VMCS12_REVISION)
		return nested_fail_invalid(vmx);
	ret = nested_alloc(vmx);
	if (ret)
		return ret;
	n->vmxon = true;
	n->vmxon_gpa = gpa;
	n->current_gpa = NO_VMCS12;
	return nested_succeed(vmx);
}

/**
 * vmx_nested_vmxoff() - VMXOFF: leave VMX operation
 * @vmx: the vCPU, in L1
 *
 * Return: 1, to enter the guest again.
 */
int vmx_nested_vmxoff(struct vcpu_vmx *vmx)
{
	if (!nested_insn_allowed(vmx))
		return 1;
	nested_put_vmcs12(vmx);
	vmx->nested.vmxon = false;
	return nested_succeed(vmx);
}

/**
 * vmx_nested_vmclear() - VMCLEAR: a VMCS12 becomes clear (not launched)
 * @vmx: the vCPU, in L1
 *
 * Return: 1, to enter the guest again.
 */
int vmx_nested_vmclear(struct vcpu_vmx *vmx)
{
	struct vmx_nested *n = &vmx->nested;
	u32 clear = 0, revision;
	u64 gpa;

	if (!nested_insn_allowed(vmx) || nested_mem(vmx, &gpa, 8, false))
		return 1;
	if (!nested_gpa_valid(gpa))
		return nested_fail(vmx, VMXERR_VMCLEAR_INVALID_ADDRESS);
	if (gpa == n->vmxon_gpa)
		return nested_fail(vmx, VMXERR_VMCLEAR_VMXON_POINTER);
	if (gpa == n->current_gpa) {
		n->vmcs12->launched = 0;
		nested_put_vmcs12(vmx);
	} else if (!kvm_x86_read_guest_as(vmx->x86.vcpu.kvm, 0, gpa, &revision,
					  sizeof(revision)) &&
		   (revision & ~BIT(31)) == VMCS12_REVISION) {
		/* Not in a region of another format (an enlightened VMCS). */
		kvm_x86_write_guest_as(vmx->x86.vcpu.kvm, 0,
				       gpa + offsetof(struct vmcs12, launched),
				       &clear, sizeof(clear));
	}
	return nested_succeed(vmx);
}

/**
 * vmx_nested_vmptrld() - VMPTRLD: make a VMCS12 current
 * @vmx: the vCPU, in L1
 *
 * Return: 1, to enter the guest again.
 */
int vmx_nested_vmptrld(struct vcpu_vmx *vmx)
{
	struct vmx_nested *n = &vmx->nested;
	struct kvm *kvm = vmx->x86.vcpu.kvm;
	u32 revision;
	u64 gpa;

	if (!nested_insn_allowed(vmx) || nested_mem(vmx, &gpa, 8, false))
		return 1;
	if (!nested_gpa_valid(gpa))
		return nested_fail(vmx, VMXERR_VMPTRLD_INVALID_ADDRESS);
	if (gpa == n->vmxon_gpa)
		return nested_fail(vmx, VMXERR_VMPTRLD_VMXON_POINTER);
	if (gpa == n->current_gpa)
		return nested_succeed(vmx);
	if (kvm_x86_read_guest_as(kvm, 0, gpa, &revision, sizeof(revision)) ||
	    (revision != VMCS12_REVISION &&
	     (revision != VMCS12_SHADOW_REVISION || !nested_shadowing(n))))
		return nested_fail(vmx,
				   VMXERR_VMPTRLD_INCORRECT_VMCS_REVISION_ID);
	nested_put_vmcs12(vmx);
	if (kvm_x86_read_guest_as(kvm, 0, gpa, n->vmcs12, sizeof(*n->vmcs12)))
		return nested_fail_invalid(vmx);
	n->current_gpa = gpa;
	return nested_succeed(vmx);
}

/**
 * vmx_nested_vmptrst() - VMPTRST: store the current VMCS12's address
 * @vmx: the vCPU, in L1
 *
 * Return: 1, to enter the guest again.
 */
int vmx_nested_vmptrst(struct vcpu_vmx *vmx)
{
	u64 gpa = vmx->nested.current_gpa;

	if (!nested_insn_allowed(vmx) || nested_mem(vmx, &gpa, 8, true))
		return 1;
	return nested_succeed(vmx);
}

/*
 * The field at @off of the VMCS that VMREAD and VMWRITE work on: in L1,
 * its current VMCS12; in L2, which gets here only through VMCS shadowing,
 * the shadow VMCS that L1 named as the VMCS link.  That one stays in L1's
 * memory: no VMCS can be made current in its place while L2 runs, and
 * L1 finds L2's writes there, or in its cache once it makes it current.
 * Return: 0, or -EFAULT if the shadow VMCS is no memory of L1's.
 */
static int nested_field_rw(struct vcpu_vmx *vmx, int off, u64 *val,
			   bool write)
{
	struct vmx_nested *n = &vmx->nested;
	struct kvm *kvm = vmx->x86.vcpu.kvm;
	gpa_t gpa = n->vmcs12->guest_link_pointer + off;
	u64 *field = (u64 *)((u8 *)n->vmcs12 + off);

	if (n->guest_mode)
		return write ? kvm_x86_write_guest_as(kvm, 0, gpa, val, 8) :
			       kvm_x86_read_guest_as(kvm, 0, gpa, val, 8);
	if (write)
		*field = *val;
	else
		*val = *field;
	return 0;
}

/**
 * vmx_nested_vmread() - VMREAD: a field of the current VMCS12
 * @vmx: the vCPU, in L1, or in L2 with VMCS shadowing
 *
 * Return: 1, to enter the guest again.
 */
int vmx_nested_vmread(struct vcpu_vmx *vmx)
{
	struct vmx_nested *n = &vmx->nested;
	u32 info = vmcs_read(VMX_INSTRUCTION_INFO);
	unsigned long enc = vmx->x86.regs[(info >> 28) & 15];
	bool wide = nested_64bit(), high;
	u64 field, val;
	int off;

	if (!nested_insn_allowed(vmx))
		return 1;
	/* An enlightened VMCS is read in L1's memory, not with VMREAD. */
	if (n->current_gpa == NO_VMCS12 || n->evmcs.active)
		return nested_fail_invalid(vmx);
	off = enc >> 32 ? -1 : vmcs12_field_offset(enc, &high);
	if (off < 0)
		return nested_fail(vmx, VMXERR_UNSUPPORTED_VMCS_COMPONENT);
	if (nested_field_rw(vmx, off, &field, false))
		return nested_fail_invalid(vmx);
	val = high ? field >> 32 : field;
	if (!wide)
		val = (u32)val;
	if (info & BIT(10))
		vmx->x86.regs[(info >> 3) & 15] = val;
	else if (nested_mem(vmx, &val, wide ? 8 : 4, true))
		return 1;
	return nested_succeed(vmx);
}

/**
 * vmx_nested_vmwrite() - VMWRITE: set a field of the current VMCS12
 * @vmx: the vCPU, in L1, or in L2 with VMCS shadowing
 *
 * The exit information is read-only (L1 is not offered VMWRITE to it).
 *
 * Return: 1, to enter the guest again.
 */
int vmx_nested_vmwrite(struct vcpu_vmx *vmx)
{
	struct vmx_nested *n = &vmx->nested;
	u32 info = vmcs_read(VMX_INSTRUCTION_INFO);
	unsigned long enc = vmx->x86.regs[(info >> 28) & 15];
	bool wide = nested_64bit(), high;
	u64 field, val = 0;
	int off;

	if (!nested_insn_allowed(vmx))
		return 1;
	if (info & BIT(10))
		val = vmx->x86.regs[(info >> 3) & 15];
	else if (nested_mem(vmx, &val, wide ? 8 : 4, false))
		return 1;
	if (!wide)
		val = (u32)val;
	if (n->current_gpa == NO_VMCS12 || n->evmcs.active)
		return nested_fail_invalid(vmx);
	off = enc >> 32 ? -1 : vmcs12_field_offset(enc, &high);
	if (off < 0)
		return nested_fail(vmx, VMXERR_UNSUPPORTED_VMCS_COMPONENT);
	if (FIELD_TYPE(enc) == FIELD_TYPE_EXIT_INFO)
		return nested_fail(vmx,
				   VMXERR_VMWRITE_READ_ONLY_VMCS_COMPONENT);
	if (nested_field_rw(vmx, off, &field, false))
		return nested_fail_invalid(vmx);
	if (high)
		field = (u32)field | val << 32;
	else
		field = field_truncate(enc, val);
	if (nested_field_rw(vmx, off, &field, true))
		return nested_fail_invalid(vmx);
	return nested_succeed(vmx);
}

/* L1's secondary controls, if it activated them. */
static u32 nested_proc2(const struct vmcs12 *v)
{
	return v->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS ? v->proc2 : 0;
}

/* A control: at least its fixed-1 bits, at most its allowed-1 bits. */
static bool ctl_valid(u64 cap, u64 val)
{
	u32 fixed1 = cap, allowed = cap >> 32;

	return (val & fixed1) == fixed1 && !(val & ~(u64)allowed);
}

/* The checks of the controls (SDM vol. 3C, 27.2.1), as far as offered. */
static bool nested_controls_valid(struct vcpu_vmx *vmx, const struct vmcs12 *v)
{
	const struct vmx_nested_caps *c = &vmx->nested.caps;

	if (!ctl_valid(c->pin, v->pin) || !ctl_valid(c->proc, v->proc) ||
	    !ctl_valid(c->exit, v->exit_ctls) ||
	    !ctl_valid(c->entry, v->entry_ctls))
		return false;
	if ((v->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
	    !ctl_valid(c->proc2, v->proc2))
		return false;
	/* The enlightened VMCS has no fields for these (Hyper-V TLFS). */
	if (vmx->nested.evmcs.active &&
	    (nested_proc2(v) & (SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES |
				SECONDARY_EXEC_SHADOW_VMCS)))
		return false;
	if ((nested_proc2(v) & SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES) &&
	    !nested_gpa_valid(v->apic_access_addr))
		return false;
	if ((nested_proc2(v) & SECONDARY_EXEC_SHADOW_VMCS) &&
	    (!nested_gpa_valid(v->vmread_bitmap) ||
	     !nested_gpa_valid(v->vmwrite_bitmap)))
		return false;
	if (v->cr3_target_count > 4)
		return false;
	if ((v->proc & CPU_BASED_USE_IO_BITMAPS) &&
	    (!nested_gpa_valid(v->io_bitmap_a) ||
	     !nested_gpa_valid(v->io_bitmap_b)))
		return false;
	if ((v->proc & CPU_BASED_USE_MSR_BITMAPS) &&
	    !nested_gpa_valid(v->msr_bitmap))
		return false;
	if ((v->pin & PIN_BASED_VIRTUAL_NMIS) &&
	    !(v->pin & PIN_BASED_NMI_EXITING))
		return false;
	if ((v->proc & CPU_BASED_NMI_WINDOW_EXITING) &&
	    !(v->pin & PIN_BASED_VIRTUAL_NMIS))
		return false;
	return true;
}

/* The checks of the host state (27.2.2-3): what L1 gets back must work. */
static bool nested_host_valid(struct vcpu_vmx *vmx, const struct vmcs12 *v)
{
	const struct vmx_nested_caps *c = &vmx->nested.caps;
	bool host64 = v->exit_ctls & VM_EXIT_HOST_ADDR_SPACE_SIZE;
	unsigned int i;

	if ((v->host_cr0 & c->cr0_fixed0) != c->cr0_fixed0 ||
	    (v->host_cr4 & c->cr4_fixed0) != c->cr4_fixed0 ||
	    v->host_cr3 >> boot_cpu_data.x86_phys_bits)
		return false;
	/* L1 is in long mode: it returns to it. */
	if (host64 != !!(vmcs_read(GUEST_IA32_EFER) & EFER_LMA) ||
	    (host64 && !(v->host_cr4 & X86_CR4_PAE)))
		return false;
	for (i = 0; i < VMCS12_HOST_SELS; i++)
		if (v->host_sel[i] & 7)
			return false;
	return v->host_sel[VCPU_SEG_CS] && v->host_sel[VMCS12_HOST_SELS - 1];
}

/*
 * The checks of the guest state we make ourselves (27.3.1): those of the
 * controls we offer differently from the processor (no unrestricted
 * guest, no activity states, no VMCS link).  The processor checks the
 * rest when it enters the VMCS02.
 */
static bool nested_guest_valid(struct vcpu_vmx *vmx, const struct vmcs12 *v)
{
	const struct vmx_nested_caps *c = &vmx->nested.caps;
	bool ia32e = v->entry_ctls & VM_ENTRY_IA32E_MODE;

	if ((v->guest_cr0 & c->cr0_fixed0) != c->cr0_fixed0 ||
	    (v->guest_cr0 & ~c->cr0_fixed1) ||
	    (v->guest_cr4 & c->cr4_fixed0) != c->cr4_fixed0 ||
	    (v->guest_cr4 & ~c->cr4_fixed1))
		return false;
	if (v->guest_cr3 >> boot_cpu_data.x86_phys_bits)
		return false;
	if (ia32e && !(v->guest_cr4 & X86_CR4_PAE))
		return false;
	if ((v->entry_ctls & VM_ENTRY_LOAD_IA32_EFER) &&
	    (!!(v->guest_efer & EFER_LMA) != ia32e ||
	     !!(v->guest_efer & EFER_LME) != ia32e))
		return false;
	return v->guest_activity == GUEST_ACTIVITY_ACTIVE;
}

/*
 * The VMCS link pointer (SDM vol. 3C, 27.3.1.5): a shadow VMCS of L1's
 * with VMCS shadowing, none otherwise (we offer no other use of it).
 */
static bool nested_link_valid(struct vcpu_vmx *vmx, const struct vmcs12 *v)
{
	u64 link = v->guest_link_pointer;
	u32 revision;

	if (!(nested_proc2(v) & SECONDARY_EXEC_SHADOW_VMCS))
		return link == ~0ULL;
	return nested_gpa_valid(link) && link != vmx->nested.vmxon_gpa &&
	       !kvm_x86_read_guest_as(vmx->x86.vcpu.kvm, 0, link, &revision,
				      sizeof(revision)) &&
	       revision == VMCS12_SHADOW_REVISION;
}

/*
 * Make @to_l2's VMCS (the VMCS02, or the vCPU's own) current instead of
 * the other.  The one left is cleared: it may be loaded on another CPU
 * next.
 */
static void nested_switch_vmcs(struct vcpu_vmx *vmx, bool to_l2)
{
	struct vmx_nested *n = &vmx->nested;
	bool init = to_l2 && !n->vmcs02_ready;

	preempt_disable();
	vmcs_clear(vmx->vmcs_pa);
	vmx->vmcs = to_l2 ? n->vmcs02 : n->vmcs01;
	vmx->vmcs_pa = to_l2 ? n->vmcs02_pa : n->vmcs01_pa;
	if (init)
		vmcs_clear(vmx->vmcs_pa);
	vmcs_load(vmx->vmcs_pa);
	if (init) {
		vmx_init_current_vmcs(vmx);
		n->vmcs02_ready = true;
	}
	vmx_load_host_state(vmx, smp_processor_id());
	vmx->launched = false;
	/* L1 and L2 share the VPID and the EPT. */
	vmx->flush_tlb = true;
	preempt_enable();
}

/* L2's CR0 and CR4 as L2 reads them: L1's shadow for the bits L1 owns. */
void vmx_nested_cr_shadows(struct vcpu_vmx *vmx)
{
	const struct vmcs12 *v = vmx->nested.vmcs12;

	vmcs_write(CR0_READ_SHADOW, (v->cr0_shadow & v->cr0_mask) |
		   (vmx->cr0 & ~v->cr0_mask));
	vmcs_write(CR4_READ_SHADOW, (v->cr4_shadow & v->cr4_mask) |
		   (vmx->cr4 & ~v->cr4_mask));
}

/**
 * vmx_nested_cr_write() - a MOV to CR0 or CR4 we carry out
 * @vmx: the vCPU
 * @cr: 0 or 4
 * @val: the value moved; for L2, made what CR0 or CR4 becomes
 *
 * In L2, the bits L1 owns are not changed by a MOV that does not exit to
 * L1.  In L1, CR4.VMXE needs VMX in the CPUID, and VMX operation fixes
 * some bits (SDM vol. 3C, 24.8).
 *
 * Return: 0, or -EINVAL for a #GP.
 */
int vmx_nested_cr_write(struct vcpu_vmx *vmx, int cr, unsigned long *val)
{
	struct vmx_nested *n = &vmx->nested;
	const struct vmcs12 *v = n->vmcs12;
	unsigned long mask, cur;
	u64 fixed0;

	if (n->guest_mode) {
		mask = cr ? v->cr4_mask : v->cr0_mask;
		cur = cr ? vmx_get_cr4(&vmx->x86) : vmx_get_cr0(&vmx->x86);
		*val = (cur & mask) | (*val & ~mask);
		return 0;
	}
	/* SMM is outside VMX operation, and stays so (SDM vol. 3C, 32.14.3). */
	if (cr == 4 && (*val & X86_CR4_VMXE) &&
	    (!vmx_nested_allowed(vmx) || vmx->x86.smm.active))
		return -EINVAL;
	if (!n->vmxon)
		return 0;
	fixed0 = cr ? n->caps.cr4_fixed0 : n->caps.cr0_fixed0;
	return (*val & fixed0) == fixed0 ? 0 : -EINVAL;
}

/* The exit L1 gets. */
struct nested_exit {
	u32 reason;
	u64 qual;
	u32 intr_info, intr_error;
	u32 vectoring, vectoring_error;
	u32 insn_len, insn_info;
	u64 linear;
};

/* Into the VMCS12: L2's state, as VM exit saves it (SDM vol. 3C, 28.3). */
static void nested_save_l2(struct vcpu_vmx *vmx, struct vmcs12 *v)
{
	struct kvm_x86_vcpu *vcpu = &vmx->x86;
	u64 efer = vmcs_read(GUEST_IA32_EFER);
	unsigned int i;

	for (i = 0; i < VMCS12_GUEST_SEGS; i++) {
		v->guest_sel[i] = vmcs_read(GUEST_ES_SELECTOR + 2 * i);
		v->guest_base[i] = vmcs_read(GUEST_ES_BASE + 2 * i);
		v->guest_limit[i] = vmcs_read(GUEST_ES_LIMIT + 2 * i);
		v->guest_ar[i] = vmcs_read(GUEST_ES_AR_BYTES + 2 * i);
	}
	v->guest_gdtr_base = vmcs_read(GUEST_GDTR_BASE);
	v->guest_gdtr_limit = vmcs_read(GUEST_GDTR_LIMIT);
	v->guest_idtr_base = vmcs_read(GUEST_IDTR_BASE);
	v->guest_idtr_limit = vmcs_read(GUEST_IDTR_LIMIT);
	v->guest_cr0 = vmx_get_cr0(vcpu);
	v->guest_cr3 = vmcs_read(GUEST_CR3);
	v->guest_cr4 = vmx_get_cr4(vcpu);
	if (v->exit_ctls & VM_EXIT_SAVE_DEBUG_CONTROLS) {
		v->guest_dr7 = vcpu->dr7;
		v->guest_debugctl = 0;
	}
	v->guest_rsp = vcpu->regs[VCPU_RSP];
	v->guest_rip = vcpu->rip;
	v->guest_rflags = vcpu->rflags;
	v->guest_sysenter_cs = vmcs_read(GUEST_SYSENTER_CS);
	v->guest_sysenter_esp = vmcs_read(GUEST_SYSENTER_ESP);
	v->guest_sysenter_eip = vmcs_read(GUEST_SYSENTER_EIP);
	v->guest_pending_dbg = vmcs_read(GUEST_PENDING_DBG_EXCEPTIONS);
	v->guest_interruptibility = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);
	v->guest_activity = GUEST_ACTIVITY_ACTIVE;
	if (v->exit_ctls & VM_EXIT_SAVE_IA32_EFER)
		v->guest_efer = efer;
	if (v->exit_ctls & VM_EXIT_SAVE_IA32_PAT)
		v->guest_pat = vmcs_read(GUEST_IA32_PAT);
	v->entry_ctls &= ~VM_ENTRY_IA32E_MODE;
	if (efer & EFER_LMA)
		v->entry_ctls |= VM_ENTRY_IA32E_MODE;
	vmx_get_pdptes(vcpu, v->guest_pdpte);
	v->entry_intr_info &= ~INTR_INFO_VALID_MASK;
}

/*
 * Into the vCPU's own VMCS, current again: L1's state from the VMCS12's
 * host state, as VM exit loads it (SDM vol. 3C, 28.5).
 */
static void nested_load_l1(struct vcpu_vmx *vmx, const struct vmcs12 *v)
{
	struct kvm_x86_vcpu *vcpu = &vmx->x86;
	bool host64 = v->exit_ctls & VM_EXIT_HOST_ADDR_SPACE_SIZE;
	u64 efer = vmcs_read(GUEST_IA32_EFER);
	struct kvm_segment s;
	unsigned int i;

	if (v->exit_ctls & VM_EXIT_LOAD_IA32_EFER)
		efer = v->host_efer;
	else if (host64)
		efer |= EFER_LMA | EFER_LME;
	else
		efer &= ~(EFER_LMA | EFER_LME);
	vmx_set_cr0(vmx, (u32)v->host_cr0);
	vmx_set_cr4(vmx, v->host_cr4);
	vmcs_write(GUEST_CR3, v->host_cr3);
	vmx_set_efer(vmx, efer);

	s = (struct kvm_segment) {
		.selector = v->host_sel[VCPU_SEG_CS], .limit = 0xffffffff,
		.type = 11, .s = 1, .present = 1, .l = host64, .db = !host64,
		.g = 1,
	};
	vmx_set_segment(VCPU_SEG_CS, &s);
	for (i = VCPU_SEG_ES; i <= VCPU_SEG_GS; i++) {
		if (i == VCPU_SEG_CS)
			continue;
		s = (struct kvm_segment) {
			.selector = v->host_sel[i], .limit = 0xffffffff,
			.type = 3, .s = 1, .present = 1, .db = 1, .g = 1,
			.unusable = !v->host_sel[i],
		};
		if (i == VCPU_SEG_FS)
			s.base = v->host_fs_base;
		else if (i == VCPU_SEG_GS)
			s.base = v->host_gs_base;
		vmx_set_segment(i, &s);
	}
	s = (struct kvm_segment) {
		.selector = v->host_sel[VMCS12_HOST_SELS - 1],
		.base = v->host_tr_base, .limit = 0x67, .type = 11,
		.present = 1,
	};
	vmx_set_segment(VCPU_SEG_TR, &s);
	s = (struct kvm_segment) { .unusable = 1 };
	vmx_set_segment(VCPU_SEG_LDTR, &s);
	vmcs_write(GUEST_GDTR_BASE, v->host_gdtr_base);
	vmcs_write(GUEST_GDTR_LIMIT, 0xffff);
	vmcs_write(GUEST_IDTR_BASE, v->host_idtr_base);
	vmcs_write(GUEST_IDTR_LIMIT, 0xffff);
	vmcs_write(GUEST_SYSENTER_CS, v->host_sysenter_cs);
	vmcs_write(GUEST_SYSENTER_ESP, v->host_sysenter_esp);
	vmcs_write(GUEST_SYSENTER_EIP, v->host_sysenter_eip);
	if (v->exit_ctls & VM_EXIT_LOAD_IA32_PAT)
		vmcs_write(GUEST_IA32_PAT, v->host_pat);
	vcpu->dr7 = DR7_RESET;
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vcpu->regs[VCPU_RSP] = v->host_rsp;
	vcpu->rip = v->host_rip;
	vcpu->rflags = X86_EFLAGS_FIXED;
	vmx_load_pdptes(vmx);
}

/*
 * The host page of L1's memory at the APIC-access address L1 gave, held
 * while L2 runs: the VMCS02 names it, and our EPT maps L2's (L1's)
 * address there, so that L2's accesses are the processor's APIC accesses.
 * The page is taken for writing, as L1's first write would: a page
 * never written is the shared zero page, whose address is no page of
 * L1's alone.  An address that is no writable memory of L1's cannot be
 * virtualized so; as upstream KVM, we stop with an emulation failure.
 */
static int nested_get_apic_access_page(struct vcpu_vmx *vmx,
				       const struct vmcs12 *v)
{
	struct page **page = &vmx->nested.apic_access_page;
	unsigned long hva;

	if (!(nested_proc2(v) & SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES))
		return 0;
	hva = kvm_as_gpa_to_hva(vmx->x86.vcpu.kvm, 0, v->apic_access_addr,
				true);
	if (!hva || get_user_pages_fast(hva, 1, FOLL_WRITE, page) != 1) {
		*page = NULL;
		return -EFAULT;
	}
	return 0;
}

static void nested_put_apic_access_page(struct vcpu_vmx *vmx)
{
	if (vmx->nested.apic_access_page) {
		put_page(vmx->nested.apic_access_page);
		vmx->nested.apic_access_page = NULL;
	}
}

/* Back in the vCPU's own VMCS, with what changed while L2 ran. */
static void nested_back_to_l1(struct vcpu_vmx *vmx)
{
	nested_switch_vmcs(vmx, false);
	nested_put_apic_access_page(vmx);
	vmx->nested.guest_mode = false;
	vmx->nested.entry_pending = false;
	vmcs_write(TSC_OFFSET, vmx->x86.tsc_offset);
	if (vmx_config.proc2 & SECONDARY_EXEC_TSC_SCALING)
		vmcs_write(TSC_MULTIPLIER, vmx->x86.tsc_ratio);
	vmcs_write(EPT_POINTER, vmx->eptp);
	vmx_update_exits(&vmx->x86);
	/* A debugger may have come or gone while L2 ran. */
	vmx_set_guest_debug(&vmx->x86);
}

/* End L2 with an exit to L1. */
static void nested_vmexit(struct vcpu_vmx *vmx, const struct nested_exit *x)
{
	struct kvm_x86_vcpu *vcpu = &vmx->x86;
	struct vmx_nested *n = &vmx->nested;
	struct vmcs12 *v = n->vmcs12;
	struct kvm_x86_event *e;
	u64 efer, pat;

	if (n->entry_pending)
		v->launched = 1;
	nested_save_l2(vmx, v);
	efer = vmcs_read(GUEST_IA32_EFER);
	pat = vmcs_read(GUEST_IA32_PAT);
	v->exit_reason = x->reason;
	v->exit_qual = x->qual;
	v->exit_intr_info = x->intr_info;
	v->exit_intr_error = x->intr_error;
	v->idt_vectoring_info = x->vectoring;
	v->idt_vectoring_error = x->vectoring_error;
	v->exit_insn_len = x->insn_len;
	v->insn_info = x->insn_info;
	v->guest_linear_addr = x->linear;
	/*
	 * An event on its way into L2 that the exit interrupted is L1's to
	 * deliver again.
	 */
	e = kvm_x86_next_event(vcpu);
	if (e && !(x->vectoring & VECTORING_INFO_VALID_MASK)) {
		v->idt_vectoring_info = vmx_event_info(e);
		v->idt_vectoring_error = e->error;
		v->exit_insn_len = e->insn_len;
	}
	vcpu->exception.type = KVM_X86_EVENT_NONE;
	vcpu->nmi.type = KVM_X86_EVENT_NONE;
	vcpu->interrupt.type = KVM_X86_EVENT_NONE;

	nested_back_to_l1(vmx);
	/*
	 * What the exit does not load stays as L2 left it (SDM vol. 3C,
	 * 28.5.1): L1 finds L2's PAT and EFER (but LMA and LME), and no
	 * state of L1's is kept in the vCPU's own VMCS while L2 runs.
	 */
	vmcs_write(GUEST_IA32_EFER, efer);
	vmcs_write(GUEST_IA32_PAT, pat);
	vmcs_write(GUEST_IA32_DEBUGCTL, 0);
	nested_load_l1(vmx, v);
	nested_vmcs12_written(vmx);
}

/*
 * The entry failed after the checks of the controls and host state: L1
 * gets its host state back with an exit reason that says so (SDM vol.
 * 3C, 27.8); L2's state is not saved.  The vCPU's own VMCS is current.
 */
static int nested_entry_failed(struct vcpu_vmx *vmx, u32 reason, u64 qual)
{
	struct vmcs12 *v = vmx->nested.vmcs12;

	nested_put_apic_access_page(vmx);
	v->exit_reason = reason | VMX_EXIT_REASONS_FAILED_VMENTRY;
	v->exit_qual = qual;
	v->exit_intr_info = 0;
	v->idt_vectoring_info = 0;
	nested_load_l1(vmx, v);
	nested_vmcs12_written(vmx);
	return 1;
}

/* The controls of the VMCS02: ours, with the exits L1 wants added. */
static void nested_controls(struct vcpu_vmx *vmx, const struct vmcs12 *v)
{
	u32 off = vmx->x86.disabled_exits;
	u32 proc = vmx_config.proc, proc2 = vmx_config.proc2;

	if (off & KVM_X86_DISABLE_EXITS_HLT)
		proc &= ~CPU_BASED_HLT_EXITING;
	if (off & KVM_X86_DISABLE_EXITS_MWAIT)
		proc &= ~(CPU_BASED_MWAIT_EXITING | CPU_BASED_MONITOR_EXITING);
	if (off & KVM_X86_DISABLE_EXITS_PAUSE)
		proc2 &= ~SECONDARY_EXEC_PAUSE_LOOP_EXITING;
	vmcs_write(PIN_BASED_VM_EXEC_CONTROL, vmx_config.pin);
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL,
		   proc | (v->proc & NESTED_PROC_EXITS));
	if (vmx->nested.apic_access_page) {
		proc2 |= SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES;
		vmcs_write(APIC_ACCESS_ADDR,
			   page_to_phys(vmx->nested.apic_access_page));
	}
	vmcs_write(SECONDARY_VM_EXEC_CONTROL, proc2);
	vmcs_write(EXCEPTION_BITMAP, vmx_exception_bitmap(vmx));
	/* L2's debug registers are virtual too: the processor has ours. */
	vmcs_write(GUEST_DR7, kvm_x86_debug_dr7(&vmx->x86));
	vmcs_write(PAGE_FAULT_ERROR_CODE_MASK, v->pf_error_mask);
	vmcs_write(PAGE_FAULT_ERROR_CODE_MATCH, v->pf_error_match);
	vmcs_write(CR0_GUEST_HOST_MASK, vmx_cr0_owned() | v->cr0_mask);
	vmcs_write(CR4_GUEST_HOST_MASK, vmx_cr4_owned() | v->cr4_mask);
	vmcs_write(EPT_POINTER, vmx->eptp);
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, v->entry_intr_info);
	vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, v->entry_error_code);
	vmcs_write(VM_ENTRY_INSTRUCTION_LEN, v->entry_insn_len);
}

/* Run L2: the VMCS02 from the VMCS12 (SDM vol. 3C, 27.3.2). */
static void nested_enter_l2(struct vcpu_vmx *vmx, const struct vmcs12 *v)
{
	struct kvm_x86_vcpu *vcpu = &vmx->x86;
	struct vmx_nested *n = &vmx->nested;
	u64 efer = vmcs_read(GUEST_IA32_EFER);
	u64 pat = vmcs_read(GUEST_IA32_PAT);
	unsigned int i;

	if (v->entry_ctls & VM_ENTRY_LOAD_IA32_EFER)
		efer = v->guest_efer;
	else if (v->entry_ctls & VM_ENTRY_IA32E_MODE)
		efer |= EFER_LMA | EFER_LME;
	else
		efer &= ~(EFER_LMA | EFER_LME);
	if (v->entry_ctls & VM_ENTRY_LOAD_IA32_PAT)
		pat = v->guest_pat;

	n->l1_rsp = vcpu->regs[VCPU_RSP];
	n->l1_rip = vcpu->rip;
	n->l1_rflags = vcpu->rflags;
	nested_switch_vmcs(vmx, true);
	n->guest_mode = true;
	n->entry_pending = true;
	nested_controls(vmx, v);
	vmcs_write(TSC_OFFSET, vmx_nested_tsc_offset(vmx, vcpu->tsc_offset));
	if (vmx_config.proc2 & SECONDARY_EXEC_TSC_SCALING)
		vmcs_write(TSC_MULTIPLIER,
			   vmx_nested_tsc_ratio(vmx, vcpu->tsc_ratio));

	for (i = 0; i < VMCS12_GUEST_SEGS; i++) {
		vmcs_write(GUEST_ES_SELECTOR + 2 * i, v->guest_sel[i]);
		vmcs_write(GUEST_ES_BASE + 2 * i, v->guest_base[i]);
		vmcs_write(GUEST_ES_LIMIT + 2 * i, v->guest_limit[i]);
		vmcs_write(GUEST_ES_AR_BYTES + 2 * i, v->guest_ar[i]);
	}
	vmcs_write(GUEST_GDTR_BASE, v->guest_gdtr_base);
	vmcs_write(GUEST_GDTR_LIMIT, v->guest_gdtr_limit);
	vmcs_write(GUEST_IDTR_BASE, v->guest_idtr_base);
	vmcs_write(GUEST_IDTR_LIMIT, v->guest_idtr_limit);
	vmcs_write(GUEST_SYSENTER_CS, v->guest_sysenter_cs);
	vmcs_write(GUEST_SYSENTER_ESP, v->guest_sysenter_esp);
	vmcs_write(GUEST_SYSENTER_EIP, v->guest_sysenter_eip);
	vmcs_write(GUEST_IA32_PAT, pat);
	vmcs_write(GUEST_IA32_DEBUGCTL, 0);
	if (v->entry_ctls & VM_ENTRY_LOAD_DEBUG_CONTROLS)
		vcpu->dr7 = v->guest_dr7;
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, v->guest_pending_dbg);
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, v->guest_interruptibility);
	vmcs_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write(GUEST_CR3, v->guest_cr3);
	vmx_set_cr0(vmx, v->guest_cr0);
	vmx_set_cr4(vmx, v->guest_cr4);
	vmx_set_efer(vmx, efer);
	/* L2's PAE entries, which our EPT makes VM entry load from the VMCS. */
	vmx_load_pdptes(vmx);
	vcpu->regs[VCPU_RSP] = v->guest_rsp;
	vcpu->rip = v->guest_rip;
	vcpu->rflags = v->guest_rflags;
}

/*
 * VMLAUNCH and VMRESUME with the enlightened VMCS enabled: the one L1's
 * VP assist page names is made current and read (evmcs.c); a normal
 * VMCS12 is no longer current then, and an enlightened one is current
 * only while L1's entries are enlightened.  An enlightened VMCS knows no
 * VMCLEAR: one newly made current is launched or clear as the
 * instruction needs it.  One at an address that is no page of L1's is
 * #UD, as upstream's.
 *
 * Return: 0 to go on with the entry; 1 or -ENOMEM if the instruction
 * ended here.
 */
static int nested_evmcs_switch(struct vcpu_vmx *vmx, bool launch)
{
	struct vmx_nested *n = &vmx->nested;
	bool fresh;
	u64 gpa;
	int ret;

	if (!vmx_evmcs_named(vmx, &gpa)) {
		if (n->evmcs.active)
			nested_put_vmcs12(vmx);
		return 0;
	}
	if (!nested_gpa_valid(gpa) || gpa == n->vmxon_gpa) {
		kvm_x86_queue_exception(&vmx->x86, X86_TRAP_UD, false, 0);
		return 1;
	}
	fresh = !n->evmcs.active || gpa != n->current_gpa;
	if (fresh) {
		nested_put_vmcs12(vmx);
		memset(n->vmcs12, 0, sizeof(*n->vmcs12));
	}
	ret = vmx_evmcs_load(vmx, gpa, n->vmcs12);
	if (ret == -EFAULT) {
		kvm_x86_queue_exception(&vmx->x86, X86_TRAP_UD, false, 0);
		return 1;
	}
	if (ret == -EINVAL) {
		nested_put_vmcs12(vmx);
		return nested_fail_invalid(vmx);
	}
	if (ret || !fresh)
		return ret;
	n->current_gpa = gpa;
	n->evmcs.active = true;
	n->vmcs12->revision = VMCS12_REVISION;
	n->vmcs12->launched = !launch;
	return 0;
}

/* VMLAUNCH and VMRESUME (SDM vol. 3C, 27.1-27.2 and 31.3). */
static int nested_vmentry(struct vcpu_vmx *vmx, bool launch)
{
	struct vmx_nested *n = &vmx->nested;
	struct vmcs12 *v = n->vmcs12;
	int ret;

	if (!nested_insn_allowed(vmx))
		return 1;
	ret = nested_evmcs_switch(vmx, launch);
	if (ret)
		return ret;
	/* A shadow VMCS is only there to be read and written. */
	if (n->current_gpa == NO_VMCS12 ||
	    v->revision == VMCS12_SHADOW_REVISION)
		return nested_fail_invalid(vmx);
	if (vmcs_read(GUEST_INTERRUPTIBILITY_INFO) & GUEST_INTR_STATE_MOV_SS)
		return nested_fail(vmx, VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS);
	if (launch && v->launched)
		return nested_fail(vmx, VMXERR_VMLAUNCH_NONCLEAR_VMCS);
	if (!launch && !v->launched)
		return nested_fail(vmx, VMXERR_VMRESUME_NONLAUNCHED_VMCS);
	if (!nested_controls_valid(vmx, v))
		return nested_fail(vmx, VMXERR_ENTRY_INVALID_CONTROL_FIELD);
	if (!nested_host_valid(vmx, v))
		return nested_fail(vmx, VMXERR_ENTRY_INVALID_HOST_STATE_FIELD);
	if (nested_get_apic_access_page(vmx, v))
		return kvm_x86_exit_emulation_failure(&vmx->x86, NULL, 0);

	/* From here the instruction ends in L2, or in an exit to L1. */
	vmx_next_insn(vmx);
	if (!nested_guest_valid(vmx, v))
		return nested_entry_failed(vmx, EXIT_REASON_INVALID_STATE,
					   ENTRY_FAIL_DEFAULT);
	if (!nested_link_valid(vmx, v))
		return nested_entry_failed(vmx, EXIT_REASON_INVALID_STATE,
					   ENTRY_FAIL_VMCS_LINK_PTR);
	if (v->entry_msr_load_count)
		return nested_entry_failed(vmx, EXIT_REASON_MSR_LOAD_FAIL, 1);
	nested_enter_l2(vmx, v);
	return 1;
}

/*
 * Enter L2 again from the current VMCS12 without a VMLAUNCH or VMRESUME
 * (RSM, KVM_SET_NESTED_STATE): its state was checked when L1 entered it
 * first.  Return: 0, or -EFAULT if the APIC-access page is gone.
 */
static int nested_reenter_l2(struct vcpu_vmx *vmx)
{
	struct vmx_nested *n = &vmx->nested;

	if (nested_get_apic_access_page(vmx, n->vmcs12))
		return -EFAULT;
	nested_enter_l2(vmx, n->vmcs12);
	n->entry_pending = false;
	return 0;
}

/**
 * vmx_nested_smm() - an SMI takes the vCPU out of VMX operation, RSM back
 * @vcpu: the vCPU, loaded, in the VM's SRCU read side
 * @enter: entering SMM, the save area written; or leaving it (RSM),
 *	before the save area's state is loaded
 *
 * SMM runs outside VMX operation, in the vCPU's own VMCS, free of L1's
 * controls (SDM vol. 3C, 32.14).  An SMI in L2 is no exit for L1: L2's
 * state goes to the VMCS12, as the processor keeps it, and RSM enters L2
 * from there again before the save area gives L2's registers back.  A
 * VMLAUNCH or VMRESUME that L2 did not reach yet is done by then, and
 * L1's event to inject still waits for the entry.
 *
 * Return: 0, or -EFAULT if L2 cannot be entered again.
 */
int vmx_nested_smm(struct kvm_x86_vcpu *vcpu, bool enter)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	struct vmx_nested *n = &vmx->nested;
	u64 inject;

	if (enter) {
		if (n->guest_mode) {
			inject = n->vmcs12->entry_intr_info;
			nested_save_l2(vmx, n->vmcs12);
			if (n->entry_pending) {
				n->vmcs12->launched = 1;
				n->vmcs12->entry_intr_info = inject;
			}
			nested_back_to_l1(vmx);
			n->smm_guest_mode = true;
		}
		n->smm_vmxon = n->vmxon;
		n->vmxon = false;
		return 0;
	}
	if (!n->smm_vmxon)
		return 0;
	n->vmxon = true;
	n->smm_vmxon = false;
	if (!n->smm_guest_mode)
		return 0;
	n->smm_guest_mode = false;
	return nested_reenter_l2(vmx);
}

/**
 * vmx_nested_vmlaunch() - VMLAUNCH: run L2 from a clear VMCS12
 * @vmx: the vCPU, in L1
 *
 * Return: 1, to enter the guest again.
 */
int vmx_nested_vmlaunch(struct vcpu_vmx *vmx)
{
	return nested_vmentry(vmx, true);
}

/**
 * vmx_nested_vmresume() - VMRESUME: run L2 from a launched VMCS12
 * @vmx: the vCPU, in L1
 *
 * Return: 1, to enter the guest again.
 */
int vmx_nested_vmresume(struct vcpu_vmx *vmx)
{
	return nested_vmentry(vmx, false);
}

/* Does L1 take exception @vector (with error code @error) of L2? */
static bool l1_takes_exception(const struct vmcs12 *v, u8 vector, u32 error)
{
	bool bit = v->exception_bitmap & BIT(vector);

	/* For #PF the bit says whether a match or a mismatch exits. */
	if (vector != X86_TRAP_PF)
		return bit;
	return bit == ((error & v->pf_error_mask) == v->pf_error_match);
}

/* I/O: L1's bitmaps, or its unconditional exiting (SDM vol. 3C, 26.1.3). */
static bool l1_takes_io(struct vcpu_vmx *vmx, const struct vmcs12 *v)
{
	unsigned int port = vmx->exit_qual >> 16;
	unsigned int last = port + (vmx->exit_qual & 7);
	u8 bits;

	if (!(v->proc & CPU_BASED_USE_IO_BITMAPS))
		return v->proc & CPU_BASED_UNCOND_IO_EXITING;
	for (; port <= last; port++) {
		u64 map = port < 0x8000 ? v->io_bitmap_a : v->io_bitmap_b;

		if (port > 0xffff ||
		    kvm_x86_read_guest_as(vmx->x86.vcpu.kvm, 0,
					  map + (port & 0x7fff) / 8, &bits, 1) ||
		    (bits & BIT(port % 8)))
			return true;
	}
	return false;
}

/* RDMSR and WRMSR: L1's MSR bitmap, if it has one (SDM vol. 3C, 25.6.9). */
static bool l1_takes_msr(struct vcpu_vmx *vmx, const struct vmcs12 *v,
			 bool write)
{
	u32 msr = vmx->x86.regs[VCPU_RCX];
	unsigned int offset;
	u8 bits;

	if (!(v->proc & CPU_BASED_USE_MSR_BITMAPS))
		return true;
	if (msr <= 0x1fff)
		offset = 0;
	else if (msr - 0xc0000000 <= 0x1fff)
		offset = 0x400;
	else
		return true;
	offset += (write ? 0x800 : 0) + (msr & 0x1fff) / 8;
	if (!vmx_evmcs_msr_bitmap(vmx, offset, &bits) &&
	    kvm_x86_read_guest_as(vmx->x86.vcpu.kvm, 0, v->msr_bitmap + offset,
				  &bits, 1))
		return true;
	return bits & BIT(msr % 8);
}

/* Control register accesses (SDM vol. 3C, 26.1.3). */
static bool l1_takes_cr(struct vcpu_vmx *vmx, const struct vmcs12 *v)
{
	unsigned long q = vmx->exit_qual;
	unsigned long val = vmx->x86.regs[(q >> 8) & 15];
	unsigned int cr = q & 15, i;
	u16 src = q >> 16;

	switch ((q >> 4) & 3) {
	case 0:		/* MOV to CR */
		if (cr == 0)
			return (val ^ v->cr0_shadow) & v->cr0_mask;
		if (cr == 4)
			return (val ^ v->cr4_shadow) & v->cr4_mask;
		if (cr == 8)
			return v->proc & CPU_BASED_CR8_LOAD_EXITING;
		if (cr != 3 || !(v->proc & CPU_BASED_CR3_LOAD_EXITING))
			return cr != 3;
		for (i = 0; i < v->cr3_target_count; i++)
			if (v->cr3_target[i] == val)
				return false;
		return true;
	case 1:		/* MOV from CR */
		if (cr == 3)
			return v->proc & CPU_BASED_CR3_STORE_EXITING;
		if (cr == 8)
			return v->proc & CPU_BASED_CR8_STORE_EXITING;
		return true;
	case 2:		/* CLTS */
		return v->cr0_mask & v->cr0_shadow & X86_CR0_TS;
	default:	/* LMSW */
		if ((v->cr0_mask & X86_CR0_PE) && !(v->cr0_shadow & X86_CR0_PE) &&
		    (src & X86_CR0_PE))
			return true;
		return (src ^ v->cr0_shadow) & v->cr0_mask & 0xe;
	}
}

/*
 * L2's VMREAD or VMWRITE exits to L1 unless L1 shadows the VMCS and its
 * VMREAD or VMWRITE bitmap lets the field through (SDM vol. 3C, 25.6.15).
 */
static bool l1_takes_vmcs_access(struct vcpu_vmx *vmx, const struct vmcs12 *v,
				 bool write)
{
	u32 info = vmcs_read(VMX_INSTRUCTION_INFO);
	unsigned long enc = vmx->x86.regs[(info >> 28) & 15];
	u64 bitmap = write ? v->vmwrite_bitmap : v->vmread_bitmap;
	u8 bits;

	if (!nested_64bit())
		enc = (u32)enc;
	if (!(nested_proc2(v) & SECONDARY_EXEC_SHADOW_VMCS) || enc >> 15)
		return true;
	return kvm_x86_read_guest_as(vmx->x86.vcpu.kvm, 0, bitmap + enc / 8,
				     &bits, 1) || (bits & BIT(enc % 8));
}

/* Does L1 take this exit of L2 (or is it ours)? */
static bool l1_takes_exit(struct vcpu_vmx *vmx, const struct vmcs12 *v)
{
	u32 info;

	switch ((u16)vmx->exit_reason) {
	case EXIT_REASON_EXCEPTION_NMI:
		info = vmcs_read(VM_EXIT_INTR_INFO);
		if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
			return false;
		/* The processor filtered #PF by L1's mask and match. */
		if ((info & INTR_INFO_VECTOR_MASK) == X86_TRAP_PF)
			return true;
		return v->exception_bitmap & BIT(info & INTR_INFO_VECTOR_MASK);
	case EXIT_REASON_APIC_ACCESS:
		/* The VMCS02 virtualizes APIC accesses only for L1. */
		return true;
	case EXIT_REASON_EXTERNAL_INTERRUPT:
	case EXIT_REASON_INIT_SIGNAL:
	case EXIT_REASON_EPT_VIOLATION:
	case EXIT_REASON_EPT_MISCONFIG:
		return false;
	case EXIT_REASON_INTERRUPT_WINDOW:
		return v->proc & CPU_BASED_INTR_WINDOW_EXITING;
	case EXIT_REASON_NMI_WINDOW:
		return v->proc & CPU_BASED_NMI_WINDOW_EXITING;
	case EXIT_REASON_HLT:
		return v->proc & CPU_BASED_HLT_EXITING;
	case EXIT_REASON_INVLPG:
		return v->proc & CPU_BASED_INVLPG_EXITING;
	case EXIT_REASON_RDPMC:
		return v->proc & CPU_BASED_RDPMC_EXITING;
	case EXIT_REASON_RDTSC:
		return v->proc & CPU_BASED_RDTSC_EXITING;
	case EXIT_REASON_DR_ACCESS:
		return v->proc & CPU_BASED_MOV_DR_EXITING;
	case EXIT_REASON_MWAIT_INSTRUCTION:
		return v->proc & CPU_BASED_MWAIT_EXITING;
	case EXIT_REASON_MONITOR_INSTRUCTION:
		return v->proc & CPU_BASED_MONITOR_EXITING;
	case EXIT_REASON_PAUSE_INSTRUCTION:
		return v->proc & CPU_BASED_PAUSE_EXITING;
	case EXIT_REASON_CR_ACCESS:
		return l1_takes_cr(vmx, v);
	case EXIT_REASON_IO_INSTRUCTION:
		return l1_takes_io(vmx, v);
	case EXIT_REASON_MSR_READ:
	case EXIT_REASON_MSR_WRITE:
		return l1_takes_msr(vmx, v, (u16)vmx->exit_reason ==
					    EXIT_REASON_MSR_WRITE);
	case EXIT_REASON_VMREAD:
	case EXIT_REASON_VMWRITE:
		return l1_takes_vmcs_access(vmx, v, (u16)vmx->exit_reason ==
						    EXIT_REASON_VMWRITE);
	default:
		/* CPUID, the VMX instructions, XSETBV, a triple fault... */
		return true;
	}
}

/* A VMLAUNCH or VMRESUME the processor refused as an instruction. */
static int nested_entry_vmfail(struct vcpu_vmx *vmx, u32 error)
{
	struct kvm_x86_vcpu *vcpu = &vmx->x86;
	struct vmx_nested *n = &vmx->nested;

	nested_back_to_l1(vmx);
	/* L1's CR0 and CR4 as it sees them are still in its read shadows. */
	vmx->cr0 = vmcs_read(CR0_READ_SHADOW);
	vmx->cr4 = vmcs_read(CR4_READ_SHADOW);
	vcpu->regs[VCPU_RSP] = n->l1_rsp;
	vcpu->rip = n->l1_rip;
	vcpu->rflags = (n->l1_rflags & ~RFLAGS_ARITH) | X86_EFLAGS_ZF;
	n->vmcs12->insn_error = error;
	nested_vmcs12_written(vmx);
	return 1;
}

/**
 * vmx_nested_exit() - the exit of an entry into L2
 * @vmx: the vCPU, in L2
 *
 * The entry right after VMLAUNCH or VMRESUME may fail: then that
 * instruction fails, or L1 gets the entry failure.  A later entry that
 * fails (userspace gave L2 state the processor refuses) is a triple fault
 * of L2.  Exits L1 asked for go to L1.
 *
 * Return: 1 if the exit went to L1, -1 if it is ours to handle.
 */
int vmx_nested_exit(struct vcpu_vmx *vmx)
{
	struct vmx_nested *n = &vmx->nested;
	struct nested_exit x = { .reason = vmx->exit_reason };

	if (vmx->vmfail || (x.reason & VMX_EXIT_REASONS_FAILED_VMENTRY)) {
		if (n->entry_pending && vmx->vmfail)
			return nested_entry_vmfail(vmx, (u16)x.reason);
		if (n->entry_pending) {
			nested_back_to_l1(vmx);
			return nested_entry_failed(vmx, (u16)x.reason,
						   vmx->exit_qual);
		}
		x = (struct nested_exit) { .reason = EXIT_REASON_TRIPLE_FAULT };
		nested_vmexit(vmx, &x);
		return 1;
	}
	if (n->entry_pending) {
		n->vmcs12->launched = 1;
		n->entry_pending = false;
	}
	/* L2's TLB flush hypercall, handled here if L1 lets us. */
	if ((u16)x.reason == EXIT_REASON_VMCALL &&
	    vmx_evmcs_hypercall(vmx, &x.reason)) {
		if (x.reason != vmx->exit_reason)
			nested_vmexit(vmx, &x);
		return 1;
	}
	if (!l1_takes_exit(vmx, n->vmcs12))
		return -1;
	x.qual = vmx->exit_qual;
	x.intr_info = vmcs_read(VM_EXIT_INTR_INFO);
	x.intr_error = vmcs_read(VM_EXIT_INTR_ERROR_CODE);
	x.vectoring = vmcs_read(IDT_VECTORING_INFO_FIELD);
	x.vectoring_error = vmcs_read(IDT_VECTORING_ERROR_CODE);
	x.insn_len = vmcs_read(VM_EXIT_INSTRUCTION_LEN);
	x.insn_info = vmcs_read(VMX_INSTRUCTION_INFO);
	x.linear = vmcs_read(GUEST_LINEAR_ADDRESS);
	nested_vmexit(vmx, &x);
	return 1;
}

/**
 * vmx_nested_events() - make exits to L1 of what is pending for it
 * @vcpu: the vCPU, before an entry, interrupts on
 *
 * L2's triple fault, an exception for L2 that L1's exception bitmap
 * takes (unless its delivery began already), and L1's own NMIs and
 * interrupts if it exits on them, end L2.
 */
void vmx_nested_events(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	struct kvm_x86_event *e = &vcpu->exception;
	struct nested_exit x = {};
	const struct vmcs12 *v;

	if (!vmx->nested.guest_mode)
		return;
	v = vmx->nested.vmcs12;
	if (test_bit(KVM_REQ_TRIPLE_FAULT, &vcpu->vcpu.requests)) {
		clear_bit(KVM_REQ_TRIPLE_FAULT, &vcpu->vcpu.requests);
		x.reason = EXIT_REASON_TRIPLE_FAULT;
	} else if (e->type && !e->injected &&
		   l1_takes_exception(v, e->vector, e->error)) {
		/* Error codes have 16 bits: VM exits never set the others. */
		x.reason = EXIT_REASON_EXCEPTION_NMI;
		x.intr_info = vmx_event_info(e);
		x.intr_error = (u16)e->error;
		x.insn_len = e->insn_len;
		/* The payload, not yet in CR2 or DR6, is the qualification. */
		if (e->has_payload)
			x.qual = e->payload;
		else if (e->vector == X86_TRAP_PF)
			x.qual = vmx->cr2;
		e->type = KVM_X86_EVENT_NONE;
	} else if (vcpu->nmi_pending && !vcpu->nmi.type &&
		   (v->pin & PIN_BASED_NMI_EXITING)) {
		vcpu->nmi_pending--;
		x.reason = EXIT_REASON_EXCEPTION_NMI;
		x.intr_info = X86_TRAP_NMI | INTR_TYPE_NMI_INTR |
			      INTR_INFO_VALID_MASK;
	} else if ((v->pin & PIN_BASED_EXT_INTR_MASK) &&
		   !vcpu->interrupt.type && kvm_x86_interrupt_pending(vcpu)) {
		x.reason = EXIT_REASON_EXTERNAL_INTERRUPT;
		/* L1 may have the exit take the interrupt for it. */
		if (v->exit_ctls & VM_EXIT_ACK_INTR_ON_EXIT) {
			int vec = kvm_x86_ack_interrupt(vcpu);

			if (vec >= 0)
				x.intr_info = vec | INTR_TYPE_EXT_INTR |
					      INTR_INFO_VALID_MASK;
		}
	} else {
		return;
	}
	nested_vmexit(vmx, &x);
}

/*
 * An event L1 injects (VM-entry interruption information) goes in before
 * ours; the processor clears it at the exit.
 */
static bool nested_injection_pending(void)
{
	return vmcs_read(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID_MASK;
}

/**
 * vmx_nested_takes_irqs() - do L1's interrupts wait for an exit to L1?
 * @vmx: the vCPU
 *
 * Return: true while L2 runs for an L1 that exits on interrupts, or
 * while L1's own injection into L2 is pending.
 */
bool vmx_nested_takes_irqs(struct vcpu_vmx *vmx)
{
	return vmx->nested.guest_mode &&
	       ((vmx->nested.vmcs12->pin & PIN_BASED_EXT_INTR_MASK) ||
		nested_injection_pending());
}

/**
 * vmx_nested_takes_nmis() - do L1's NMIs wait for an exit to L1?
 * @vmx: the vCPU
 *
 * Return: as vmx_nested_takes_irqs(), for NMIs.
 */
bool vmx_nested_takes_nmis(struct vcpu_vmx *vmx)
{
	return vmx->nested.guest_mode &&
	       ((vmx->nested.vmcs12->pin & PIN_BASED_NMI_EXITING) ||
		nested_injection_pending());
}

/**
 * vmx_nested_wakes() - does an interrupt end halted L2 with an exit to L1?
 * @vcpu: the vCPU
 *
 * L2 halted without an exit to L1 (L1 does not exit on HLT) waits in the
 * kernel; an interrupt L1 exits on ends the wait whether L2 takes
 * interrupts or not.
 *
 * Return: true if L2 runs for an L1 that exits on an interrupt pending.
 */
bool vmx_nested_wakes(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);

	return vmx->nested.guest_mode &&
	       (vmx->nested.vmcs12->pin & PIN_BASED_EXT_INTR_MASK) &&
	       kvm_x86_interrupt_pending(vcpu);
}

/*
 * L2 runs with L1's TSC multiplier: its TSC is L1's, scaled and offset as
 * L1 asked.  The processor scales only with TSC offsetting on.
 */
static bool nested_tsc_scaled(struct vcpu_vmx *vmx)
{
	const struct vmcs12 *v = vmx->nested.vmcs12;

	return vmx->nested.guest_mode &&
	       (v->proc & CPU_BASED_USE_TSC_OFFSETTING) &&
	       (nested_proc2(v) & SECONDARY_EXEC_TSC_SCALING);
}

/*
 * @val as L2 has it while it runs: a TSC value of L1 (or, @offset, L1's
 * offset from the host, which is signed) scaled by L1's multiplier and
 * moved by its offset, as far as L1 turned them on.
 */
static u64 nested_tsc_map(struct vcpu_vmx *vmx, u64 val, bool offset)
{
	const struct vmcs12 *v = vmx->nested.vmcs12;

	if (!vmx->nested.guest_mode ||
	    !(v->proc & CPU_BASED_USE_TSC_OFFSETTING))
		return val;
	if (!(nested_proc2(v) & SECONDARY_EXEC_TSC_SCALING))
		return val + v->tsc_offset;
	if (offset)
		val = mul_s64_u64_shr(val, v->tsc_multiplier,
				      VMX_TSC_RATIO_FRAC_BITS);
	else
		val = mul_u64_u64_shr(val, v->tsc_multiplier,
				      VMX_TSC_RATIO_FRAC_BITS);
	return val + v->tsc_offset;
}

/**
 * vmx_nested_tsc_offset() - the TSC offset of the current VMCS
 * @vmx: the vCPU
 * @offset: L1's offset from the host
 *
 * With L1's TSC = host * m01 + o01 and L2's = L1's * m12 + o12, L2's is
 * host * (m01 * m12) + (o01 * m12 + o12): L1's offset is scaled too.
 *
 * Return: @offset, or L2's offset from the host while L2 runs with one.
 */
u64 vmx_nested_tsc_offset(struct vcpu_vmx *vmx, u64 offset)
{
	return nested_tsc_map(vmx, offset, true);
}

/**
 * vmx_nested_tsc() - L2's TSC, while it runs
 * @vcpu: the vCPU
 * @tsc: L1's TSC
 *
 * Return: L2's TSC as the processor gives it, or @tsc if L2 does not run.
 */
u64 vmx_nested_tsc(struct kvm_x86_vcpu *vcpu, u64 tsc)
{
	return nested_tsc_map(to_vmx(vcpu), tsc, false);
}

/**
 * vmx_nested_tsc_ratio() - the TSC multiplier of the current VMCS
 * @vmx: the vCPU
 * @ratio: L1's multiplier
 *
 * Return: @ratio, or L2's while L2 runs with one of its own.
 */
u64 vmx_nested_tsc_ratio(struct vcpu_vmx *vmx, u64 ratio)
{
	if (!nested_tsc_scaled(vmx))
		return ratio;
	return mul_u64_u64_shr(ratio, vmx->nested.vmcs12->tsc_multiplier,
			       VMX_TSC_RATIO_FRAC_BITS);
}

/*
 * Out of L2 and out of VMX operation, without an exit to L1: for
 * KVM_SET_NESTED_STATE, which replaces all of it.
 */
static void nested_leave(struct vcpu_vmx *vmx)
{
	struct vmx_nested *n = &vmx->nested;

	if (n->guest_mode) {
		nested_back_to_l1(vmx);
		vmx->cr0 = vmcs_read(CR0_READ_SHADOW);
		vmx->cr4 = vmcs_read(CR4_READ_SHADOW);
	}
	n->vmxon = false;
	n->smm_vmxon = false;
	n->smm_guest_mode = false;
	n->current_gpa = NO_VMCS12;
	n->evmcs.active = false;
	n->evmcs.msr_bitmap_valid = false;
}

/**
 * vmx_nested_state_size() - KVM_CAP_NESTED_STATE
 *
 * Return: the header and the VMCS12 area, or 0 without nested VMX.
 */
u32 vmx_nested_state_size(void)
{
	BUILD_BUG_ON(sizeof(struct vmcs12_state) >
		     KVM_STATE_NESTED_VMX_VMCS_SIZE);
	return vmx_nested ? sizeof(struct kvm_nested_state) +
			    KVM_STATE_NESTED_VMX_VMCS_SIZE : 0;
}

/**
 * vmx_get_nested_state() - KVM_GET_NESTED_STATE
 * @vcpu: the vCPU, loaded
 * @state: zeroed, with room for vmx_nested_state_size() bytes
 *
 * The VMXON region and the current VMCS12 (both -1 outside VMX
 * operation), SMM's hold of VMX operation, whether L2 runs and whether
 * its VMLAUNCH or VMRESUME is still to enter it; the VMCS12 if there is a
 * current one.  L2's registers are the vCPU's, which userspace saves as
 * well; they also go to the VMCS12's guest state here, which is where
 * KVM_SET_NESTED_STATE enters L2 from.
 *
 * Return: the size of the state.
 */
long vmx_get_nested_state(struct kvm_x86_vcpu *vcpu,
			  struct kvm_nested_state *state)
{
	struct kvm_vmx_nested_state_hdr *h = &state->hdr.vmx;
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	struct vmx_nested *n = &vmx->nested;
	struct vmcs12_state *data = (void *)state->data.vmx[0].vmcs12;

	state->format = KVM_STATE_NESTED_FORMAT_VMX;
	state->size = sizeof(*state);
	h->vmxon_pa = -1ULL;
	h->vmcs12_pa = -1ULL;
	if (!n->vmxon && !n->smm_vmxon)
		return state->size;
	h->vmxon_pa = n->vmxon_gpa;
	h->vmcs12_pa = n->current_gpa;
	if (n->evmcs.active)
		state->flags |= KVM_STATE_NESTED_EVMCS;
	if (n->smm_vmxon)
		h->smm.flags = KVM_STATE_NESTED_SMM_VMXON |
			       (n->smm_guest_mode ?
				KVM_STATE_NESTED_SMM_GUEST_MODE : 0);
	if (n->guest_mode)
		state->flags |= KVM_STATE_NESTED_GUEST_MODE |
				(n->entry_pending ?
				 KVM_STATE_NESTED_RUN_PENDING : 0);
	if (n->current_gpa == NO_VMCS12)
		return state->size;
	data->vmcs12 = *n->vmcs12;
	if (n->guest_mode) {
		nested_save_l2(vmx, &data->vmcs12);
		/* L1's event is still to be injected by the entry. */
		if (n->entry_pending)
			data->vmcs12.entry_intr_info = n->vmcs12->entry_intr_info;
		data->l1_rsp = n->l1_rsp;
		data->l1_rip = n->l1_rip;
		data->l1_rflags = n->l1_rflags;
	}
	state->size += KVM_STATE_NESTED_VMX_VMCS_SIZE;
	return state->size;
}

/* Is @state's VMCS12 fit to run L2 in (as VMLAUNCH checks it)? */
static bool nested_state_runnable(struct vcpu_vmx *vmx,
				  const struct vmcs12 *v)
{
	return v->revision == VMCS12_REVISION &&
	       nested_controls_valid(vmx, v) && nested_guest_valid(vmx, v) &&
	       nested_link_valid(vmx, v) && !v->entry_msr_load_count;
}

/* Each field as VMWRITE would have left it, whatever userspace gave. */
static void nested_state_truncate(struct vmcs12 *v)
{
	unsigned int i;
	u64 *f;

	for (i = 0; i < ARRAY_SIZE(vmcs12_fields); i++) {
		f = (u64 *)((u8 *)v + vmcs12_fields[i].offset);
		*f = field_truncate(vmcs12_fields[i].encoding, *f);
	}
	v->launched = !!v->launched;
}

/**
 * vmx_set_nested_state() - KVM_SET_NESTED_STATE
 * @vcpu: the vCPU, loaded, in the VM's SRCU read side
 * @state: a state of vmx_get_nested_state()'s
 *
 * Outside SMM the SMM flags must be 0; in SMM, VMX operation must be
 * SMM's to give back (an SMI cannot come between VMXON and VMX operation)
 * and L2 cannot run.  The VMCS12 is needed if one is current, and checked
 * only if L2 is to run (now or after RSM): a VMCS12 L1 merely made current
 * is checked by its VMLAUNCH, as any other; its revision included.
 *
 * Return: 0, -ENOMEM, or -EINVAL for a state that is not one of ours, or
 * for an L2 that cannot be entered.
 */
int vmx_set_nested_state(struct kvm_x86_vcpu *vcpu,
			 const struct kvm_nested_state *state)
{
	const struct kvm_vmx_nested_state_hdr *h = &state->hdr.vmx;
	const struct vmcs12_state *data =
		(const void *)state->data.vmx[0].vmcs12;
	u32 evmcs = state->flags & KVM_STATE_NESTED_EVMCS;
	bool guest = state->flags & KVM_STATE_NESTED_GUEST_MODE;
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	struct vmx_nested *n = &vmx->nested;
	u16 smm = h->smm.flags;
	int ret;

	if (state->format != KVM_STATE_NESTED_FORMAT_VMX ||
	    (state->flags & ~(KVM_STATE_NESTED_GUEST_MODE |
			      KVM_STATE_NESTED_RUN_PENDING |
			      KVM_STATE_NESTED_EVMCS)) ||
	    h->flags ||
	    (smm & ~(KVM_STATE_NESTED_SMM_VMXON |
		     KVM_STATE_NESTED_SMM_GUEST_MODE)))
		return -EINVAL;
	/* The current VMCS12 is an enlightened VMCS: if L1 may have one. */
	if (evmcs && !vcpu->hv.evmcs_version)
		return -EINVAL;
	if (h->vmxon_pa == -1ULL) {
		if (h->vmcs12_pa != -1ULL || (state->flags & ~evmcs) || smm)
			return -EINVAL;
		nested_leave(vmx);
		return 0;
	}
	if (!vmx_nested_allowed(vmx) || !nested_gpa_valid(h->vmxon_pa))
		return -EINVAL;
	if (h->vmcs12_pa != -1ULL &&
	    (!nested_gpa_valid(h->vmcs12_pa) || h->vmcs12_pa == h->vmxon_pa ||
	     state->size < sizeof(*state) + KVM_STATE_NESTED_VMX_VMCS_SIZE))
		return -EINVAL;
	if (vcpu->smm.active ? !(smm & KVM_STATE_NESTED_SMM_VMXON) || guest :
			       smm)
		return -EINVAL;
	if (smm & KVM_STATE_NESTED_SMM_GUEST_MODE)
		guest = true;
	if (guest && (h->vmcs12_pa == -1ULL ||
		      !nested_state_runnable(vmx, &data->vmcs12)))
		return -EINVAL;
	ret = nested_alloc(vmx);
	if (ret)
		return ret;

	nested_leave(vmx);
	n->vmxon_gpa = h->vmxon_pa;
	n->current_gpa = h->vmcs12_pa;
	if (h->vmcs12_pa != -1ULL) {
		*n->vmcs12 = data->vmcs12;
		nested_state_truncate(n->vmcs12);
		n->evmcs.active = evmcs;
	}
	if (smm) {
		n->smm_vmxon = true;
		n->smm_guest_mode = guest;
		return 0;
	}
	n->vmxon = true;
	if (!guest)
		return 0;
	if (nested_reenter_l2(vmx))
		return -EINVAL;
	n->entry_pending = state->flags & KVM_STATE_NESTED_RUN_PENDING;
	n->l1_rsp = data->l1_rsp;
	n->l1_rip = data->l1_rip;
	n->l1_rflags = data->l1_rflags;
	return 0;
}
