// SPDX-License-Identifier: GPL-2.0-only
/*
 * AMD SVM backend of the hypervisor (kvm-amd.ko): turns SVM on in every
 * CPU, gives each vCPU a VMCB and an address space id, and runs it with
 * VMRUN and nested paging.
 */
#define pr_fmt(fmt) "kvm-amd: " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <asm/cpu_device_id.h>
#include <asm/debugreg.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include <asm/pgtable_types.h>

#include "svm.h"

/**
 * struct svm_cpu - what SVM needs in each host CPU
 * @hsave:	the host save area VMRUN uses (MSR_VM_HSAVE_PA)
 * @host_save:	where VMSAVE keeps the host state VMRUN does not switch
 * @host_save_pa: its physical address
 * @asid_generation: ASIDs handed out since the last flush of this CPU's
 *		TLB belong to this generation
 * @next_asid:	the next ASID to hand out
 * @last_vmcb:	the VMCB that last ran here, to separate the branch
 *		predictions of different vCPUs
 * @tsc_ratio:	what MSR_AMD64_TSC_RATIO holds, with TSC scaling
 */
struct svm_cpu {
	struct page *hsave;
	struct page *host_save;
	phys_addr_t host_save_pa;
	u64 asid_generation;
	u32 next_asid;
	struct vmcb *last_vmcb;
	u64 tsc_ratio;
};

/* MSR_AMD64_TSC_RATIO: 8 integer and 32 fraction bits. */
#define SVM_TSC_RATIO_FRAC_BITS	32

/* Read by VMMs and selftests; fixed: NPT is required, AVIC not used. */
static bool npt = true;
module_param(npt, bool, 0444);
MODULE_PARM_DESC(npt, "nested page tables (required: always Y)");
static bool avic;
module_param(avic, bool, 0444);
MODULE_PARM_DESC(avic, "AVIC interrupt virtualization (not used: N)");
bool svm_nested = true;
module_param_named(nested, svm_nested, bool, 0444);
MODULE_PARM_DESC(nested, "let guests run guests of their own (nested SVM)");

static DEFINE_PER_CPU(struct svm_cpu, svm_cpus);
static u32 svm_max_asid;
/* The VMCB clean bits VMRUN may use: all, if the processor has them. */
static u32 svm_clean;

/*
 * Every port and every MSR is intercepted: the permission maps are all
 * ones and shared by all vCPUs (APM vol. 2, 15.10 and 15.11).
 */
#define IOPM_ORDER	2	/* 12 KiB */
#define MSRPM_ORDER	1	/* 8 KiB */
static struct page *svm_iopm, *svm_msrpm;

static __always_inline void svm_clgi(void)
{
	asm volatile("clgi" ::: "memory");
}

static __always_inline void svm_stgi(void)
{
	asm volatile("stgi" ::: "memory");
}

