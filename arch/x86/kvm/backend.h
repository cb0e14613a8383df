/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The interface between the x86 code in kvm.ko and a hardware backend
 * (kvm-intel.ko for VMX, kvm-amd.ko for SVM).  A backend fills in one
 * struct kvm_x86_backend and registers it when its module loads; kvm.ko
 * calls the operations through static calls.
 */
#ifndef ARCH_X86_KVM_BACKEND_H
#define ARCH_X86_KVM_BACKEND_H

#include <linux/kvm.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/processor-flags.h>

/* MTRRs we give guests: all fixed ranges and eight variable ones. */
#define KVM_NR_FIXED_MTRRS	11
#define KVM_NR_VAR_MTRRS	8

/* Machine-check banks a vCPU may have, as upstream: what KVM_CAP_MCE says. */
#define KVM_MAX_MCE_BANKS	32

/* The general purpose registers, in the order of their encodings. */
enum kvm_x86_reg {
	VCPU_RAX, VCPU_RCX, VCPU_RDX, VCPU_RBX,
	VCPU_RSP, VCPU_RBP, VCPU_RSI, VCPU_RDI,
	VCPU_R8, VCPU_R9, VCPU_R10, VCPU_R11,
	VCPU_R12, VCPU_R13, VCPU_R14, VCPU_R15,
	NR_VCPU_REGS
};

/* The segment registers, in the order of their encodings. */
enum kvm_x86_seg {
	VCPU_SEG_ES, VCPU_SEG_CS, VCPU_SEG_SS, VCPU_SEG_DS,
	VCPU_SEG_FS, VCPU_SEG_GS, VCPU_SEG_LDTR, VCPU_SEG_TR,
	NR_VCPU_SEGS
};

/*
 * Where struct kvm_sregs keeps segment register @seg; the getters fill
 * it in, the setters only read it.
 */
static inline struct kvm_segment *
kvm_sregs_seg(const struct kvm_sregs *sregs, enum kvm_x86_seg seg)
{
	static const size_t offset[NR_VCPU_SEGS] = {
		[VCPU_SEG_ES]	= offsetof(struct kvm_sregs, es),
		[VCPU_SEG_CS]	= offsetof(struct kvm_sregs, cs),
		[VCPU_SEG_SS]	= offsetof(struct kvm_sregs, ss),
		[VCPU_SEG_DS]	= offsetof(struct kvm_sregs, ds),
		[VCPU_SEG_FS]	= offsetof(struct kvm_sregs, fs),
		[VCPU_SEG_GS]	= offsetof(struct kvm_sregs, gs),
		[VCPU_SEG_LDTR]	= offsetof(struct kvm_sregs, ldt),
		[VCPU_SEG_TR]	= offsetof(struct kvm_sregs, tr),
	};

	return (struct kvm_segment *)((unsigned long)sregs + offset[seg]);
}

/* Kinds of events delivered through the IDT, as VMX and SVM number them. */
enum kvm_x86_event_type {
	KVM_X86_EVENT_NONE,		/* (an external interrupt is 0) */
	KVM_X86_EVENT_INTR,
	KVM_X86_EVENT_NMI,
	KVM_X86_EVENT_EXCEPTION,
	KVM_X86_EVENT_SOFT_INTR,	/* INT n */
	KVM_X86_EVENT_SOFT_EXCEPTION,	/* INT3, INTO */
};

/**
 * struct kvm_x86_event - an event to deliver to the guest
 * @type:	enum kvm_x86_event_type; NONE for an empty slot
 * @vector:	the IDT vector
 * @has_error:	it pushes @error
 * @error:	the error code
 * @insn_len:	length of the instruction that raised a software event
 * @injected:	its delivery began (an exit interrupted it, or userspace
 *		says so): a guest hypervisor's intercepts no longer apply
 * @has_payload: an exception that, when delivered, first sets @payload:
 *		CR2 of a #PF, the DR6 bits of a #DB (KVM_CAP_EXCEPTION_PAYLOAD)
 * @payload:	that value
 */
struct kvm_x86_event {
	u8 type;
	u8 vector;
	bool has_error;
	u32 error;
	u8 insn_len;
	bool injected;
	bool has_payload;
	u64 payload;
};

