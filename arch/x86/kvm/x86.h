/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Definitions shared by the x86 files of kvm.ko, not by the backends.
 */
#ifndef ARCH_X86_KVM_X86_H
#define ARCH_X86_KVM_X86_H

#include <linux/math64.h>
#include <linux/static_call_types.h>
#include <asm/hyperv-tlfs.h>
#include <asm/tsc.h>

#include "backend.h"
#include "irqchip.h"
#include "lapic.h"

/* Where a VM's interrupt controllers are (struct kvm_x86::irqchip). */
enum kvm_irqchip_mode {
	KVM_IRQCHIP_USER,	/* all in userspace: KVM_INTERRUPT */
	KVM_IRQCHIP_KERNEL,	/* all in the kernel: KVM_CREATE_IRQCHIP */
	KVM_IRQCHIP_SPLIT,	/* local APICs only: KVM_CAP_SPLIT_IRQCHIP */
};

/* Memory slot address spaces: normal, and system management mode's. */
#define KVM_X86_ADDRESS_SPACES	2

/**
 * struct kvm_x86_hv - a VM's Hyper-V partition state (hyperv.c)
 * @lock:	serializes the partition MSRs and the TSC page
 * @guest_os_id: HV_X64_MSR_GUEST_OS_ID
 * @hypercall:	HV_X64_MSR_HYPERCALL: the hypercall page, enable and lock
 * @tsc_ref:	HV_X64_MSR_REFERENCE_TSC: the TSC page and enable
 * @tsc_lock:	protects @tsc_page, which the reference counter reads
 * @tsc_page:	what the TSC page last got; valid if its sequence is not 0
 * @reenlightenment_control: HV_X64_MSR_REENLIGHTENMENT_CONTROL
 * @tsc_emulation_control: HV_X64_MSR_TSC_EMULATION_CONTROL
 * @tsc_emulation_status: HV_X64_MSR_TSC_EMULATION_STATUS
 * @crash_param: HV_X64_MSR_CRASH_P0 to P4, what the guest said of a crash
 * @crash_ctl:	HV_X64_MSR_CRASH_CTL as userspace set it
 * @syndbg:	the synthetic debugger MSRs: control, status, send, receive
 *		and pending buffer pages, options (userspace runs the
 *		debugger: it hears of the guest's control and pending buffer
 *		writes)
 */
struct kvm_x86_hv {
	struct mutex lock;		/* the partition's MSRs */
	u64 guest_os_id;
	u64 hypercall;
	u64 tsc_ref;
	spinlock_t tsc_lock;		/* @tsc_page */
	struct ms_hyperv_tsc_page tsc_page;
	u64 reenlightenment_control;
	u64 tsc_emulation_control;
	u64 tsc_emulation_status;
	u64 crash_param[5];
	u64 crash_ctl;
	struct {
		u64 control;
		u64 status;
		u64 send_page;
		u64 recv_page;
		u64 pending_page;
		u64 options;
	} syndbg;
};

