// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86 architecture layer of the hypervisor: connects the generic core with
 * the hardware backend that is loaded (VMX or SVM), and runs vCPUs.
 */
#define pr_fmt(fmt) "kvm: " fmt

#include <linux/context_tracking.h>
#include <linux/cpuhotplug.h>
#include <linux/entry-kvm.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/static_call.h>
#include <linux/syscore_ops.h>
#include <asm/nospec-branch.h>
#include <asm/tsc.h>

#include "x86.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

EXPORT_TRACEPOINT_SYMBOL_GPL(kvm_exit);

/*
 * What VMMs and the kernel's KVM selftests read from /sys/module/kvm to
 * learn how the hypervisor runs.  They describe this implementation and
 * cannot be changed: there is one (two-dimensional paging) MMU, no
 * virtual PMU, no eager huge page splitting and no forced emulation.
 */
static bool tdp_mmu = true;
module_param(tdp_mmu, bool, 0444);
MODULE_PARM_DESC(tdp_mmu, "guest memory is mapped with NPT/EPT (always Y)");
static bool enable_pmu;
module_param(enable_pmu, bool, 0444);
MODULE_PARM_DESC(enable_pmu, "virtual PMU (not implemented: N)");
static bool eager_page_split;
module_param(eager_page_split, bool, 0444);
MODULE_PARM_DESC(eager_page_split, "split huge pages eagerly (no huge pages yet: N)");
static int force_emulation_prefix;
module_param(force_emulation_prefix, int, 0444);
MODULE_PARM_DESC(force_emulation_prefix, "guest prefix that forces emulation (not supported: 0)");

static DEFINE_MUTEX(kvm_x86_backend_lock);
static const struct kvm_x86_backend *kvm_x86_backend;
static enum cpuhp_state kvm_x86_cpuhp_state;

DEFINE_STATIC_CALL_NULL(kvm_x86_vcpu_init, *KVM_X86_BACKEND->vcpu_init);
DEFINE_STATIC_CALL_NULL(kvm_x86_vcpu_destroy, *KVM_X86_BACKEND->vcpu_destroy);
DEFINE_STATIC_CALL_NULL(kvm_x86_vcpu_load, *KVM_X86_BACKEND->vcpu_load);
DEFINE_STATIC_CALL_NULL(kvm_x86_vcpu_put, *KVM_X86_BACKEND->vcpu_put);
DEFINE_STATIC_CALL_NULL(kvm_x86_get_sregs, *KVM_X86_BACKEND->get_sregs);
DEFINE_STATIC_CALL_NULL(kvm_x86_set_sregs, *KVM_X86_BACKEND->set_sregs);
DEFINE_STATIC_CALL_NULL(kvm_x86_get_cr0, *KVM_X86_BACKEND->get_cr0);
DEFINE_STATIC_CALL_NULL(kvm_x86_get_cr4, *KVM_X86_BACKEND->get_cr4);
DEFINE_STATIC_CALL_NULL(kvm_x86_get_pdptes, *KVM_X86_BACKEND->get_pdptes);
DEFINE_STATIC_CALL_NULL(kvm_x86_set_pdptes, *KVM_X86_BACKEND->set_pdptes);
DEFINE_STATIC_CALL_NULL(kvm_x86_get_msr, *KVM_X86_BACKEND->get_msr);
DEFINE_STATIC_CALL_NULL(kvm_x86_set_msr, *KVM_X86_BACKEND->set_msr);
DEFINE_STATIC_CALL_NULL(kvm_x86_set_tsc_offset, *KVM_X86_BACKEND->set_tsc_offset);
DEFINE_STATIC_CALL_NULL(kvm_x86_inject_event, *KVM_X86_BACKEND->inject_event);
DEFINE_STATIC_CALL_NULL(kvm_x86_interrupt_allowed, *KVM_X86_BACKEND->interrupt_allowed);
DEFINE_STATIC_CALL_NULL(kvm_x86_set_irq_window, *KVM_X86_BACKEND->set_irq_window);
DEFINE_STATIC_CALL_NULL(kvm_x86_set_tpr_threshold, *KVM_X86_BACKEND->set_tpr_threshold);
DEFINE_STATIC_CALL_NULL(kvm_x86_nmi_allowed, *KVM_X86_BACKEND->nmi_allowed);
DEFINE_STATIC_CALL_NULL(kvm_x86_set_nmi_window, *KVM_X86_BACKEND->set_nmi_window);
DEFINE_STATIC_CALL_NULL(kvm_x86_get_nmi_mask, *KVM_X86_BACKEND->get_nmi_mask);
DEFINE_STATIC_CALL_NULL(kvm_x86_set_nmi_mask, *KVM_X86_BACKEND->set_nmi_mask);
DEFINE_STATIC_CALL_NULL(kvm_x86_get_interrupt_shadow, *KVM_X86_BACKEND->get_interrupt_shadow);
DEFINE_STATIC_CALL_NULL(kvm_x86_set_interrupt_shadow, *KVM_X86_BACKEND->set_interrupt_shadow);
DEFINE_STATIC_CALL_NULL(kvm_x86_get_cr8, *KVM_X86_BACKEND->get_cr8);
DEFINE_STATIC_CALL_NULL(kvm_x86_set_cr8, *KVM_X86_BACKEND->set_cr8);
DEFINE_STATIC_CALL_NULL(kvm_x86_set_tdp_root, *KVM_X86_BACKEND->set_tdp_root);
DEFINE_STATIC_CALL_NULL(kvm_x86_flush_tlb, *KVM_X86_BACKEND->flush_tlb);
DEFINE_STATIC_CALL_NULL(kvm_x86_nested_events, *KVM_X86_BACKEND->nested_events);
DEFINE_STATIC_CALL_NULL(kvm_x86_run, *KVM_X86_BACKEND->run);
DEFINE_STATIC_CALL_NULL(kvm_x86_handle_exit, *KVM_X86_BACKEND->handle_exit);

static void kvm_x86_update_static_calls(const struct kvm_x86_backend *b)
{
	static_call_update(kvm_x86_vcpu_init,
			   b->vcpu_init ?: (void *)__static_call_return0);
	static_call_update(kvm_x86_vcpu_destroy, b->vcpu_destroy);
	static_call_update(kvm_x86_vcpu_load, b->vcpu_load);
	static_call_update(kvm_x86_vcpu_put, b->vcpu_put);
	static_call_update(kvm_x86_get_sregs, b->get_sregs);
	static_call_update(kvm_x86_set_sregs, b->set_sregs);
	static_call_update(kvm_x86_get_cr0, b->get_cr0);
	static_call_update(kvm_x86_get_cr4, b->get_cr4);
	static_call_update(kvm_x86_get_pdptes, b->get_pdptes);
	static_call_update(kvm_x86_set_pdptes, b->set_pdptes);
	static_call_update(kvm_x86_get_msr, b->get_msr);
	static_call_update(kvm_x86_set_msr, b->set_msr);
	static_call_update(kvm_x86_set_tsc_offset, b->set_tsc_offset);
	static_call_update(kvm_x86_inject_event, b->inject_event);
	static_call_update(kvm_x86_interrupt_allowed, b->interrupt_allowed);
	static_call_update(kvm_x86_set_irq_window, b->set_irq_window);
	static_call_update(kvm_x86_set_tpr_threshold, b->set_tpr_threshold);
	static_call_update(kvm_x86_nmi_allowed, b->nmi_allowed);
	static_call_update(kvm_x86_set_nmi_window, b->set_nmi_window);
	static_call_update(kvm_x86_get_nmi_mask, b->get_nmi_mask);
	static_call_update(kvm_x86_set_nmi_mask, b->set_nmi_mask);
	static_call_update(kvm_x86_get_interrupt_shadow, b->get_interrupt_shadow);
	static_call_update(kvm_x86_set_interrupt_shadow, b->set_interrupt_shadow);
	static_call_update(kvm_x86_get_cr8, b->get_cr8);
	static_call_update(kvm_x86_set_cr8, b->set_cr8);
	static_call_update(kvm_x86_set_tdp_root, b->set_tdp_root);
	static_call_update(kvm_x86_flush_tlb, b->flush_tlb);
	static_call_update(kvm_x86_nested_events, b->nested_events);
	static_call_update(kvm_x86_run, b->run);
	static_call_update(kvm_x86_handle_exit, b->handle_exit);
}