/**
 * struct kvm_x86_hv_vcpu - a vCPU's Hyper-V state (hyperv.c)
 * @enabled:	its CPUID says Hyper-V ("Hv#1" in leaf 0x40000001)
 * @enforce_cpuid: KVM_CAP_HYPERV_ENFORCE_CPUID: only what @features
 *		offers works
 * @hcall_wide:	the hypercall that went to userspace came from 64-bit mode
 * @system_event: KVM_SYSTEM_EVENT_* the guest asked for (reset, crash)
 * @vp_index:	HV_X64_MSR_VP_INDEX
 * @vp_assist:	HV_X64_MSR_VP_ASSIST_PAGE
 * @runtime_offset: what HV_X64_MSR_VP_RUNTIME adds to the thread's run
 *		time (ns): userspace's writes set it
 * @features:	EAX, EBX and EDX of its HYPERV_CPUID_FEATURES leaf
 * @recommended: EAX of its HYPERV_CPUID_ENLIGHTMENT_INFO leaf
 * @synic:	its SynIC and timers (hyperv_synic.c), once userspace enabled
 *		them
 * @syndbg_caps: EAX of its HYPERV_CPUID_SYNDBG_PLATFORM_CAPABILITIES leaf
 * @spin_retries: EBX of its HYPERV_CPUID_ENLIGHTMENT_INFO leaf
 * @exit_type:	KVM_EXIT_HYPERV_* of the exit the last MSR write asked for
 * @exit_msr:	that MSR
 * @evmcs_version: the enlightened VMCS versions the guest hypervisor may
 *		use (KVM_CAP_HYPERV_ENLIGHTENED_VMCS), 0 until userspace
 *		enables them
 */
struct kvm_x86_hv_vcpu {
	bool enabled;
	bool enforce_cpuid;
	bool hcall_wide;
	u32 system_event;
	u32 vp_index;
	u64 vp_assist;
	u64 runtime_offset;
	u32 features[3];
	u32 recommended;
	struct kvm_hv_synic *synic;
	u32 syndbg_caps;
	u32 spin_retries;
	u32 exit_type;
	u32 exit_msr;
	u16 evmcs_version;
};

/**
 * struct kvm_x86_smm - a vCPU's system management mode (smm.c)
 * @active:	in SMM: it sees memory slot address space 1
 * @pending:	an SMI waits (set by other threads too)
 * @inside_nmi: NMIs stay blocked after RSM: an NMI handler was running
 * @smbase:	SMBASE, MSR_IA32_SMBASE for userspace
 */
struct kvm_x86_smm {
	bool active;
	bool pending;
	bool inside_nmi;
	u64 smbase;
};

/**
 * struct kvm_x86_steal - a vCPU's steal time record (steal_time.c)
 * @msr:	MSR_KVM_STEAL_TIME: the record's address and enable bit
 * @task:	the thread whose run_delay @run_delay is (compared, never
 *		dereferenced), or NULL
 * @run_delay:	its sched_info.run_delay at the last update
 */
struct kvm_x86_steal {
	u64 msr;
	const void *task;
	u64 run_delay;
};

/* DR6.BD and DR7.GD: general detect, a MOV DR with DR7.GD set. */
#define KVM_DR6_BD	BIT(13)
#define KVM_DR7_GD	BIT(13)
/* DR7 after reset: no breakpoint enabled. */
#define KVM_DR7_RESET	0x400ULL

/**
 * struct kvm_x86_debug - a debugger's hold on the vCPU (debug.c)
 * @control:	KVM_GUESTDBG_* of KVM_SET_GUEST_DEBUG, 0 if not enabled
 * @db:		the debugger's DR0-DR3 (with KVM_GUESTDBG_USE_HW_BP)
 * @dr7:	its DR7
 * @step_rip:	RIP at the last exit that ended a single step; the step
 *		was completed without a #DB when the RIP moved on
 * @tf_set:	RFLAGS.TF is set for a step, not by the guest
 */
struct kvm_x86_debug {
	u32 control;
	u64 db[4];
	u64 dr7;
	unsigned long step_rip;
	bool tf_set;
};