/**
 * struct kvm_x86 - the x86 part of a VM
 * @kvm:	the core's part
 * @tdp_root:	top pages of the guest page tables (NPT or EPT format),
 *		one per memory slot address space,
 *		which map guest physical addresses to host pages
 * @tsc_offset:	the VM's TSC minus the host's, scaled by @tsc_ratio: new
 *		vCPUs start with it, and userspace's TSC writes join it or
 *		move it (msr.c); at first the VM's TSC counts from its
 *		creation
 * @tsc_ratio:	the rate of the VM's TSC, as a ratio to the host's (tsc.c)
 * @tsc_default_ratio: the rate of new vCPUs' TSCs (KVM_SET_TSC_KHZ)
 * @tsc_khz:	that rate in kHz, as userspace gave it
 * @tsc_lock:	serializes userspace's TSC writes and rate changes
 * @user_space_msr: KVM_MSR_EXIT_REASON_* for which RDMSR and WRMSR go to
 *		userspace instead of raising #GP (KVM_CAP_X86_USER_SPACE_MSR)
 * @tss_addr:	what KVM_SET_TSS_ADDR set
 * @identity_map_addr: what KVM_SET_IDENTITY_MAP_ADDR set
 * @nr_mmu_pages: what KVM_SET_NR_MMU_PAGES set
 * @bsp_vcpu_id: the vCPU whose APIC base says BSP (KVM_SET_BOOT_CPU_ID)
 * @max_vcpu_ids_set: KVM_CAP_MAX_VCPU_ID fixed kvm.max_vcpu_ids
 * @platform_info_read: the guest may read MSR_PLATFORM_INFO
 *		(KVM_CAP_MSR_PLATFORM_INFO; on by default, as upstream)
 * @triple_fault_event: KVM_CAP_X86_TRIPLE_FAULT_EVENT: KVM_GET/SET_VCPU_EVENTS
 *		carry a pending triple fault
 * @exception_payload: KVM_CAP_EXCEPTION_PAYLOAD: they tell pending from
 *		injected exceptions and carry payloads
 * @exit_on_emulation_failure: KVM_CAP_EXIT_ON_EMULATION_FAILURE: an
 *		instruction the emulator does not know goes to userspace
 *		in ring 3 too
 * @apic_bus_ns: the local APICs' bus cycle (KVM_CAP_X86_APIC_BUS_CYCLES_NS)
 * @disabled_quirks: KVM_X86_QUIRK_* userspace turned off
 *		(KVM_CAP_DISABLE_QUIRKS2)
 * @disabled_exits: KVM_X86_DISABLE_EXITS_* userspace turned off
 *		(KVM_CAP_X86_DISABLE_EXITS); vCPUs follow at their next entry
 * @irqchip:	enum kvm_irqchip_mode; set before the first vCPU (which
 *		gets a local APIC if it is not KVM_IRQCHIP_USER)
 * @chip:	the PICs and the I/O APIC (KVM_IRQCHIP_KERNEL), or NULL
 * @routes:	the GSI routing table (irq.c), or NULL
 * @routes_lock: serializes its replacements
 * @pit:	the 8254 (KVM_CREATE_PIT2), or NULL
 * @split_pins:	with the split irqchip, GSIs below this are the pins of
 *		userspace's I/O APIC
 * @x2apic_api: KVM_X2APIC_API_* flags of KVM_CAP_X2APIC_API
 * @msr_filter:	KVM_X86_SET_MSR_FILTER's filter, or NULL (msr_filter.c)
 * @clock_lock:	protects the clock's base point
 * @clock_base_tsc: host TSC at the base point of kvmclock (kvmclock.c)
 * @clock_base_ns: kvmclock nanoseconds at that point
 * @hv:		Hyper-V partition state
 *
 * Those three are kept for VMMs that set them: with unrestricted guest
 * and nested paging, no real-mode TSS, identity page table or shadow
 * page table (whose size KVM_SET_NR_MMU_PAGES limits) is needed.
 */
struct kvm_x86 {
	struct kvm kvm;
	u64 *tdp_root[KVM_X86_ADDRESS_SPACES];
	u64 tsc_offset;
	u64 tsc_ratio;
	u64 tsc_default_ratio;
	u32 tsc_khz;
	spinlock_t tsc_lock;		/* userspace's TSC writes */
	u32 user_space_msr;
	unsigned long tss_addr;
	u64 identity_map_addr;
	unsigned long nr_mmu_pages;
	unsigned long bsp_vcpu_id;
	bool max_vcpu_ids_set;
	bool platform_info_read;
	bool exit_on_emulation_failure;
	bool triple_fault_event;
	bool exception_payload;
	u32 apic_bus_ns;
	u64 disabled_quirks;
	u32 disabled_exits;
	u8 irqchip;
	struct kvm_x86_irqchip *chip;
	struct kvm_irq_routes __rcu *routes;
	struct mutex routes_lock;	/* replacing @routes */
	struct kvm_pit *pit;
	u32 split_pins;
	u64 x2apic_api;
	struct kvm_x86_msr_filter __rcu *msr_filter;
	spinlock_t clock_lock;		/* the clock's base point */
	u64 clock_base_tsc;
	u64 clock_base_ns;
	struct kvm_x86_hv hv;
};

static inline struct kvm_x86 *to_kvm_x86(struct kvm *kvm)
{
	return container_of(kvm, struct kvm_x86, kvm);
}

