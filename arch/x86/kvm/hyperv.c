// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hyper-V enlightenments, as the Hyper-V Top Level Functional
 * Specification (TLFS) defines them: what Windows, and Linux when it
 * believes it runs on Hyper-V, use instead of the KVM interface.
 *
 * Userspace turns them on for a vCPU by putting "Hv#1" in CPUID leaf
 * HYPERV_CPUID_INTERFACE (0x40000001) and offers features in the other
 * Hyper-V leaves, built from what KVM_GET_SUPPORTED_HV_CPUID lists.  With
 * KVM_CAP_HYPERV_ENFORCE_CPUID only what those leaves offer works;
 * without it, everything implemented here does.
 *
 * Implemented: the partition's guest OS id, hypercall page, reference TSC
 * page, crash and re-enlightenment MSRs; each VP's index, run time, APIC
 * access MSRs (EOI, ICR, TPR: with the in-kernel APIC) and assist page
 * (kept, never written: it offers nothing); the reference counter and
 * the frequency MSRs; reset; the SynIC and its timers (hyperv_synic.c);
 * and hypercalls.  The long spin
 * wait is handled here, IPIs and TLB flushes in hyperv_vpset.c; messages,
 * events and the extended hypercalls go to userspace as
 * KVM_EXIT_HYPERV_HCALL.
 *
 * A hypercall is Hyper-V's once the vCPU's CPUID says Hyper-V and the
 * guest has given its OS id, as the TLFS asks of it before any hypercall;
 * before that, VMCALL/VMMCALL are KVM's own (hypercall.c).
 */
#include <linux/cpu.h>
#include <linux/kvm.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <asm/hyperv-tlfs.h>
#include <asm/trapnr.h>
#include <asm/tsc.h>

#include "x86.h"

/* "Hv#1" in 0x40000001.EAX: the guest may use the TLFS interface. */
#define HV_INTERFACE_SIGNATURE	0x31237648
/* The vendor leaf names us, and reaches up to the last syndbg leaf. */
#define HV_CPUID_VENDOR_EBX	0x756e694c	/* "Linu" */
#define HV_CPUID_VENDOR_ECX	0x564b2078	/* "x KV" */
#define HV_CPUID_VENDOR_EDX	0x7648204d	/* "M Hv" */
#define HV_CPUID_SYNDBG_LAST	0x40000082
/* The synthetic debugger's leaves: "Microsoft VS", "VS#1". */
#define HV_SYNDBG_VENDOR_EBX	0x7263694d
#define HV_SYNDBG_VENDOR_ECX	0x666f736f
#define HV_SYNDBG_VENDOR_EDX	0x53562074
#define HV_SYNDBG_INTERFACE	0x31235356
#define HV_SYNDBG_CAP_ALLOW_KERNEL_DEBUGGING	BIT(1)

/* A version of Hyper-V guests know: 10.0, build 14393. */
#define HV_VERSION_BUILD	0x3839
#define HV_VERSION_MAJOR_MINOR	0x000a0000

/* What KVM_GET_SUPPORTED_HV_CPUID offers in HYPERV_CPUID_FEATURES. */
#define HV_FEATURES_EAX	(HV_MSR_TIME_REF_COUNT_AVAILABLE |		\
			 HV_MSR_SYNIC_AVAILABLE |			\
			 HV_MSR_SYNTIMER_AVAILABLE |			\
			 HV_MSR_HYPERCALL_AVAILABLE |			\
			 HV_MSR_VP_INDEX_AVAILABLE |			\
			 HV_MSR_RESET_AVAILABLE |			\
			 HV_MSR_REFERENCE_TSC_AVAILABLE |		\
			 HV_ACCESS_FREQUENCY_MSRS |			\
			 HV_ACCESS_REENLIGHTENMENT |			\
			 HV_MSR_VP_RUNTIME_AVAILABLE |			\
			 HV_MSR_APIC_ACCESS_AVAILABLE)
#define HV_FEATURES_EBX	(HV_POST_MESSAGES | HV_SIGNAL_EVENTS |		\
			 HV_DEBUGGING | HV_ENABLE_EXTENDED_HYPERCALLS)
#define HV_FEATURES_EDX	(HV_FEATURE_FREQUENCY_MSRS_AVAILABLE |		\
			 HV_FEATURE_GUEST_CRASH_MSR_AVAILABLE |		\
			 HV_X64_HYPERCALL_XMM_INPUT_AVAILABLE |		\
			 HV_FEATURE_DEBUG_MSRS_AVAILABLE |		\
			 HV_STIMER_DIRECT_MODE_AVAILABLE)

/* Extended hypercalls (TLFS: "Extended hypercall interface"). */
#define HV_EXT_CALL_FIRST	HV_EXT_CALL_QUERY_CAPABILITIES
#define HV_EXT_CALL_LAST	0x81ff

#define HV_REENLIGHTENMENT_VALID	(GENMASK_ULL(7, 0) | BIT_ULL(16) | \
					 GENMASK_ULL(63, 32))
#define HV_CRASH_CTL_VALID	(HV_CRASH_CTL_CRASH_NOTIFY |		\
				 HV_CRASH_CTL_CRASH_NOTIFY_MSG)

/**
 * kvm_hv_init() - a new VM's partition state
 * @kx: the VM
 */
void kvm_hv_init(struct kvm_x86 *kx)
{
	mutex_init(&kx->hv.lock);
	spin_lock_init(&kx->hv.tsc_lock);
}

/**
 * kvm_hv_vcpu_reset() - a vCPU's Hyper-V state after RESET
 * @vcpu: the vCPU
 *
 * The VP index starts as the vCPU id, which is the APIC id: VMMs number
 * vCPUs so, and with KVM_CAP_HYPERV_VP_INDEX they may set another.
 */
void kvm_hv_vcpu_reset(struct kvm_x86_vcpu *vcpu)
{
	vcpu->hv.vp_index = vcpu->vcpu.id;
	vcpu->hv.vp_assist = 0;
	vcpu->hv.runtime_offset = 0;
}