/**
 * struct kvm_x86_vcpu - the x86 part of a vCPU
 * @vcpu:	the core's part
 * @regs:	general purpose registers by enum kvm_x86_reg; the backend
 *		keeps them current around every guest entry
 * @rip:	instruction pointer, kept current by the backend
 * @rflags:	flags, kept current by the backend
 * @guest_fpu:	the guest's FPU/SSE/AVX registers, swapped with the
 *		thread's around the whole of KVM_RUN
 * @apic_base:	IA32_APIC_BASE
 * @tsc_offset:	the guest's TSC minus the host's, scaled by @tsc_ratio
 * @tsc_ratio:	the guest's TSC rate over the host's, in the backend's
 *		fixed-point format (tsc.c)
 * @tsc_khz:	the guest's TSC rate, as userspace gave it
 * @clock_mul:	kvmclock's scale from the guest's TSC to nanoseconds
 * @clock_shift: ... and its shift
 * @misc_enable: IA32_MISC_ENABLE
 * @ucode_rev:	IA32_BIOS_SIGN_ID, the microcode revision
 * @mtrr_def_type: IA32_MTRR_DEF_TYPE
 * @mtrr_fixed:	the fixed-range MTRRs, in the order of their MSR numbers
 * @mtrr_var:	the variable-range MTRRs, base and mask alternating
 * @tsc_adjust:	IA32_TSC_ADJUST: what guest writes added to its TSC
 * @hwcr:	MSR_K7_HWCR, the bits that stick
 * @power_ctl:	IA32_POWER_CTL, kept for the guest, not acted on
 * @platform_info: MSR_PLATFORM_INFO, as userspace set it
 * @misc_features: MSR_MISC_FEATURES_ENABLES: CPUID faulting
 * @pvclock_msr: MSR_KVM_SYSTEM_TIME(_NEW): where the guest wants its
 *		kvmclock page, and the enable bit
 * @pvclock_version: version field of the page, last written
 * @wall_clock_msr: MSR_KVM_WALL_CLOCK(_NEW), as last written
 * @mcg_cap:	IA32_MCG_CAP: the bank count and optional registers
 * @mcg_status: IA32_MCG_STATUS
 * @mcg_ctl:	IA32_MCG_CTL
 * @mce_banks:	IA32_MCi_CTL, _STATUS, _ADDR and _MISC of each bank
 * @mci_ctl2:	IA32_MCi_CTL2 of each bank (with CMCI)
 * @complete_userspace_exit: what the next KVM_RUN must finish first
 *		because the last one returned to userspace in the middle of
 *		an instruction (the data of a port read, say); NULL if
 *		nothing.  Returns 1 to go on into the guest, 0 to return to
 *		userspace again, or a negative errno
 * @emu:	what userspace answered for the instruction the emulator
 *		carries out: @emu.read holds @emu.nr_read MMIO reads in
 *		their order, @emu.pio_in says that the data of a string
 *		port read are in the run page
 * @pio:	the port access that went to userspace
 * @pio_page:	the page where port data goes (kvm_x86_pio_data())
 * @user_msr_len: length of the RDMSR or WRMSR that went to userspace
 * @xcr0:	the guest's XCR0
 * @xcr0_loaded: the processor holds @xcr0 rather than the host's
 * @xsave_offered: the guest's CPUID offers XSAVE
 * @db:		the guest's DR0-DR3, for userspace
 * @dr6:	its DR6
 * @dr7:	its DR7
 * @exception:	exception to deliver at the next entry
 * @nmi:	NMI to deliver at the next entry (one whose delivery an exit
 *		interrupted, or the next of @nmi_pending)
 * @nmi_pending: NMIs latched for the guest: at most two, one of them
 *		while another is being handled
 * @interrupt:	interrupt to deliver at the next entry
 * @event_in_flight: the slot whose event was given at the last entry
 * @cpuid:	the CPUID table userspace set (KVM_SET_CPUID2)
 * @cpuid_nent:	its number of entries
 * @has_run:	the guest was entered: the CPUID may no longer change
 * @lapic:	the local APIC, if the VM's interrupt controllers are in
 *		the kernel
 * @mp_state:	KVM_MP_STATE_*: runnable, halted in the kernel, or waiting
 *		for INIT or a start-up IPI (only with @lapic)
 * @enforce_pv_cpuid: KVM_CAP_ENFORCE_PV_FEATURE_CPUID: the guest has only
 *		the paravirtual features of @pv_features
 * @pv_features: EAX of the KVM features leaf of the vCPU's CPUID
 * @pv_unhalted: another vCPU kicked this one (KVM_HC_KICK_CPU): its next
 *		HLT, or the current one, ends
 * @disabled_exits: the VM's KVM_X86_DISABLE_EXITS_* as the backend last
 *		applied them to this vCPU (see @update_exits)
 * @extint:	with the split irqchip, the vector of the interrupt
 *		userspace's PIC gave with KVM_INTERRUPT, plus 1; 0 if none
 * @eoi_exit:	with the split irqchip, the level-triggered vector whose EOI
 *		goes to userspace's I/O APIC, plus 1; 0 if none
 * @mmu_cache:	zeroed pages for the guest page tables, allocated before a
 *		fault takes kvm->mmu_lock
 * @mmu_cache_nr: how many @mmu_cache holds
 * @hv:		Hyper-V state (hyperv.c)
 * @smm:	system management mode state (smm.c)
 * @steal:	steal time (steal_time.c)
 * @debug:	guest debugging (debug.c)
 *
 * Backends embed this at the start of their own vCPU structure.
 */
