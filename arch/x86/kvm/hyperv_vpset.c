// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hyper-V hypercalls that act on a set of virtual processors (TLFS
 * "Virtual Processor Management" and "Virtual MMU"): an interrupt to each
 * (HvCallSendSyntheticClusterIpi and its Ex form) and a flush of their
 * TLBs (HvCallFlushVirtualAddressSpace/List and their Ex forms).
 *
 * VPs are named by HV_X64_MSR_VP_INDEX.  The plain calls take a 64-bit
 * mask of VPs 0-63; the Ex calls a set in the generic format: all VPs, or
 * a bank mask whose set bits say which 64-VP banks follow (in the
 * variable header).  The input is in guest memory, or for fast calls in
 * RDX, R8 and then XMM0-XMM5, read here as one stream either way.
 *
 * A flush drops every translation of every vCPU of the VM before the
 * caller goes on: more than asked (one address space, a list of pages,
 * some VPs), which the TLFS allows, and the guest page tables' changes
 * are visible on all of them at once.
 */
#include <linux/bitops.h>
#include <linux/kvm.h>
#include <asm/apicdef.h>
#include <asm/hyperv-tlfs.h>

#include "x86.h"
#include "lapic.h"

/* What an IPI may send (the VTL and reserved bytes above must be 0). */
#define HV_IPI_VECTOR_MIN	0x10
#define HV_IPI_VECTOR_MAX	0xff

/* A set of VPs: all, or the banks @mask names, in order, in @banks. */
struct hv_vp_set {
	bool all;
	u64 mask;
	u64 banks[HV_MAX_SPARSE_VCPU_BANKS];
};

/* What each call is: its input before the set, and what offers it. */
struct hv_vpset_call {
	u16 code;
	bool ex;	/* the generic set format, after @head */
	bool rep;	/* a rep call (a list of pages) */
	bool ipi;
	u8 head;	/* bytes of fixed input before the set */
	u32 needs;	/* HYPERV_CPUID_ENLIGHTMENT_INFO bits it needs */
};

#define HV_FLUSH_NEEDS	HV_X64_REMOTE_TLB_FLUSH_RECOMMENDED
#define HV_IPI_NEEDS	HV_X64_CLUSTER_IPI_RECOMMENDED
#define HV_EX_NEEDS	HV_X64_EX_PROCESSOR_MASKS_RECOMMENDED

static const struct hv_vpset_call hv_vpset_calls[] = {
	{ .code = HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE, .head = 16,
	  .needs = HV_FLUSH_NEEDS },
	{ .code = HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST, .rep = true, .head = 16,
	  .needs = HV_FLUSH_NEEDS },
	{ .code = HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX, .ex = true,
	  .head = 16, .needs = HV_FLUSH_NEEDS | HV_EX_NEEDS },
	{ .code = HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST_EX, .ex = true,
	  .rep = true, .head = 16, .needs = HV_FLUSH_NEEDS | HV_EX_NEEDS },
	{ .code = HVCALL_SEND_IPI, .ipi = true, .head = 8,
	  .needs = HV_IPI_NEEDS },
	{ .code = HVCALL_SEND_IPI_EX, .ex = true, .ipi = true, .head = 8,
	  .needs = HV_IPI_NEEDS | HV_EX_NEEDS },
};

static const struct hv_vpset_call *hv_vpset_find(u16 code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hv_vpset_calls); i++)
		if (hv_vpset_calls[i].code == code)
			return &hv_vpset_calls[i];
	return NULL;
}

/**
 * kvm_hv_is_vpset_call() - is @code handled by kvm_hv_vpset_hypercall()?
 * @code: a hypercall code
 *
 * Return: true for the IPI and TLB flush hypercalls.
 */
bool kvm_hv_is_vpset_call(u16 code)
{
	return hv_vpset_find(code);
}

/*
 * Does the fast form of the call take more than RDX and R8?  All but
 * the plain IPI, whose vector and mask fit there.
 */
static bool hv_uses_xmm(const struct kvm_hv_hcall *hc)
{
	const struct hv_vpset_call *call = hv_vpset_find(hc->code);

	return hc->fast && call && call->code != HVCALL_SEND_IPI;
}

/**
 * kvm_hv_xmm_input_denied() - must this hypercall raise #UD?
 * @vcpu: the calling vCPU
 * @hc: the hypercall
 *
 * With KVM_CAP_HYPERV_ENFORCE_CPUID, input in XMM registers needs
 * HV_X64_HYPERCALL_XMM_INPUT_AVAILABLE; a guest that uses it without is
 * wrong about the hypervisor, and gets #UD, as upstream's does.
 *
 * Return: true if the caller should raise #UD instead of the call.
 */