/* The backend's operations, called through static calls. */
#define KVM_X86_BACKEND	((struct kvm_x86_backend *)NULL)
DECLARE_STATIC_CALL(kvm_x86_vcpu_init, *KVM_X86_BACKEND->vcpu_init);
DECLARE_STATIC_CALL(kvm_x86_vcpu_destroy, *KVM_X86_BACKEND->vcpu_destroy);
DECLARE_STATIC_CALL(kvm_x86_vcpu_load, *KVM_X86_BACKEND->vcpu_load);
DECLARE_STATIC_CALL(kvm_x86_vcpu_put, *KVM_X86_BACKEND->vcpu_put);
DECLARE_STATIC_CALL(kvm_x86_get_sregs, *KVM_X86_BACKEND->get_sregs);
DECLARE_STATIC_CALL(kvm_x86_set_sregs, *KVM_X86_BACKEND->set_sregs);
DECLARE_STATIC_CALL(kvm_x86_get_cr0, *KVM_X86_BACKEND->get_cr0);
DECLARE_STATIC_CALL(kvm_x86_get_cr4, *KVM_X86_BACKEND->get_cr4);
DECLARE_STATIC_CALL(kvm_x86_get_pdptes, *KVM_X86_BACKEND->get_pdptes);
DECLARE_STATIC_CALL(kvm_x86_set_pdptes, *KVM_X86_BACKEND->set_pdptes);
DECLARE_STATIC_CALL(kvm_x86_get_msr, *KVM_X86_BACKEND->get_msr);
DECLARE_STATIC_CALL(kvm_x86_set_msr, *KVM_X86_BACKEND->set_msr);
DECLARE_STATIC_CALL(kvm_x86_set_tsc_offset, *KVM_X86_BACKEND->set_tsc_offset);
DECLARE_STATIC_CALL(kvm_x86_inject_event, *KVM_X86_BACKEND->inject_event);
DECLARE_STATIC_CALL(kvm_x86_interrupt_allowed, *KVM_X86_BACKEND->interrupt_allowed);
DECLARE_STATIC_CALL(kvm_x86_set_irq_window, *KVM_X86_BACKEND->set_irq_window);
DECLARE_STATIC_CALL(kvm_x86_set_tpr_threshold, *KVM_X86_BACKEND->set_tpr_threshold);
DECLARE_STATIC_CALL(kvm_x86_nmi_allowed, *KVM_X86_BACKEND->nmi_allowed);
DECLARE_STATIC_CALL(kvm_x86_set_nmi_window, *KVM_X86_BACKEND->set_nmi_window);
DECLARE_STATIC_CALL(kvm_x86_get_nmi_mask, *KVM_X86_BACKEND->get_nmi_mask);
DECLARE_STATIC_CALL(kvm_x86_set_nmi_mask, *KVM_X86_BACKEND->set_nmi_mask);
DECLARE_STATIC_CALL(kvm_x86_get_interrupt_shadow, *KVM_X86_BACKEND->get_interrupt_shadow);
DECLARE_STATIC_CALL(kvm_x86_set_interrupt_shadow, *KVM_X86_BACKEND->set_interrupt_shadow);
DECLARE_STATIC_CALL(kvm_x86_get_cr8, *KVM_X86_BACKEND->get_cr8);
DECLARE_STATIC_CALL(kvm_x86_set_cr8, *KVM_X86_BACKEND->set_cr8);
DECLARE_STATIC_CALL(kvm_x86_set_tdp_root, *KVM_X86_BACKEND->set_tdp_root);
DECLARE_STATIC_CALL(kvm_x86_flush_tlb, *KVM_X86_BACKEND->flush_tlb);
DECLARE_STATIC_CALL(kvm_x86_nested_events, *KVM_X86_BACKEND->nested_events);
DECLARE_STATIC_CALL(kvm_x86_run, *KVM_X86_BACKEND->run);
DECLARE_STATIC_CALL(kvm_x86_handle_exit, *KVM_X86_BACKEND->handle_exit);

/* x86.c */
u64 kvm_x86_ucode_rev_reset(void);
const u8 *kvm_x86_hypercall_insn(void);

