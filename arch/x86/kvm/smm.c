// SPDX-License-Identifier: GPL-2.0-only
/*
 * System management mode, as guest firmware uses it (SeaBIOS relocates
 * SMBASE at boot, OVMF keeps its variable store behind SMM).
 *
 * The processor is never really in SMM: we emulate entering and leaving
 * it.  An SMI (KVM_SMI, an SMI IPI, or one userspace left pending in
 * KVM_SET_VCPU_EVENTS) is taken before the next instruction: the vCPU's
 * state goes to the state save area at SMBASE + 0xfe00, in the AMD64
 * layout (AMD64 APM vol. 2, 10.2.3) whatever the vendor, and the vCPU
 * continues at SMBASE + 0x8000 in big real mode, with interrupts and NMIs
 * blocked, seeing memory slot address space 1.  RSM there raises #UD on
 * the processor (which is not in SMM), the backend hands the #UD to the
 * emulator, and it ends SMM here, with the state from the save area --
 * where the handler may have changed it, SMBASE above all.
 */
#include <linux/kvm.h>
#include <linux/slab.h>
#include <linux/static_call.h>
#include <asm/debugreg.h>

#include "x86.h"

#define SMM_SAVE_AREA		0xfe00	/* from SMBASE */
#define SMM_ENTRY		0x8000	/* RIP; CS base is SMBASE */
#define SMM_REVISION		0x00020064	/* AMD64 layout, SMBASE relocation */
#define SMBASE_RESET		0x30000

/* A segment in the save area: AMD's 12-bit attribute form. */
struct smm_segment {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
} __packed;

/* A descriptor table register in the save area. */
struct smm_dtable {
	u32 reserved;
	u32 limit;
	u64 base;
} __packed;

/* The AMD64 state save area, SMBASE + 0xfe00 to SMBASE + 0xffff. */
struct smm_save_area {
	struct smm_segment es, cs, ss, ds, fs, gs;	/* 0xfe00 */
	struct smm_dtable gdtr;				/* 0xfe60 */
	struct smm_segment ldtr;			/* 0xfe70 */
	struct smm_dtable idtr;				/* 0xfe80 */
	struct smm_segment tr;				/* 0xfe90 */
	u64 io_restart_regs[4];				/* 0xfea0 */
	u32 io_restart_info;				/* 0xfec0 */
	u32 reserved1;
	u8 io_restart;					/* 0xfec8 */
	u8 auto_halt_restart;				/* 0xfec9 */
	u8 reserved2[6];
	u64 efer;					/* 0xfed0 */
	u64 svm_state[3];				/* 0xfed8 */
	u8 reserved3[12];
	u32 revision;					/* 0xfefc */
	u32 smbase;					/* 0xff00 */
	u8 reserved4[28];
	u64 guest_pat;					/* 0xff20 */
	u64 svm_host_state[4];				/* 0xff28 */
	u64 cr4, cr3, cr0, dr7, dr6, rflags, rip;	/* 0xff48 */
	u64 gprs[NR_VCPU_REGS];				/* 0xff80: R15 first */
} __packed;
static_assert(sizeof(struct smm_save_area) == 0x200);
static_assert(offsetof(struct smm_save_area, revision) == 0xfc);
static_assert(offsetof(struct smm_save_area, cr4) == 0x148);

static u16 smm_attrib(const struct kvm_segment *s)
{
	return (s->type & 0xf) | s->s << 4 | (s->dpl & 3) << 5 |
	       s->present << 7 | s->avl << 8 | s->l << 9 | s->db << 10 |
	       s->g << 11;
}

static void smm_save_segment(struct smm_segment *to,
			     const struct kvm_segment *s)
{
	*to = (struct smm_segment) {
		.selector = s->selector,
		.attrib = smm_attrib(s),
		.limit = s->limit,
		.base = s->base,
	};
}

static void smm_load_segment(struct kvm_segment *s,
			     const struct smm_segment *from)
{
	u16 a = from->attrib;

	*s = (struct kvm_segment) {
		.selector = from->selector,
		.base = from->base,
		.limit = from->limit,
		.type = a & 0xf,
		.s = (a >> 4) & 1,
		.dpl = (a >> 5) & 3,
		.present = (a >> 7) & 1,
		.avl = (a >> 8) & 1,
		.l = (a >> 9) & 1,
		.db = (a >> 10) & 1,
		.g = (a >> 11) & 1,
		.unusable = !((a >> 7) & 1),
	};
}

/* A flat 4 GiB real-mode segment, code (type 0xb) or data (type 3). */
static void smm_flat_segment(struct kvm_segment *s, u16 selector, u64 base,
			     u8 type)
{
	*s = (struct kvm_segment) {
		.selector = selector,
		.base = base,
		.limit = 0xffffffff,
		.type = type,
		.s = 1,
		.present = 1,
		.g = 1,
	};
}

static gpa_t smm_save_gpa(struct kvm_x86_vcpu *vcpu)
{
	return (u32)vcpu->smm.smbase + SMM_SAVE_AREA;
}