bool kvm_hv_xmm_input_denied(struct kvm_x86_vcpu *vcpu,
			     const struct kvm_hv_hcall *hc)
{
	return hv_uses_xmm(hc) && vcpu->hv.enforce_cpuid &&
	       !(vcpu->hv.features[2] & HV_X64_HYPERCALL_XMM_INPUT_AVAILABLE);
}

/* @len bytes of input at @off, from memory or the fast registers. */
static int hv_read_input(struct kvm_x86_vcpu *vcpu,
			 const struct kvm_hv_hcall *hc, unsigned int off,
			 void *dst, unsigned int len)
{
	if (!hc->fast)
		return kvm_x86_read_guest_as(vcpu->vcpu.kvm, 0,
					     hc->in_gpa + off, dst, len);
	if (off + len > sizeof(hc->fast_in))
		return -EINVAL;
	memcpy(dst, (const u8 *)hc->fast_in + off, len);
	return 0;
}

/*
 * Read the set at @off: a processor mask, or the generic format (format,
 * bank mask, then as many banks as the variable header holds -- exactly
 * one per bit of the mask).  Return: an HV_STATUS_*.
 */
static u64 hv_read_vp_set(struct kvm_x86_vcpu *vcpu,
			  const struct kvm_hv_hcall *hc,
			  const struct hv_vpset_call *call, unsigned int off,
			  struct hv_vp_set *set)
{
	u64 head[2];

	set->all = false;
	if (!call->ex) {
		set->mask = 1;
		return hv_read_input(vcpu, hc, off, &set->banks[0], 8) ?
		       HV_STATUS_INVALID_HYPERCALL_INPUT : HV_STATUS_SUCCESS;
	}
	if (hv_read_input(vcpu, hc, off, head, sizeof(head)))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (head[0] == HV_GENERIC_SET_ALL) {
		set->all = true;
		return HV_STATUS_SUCCESS;
	}
	if (head[0] != HV_GENERIC_SET_SPARSE_4K ||
	    hweight64(head[1]) != hc->var_cnt)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	set->mask = head[1];
	if (hc->var_cnt &&
	    hv_read_input(vcpu, hc, off + sizeof(head), set->banks,
			  hc->var_cnt * sizeof(u64)))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	return HV_STATUS_SUCCESS;
}

static bool hv_vp_set_has(const struct hv_vp_set *set, u32 vp)
{
	unsigned int bank = vp / 64;

	if (set->all)
		return true;
	if (bank >= 64 || !(set->mask & BIT_ULL(bank)))
		return false;
	return set->banks[hweight64(set->mask & GENMASK_ULL(bank, 0)) - 1] &
	       BIT_ULL(vp % 64);
}

static bool hv_vp_set_empty(const struct hv_vp_set *set)
{
	unsigned int i;

	if (set->all)
		return false;
	for (i = 0; i < hweight64(set->mask); i++)
		if (set->banks[i])
			return false;
	return true;
}

/* Deliver @vector, a fixed edge interrupt, to every VP in @set. */
static void hv_send_ipi(struct kvm_x86_vcpu *me, const struct hv_vp_set *set,
			u8 vector)
{
	struct kvm_lapic_irq irq = {
		.vector = vector,
		.mode = APIC_DELIVERY_MODE_FIXED,
		.source = me,
	};
	struct kvm_vcpu *v;
	unsigned long i;

	xa_for_each(&me->vcpu.kvm->vcpus, i, v) {
		struct kvm_x86_vcpu *target = to_x86_vcpu(v);

		if (hv_vp_set_has(set, READ_ONCE(target->hv.vp_index)))
			kvm_lapic_deliver(target, &irq);
	}
}

/**
 * kvm_hv_vpset_hypercall() - an IPI or TLB flush hypercall
 * @vcpu: the calling vCPU
 * @hc: the hypercall, one kvm_hv_is_vpset_call() knows
 *
 * Return: the hypercall's result: an HV_STATUS_*, and for a rep call the
 * reps completed (all of them).
 */