/**
 * kvm_x86_ucode_rev_reset() - the microcode revision of a vCPU after reset
 *
 * Return: what the backend says.
 */
u64 kvm_x86_ucode_rev_reset(void)
{
	return kvm_x86_backend->ucode_rev;
}

/**
 * kvm_x86_nested_efer() - EFER bits of nested virtualization
 *
 * Return: what the backend lets guests set to run guests, or 0.
 */
u64 kvm_x86_nested_efer(void)
{
	return kvm_x86_backend->nested_efer ? kvm_x86_backend->nested_efer() : 0;
}

/**
 * kvm_x86_nested_smm() - SMM entry or RSM for nested virtualization
 * @vcpu: the vCPU, loaded, in the VM's SRCU read side
 * @enter: an SMI, or RSM
 *
 * Return: 0, or a negative errno if RSM cannot go back to the nested
 * guest.
 */
int kvm_x86_nested_smm(struct kvm_x86_vcpu *vcpu, bool enter)
{
	return kvm_x86_backend->nested_smm ?
	       kvm_x86_backend->nested_smm(vcpu, enter) : 0;
}

/**
 * kvm_x86_nested_state_size() - the largest nested state of a vCPU
 *
 * Return: its size in bytes, header included (KVM_CAP_NESTED_STATE), or 0
 * if the backend keeps none.
 */
u32 kvm_x86_nested_state_size(void)
{
	return kvm_x86_backend->nested_state_size ?
	       kvm_x86_backend->nested_state_size() : 0;
}

/**
 * kvm_x86_set_tsc_ratio() - scale the guest's TSC
 * @vcpu: the vCPU, loaded
 * @ratio: the ratio, in the format of the backend's tsc_scaling()
 */
void kvm_x86_set_tsc_ratio(struct kvm_x86_vcpu *vcpu, u64 ratio)
{
	if (kvm_x86_backend->set_tsc_ratio)
		kvm_x86_backend->set_tsc_ratio(vcpu, ratio);
}

/**
 * kvm_x86_get_nested_state() - the backend's KVM_GET_NESTED_STATE
 * @vcpu: the vCPU, loaded
 * @state: filled in, kvm_x86_nested_state_size() bytes of room
 *
 * Return: the size the state takes, or a negative errno.
 */
long kvm_x86_get_nested_state(struct kvm_x86_vcpu *vcpu,
			      struct kvm_nested_state *state)
{
	return kvm_x86_backend->get_nested_state(vcpu, state);
}

/**
 * kvm_x86_set_nested_state() - the backend's KVM_SET_NESTED_STATE
 * @vcpu: the vCPU, loaded, in the VM's SRCU read side
 * @state: the state, state->size bytes of it (no more than
 *	kvm_x86_nested_state_size())
 *
 * Return: 0, or -EINVAL for a state the backend refuses.
 */
int kvm_x86_set_nested_state(struct kvm_x86_vcpu *vcpu,
			     const struct kvm_nested_state *state)
{
	return kvm_x86_backend->set_nested_state(vcpu, state);
}

/**
 * kvm_x86_guest_debug_supported() - can the backend stop for a debugger?
 *
 * Return: true if it intercepts #DB and #BP for KVM_SET_GUEST_DEBUG.
 */
bool kvm_x86_guest_debug_supported(void)
{
	return kvm_x86_backend->set_guest_debug;
}

/**
 * kvm_x86_set_guest_debug() - make the backend follow vcpu->debug
 * @vcpu: the vCPU, loaded, with kvm_x86_guest_debug_supported()
 */
void kvm_x86_set_guest_debug(struct kvm_x86_vcpu *vcpu)
{
	kvm_x86_backend->set_guest_debug(vcpu);
}

/**
 * kvm_x86_nested_cpuid() - add nested virtualization to a supported leaf
 * @e: the entry, for 1, 0x80000001 or 0x8000000a
 */
void kvm_x86_nested_cpuid(struct kvm_cpuid_entry2 *e)
{
	if (kvm_x86_backend->nested_cpuid)
		kvm_x86_backend->nested_cpuid(e);
}

/**
 * kvm_x86_nested_msr() - an MSR of nested virtualization
 * @vcpu: the vCPU, or NULL for the /dev/kvm value
 * @index: the MSR
 * @data: the value read, or to write
 * @write: write rather than read
 * @host: for userspace rather than the guest
 *
 * Return: see kvm_x86_backend::nested_msr; -ENOENT without one.
 */
int kvm_x86_nested_msr(struct kvm_x86_vcpu *vcpu, u32 index, u64 *data,
		       bool write, bool host)
{
	if (!kvm_x86_backend->nested_msr)
		return -ENOENT;
	return kvm_x86_backend->nested_msr(vcpu, index, data, write, host);
}

/**
 * kvm_x86_nested_tsc() - the TSC of the guest that runs now
 * @vcpu: the vCPU, loaded
 * @tsc: its TSC (L1's)
 *
 * Return: @tsc, or what the guest's own guest reads while it runs.
 */
u64 kvm_x86_nested_tsc(struct kvm_x86_vcpu *vcpu, u64 tsc)
{
	if (!kvm_x86_backend->nested_tsc)
		return tsc;
	return kvm_x86_backend->nested_tsc(vcpu, tsc);
}

/**
 * kvm_x86_hv_nested_features() - what the backend offers a guest
 *	hypervisor that runs on Hyper-V
 *
 * Return: HYPERV_CPUID_NESTED_FEATURES.EAX bits: the enlightened VMCS
 * versions in bits 15:0 (see kvm_x86_evmcs_version()), feature bits above.
 */
u32 kvm_x86_hv_nested_features(void)
{
	if (!kvm_x86_backend->hv_nested_features)
		return 0;
	return kvm_x86_backend->hv_nested_features();
}

/**
 * kvm_x86_hypercall_insn() - the backend's hypercall instruction
 *
 * Return: its three bytes.
 */
const u8 *kvm_x86_hypercall_insn(void)
{
	return kvm_x86_backend->hypercall;
}