struct kvm_x86_vcpu {
	struct kvm_vcpu vcpu;
	unsigned long regs[NR_VCPU_REGS];
	unsigned long rip;
	unsigned long rflags;
	struct fpu_guest guest_fpu;
	u64 apic_base;
	u64 tsc_offset;
	u64 tsc_ratio;
	u32 tsc_khz;
	u32 clock_mul;
	s8 clock_shift;
	u64 misc_enable;
	u64 ucode_rev;
	u64 mtrr_def_type;
	u64 mtrr_fixed[KVM_NR_FIXED_MTRRS];
	u64 mtrr_var[2 * KVM_NR_VAR_MTRRS];
	u64 tsc_adjust;
	u64 hwcr;
	u64 power_ctl;
	u64 platform_info;
	u64 misc_features;
	u64 pvclock_msr;
	u32 pvclock_version;
	u64 wall_clock_msr;
	u64 mcg_cap;
	u64 mcg_status;
	u64 mcg_ctl;
	u64 mce_banks[KVM_MAX_MCE_BANKS][4];
	u64 mci_ctl2[KVM_MAX_MCE_BANKS];
	int (*complete_userspace_exit)(struct kvm_x86_vcpu *vcpu);
	struct {
		u16 port;
		u8 size;
		bool in;
	} pio;
	void *pio_page;
	struct {
		u8 nr_read;
		bool pio_in;
		u64 read[2];
	} emu;
	u8 user_msr_len;
	u64 xcr0;
	bool xcr0_loaded;
	bool xsave_offered;
	u64 db[4];
	u64 dr6, dr7;
	struct kvm_x86_event exception;
	struct kvm_x86_event nmi;
	u8 nmi_pending;
	struct kvm_x86_event interrupt;
	struct kvm_x86_event *event_in_flight;
	struct kvm_cpuid_entry2 *cpuid;
	unsigned int cpuid_nent;
	bool has_run;
	struct kvm_lapic *lapic;
	u8 mp_state;
	bool enforce_pv_cpuid;
	u32 pv_features;
	bool pv_unhalted;
	u32 disabled_exits;
	u16 extint;
	u16 eoi_exit;
	void *mmu_cache[4];
	unsigned int mmu_cache_nr;
	struct kvm_x86_hv_vcpu hv;
	struct kvm_x86_smm smm;
	struct kvm_x86_steal steal;
	struct kvm_x86_debug debug;
};

static inline struct kvm_x86_vcpu *to_x86_vcpu(struct kvm_vcpu *vcpu)
{
	return container_of(vcpu, struct kvm_x86_vcpu, vcpu);
}

/* Does the debugger take the guest's #DB (single steps, breakpoints)? */
static inline bool kvm_x86_debug_takes_db(struct kvm_x86_vcpu *vcpu)
{
	return vcpu->debug.control &
	       (KVM_GUESTDBG_SINGLESTEP | KVM_GUESTDBG_USE_HW_BP);
}

/* Does it take the guest's #BP (its INT3 breakpoints)? */
static inline bool kvm_x86_debug_takes_bp(struct kvm_x86_vcpu *vcpu)
{
	return vcpu->debug.control & KVM_GUESTDBG_USE_SW_BP;
}