u64 kvm_hv_vpset_hypercall(struct kvm_x86_vcpu *vcpu, struct kvm_hv_hcall *hc)
{
	const struct hv_vpset_call *call = hv_vpset_find(hc->code);
	struct hv_vp_set set;
	u64 fixed[2], status;
	u32 vector;

	if (vcpu->hv.enforce_cpuid &&
	    (vcpu->hv.recommended & call->needs) != call->needs)
		return HV_STATUS_ACCESS_DENIED;
	if ((!call->rep && hc->rep_cnt) || (!call->ex && hc->var_cnt))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (hv_uses_xmm(hc))
		kvm_x86_get_xmm(vcpu, &hc->fast_in[2]);

	/* IPI: vector, VTL, reserved; flush: address space, flags. */
	if (hv_read_input(vcpu, hc, 0, fixed, call->head))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	status = hv_read_vp_set(vcpu, hc, call, call->head, &set);
	if (status != HV_STATUS_SUCCESS)
		return status;

	if (call->ipi) {
		/* An empty set sends nothing, whatever the vector. */
		if (call->ex && hv_vp_set_empty(&set))
			return HV_STATUS_SUCCESS;
		vector = fixed[0];
		if (fixed[0] >> 32 || vector < HV_IPI_VECTOR_MIN ||
		    vector > HV_IPI_VECTOR_MAX)
			return HV_STATUS_INVALID_HYPERCALL_INPUT;
		hv_send_ipi(vcpu, &set, vector);
		return HV_STATUS_SUCCESS;
	}

	if ((fixed[1] & HV_FLUSH_ALL_PROCESSORS) || !hv_vp_set_empty(&set))
		kvm_make_all_vcpus_request(vcpu->vcpu.kvm, KVM_REQ_TLB_FLUSH);
	return HV_STATUS_SUCCESS |
	       (u64)hc->rep_cnt << HV_HYPERCALL_REP_COMP_OFFSET;
}

/**
 * kvm_hv_nested_flush() - a TLB flush hypercall of the guest's own guest
 * @vcpu: the vCPU, in its nested guest (L2), at a VMCALL or VMMCALL; its
 *	hypervisor (L1) enabled the nested flush hypercall in L2's VMCS or
 *	VMCB
 * @partition_assist: L1's partition assist page, named there too
 * @trap: set if L1 holds a TLB lock there: L1 is to get a synthetic exit
 *	after the call
 *
 * Hyper-V lets L1 have its guest's TLB flush hypercalls handled without
 * an exit to it ("direct virtual flush") when L1's CPUID offers that
 * (HV_X64_NESTED_DIRECT_FLUSH) and L1 enabled it in the VMCS or VMCB and
 * direct hypercalls in its VP assist page.  The virtual processors the
 * call names are L1's to number, not ours: every vCPU of the VM flushes,
 * which is more than asked and never wrong.  Only 64-bit calls from ring
 * 0 of a guest whose hypercalls are on (its CPUID says Hyper-V and it
 * gave its OS id) are taken; L1 gets the others.  The result goes to
 * RAX; the caller skips the instruction.
 *
 * Return: true if it was such a hypercall, handled.
 */
bool kvm_hv_nested_flush(struct kvm_x86_vcpu *vcpu, u64 partition_assist,
			 bool *trap)
{
	u64 control = vcpu->regs[VCPU_RCX];
	const struct hv_vpset_call *call =
		hv_vpset_find(control & HV_HYPERCALL_RESULT_MASK);
	const struct kvm_cpuid_entry2 *nested =
		kvm_find_cpuid(vcpu, HYPERV_CPUID_NESTED_FEATURES, 0);
	struct hv_nested_enlightenments_control ctl;
	struct kvm_sregs sregs;
	u32 locks;
	u64 reps;

	if (!call || call->ipi || !kvm_hv_hypercall_enabled(vcpu) ||
	    !nested || !(nested->eax & HV_X64_NESTED_DIRECT_FLUSH) ||
	    kvm_hv_vp_assist_read(vcpu, offsetof(struct hv_vp_assist_page,
						 nested_control),
				  &ctl, sizeof(ctl)) ||
	    !ctl.features.directhypercall)
		return false;
	static_call(kvm_x86_get_sregs)(vcpu, &sregs);
	if (!(sregs.efer & EFER_LMA) || !sregs.cs.l ||
	    kvm_x86_cpl(&sregs, vcpu->rflags))
		return false;
	reps = call->rep ? control & HV_HYPERCALL_REP_COMP_MASK : 0;
	kvm_make_all_vcpus_request(vcpu->vcpu.kvm, KVM_REQ_TLB_FLUSH);
	vcpu->regs[VCPU_RAX] = HV_STATUS_SUCCESS | reps;
	*trap = partition_assist &&
		!kvm_x86_read_guest_as(vcpu->vcpu.kvm, 0, partition_assist,
				       &locks, sizeof(locks)) && locks;
	return true;
}
EXPORT_SYMBOL_GPL(kvm_hv_nested_flush);
