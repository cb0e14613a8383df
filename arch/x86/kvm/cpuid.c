// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest CPUID: what we can virtualize (KVM_GET_SUPPORTED_CPUID), what
 * userspace gives each vCPU (KVM_SET_CPUID2, KVM_GET_CPUID2) and the CPUID
 * instruction, which always exits and is answered from that table.
 *
 * The supported table is the host's CPUID with every feature removed that
 * needs state or exits we do not handle yet: a guest that sees a feature
 * must be able to use it.  Userspace may set anything; the guest gets
 * exactly what userspace set.
 */
#include <linux/kvm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/cpuid.h>
#include <asm/fpu/xstate.h>
#include <asm/kvm_para.h>
#include <asm/msr-index.h>
#include <asm/trapnr.h>

#include "x86.h"

/* Most entries a CPUID table may have, as upstream KVM. */
#define KVM_MAX_CPUID_ENTRIES	256

/* The hypervisor leaves: "KVMKVMKVM\0\0\0" and kvmclock. */
#define KVM_SIGNATURE_EBX	0x4b4d564b
#define KVM_SIGNATURE_ECX	0x564b4d56
#define KVM_SIGNATURE_EDX	0x4d

/* CPUID.1:ECX and EDX features a guest may use. */
#define LEAF1_ECX	(BIT(0) | BIT(1) | BIT(9) | BIT(13) | BIT(17) | \
			 BIT(19) | BIT(20) | BIT(22) | BIT(23) | BIT(25) | \
			 BIT(30))
#define LEAF1_EDX	(BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | \
			 BIT(6) | BIT(8) | BIT(9) | BIT(11) | BIT(12) | \
			 BIT(13) | BIT(15) | BIT(16) | BIT(17) | BIT(19) | \
			 BIT(23) | BIT(24) | BIT(25) | BIT(26))
/* CPUID.1:ECX features with XSAVE state: XSAVE; FMA, AVX and F16C. */
#define LEAF1_ECX_MONITOR BIT(3)
#define LEAF1_ECX_X2APIC BIT(21)
#define LEAF1_ECX_XSAVE	BIT(26)
#define LEAF1_ECX_OSXSAVE BIT(27)
#define LEAF1_ECX_AVX	(BIT(12) | BIT(28) | BIT(29))
/* CPUID.7.0:EBX and ECX. */
#define LEAF7_EBX	(BIT(0) | BIT(3) | BIT(7) | BIT(8) | BIT(9) | \
			 BIT(18) | BIT(19) | BIT(20) | BIT(23) | BIT(24) | \
			 BIT(29))
#define LEAF7_ECX	BIT(2)
#define LEAF7_EBX_AVX2	BIT(5)
/* IA32_TSC_ADJUST, which msr.c keeps whatever the host has. */
#define LEAF7_EBX_TSC_ADJUST BIT(1)
/* CPUID.0xD.1:EAX: XSAVEOPT, XSAVEC, XGETBV with ECX = 1 (no XSAVES). */
#define LEAFD1_EAX	(BIT(0) | BIT(1) | BIT(2))
/* CPUID.80000001H:ECX and EDX. */
#define EXT1_ECX	(BIT(0) | BIT(5) | BIT(6) | BIT(8))
#define EXT1_EDX	(BIT(11) | BIT(20) | BIT(26) | BIT(29))

struct cpuid_table {
	struct kvm_cpuid_entry2 *entries;
	unsigned int nent;
	unsigned int max;
};

static struct kvm_cpuid_entry2 *cpuid_add(struct cpuid_table *t, u32 function,
					  u32 index, u32 flags)
{
	struct kvm_cpuid_entry2 *e;

	if (t->nent >= t->max)
		return NULL;
	e = &t->entries[t->nent++];
	e->function = function;
	e->index = index;
	e->flags = flags;
	cpuid_count(function, index, &e->eax, &e->ebx, &e->ecx, &e->edx);
	return e;
}