/*
 * The upstream behaviours userspace may turn off: the patching of the
 * other vendor's hypercall instruction (see emu_exec_hypercall()), and the
 * two of MONITOR/MWAIT (see kvm_x86_exit_monitor_mwait()); the other
 * KVM_X86_QUIRK_* name behaviours that were never ours.
 */
#define KVM_X86_QUIRKS		(KVM_X86_QUIRK_FIX_HYPERCALL_INSN | \
				 KVM_X86_QUIRK_MISC_ENABLE_NO_MWAIT | \
				 KVM_X86_QUIRK_MWAIT_NEVER_UD_FAULTS)

static inline bool kvm_x86_quirk(struct kvm *kvm, u64 quirk)
{
	return !(READ_ONCE(to_kvm_x86(kvm)->disabled_quirks) & quirk);
}

/* x86.c: the data area of port exits in the run page */
#define KVM_X86_PIO_DATA_SIZE	1024
void *kvm_x86_pio_data(struct kvm_x86_vcpu *vcpu);
void kvm_x86_pio_exit(struct kvm_x86_vcpu *vcpu, u16 port, u8 size, bool in,
		      u32 count);

/* regs.c */
void kvm_x86_get_regs(struct kvm_x86_vcpu *vcpu, struct kvm_regs *regs);
void kvm_x86_set_regs(struct kvm_x86_vcpu *vcpu, const struct kvm_regs *regs);
void kvm_x86_get_sregs(struct kvm_x86_vcpu *vcpu, struct kvm_sregs *sregs);
int kvm_x86_set_sregs(struct kvm_x86_vcpu *vcpu, const struct kvm_sregs *sregs);
int kvm_x86_sync_regs_in(struct kvm_x86_vcpu *vcpu);
void kvm_x86_sync_regs_out(struct kvm_x86_vcpu *vcpu);
u8 kvm_x86_cpl(const struct kvm_sregs *sregs, unsigned long rflags);
void kvm_x86_vcpu_reset(struct kvm_x86_vcpu *vcpu, bool init);
long kvm_x86_regs_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
			void __user *argp);
u64 kvm_x86_efer_supported(void);
u64 kvm_x86_nested_efer(void);
int kvm_x86_nested_smm(struct kvm_x86_vcpu *vcpu, bool enter);
u32 kvm_x86_nested_state_size(void);
void kvm_x86_set_tsc_ratio(struct kvm_x86_vcpu *vcpu, u64 ratio);
u64 kvm_x86_nested_tsc(struct kvm_x86_vcpu *vcpu, u64 tsc);
u32 kvm_x86_hv_nested_features(void);

/* The enlightened VMCS versions the backend takes, 0 for none. */
static inline u16 kvm_x86_evmcs_version(void)
{
	return kvm_x86_hv_nested_features();
}
long kvm_x86_get_nested_state(struct kvm_x86_vcpu *vcpu,
			      struct kvm_nested_state *state);
int kvm_x86_set_nested_state(struct kvm_x86_vcpu *vcpu,
			     const struct kvm_nested_state *state);

/* nested_state.c */
long kvm_x86_nested_state_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
				void __user *argp);
void kvm_x86_nested_cpuid(struct kvm_cpuid_entry2 *e);
int kvm_x86_nested_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data,
		       bool write, bool host);

/* msr.c */
int kvm_x86_get_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data,
		    bool host);
int kvm_x86_set_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 data,
		    bool host);
void kvm_x86_set_tsc_offset(struct kvm_x86_vcpu *vcpu, u64 offset);
void kvm_x86_msr_reset(struct kvm_x86_vcpu *vcpu);
long kvm_x86_tsc_attr_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
			    void __user *argp);
long kvm_x86_msr_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
		       void __user *argp);
long kvm_x86_msr_dev_ioctl(unsigned int ioctl, void __user *argp);

/* cpuid.c */
long kvm_get_supported_cpuid(void __user *argp);
long kvm_x86_cpuid_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
			 void __user *argp);

