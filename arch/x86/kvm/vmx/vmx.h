/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Definitions shared by the files of the VMX backend (kvm-intel.ko).
 */
#ifndef ARCH_X86_KVM_VMX_H
#define ARCH_X86_KVM_VMX_H

#include <asm/vmx.h>

#include "backend.h"
#include "vmcs12.h"

/**
 * struct vmx_config - what this processor lets us use, read once at load
 * @revision:	VMCS revision id for VMXON regions and VMCSs
 * @pin:	pin-based VM-execution controls
 * @proc:	primary processor-based VM-execution controls
 * @proc2:	secondary processor-based VM-execution controls
 * @exit:	VM-exit controls
 * @entry:	VM-entry controls (without IA-32e mode, which follows EFER)
 * @cr0_fixed0:	CR0 bits that must be 1 in VMX operation
 * @cr0_fixed1:	CR0 bits that may be 1
 * @cr4_fixed0:	the same for CR4
 * @cr4_fixed1:	the same for CR4
 * @invept_single: INVEPT can flush one EPT context
 */
struct vmx_config {
	u32 revision;
	u32 pin, proc, proc2, exit, entry;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	bool invept_single;
};

extern struct vmx_config vmx_config;

/*
 * PAUSE-loop exiting (SDM vol. 3C, 26.1.3), in TSC ticks: PAUSEs at most
 * VMX_PLE_GAP apart are one loop (a spin loop's iteration is tens of
 * cycles), and a loop longer than VMX_PLE_WINDOW exits -- a few
 * microseconds, longer than most lock hold times, so that a guest that
 * only waits briefly keeps its CPU.
 */
#define VMX_PLE_GAP	128
#define VMX_PLE_WINDOW	16384
/* The TSC multiplier: 16 integer and 48 fraction bits. */
#define VMX_TSC_RATIO_FRAC_BITS	48

/* SYSCALL MSRs and IA32_KERNEL_GS_BASE, switched by us (see vmx.c). */
#define VMX_NR_SWITCHED_MSRS	5
extern const u32 vmx_switched_msrs[VMX_NR_SWITCHED_MSRS];

/**
 * struct vmx_nested_caps - the VMX capability MSRs a guest hypervisor reads
 * @basic:	IA32_VMX_BASIC
 * @pin:	IA32_VMX_TRUE_PINBASED_CTLS: bits that must be 1 in the low
 *		half, bits that may be 1 in the high half
 * @proc:	IA32_VMX_TRUE_PROCBASED_CTLS, the same way
 * @proc2:	IA32_VMX_PROCBASED_CTLS2
 * @exit:	IA32_VMX_TRUE_EXIT_CTLS
 * @entry:	IA32_VMX_TRUE_ENTRY_CTLS
 * @misc:	IA32_VMX_MISC
 * @cr0_fixed0: IA32_VMX_CR0_FIXED0
 * @cr0_fixed1: IA32_VMX_CR0_FIXED1
 * @cr4_fixed0: IA32_VMX_CR4_FIXED0
 * @cr4_fixed1: IA32_VMX_CR4_FIXED1
 * @vmcs_enum:	IA32_VMX_VMCS_ENUM
 * @ept_vpid:	IA32_VMX_EPT_VPID_CAP
 * @vmfunc:	IA32_VMX_VMFUNC
 *
 * Userspace may take features away (KVM_SET_MSRS), never add them.
 */
struct vmx_nested_caps {
	u64 basic, pin, proc, proc2, exit, entry, misc;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 vmcs_enum, ept_vpid, vmfunc;
};

/* The enlightened VMCS version we take (Hyper-V TLFS). */
#define KVM_EVMCS_VERSION	1

/**
 * struct vmx_evmcs - the guest hypervisor's enlightened VMCS (evmcs.c)
 * @active:	the current VMCS12 is one: vmx_nested::current_gpa is an
 *		enlightened VMCS, read at each VMLAUNCH and VMRESUME
 * @direct_flush: L1 lets us handle its guest's TLB flush hypercalls
 * @msr_bitmap_valid: @msr_bitmap holds L1's MSR bitmap, which its
 *		enlightened MSR bitmap says is clean
 * @partition_assist: L1's partition assist page (its TLB lock count)
 * @buf:	the enlightened VMCS as read from L1's memory
 * @msr_bitmap:	a page for the copy of L1's MSR bitmap
 */
