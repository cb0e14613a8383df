// SPDX-License-Identifier: GPL-2.0-only
/*
 * The enlightened VMCS of Hyper-V's nested virtualization (Hyper-V TLFS,
 * "Enlightened VMCS"): a guest hypervisor that knows it runs on a
 * Hyper-V-compatible hypervisor writes its guest's VMCS as a structure in
 * its own memory instead of with VMWRITE, and names it in its VP assist
 * page instead of with VMPTRLD.
 *
 * Here is the format: which field of struct hv_enlightened_vmcs is which
 * field of our VMCS12, and in which direction it goes.  nested.c keeps
 * running L2 from the VMCS12 as for any VMCS: VMLAUNCH and VMRESUME read
 * the enlightened VMCS into it (every field: the clean-field bits only
 * tell what we may skip), and what an exit or a failed instruction writes
 * to the VMCS12 -- L2's state and the exit information -- is written back.
 *
 * The enlightened MSR bitmap is honoured: while L1 says the bitmap is
 * clean, L2's MSR accesses are sorted with the copy taken when it was
 * not.  L2's TLB flush hypercalls can be handled without an exit to L1
 * ("direct virtual flush"), if L1 enabled that.
 */
#include <linux/kvm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/hyperv-tlfs.h>

#include "vmx.h"

/* Who writes a field: L1 for the entry, we at an exit, or both. */
#define EV_IN	BIT(0)
#define EV_OUT	BIT(1)

struct evmcs_field {
	u16 enc;	/* the VMCS field: its width is the enlightened one's */
	u16 evmcs;	/* offset in struct hv_enlightened_vmcs */
	u16 vmcs12;	/* offset in struct vmcs12 (u64 fields) */
	u8 n;		/* that many fields in a row (encodings 2 apart) */
	u8 dir;
};

#define EV(enc, f, v, n, d) { enc, offsetof(struct hv_enlightened_vmcs, f), \
			      offsetof(struct vmcs12, v), n, d }
/* Controls and host state: L1's. */
#define CTL(enc, f, v)		EV(enc, f, v, 1, EV_IN)
#define CTL_N(enc, f, v, n)	EV(enc, f, v, n, EV_IN)
/* Guest state: L1 writes it for the entry, the exit writes L2's. */
#define GUEST(enc, f, v)	EV(enc, f, v, 1, EV_IN | EV_OUT)
#define GUEST_N(enc, f, v, n)	EV(enc, f, v, n, EV_IN | EV_OUT)
/* Exit information. */
#define EXIT(enc, f, v)		EV(enc, f, v, 1, EV_OUT)

