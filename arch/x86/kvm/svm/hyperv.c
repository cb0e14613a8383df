// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hyper-V's enlightenments of nested SVM (Hyper-V TLFS, "Nested
 * Virtualization"): a guest hypervisor (L1) whose CPUID says Hyper-V may
 * use the software-reserved area of its VMCB (struct
 * hv_vmcb_enlightenments) to ask for two of them:
 *
 * - the enlightened MSR bitmap: while L1 leaves the VMCB clean bit
 *   HV_VMCB_NESTED_ENLIGHTENMENTS set, its MSR permission map is the one
 *   it had when it last cleared the bit, so L2's MSR accesses are sorted
 *   with a copy taken then;
 * - the direct flush: L2's TLB flush hypercalls are handled without an
 *   exit to L1 (kvm_hv_nested_flush()), and end in the synthetic exit
 *   HV_SVM_EXITCODE_ENL while L1's partition assist page counts a TLB
 *   lock.
 *
 * For an L1 that is not a Hyper-V guest the area is its own business and
 * means nothing here.
 */
#include <linux/kvm.h>
#include <linux/slab.h>
#include <asm/hyperv-tlfs.h>

#include "svm.h"

/* The three ranges of MSRs of the MSR permission map (APM vol. 2, 15.11). */
#define MSRPM_USED	0x1800

/**
 * svm_hv_nested_features() - what we offer a guest hypervisor on Hyper-V
 *
 * Return: HYPERV_CPUID_NESTED_FEATURES.EAX bits: the direct flush of L2's
 * TLB flush hypercalls (no enlightened VMCS: that is VMX's); 0 without
 * nested SVM.
 */
u32 svm_hv_nested_features(void)
{
	return svm_nested ? HV_X64_NESTED_DIRECT_FLUSH : 0;
}

/* L1's enlightenments, if it is a Hyper-V guest. */
static const struct hv_vmcb_enlightenments *svm_hv(struct vcpu_svm *svm)
{
	if (!svm->x86.hv.enabled)
		return NULL;
	return &svm->nested.vmcb12->control.hv_enlightenments;
}

/**
 * svm_hv_vmrun() - VMRUN: keep L1's MSR permission map as its enlightened
 *	MSR bitmap says
 * @svm: the vCPU, the VMCB12 read and checked
 *
 * The copy stays while L1 says the map is clean and runs the same VMCB;
 * otherwise it is taken again, or dropped if L1 does not use the
 * enlightenment (then the map is read from L1's memory at each access).
 */
void svm_hv_vmrun(struct vcpu_svm *svm)
{
	const struct hv_vmcb_enlightenments *hv = svm_hv(svm);
	const struct vmcb_control_area *c = &svm->nested.vmcb12->control;
	struct svm_hv_nested *h = &svm->nested.hv;
	bool on = hv && hv->hv_enlightenments_control.msr_bitmap;

	if (on && h->msrpm_valid && h->msrpm_vmcb == svm->nested.vmcb12_gpa &&
	    (c->clean & BIT(HV_VMCB_NESTED_ENLIGHTENMENTS)))
		return;
	h->msrpm_valid = false;
	if (!on)
		return;
	if (!h->msrpm)
		h->msrpm = kzalloc(MSRPM_USED, GFP_KERNEL_ACCOUNT);
	if (h->msrpm &&
	    !kvm_x86_read_guest_as(svm->x86.vcpu.kvm, 0, c->msrpm_base_pa,
				   h->msrpm, MSRPM_USED)) {
		h->msrpm_valid = true;
		h->msrpm_vmcb = svm->nested.vmcb12_gpa;
	}
}

/**
 * svm_hv_msrpm() - a byte of L1's MSR permission map, from the copy
 * @svm: the vCPU, in L2
 * @offset: the byte's offset in the map
 * @byte: the byte
 *
 * Return: true if the copy answers, false if the map is to be read from
 * L1's memory.
 */
bool svm_hv_msrpm(struct vcpu_svm *svm, unsigned int offset, u8 *byte)
{
	const struct svm_hv_nested *h = &svm->nested.hv;

	if (!h->msrpm_valid || offset >= MSRPM_USED)
		return false;
	*byte = ((const u8 *)h->msrpm)[offset];
	return true;
}

/**
 * svm_hv_l2_vmmcall() - L2's VMMCALL, handled here if it is a TLB flush
 *	that L1 lets us do
 * @svm: the vCPU, in L2, at a VMMCALL exit
 *
 * Return: true if it was handled (L2 goes on after it, or L1 gets the
 * synthetic exit), false if it is L1's.
 */
bool svm_hv_l2_vmmcall(struct vcpu_svm *svm)
{
	const struct hv_vmcb_enlightenments *hv = svm_hv(svm);
	bool trap;

	if (!hv || !hv->hv_enlightenments_control.nested_flush_hypercall ||
	    !kvm_hv_nested_flush(&svm->x86, hv->partition_assist_page, &trap))
		return false;
	svm_skip(svm, 3);
	if (trap)
		svm_nested_vmexit(svm, HV_SVM_EXITCODE_ENL,
				  HV_SVM_ENL_EXITCODE_TRAP_AFTER_FLUSH, 0);
	return true;
}

/**
 * svm_hv_free() - free the copy of L1's MSR permission map
 * @svm: the vCPU, going away
 */
void svm_hv_free(struct vcpu_svm *svm)
{
	kfree(svm->nested.hv.msrpm);
}