/* fpu.c */
void kvm_x86_fpu_init(void);
void kvm_x86_fpu_reset(struct kvm_x86_vcpu *vcpu);
void kvm_x86_get_xmm(struct kvm_x86_vcpu *vcpu, u64 xmm[12]);
void kvm_x86_dr_reset(struct kvm_x86_vcpu *vcpu);
int kvm_x86_xsave_size(void);
u64 kvm_x86_xcr0_supported(void);
u32 kvm_x86_xsave_size_for(u64 xcr0);
u64 kvm_x86_get_dr(struct kvm_x86_vcpu *vcpu, unsigned int dr);
int kvm_x86_set_dr(struct kvm_x86_vcpu *vcpu, unsigned int dr, u64 val);
long kvm_x86_fpu_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
		       void __user *argp);

/* debug.c; the first two in x86.c, which knows the backend */
bool kvm_x86_guest_debug_supported(void);
void kvm_x86_set_guest_debug(struct kvm_x86_vcpu *vcpu);
u32 kvm_x86_guest_debug_caps(void);
long kvm_x86_debug_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
			 void __user *argp);
int kvm_x86_debug_step_done(struct kvm_x86_vcpu *vcpu);
void kvm_x86_debug_enter(struct kvm_x86_vcpu *vcpu);

/* Right after the exit (every exit): take back the TF of a step. */
static inline void kvm_x86_debug_leave(struct kvm_x86_vcpu *vcpu)
{
	if (unlikely(vcpu->debug.tf_set)) {
		vcpu->rflags &= ~X86_EFLAGS_TF;
		vcpu->debug.tf_set = false;
	}
}

/* events.c */
void kvm_x86_inject_events(struct kvm_x86_vcpu *vcpu);
void kvm_x86_step_trap(struct kvm_x86_vcpu *vcpu);
void kvm_x86_deliver_payload(struct kvm_x86_vcpu *vcpu);
bool kvm_x86_irq_window_open(struct kvm_x86_vcpu *vcpu);
int kvm_x86_events_enter_run(struct kvm_x86_vcpu *vcpu);
void kvm_x86_events_leave_run(struct kvm_x86_vcpu *vcpu);
void kvm_x86_queue_nmi(struct kvm_x86_vcpu *vcpu);
bool kvm_x86_can_take_interrupt(struct kvm_x86_vcpu *vcpu);
void kvm_x86_get_events(struct kvm_x86_vcpu *vcpu, struct kvm_vcpu_events *ev);
int kvm_x86_set_events(struct kvm_x86_vcpu *vcpu,
		       const struct kvm_vcpu_events *ev);
long kvm_x86_events_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
			  void __user *argp);

/* irq.c */
/* Routing entries a VM may have, and GSIs they may use, as upstream. */
#define KVM_X86_MAX_IRQ_ROUTES	4096
int kvm_irq_send(struct kvm *kvm, const struct kvm_lapic_irq *irq);
void kvm_irq_eoi(struct kvm_x86_vcpu *vcpu, u8 vector, bool level);
bool kvm_irq_extint_pending(struct kvm_x86_vcpu *vcpu);
u8 kvm_irq_extint_ack(struct kvm_x86_vcpu *vcpu);
int kvm_irq_msi(struct kvm *kvm, u64 addr, u32 data);
int kvm_irq_set(struct kvm *kvm, u32 gsi, bool level);
bool kvm_irq_gsi_masked(struct kvm *kvm, u32 gsi);
int kvm_irq_enable_split(struct kvm *kvm, u64 pins);
int kvm_irq_enable_x2apic_api(struct kvm *kvm, u64 flags);
bool kvm_irq_eoi_exit(struct kvm_x86_vcpu *vcpu);
bool kvm_irq_mmio(struct kvm_x86_vcpu *vcpu, gpa_t gpa, void *data,
		  unsigned int len, bool write);
bool kvm_irq_pio(struct kvm_x86_vcpu *vcpu, u16 port, u8 size, bool in);
long kvm_irq_vm_ioctl(struct kvm *kvm, unsigned int ioctl, void __user *argp);
void kvm_irq_init(struct kvm *kvm);
void kvm_irq_destroy(struct kvm *kvm);
long kvm_x86_apic_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
			void __user *argp);