/**
 * kvm_hv_cpuid_changed() - userspace set the vCPU's CPUID
 * @vcpu: the vCPU
 *
 * Remember whether it says Hyper-V, and which features it offers.
 */
void kvm_hv_cpuid_changed(struct kvm_x86_vcpu *vcpu)
{
	const struct kvm_cpuid_entry2 *e;

	e = kvm_find_cpuid(vcpu, HYPERV_CPUID_INTERFACE, 0);
	vcpu->hv.enabled = e && e->eax == HV_INTERFACE_SIGNATURE;
	e = kvm_find_cpuid(vcpu, HYPERV_CPUID_FEATURES, 0);
	vcpu->hv.features[0] = e ? e->eax : 0;
	vcpu->hv.features[1] = e ? e->ebx : 0;
	vcpu->hv.features[2] = e ? e->edx : 0;
	e = kvm_find_cpuid(vcpu, HYPERV_CPUID_ENLIGHTMENT_INFO, 0);
	vcpu->hv.recommended = e ? e->eax : 0;
	vcpu->hv.spin_retries = e ? e->ebx : 0;
	e = kvm_find_cpuid(vcpu, HV_CPUID_SYNDBG_LAST, 0);
	vcpu->hv.syndbg_caps = e ? e->eax : 0;
}

/* The feature the guest needs for @msr (@reg: 0 EAX, 1 EBX, 2 EDX). */
static bool hv_msr_feature(u32 msr, int *reg, u32 *bit)
{
	*reg = 0;
	switch (msr) {
	case HV_X64_MSR_GUEST_OS_ID:
	case HV_X64_MSR_HYPERCALL:
		*bit = HV_MSR_HYPERCALL_AVAILABLE;
		return true;
	case HV_X64_MSR_VP_INDEX:
		*bit = HV_MSR_VP_INDEX_AVAILABLE;
		return true;
	case HV_X64_MSR_RESET:
		*bit = HV_MSR_RESET_AVAILABLE;
		return true;
	case HV_X64_MSR_VP_RUNTIME:
		*bit = HV_MSR_VP_RUNTIME_AVAILABLE;
		return true;
	case HV_X64_MSR_EOI:
	case HV_X64_MSR_ICR:
	case HV_X64_MSR_TPR:
	case HV_X64_MSR_VP_ASSIST_PAGE:
		*bit = HV_MSR_APIC_ACCESS_AVAILABLE;
		return true;
	case HV_X64_MSR_TIME_REF_COUNT:
		*bit = HV_MSR_TIME_REF_COUNT_AVAILABLE;
		return true;
	case HV_X64_MSR_REFERENCE_TSC:
		*bit = HV_MSR_REFERENCE_TSC_AVAILABLE;
		return true;
	case HV_X64_MSR_TSC_FREQUENCY:
	case HV_X64_MSR_APIC_FREQUENCY:
		*bit = HV_ACCESS_FREQUENCY_MSRS;
		return true;
	case HV_X64_MSR_REENLIGHTENMENT_CONTROL:
	case HV_X64_MSR_TSC_EMULATION_CONTROL:
	case HV_X64_MSR_TSC_EMULATION_STATUS:
		*bit = HV_ACCESS_REENLIGHTENMENT;
		return true;
	case HV_X64_MSR_CRASH_P0 ... HV_X64_MSR_CRASH_CTL:
		*reg = 2;
		*bit = HV_FEATURE_GUEST_CRASH_MSR_AVAILABLE;
		return true;
	case HV_X64_MSR_SCONTROL ... HV_X64_MSR_EOM:
	case HV_X64_MSR_SINT0 ... HV_X64_MSR_SINT15:
		*bit = HV_MSR_SYNIC_AVAILABLE;
		return true;
	case HV_X64_MSR_STIMER0_CONFIG ... HV_X64_MSR_STIMER3_COUNT:
		*bit = HV_MSR_SYNTIMER_AVAILABLE;
		return true;
	case HV_X64_MSR_SYNDBG_CONTROL ... HV_X64_MSR_SYNDBG_PENDING_BUFFER:
	case HV_X64_MSR_SYNDBG_OPTIONS:
		*reg = 2;
		*bit = HV_FEATURE_DEBUG_MSRS_AVAILABLE;
		return true;
	default:
		return false;
	}
}

/* The MSRs of hyperv_synic.c. */
static bool hv_synic_msr(u32 msr)
{
	return (msr >= HV_X64_MSR_SCONTROL && msr <= HV_X64_MSR_EOM) ||
	       (msr >= HV_X64_MSR_SINT0 && msr <= HV_X64_MSR_SINT15) ||
	       (msr >= HV_X64_MSR_STIMER0_CONFIG &&
		msr <= HV_X64_MSR_STIMER3_COUNT);
}

/*
 * Whether the guest (@host false) or userspace may access @msr: -ENOENT
 * if it is not one of ours, -EINVAL if the guest may not.  Userspace may
 * always, to save and restore.
 */
static int hv_msr_access(struct kvm_x86_vcpu *vcpu, u32 msr, bool host)
{
	u32 bit;
	int reg;

	if (!hv_msr_feature(msr, &reg, &bit))
		return -ENOENT;
	if (host)
		return 0;
	if (!vcpu->hv.enabled)
		return -EINVAL;
	if (vcpu->hv.enforce_cpuid && !(vcpu->hv.features[reg] & bit))
		return -EINVAL;
	return 0;
}

/*
 * HV_X64_MSR_VP_RUNTIME: the time the VP ran, in 100 ns units -- the run
 * time of the thread that runs it, which is the one asking, plus what
 * userspace set it to.
 */
static u64 hv_vp_runtime(struct kvm_x86_vcpu *vcpu)
{
	return div_u64(current->se.sum_exec_runtime + vcpu->hv.runtime_offset,
		       100);
}