/*
 * KVM_CAP_X86_DISABLE_EXITS: HLT and PAUSE may run in any guest.  MWAIT
 * only where the host's is fit for it: present, without the erratum that
 * needs a store to wake it, and with an APIC timer that keeps counting in
 * the deep C-states a guest may now enter.  Not CSTATE: reading the
 * C-state residency MSRs without an exit would need MSR permission maps
 * of each VM's own, and ours are shared.
 */
static u32 kvm_x86_exits_disableable(void)
{
	u32 exits = KVM_X86_DISABLE_EXITS_HLT | KVM_X86_DISABLE_EXITS_PAUSE;

	if (!kvm_x86_backend->update_exits)
		return 0;
	if (boot_cpu_has(X86_FEATURE_MWAIT) &&
	    !boot_cpu_has_bug(X86_BUG_MONITOR) &&
	    boot_cpu_has(X86_FEATURE_ARAT))
		exits |= KVM_X86_DISABLE_EXITS_MWAIT;
	return exits;
}

static long kvm_x86_check_extension(long cap)
{
	switch (cap) {
	case KVM_CAP_EXT_CPUID:
	case KVM_CAP_GET_MSR_FEATURES:
	case KVM_CAP_GET_TSC_KHZ:
	case KVM_CAP_VCPU_EVENTS:
	case KVM_CAP_USER_NMI:
	case KVM_CAP_SREGS2:
	case KVM_CAP_SET_BOOT_CPU_ID:
	case KVM_CAP_MMU_SHADOW_CACHE_CONTROL:
	case KVM_CAP_INTR_SHADOW:
	case KVM_CAP_SET_TSS_ADDR:
	case KVM_CAP_SET_IDENTITY_MAP_ADDR:
	case KVM_CAP_X86_USER_SPACE_MSR:
	case KVM_CAP_X86_MSR_FILTER:
	case KVM_CAP_DEBUGREGS:
	case KVM_CAP_IRQCHIP:
	case KVM_CAP_IRQ_INJECT_STATUS:
	case KVM_CAP_SIGNAL_MSI:
	case KVM_CAP_MP_STATE:
	case KVM_CAP_TSC_DEADLINE_TIMER:
	case KVM_CAP_SPLIT_IRQCHIP:
	case KVM_CAP_PIT:
	case KVM_CAP_PIT2:
	case KVM_CAP_PIT_STATE2:
	case KVM_CAP_REINJECT_CONTROL:
	case KVM_CAP_MSR_PLATFORM_INFO:
	case KVM_CAP_EXIT_ON_EMULATION_FAILURE:
	case KVM_CAP_X86_TRIPLE_FAULT_EVENT:
	case KVM_CAP_EXCEPTION_PAYLOAD:
	case KVM_CAP_VCPU_ATTRIBUTES:
		return 1;
	case KVM_CAP_ADJUST_CLOCK:
		return kvm_clock_check_extension();
	case KVM_CAP_MCE:
		return KVM_MAX_MCE_BANKS;
	case KVM_CAP_X2APIC_API:
		return KVM_X2APIC_API_USE_32BIT_IDS |
		       KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK;
	case KVM_CAP_IRQ_ROUTING:
		return KVM_X86_MAX_IRQ_ROUTES;
	case KVM_CAP_X86_APIC_BUS_CYCLES_NS:
		return KVM_LAPIC_BUS_CYCLE_NS;
	case KVM_CAP_SYNC_REGS:
		return KVM_SYNC_X86_VALID_FIELDS;
	case KVM_CAP_DISABLE_QUIRKS2:
		return KVM_X86_QUIRKS;
	case KVM_CAP_X86_DISABLE_EXITS:
		return kvm_x86_exits_disableable();
	case KVM_CAP_HYPERV_ENLIGHTENED_VMCS:
		return !!kvm_x86_evmcs_version();
	case KVM_CAP_HYPERV:
	case KVM_CAP_HYPERV_SPIN:
	case KVM_CAP_HYPERV_TIME:
	case KVM_CAP_HYPERV_VP_INDEX:
	case KVM_CAP_HYPERV_CPUID:
	case KVM_CAP_HYPERV_ENFORCE_CPUID:
	case KVM_CAP_HYPERV_SEND_IPI:
	case KVM_CAP_HYPERV_TLBFLUSH:
	case KVM_CAP_HYPERV_SYNIC:
	case KVM_CAP_HYPERV_SYNIC2:
	case KVM_CAP_SYS_HYPERV_CPUID:
	case KVM_CAP_X86_SMM:
	case KVM_CAP_ENFORCE_PV_FEATURE_CPUID:
		return 1;
	case KVM_CAP_XSAVE:
	case KVM_CAP_XCRS:
		return boot_cpu_has(X86_FEATURE_XSAVE);
	case KVM_CAP_XSAVE2:
		return kvm_x86_xsave_size();
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_IMMEDIATE_EXIT:
		/* Memory is only useful once the backend runs guests in it. */
		return !!kvm_x86_backend->run;
	case KVM_CAP_SET_GUEST_DEBUG:
		return kvm_x86_guest_debug_supported();
	case KVM_CAP_NESTED_STATE:
		return kvm_x86_nested_state_size();
	case KVM_CAP_TSC_CONTROL:
	case KVM_CAP_VM_TSC_CONTROL:
		return kvm_x86_tsc_frac_bits != 0;
	case KVM_CAP_SET_GUEST_DEBUG2:
		return kvm_x86_guest_debug_supported() ?
		       kvm_x86_guest_debug_caps() : 0;
	default:
		return 0;
	}
}

/* The fewest shadow pages KVM_SET_NR_MMU_PAGES takes, as upstream. */
#define KVM_X86_MIN_MMU_PAGES	64

static int kvm_x86_vm_init(struct kvm *kvm)
{
	to_kvm_x86(kvm)->tsc_offset = -rdtsc();
	to_kvm_x86(kvm)->tsc_ratio = kvm_x86_tsc_one();
	to_kvm_x86(kvm)->tsc_default_ratio = kvm_x86_tsc_one();
	to_kvm_x86(kvm)->tsc_khz = tsc_khz;
	spin_lock_init(&to_kvm_x86(kvm)->tsc_lock);
	to_kvm_x86(kvm)->nr_mmu_pages = KVM_X86_MIN_MMU_PAGES;
	to_kvm_x86(kvm)->platform_info_read = true;
	to_kvm_x86(kvm)->apic_bus_ns = KVM_LAPIC_BUS_CYCLE_NS;
	kvm_clock_init(to_kvm_x86(kvm));
	kvm_hv_init(to_kvm_x86(kvm));
	kvm_irq_init(kvm);
	return kvm_mmu_init(to_kvm_x86(kvm));
}

/* Timers that send interrupts to the vCPUs stop before the vCPUs go. */
static void kvm_x86_vm_release(struct kvm *kvm)
{
	kvm_pit_stop(kvm);
}

static void kvm_x86_vm_destroy(struct kvm *kvm)
{
	kvm_irq_destroy(kvm);
	kvm_msr_filter_destroy(to_kvm_x86(kvm));
	kvm_mmu_destroy(to_kvm_x86(kvm));
}

/*
 * Neither address is used, nor the shadow page limit (see struct
 * kvm_x86); as upstream, the identity map page can only be set before
 * the first vCPU exists.
 */