static int svm_check_processor(void)
{
	u64 vm_cr;

	if (!boot_cpu_has(X86_FEATURE_SVM)) {
		pr_err("the processor has no SVM\n");
		return -EOPNOTSUPP;
	}
	/* Firmware can turn SVM off and lock it off (APM vol. 2, 15.4). */
	if (!rdmsrl_safe(MSR_VM_CR, &vm_cr) && (vm_cr & SVM_VM_CR_SVM_DIS_MASK)) {
		pr_err("SVM is disabled by the firmware\n");
		return -EOPNOTSUPP;
	}
	if (!boot_cpu_has(X86_FEATURE_NPT)) {
		pr_err("the processor has no nested page tables (NPT)\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

static int svm_cpu_enable(void)
{
	struct svm_cpu *sc = this_cpu_ptr(&svm_cpus);
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		pr_err("SVM is in use by someone else on CPU %d\n",
		       smp_processor_id());
		return -EBUSY;
	}
	if (!sc->hsave) {
		sc->hsave = alloc_page(GFP_KERNEL | __GFP_ZERO);
		sc->host_save = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!sc->hsave || !sc->host_save)
			return -ENOMEM;
		sc->host_save_pa = page_to_phys(sc->host_save);
	}
	/* ASIDs of an earlier generation may still be in the TLB. */
	sc->asid_generation++;
	sc->next_asid = svm_max_asid + 1;
	sc->last_vmcb = NULL;

	wrmsrl(MSR_EFER, efer | EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, page_to_phys(sc->hsave));
	if (boot_cpu_has(X86_FEATURE_TSCRATEMSR)) {
		wrmsrl(MSR_AMD64_TSC_RATIO, SVM_TSC_RATIO_DEFAULT);
		sc->tsc_ratio = SVM_TSC_RATIO_DEFAULT;
	}
	return 0;
}

/* The TSC ratio applies in guest mode only: set it for the next VMRUN. */
static void svm_load_tsc_ratio(struct svm_cpu *sc, u64 ratio)
{
	if (boot_cpu_has(X86_FEATURE_TSCRATEMSR) && sc->tsc_ratio != ratio) {
		wrmsrl(MSR_AMD64_TSC_RATIO, ratio);
		sc->tsc_ratio = ratio;
	}
}

static u8 svm_tsc_scaling(u64 *max_ratio)
{
	*max_ratio = SVM_TSC_RATIO_MAX;
	return boot_cpu_has(X86_FEATURE_TSCRATEMSR) ?
	       SVM_TSC_RATIO_FRAC_BITS : 0;
}

/* L2's TSC runs at L1's rate: L1 cannot scale it. */
static void svm_set_tsc_ratio(struct kvm_x86_vcpu *vcpu, u64 ratio)
{
	svm_load_tsc_ratio(get_cpu_ptr(&svm_cpus), ratio);
	put_cpu_ptr(&svm_cpus);
}

static void svm_cpu_disable(void)
{
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	if (!(efer & EFER_SVME))
		return;
	wrmsrl(MSR_VM_HSAVE_PA, 0);
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
}

static void svm_free_cpus(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct svm_cpu *sc = per_cpu_ptr(&svm_cpus, cpu);

		if (sc->hsave)
			__free_page(sc->hsave);
		if (sc->host_save)
			__free_page(sc->host_save);
		sc->hsave = NULL;
		sc->host_save = NULL;
	}
}

static int svm_vcpu_init(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);
	struct page *page;

	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	svm->vmcb = page_address(page);
	svm->vmcb_pa = page_to_phys(page);
	svm->nested.vmcb01 = svm->vmcb;
	svm->nested.vmcb01_pa = svm->vmcb_pa;
	svm->nested.gif = true;
	svm->asid_cpu = -1;
	svm_init_vmcb(svm, page_to_phys(svm_iopm), page_to_phys(svm_msrpm));
	return 0;
}

static void svm_vcpu_destroy(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);
	int cpu;

	/* Another vCPU's VMCB may land at these addresses later. */
	for_each_possible_cpu(cpu) {
		cmpxchg(&per_cpu(svm_cpus, cpu).last_vmcb,
			svm->nested.vmcb01, NULL);
		cmpxchg(&per_cpu(svm_cpus, cpu).last_vmcb,
			svm->nested.vmcb02, NULL);
	}
	free_page((unsigned long)svm->nested.vmcb01);
	svm_nested_free(svm);
}

/*
 * The host state VMSAVE stores (FS, GS, TR, LDTR, KernelGSBase, the
 * SYSCALL and SYSENTER MSRs) is that of the current task and CPU, which
 * stay the same for as long as the vCPU is loaded: save it once here,
 * and restore it with VMLOAD after every exit.
 */
static void svm_vcpu_load(struct kvm_x86_vcpu *vcpu, int cpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);
	struct svm_cpu *sc = per_cpu_ptr(&svm_cpus, cpu);

	/*
	 * What this CPU cached of the VMCB may be from before the vCPU ran
	 * elsewhere (or before the CPU went offline): trust none of it.
	 */
	svm->vmcb->control.clean = 0;
	/* One guest must not train the branch predictor for another. */
	if (sc->last_vmcb != svm->vmcb) {
		sc->last_vmcb = svm->vmcb;
		indirect_branch_prediction_barrier();
	}
	svm_load_tsc_ratio(sc, vcpu->tsc_ratio);
	asm volatile("vmsave %%rax" : : "a" (sc->host_save_pa) : "memory");
}

