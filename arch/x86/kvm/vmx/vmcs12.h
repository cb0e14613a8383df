/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMCS a guest hypervisor (L1) keeps for its guest (L2): the VMCS12.
 *
 * The layout of a VMCS region is the processor's business (SDM vol. 3C,
 * 25.2): software only writes the revision identifier and uses VMREAD and
 * VMWRITE.  This one is ours: every field we emulate is a u64, whatever
 * its width, so that VMREAD and VMWRITE only truncate.  L1's current
 * VMCS12 lives in the vCPU while it is current, and in L1's memory after
 * VMCLEAR or when another VMCS12 is made current.
 */
#ifndef ARCH_X86_KVM_VMX_VMCS12_H
#define ARCH_X86_KVM_VMX_VMCS12_H

#include <linux/bits.h>
#include <linux/types.h>

/* The revision identifier L1 reads in IA32_VMX_BASIC (bit 31 clear). */
#define VMCS12_REVISION		0x4b564d31
/* The same with bit 31 set: a shadow VMCS (SDM vol. 3C, 25.10). */
#define VMCS12_SHADOW_REVISION	(VMCS12_REVISION | BIT(31))

/* Segment registers in guest-state order: ES CS SS DS FS GS LDTR TR. */
#define VMCS12_GUEST_SEGS	8
/* Host selectors: ES CS SS DS FS GS TR (no LDTR). */
#define VMCS12_HOST_SELS	7

struct vmcs12 {
	u32 revision;
	u32 abort;
	u32 launched;
	u32 reserved;

	/* VM-execution, exit and entry controls. */
	u64 vpid, posted_intr_nv;
	u64 io_bitmap_a, io_bitmap_b, msr_bitmap;
	u64 exit_msr_store_addr, exit_msr_load_addr, entry_msr_load_addr;
	u64 tsc_offset, tsc_multiplier, virtual_apic_addr, apic_access_addr;
	u64 ept_pointer;
	u64 vmread_bitmap, vmwrite_bitmap;
	u64 pin, proc, proc2, exception_bitmap, pf_error_mask, pf_error_match;
	u64 cr3_target_count, cr3_target[4];
	u64 exit_ctls, exit_msr_store_count, exit_msr_load_count;
	u64 entry_ctls, entry_msr_load_count;
	u64 entry_intr_info, entry_error_code, entry_insn_len;
	u64 tpr_threshold, ple_gap, ple_window;
	u64 cr0_mask, cr4_mask, cr0_shadow, cr4_shadow;

	/* VM-exit information: read-only for L1. */
	u64 insn_error, exit_reason, exit_qual;
	u64 exit_intr_info, exit_intr_error;
	u64 idt_vectoring_info, idt_vectoring_error;
	u64 exit_insn_len, insn_info, guest_linear_addr, guest_phys_addr;

	/* Guest state. */
	u64 guest_sel[VMCS12_GUEST_SEGS], guest_base[VMCS12_GUEST_SEGS];
	u64 guest_limit[VMCS12_GUEST_SEGS], guest_ar[VMCS12_GUEST_SEGS];
	u64 guest_gdtr_base, guest_gdtr_limit, guest_idtr_base, guest_idtr_limit;
	u64 guest_cr0, guest_cr3, guest_cr4, guest_dr7;
	u64 guest_rsp, guest_rip, guest_rflags;
	u64 guest_pending_dbg, guest_interruptibility, guest_activity;
	u64 guest_sysenter_cs, guest_sysenter_esp, guest_sysenter_eip;
	u64 guest_debugctl, guest_pat, guest_efer, guest_perf_global_ctrl;
	u64 guest_pdpte[4], guest_link_pointer;
	u64 guest_intr_status, guest_pml_index, preemption_timer;

	/* Host state: what VM exit loads for L1. */
	u64 host_sel[VMCS12_HOST_SELS];
	u64 host_cr0, host_cr3, host_cr4;
	u64 host_fs_base, host_gs_base, host_tr_base;
	u64 host_gdtr_base, host_idtr_base;
	u64 host_sysenter_cs, host_sysenter_esp, host_sysenter_eip;
	u64 host_rsp, host_rip, host_pat, host_efer, host_perf_global_ctrl;
};

/*
 * The data of KVM_GET/SET_NESTED_STATE (format 0: the VMCS12 area of
 * struct kvm_vmx_nested_state_data; the shadow VMCS12 area is not used, a
 * shadow VMCS stays in L1's memory): the current VMCS12 -- with L2's
 * state of the moment while L2 runs --, and where L1 resumes if the
 * processor refuses an entry into L2 that a VMLAUNCH or VMRESUME began
 * (KVM_STATE_NESTED_RUN_PENDING).
 */
struct vmcs12_state {
	struct vmcs12 vmcs12;
	u64 l1_rsp, l1_rip, l1_rflags;
};

#endif /* ARCH_X86_KVM_VMX_VMCS12_H */