/* Move the vCPU to the other memory slot address space. */
static void smm_set_mode(struct kvm_x86_vcpu *vcpu, bool in_smm)
{
	vcpu->smm.active = in_smm;
	kvm_mmu_load(vcpu);
}

/**
 * kvm_smm_enter() - take a pending SMI
 * @vcpu: the vCPU, loaded, in its SRCU read side, not in SMM
 *
 * A save area the VM has no memory for leaves the vCPU nowhere to go
 * back to: that is a triple fault.  (The save area is allocated: it and
 * the registers would make a large stack frame.)
 *
 * Return: 0, or -ENOMEM with the SMI still pending.
 */
int kvm_smm_enter(struct kvm_x86_vcpu *vcpu)
{
	struct smm_save_area *sa __free(kfree) = kzalloc(sizeof(*sa),
							  GFP_KERNEL_ACCOUNT);
	struct kvm_sregs sregs;
	int i;

	if (!sa)
		return -ENOMEM;
	vcpu->smm.pending = false;
	kvm_x86_get_sregs(vcpu, &sregs);
	smm_save_segment(&sa->es, &sregs.es);
	smm_save_segment(&sa->cs, &sregs.cs);
	smm_save_segment(&sa->ss, &sregs.ss);
	smm_save_segment(&sa->ds, &sregs.ds);
	smm_save_segment(&sa->fs, &sregs.fs);
	smm_save_segment(&sa->gs, &sregs.gs);
	smm_save_segment(&sa->ldtr, &sregs.ldt);
	smm_save_segment(&sa->tr, &sregs.tr);
	sa->gdtr = (struct smm_dtable) {
		.limit = sregs.gdt.limit, .base = sregs.gdt.base,
	};
	sa->idtr = (struct smm_dtable) {
		.limit = sregs.idt.limit, .base = sregs.idt.base,
	};
	sa->efer = sregs.efer;
	sa->cr0 = sregs.cr0;
	sa->cr3 = sregs.cr3;
	sa->cr4 = sregs.cr4;
	sa->dr6 = vcpu->dr6;
	sa->dr7 = vcpu->dr7;
	sa->rflags = vcpu->rflags;
	sa->rip = vcpu->rip;
	for (i = 0; i < NR_VCPU_REGS; i++)
		sa->gprs[NR_VCPU_REGS - 1 - i] = vcpu->regs[i];
	sa->revision = SMM_REVISION;
	sa->smbase = vcpu->smm.smbase;
	/* An SMI ends HLT; RSM goes back to it unless the handler says no. */
	if (vcpu->lapic && vcpu->mp_state == KVM_MP_STATE_HALTED) {
		sa->auto_halt_restart = 1;
		vcpu->mp_state = KVM_MP_STATE_RUNNABLE;
	}

	smm_set_mode(vcpu, true);
	if (kvm_x86_write_guest_as(vcpu->vcpu.kvm, 1, smm_save_gpa(vcpu), sa,
				   sizeof(*sa))) {
		kvm_make_request(&vcpu->vcpu, KVM_REQ_TRIPLE_FAULT);
		return 0;
	}

	/* SMM blocks NMIs; RSM unblocks them unless an NMI handler ran. */
	vcpu->smm.inside_nmi = static_call(kvm_x86_get_nmi_mask)(vcpu);
	/* SMM is outside VMX or SVM operation: the backend leaves it. */
	kvm_x86_nested_smm(vcpu, true);
	static_call(kvm_x86_set_nmi_mask)(vcpu, true);
	static_call_cond(kvm_x86_set_interrupt_shadow)(vcpu, 0);

	smm_flat_segment(&sregs.cs, (vcpu->smm.smbase >> 4) & 0xffff,
			 (u32)vcpu->smm.smbase, 0xb);
	smm_flat_segment(&sregs.ds, 0, 0, 3);
	sregs.es = sregs.ds;
	sregs.ss = sregs.ds;
	sregs.fs = sregs.ds;
	sregs.gs = sregs.ds;
	sregs.cr0 &= ~(X86_CR0_PE | X86_CR0_EM | X86_CR0_TS | X86_CR0_PG);
	sregs.cr4 = 0;
	sregs.efer = 0;
	static_call(kvm_x86_set_sregs)(vcpu, &sregs);
	vcpu->rip = SMM_ENTRY;
	vcpu->rflags = X86_EFLAGS_FIXED;
	vcpu->dr7 = DR7_FIXED_1;
	return 0;
}

/**
 * kvm_smm_leave() - RSM
 * @vcpu: the vCPU, loaded, in its SRCU read side, in SMM
 *
 * Everything comes back from the save area.  State no processor could be
 * in (paging without protection, say) is a triple fault, as a processor
 * that cannot resume would shut down.
 *
 * Return: 0, or -ENOMEM.
 */