static const struct evmcs_field evmcs_fields[] = {
	CTL_N(HOST_ES_SELECTOR, host_es_selector, host_sel, 7),
	CTL(HOST_IA32_PAT, host_ia32_pat, host_pat),
	CTL(HOST_IA32_EFER, host_ia32_efer, host_efer),
	CTL(HOST_IA32_PERF_GLOBAL_CTRL, host_ia32_perf_global_ctrl,
	    host_perf_global_ctrl),
	CTL(HOST_CR0, host_cr0, host_cr0),
	CTL(HOST_CR3, host_cr3, host_cr3),
	CTL(HOST_CR4, host_cr4, host_cr4),
	CTL(HOST_IA32_SYSENTER_CS, host_ia32_sysenter_cs, host_sysenter_cs),
	CTL(HOST_IA32_SYSENTER_ESP, host_ia32_sysenter_esp, host_sysenter_esp),
	CTL(HOST_IA32_SYSENTER_EIP, host_ia32_sysenter_eip, host_sysenter_eip),
	CTL(HOST_FS_BASE, host_fs_base, host_fs_base),
	CTL(HOST_GS_BASE, host_gs_base, host_gs_base),
	CTL(HOST_TR_BASE, host_tr_base, host_tr_base),
	CTL(HOST_GDTR_BASE, host_gdtr_base, host_gdtr_base),
	CTL(HOST_IDTR_BASE, host_idtr_base, host_idtr_base),
	CTL(HOST_RSP, host_rsp, host_rsp),
	CTL(HOST_RIP, host_rip, host_rip),

	CTL(PIN_BASED_VM_EXEC_CONTROL, pin_based_vm_exec_control, pin),
	CTL(CPU_BASED_VM_EXEC_CONTROL, cpu_based_vm_exec_control, proc),
	CTL(SECONDARY_VM_EXEC_CONTROL, secondary_vm_exec_control, proc2),
	CTL(VM_EXIT_CONTROLS, vm_exit_controls, exit_ctls),
	CTL(VM_ENTRY_CONTROLS, vm_entry_controls, entry_ctls),
	CTL(EXCEPTION_BITMAP, exception_bitmap, exception_bitmap),
	CTL(PAGE_FAULT_ERROR_CODE_MASK, page_fault_error_code_mask,
	    pf_error_mask),
	CTL(PAGE_FAULT_ERROR_CODE_MATCH, page_fault_error_code_match,
	    pf_error_match),
	CTL(IO_BITMAP_A, io_bitmap_a, io_bitmap_a),
	CTL(IO_BITMAP_B, io_bitmap_b, io_bitmap_b),
	CTL(MSR_BITMAP, msr_bitmap, msr_bitmap),
	CTL(VM_EXIT_MSR_STORE_ADDR, vm_exit_msr_store_addr,
	    exit_msr_store_addr),
	CTL(VM_EXIT_MSR_LOAD_ADDR, vm_exit_msr_load_addr, exit_msr_load_addr),
	CTL(VM_ENTRY_MSR_LOAD_ADDR, vm_entry_msr_load_addr,
	    entry_msr_load_addr),
	CTL(VM_EXIT_MSR_STORE_COUNT, vm_exit_msr_store_count,
	    exit_msr_store_count),
	CTL(VM_EXIT_MSR_LOAD_COUNT, vm_exit_msr_load_count,
	    exit_msr_load_count),
	CTL(VM_ENTRY_MSR_LOAD_COUNT, vm_entry_msr_load_count,
	    entry_msr_load_count),
	CTL(CR3_TARGET_COUNT, cr3_target_count, cr3_target_count),
	CTL_N(CR3_TARGET_VALUE0, cr3_target_value0, cr3_target, 4),
	CTL(TSC_OFFSET, tsc_offset, tsc_offset),
	CTL(TSC_MULTIPLIER, tsc_multiplier, tsc_multiplier),
	CTL(VIRTUAL_APIC_PAGE_ADDR, virtual_apic_page_addr, virtual_apic_addr),
	CTL(EPT_POINTER, ept_pointer, ept_pointer),
	CTL(VIRTUAL_PROCESSOR_ID, virtual_processor_id, vpid),
	CTL(CR0_GUEST_HOST_MASK, cr0_guest_host_mask, cr0_mask),
	CTL(CR4_GUEST_HOST_MASK, cr4_guest_host_mask, cr4_mask),
	CTL(CR0_READ_SHADOW, cr0_read_shadow, cr0_shadow),
	CTL(CR4_READ_SHADOW, cr4_read_shadow, cr4_shadow),
	CTL(VM_ENTRY_INTR_INFO_FIELD, vm_entry_intr_info_field,
	    entry_intr_info),
	CTL(VM_ENTRY_EXCEPTION_ERROR_CODE, vm_entry_exception_error_code,
	    entry_error_code),
	CTL(VM_ENTRY_INSTRUCTION_LEN, vm_entry_instruction_len, entry_insn_len),
	CTL(TPR_THRESHOLD, tpr_threshold, tpr_threshold),

	GUEST_N(GUEST_ES_SELECTOR, guest_es_selector, guest_sel, 8),
	GUEST_N(GUEST_ES_LIMIT, guest_es_limit, guest_limit, 8),
	GUEST_N(GUEST_ES_AR_BYTES, guest_es_ar_bytes, guest_ar, 8),
	GUEST_N(GUEST_ES_BASE, guest_es_base, guest_base, 8),
	GUEST(GUEST_GDTR_BASE, guest_gdtr_base, guest_gdtr_base),
	GUEST(GUEST_GDTR_LIMIT, guest_gdtr_limit, guest_gdtr_limit),
	GUEST(GUEST_IDTR_BASE, guest_idtr_base, guest_idtr_base),
	GUEST(GUEST_IDTR_LIMIT, guest_idtr_limit, guest_idtr_limit),
	GUEST(GUEST_CR0, guest_cr0, guest_cr0),
	GUEST(GUEST_CR3, guest_cr3, guest_cr3),
	GUEST(GUEST_CR4, guest_cr4, guest_cr4),
	GUEST(GUEST_DR7, guest_dr7, guest_dr7),
	GUEST(GUEST_RSP, guest_rsp, guest_rsp),
	GUEST(GUEST_RIP, guest_rip, guest_rip),
	GUEST(GUEST_RFLAGS, guest_rflags, guest_rflags),
	GUEST(GUEST_PENDING_DBG_EXCEPTIONS, guest_pending_dbg_exceptions,
	      guest_pending_dbg),
	GUEST(GUEST_INTERRUPTIBILITY_INFO, guest_interruptibility_info,
	      guest_interruptibility),
	GUEST(GUEST_ACTIVITY_STATE, guest_activity_state, guest_activity),
	GUEST(GUEST_SYSENTER_CS, guest_sysenter_cs, guest_sysenter_cs),
	GUEST(GUEST_SYSENTER_ESP, guest_sysenter_esp, guest_sysenter_esp),
	GUEST(GUEST_SYSENTER_EIP, guest_sysenter_eip, guest_sysenter_eip),
	GUEST(GUEST_IA32_DEBUGCTL, guest_ia32_debugctl, guest_debugctl),
	GUEST(GUEST_IA32_PAT, guest_ia32_pat, guest_pat),
	GUEST(GUEST_IA32_EFER, guest_ia32_efer, guest_efer),
	GUEST(GUEST_IA32_PERF_GLOBAL_CTRL, guest_ia32_perf_global_ctrl,
	      guest_perf_global_ctrl),
	GUEST_N(GUEST_PDPTR0, guest_pdptr0, guest_pdpte, 4),
	GUEST(VMCS_LINK_POINTER, vmcs_link_pointer, guest_link_pointer),

	EXIT(VM_INSTRUCTION_ERROR, vm_instruction_error, insn_error),
	EXIT(VM_EXIT_REASON, vm_exit_reason, exit_reason),
	EXIT(EXIT_QUALIFICATION, exit_qualification, exit_qual),
	EXIT(VM_EXIT_INTR_INFO, vm_exit_intr_info, exit_intr_info),
	EXIT(VM_EXIT_INTR_ERROR_CODE, vm_exit_intr_error_code, exit_intr_error),
	EXIT(IDT_VECTORING_INFO_FIELD, idt_vectoring_info_field,
	     idt_vectoring_info),
	EXIT(IDT_VECTORING_ERROR_CODE, idt_vectoring_error_code,
	     idt_vectoring_error),
	EXIT(VM_EXIT_INSTRUCTION_LEN, vm_exit_instruction_len, exit_insn_len),
	EXIT(VMX_INSTRUCTION_INFO, vmx_instruction_info, insn_info),
	EXIT(GUEST_LINEAR_ADDRESS, guest_linear_address, guest_linear_addr),
	EXIT(GUEST_PHYSICAL_ADDRESS, guest_physical_address, guest_phys_addr),
};