/* The APIC register behind one of the APIC access MSRs. */
static u32 hv_apic_reg(u32 msr)
{
	return msr == HV_X64_MSR_EOI ? APIC_EOI :
	       msr == HV_X64_MSR_ICR ? APIC_ICR : APIC_TASKPRI;
}

/* What the TSC page says now; a sequence of 0 makes it invalid. */
static void hv_set_tsc_page(struct kvm_x86 *kx, u32 seq, u64 scale,
			    s64 offset)
{
	spin_lock(&kx->hv.tsc_lock);
	kx->hv.tsc_page.tsc_sequence = seq;
	kx->hv.tsc_page.tsc_scale = scale;
	kx->hv.tsc_page.tsc_offset = offset;
	spin_unlock(&kx->hv.tsc_lock);
}

/**
 * kvm_hv_ref_time() - the partition's reference time
 * @vcpu: a vCPU of the partition
 *
 * The TSC page's function of the TSC while the page is valid, so that
 * the counter and the page never disagree, and kvmclock's time otherwise.
 * Under a spinlock, not the partition mutex: a guest that compares the
 * two must not see the time it took to schedule.
 *
 * Return: the time in 100 ns units.
 */
u64 kvm_hv_ref_time(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_x86 *kx = to_kvm_x86(vcpu->vcpu.kvm);
	bool valid;
	u64 scale;
	s64 offset;

	spin_lock(&kx->hv.tsc_lock);
	valid = kx->hv.tsc_page.tsc_sequence;
	scale = kx->hv.tsc_page.tsc_scale;
	offset = kx->hv.tsc_page.tsc_offset;
	spin_unlock(&kx->hv.tsc_lock);
	if (!valid)
		return div_u64(kvm_clock_ns(kx), 100);
	return mul_u64_u64_shr(kvm_x86_guest_tsc(vcpu), scale, 64) + offset;
}

/*
 * Write the reference TSC page: scale and offset such that the page's
 * time is kvmclock's now, in 100 ns units per guest TSC tick.  The guest
 * reads the sequence before and after the other fields and retries when
 * it changed; 0 says "invalid, read the MSR", so it is 0 while the fields
 * change.  Called with the partition lock held.
 */
static void hv_tsc_page_write(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_x86 *kx = to_kvm_x86(vcpu->vcpu.kvm);
	gpa_t gpa = kx->hv.tsc_ref & PAGE_MASK;
	u32 seq = kx->hv.tsc_page.tsc_sequence, zero = 0;
	u64 fields[2];	/* tsc_scale, tsc_offset */

	hv_set_tsc_page(kx, 0, 0, 0);
	if (kvm_x86_write_guest(&kx->kvm, gpa, &zero, sizeof(zero)))
		return;
	/* 2^64 * 10^4 / kHz: the 100 ns per tick of a 64.64 fraction. */
	fields[0] = mul_u64_u64_div_u64(1ULL << 63, 2 * 10000,
					kvm_x86_tsc_khz(vcpu));
	fields[1] = div_u64(kvm_clock_ns(kx), 100) -
		    mul_u64_u64_shr(kvm_x86_guest_tsc(vcpu), fields[0], 64);
	/* The invalid sequence before the fields, as the guest reads them. */
	smp_wmb();
	if (kvm_x86_write_guest(&kx->kvm,
				gpa + offsetof(struct ms_hyperv_tsc_page,
					       tsc_scale),
				fields, sizeof(fields)))
		return;
	/* The fields before the sequence that says they are whole. */
	smp_wmb();
	/* 0 and all ones say "invalid" to some guests: skip both. */
	do {
		seq++;
	} while (!seq || seq == U32_MAX);
	if (kvm_x86_write_guest(&kx->kvm, gpa, &seq, sizeof(seq)))
		return;
	hv_set_tsc_page(kx, seq, fields[0], fields[1]);
}

/**
 * kvm_hv_clock_update() - the VM's clock was set or a TSC moved
 * @vcpu: the vCPU, on its own thread
 *
 * Rewrite the reference TSC page if the guest enabled it -- unless the
 * guest enabled TSC emulation: then it was promised a TSC of constant
 * frequency and a page that stays as it is until it re-enlightens itself.
 */
void kvm_hv_clock_update(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_x86 *kx = to_kvm_x86(vcpu->vcpu.kvm);

	mutex_lock(&kx->hv.lock);
	if ((kx->hv.tsc_ref & HV_X64_MSR_TSC_REFERENCE_ENABLE) &&
	    !(kx->hv.tsc_emulation_control & 1))
		hv_tsc_page_write(vcpu);
	mutex_unlock(&kx->hv.lock);
}

/* The hypercall page: this processor's hypercall instruction, and RET. */
static int hv_write_hypercall_page(struct kvm_x86 *kx, u64 data)
{
	u8 code[4];

	memcpy(code, kvm_x86_hypercall_insn(), 3);
	code[3] = 0xc3;
	return kvm_x86_write_guest(&kx->kvm, data & PAGE_MASK, code,
				   sizeof(code));
}

/**
 * kvm_hv_get_msr() - read a Hyper-V MSR
 * @vcpu: the vCPU, loaded
 * @msr: the MSR
 * @data: the value
 * @host: for userspace rather than the guest
 *
 * Return: 0, -ENOENT if @msr is not a Hyper-V MSR, or -EINVAL if the
 * guest may not read it.
 */