/* pit.c */
#define KVM_PIT_GSI	0	/* counter 0's output */
bool kvm_pit_pio(struct kvm *kvm, u16 port, u8 size, bool in, u8 *val);
long kvm_pit_vm_ioctl(struct kvm *kvm, unsigned int ioctl, void __user *argp);
bool kvm_pit_awaits_ack(struct kvm *kvm);
void kvm_pit_acked(struct kvm *kvm);
void kvm_pit_stop(struct kvm *kvm);
void kvm_pit_destroy(struct kvm *kvm);

/* walk.c */
int kvm_x86_walk(struct kvm_x86_vcpu *vcpu, const struct kvm_sregs *s,
		 u64 la, u32 access, gpa_t *gpa, u32 *error);

/* msr_filter.c */
bool kvm_msr_allowed(struct kvm_x86_vcpu *vcpu, u32 index, bool write);
long kvm_msr_filter_ioctl(struct kvm_x86 *kx, void __user *argp);
void kvm_msr_filter_destroy(struct kvm_x86 *kx);

/* mce.c */
void kvm_mce_reset(struct kvm_x86_vcpu *vcpu);
int kvm_mce_get_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data,
		    bool host);
int kvm_mce_set_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 data,
		    bool host);
long kvm_mce_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
		   void __user *argp);
long kvm_mce_cap_supported(u64 __user *argp);

/* kvmclock.c */
#define KVM_REQ_CLOCK_UPDATE	KVM_REQ_ARCH_BASE	/* rewrite the kvmclock page */
void kvm_clock_setup(void);
void kvm_clock_set_rate(struct kvm_x86_vcpu *vcpu);
void kvm_clock_init(struct kvm_x86 *kx);
u64 kvm_clock_ns(struct kvm_x86 *kx);
void kvm_clock_update(struct kvm_x86_vcpu *vcpu);
int kvm_clock_set_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 data,
		      bool host);
u64 kvm_clock_get_msr(struct kvm_x86_vcpu *vcpu, u32 index);
long kvm_clock_check_extension(void);
long kvm_clock_ioctl(struct kvm_x86 *kx, unsigned int ioctl,
		     void __user *argp);

/* mmu.c */
int kvm_mmu_init(struct kvm_x86 *kx);
void kvm_mmu_destroy(struct kvm_x86 *kx);
void kvm_mmu_unmap_gfn_range(struct kvm *kvm,
			     const struct kvm_memory_slot *slot,
			     gfn_t start, gfn_t end);
bool kvm_mmu_write_protect_gfn_range(struct kvm *kvm,
				     const struct kvm_memory_slot *slot,
				     gfn_t start, gfn_t end);
void kvm_mmu_set_format(const struct kvm_tdp_format *format);
void kvm_mmu_vcpu_destroy(struct kvm_x86_vcpu *vcpu);
void kvm_mmu_load(struct kvm_x86_vcpu *vcpu);
int kvm_mmu_pre_fault(struct kvm_vcpu *v, gpa_t gpa);

static inline int kvm_x86_write_guest(struct kvm *kvm, gpa_t gpa,
				      const void *data, unsigned int len)
{
	return kvm_x86_write_guest_as(kvm, 0, gpa, data, len);
}

/* tsc.c */
extern u8 kvm_x86_tsc_frac_bits;

/* A TSC ratio of 1.0: the host's rate. */
static inline u64 kvm_x86_tsc_one(void)
{
	return 1ULL << kvm_x86_tsc_frac_bits;
}

/* @tsc ticks of the host are this many at a rate of @ratio. */
static inline u64 kvm_x86_tsc_scale(u64 tsc, u64 ratio)
{
	if (ratio == kvm_x86_tsc_one())
		return tsc;
	return mul_u64_u64_shr(tsc, ratio, kvm_x86_tsc_frac_bits);
}

/* The vCPU's TSC now: the host's, scaled, plus its offset. */
static inline u64 kvm_x86_guest_tsc(struct kvm_x86_vcpu *vcpu)
{
	return kvm_x86_tsc_scale(rdtsc(), vcpu->tsc_ratio) + vcpu->tsc_offset;
}