/*
 * The width of a field in the enlightened VMCS: that of its VMCS
 * encoding (SDM vol. 3D, appendix B), natural width being 64 bits.
 */
static unsigned int evmcs_width(u16 enc)
{
	switch ((enc >> 13) & 3) {
	case 0:
		return 2;
	case 2:
		return 4;
	default:
		return 8;
	}
}

/* Copy the fields of @f from @ev to @v (@in), or from @v to @ev. */
static void evmcs_copy(const struct evmcs_field *f, void *ev,
		       struct vmcs12 *v, bool in)
{
	unsigned int w = evmcs_width(f->enc), i;

	for (i = 0; i < f->n; i++) {
		u8 *e = (u8 *)ev + f->evmcs + i * w;
		u64 *p = (u64 *)((u8 *)v + f->vmcs12) + i;

		/* x86 is little-endian: the low bytes are the narrow field. */
		if (in) {
			*p = 0;
			memcpy(p, e, w);
		} else {
			memcpy(e, p, w);
		}
	}
}

/* Where field @f of the VP assist page is. */
#define VP_ASSIST(f)	offsetof(struct hv_vp_assist_page, f)

/**
 * vmx_hv_nested_features() - what we offer a guest hypervisor on Hyper-V
 *
 * Return: HYPERV_CPUID_NESTED_FEATURES.EAX bits: the enlightened VMCS
 * versions we take (highest in bits 15:8, lowest in 7:0) and the direct
 * flush of L2's TLB flush hypercalls; 0 without nested VMX.
 */