int kvm_hv_get_msr(struct kvm_x86_vcpu *vcpu, u32 msr, u64 *data, bool host)
{
	struct kvm_x86 *kx = to_kvm_x86(vcpu->vcpu.kvm);
	int ret = hv_msr_access(vcpu, msr, host);

	if (ret)
		return ret;
	if (hv_synic_msr(msr))
		return kvm_hv_synic_get_msr(vcpu, msr, data, host);
	switch (msr) {
	case HV_X64_MSR_VP_INDEX:
		*data = vcpu->hv.vp_index;
		return 0;
	case HV_X64_MSR_TIME_REF_COUNT:
		*data = kvm_hv_ref_time(vcpu);
		return 0;
	case HV_X64_MSR_TSC_FREQUENCY:
		*data = (u64)kvm_x86_tsc_khz(vcpu) * 1000;
		return 0;
	case HV_X64_MSR_APIC_FREQUENCY:
		*data = div_u64(NSEC_PER_SEC, READ_ONCE(kx->apic_bus_ns));
		return 0;
	case HV_X64_MSR_RESET:
		*data = 0;
		return 0;
	case HV_X64_MSR_VP_RUNTIME:
		*data = hv_vp_runtime(vcpu);
		return 0;
	case HV_X64_MSR_EOI:
	case HV_X64_MSR_ICR:
	case HV_X64_MSR_TPR:
		return kvm_lapic_hv_msr(vcpu, hv_apic_reg(msr), data, false);
	case HV_X64_MSR_VP_ASSIST_PAGE:
		*data = vcpu->hv.vp_assist;
		return 0;
	}
	mutex_lock(&kx->hv.lock);
	switch (msr) {
	case HV_X64_MSR_GUEST_OS_ID:
		*data = kx->hv.guest_os_id;
		break;
	case HV_X64_MSR_HYPERCALL:
		*data = kx->hv.hypercall;
		break;
	case HV_X64_MSR_REFERENCE_TSC:
		*data = kx->hv.tsc_ref;
		break;
	case HV_X64_MSR_REENLIGHTENMENT_CONTROL:
		*data = kx->hv.reenlightenment_control;
		break;
	case HV_X64_MSR_TSC_EMULATION_CONTROL:
		*data = kx->hv.tsc_emulation_control;
		break;
	case HV_X64_MSR_TSC_EMULATION_STATUS:
		*data = kx->hv.tsc_emulation_status;
		break;
	case HV_X64_MSR_CRASH_P0 ... HV_X64_MSR_CRASH_P4:
		*data = kx->hv.crash_param[msr - HV_X64_MSR_CRASH_P0];
		break;
	case HV_X64_MSR_CRASH_CTL:
		/* What the guest may ask for: a crash notification. */
		*data = host ? kx->hv.crash_ctl : HV_CRASH_CTL_CRASH_NOTIFY;
		break;
	case HV_X64_MSR_SYNDBG_CONTROL:
		*data = kx->hv.syndbg.control;
		break;
	case HV_X64_MSR_SYNDBG_STATUS:
		*data = kx->hv.syndbg.status;
		break;
	case HV_X64_MSR_SYNDBG_SEND_BUFFER:
		*data = kx->hv.syndbg.send_page;
		break;
	case HV_X64_MSR_SYNDBG_RECV_BUFFER:
		*data = kx->hv.syndbg.recv_page;
		break;
	case HV_X64_MSR_SYNDBG_PENDING_BUFFER:
		*data = kx->hv.syndbg.pending_page;
		break;
	case HV_X64_MSR_SYNDBG_OPTIONS:
		*data = kx->hv.syndbg.options;
		break;
	}
	mutex_unlock(&kx->hv.lock);
	return 0;
}

/* The guest asked for a reset or reported a crash: tell userspace. */
static void hv_system_event(struct kvm_x86_vcpu *vcpu, u32 type)
{
	vcpu->hv.system_event = type;
	kvm_make_request(&vcpu->vcpu, KVM_REQ_HV_SYSTEM_EVENT);
}

/**
 * kvm_hv_exit_later() - go to userspace before the next entry
 * @vcpu: the vCPU, whose guest just wrote an MSR userspace hears of
 * @type: KVM_EXIT_HYPERV_SYNIC or KVM_EXIT_HYPERV_SYNDBG
 * @msr: the MSR
 *
 * The write itself completes first, as the guest's WRMSR does.
 */
void kvm_hv_exit_later(struct kvm_x86_vcpu *vcpu, u32 type, u32 msr)
{
	vcpu->hv.exit_type = type;
	vcpu->hv.exit_msr = msr;
	kvm_make_request(&vcpu->vcpu, KVM_REQ_HV_EXIT);
}

/**
 * kvm_hv_exit() - report the MSR write kvm_hv_exit_later() asked for
 * @vcpu: the vCPU (KVM_REQ_HV_EXIT)
 *
 * Return: 0, to return to userspace with KVM_EXIT_HYPERV.
 */
int kvm_hv_exit(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_x86_hv *hv = &to_kvm_x86(vcpu->vcpu.kvm)->hv;
	struct kvm_hyperv_exit *exit = &vcpu->vcpu.run->hyperv;

	memset(exit, 0, sizeof(*exit));
	exit->type = vcpu->hv.exit_type;
	if (exit->type == KVM_EXIT_HYPERV_SYNIC) {
		exit->u.synic.msr = vcpu->hv.exit_msr;
		kvm_hv_synic_fill_exit(vcpu, exit);
	} else {
		mutex_lock(&hv->lock);
		exit->u.syndbg.msr = vcpu->hv.exit_msr;
		exit->u.syndbg.control = hv->syndbg.control;
		exit->u.syndbg.status = hv->syndbg.status;
		exit->u.syndbg.send_page = hv->syndbg.send_page;
		exit->u.syndbg.recv_page = hv->syndbg.recv_page;
		exit->u.syndbg.pending_page = hv->syndbg.pending_page;
		mutex_unlock(&hv->lock);
	}
	return kvm_x86_exit_to_user(vcpu, KVM_EXIT_HYPERV);
}

/**
 * kvm_hv_exit_system_event() - report a pending reset or crash
 * @vcpu: the vCPU
 *
 * Return: 0, to return to userspace with KVM_EXIT_SYSTEM_EVENT.
 */