void kvm_x86_tsc_setup(u8 frac_bits, u64 max_ratio);
u32 kvm_x86_tsc_khz(const struct kvm_x86_vcpu *vcpu);
u64 kvm_x86_tsc_vm_offset(struct kvm_x86_vcpu *vcpu);
void kvm_x86_tsc_vcpu_init(struct kvm_x86_vcpu *vcpu);
long kvm_x86_tsc_vcpu_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
			    unsigned long arg);
long kvm_x86_tsc_vm_ioctl(struct kvm_x86 *kx, unsigned int ioctl,
			  unsigned long arg);

/* The memory slot address space the vCPU sees: SMRAM's in SMM. */
static inline int kvm_x86_vcpu_as(struct kvm_x86_vcpu *vcpu)
{
	return vcpu->smm.active;
}

/* kvm_as_gpa_to_hva() in the address space the vCPU sees. */
static inline unsigned long kvm_x86_gpa_to_hva(struct kvm_x86_vcpu *vcpu,
					       gpa_t gpa, bool write)
{
	return kvm_as_gpa_to_hva(vcpu->vcpu.kvm, kvm_x86_vcpu_as(vcpu), gpa,
				 write);
}

/* kvm_as_mark_page_dirty() in the address space the vCPU sees. */
static inline void kvm_x86_mark_page_dirty(struct kvm_x86_vcpu *vcpu,
					   gfn_t gfn)
{
	kvm_as_mark_page_dirty(vcpu->vcpu.kvm, kvm_x86_vcpu_as(vcpu), gfn);
}

/* cpuid.c: a paravirtual feature the guest may use */
static inline bool kvm_pv_allowed(struct kvm_x86_vcpu *vcpu, int feature)
{
	return !vcpu->enforce_pv_cpuid || (vcpu->pv_features & BIT(feature));
}

/* smm.c */
int kvm_smm_enter(struct kvm_x86_vcpu *vcpu);
int kvm_smm_leave(struct kvm_x86_vcpu *vcpu);
void kvm_smm_reset(struct kvm_x86_vcpu *vcpu);
void kvm_smm_get_events(struct kvm_x86_vcpu *vcpu, struct kvm_vcpu_events *ev);
int kvm_smm_set_events(struct kvm_x86_vcpu *vcpu,
		       const struct kvm_vcpu_events *ev);
void kvm_smm_raise(struct kvm_x86_vcpu *vcpu);

/* An SMI is waiting, and nothing that must be delivered before it. */
static inline bool kvm_smm_due(struct kvm_x86_vcpu *vcpu)
{
	return READ_ONCE(vcpu->smm.pending) && !vcpu->smm.active &&
	       !vcpu->exception.type && !vcpu->nmi.type &&
	       !vcpu->interrupt.type;
}

/*
 * vCPU ids are APIC ids, which need not be dense (a topology may leave
 * holes), so allow four times as many ids as vCPUs.
 */
#define KVM_X86_MAX_VCPUS	1024
#define KVM_X86_MAX_VCPU_IDS	(4 * KVM_X86_MAX_VCPUS)

/* hyperv.c */
#define KVM_REQ_HV_SYSTEM_EVENT	(KVM_REQ_ARCH_BASE + 2)	/* reset or crash */

/* The synthetic debugger's MSRs (TLFS, "Synthetic Debugging"). */
#define HV_X64_MSR_SYNDBG_CONTROL	0x400000f1
#define HV_X64_MSR_SYNDBG_STATUS	0x400000f2
#define HV_X64_MSR_SYNDBG_SEND_BUFFER	0x400000f3
#define HV_X64_MSR_SYNDBG_RECV_BUFFER	0x400000f4
#define HV_X64_MSR_SYNDBG_PENDING_BUFFER 0x400000f5
#define HV_X64_MSR_SYNDBG_OPTIONS	0x400000ff

/* A fast hypercall's input: RDX, R8, then XMM0 to XMM5 (TLFS). */
#define KVM_HV_FAST_INPUT_WORDS	14