struct vmx_evmcs {
	bool active;
	bool direct_flush;
	bool msr_bitmap_valid;
	u64 partition_assist;
	struct hv_enlightened_vmcs *buf;
	void *msr_bitmap;
};

/**
 * struct vmx_nested - the vCPU as a guest hypervisor (nested.c)
 * @caps:	its VMX capability MSRs
 * @feat_ctl:	IA32_FEATURE_CONTROL
 * @vmxon:	it executed VMXON: it is in VMX operation
 * @guest_mode: its guest (L2) runs, in @vmcs02
 * @entry_pending: L2 was entered by VMLAUNCH or VMRESUME and has not
 *		exited yet: a failed entry is that instruction's
 * @vmxon_gpa:	its VMXON region
 * @current_gpa: its current VMCS, or INVALID_GPA
 * @vmcs12:	that VMCS, cached while it is current
 * @vmcs01:	the vCPU's own VMCS, in which L1 runs
 * @vmcs01_pa:	its physical address
 * @vmcs02:	the VMCS L2 runs in (allocated at the first VMXON)
 * @vmcs02_pa:	its physical address
 * @vmcs02_ready: its constant fields are written
 * @apic_access_page: L1's page at its APIC-access address, held while L2
 *		runs with APIC accesses virtualized
 * @l1_rsp:	L1's RSP at VMLAUNCH or VMRESUME, for a failed entry
 * @l1_rip:	its RIP after the instruction
 * @l1_rflags:	its RFLAGS
 * @smm_vmxon:	an SMI took the vCPU out of VMX operation: RSM goes back
 *		to it (SDM vol. 3C, 32.14)
 * @smm_guest_mode: and it came while L2 ran: RSM enters L2 again
 * @evmcs:	its enlightened VMCS, if it uses one
 */
struct vmx_nested {
	struct vmx_nested_caps caps;
	u64 feat_ctl;
	bool vmxon;
	bool guest_mode;
	bool entry_pending;
	gpa_t vmxon_gpa;
	gpa_t current_gpa;
	struct vmcs12 *vmcs12;
	void *vmcs01;
	phys_addr_t vmcs01_pa;
	void *vmcs02;
	phys_addr_t vmcs02_pa;
	bool vmcs02_ready;
	struct page *apic_access_page;
	unsigned long l1_rsp, l1_rip, l1_rflags;
	bool smm_vmxon;
	bool smm_guest_mode;
	struct vmx_evmcs evmcs;
};

/**
 * struct vcpu_vmx - an x86 vCPU run with VMX
 * @x86:	the x86 part
 * @vmcs:	the current VMCS: L1's (the vCPU's own), or L2's while it runs
 * @vmcs_pa:	its physical address
 * @vmcs_ready:	the constant fields of the VMCS are written
 * @launched:	the VMCS was launched since its last VMCLEAR (VMRESUME
 *		rather than VMLAUNCH)
 * @vpid:	tag of the vCPU's linear translations, 0 without VPID
 * @eptp:	the EPT pointer: the VM's guest page table
 * @last_cpu:	CPU of the last entry, whose TLB may hold its translations
 * @flush_tlb:	drop the cached translations before the next entry
 * @cr0:	CR0 as the guest sees it (the read shadow of the bits we own)
 * @cr4:	the same for CR4
 * @cr2:	the guest's CR2, which VMX does not switch
 * @cr8:	the guest's task priority (CR8 accesses exit)
 * @guest_msrs: the guest's values of the MSRs VMX does not switch, in
 *		the order of vmx_switched_msrs[]
 * @host_msrs:	the host's values of them while the guest's are loaded
 * @guest_msrs_loaded: the processor holds @guest_msrs: since the first
 *		entry after the vCPU was loaded, until it is put
 * @host_ds:	the host's DS selector while @guest_msrs_loaded
 * @host_es:	the same for ES
 * @host_fs:	the same for FS
 * @host_gs:	the same for GS
 * @host_cr3:	HOST_CR3 as last written, 0 after a load
 * @host_cr4:	HOST_CR4 as last written, 0 after a load
 * @host_debugctl: the host's IA32_DEBUGCTL, which VM exit clears
 * @exit_reason: basic exit reason of the last exit, with bit 31 if the
 *		entry failed
 * @exit_qual:	its exit qualification
 * @vmfail:	the last VMLAUNCH or VMRESUME failed as an instruction
 *		(@exit_reason has the instruction error)
 * @nested:	the guest as a hypervisor of its own (nested.c)
 */