u32 vmx_hv_nested_features(void)
{
	if (!vmx_nested)
		return 0;
	return KVM_EVMCS_VERSION << 8 | KVM_EVMCS_VERSION |
	       HV_X64_NESTED_DIRECT_FLUSH;
}

/**
 * vmx_evmcs_named() - the enlightened VMCS L1's VMLAUNCH or VMRESUME uses
 * @vmx: the vCPU, in L1, in VMX operation
 * @gpa: its address, if any
 *
 * With the enlightened VMCS enabled (KVM_CAP_HYPERV_ENLIGHTENED_VMCS),
 * L1's VP assist page says whether the entry is enlightened and which
 * enlightened VMCS it uses.
 *
 * Return: true if it names one.
 */
bool vmx_evmcs_named(struct vcpu_vmx *vmx, u64 *gpa)
{
	struct kvm_x86_vcpu *vcpu = &vmx->x86;
	u8 on;

	return vcpu->hv.evmcs_version &&
	       !kvm_hv_vp_assist_read(vcpu, VP_ASSIST(enlighten_vmentry), &on,
				      1) &&
	       on &&
	       !kvm_hv_vp_assist_read(vcpu, VP_ASSIST(current_nested_vmcs), gpa,
				      sizeof(*gpa));
}

static int evmcs_buffer(struct vmx_evmcs *e)
{
	if (!e->buf)
		e->buf = kzalloc(sizeof(*e->buf), GFP_KERNEL_ACCOUNT);
	return e->buf ? 0 : -ENOMEM;
}

/*
 * The copy of L1's MSR bitmap that its enlightened MSR bitmap lets us
 * keep while it says the bitmap is clean.
 */
static void evmcs_msr_bitmap(struct vcpu_vmx *vmx, const struct vmcs12 *v)
{
	struct vmx_evmcs *e = &vmx->nested.evmcs;
	bool on = e->buf->hv_enlightenments_control.msr_bitmap;

	if (on && e->msr_bitmap_valid &&
	    (e->buf->hv_clean_fields & HV_VMX_ENLIGHTENED_CLEAN_FIELD_MSR_BITMAP))
		return;
	e->msr_bitmap_valid = false;
	if (!on || !(v->proc & CPU_BASED_USE_MSR_BITMAPS))
		return;
	if (!e->msr_bitmap)
		e->msr_bitmap = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	/* Without a copy the bitmap is read from L1's memory, as it is. */
	if (e->msr_bitmap &&
	    !kvm_x86_read_guest_as(vmx->x86.vcpu.kvm, 0, v->msr_bitmap,
				   e->msr_bitmap, PAGE_SIZE))
		e->msr_bitmap_valid = true;
}

/**
 * vmx_evmcs_load() - VMLAUNCH, VMRESUME: the enlightened VMCS to the VMCS12
 * @vmx: the vCPU, in L1
 * @gpa: the enlightened VMCS
 * @v: the VMCS12 L2 is to run from; the fields the enlightened VMCS does
 *	not have are left as they are
 *
 * Return: 0, -EFAULT if @gpa is no memory of L1's, -EINVAL if its
 * revision is not one we take, or -ENOMEM.
 */