/**
 * struct kvm_hv_hcall - a Hyper-V hypercall being handled
 * @code:	the call code
 * @fast:	the input is in registers, @fast_in
 * @var_cnt:	the variable header's size, in 8-byte words
 * @rep_cnt:	the rep count
 * @in_gpa:	where the input is, for a call that is not fast
 * @fast_in:	RDX and R8 (from either mode's registers), and XMM0-5 once
 *		kvm_hv_vpset_hypercall() needs them
 */
struct kvm_hv_hcall {
	u16 code;
	bool fast;
	u16 var_cnt;
	u16 rep_cnt;
	u64 in_gpa;
	u64 fast_in[KVM_HV_FAST_INPUT_WORDS];
};
void kvm_hv_init(struct kvm_x86 *kx);
void kvm_hv_vcpu_reset(struct kvm_x86_vcpu *vcpu);
void kvm_hv_cpuid_changed(struct kvm_x86_vcpu *vcpu);
void kvm_hv_clock_update(struct kvm_x86_vcpu *vcpu);
int kvm_hv_get_msr(struct kvm_x86_vcpu *vcpu, u32 msr, u64 *data, bool host);
int kvm_hv_set_msr(struct kvm_x86_vcpu *vcpu, u32 msr, u64 data, bool host);
int kvm_hv_exit_system_event(struct kvm_x86_vcpu *vcpu);
bool kvm_hv_hypercall_enabled(struct kvm_x86_vcpu *vcpu);
int kvm_hv_hypercall(struct kvm_x86_vcpu *vcpu, const struct kvm_sregs *sregs,
		     unsigned int len);
long kvm_hv_get_supported_cpuid(struct kvm_x86_vcpu *vcpu, void __user *argp);
int kvm_hv_enable_evmcs(struct kvm_x86_vcpu *vcpu, u16 __user *version);
long kvm_hv_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
		  void __user *argp);
void kvm_hv_enforce_cpuid(struct kvm_x86_vcpu *vcpu, bool on);

u64 kvm_hv_ref_time(struct kvm_x86_vcpu *vcpu);
#define KVM_REQ_HV_EXIT		(KVM_REQ_ARCH_BASE + 4)	/* SynIC, debugger */
void kvm_hv_exit_later(struct kvm_x86_vcpu *vcpu, u32 type, u32 msr);
int kvm_hv_exit(struct kvm_x86_vcpu *vcpu);

/* hyperv_synic.c */
#define KVM_REQ_HV_STIMER	(KVM_REQ_ARCH_BASE + 5)	/* timers expired */
int kvm_hv_synic_enable(struct kvm_x86_vcpu *vcpu, bool v2);
void kvm_hv_synic_destroy(struct kvm_x86_vcpu *vcpu);
int kvm_hv_synic_set_irq(struct kvm *kvm, u32 vp, u32 sint);
bool kvm_hv_synic_auto_eoi(struct kvm_x86_vcpu *vcpu, int vector);
void kvm_hv_stimer_expire(struct kvm_x86_vcpu *vcpu);
bool kvm_hv_synic_pending(struct kvm_x86_vcpu *vcpu);
void kvm_hv_synic_fill_exit(struct kvm_x86_vcpu *vcpu,
			    struct kvm_hyperv_exit *exit);
int kvm_hv_synic_get_msr(struct kvm_x86_vcpu *vcpu, u32 msr, u64 *data,
			 bool host);
int kvm_hv_synic_set_msr(struct kvm_x86_vcpu *vcpu, u32 msr, u64 data,
			 bool host);

/* hyperv_vpset.c */
bool kvm_hv_is_vpset_call(u16 code);
bool kvm_hv_xmm_input_denied(struct kvm_x86_vcpu *vcpu,
			     const struct kvm_hv_hcall *hc);
u64 kvm_hv_vpset_hypercall(struct kvm_x86_vcpu *vcpu,
			   struct kvm_hv_hcall *hc);

/* steal_time.c */
#define KVM_REQ_STEAL_UPDATE	(KVM_REQ_ARCH_BASE + 3)	/* add stolen time */
int kvm_steal_set_msr(struct kvm_x86_vcpu *vcpu, u64 data);
void kvm_steal_load(struct kvm_x86_vcpu *vcpu);
void kvm_steal_update(struct kvm_x86_vcpu *vcpu);

#endif /* ARCH_X86_KVM_X86_H */