int kvm_hv_exit_system_event(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->vcpu.run;

	memset(&run->system_event, 0, sizeof(run->system_event));
	run->system_event.type = vcpu->hv.system_event;
	return kvm_x86_exit_to_user(vcpu, KVM_EXIT_SYSTEM_EVENT);
}

static int hv_set_partition_msr(struct kvm_x86_vcpu *vcpu, u32 msr, u64 data,
				bool host)
{
	struct kvm_x86 *kx = to_kvm_x86(vcpu->vcpu.kvm);
	struct kvm_x86_hv *hv = &kx->hv;

	lockdep_assert_held(&hv->lock);
	switch (msr) {
	case HV_X64_MSR_GUEST_OS_ID:
		hv->guest_os_id = data;
		/* Without an OS id, the hypercall page goes off (TLFS). */
		if (!data)
			hv->hypercall &= ~HV_X64_MSR_HYPERCALL_ENABLE;
		return 0;
	case HV_X64_MSR_HYPERCALL:
		/* Bit 1 locks the MSR until reset. */
		if (!host && (hv->hypercall & BIT_ULL(1)))
			return -EINVAL;
		if ((data & HV_X64_MSR_HYPERCALL_ENABLE) && !host) {
			if (!hv->guest_os_id)
				data &= ~HV_X64_MSR_HYPERCALL_ENABLE;
			else if (hv_write_hypercall_page(kx, data))
				return -EINVAL;
		}
		hv->hypercall = data & (PAGE_MASK | BIT_ULL(1) |
					HV_X64_MSR_HYPERCALL_ENABLE);
		return 0;
	case HV_X64_MSR_REFERENCE_TSC:
		hv->tsc_ref = data & (PAGE_MASK | HV_X64_MSR_TSC_REFERENCE_ENABLE);
		hv_set_tsc_page(kx, 0, 0, 0);
		if (data & HV_X64_MSR_TSC_REFERENCE_ENABLE)
			hv_tsc_page_write(vcpu);
		return 0;
	case HV_X64_MSR_REENLIGHTENMENT_CONTROL:
		if (data & ~HV_REENLIGHTENMENT_VALID)
			return -EINVAL;
		hv->reenlightenment_control = data;
		return 0;
	case HV_X64_MSR_TSC_EMULATION_CONTROL:
		if (data & ~1ULL)
			return -EINVAL;
		hv->tsc_emulation_control = data;
		return 0;
	case HV_X64_MSR_TSC_EMULATION_STATUS:
		/* The guest only ends an emulation, as upstream's. */
		if ((data & ~1ULL) || (!host && data))
			return -EINVAL;
		hv->tsc_emulation_status = data;
		return 0;
	case HV_X64_MSR_CRASH_P0 ... HV_X64_MSR_CRASH_P4:
		hv->crash_param[msr - HV_X64_MSR_CRASH_P0] = data;
		return 0;
	case HV_X64_MSR_CRASH_CTL:
		if (data & ~HV_CRASH_CTL_VALID)
			return -EINVAL;
		if (host)
			hv->crash_ctl = data;
		else if (data & HV_CRASH_CTL_CRASH_NOTIFY)
			hv_system_event(vcpu, KVM_SYSTEM_EVENT_CRASH);
		return 0;
	case HV_X64_MSR_SYNDBG_CONTROL:
		/* A send or receive command: userspace carries it out. */
		hv->syndbg.control = data;
		if (!host)
			kvm_hv_exit_later(vcpu, KVM_EXIT_HYPERV_SYNDBG, msr);
		return 0;
	case HV_X64_MSR_SYNDBG_STATUS:
		hv->syndbg.status = data;
		return 0;
	case HV_X64_MSR_SYNDBG_SEND_BUFFER:
		hv->syndbg.send_page = data;
		return 0;
	case HV_X64_MSR_SYNDBG_RECV_BUFFER:
		hv->syndbg.recv_page = data;
		return 0;
	case HV_X64_MSR_SYNDBG_PENDING_BUFFER:
		hv->syndbg.pending_page = data;
		if (!host)
			kvm_hv_exit_later(vcpu, KVM_EXIT_HYPERV_SYNDBG, msr);
		return 0;
	case HV_X64_MSR_SYNDBG_OPTIONS:
		hv->syndbg.options = data;
		return 0;
	default:
		return -ENOENT;
	}
}

/**
 * kvm_hv_set_msr() - write a Hyper-V MSR
 * @vcpu: the vCPU, loaded
 * @msr: the MSR
 * @data: the value
 * @host: for userspace rather than the guest
 *
 * The counter and frequency MSRs are read-only for the guest; userspace
 * may write them back from a save, and the write changes nothing: they
 * follow the VM's clock and the host's frequencies.
 *
 * Return: 0, -ENOENT if @msr is not a Hyper-V MSR, or -EINVAL if the
 * guest may not write it or @data is not valid for it.
 */
int kvm_hv_set_msr(struct kvm_x86_vcpu *vcpu, u32 msr, u64 data, bool host)
{
	struct kvm_x86 *kx = to_kvm_x86(vcpu->vcpu.kvm);
	int ret = hv_msr_access(vcpu, msr, host);

	if (ret)
		return ret;
	if (hv_synic_msr(msr))
		return kvm_hv_synic_set_msr(vcpu, msr, data, host);
	switch (msr) {
	case HV_X64_MSR_VP_INDEX:
		if (!host || data >= KVM_X86_MAX_VCPUS)
			return -EINVAL;
		vcpu->hv.vp_index = data;
		return 0;
	case HV_X64_MSR_TIME_REF_COUNT:
	case HV_X64_MSR_TSC_FREQUENCY:
	case HV_X64_MSR_APIC_FREQUENCY:
		return host ? 0 : -EINVAL;
	case HV_X64_MSR_RESET:
		if (!host && (data & 1))
			hv_system_event(vcpu, KVM_SYSTEM_EVENT_RESET);
		return 0;
	case HV_X64_MSR_VP_RUNTIME:
		if (!host)
			return -EINVAL;
		vcpu->hv.runtime_offset = data * 100 -
					  current->se.sum_exec_runtime;
		return 0;
	case HV_X64_MSR_EOI:
	case HV_X64_MSR_ICR:
	case HV_X64_MSR_TPR:
		return kvm_lapic_hv_msr(vcpu, hv_apic_reg(msr), &data, true);
	case HV_X64_MSR_VP_ASSIST_PAGE:
		/* Enable (bit 0) and the page; the rest is reserved. */
		if (data & GENMASK_ULL(11, 1))
			return -EINVAL;
		vcpu->hv.vp_assist = data;
		return 0;
	}
	mutex_lock(&kx->hv.lock);
	ret = hv_set_partition_msr(vcpu, msr, data, host);
	mutex_unlock(&kx->hv.lock);
	return ret;
}