/* Leaf 0xD: the XCR0 components and the XSAVE area, as we offer them. */
static void cpuid_fill_xsave(struct cpuid_table *t, u64 xcr0)
{
	struct kvm_cpuid_entry2 *e;
	int i;

	e = cpuid_add(t, 0xd, 0, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
	if (e) {
		e->eax = xcr0;
		e->edx = xcr0 >> 32;
		e->ebx = kvm_x86_xsave_size_for(xcr0);
		e->ecx = e->ebx;
	}
	e = cpuid_add(t, 0xd, 1, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
	if (e) {
		e->eax &= LEAFD1_EAX;
		e->ebx = 0;
		e->ecx = 0;
		e->edx = 0;
	}
	/* Size, offset and alignment of each component, as the host's. */
	for (i = 2; i < 64; i++) {
		if (!(xcr0 & BIT_ULL(i)))
			continue;
		e = cpuid_add(t, 0xd, i, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
		if (e)
			e->edx = 0;
	}
}

static void cpuid_fill_basic(struct cpuid_table *t, u32 max)
{
	u64 xcr0 = kvm_x86_xcr0_supported();
	struct kvm_cpuid_entry2 *e;
	u32 i;

	e = cpuid_add(t, 0, 0, 0);
	if (e)
		e->eax = max;

	e = cpuid_add(t, 1, 0, 0);
	if (e) {
		/* Keep the CLFLUSH line size; the APIC id is userspace's. */
		e->ebx &= 0xff00;
		e->ecx &= LEAF1_ECX | (xcr0 ? LEAF1_ECX_XSAVE : 0) |
			  (xcr0 & XFEATURE_MASK_YMM ? LEAF1_ECX_AVX : 0);
		/*
		 * The in-kernel APIC has x2APIC whatever the host has.  Its
		 * TSC-deadline timer is offered by KVM_CAP_TSC_DEADLINE_TIMER
		 * (VMMs set the bit), as upstream.
		 */
		e->ecx |= LEAF1_ECX_X2APIC;
		e->edx &= LEAF1_EDX;
		kvm_x86_nested_cpuid(e);
	}
	if (max >= 2)
		cpuid_add(t, 2, 0, 0);
	/* Cache parameters: one subleaf per cache, until type 0. */
	for (i = 0; max >= 4 && i < 8; i++) {
		e = cpuid_add(t, 4, i, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
		if (!e || !(e->eax & 0x1f))
			break;
	}
	if (max >= 7) {
		e = cpuid_add(t, 7, 0, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
		if (e) {
			e->eax = 0;
			e->ebx &= LEAF7_EBX |
				  (xcr0 & XFEATURE_MASK_YMM ? LEAF7_EBX_AVX2 : 0);
			e->ebx |= LEAF7_EBX_TSC_ADJUST;
			e->ecx &= LEAF7_ECX;
			e->edx = 0;
		}
	}
	if (max >= 0xd && xcr0)
		cpuid_fill_xsave(t, xcr0);
}

static void cpuid_fill_hypervisor(struct cpuid_table *t)
{
	struct kvm_cpuid_entry2 *e;

	e = cpuid_add(t, KVM_CPUID_SIGNATURE, 0, 0);
	if (e) {
		e->eax = KVM_CPUID_FEATURES;
		e->ebx = KVM_SIGNATURE_EBX;
		e->ecx = KVM_SIGNATURE_ECX;
		e->edx = KVM_SIGNATURE_EDX;
	}
	e = cpuid_add(t, KVM_CPUID_FEATURES, 0, 0);
	if (e) {
		memset(&e->eax, 0, 4 * sizeof(e->eax));
		/*
		 * kvmclock, the hint that I/O delays (writes to port 0x80)
		 * are pointless: nothing behind the ports needs time, steal
		 * time, and the hypercalls of hypercall.c.
		 */
		e->eax = BIT(KVM_FEATURE_NOP_IO_DELAY) |
			 BIT(KVM_FEATURE_CLOCKSOURCE) |
			 BIT(KVM_FEATURE_CLOCKSOURCE2) |
			 BIT(KVM_FEATURE_CLOCKSOURCE_STABLE_BIT) |
			 BIT(KVM_FEATURE_STEAL_TIME) |
			 BIT(KVM_FEATURE_PV_UNHALT) |
			 BIT(KVM_FEATURE_PV_SEND_IPI) |
			 BIT(KVM_FEATURE_PV_SCHED_YIELD);
	}
}

static void cpuid_fill_extended(struct cpuid_table *t, u32 max)
{
	struct kvm_cpuid_entry2 *e;
	u32 f;

	e = cpuid_add(t, 0x80000000, 0, 0);
	if (e)
		e->eax = max;
	e = cpuid_add(t, 0x80000001, 0, 0);
	if (e) {
		e->ecx &= EXT1_ECX;
		e->edx &= EXT1_EDX;
		kvm_x86_nested_cpuid(e);
	}
	/* Brand string and cache descriptions, as the host's. */
	for (f = 0x80000002; f <= min(max, 0x80000006U); f++)
		cpuid_add(t, f, 0, 0);
	if (max >= 0x80000008) {
		e = cpuid_add(t, 0x80000008, 0, 0);
		if (e) {
			/* Physical and virtual address sizes only. */
			e->eax &= 0xffff;
			e->ebx = 0;
			e->ecx = 0;
			e->edx = 0;
		}
	}
}

/*
 * The SVM leaf, 0x8000000a, where nested SVM offers itself; the largest
 * extended leaf grows to it then.
 */
static void cpuid_fill_nested(struct cpuid_table *t, u32 host_max)
{
	struct kvm_cpuid_entry2 svm = { .function = 0x8000000a }, *e;
	unsigned int i;

	if (host_max < 0x8000000a)
		return;
	kvm_x86_nested_cpuid(&svm);
	if (!svm.eax)
		return;
	e = cpuid_add(t, 0x8000000a, 0, 0);
	if (!e)
		return;
	*e = svm;
	for (i = 0; i < t->nent; i++)
		if (t->entries[i].function == 0x80000000)
			t->entries[i].eax = 0x8000000a;
}

/*
 * Give userspace @nent entries in a struct kvm_cpuid2 with room for
 * @room.  As upstream, a buffer that is too small gets -E2BIG with its
 * nent unchanged.
 */
static long cpuid_copy_to_user(struct kvm_cpuid2 __user *ucpuid, u32 room,
			       const struct kvm_cpuid_entry2 *entries,
			       u32 nent)
{
	if (room < nent)
		return -E2BIG;
	if (copy_to_user(ucpuid->entries, entries, nent * sizeof(*entries)) ||
	    put_user(nent, &ucpuid->nent))
		return -EFAULT;
	return 0;
}

/**
 * kvm_get_supported_cpuid() - KVM_GET_SUPPORTED_CPUID
 * @argp: struct kvm_cpuid2 in userspace
 *
 * Return: 0 with the table and its size, -E2BIG if userspace's buffer
 * is too small, or -EFAULT/-ENOMEM.
 */
long kvm_get_supported_cpuid(void __user *argp)
{
	struct kvm_cpuid2 __user *ucpuid = argp;
	struct cpuid_table t = { .max = KVM_MAX_CPUID_ENTRIES };
	struct kvm_cpuid2 cpuid;
	long ret;

	if (copy_from_user(&cpuid, ucpuid, sizeof(cpuid)))
		return -EFAULT;
	t.entries = kcalloc(t.max, sizeof(*t.entries), GFP_KERNEL);
	if (!t.entries)
		return -ENOMEM;

	cpuid_fill_basic(&t, min(cpuid_eax(0), 0xdU));
	cpuid_fill_hypervisor(&t);
	cpuid_fill_extended(&t, min(cpuid_eax(0x80000000), 0x80000008U));
	cpuid_fill_nested(&t, cpuid_eax(0x80000000));

	ret = cpuid_copy_to_user(ucpuid, cpuid.nent, t.entries, t.nent);
	kfree(t.entries);
	return ret;
}

/*
 * Values that follow the guest's state, as on the processor:
 * CPUID.1:ECX.OSXSAVE is CR4.OSXSAVE, and CPUID.0xD.0:EBX the size of the
 * XSAVE area for XCR0.  Without KVM_X86_QUIRK_MISC_ENABLE_NO_MWAIT,
 * CPUID.1:ECX.MONITOR is also IA32_MISC_ENABLE's "enable MONITOR FSM" bit,
 * as on Intel processors.  Put them into a copy of an entry of the table.
 */
static void cpuid_runtime(struct kvm_x86_vcpu *vcpu,
			  struct kvm_cpuid_entry2 *e)
{
	if (e->function == 1) {
		e->ecx &= ~LEAF1_ECX_OSXSAVE;
		if (static_call(kvm_x86_get_cr4)(vcpu) & X86_CR4_OSXSAVE)
			e->ecx |= LEAF1_ECX_OSXSAVE;
		if (!kvm_x86_quirk(vcpu->vcpu.kvm,
				   KVM_X86_QUIRK_MISC_ENABLE_NO_MWAIT)) {
			e->ecx &= ~LEAF1_ECX_MONITOR;
			if (vcpu->misc_enable & MSR_IA32_MISC_ENABLE_MWAIT)
				e->ecx |= LEAF1_ECX_MONITOR;
		}
	} else if (e->function == 0xd && e->index == 0 && e->ebx) {
		e->ebx = kvm_x86_xsave_size_for(vcpu->xcr0);
	}
}

/* The vCPU's table as the guest would read it now, in a new array. */
static struct kvm_cpuid_entry2 *cpuid_now(struct kvm_x86_vcpu *vcpu,
					  const struct kvm_cpuid_entry2 *table,
					  u32 nent)
{
	struct kvm_cpuid_entry2 *now;
	u32 i;

	now = kmemdup_array(table, nent, sizeof(*table), GFP_KERNEL_ACCOUNT);
	if (!now)
		return NULL;
	for (i = 0; i < nent; i++)
		cpuid_runtime(vcpu, &now[i]);
	return now;
}

/*
 * The KVM features leaf: the leaf after KVM's signature, which VMMs may
 * put at 0x40000100 and so on (after Hyper-V's, say).
 */
static struct kvm_cpuid_entry2 *cpuid_kvm_features(struct kvm_cpuid_entry2 *e,
						   unsigned int nent)
{
	unsigned int i, j;

	for (i = 0; i < nent; i++) {
		if (e[i].function < KVM_CPUID_SIGNATURE ||
		    e[i].function >= KVM_CPUID_SIGNATURE + 0x10000 ||
		    (e[i].function & 0xff) || e[i].ebx != KVM_SIGNATURE_EBX ||
		    e[i].ecx != KVM_SIGNATURE_ECX ||
		    e[i].edx != KVM_SIGNATURE_EDX)
			continue;
		for (j = 0; j < nent; j++)
			if (e[j].function == e[i].function + 1)
				return &e[j];
		return NULL;
	}
	return NULL;
}

static long kvm_set_cpuid2(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_cpuid2 __user *ucpuid = argp;
	struct kvm_cpuid_entry2 *entries, *features;
	const struct kvm_cpuid_entry2 *leaf1;
	struct kvm_cpuid2 cpuid;

	if (copy_from_user(&cpuid, ucpuid, sizeof(cpuid)))
		return -EFAULT;
	if (cpuid.nent > KVM_MAX_CPUID_ENTRIES)
		return -E2BIG;
	entries = memdup_array_user(ucpuid->entries, cpuid.nent,
				    sizeof(*entries));
	if (IS_ERR(entries))
		return PTR_ERR(entries);
	/*
	 * A vCPU whose HLT does not exit cannot be woken from it by another's
	 * kick: no PV_UNHALT then (api.rst), whatever userspace offered.
	 */
	features = cpuid_kvm_features(entries, cpuid.nent);
	if (features && READ_ONCE(to_kvm_x86(vcpu->vcpu.kvm)->disabled_exits) &
			KVM_X86_DISABLE_EXITS_HLT)
		features->eax &= ~BIT(KVM_FEATURE_PV_UNHALT);
	/*
	 * The guest may have looked at its CPUID once it ran: as upstream,
	 * only the same table may be set again, as KVM_GET_CPUID2 gave it
	 * or as it was set.
	 */
	if (vcpu->has_run) {
		struct kvm_cpuid_entry2 *now = NULL, *given = NULL;
		bool same = false;

		if (cpuid.nent == vcpu->cpuid_nent) {
			now = cpuid_now(vcpu, vcpu->cpuid, cpuid.nent);
			given = cpuid_now(vcpu, entries, cpuid.nent);
			same = now && given &&
			       !memcmp(now, given, cpuid.nent * sizeof(*now));
		}
		kfree(now);
		kfree(given);
		kfree(entries);
		return same ? 0 : -EINVAL;
	}
	kfree(vcpu->cpuid);
	vcpu->cpuid = entries;
	vcpu->cpuid_nent = cpuid.nent;
	leaf1 = kvm_find_cpuid(vcpu, 1, 0);
	vcpu->xsave_offered = leaf1 && (leaf1->ecx & LEAF1_ECX_XSAVE);
	vcpu->pv_features = features ? features->eax : 0;
	kvm_hv_cpuid_changed(vcpu);
	return 0;
}

static long kvm_get_cpuid2(struct kvm_x86_vcpu *vcpu, void __user *argp)
{
	struct kvm_cpuid2 __user *ucpuid = argp;
	struct kvm_cpuid2 cpuid;

	struct kvm_cpuid_entry2 *now;
	long ret;

	if (copy_from_user(&cpuid, ucpuid, sizeof(cpuid)))
		return -EFAULT;
	/* As the guest would read it, as upstream reports it. */
	now = cpuid_now(vcpu, vcpu->cpuid, vcpu->cpuid_nent);
	if (!now && vcpu->cpuid_nent)
		return -ENOMEM;
	ret = cpuid_copy_to_user(ucpuid, cpuid.nent, now, vcpu->cpuid_nent);
	kfree(now);
	return ret;
}

/**
 * kvm_x86_cpuid_ioctl() - the CPUID ioctls of a vCPU
 * @vcpu: the vCPU
 * @ioctl: KVM_SET_CPUID2 or KVM_GET_CPUID2
 * @argp: struct kvm_cpuid2 in userspace
 *
 * Return: 0, -E2BIG for too many entries or too small a buffer, -EINVAL
 * for a different table once the vCPU ran, -EFAULT, -ENOMEM, or -ENOTTY
 * for another ioctl.
 */
long kvm_x86_cpuid_ioctl(struct kvm_x86_vcpu *vcpu, unsigned int ioctl,
			 void __user *argp)
{
	switch (ioctl) {
	case KVM_SET_CPUID2:
		return kvm_set_cpuid2(vcpu, argp);
	case KVM_GET_CPUID2:
		return kvm_get_cpuid2(vcpu, argp);
	default:
		return -ENOTTY;
	}
}

/**
 * kvm_find_cpuid() - look up the guest's CPUID entry
 * @vcpu: the vCPU
 * @function: the leaf (EAX)
 * @index: the subleaf (ECX), for leaves that have subleaves
 *
 * Return: the entry userspace set, or NULL if there is none.
 */
const struct kvm_cpuid_entry2 *kvm_find_cpuid(struct kvm_x86_vcpu *vcpu,
					      u32 function, u32 index)
{
	unsigned int i;

	for (i = 0; i < vcpu->cpuid_nent; i++) {
		const struct kvm_cpuid_entry2 *e = &vcpu->cpuid[i];

		if (e->function == function &&
		    (!(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) ||
		     e->index == index))
			return e;
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(kvm_find_cpuid);

/**
 * kvm_x86_exit_cpuid() - execute CPUID for the guest
 * @vcpu: the vCPU
 * @len: length of the instruction, to skip it
 *
 * Answers from the table userspace set: the entry for EAX (and ECX where
 * the leaf has subleaves), with what follows the guest's state, or zeros
 * if there is none.
 *
 * With CPUID faulting enabled (MSR_MISC_FEATURES_ENABLES), CPUID outside
 * ring 0 raises #GP instead.
 *
 * Return: 1, to enter the guest again.
 */
int kvm_x86_exit_cpuid(struct kvm_x86_vcpu *vcpu, unsigned int len)
{
	u32 function = vcpu->regs[VCPU_RAX], index = vcpu->regs[VCPU_RCX];
	const struct kvm_cpuid_entry2 *found;
	struct kvm_cpuid_entry2 e = {};

	if (vcpu->misc_features & MSR_MISC_FEATURES_ENABLES_CPUID_FAULT) {
		struct kvm_sregs sregs;

		static_call(kvm_x86_get_sregs)(vcpu, &sregs);
		if (kvm_x86_cpl(&sregs, vcpu->rflags)) {
			kvm_x86_queue_exception(vcpu, X86_TRAP_GP, true, 0);
			return 1;
		}
	}
	found = kvm_find_cpuid(vcpu, function, index);
	if (found) {
		e = *found;
		cpuid_runtime(vcpu, &e);
	}
	/* CPUID writes the low halves and clears the high ones. */
	vcpu->regs[VCPU_RAX] = e.eax;
	vcpu->regs[VCPU_RBX] = e.ebx;
	vcpu->regs[VCPU_RCX] = e.ecx;
	vcpu->regs[VCPU_RDX] = e.edx;
	kvm_x86_skip_insn(vcpu, len);
	return 1;
}
EXPORT_SYMBOL_GPL(kvm_x86_exit_cpuid);

/**
 * kvm_x86_exit_monitor_mwait() - execute MONITOR or MWAIT for the guest
 * @vcpu: the vCPU
 * @len: length of the instruction, to skip it
 *
 * The guest never arms a monitor on host memory: both instructions
 * complete at once, which is allowed to MWAIT (it may wake for no reason
 * the guest can see).  Guests that use them without looking at CPUID keep
 * working, as on upstream KVM.  Once userspace turns off
 * KVM_X86_QUIRK_MWAIT_NEVER_UD_FAULTS, they fault with #UD as on a
 * processor whose CPUID.1:ECX.MONITOR is clear.
 *
 * Return: 1, to enter the guest again.
 */
int kvm_x86_exit_monitor_mwait(struct kvm_x86_vcpu *vcpu, unsigned int len)
{
	struct kvm_cpuid_entry2 e = { .function = 1 };
	const struct kvm_cpuid_entry2 *found;

	if (!kvm_x86_quirk(vcpu->vcpu.kvm,
			   KVM_X86_QUIRK_MWAIT_NEVER_UD_FAULTS)) {
		found = kvm_find_cpuid(vcpu, 1, 0);
		if (found)
			e = *found;
		cpuid_runtime(vcpu, &e);
		if (!(e.ecx & LEAF1_ECX_MONITOR)) {
			kvm_x86_queue_exception(vcpu, X86_TRAP_UD, false, 0);
			return 1;
		}
	}
	kvm_x86_skip_insn(vcpu, len);
	return 1;
}
EXPORT_SYMBOL_GPL(kvm_x86_exit_monitor_mwait);