static long kvm_x86_vm_ioctl(struct kvm *kvm, unsigned int ioctl,
			     unsigned long arg)
{
	struct kvm_x86 *kx = to_kvm_x86(kvm);
	long ret = 0;
	u64 addr;

	switch (ioctl) {
	case KVM_SET_TSS_ADDR:
		kx->tss_addr = arg;
		return 0;
	case KVM_SET_IDENTITY_MAP_ADDR:
		mutex_lock(&kvm->lock);
		if (kvm->created_vcpus)
			ret = -EINVAL;
		else if (copy_from_user(&addr, (void __user *)arg,
					sizeof(addr)))
			ret = -EFAULT;
		else
			kx->identity_map_addr = addr;
		mutex_unlock(&kvm->lock);
		return ret;
	case KVM_SET_NR_MMU_PAGES:
		if (arg < KVM_X86_MIN_MMU_PAGES)
			return -EINVAL;
		WRITE_ONCE(kx->nr_mmu_pages, arg);
		return 0;
	case KVM_SET_BOOT_CPU_ID:
		/* Before the vCPUs, which take their APIC base from it. */
		mutex_lock(&kvm->lock);
		if (kvm->created_vcpus)
			ret = -EBUSY;
		else if (arg > kvm->max_vcpu_ids)
			ret = -EINVAL;
		else
			kx->bsp_vcpu_id = arg;
		mutex_unlock(&kvm->lock);
		return ret;
	case KVM_GET_TSC_KHZ:
	case KVM_SET_TSC_KHZ:
		return kvm_x86_tsc_vm_ioctl(kx, ioctl, arg);
	case KVM_GET_CLOCK:
	case KVM_SET_CLOCK:
		return kvm_clock_ioctl(kx, ioctl, (void __user *)arg);
	case KVM_X86_SET_MSR_FILTER:
		return kvm_msr_filter_ioctl(kx, (void __user *)arg);
	default:
		return kvm_irq_vm_ioctl(kvm, ioctl, (void __user *)arg);
	}
}

/*
 * KVM_CAP_MAX_VCPU_ID: the VM's vCPU ids stay below @max.  It can be
 * set once, to a value not below the boot vCPU's id, and not after the
 * first vCPU (which keeps the limit there is); setting the limit that
 * holds again is fine, 0 changes nothing, as upstream.
 */
static int kvm_x86_set_max_vcpu_ids(struct kvm *kvm, u64 max)
{
	struct kvm_x86 *kx = to_kvm_x86(kvm);
	int ret = 0;

	if (max > kvm->arch->max_vcpu_ids)
		return -EINVAL;
	mutex_lock(&kvm->lock);
	if (kx->bsp_vcpu_id > max)
		ret = -EINVAL;
	else if (kx->max_vcpu_ids_set || kvm->created_vcpus)
		ret = max == kvm->max_vcpu_ids ? 0 : -EINVAL;
	else if (max)
		kx->max_vcpu_ids_set = true;
	if (!ret && max)
		WRITE_ONCE(kvm->max_vcpu_ids, max);
	mutex_unlock(&kvm->lock);
	return ret;
}

static int kvm_x86_enable_cap(struct kvm *kvm,
			      const struct kvm_enable_cap *cap)
{
	switch (cap->cap) {
	case KVM_CAP_X86_USER_SPACE_MSR:
		if (cap->flags ||
		    cap->args[0] & ~KVM_MSR_EXIT_REASON_VALID_MASK)
			return -EINVAL;
		WRITE_ONCE(to_kvm_x86(kvm)->user_space_msr, cap->args[0]);
		return 0;
	case KVM_CAP_MAX_VCPU_ID:
		return cap->flags ? -EINVAL :
		       kvm_x86_set_max_vcpu_ids(kvm, cap->args[0]);
	case KVM_CAP_SPLIT_IRQCHIP:
		return cap->flags ? -EINVAL :
		       kvm_irq_enable_split(kvm, cap->args[0]);
	case KVM_CAP_X2APIC_API:
		return cap->flags ? -EINVAL :
		       kvm_irq_enable_x2apic_api(kvm, cap->args[0]);
	case KVM_CAP_MSR_PLATFORM_INFO:
		if (cap->flags)
			return -EINVAL;
		WRITE_ONCE(to_kvm_x86(kvm)->platform_info_read, !!cap->args[0]);
		return 0;
	case KVM_CAP_DISABLE_QUIRKS2:
		if (cap->flags || cap->args[0] & ~KVM_X86_QUIRKS)
			return -EINVAL;
		mutex_lock(&kvm->lock);
		to_kvm_x86(kvm)->disabled_quirks |= cap->args[0];
		mutex_unlock(&kvm->lock);
		return 0;
	case KVM_CAP_X86_APIC_BUS_CYCLES_NS:
		return cap->flags ? -EINVAL :
		       kvm_lapic_set_bus_cycle(kvm, cap->args[0]);
	case KVM_CAP_X86_DISABLE_EXITS:
		if (cap->flags || cap->args[0] & ~kvm_x86_exits_disableable())
			return -EINVAL;
		/*
		 * Exits only go away: vCPUs created already, too (KVM_SET_CPUID2
		 * then hides PV_UNHALT, as api.rst asks).
		 */
		mutex_lock(&kvm->lock);
		WRITE_ONCE(to_kvm_x86(kvm)->disabled_exits,
			   to_kvm_x86(kvm)->disabled_exits | cap->args[0]);
		mutex_unlock(&kvm->lock);
		return 0;
	case KVM_CAP_EXIT_ON_EMULATION_FAILURE:
		if (cap->flags)
			return -EINVAL;
		WRITE_ONCE(to_kvm_x86(kvm)->exit_on_emulation_failure,
			   !!cap->args[0]);
		return 0;
	case KVM_CAP_X86_TRIPLE_FAULT_EVENT:
		if (cap->flags)
			return -EINVAL;
		WRITE_ONCE(to_kvm_x86(kvm)->triple_fault_event,
			   !!cap->args[0]);
		return 0;
	case KVM_CAP_EXCEPTION_PAYLOAD:
		if (cap->flags)
			return -EINVAL;
		WRITE_ONCE(to_kvm_x86(kvm)->exception_payload, !!cap->args[0]);
		return 0;
	default:
		return -EINVAL;
	}
}

static void kvm_x86_vcpu_destroy(struct kvm_vcpu *v);

static int kvm_x86_vcpu_init(struct kvm_vcpu *v)
{
	struct kvm_x86_vcpu *vcpu = to_x86_vcpu(v);
	int cpu, ret;

	vcpu->tsc_ratio = kvm_x86_tsc_one();
	vcpu->pio_page = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->pio_page)
		return -ENOMEM;
	if (!fpu_alloc_guest_fpstate(&vcpu->guest_fpu)) {
		free_page((unsigned long)vcpu->pio_page);
		return -ENOMEM;
	}
	ret = static_call(kvm_x86_vcpu_init)(vcpu);
	if (ret) {
		fpu_free_guest_fpstate(&vcpu->guest_fpu);
		free_page((unsigned long)vcpu->pio_page);
		return ret;
	}
	kvm_mmu_load(vcpu);
	if (to_kvm_x86(v->kvm)->irqchip != KVM_IRQCHIP_USER) {
		ret = kvm_lapic_create(vcpu);
		if (ret) {
			kvm_x86_vcpu_destroy(v);
			return ret;
		}
	}

	/* The backend's state is reachable while the vCPU is loaded. */
	cpu = get_cpu();
	static_call_cond(kvm_x86_vcpu_load)(vcpu, cpu);
	kvm_x86_tsc_vcpu_init(vcpu);
	kvm_x86_vcpu_reset(vcpu, false);
	static_call_cond(kvm_x86_vcpu_put)(vcpu);
	put_cpu();
	/* Application processors wait for INIT and a start-up IPI. */
	vcpu->mp_state = vcpu->lapic &&
			 !(vcpu->apic_base & MSR_IA32_APICBASE_BSP) ?
			 KVM_MP_STATE_UNINITIALIZED : KVM_MP_STATE_RUNNABLE;
	return 0;
}