/* DR7 in the processor while the guest runs: the debugger's, or none. */
static inline u64 kvm_x86_debug_dr7(struct kvm_x86_vcpu *vcpu)
{
	return vcpu->debug.control & KVM_GUESTDBG_USE_HW_BP ?
	       vcpu->debug.dr7 : KVM_DR7_RESET;
}

extern u64 kvm_x86_host_xcr0;

/*
 * The backends switch XCR0 right around the world switch: to the guest's
 * if it wants other state components than the host and the guest has
 * turned XSAVE on (CR4.OSXSAVE), or may do so without an exit because its
 * CPUID offers XSAVE; back after the exit.
 */
static __always_inline void kvm_x86_load_guest_xcr0(struct kvm_x86_vcpu *vcpu,
						    unsigned long cr4)
{
	if ((vcpu->xsave_offered || (cr4 & X86_CR4_OSXSAVE)) &&
	    vcpu->xcr0 != kvm_x86_host_xcr0) {
		xsetbv(XCR_XFEATURE_ENABLED_MASK, vcpu->xcr0);
		vcpu->xcr0_loaded = true;
	}
}

static __always_inline void kvm_x86_load_host_xcr0(struct kvm_x86_vcpu *vcpu)
{
	if (vcpu->xcr0_loaded) {
		xsetbv(XCR_XFEATURE_ENABLED_MASK, kvm_x86_host_xcr0);
		vcpu->xcr0_loaded = false;
	}
}

/**
 * struct kvm_tdp_format - entries of the backend's guest page tables
 * @levels:	4 or 5
 * @table:	bits of an entry that points to a lower table
 * @leaf:	bits of every leaf entry; includes the bit that makes it
 *		present
 * @writable:	bits of a writable leaf
 *
 * NPT entries are ordinary x86 page table entries; EPT has its own
 * format.  Bit 0 must make an entry present in both.
 */
struct kvm_tdp_format {
	int levels;
	u64 table;
	u64 leaf;
	u64 writable;
};