struct vcpu_vmx {
	struct kvm_x86_vcpu x86;
	void *vmcs;
	phys_addr_t vmcs_pa;
	bool vmcs_ready;
	bool launched;
	u16 vpid;
	u64 eptp;
	int last_cpu;
	bool flush_tlb;
	unsigned long cr0, cr4;
	unsigned long cr2, cr8;
	u64 guest_msrs[VMX_NR_SWITCHED_MSRS];
	u64 host_msrs[VMX_NR_SWITCHED_MSRS];
	bool guest_msrs_loaded;
	u16 host_ds, host_es, host_fs, host_gs;
	unsigned long host_cr3, host_cr4;
	u64 host_debugctl;
	u32 exit_reason;
	unsigned long exit_qual;
	bool vmfail;
	struct vmx_nested nested;
};

static __always_inline struct vcpu_vmx *to_vmx(struct kvm_x86_vcpu *vcpu)
{
	return container_of(vcpu, struct vcpu_vmx, x86);
}

/* VMREAD and VMWRITE on the current VMCS (SDM vol. 3C, 31.3). */
static __always_inline unsigned long vmcs_read(unsigned long field)
{
	unsigned long value;

	asm volatile("vmread %1, %0" : "=r" (value) : "r" (field) : "cc");
	return value;
}

void vmcs_write_error(unsigned long field, unsigned long value);

static __always_inline void vmcs_clear(phys_addr_t pa)
{
	asm volatile("vmclear %0" : : "m" (pa) : "cc", "memory");
}

static __always_inline void vmcs_load(phys_addr_t pa)
{
	asm volatile("vmptrld %0" : : "m" (pa) : "cc", "memory");
}

static __always_inline void vmcs_write(unsigned long field,
				       unsigned long value)
{
	asm goto("vmwrite %1, %0\n\t"
		 "jbe %l[fail]"
		 : : "r" (field), "rm" (value) : "cc" : fail);
	return;
fail:
	vmcs_write_error(field, value);
}

/* vmx.c */
void vmx_init_current_vmcs(struct vcpu_vmx *vmx);
void vmx_load_host_state(struct vcpu_vmx *vmx, int cpu);

/* state.c */
void vmx_init_vmcs(struct vcpu_vmx *vmx, u64 eptp, phys_addr_t msr_bitmap);
unsigned long vmx_cr0_owned(void);
unsigned long vmx_cr4_owned(void);
void vmx_get_segment(enum kvm_x86_seg seg, struct kvm_segment *s);
void vmx_set_segment(enum kvm_x86_seg seg, const struct kvm_segment *s);
void vmx_get_sregs(struct kvm_x86_vcpu *vcpu, struct kvm_sregs *sregs);
void vmx_set_sregs(struct kvm_x86_vcpu *vcpu, const struct kvm_sregs *sregs);
unsigned long vmx_get_cr0(struct kvm_x86_vcpu *vcpu);
unsigned long vmx_get_cr4(struct kvm_x86_vcpu *vcpu);
void vmx_load_pdptes(struct vcpu_vmx *vmx);
void vmx_get_pdptes(struct kvm_x86_vcpu *vcpu, u64 pdpte[4]);
void vmx_set_pdptes(struct kvm_x86_vcpu *vcpu, const u64 pdpte[4]);
int vmx_set_cr0(struct vcpu_vmx *vmx, unsigned long cr0);
int vmx_set_cr4(struct vcpu_vmx *vmx, unsigned long cr4);
void vmx_set_efer(struct vcpu_vmx *vmx, u64 efer);
int vmx_get_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data);
int vmx_set_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 data);
void vmx_set_tsc_offset(struct kvm_x86_vcpu *vcpu, u64 offset);
u8 vmx_tsc_scaling(u64 *max_ratio);
void vmx_set_tsc_ratio(struct kvm_x86_vcpu *vcpu, u64 ratio);
bool vmx_interrupt_allowed(struct kvm_x86_vcpu *vcpu);
void vmx_set_irq_window(struct kvm_x86_vcpu *vcpu, bool on);
void vmx_update_exits(struct kvm_x86_vcpu *vcpu);
u32 vmx_exception_bitmap(struct vcpu_vmx *vmx);
void vmx_set_guest_debug(struct kvm_x86_vcpu *vcpu);
bool vmx_nmi_allowed(struct kvm_x86_vcpu *vcpu);
void vmx_set_nmi_window(struct kvm_x86_vcpu *vcpu, bool on);
bool vmx_get_nmi_mask(struct kvm_x86_vcpu *vcpu);
void vmx_set_nmi_mask(struct kvm_x86_vcpu *vcpu, bool masked);
u8 vmx_get_interrupt_shadow(struct kvm_x86_vcpu *vcpu);
void vmx_set_interrupt_shadow(struct kvm_x86_vcpu *vcpu, u8 shadow);
u8 vmx_get_cr8(struct kvm_x86_vcpu *vcpu);
void vmx_set_cr8(struct kvm_x86_vcpu *vcpu, u8 cr8);