/**
 * kvm_hv_hypercall_enabled() - whether VMCALL/VMMCALL is a Hyper-V hypercall
 * @vcpu: the vCPU
 *
 * Return: true once the vCPU's CPUID says Hyper-V and the guest gave its
 * OS id.
 */
bool kvm_hv_hypercall_enabled(struct kvm_x86_vcpu *vcpu)
{
	return vcpu->hv.enabled &&
	       READ_ONCE(to_kvm_x86(vcpu->vcpu.kvm)->hv.guest_os_id);
}

/* Put a hypercall's result where the guest expects it. */
static void hv_hypercall_result(struct kvm_x86_vcpu *vcpu, u64 result)
{
	if (vcpu->hv.hcall_wide) {
		vcpu->regs[VCPU_RAX] = result;
	} else {
		vcpu->regs[VCPU_RAX] = (u32)result;
		vcpu->regs[VCPU_RDX] = result >> 32;
	}
}

/* Userspace answered a hypercall in the run page. */
static int hv_complete_hypercall(struct kvm_x86_vcpu *vcpu)
{
	hv_hypercall_result(vcpu, vcpu->vcpu.run->hyperv.u.hcall.result);
	return 1;
}

/*
 * HVCALL_NOTIFY_LONG_SPIN_WAIT: the guest spun on a lock for a long
 * time.  Give the CPU to a preempted vCPU of the VM, which may hold it.
 */
static u64 hv_long_spin_wait(struct kvm_x86_vcpu *me)
{
	struct kvm_vcpu *v;
	unsigned long i;

	xa_for_each(&me->vcpu.kvm->vcpus, i, v)
		if (kvm_vcpu_yield_to_preempted(&me->vcpu, v))
			break;
	return HV_STATUS_SUCCESS;
}

/* Whether the guest's CPUID allows a hypercall that needs @ebx_bit. */
static bool hv_hypercall_allowed(struct kvm_x86_vcpu *vcpu, u32 ebx_bit)
{
	return !vcpu->hv.enforce_cpuid || (vcpu->hv.features[1] & ebx_bit);
}

/*
 * Spin wait notifications are for a guest told how long to spin first:
 * with its CPUID enforced, a count other than 0 and all ones ("never").
 */
static bool hv_spin_wait_allowed(struct kvm_x86_vcpu *vcpu)
{
	return !vcpu->hv.enforce_cpuid ||
	       (vcpu->hv.spin_retries && vcpu->hv.spin_retries != U32_MAX);
}

/*
 * Messages and events go to userspace (QEMU's VMBus), which answers
 * through the vCPU's SynIC: without one, the input is wrong.
 */
static u64 hv_message_call(struct kvm_x86_vcpu *vcpu, u32 privilege,
			   bool *to_user)
{
	if (!hv_hypercall_allowed(vcpu, privilege))
		return HV_STATUS_ACCESS_DENIED;
	if (!vcpu->hv.synic)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	*to_user = true;
	return HV_STATUS_SUCCESS;
}

/*
 * The debugger's hypercalls, for a guest offered kernel debugging and
 * given the privilege.  Userspace's debugger works through the MSRs, so
 * there is never a session here to post to, retrieve from or reset.
 */
static u64 hv_debug_call(struct kvm_x86_vcpu *vcpu)
{
	if (!(vcpu->hv.syndbg_caps & HV_SYNDBG_CAP_ALLOW_KERNEL_DEBUGGING))
		return HV_STATUS_INVALID_HYPERCALL_CODE;
	if (!hv_hypercall_allowed(vcpu, HV_DEBUGGING))
		return HV_STATUS_ACCESS_DENIED;
	return HV_STATUS_OPERATION_DENIED;
}

/**
 * kvm_hv_hypercall() - a Hyper-V hypercall
 * @vcpu: the vCPU
 * @sregs: its segments and control registers
 * @len: length of the instruction, to skip it
 *
 * The input value (call code, fast flag, rep count) and the input and
 * output parameters come in RCX, RDX and R8 in 64-bit mode, and in
 * EDX:EAX, EBX:ECX and EDI:ESI otherwise; the result goes to RAX or
 * EDX:EAX.  Only ring 0 of protected mode may call: elsewhere #UD.
 *
 * Return: 1 to enter the guest again, 0 to exit to userspace.
 */