/**
 * struct kvm_x86_backend - one hardware virtualization backend
 * @name:	short name for messages ("vmx", "svm")
 * @owner:	the backend module
 * @vcpu_size:	size of the backend's vCPU structure, which embeds struct
 *		kvm_x86_vcpu at offset 0
 * @tdp:	format of the guest page tables
 * @ucode_rev:	the microcode revision a vCPU reports after reset (as
 *		upstream KVM on the same vendor, which VMMs may know)
 * @hypercall:	the processor's hypercall instruction (VMCALL or VMMCALL),
 *		which the other vendor's is patched to
 * @check_processor: return 0 if this processor has everything the backend
 *		needs, or a negative errno after saying what is missing
 * @cpu_enable:	turn virtualization on in the calling CPU
 * @cpu_disable: turn it off again
 * @vcpu_init:	set up the backend's part of a vCPU; x86 resets the
 *		architectural state right after
 * @vcpu_destroy: free it
 * @vcpu_load:	the vCPU is taken to host CPU @cpu (preemption off)
 * @vcpu_put:	the vCPU leaves its CPU (preemption off)
 * @get_sregs:	read the segment, control and descriptor table registers
 * @set_sregs:	write them; the values have been checked
 * @get_cr0:	read CR0 alone, as the guest sees it (cheaper than
 *		@get_sregs, for the paths that only need to know the mode)
 * @get_cr4:	the same for CR4
 * @get_pdptes: the four PDPTEs the processor uses for PAE paging
 * @set_pdptes: make it use these; absent where the processor reads them
 *		from memory
 * @get_msr:	read an MSR the backend keeps because the processor
 *		switches it or the backend must (EFER, PAT, FS and GS base,
 *		the SYSCALL and SYSENTER MSRs); return 0, or -ENOENT for an
 *		MSR it does not keep
 * @set_msr:	write one of them; the x86 code has checked the value
 * @set_tsc_offset: make the guest's TSC the host's, scaled, plus @offset
 * @tsc_scaling: optional: the fraction bits of the TSC ratio the processor
 *	scales the guest's TSC with, and in *@max_ratio the largest ratio;
 *	0 if it cannot scale
 * @set_tsc_ratio: make the guest's TSC the host's times @ratio (then plus
 *	the offset); with @tsc_scaling
 * @inject_event: deliver @event at the next entry
 * @interrupt_allowed: the guest takes an external interrupt now (IF set,
 *		no interrupt shadow)
 * @set_irq_window: exit, or not, as soon as the guest takes interrupts
 * @set_tpr_threshold: exit as soon as the guest takes interrupts and its
 *		CR8 is below @prio, for an interrupt its task priority holds
 *		off; absent where every CR8 write exits
 * @nmi_allowed: the guest takes an NMI now (none being handled, no
 *		interrupt shadow)
 * @set_nmi_window: exit, or not, as soon as the guest takes NMIs
 * @get_nmi_mask: an NMI is being handled: NMIs are blocked until the
 *		handler's IRET
 * @set_nmi_mask: block or unblock NMIs that way
 * @get_interrupt_shadow: KVM_X86_SHADOW_INT_* bits of the interrupt
 *		shadow an STI or MOV SS leaves
 * @set_interrupt_shadow: set them
 * @get_cr8:	the guest's task priority
 * @set_cr8:	change it
 * @set_tdp_root: use the guest page tables rooted at @root (a host
 *		physical address) for guest physical addresses: at creation,
 *		and when the vCPU, loaded, changes address space
 * @flush_tlb:	drop the translations the CPU caches for this vCPU, before
 *		its next entry
 * @update_exits: let the guest run, without an exit, what the vCPU's
 *		@disabled_exits names (it only grows); called before an entry
 * @set_guest_debug: intercept #DB and #BP as the debugger wants them
 *		(kvm_x86_debug_takes_db(), _takes_bp()) and give the guest
 *		kvm_x86_debug_dr7(); called when @debug changes (vCPU loaded)
 * @nested_efer: the EFER bits a guest that runs guests of its own may set
 *		(nested virtualization), 0 if it may not
 * @nested_cpuid: add to KVM_GET_SUPPORTED_CPUID's entry @e what nested
 *		virtualization offers: called for 1, 0x80000001 and 0x8000000a
 * @nested_events: before an entry, with interrupts on: turn what is
 *		pending for the guest's hypervisor while its guest runs into
 *		exits to it
 * @nested_wakes: an interrupt is pending that ends the guest's guest
 *		with an exit to the guest's hypervisor, though that guest
 *		does not take interrupts now: a halted vCPU wakes for it
 * @nested_smm: an SMI (@enter) takes the vCPU out of VMX or SVM operation,
 *		and out of its nested guest, whose state the save area has;
 *		called with the save area written, before the SMM state is
 *		loaded.  RSM (!@enter) takes it back, before the save area's
 *		state is loaded; an error there is a triple fault
 * @nested_state_size: the largest state @get_nested_state gives, header
 *		included (KVM_CAP_NESTED_STATE); 0 if there is none to save
 * @get_nested_state: fill in the header's flags, format and vendor part
 *		and the data after it, and the size they take, which it
 *		returns (or a negative errno)
 * @set_nested_state: take such a state back (KVM_SET_NESTED_STATE): its
 *		size and the GUEST_MODE/RUN_PENDING pairing are checked;
 *		-EINVAL for anything else it cannot take, with the vCPU's
 *		state unchanged
 * @nested_msr: read or write (@write) an MSR of nested virtualization
 *		(IA32_FEATURE_CONTROL, the VMX capability MSRs) for the guest
 *		or for userspace (@host); @vcpu NULL for the values
 *		KVM_GET_MSRS reads on /dev/kvm.  -ENOENT if there is no such
 *		MSR, another negative errno if the access is refused
 * @nested_tsc: the TSC the guest's own guest reads now, if it runs, for
 *		@tsc of the guest; else @tsc
 * @hv_nested_features: what the backend offers a guest hypervisor that
 *		runs on Hyper-V, in the form of HYPERV_CPUID_NESTED_FEATURES.EAX:
 *		the versions of the enlightened VMCS it takes (highest in bits
 *		15:8, lowest in 7:0; none: 0) and feature bits
 * @run:	enter the guest once, with interrupts disabled; returns on
 *		the next exit, with @regs, @rip and @rflags current
 * @handle_exit: handle that exit: return 1 to enter the guest again, 0 to
 *		return to userspace with kvm_run::exit_reason set, or a
 *		negative errno
 *
 * Only @name, @owner, @vcpu_size, @tdp, @check_processor, @get_sregs,
 * @set_sregs, @get_cr0, @get_cr4, @get_pdptes, @get_msr, @set_msr, @get_cr8 and
 * @set_cr8 are required.  A backend without @run cannot run guests: KVM_RUN
 * fails with -EOPNOTSUPP and KVM_CAP_USER_MEMORY is not offered; one with @run
 * has the event operations too.
 */