static void kvm_x86_vcpu_destroy(struct kvm_vcpu *v)
{
	struct kvm_x86_vcpu *vcpu = to_x86_vcpu(v);

	kvm_hv_synic_destroy(vcpu);
	kvm_lapic_destroy(vcpu);
	static_call_cond(kvm_x86_vcpu_destroy)(vcpu);
	kvm_mmu_vcpu_destroy(vcpu);
	kfree(vcpu->cpuid);
	fpu_free_guest_fpstate(&vcpu->guest_fpu);
	free_page((unsigned long)vcpu->pio_page);
}

static void kvm_x86_vcpu_load(struct kvm_vcpu *v, int cpu)
{
	static_call_cond(kvm_x86_vcpu_load)(to_x86_vcpu(v), cpu);
	kvm_steal_load(to_x86_vcpu(v));
}

static void kvm_x86_vcpu_put(struct kvm_vcpu *v)
{
	static_call_cond(kvm_x86_vcpu_put)(to_x86_vcpu(v));
}

/* KVM_ENABLE_CAP on a vCPU. */
static long kvm_x86_vcpu_enable_cap(struct kvm_x86_vcpu *vcpu,
				    void __user *argp)
{
	struct kvm_enable_cap cap;

	if (copy_from_user(&cap, argp, sizeof(cap)))
		return -EFAULT;
	if (cap.flags)
		return -EINVAL;
	switch (cap.cap) {
	case KVM_CAP_HYPERV_ENFORCE_CPUID:
		kvm_hv_enforce_cpuid(vcpu, cap.args[0]);
		return 0;
	case KVM_CAP_ENFORCE_PV_FEATURE_CPUID:
		vcpu->enforce_pv_cpuid = !!cap.args[0];
		return 0;
	case KVM_CAP_HYPERV_SYNIC:
	case KVM_CAP_HYPERV_SYNIC2:
		return kvm_hv_synic_enable(vcpu, cap.cap == KVM_CAP_HYPERV_SYNIC2);
	case KVM_CAP_HYPERV_ENLIGHTENED_VMCS:
		return kvm_hv_enable_evmcs(vcpu, u64_to_user_ptr(cap.args[0]));
	default:
		return -EINVAL;
	}
}

/*
 * The vCPU ioctls, by the file that handles them; each answers -ENOTTY
 * to the ioctls of the others.
 */
static long (* const kvm_x86_vcpu_ioctls[])(struct kvm_x86_vcpu *vcpu,
					     unsigned int ioctl,
					     void __user *argp) = {
	kvm_x86_regs_ioctl,
	kvm_x86_msr_ioctl,
	kvm_x86_tsc_attr_ioctl,
	kvm_x86_cpuid_ioctl,
	kvm_x86_events_ioctl,
	kvm_x86_fpu_ioctl,
	kvm_x86_apic_ioctl,
	kvm_mce_ioctl,
	kvm_hv_ioctl,
	kvm_x86_debug_ioctl,
	kvm_x86_nested_state_ioctl,
};

static long kvm_x86_vcpu_ioctl(struct kvm_vcpu *v, unsigned int ioctl,
			       unsigned long arg)
{
	long ret = -ENOTTY;
	int i;

	switch (ioctl) {
	case KVM_GET_TSC_KHZ:
	case KVM_SET_TSC_KHZ:
		return kvm_x86_tsc_vcpu_ioctl(to_x86_vcpu(v), ioctl, arg);
	case KVM_ENABLE_CAP:
		return kvm_x86_vcpu_enable_cap(to_x86_vcpu(v),
					       (void __user *)arg);
	}
	for (i = 0; i < ARRAY_SIZE(kvm_x86_vcpu_ioctls) && ret == -ENOTTY; i++)
		ret = kvm_x86_vcpu_ioctls[i](to_x86_vcpu(v), ioctl,
					     (void __user *)arg);
	return ret;
}

/* /dev/kvm ioctls the core does not know. */
static long kvm_x86_dev_ioctl(unsigned int ioctl, unsigned long arg)
{
	switch (ioctl) {
	case KVM_GET_SUPPORTED_CPUID:
		return kvm_get_supported_cpuid((void __user *)arg);
	case KVM_GET_SUPPORTED_HV_CPUID:
		return kvm_hv_get_supported_cpuid(NULL, (void __user *)arg);
	case KVM_X86_GET_MCE_CAP_SUPPORTED:
		return kvm_mce_cap_supported((u64 __user *)arg);
	case KVM_GET_MSR_INDEX_LIST:
	case KVM_GET_MSR_FEATURE_INDEX_LIST:
	case KVM_GET_MSRS:
		return kvm_x86_msr_dev_ioctl(ioctl, (void __user *)arg);
	default:
		return -EINVAL;
	}
}

/*
 * The guest runs with interrupts enabled as far as lockdep and tracing are
 * concerned, and is an extended quiescent state for RCU, like userspace.
 */
static __always_inline void kvm_guest_state_enter(void)
{
	instrumentation_begin();
	trace_hardirqs_on_prepare();
	lockdep_hardirqs_on_prepare();
	instrumentation_end();
	if (!context_tracking_guest_enter()) {
		instrumentation_begin();
		rcu_virt_note_context_switch();
		instrumentation_end();
	}
	lockdep_hardirqs_on(CALLER_ADDR0);
}

static __always_inline void kvm_guest_state_exit(void)
{
	lockdep_hardirqs_off(CALLER_ADDR0);
	context_tracking_guest_exit();
	instrumentation_begin();
	trace_hardirqs_off_finish();
	instrumentation_end();
}