static void svm_vcpu_put(struct kvm_x86_vcpu *vcpu)
{
}

static void svm_set_tdp_root(struct kvm_x86_vcpu *vcpu, phys_addr_t root)
{
	struct svm_nested *n = &to_svm(vcpu)->nested;

	/* L2's physical addresses are L1's: the same tables. */
	n->vmcb01->control.nested_cr3 = root;
	svm_dirty(n->vmcb01, SVM_CLEAN_NPT);
	if (n->vmcb02) {
		n->vmcb02->control.nested_cr3 = root;
		svm_dirty(n->vmcb02, SVM_CLEAN_NPT);
	}
}

/* A fresh ASID has no TLB entries: the cheapest complete flush. */
static void svm_flush_tlb(struct kvm_x86_vcpu *vcpu)
{
	to_svm(vcpu)->asid_cpu = -1;
}

/*
 * ASIDs are handed out per CPU.  When they run out, the CPU's TLB is
 * flushed and a new generation starts, which invalidates every ASID
 * handed out before on that CPU.  A vCPU that moves to another CPU takes
 * an ASID there.
 */
static void svm_assign_asid(struct vcpu_svm *svm)
{
	struct svm_cpu *sc = this_cpu_ptr(&svm_cpus);
	int cpu = smp_processor_id();

	if (svm->asid_cpu == cpu && svm->asid_generation == sc->asid_generation)
		return;
	if (sc->next_asid > svm_max_asid) {
		sc->asid_generation++;
		sc->next_asid = 1;
		svm->vmcb->control.tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID;
	}
	svm->asid = sc->next_asid++;
	svm->asid_generation = sc->asid_generation;
	svm->asid_cpu = cpu;
	svm->vmcb->control.asid = svm->asid;
	svm_dirty(svm->vmcb, SVM_CLEAN_ASID);
}

static noinstr void svm_run(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);
	struct vmcb *vmcb = svm->vmcb;
	struct svm_cpu *sc;

	instrumentation_begin();
	svm_assign_asid(svm);
	sc = this_cpu_ptr(&svm_cpus);

	vmcb->save.rax = vcpu->regs[VCPU_RAX];
	vmcb->save.rsp = vcpu->regs[VCPU_RSP];
	vmcb->save.rip = vcpu->rip;
	vmcb->save.rflags = vcpu->rflags;
	kvm_x86_load_guest_xcr0(vcpu, vmcb->save.cr4);
	instrumentation_end();

	svm_clgi();
	__svm_vcpu_run(vcpu->regs, svm->vmcb_pa, sc->host_save_pa);
	svm_stgi();

	instrumentation_begin();
	kvm_x86_load_host_xcr0(vcpu);
	vcpu->regs[VCPU_RAX] = vmcb->save.rax;
	vcpu->regs[VCPU_RSP] = vmcb->save.rsp;
	vcpu->rip = vmcb->save.rip;
	vcpu->rflags = vmcb->save.rflags;
	vmcb->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;
	/* Unchanged until we write to it: the processor may keep it. */
	vmcb->control.clean = svm_clean;
	/* #VMEXIT disables the host's hardware breakpoints. */
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
	instrumentation_end();
}

static const struct kvm_tdp_format svm_npt_format = {
	.levels		= 4,
	/* The walker checks nested entries as user accesses. */
	.table		= _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED,
	.leaf		= _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED |
			  _PAGE_DIRTY,
	.writable	= _PAGE_RW,
};