int kvm_smm_leave(struct kvm_x86_vcpu *vcpu)
{
	struct smm_save_area *sa __free(kfree) = kmalloc(sizeof(*sa),
							  GFP_KERNEL_ACCOUNT);
	struct kvm_sregs sregs;
	int i;

	if (!sa)
		return -ENOMEM;
	if (kvm_x86_read_guest_as(vcpu->vcpu.kvm, 1, smm_save_gpa(vcpu), sa,
				  sizeof(*sa))) {
		kvm_make_request(&vcpu->vcpu, KVM_REQ_TRIPLE_FAULT);
		return 0;
	}
	smm_set_mode(vcpu, false);
	/* Back into VMX or SVM operation, and into the nested guest. */
	if (kvm_x86_nested_smm(vcpu, false)) {
		kvm_make_request(&vcpu->vcpu, KVM_REQ_TRIPLE_FAULT);
		return 0;
	}

	kvm_x86_get_sregs(vcpu, &sregs);
	smm_load_segment(&sregs.es, &sa->es);
	smm_load_segment(&sregs.cs, &sa->cs);
	smm_load_segment(&sregs.ss, &sa->ss);
	smm_load_segment(&sregs.ds, &sa->ds);
	smm_load_segment(&sregs.fs, &sa->fs);
	smm_load_segment(&sregs.gs, &sa->gs);
	smm_load_segment(&sregs.ldt, &sa->ldtr);
	smm_load_segment(&sregs.tr, &sa->tr);
	sregs.gdt.limit = sa->gdtr.limit;
	sregs.gdt.base = sa->gdtr.base;
	sregs.idt.limit = sa->idtr.limit;
	sregs.idt.base = sa->idtr.base;
	sregs.efer = sa->efer;
	sregs.cr0 = sa->cr0;
	sregs.cr3 = sa->cr3;
	sregs.cr4 = sa->cr4;
	if (kvm_x86_set_sregs(vcpu, &sregs) ||
	    kvm_x86_set_dr(vcpu, 6, (u32)sa->dr6) ||
	    kvm_x86_set_dr(vcpu, 7, (u32)sa->dr7)) {
		kvm_make_request(&vcpu->vcpu, KVM_REQ_TRIPLE_FAULT);
		return 0;
	}
	vcpu->rflags = sa->rflags | X86_EFLAGS_FIXED;
	vcpu->rip = sa->rip;
	for (i = 0; i < NR_VCPU_REGS; i++)
		vcpu->regs[i] = sa->gprs[NR_VCPU_REGS - 1 - i];
	vcpu->smm.smbase = sa->smbase;
	static_call(kvm_x86_set_nmi_mask)(vcpu, vcpu->smm.inside_nmi);
	if (vcpu->lapic && (sa->auto_halt_restart & 1))
		vcpu->mp_state = KVM_MP_STATE_HALTED;
	return 0;
}

/**
 * kvm_smm_reset() - no SMM after RESET, SMBASE at its default
 * @vcpu: the vCPU
 */
void kvm_smm_reset(struct kvm_x86_vcpu *vcpu)
{
	vcpu->smm.pending = false;
	vcpu->smm.inside_nmi = false;
	vcpu->smm.smbase = SMBASE_RESET;
	if (vcpu->smm.active)
		smm_set_mode(vcpu, false);
}

/**
 * kvm_smm_get_events() - the SMM part of KVM_GET_VCPU_EVENTS
 * @vcpu: the vCPU
 * @ev: filled in
 */
void kvm_smm_get_events(struct kvm_x86_vcpu *vcpu, struct kvm_vcpu_events *ev)
{
	ev->smi.smm = vcpu->smm.active;
	ev->smi.pending = vcpu->smm.pending;
	ev->smi.smm_inside_nmi = vcpu->smm.inside_nmi;
	ev->smi.latched_init = vcpu->lapic && kvm_lapic_init_latched(vcpu);
}

/**
 * kvm_smm_set_events() - the SMM part of KVM_SET_VCPU_EVENTS
 * @vcpu: the vCPU, loaded
 * @ev: as userspace gave it, with KVM_VCPUEVENT_VALID_SMM
 *
 * Entering or leaving SMM this way only switches the mode: the state
 * that goes with it (registers, save area) comes from the other ioctls
 * and from guest memory, as in the save that userspace restores.
 *
 * Return: 0, or -EINVAL for a latched INIT without an in-kernel APIC or
 * outside SMM.
 */
int kvm_smm_set_events(struct kvm_x86_vcpu *vcpu,
		       const struct kvm_vcpu_events *ev)
{
	if (ev->smi.latched_init && (!vcpu->lapic || !ev->smi.smm))
		return -EINVAL;
	if (!!ev->smi.smm != vcpu->smm.active)
		smm_set_mode(vcpu, ev->smi.smm);
	vcpu->smm.pending = ev->smi.pending;
	vcpu->smm.inside_nmi = ev->smi.smm && ev->smi.smm_inside_nmi;
	if (ev->smi.latched_init)
		kvm_lapic_latch_init(vcpu);
	return 0;
}

/**
 * kvm_smm_raise() - an SMI for the vCPU (KVM_SMI or an SMI IPI)
 * @vcpu: the vCPU
 *
 * SMIs do not queue: one is pending at most, and one that comes in SMM
 * waits for RSM.
 */
void kvm_smm_raise(struct kvm_x86_vcpu *vcpu)
{
	WRITE_ONCE(vcpu->smm.pending, true);
	kvm_vcpu_kick(&vcpu->vcpu);
}