/* Enter the guest once and handle the exit; see backend->handle_exit. */
static int kvm_x86_enter_guest(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_vcpu *v = &vcpu->vcpu;
	u32 exits;

	/* Most entries find no request: look at each only if there is one. */
	if (unlikely(READ_ONCE(v->requests))) {
		if (kvm_check_request(v, KVM_REQ_TLB_FLUSH)) {
			static_call_cond(kvm_x86_flush_tlb)(vcpu);
			v->stat.tlb_flush++;
		}
		if (kvm_check_request(v, KVM_REQ_CLOCK_UPDATE)) {
			kvm_clock_update(vcpu);
			kvm_hv_clock_update(vcpu);
		}
	}
	/* Before the triple fault: the guest's hypervisor may take it. */
	static_call_cond(kvm_x86_nested_events)(vcpu);
	if (unlikely(vcpu->exception.has_payload))
		kvm_x86_deliver_payload(vcpu);
	if (unlikely(READ_ONCE(v->requests))) {
		if (kvm_check_request(v, KVM_REQ_TRIPLE_FAULT))
			return kvm_x86_exit_to_user(vcpu, KVM_EXIT_SHUTDOWN);
		if (kvm_check_request(v, KVM_REQ_HV_SYSTEM_EVENT))
			return kvm_hv_exit_system_event(vcpu);
		if (kvm_check_request(v, KVM_REQ_STEAL_UPDATE))
			kvm_steal_update(vcpu);
		if (kvm_check_request(v, KVM_REQ_HV_STIMER))
			kvm_hv_stimer_expire(vcpu);
		if (kvm_check_request(v, KVM_REQ_HV_EXIT))
			return kvm_hv_exit(vcpu);
	}
	exits = READ_ONCE(to_kvm_x86(v->kvm)->disabled_exits);
	if (unlikely(exits != vcpu->disabled_exits)) {
		vcpu->disabled_exits = exits;
		kvm_x86_backend->update_exits(vcpu);
	}
	/* SMIs come before NMIs and interrupts, and not inside SMM. */
	if (kvm_smm_due(vcpu))
		return kvm_smm_enter(vcpu) ?: 1;
	if (unlikely(vcpu->debug.control) && !kvm_x86_debug_step_done(vcpu))
		return 0;

	local_irq_disable();
	/*
	 * The guest's FPU registers were loaded at KVM_RUN, but a task
	 * switch since may have saved them and left others behind: load
	 * them again, now that no switch can come in between.
	 */
	if (test_thread_flag(TIF_NEED_FPU_LOAD))
		switch_fpu_return();
	/*
	 * From here a requester interrupts this CPU instead of relying on
	 * us to look at the requests; so look at them once more.
	 */
	smp_store_mb(v->mode, IN_GUEST_MODE);
	if (READ_ONCE(v->requests) || xfer_to_guest_mode_work_pending()) {
		WRITE_ONCE(v->mode, OUTSIDE_GUEST_MODE);
		local_irq_enable();
		return 1;
	}
	/*
	 * Only now, when the guest is sure to be entered: an event handed
	 * to the backend and then not given would stay there for an entry
	 * after userspace changed its mind.
	 */
	kvm_x86_inject_events(vcpu);
	if (unlikely(vcpu->debug.control))
		kvm_x86_debug_enter(vcpu);
	vcpu->has_run = true;
	trace_kvm_entry(v->id, vcpu->rip);
	srcu_read_unlock(&v->kvm->srcu, v->srcu_idx);

	kvm_guest_state_enter();
	static_call(kvm_x86_run)(vcpu);
	kvm_guest_state_exit();

	WRITE_ONCE(v->mode, OUTSIDE_GUEST_MODE);
	/* VMSCAPE: keep the guest's branch predictions from userspace. */
	if (cpu_feature_enabled(X86_FEATURE_IBPB_EXIT_TO_USER))
		this_cpu_write(x86_ibpb_exit_to_user, true);
	local_irq_enable();

	v->srcu_idx = srcu_read_lock(&v->kvm->srcu);
	v->stat.exits++;
	kvm_x86_debug_leave(vcpu);
	kvm_x86_event_delivered(vcpu);
	return static_call(kvm_x86_handle_exit)(vcpu);
}

/* Something for a vCPU halted in the kernel: an NMI or an interrupt. */
static bool kvm_x86_has_events(struct kvm_x86_vcpu *vcpu)
{
	if (vcpu->nmi_pending || vcpu->nmi.type || vcpu->exception.type)
		return true;
	/* L2 halted, but L1 exits on the interrupt. */
	if (kvm_x86_backend->nested_wakes &&
	    kvm_x86_backend->nested_wakes(vcpu))
		return true;
	return (vcpu->interrupt.type || kvm_lapic_has_interrupt(vcpu)) &&
	       static_call(kvm_x86_interrupt_allowed)(vcpu);
}

static bool kvm_x86_vcpu_runnable(struct kvm_vcpu *v)
{
	struct kvm_x86_vcpu *vcpu = to_x86_vcpu(v);
	struct kvm_lapic *apic = vcpu->lapic;
	/* An INIT that came in SMM waits for RSM: no reason to wake. */
	unsigned long latched = vcpu->smm.active ? BIT(KVM_LAPIC_EV_INIT) : 0;

	if ((READ_ONCE(apic->events) & ~latched) || atomic_read(&apic->nmis))
		return true;
	return vcpu->mp_state == KVM_MP_STATE_HALTED &&
	       (kvm_x86_has_events(vcpu) || READ_ONCE(vcpu->pv_unhalted) ||
		kvm_smm_due(vcpu) || kvm_hv_synic_pending(vcpu));
}

/*
 * A vCPU that is not runnable (halted, or waiting for INIT or a start-up
 * IPI) sleeps until another thread, the APIC timer or a signal wakes it.
 * Return: 1 to look again, or -EINTR for a signal.
 */
static int kvm_x86_vcpu_wait(struct kvm_x86_vcpu *vcpu)
{
	int ret = kvm_vcpu_block(&vcpu->vcpu, kvm_x86_vcpu_runnable);

	if (ret)
		return ret;
	kvm_lapic_accept_events(vcpu);
	/* A synthetic timer's message may raise an interrupt that wakes. */
	if (kvm_check_request(&vcpu->vcpu, KVM_REQ_HV_STIMER))
		kvm_hv_stimer_expire(vcpu);
	if (vcpu->mp_state == KVM_MP_STATE_HALTED &&
	    (kvm_x86_has_events(vcpu) || READ_ONCE(vcpu->pv_unhalted))) {
		/* A kick (KVM_HC_KICK_CPU) ends one HLT. */
		WRITE_ONCE(vcpu->pv_unhalted, false);
		vcpu->mp_state = KVM_MP_STATE_RUNNABLE;
	}
	/* An SMI ends HLT; RSM may take the vCPU back to it. */
	if (vcpu->mp_state == KVM_MP_STATE_HALTED && kvm_smm_due(vcpu))
		return kvm_smm_enter(vcpu) ?: 1;
	return 1;
}