/* exits.c */
int vmx_handle_exit(struct kvm_x86_vcpu *vcpu);
void vmx_next_insn(struct vcpu_vmx *vmx);
void vmx_skip(struct vcpu_vmx *vmx);
u32 vmx_event_info(const struct kvm_x86_event *e);
void vmx_inject_event(struct kvm_x86_vcpu *vcpu,
		      const struct kvm_x86_event *event);

/* nested.c */
extern bool vmx_nested;
int vmx_nested_setup(void);
int vmx_nested_init(struct vcpu_vmx *vmx);
void vmx_nested_free(struct vcpu_vmx *vmx);
bool vmx_nested_allowed(struct vcpu_vmx *vmx);
int vmx_nested_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data,
		   bool write, bool host);
void vmx_nested_cpuid(struct kvm_cpuid_entry2 *e);
void vmx_nested_events(struct kvm_x86_vcpu *vcpu);
int vmx_nested_exit(struct vcpu_vmx *vmx);
bool vmx_nested_takes_irqs(struct vcpu_vmx *vmx);
bool vmx_nested_takes_nmis(struct vcpu_vmx *vmx);
bool vmx_nested_wakes(struct kvm_x86_vcpu *vcpu);
u64 vmx_nested_tsc_offset(struct vcpu_vmx *vmx, u64 offset);
u64 vmx_nested_tsc_ratio(struct vcpu_vmx *vmx, u64 ratio);
u64 vmx_nested_tsc(struct kvm_x86_vcpu *vcpu, u64 tsc);
int vmx_nested_cr_write(struct vcpu_vmx *vmx, int cr, unsigned long *val);
void vmx_nested_cr_shadows(struct vcpu_vmx *vmx);
int vmx_nested_vmxon(struct vcpu_vmx *vmx);
int vmx_nested_vmxoff(struct vcpu_vmx *vmx);
int vmx_nested_vmclear(struct vcpu_vmx *vmx);
int vmx_nested_vmptrld(struct vcpu_vmx *vmx);
int vmx_nested_vmptrst(struct vcpu_vmx *vmx);
int vmx_nested_vmread(struct vcpu_vmx *vmx);
int vmx_nested_vmwrite(struct vcpu_vmx *vmx);
int vmx_nested_vmlaunch(struct vcpu_vmx *vmx);
int vmx_nested_vmresume(struct vcpu_vmx *vmx);
int vmx_nested_smm(struct kvm_x86_vcpu *vcpu, bool enter);
u32 vmx_nested_state_size(void);
long vmx_get_nested_state(struct kvm_x86_vcpu *vcpu,
			  struct kvm_nested_state *state);
int vmx_set_nested_state(struct kvm_x86_vcpu *vcpu,
			 const struct kvm_nested_state *state);

/* vmenter.S */
/* evmcs.c */
u32 vmx_hv_nested_features(void);
bool vmx_evmcs_named(struct vcpu_vmx *vmx, u64 *gpa);
int vmx_evmcs_load(struct vcpu_vmx *vmx, u64 gpa, struct vmcs12 *v);
void vmx_evmcs_store(struct vcpu_vmx *vmx);
bool vmx_evmcs_msr_bitmap(struct vcpu_vmx *vmx, unsigned int offset, u8 *bits);
bool vmx_evmcs_hypercall(struct vcpu_vmx *vmx, u32 *reason);
void vmx_evmcs_free(struct vcpu_vmx *vmx);

bool __vmx_vcpu_run(unsigned long *regs, bool launched);
void vmx_vmexit(void);
void vmx_do_nmi_irqoff(void);

#endif /* ARCH_X86_KVM_VMX_H */