int kvm_hv_hypercall(struct kvm_x86_vcpu *vcpu, const struct kvm_sregs *sregs,
		     unsigned int len)
{
	unsigned long *r = vcpu->regs;
	struct kvm_run *run = vcpu->vcpu.run;
	u64 control, in, out, result;
	bool wide, to_user = false;
	struct kvm_hv_hcall hc;
	u16 code;

	if (!(sregs->cr0 & X86_CR0_PE) || kvm_x86_cpl(sregs, vcpu->rflags)) {
		kvm_x86_queue_exception(vcpu, X86_TRAP_UD, false, 0);
		return 1;
	}
	wide = (sregs->efer & EFER_LMA) && sregs->cs.l;
	if (wide) {
		control = r[VCPU_RCX];
		in = r[VCPU_RDX];
		out = r[VCPU_R8];
	} else {
		control = (u64)(u32)r[VCPU_RDX] << 32 | (u32)r[VCPU_RAX];
		in = (u64)(u32)r[VCPU_RBX] << 32 | (u32)r[VCPU_RCX];
		out = (u64)(u32)r[VCPU_RDI] << 32 | (u32)r[VCPU_RSI];
	}
	hc.code = control & HV_HYPERCALL_RESULT_MASK;
	hc.fast = control & HV_HYPERCALL_FAST_BIT;
	hc.var_cnt = (control & HV_HYPERCALL_VARHEAD_MASK) >>
		     HV_HYPERCALL_VARHEAD_OFFSET;
	hc.rep_cnt = (control & HV_HYPERCALL_REP_COMP_MASK) >>
		     HV_HYPERCALL_REP_COMP_OFFSET;
	hc.in_gpa = in;
	hc.fast_in[0] = in;
	hc.fast_in[1] = out;
	/* A fault, as upstream's: RIP stays at the instruction. */
	if (kvm_hv_xmm_input_denied(vcpu, &hc)) {
		kvm_x86_queue_exception(vcpu, X86_TRAP_UD, false, 0);
		return 1;
	}
	kvm_x86_skip_insn(vcpu, len);
	vcpu->hv.hcall_wide = wide;
	vcpu->vcpu.stat.hypercalls++;

	code = hc.code;
	if (control & HV_HYPERCALL_RSVD_MASK) {
		result = HV_STATUS_INVALID_HYPERCALL_INPUT;
	} else if (code == HVCALL_NOTIFY_LONG_SPIN_WAIT) {
		/* A simple hypercall: no reps, no variable header. */
		result = !hv_spin_wait_allowed(vcpu) ? HV_STATUS_ACCESS_DENIED :
			 control & (HV_HYPERCALL_REP_COMP_MASK |
				    HV_HYPERCALL_VARHEAD_MASK) ?
			 HV_STATUS_INVALID_HYPERCALL_INPUT :
			 hv_long_spin_wait(vcpu);
	} else if (code == HVCALL_POST_MESSAGE) {
		result = hv_message_call(vcpu, HV_POST_MESSAGES, &to_user);
	} else if (code == HVCALL_SIGNAL_EVENT) {
		result = hv_message_call(vcpu, HV_SIGNAL_EVENTS, &to_user);
	} else if (code >= HVCALL_POST_DEBUG_DATA &&
		   code <= HVCALL_RESET_DEBUG_SESSION) {
		result = hv_debug_call(vcpu);
	} else if (kvm_hv_is_vpset_call(code)) {
		result = kvm_hv_vpset_hypercall(vcpu, &hc);
	} else if (code >= HV_EXT_CALL_FIRST && code <= HV_EXT_CALL_LAST) {
		/* Their input is a page: never fast. */
		result = !hv_hypercall_allowed(vcpu,
					       HV_ENABLE_EXTENDED_HYPERCALLS) ?
			 HV_STATUS_ACCESS_DENIED :
			 hc.fast ? HV_STATUS_INVALID_PARAMETER : 0;
		to_user = !result;
	} else {
		result = HV_STATUS_INVALID_HYPERCALL_CODE;
	}

	if (!to_user) {
		hv_hypercall_result(vcpu, result);
		return 1;
	}
	memset(&run->hyperv, 0, sizeof(run->hyperv));
	run->hyperv.type = KVM_EXIT_HYPERV_HCALL;
	run->hyperv.u.hcall.input = control;
	run->hyperv.u.hcall.params[0] = in;
	run->hyperv.u.hcall.params[1] = out;
	vcpu->complete_userspace_exit = hv_complete_hypercall;
	return kvm_x86_exit_to_user(vcpu, KVM_EXIT_HYPERV);
}

/* The leaves of KVM_GET_SUPPORTED_HV_CPUID, in order. */
static const u32 hv_cpuid_leaves[] = {
	HYPERV_CPUID_VENDOR_AND_MAX_FUNCTIONS, HYPERV_CPUID_INTERFACE,
	HYPERV_CPUID_VERSION, HYPERV_CPUID_FEATURES,
	HYPERV_CPUID_ENLIGHTMENT_INFO, HYPERV_CPUID_IMPLEMENT_LIMITS,
	HYPERV_CPUID_NESTED_FEATURES, 0x40000080, 0x40000081,
	HV_CPUID_SYNDBG_LAST,
};

/*
 * One leaf of KVM_GET_SUPPORTED_HV_CPUID, @evmcs the enlightened VMCS
 * versions to show (0: none).
 */