static int kvm_x86_vcpu_run(struct kvm_vcpu *v)
{
	struct kvm_x86_vcpu *vcpu = to_x86_vcpu(v);
	int (*complete)(struct kvm_x86_vcpu *vcpu);
	int ret = 0;

	if (!kvm_x86_backend->run)
		return -EOPNOTSUPP;

	fpu_swap_kvm_fpstate(&vcpu->guest_fpu, true);
	v->srcu_idx = srcu_read_lock(&v->kvm->srcu);

	ret = kvm_x86_sync_regs_in(vcpu);
	if (ret < 0)
		goto out;
	ret = kvm_x86_events_enter_run(vcpu);
	if (ret < 0)
		goto out;
	complete = vcpu->complete_userspace_exit;
	vcpu->complete_userspace_exit = NULL;
	if (complete) {
		ret = complete(vcpu);
		if (ret <= 0)
			goto out;
	}

	/*
	 * As upstream, the exit reason stays what it was: userspace uses
	 * this to finish an exit (an I/O read, say) and then looks at the
	 * run page of that exit again.
	 */
	if (READ_ONCE(v->run->immediate_exit__unsafe)) {
		ret = -EINTR;
		goto out;
	}

	/*
	 * As upstream, an application processor that waits for INIT returns
	 * -EAGAIN once something arrived for it, and userspace runs it
	 * again.
	 */
	if (vcpu->lapic && vcpu->mp_state == KVM_MP_STATE_UNINITIALIZED) {
		ret = kvm_vcpu_block(v, kvm_x86_vcpu_runnable);
		if (!ret) {
			kvm_lapic_accept_events(vcpu);
			ret = -EAGAIN;
		}
		goto out;
	}

	do {
		if (vcpu->lapic) {
			kvm_lapic_accept_events(vcpu);
			if (vcpu->mp_state != KVM_MP_STATE_RUNNABLE) {
				ret = kvm_x86_vcpu_wait(vcpu);
				continue;
			}
		}
		ret = kvm_vcpu_handle_work(v);
		if (!ret)
			ret = kvm_x86_enter_guest(vcpu);
		if (ret > 0 && (kvm_x86_irq_window_open(vcpu) ||
				kvm_irq_eoi_exit(vcpu)))
			ret = 0;
	} while (ret > 0);
out:
	kvm_x86_events_leave_run(vcpu);
	kvm_x86_sync_regs_out(vcpu);
	srcu_read_unlock(&v->kvm->srcu, v->srcu_idx);
	fpu_swap_kvm_fpstate(&vcpu->guest_fpu, false);
	return ret;
}

/* A port read that went to userspace: its data is in the run page now. */
static int kvm_x86_complete_pio_in(struct kvm_x86_vcpu *vcpu)
{
	unsigned long val = 0;

	memcpy(&val, kvm_x86_pio_data(vcpu), vcpu->pio.size);
	switch (vcpu->pio.size) {
	case 1:
		vcpu->regs[VCPU_RAX] = (vcpu->regs[VCPU_RAX] & ~0xffUL) | val;
		break;
	case 2:
		vcpu->regs[VCPU_RAX] = (vcpu->regs[VCPU_RAX] & ~0xffffUL) | val;
		break;
	default:
		/* A 32-bit result zero-extends into RAX. */
		vcpu->regs[VCPU_RAX] = val;
		break;
	}
	return 1;
}

/*
 * The data of port accesses has a page of its own, page
 * KVM_PIO_PAGE_OFFSET of the vCPU mapping, as the uapi layout has it:
 * VMMs may use the whole page.
 */
#define KVM_PIO_DATA_OFFSET	(KVM_PIO_PAGE_OFFSET * PAGE_SIZE)
static_assert(KVM_X86_PIO_DATA_SIZE <= PAGE_SIZE);

/**
 * kvm_x86_pio_data() - where the data of port accesses goes
 * @vcpu: the vCPU
 *
 * Return: the page KVM_EXIT_IO points userspace to; the emulator uses
 * KVM_X86_PIO_DATA_SIZE bytes of it for string port I/O.
 */
void *kvm_x86_pio_data(struct kvm_x86_vcpu *vcpu)
{
	return vcpu->pio_page;
}

/* The port data page is the only other page of the vCPU mapping. */
static struct page *kvm_x86_vcpu_page(struct kvm_vcpu *v, unsigned long pgoff)
{
	return pgoff == KVM_PIO_PAGE_OFFSET ?
	       virt_to_page(to_x86_vcpu(v)->pio_page) : NULL;
}

/**
 * kvm_x86_pio_exit() - set up a KVM_EXIT_IO
 * @vcpu: the vCPU
 * @port: the port
 * @size: 1, 2 or 4 bytes
 * @in: a read rather than a write
 * @count: how many accesses: more than one for string instructions, whose
 *	data follow each other in kvm_x86_pio_data()
 */
void kvm_x86_pio_exit(struct kvm_x86_vcpu *vcpu, u16 port, u8 size, bool in,
		      u32 count)
{
	struct kvm_run *run = vcpu->vcpu.run;

	vcpu->vcpu.stat.io_exits++;
	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = in ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT;
	run->io.size = size;
	run->io.port = port;
	run->io.count = count;
	run->io.data_offset = KVM_PIO_DATA_OFFSET;
}

/**
 * kvm_x86_exit_pio() - send an IN or OUT to userspace
 * @vcpu: the vCPU
 * @port: the port
 * @size: 1, 2 or 4 bytes
 * @in: IN rather than OUT
 * @next_rip: address of the next instruction
 *
 * The instruction completes now for OUT and when userspace runs the vCPU
 * again for IN.  Ports of devices in the kernel, and writes an ioeventfd
 * takes or the coalesced I/O ring queues, are not sent.
 *
 * Return: 0, for the exit to userspace, or 1 if the kernel did the access.
 */
int kvm_x86_exit_pio(struct kvm_x86_vcpu *vcpu, u16 port, u8 size, bool in,
		     unsigned long next_rip)
{
	if (kvm_irq_pio(vcpu, port, size, in) ||
	    (!in && (kvm_ioeventfd_write(vcpu->vcpu.kvm, true, port, size,
					 &vcpu->regs[VCPU_RAX]) ||
		     kvm_coalesced_write(vcpu->vcpu.kvm, true, port, size,
					 &vcpu->regs[VCPU_RAX])))) {
		kvm_x86_skip_insn(vcpu, next_rip - vcpu->rip);
		return 1;
	}
	kvm_x86_pio_exit(vcpu, port, size, in, 1);
	if (!in)
		memcpy(kvm_x86_pio_data(vcpu), &vcpu->regs[VCPU_RAX], size);
	vcpu->pio.port = port;
	vcpu->pio.size = size;
	vcpu->pio.in = in;
	if (in)
		vcpu->complete_userspace_exit = kvm_x86_complete_pio_in;
	kvm_x86_skip_insn(vcpu, next_rip - vcpu->rip);
	return 0;
}
EXPORT_SYMBOL_GPL(kvm_x86_exit_pio);

/**
 * kvm_x86_exit_to_user() - return to userspace with an exit reason
 * @vcpu: the vCPU
 * @reason: the KVM_EXIT_* reason
 *
 * Return: 0, for the exit to userspace.
 */
int kvm_x86_exit_to_user(struct kvm_x86_vcpu *vcpu, u32 reason)
{
	if (reason == KVM_EXIT_HLT)
		vcpu->vcpu.stat.halt_exits++;
	vcpu->vcpu.run->exit_reason = reason;
	return 0;
}
EXPORT_SYMBOL_GPL(kvm_x86_exit_to_user);

/**
 * kvm_x86_exit_hlt() - the guest executed HLT
 * @vcpu: the vCPU, with RIP after the HLT
 *
 * With the APIC in userspace, userspace decides when the vCPU goes on;
 * with the APIC in the kernel, the vCPU waits here for an interrupt.
 *
 * Return: 0 for the exit to userspace, or 1 to go on.
 */
int kvm_x86_exit_hlt(struct kvm_x86_vcpu *vcpu)
{
	if (!vcpu->lapic)
		return kvm_x86_exit_to_user(vcpu, KVM_EXIT_HLT);
	vcpu->vcpu.stat.halt_exits++;
	vcpu->mp_state = KVM_MP_STATE_HALTED;
	return 1;
}
EXPORT_SYMBOL_GPL(kvm_x86_exit_hlt);