int vmx_evmcs_load(struct vcpu_vmx *vmx, u64 gpa, struct vmcs12 *v)
{
	struct vmx_evmcs *e = &vmx->nested.evmcs;
	const struct evmcs_field *f;
	int ret;

	ret = evmcs_buffer(e);
	if (ret)
		return ret;
	if (kvm_x86_read_guest_as(vmx->x86.vcpu.kvm, 0, gpa, e->buf,
				  sizeof(*e->buf)))
		return -EFAULT;
	if (e->buf->revision_id != KVM_EVMCS_VERSION)
		return -EINVAL;
	for (f = evmcs_fields; f < evmcs_fields + ARRAY_SIZE(evmcs_fields); f++)
		if (f->dir & EV_IN)
			evmcs_copy(f, e->buf, v, true);
	e->direct_flush = e->buf->hv_enlightenments_control.nested_flush_hypercall;
	e->partition_assist = e->buf->partition_assist_page;
	evmcs_msr_bitmap(vmx, v);
	return 0;
}

/**
 * vmx_evmcs_store() - the VMCS12's guest state and exit information to
 *	the enlightened VMCS
 * @vmx: the vCPU, its enlightened VMCS current
 *
 * Called where an exit to L1, or a VMX instruction's VMfailValid, wrote
 * the VMCS12; L1 reads the result from its memory.  The rest of the
 * enlightened VMCS is L1's and stays as it is.
 */
void vmx_evmcs_store(struct vcpu_vmx *vmx)
{
	struct vmx_nested *n = &vmx->nested;
	struct kvm *kvm = vmx->x86.vcpu.kvm;
	struct vmx_evmcs *e = &n->evmcs;
	const struct evmcs_field *f;

	if (evmcs_buffer(e) ||
	    kvm_x86_read_guest_as(kvm, 0, n->current_gpa, e->buf,
				  sizeof(*e->buf)))
		return;
	for (f = evmcs_fields; f < evmcs_fields + ARRAY_SIZE(evmcs_fields); f++)
		if (f->dir & EV_OUT)
			evmcs_copy(f, e->buf, n->vmcs12, false);
	kvm_x86_write_guest_as(kvm, 0, n->current_gpa, e->buf, sizeof(*e->buf));
}

/**
 * vmx_evmcs_msr_bitmap() - L2's MSR access in L1's enlightened MSR bitmap
 * @vmx: the vCPU, in L2
 * @offset: the byte of the MSR bitmap that has the MSR's bit
 * @bits: that byte
 *
 * Return: true if the copy of the bitmap answers, false if the bitmap is
 * to be read from L1's memory.
 */
bool vmx_evmcs_msr_bitmap(struct vcpu_vmx *vmx, unsigned int offset, u8 *bits)
{
	struct vmx_evmcs *e = &vmx->nested.evmcs;

	if (!e->active || !e->msr_bitmap_valid || offset >= PAGE_SIZE)
		return false;
	*bits = ((u8 *)e->msr_bitmap)[offset];
	return true;
}

/**
 * vmx_evmcs_hypercall() - L2's VMCALL, handled here if it is a TLB flush
 *	that L1 lets us do
 * @vmx: the vCPU, in L2, at a VMCALL exit
 * @reason: set to the synthetic exit reason if L1 is to get one
 *
 * L1 enables the direct flush of its guest's TLB flush hypercalls in the
 * enlightened VMCS (and elsewhere: see kvm_hv_nested_flush()).
 *
 * Return: true if the VMCALL was handled here (L2 goes on after it, or L1
 * gets the synthetic exit), false if it is L1's.
 */
bool vmx_evmcs_hypercall(struct vcpu_vmx *vmx, u32 *reason)
{
	struct vmx_evmcs *e = &vmx->nested.evmcs;
	bool trap;

	if (!e->active || !e->direct_flush ||
	    !kvm_hv_nested_flush(&vmx->x86, e->partition_assist, &trap))
		return false;
	vmx_skip(vmx);
	if (trap)
		*reason = HV_VMX_SYNTHETIC_EXIT_REASON_TRAP_AFTER_FLUSH;
	return true;
}

/**
 * vmx_evmcs_free() - free the vCPU's enlightened VMCS buffers
 * @vmx: the vCPU, going away
 */
void vmx_evmcs_free(struct vcpu_vmx *vmx)
{
	struct vmx_evmcs *e = &vmx->nested.evmcs;

	kfree(e->buf);
	free_page((unsigned long)e->msr_bitmap);
}