static const struct kvm_x86_backend svm_backend = {
	.name		 = "svm",
	.owner		 = THIS_MODULE,
	.vcpu_size	 = sizeof(struct vcpu_svm),
	.tdp		 = &svm_npt_format,
	.ucode_rev	 = 0x01000065,
	.hypercall	 = { 0x0f, 0x01, 0xd9 },	/* VMMCALL */
	.check_processor = svm_check_processor,
	.cpu_enable	 = svm_cpu_enable,
	.cpu_disable	 = svm_cpu_disable,
	.vcpu_init	 = svm_vcpu_init,
	.vcpu_destroy	 = svm_vcpu_destroy,
	.vcpu_load	 = svm_vcpu_load,
	.vcpu_put	 = svm_vcpu_put,
	.get_sregs	 = svm_get_sregs,
	.set_sregs	 = svm_set_sregs,
	.get_cr0	 = svm_get_cr0,
	.get_cr4	 = svm_get_cr4,
	.get_pdptes	 = svm_get_pdptes,
	.get_msr	 = svm_get_msr,
	.set_msr	 = svm_set_msr,
	.set_tsc_offset	 = svm_set_tsc_offset,
	.tsc_scaling	 = svm_tsc_scaling,
	.set_tsc_ratio	 = svm_set_tsc_ratio,
	.inject_event	 = svm_inject_event,
	.interrupt_allowed = svm_interrupt_allowed,
	.nmi_allowed	 = svm_nmi_allowed,
	.set_nmi_window	 = svm_set_nmi_window,
	.get_nmi_mask	 = svm_get_nmi_mask,
	.set_nmi_mask	 = svm_set_nmi_mask,
	.set_irq_window	 = svm_set_irq_window,
	.set_tpr_threshold = svm_set_tpr_threshold,
	.get_interrupt_shadow = svm_get_interrupt_shadow,
	.set_interrupt_shadow = svm_set_interrupt_shadow,
	.get_cr8	 = svm_get_cr8,
	.set_cr8	 = svm_set_cr8,
	.set_tdp_root	 = svm_set_tdp_root,
	.flush_tlb	 = svm_flush_tlb,
	.update_exits	 = svm_update_exits,
	.set_guest_debug = svm_set_guest_debug,
	.nested_efer	 = svm_nested_efer,
	.nested_cpuid	 = svm_nested_cpuid,
	.nested_events	 = svm_nested_events,
	.nested_wakes	 = svm_nested_wakes,
	.nested_tsc	 = svm_nested_tsc,
	.hv_nested_features = svm_hv_nested_features,
	.run		 = svm_run,
	.handle_exit	 = svm_handle_exit,
};

static int __init svm_init(void)
{
	int ret;

	/* CPUID Fn8000_000A EBX: number of ASIDs, ASID 0 being the host's. */
	svm_max_asid = cpuid_ebx(0x8000000a) - 1;
	if (boot_cpu_has(X86_FEATURE_VMCBCLEAN))
		svm_clean = GENMASK(NR_SVM_CLEAN - 1, 0);
	svm_exits_init();
	if (boot_cpu_has(X86_FEATURE_SVM) && !svm_max_asid) {
		pr_err("the processor offers no ASID for guests\n");
		return -EOPNOTSUPP;
	}
	svm_iopm = alloc_pages(GFP_KERNEL, IOPM_ORDER);
	svm_msrpm = alloc_pages(GFP_KERNEL, MSRPM_ORDER);
	if (!svm_iopm || !svm_msrpm) {
		ret = -ENOMEM;
		goto fail;
	}
	memset(page_address(svm_iopm), 0xff, PAGE_SIZE << IOPM_ORDER);
	memset(page_address(svm_msrpm), 0xff, PAGE_SIZE << MSRPM_ORDER);

	ret = kvm_x86_register_backend(&svm_backend);
	if (!ret)
		return 0;
fail:
	svm_free_cpus();
	if (svm_iopm)
		__free_pages(svm_iopm, IOPM_ORDER);
	if (svm_msrpm)
		__free_pages(svm_msrpm, MSRPM_ORDER);
	return ret;
}
module_init(svm_init);

static void __exit svm_exit(void)
{
	kvm_x86_unregister_backend(&svm_backend);
	svm_free_cpus();
	__free_pages(svm_iopm, IOPM_ORDER);
	__free_pages(svm_msrpm, MSRPM_ORDER);
}
module_exit(svm_exit);

/* Let udev load the module on processors that have SVM. */
static const struct x86_cpu_id svm_cpu_ids[] = {
	X86_MATCH_FEATURE(X86_FEATURE_SVM, NULL),
	{}
};
MODULE_DEVICE_TABLE(x86cpu, svm_cpu_ids);

MODULE_DESCRIPTION("Kernel-based Virtual Machine: AMD SVM backend");
MODULE_LICENSE("GPL");