/**
 * kvm_x86_exit_internal_error() - tell userspace we cannot go on
 * @vcpu: the vCPU
 * @suberror: KVM_INTERNAL_ERROR_*
 * @data0: first value that helps to understand the error
 * @data1: second one
 *
 * For exits we do not handle: the guest is stopped rather than given a
 * wrong result.  Userspace sees the suberror, the two values and the RIP.
 *
 * Return: 0, for the exit to userspace.
 */
int kvm_x86_exit_internal_error(struct kvm_x86_vcpu *vcpu, u32 suberror,
				u64 data0, u64 data1)
{
	struct kvm_run *run = vcpu->vcpu.run;

	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.ndata = 3;
	run->internal.data[0] = data0;
	run->internal.data[1] = data1;
	run->internal.data[2] = vcpu->rip;
	return 0;
}
EXPORT_SYMBOL_GPL(kvm_x86_exit_internal_error);

/* irqfds need the interrupt controllers in the kernel. */
static bool kvm_x86_irqfd_allowed(struct kvm *kvm)
{
	return READ_ONCE(to_kvm_x86(kvm)->irqchip) != KVM_IRQCHIP_USER;
}

static void kvm_x86_set_irq(struct kvm *kvm, u32 gsi, bool level)
{
	kvm_irq_set(kvm, gsi, level);
}

static struct kvm_arch_ops kvm_x86_arch_ops = {
	.check_extension = kvm_x86_check_extension,
	.dev_ioctl	 = kvm_x86_dev_ioctl,
	.max_vcpus	 = KVM_X86_MAX_VCPUS,
	.max_vcpu_ids	 = KVM_X86_MAX_VCPU_IDS,
	.nr_address_spaces = KVM_X86_ADDRESS_SPACES,
	.memslot_flags	 = KVM_MEM_READONLY | KVM_MEM_LOG_DIRTY_PAGES,
	.vm_size	 = sizeof(struct kvm_x86),
	.vm_init	 = kvm_x86_vm_init,
	.vm_release	 = kvm_x86_vm_release,
	.vm_destroy	 = kvm_x86_vm_destroy,
	.vm_ioctl	 = kvm_x86_vm_ioctl,
	.enable_cap	 = kvm_x86_enable_cap,
	.vcpu_init	 = kvm_x86_vcpu_init,
	.vcpu_destroy	 = kvm_x86_vcpu_destroy,
	.vcpu_ioctl	 = kvm_x86_vcpu_ioctl,
	.vcpu_load	 = kvm_x86_vcpu_load,
	.vcpu_put	 = kvm_x86_vcpu_put,
	.pre_fault	 = kvm_mmu_pre_fault,
	.vcpu_page	 = kvm_x86_vcpu_page,
	.vcpu_run	 = kvm_x86_vcpu_run,
	.irqfd_allowed	 = kvm_x86_irqfd_allowed,
	.set_irq	 = kvm_x86_set_irq,
	.unmap_gfn_range = kvm_mmu_unmap_gfn_range,
	.write_protect_gfn_range = kvm_mmu_write_protect_gfn_range,
};

static int kvm_x86_cpu_online(unsigned int cpu)
{
	return kvm_x86_backend->cpu_enable ? kvm_x86_backend->cpu_enable() : 0;
}

static int kvm_x86_cpu_offline(unsigned int cpu)
{
	if (kvm_x86_backend->cpu_disable)
		kvm_x86_backend->cpu_disable();
	return 0;
}

/* Only the boot CPU is left when these run: the others went offline. */
static int kvm_x86_suspend(void *data)
{
	return kvm_x86_cpu_offline(0);
}

static void kvm_x86_resume(void *data)
{
	if (kvm_x86_cpu_online(0))
		pr_err("cannot re-enable virtualization after resume\n");
}

static void kvm_x86_shutdown(void *data)
{
	kvm_x86_cpu_offline(0);
}

static const struct syscore_ops kvm_x86_syscore_ops = {
	.suspend	= kvm_x86_suspend,
	.resume		= kvm_x86_resume,
	.shutdown	= kvm_x86_shutdown,
};

static struct syscore kvm_x86_syscore = {
	.ops		= &kvm_x86_syscore_ops,
};

/**
 * kvm_x86_register_backend() - install a hardware backend
 * @backend: the backend; must stay valid until it is unregistered
 *
 * Checks that the processor supports the backend, turns virtualization
 * on in every online CPU (and in CPUs that come online later) and creates
 * /dev/kvm.  The VMX and SVM backends exclude each other.
 *
 * Return: 0, -EBUSY if a backend is already registered, or the error the
 * backend's processor check or CPU enabling returned.
 */
int kvm_x86_register_backend(const struct kvm_x86_backend *backend)
{
	u64 max_ratio;
	u8 frac_bits;
	int ret;

	mutex_lock(&kvm_x86_backend_lock);
	if (kvm_x86_backend) {
		pr_err("cannot load %s: the %s backend is loaded\n",
		       backend->name, kvm_x86_backend->name);
		ret = -EBUSY;
		goto out;
	}
	ret = backend->check_processor();
	if (ret)
		goto out;

	kvm_x86_backend = backend;
	kvm_x86_update_static_calls(backend);
	kvm_x86_fpu_init();
	kvm_mmu_set_format(backend->tdp);
	kvm_clock_setup();
	frac_bits = backend->tsc_scaling ? backend->tsc_scaling(&max_ratio) : 0;
	kvm_x86_tsc_setup(frac_bits, frac_bits ? max_ratio : 1);
	kvm_x86_arch_ops.owner = backend->owner;
	kvm_x86_arch_ops.vcpu_size = backend->vcpu_size;

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "kvm/x86:online",
				kvm_x86_cpu_online, kvm_x86_cpu_offline);
	if (ret < 0) {
		pr_err("cannot enable %s on every CPU: %d\n", backend->name, ret);
		goto fail;
	}
	kvm_x86_cpuhp_state = ret;
	register_syscore(&kvm_x86_syscore);

	ret = kvm_core_register(&kvm_x86_arch_ops);
	if (!ret)
		goto out;
	unregister_syscore(&kvm_x86_syscore);
	cpuhp_remove_state(kvm_x86_cpuhp_state);
fail:
	kvm_x86_backend = NULL;
out:
	mutex_unlock(&kvm_x86_backend_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(kvm_x86_register_backend);

/**
 * kvm_x86_unregister_backend() - remove the hardware backend
 * @backend: the backend passed to kvm_x86_register_backend()
 *
 * No VM exists any more: each holds a reference on the backend module.
 */
void kvm_x86_unregister_backend(const struct kvm_x86_backend *backend)
{
	mutex_lock(&kvm_x86_backend_lock);
	if (!WARN_ON_ONCE(kvm_x86_backend != backend)) {
		kvm_core_unregister(&kvm_x86_arch_ops);
		unregister_syscore(&kvm_x86_syscore);
		cpuhp_remove_state(kvm_x86_cpuhp_state);
		kvm_x86_backend = NULL;
	}
	mutex_unlock(&kvm_x86_backend_lock);
}
EXPORT_SYMBOL_GPL(kvm_x86_unregister_backend);

MODULE_DESCRIPTION("Kernel-based Virtual Machine: core and x86 support");
MODULE_LICENSE("GPL");