struct kvm_x86_backend {
	const char *name;
	struct module *owner;
	size_t vcpu_size;
	const struct kvm_tdp_format *tdp;
	u64 ucode_rev;
	u8 hypercall[3];
	int (*check_processor)(void);
	int (*cpu_enable)(void);
	void (*cpu_disable)(void);
	int (*vcpu_init)(struct kvm_x86_vcpu *vcpu);
	void (*vcpu_destroy)(struct kvm_x86_vcpu *vcpu);
	void (*vcpu_load)(struct kvm_x86_vcpu *vcpu, int cpu);
	void (*vcpu_put)(struct kvm_x86_vcpu *vcpu);
	void (*get_sregs)(struct kvm_x86_vcpu *vcpu, struct kvm_sregs *sregs);
	void (*set_sregs)(struct kvm_x86_vcpu *vcpu,
			  const struct kvm_sregs *sregs);
	unsigned long (*get_cr0)(struct kvm_x86_vcpu *vcpu);
	unsigned long (*get_cr4)(struct kvm_x86_vcpu *vcpu);
	void (*get_pdptes)(struct kvm_x86_vcpu *vcpu, u64 pdpte[4]);
	void (*set_pdptes)(struct kvm_x86_vcpu *vcpu, const u64 pdpte[4]);
	int (*get_msr)(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data);
	int (*set_msr)(struct kvm_x86_vcpu *vcpu, u32 index, u64 data);
	void (*set_tsc_offset)(struct kvm_x86_vcpu *vcpu, u64 offset);
	u8 (*tsc_scaling)(u64 *max_ratio);
	void (*set_tsc_ratio)(struct kvm_x86_vcpu *vcpu, u64 ratio);
	void (*inject_event)(struct kvm_x86_vcpu *vcpu,
			     const struct kvm_x86_event *event);
	bool (*interrupt_allowed)(struct kvm_x86_vcpu *vcpu);
	void (*set_irq_window)(struct kvm_x86_vcpu *vcpu, bool on);
	void (*set_tpr_threshold)(struct kvm_x86_vcpu *vcpu, u8 prio);
	bool (*nmi_allowed)(struct kvm_x86_vcpu *vcpu);
	void (*set_nmi_window)(struct kvm_x86_vcpu *vcpu, bool on);
	bool (*get_nmi_mask)(struct kvm_x86_vcpu *vcpu);
	void (*set_nmi_mask)(struct kvm_x86_vcpu *vcpu, bool masked);
	u8 (*get_interrupt_shadow)(struct kvm_x86_vcpu *vcpu);
	void (*set_interrupt_shadow)(struct kvm_x86_vcpu *vcpu, u8 shadow);
	u8 (*get_cr8)(struct kvm_x86_vcpu *vcpu);
	void (*set_cr8)(struct kvm_x86_vcpu *vcpu, u8 cr8);
	void (*set_tdp_root)(struct kvm_x86_vcpu *vcpu, phys_addr_t root);
	void (*flush_tlb)(struct kvm_x86_vcpu *vcpu);
	void (*update_exits)(struct kvm_x86_vcpu *vcpu);
	void (*set_guest_debug)(struct kvm_x86_vcpu *vcpu);
	u64 (*nested_efer)(void);
	void (*nested_cpuid)(struct kvm_cpuid_entry2 *e);
	void (*nested_events)(struct kvm_x86_vcpu *vcpu);
	bool (*nested_wakes)(struct kvm_x86_vcpu *vcpu);
	int (*nested_smm)(struct kvm_x86_vcpu *vcpu, bool enter);
	u32 (*nested_state_size)(void);
	long (*get_nested_state)(struct kvm_x86_vcpu *vcpu,
				 struct kvm_nested_state *state);
	int (*set_nested_state)(struct kvm_x86_vcpu *vcpu,
				const struct kvm_nested_state *state);
	int (*nested_msr)(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data,
			  bool write, bool host);
	u64 (*nested_tsc)(struct kvm_x86_vcpu *vcpu, u64 tsc);
	u32 (*hv_nested_features)(void);
	void (*run)(struct kvm_x86_vcpu *vcpu);
	int (*handle_exit)(struct kvm_x86_vcpu *vcpu);
};