static void hv_cpuid_fill(struct kvm_cpuid_entry2 *e, u16 evmcs)
{
	u32 nested = kvm_x86_hv_nested_features();

	switch (e->function) {
	case HYPERV_CPUID_VENDOR_AND_MAX_FUNCTIONS:
		e->eax = HV_CPUID_SYNDBG_LAST;
		e->ebx = HV_CPUID_VENDOR_EBX;
		e->ecx = HV_CPUID_VENDOR_ECX;
		e->edx = HV_CPUID_VENDOR_EDX;
		break;
	case HYPERV_CPUID_INTERFACE:
		e->eax = HV_INTERFACE_SIGNATURE;
		break;
	case HYPERV_CPUID_VERSION:
		e->eax = HV_VERSION_BUILD;
		e->ebx = HV_VERSION_MAJOR_MINOR;
		break;
	case HYPERV_CPUID_FEATURES:
		e->eax = HV_FEATURES_EAX;
		e->ebx = HV_FEATURES_EBX;
		e->edx = HV_FEATURES_EDX;
		break;
	case HYPERV_CPUID_ENLIGHTMENT_INFO:
		/*
		 * Timing is relaxed (a vCPU may be preempted), and without
		 * SMT a VP shares no core with another partition's.  No spin
		 * wait notifications by default (all ones: never).
		 */
		e->eax = HV_X64_RELAXED_TIMING_RECOMMENDED |
			 HV_X64_REMOTE_TLB_FLUSH_RECOMMENDED |
			 HV_X64_CLUSTER_IPI_RECOMMENDED |
			 HV_X64_EX_PROCESSOR_MASKS_RECOMMENDED;
		if (!cpu_smt_possible())
			e->eax |= HV_X64_NO_NONARCH_CORESHARING;
		if (evmcs)
			e->eax |= HV_X64_ENLIGHTENED_VMCS_RECOMMENDED;
		e->ebx = U32_MAX;
		break;
	case HYPERV_CPUID_IMPLEMENT_LIMITS:
		e->eax = KVM_X86_MAX_VCPUS;
		e->ebx = num_possible_cpus();
		break;
	case HYPERV_CPUID_NESTED_FEATURES:
		/*
		 * The MSR-bitmap enlightenment is listed whatever the
		 * backend (clients expect it); the rest is the backend's.
		 */
		e->eax = HV_X64_NESTED_MSR_BITMAP | (nested & ~0xffffu) | evmcs;
		break;
	case 0x40000080:
		e->eax = HV_CPUID_SYNDBG_LAST;
		e->ebx = HV_SYNDBG_VENDOR_EBX;
		e->ecx = HV_SYNDBG_VENDOR_ECX;
		e->edx = HV_SYNDBG_VENDOR_EDX;
		break;
	case 0x40000081:
		e->eax = HV_SYNDBG_INTERFACE;
		break;
	case HV_CPUID_SYNDBG_LAST:
		e->eax = HV_SYNDBG_CAP_ALLOW_KERNEL_DEBUGGING;
		break;
	}
}

/**
 * kvm_hv_get_supported_cpuid() - KVM_GET_SUPPORTED_HV_CPUID
 * @vcpu: the vCPU, or NULL for /dev/kvm's
 * @argp: struct kvm_cpuid2 in userspace
 *
 * The same leaves on /dev/kvm and on a vCPU, but that a vCPU shows the
 * enlightened VMCS only once it is enabled on it, as api.rst says.
 *
 * Return: 0, -E2BIG if nent is too small for them, or -EFAULT.
 */
long kvm_hv_get_supported_cpuid(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	u16 evmcs = vcpu ? vcpu->hv.evmcs_version : kvm_x86_evmcs_version();
	struct kvm_cpuid2 __user *ucpuid = argp;
	struct kvm_cpuid_entry2 e;
	u32 nent, i;

	if (get_user(nent, &ucpuid->nent))
		return -EFAULT;
	if (nent < ARRAY_SIZE(hv_cpuid_leaves))
		return -E2BIG;
	for (i = 0; i < ARRAY_SIZE(hv_cpuid_leaves); i++) {
		memset(&e, 0, sizeof(e));
		e.function = hv_cpuid_leaves[i];
		hv_cpuid_fill(&e, evmcs);
		if (copy_to_user(&ucpuid->entries[i], &e, sizeof(e)))
			return -EFAULT;
	}
	nent = ARRAY_SIZE(hv_cpuid_leaves);
	return put_user(nent, &ucpuid->nent) ? -EFAULT : 0;
}

/**
 * kvm_hv_ioctl() - the Hyper-V vCPU ioctls
 * @vcpu: the vCPU
 * @ioctl: the ioctl
 * @argp: its argument in userspace
 *
 * Return: what the ioctl returns, or -ENOTTY for another ioctl.
 */
long kvm_hv_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
		  void __user *argp)
{
	if (ioctl == KVM_GET_SUPPORTED_HV_CPUID)
		return kvm_hv_get_supported_cpuid(vcpu, argp);
	return -ENOTTY;
}

/**
 * kvm_hv_enable_evmcs() - KVM_ENABLE_CAP(KVM_CAP_HYPERV_ENLIGHTENED_VMCS)
 * @vcpu: the vCPU
 * @version: where userspace wants the versions the guest hypervisor may
 *	use (highest in bits 15:8, lowest in 7:0)
 *
 * Return: 0, -ENOTTY if the backend has no enlightened VMCS, or -EFAULT.
 */
int kvm_hv_enable_evmcs(struct kvm_x86_vcpu *vcpu, u16 __user *version)
{
	u16 v = kvm_x86_evmcs_version();

	if (!v)
		return -ENOTTY;
	if (put_user(v, version))
		return -EFAULT;
	vcpu->hv.evmcs_version = v;
	return 0;
}

/**
 * kvm_hv_vp_assist_read() - read a field of the guest's VP assist page
 * @vcpu: the vCPU
 * @off: where the field is in struct hv_vp_assist_page
 * @data: where it goes
 * @len: its size (the page is large: only what is needed is read)
 *
 * Return: 0, or -ENOENT if the vCPU has no VP assist page (or it is no
 * memory of the guest's).
 */
int kvm_hv_vp_assist_read(struct kvm_x86_vcpu *vcpu, unsigned int off,
			  void *data, unsigned int len)
{
	u64 msr = vcpu->hv.vp_assist;

	if (!(msr & HV_X64_MSR_VP_ASSIST_PAGE_ENABLE) ||
	    kvm_x86_read_guest_as(vcpu->vcpu.kvm, 0,
				  (msr & HV_X64_MSR_VP_ASSIST_PAGE_ADDRESS_MASK) +
				  off, data, len))
		return -ENOENT;
	return 0;
}
EXPORT_SYMBOL_GPL(kvm_hv_vp_assist_read);

/**
 * kvm_hv_enforce_cpuid() - KVM_ENABLE_CAP(KVM_CAP_HYPERV_ENFORCE_CPUID)
 * @vcpu: the vCPU
 * @on: only the features of the vCPU's Hyper-V CPUID leaves work
 */
void kvm_hv_enforce_cpuid(struct kvm_x86_vcpu *vcpu, bool on)
{
	vcpu->hv.enforce_cpuid = on;
}