int kvm_x86_register_backend(const struct kvm_x86_backend *backend);
void kvm_x86_unregister_backend(const struct kvm_x86_backend *backend);

/* The vCPU shuts down (KVM_EXIT_SHUTDOWN) at its next entry. */
#define KVM_REQ_TRIPLE_FAULT	(KVM_REQ_ARCH_BASE + 1)

/* Exits the backends hand to the x86 code. */
int kvm_x86_exit_pio(struct kvm_x86_vcpu *vcpu, u16 port, u8 size, bool in,
		     unsigned long next_rip);
int kvm_x86_exit_to_user(struct kvm_x86_vcpu *vcpu, u32 reason);
int kvm_x86_exit_hlt(struct kvm_x86_vcpu *vcpu);
int kvm_x86_exit_hypercall(struct kvm_x86_vcpu *vcpu, unsigned int len);
int kvm_x86_exit_ud(struct kvm_x86_vcpu *vcpu);
bool kvm_x86_interrupt_pending(struct kvm_x86_vcpu *vcpu);
int kvm_x86_ack_interrupt(struct kvm_x86_vcpu *vcpu);
struct kvm_x86_event *kvm_x86_next_event(struct kvm_x86_vcpu *vcpu);
int kvm_x86_write_guest_as(struct kvm *kvm, int as, gpa_t gpa,
			   const void *data, unsigned int len);
int kvm_x86_read_guest_as(struct kvm *kvm, int as, gpa_t gpa, void *data,
			  unsigned int len);
int kvm_x86_exit_cpuid(struct kvm_x86_vcpu *vcpu, unsigned int len);
int kvm_x86_exit_monitor_mwait(struct kvm_x86_vcpu *vcpu, unsigned int len);
int kvm_x86_exit_msr(struct kvm_x86_vcpu *vcpu, bool write, unsigned int len);
int kvm_x86_exit_xsetbv(struct kvm_x86_vcpu *vcpu, unsigned int len);
void kvm_x86_queue_exception(struct kvm_x86_vcpu *vcpu, u8 vector,
			     bool has_error, u32 error);
void kvm_x86_requeue_event(struct kvm_x86_vcpu *vcpu,
			   const struct kvm_x86_event *event);
void kvm_x86_event_delivered(struct kvm_x86_vcpu *vcpu);
void kvm_x86_skip_insn(struct kvm_x86_vcpu *vcpu, unsigned int len);
int kvm_x86_exit_internal_error(struct kvm_x86_vcpu *vcpu, u32 suberror,
				u64 data0, u64 data1);
int kvm_x86_emulate(struct kvm_x86_vcpu *vcpu);
int kvm_x86_exit_emulation_failure(struct kvm_x86_vcpu *vcpu, const u8 *insn,
				   u8 len);
int kvm_x86_read_pdptes(struct kvm_x86_vcpu *vcpu, u64 cr3, u64 pdpte[4]);
int kvm_tdp_page_fault(struct kvm_x86_vcpu *vcpu, gpa_t gpa, bool write,
		       bool exec);
int kvm_x86_access_linear(struct kvm_x86_vcpu *vcpu, u64 la, void *data,
			  unsigned int len, bool write);
int kvm_x86_debug_exit(struct kvm_x86_vcpu *vcpu, u8 vector, u64 dr6);
int kvm_x86_debug_mov_dr(struct kvm_x86_vcpu *vcpu);
const struct kvm_cpuid_entry2 *kvm_find_cpuid(struct kvm_x86_vcpu *vcpu,
					      u32 function, u32 index);
int kvm_hv_vp_assist_read(struct kvm_x86_vcpu *vcpu, unsigned int off,
			  void *data, unsigned int len);
bool kvm_hv_nested_flush(struct kvm_x86_vcpu *vcpu, u64 partition_assist,
			 bool *trap);

#endif /* ARCH_X86_KVM_BACKEND_H */
