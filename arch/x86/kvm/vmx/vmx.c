// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel VMX backend of the hypervisor (kvm-intel.ko): VMX operation in
 * every CPU, a VMCS per vCPU, and guests run with VMLAUNCH/VMRESUME on
 * EPT with unrestricted guest.
 */
#define pr_fmt(fmt) "kvm-intel: " fmt

#include <linux/idr.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <asm/cpu_device_id.h>
#include <asm/cpu_entry_area.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/gsseg.h>
#include <asm/msr.h>
#include <asm/reboot.h>
#include <asm/tlbflush.h>

#include "vmx.h"

struct vmx_config vmx_config;

/* Read by VMMs and selftests; fixed: both are required. */
static bool ept = true;
module_param(ept, bool, 0444);
MODULE_PARM_DESC(ept, "extended page tables (required: always Y)");
static bool unrestricted_guest = true;
module_param(unrestricted_guest, bool, 0444);
MODULE_PARM_DESC(unrestricted_guest, "unrestricted guest (required: always Y)");

/* The VMXON region of each CPU. */
static DEFINE_PER_CPU(struct page *, vmxon_region);

/* Every MSR access exits: one all-ones bitmap for every vCPU. */
static struct page *vmx_msr_bitmap;

static DEFINE_IDA(vmx_vpids);

/*
 * The high half of a VMX capability MSR has a 1 for every control that
 * may be set (SDM vol. 3D, A.3).
 */
static bool vmx_control_allowed(u32 msr, u32 control)
{
	u64 caps;

	return !rdmsrl_safe(msr, &caps) && ((caps >> 32) & control) == control;
}

static int vmx_check_processor(void)
{
	/*
	 * X86_FEATURE_VMX is cleared at boot unless the feature-control MSR
	 * is locked with VMX outside SMX enabled.
	 */
	if (!boot_cpu_has(X86_FEATURE_VMX)) {
		pr_err("the processor has no VMX, or the firmware disabled it\n");
		return -EOPNOTSUPP;
	}
	if (!vmx_control_allowed(MSR_IA32_VMX_PROCBASED_CTLS,
				 CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ||
	    !vmx_control_allowed(MSR_IA32_VMX_PROCBASED_CTLS2,
				 SECONDARY_EXEC_ENABLE_EPT)) {
		pr_err("the processor has no extended page tables (EPT)\n");
		return -EOPNOTSUPP;
	}
	if (!vmx_control_allowed(MSR_IA32_VMX_PROCBASED_CTLS2,
				 SECONDARY_EXEC_UNRESTRICTED_GUEST)) {
		pr_err("the processor has no unrestricted guest support\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * Adjust @want to what the capability MSR allows: its low half has the
 * bits that must be 1, its high half the bits that may be 1.  Returns
 * false if a bit in @need cannot be set.
 */
static bool vmx_adjust(u32 msr, u32 want, u32 need, u32 *ctl)
{
	u64 caps;

	if (rdmsrl_safe(msr, &caps))
		return false;
	*ctl = (want | (u32)caps) & (u32)(caps >> 32);
	return (*ctl & need) == need;
}

static int vmx_read_config(void)
{
	struct vmx_config *c = &vmx_config;
	u32 pin, proc, proc2, exit, entry, window;
	u64 basic, ept_caps = 0;
	bool true_ctls;

	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	c->revision = basic & 0x7fffffff;
	true_ctls = basic & VMX_BASIC_TRUE_CTLS;

	/* Virtual NMIs: the processor tracks the guest's NMI blocking. */
	pin = PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING |
	      PIN_BASED_VIRTUAL_NMIS;
	/* With EPT, CR3 accesses need not exit: do not ask for it. */
	proc = CPU_BASED_HLT_EXITING | CPU_BASED_UNCOND_IO_EXITING |
	       CPU_BASED_USE_TSC_OFFSETTING |
	       CPU_BASED_MOV_DR_EXITING | CPU_BASED_USE_MSR_BITMAPS |
	       CPU_BASED_CR8_LOAD_EXITING | CPU_BASED_CR8_STORE_EXITING |
	       CPU_BASED_MWAIT_EXITING | CPU_BASED_MONITOR_EXITING |
	       CPU_BASED_RDPMC_EXITING | CPU_BASED_ACTIVATE_SECONDARY_CONTROLS;
	/*
	 * Optional: VPIDs, exits of guests spinning in a PAUSE loop, and TSC
	 * scaling (always on where there, at 1.0 unless asked otherwise).
	 */
	proc2 = SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST |
		SECONDARY_EXEC_ENABLE_VPID | SECONDARY_EXEC_PAUSE_LOOP_EXITING |
		SECONDARY_EXEC_TSC_SCALING;
	exit = VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_EFER |
	       VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_IA32_PAT |
	       VM_EXIT_LOAD_IA32_PAT;
	/* DR7 is the guest's (a debugger's breakpoints), never the host's. */
	entry = VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT |
		VM_ENTRY_LOAD_DEBUG_CONTROLS;

	if (!vmx_adjust(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
			MSR_IA32_VMX_PINBASED_CTLS, pin, pin, &c->pin) ||
	    !vmx_adjust(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
			MSR_IA32_VMX_PROCBASED_CTLS, proc, proc, &c->proc) ||
	    !vmx_adjust(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
			MSR_IA32_VMX_PROCBASED_CTLS,
			CPU_BASED_INTR_WINDOW_EXITING |
			CPU_BASED_NMI_WINDOW_EXITING,
			CPU_BASED_INTR_WINDOW_EXITING |
			CPU_BASED_NMI_WINDOW_EXITING, &window) ||
	    !vmx_adjust(MSR_IA32_VMX_PROCBASED_CTLS2, proc2,
			proc2 & ~(SECONDARY_EXEC_ENABLE_VPID |
				  SECONDARY_EXEC_PAUSE_LOOP_EXITING |
				  SECONDARY_EXEC_TSC_SCALING),
			&c->proc2) ||
	    !vmx_adjust(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
			MSR_IA32_VMX_EXIT_CTLS, exit,
			exit & ~(VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT),
			&c->exit) ||
	    !vmx_adjust(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
			MSR_IA32_VMX_ENTRY_CTLS, entry,
			entry & ~VM_ENTRY_LOAD_IA32_PAT, &c->entry)) {
		pr_err("the processor lacks VM-execution, exit or entry controls we need\n");
		return -EOPNOTSUPP;
	}
	c->entry &= ~VM_ENTRY_IA32E_MODE;

	rdmsrl_safe(MSR_IA32_VMX_EPT_VPID_CAP, &ept_caps);
	if (!(ept_caps & VMX_EPT_PAGE_WALK_4_BIT) ||
	    !(ept_caps & VMX_EPTP_WB_BIT) || !(ept_caps & VMX_EPT_INVEPT_BIT)) {
		pr_err("EPT lacks 4-level tables, write-back memory or INVEPT\n");
		return -EOPNOTSUPP;
	}
	c->invept_single = ept_caps & VMX_EPT_EXTENT_CONTEXT_BIT;
	/* VPIDs are only worth it if we can flush them (INVEPT does). */

	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, c->cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, c->cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, c->cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, c->cr4_fixed1);
	return 0;
}

static int vmx_cpu_enable(void)
{
	struct page **region = this_cpu_ptr(&vmxon_region);
	u64 pa;

	if (cr4_read_shadow() & X86_CR4_VMXE) {
		pr_err("VMX is in use by someone else on CPU %d\n",
		       smp_processor_id());
		return -EBUSY;
	}
	if (!*region) {
		*region = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!*region)
			return -ENOMEM;
		*(u32 *)page_address(*region) = vmx_config.revision;
	}
	pa = page_to_phys(*region);

	cr4_set_bits(X86_CR4_VMXE);
	asm goto("vmxon %0\n\t"
		 "jbe %l[fail]" : : "m" (pa) : "cc", "memory" : fail);
	return 0;
fail:
	cr4_clear_bits(X86_CR4_VMXE);
	pr_err("VMXON failed on CPU %d\n", smp_processor_id());
	return -EIO;
}

/* Leave VMX operation; also called on an emergency reboot (from NMI). */
static void vmx_cpu_disable(void)
{
	if (!(__read_cr4() & X86_CR4_VMXE))
		return;
	asm volatile("vmxoff" : : : "cc", "memory");
	cr4_clear_bits(X86_CR4_VMXE);
}

static void vmx_emergency_disable(void)
{
	if (__read_cr4() & X86_CR4_VMXE)
		asm volatile("vmxoff" : : : "cc", "memory");
}

static void vmx_free_cpus(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct page **region = per_cpu_ptr(&vmxon_region, cpu);

		if (*region)
			__free_page(*region);
		*region = NULL;
	}
}

/* INVEPT of this VM's EPT (SDM vol. 3C, 31.3): all its cached mappings. */
static void vmx_invept(u64 eptp)
{
	struct { u64 eptp, reserved; } desc = { eptp, 0 };
	unsigned long type = vmx_config.invept_single ? VMX_EPT_EXTENT_CONTEXT :
							VMX_EPT_EXTENT_GLOBAL;

	asm volatile("invept %0, %1" : : "m" (desc), "r" (type) : "cc", "memory");
}

static int vmx_vcpu_init(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	struct page *page;
	int vpid = 0;

	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	if (vmx_config.proc2 & SECONDARY_EXEC_ENABLE_VPID) {
		vpid = ida_alloc_range(&vmx_vpids, 1, 0xffff, GFP_KERNEL);
		if (vpid < 0) {
			__free_page(page);
			return vpid;
		}
	}
	vmx->vmcs = page_address(page);
	*(u32 *)vmx->vmcs = vmx_config.revision;
	vmx->vmcs_pa = page_to_phys(page);
	vmx->vpid = vpid;
	vmx->last_cpu = -1;
	return vmx_nested_init(vmx);
}

static void vmx_vcpu_destroy(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);

	if (vmx->vpid)
		ida_free(&vmx_vpids, vmx->vpid);
	vmx_nested_free(vmx);
}

/**
 * vmx_init_current_vmcs() - the constant fields of a new VMCS
 * @vmx: the vCPU, whose new VMCS is current
 */
void vmx_init_current_vmcs(struct vcpu_vmx *vmx)
{
	vmx_init_vmcs(vmx, vmx->eptp, page_to_phys(vmx_msr_bitmap));
}

/**
 * vmx_load_host_state() - the host state of this CPU into the current VMCS
 * @vmx: the vCPU
 * @cpu: the CPU, which the caller stays on
 */
void vmx_load_host_state(struct vcpu_vmx *vmx, int cpu)
{
	struct desc_ptr idt;

	vmcs_write(HOST_TR_BASE,
		   (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss);
	vmcs_write(HOST_GDTR_BASE, (unsigned long)get_current_gdt_ro());
	store_idt(&idt);
	vmcs_write(HOST_IDTR_BASE, idt.address);
	/* Per-CPU values, read on this CPU. */
	vmcs_write(HOST_GS_BASE, __rdmsr(MSR_GS_BASE));
	vmcs_write(HOST_IA32_SYSENTER_ESP, __rdmsr(MSR_IA32_SYSENTER_ESP));
	/*
	 * Per-task values, which stay the same while the vCPU is loaded:
	 * the thread's FS base, which VM exit loads, and its debug control,
	 * which VM exit clears.
	 */
	vmcs_write(HOST_FS_BASE, __rdmsr(MSR_FS_BASE));
	rdmsrl(MSR_IA32_DEBUGCTLMSR, vmx->host_debugctl);
	vmx->host_cr3 = 0;
	vmx->host_cr4 = 0;
}

/*
 * The VMCS is current on a CPU only while the vCPU is loaded there: it is
 * cleared when the vCPU leaves (so it is never active on two CPUs) and
 * loaded again, with the host state of the new CPU, when it comes back.
 */
static void vmx_vcpu_load(struct kvm_x86_vcpu *vcpu, int cpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);

	/* A new VMCS must be cleared once to set its launch state. */
	if (!vmx->vmcs_ready)
		vmcs_clear(vmx->vmcs_pa);
	vmcs_load(vmx->vmcs_pa);
	if (!vmx->vmcs_ready) {
		vmx_init_current_vmcs(vmx);
		vmx->vmcs_ready = true;
	}
	vmx_load_host_state(vmx, cpu);
}

/*
 * What VM entry and exit do not switch, but the host needs only on its
 * way back to userspace or when it switches tasks (both of which put the
 * vCPU first): the SYSCALL MSRs and IA32_KERNEL_GS_BASE, and the data
 * segment selectors, which VM exit leaves null.  The guest's MSRs are
 * loaded at the first entry after the vCPU was loaded and stay in the
 * processor across exits; the host's state comes back when the vCPU is
 * put.
 */
const u32 vmx_switched_msrs[VMX_NR_SWITCHED_MSRS] = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK, MSR_KERNEL_GS_BASE,
};

static void vmx_switch_to_guest(struct vcpu_vmx *vmx)
{
	int i;

	savesegment(ds, vmx->host_ds);
	savesegment(es, vmx->host_es);
	savesegment(fs, vmx->host_fs);
	savesegment(gs, vmx->host_gs);
	for (i = 0; i < VMX_NR_SWITCHED_MSRS; i++) {
		rdmsrl(vmx_switched_msrs[i], vmx->host_msrs[i]);
		wrmsrl(vmx_switched_msrs[i], vmx->guest_msrs[i]);
	}
	vmx->guest_msrs_loaded = true;
}

static void vmx_switch_to_host(struct vcpu_vmx *vmx)
{
	int i;

	/* The guest changes KERNEL_GS_BASE with SWAPGS, without an exit. */
	for (i = 0; i < VMX_NR_SWITCHED_MSRS; i++)
		rdmsrl(vmx_switched_msrs[i], vmx->guest_msrs[i]);
	if (vmx->host_ds | vmx->host_es) {
		loadsegment(ds, vmx->host_ds);
		loadsegment(es, vmx->host_es);
	}
	if (vmx->host_fs) {
		/* Loading the selector reloads the base from the GDT/LDT. */
		loadsegment(fs, vmx->host_fs);
		wrmsrl(MSR_FS_BASE, vmcs_read(HOST_FS_BASE));
	}
	/* This loads KERNEL_GS_BASE too, which is restored right after. */
	if (vmx->host_gs)
		load_gs_index(vmx->host_gs);
	for (i = 0; i < VMX_NR_SWITCHED_MSRS; i++)
		wrmsrl(vmx_switched_msrs[i], vmx->host_msrs[i]);
	vmx->guest_msrs_loaded = false;
}

static void vmx_vcpu_put(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);

	if (vmx->guest_msrs_loaded)
		vmx_switch_to_host(vmx);
	vmcs_clear(vmx->vmcs_pa);
	vmx->launched = false;
}

static void vmx_flush_tlb(struct kvm_x86_vcpu *vcpu)
{
	to_vmx(vcpu)->flush_tlb = true;
}

/* Before the first load the VMCS gets it there; later it is current. */
static void vmx_set_tdp_root(struct kvm_x86_vcpu *vcpu, phys_addr_t root)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);

	vmx->eptp = root | VMX_EPTP_PWL_4 | VMX_EPTP_MT_WB;
	if (vmx->vmcs_ready)
		vmcs_write(EPT_POINTER, vmx->eptp);
}

/*
 * A debugger's single step (its RFLAGS.TF) starts in no STI or MOV SS
 * shadow: the step that led here ended it, as the #DB handler would have
 * run; and VM entry with TF set refuses a shadow without a pending
 * single-step trap, which would come before the instruction.
 */
static void vmx_debug_step_shadow(struct vcpu_vmx *vmx)
{
	u32 state = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);

	if (state & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
		vmcs_write(GUEST_INTERRUPTIBILITY_INFO,
			   state & ~(GUEST_INTR_STATE_STI |
				     GUEST_INTR_STATE_MOV_SS));
}

/*
 * The exit may leave the debugger's single-step trap pending (after an
 * instruction that exited, which we complete): the debugger hears of that
 * step from kvm_x86_debug_step_done(), so it is not delivered.
 */
static void vmx_debug_step_trap(struct vcpu_vmx *vmx)
{
	u64 pending = vmcs_read(GUEST_PENDING_DBG_EXCEPTIONS);

	if (pending & DR_STEP)
		vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, pending & ~DR_STEP);
}

static noinstr void vmx_run(struct kvm_x86_vcpu *vcpu)
{
	struct vcpu_vmx *vmx = to_vmx(vcpu);
	unsigned long cr3, cr4;
	bool fail;
	int cpu;

	instrumentation_begin();
	cpu = smp_processor_id();
	/*
	 * Translations cached for the guest may be stale after it ran on
	 * another CPU (the guest flushed only there) or after the MMU
	 * removed mappings.
	 */
	if (vmx->flush_tlb || vmx->last_cpu != cpu) {
		vmx_invept(vmx->eptp);
		vmx->flush_tlb = false;
		vmx->last_cpu = cpu;
	}
	vmcs_write(GUEST_RSP, vcpu->regs[VCPU_RSP]);
	vmcs_write(GUEST_RIP, vcpu->rip);
	vmcs_write(GUEST_RFLAGS, vcpu->rflags);
	if (unlikely(vcpu->debug.tf_set))
		vmx_debug_step_shadow(vmx);
	/* Both change rarely (a new PCID, perf's CR4.PCE) but can. */
	cr3 = __read_cr3();
	if (unlikely(cr3 != vmx->host_cr3)) {
		vmcs_write(HOST_CR3, cr3);
		vmx->host_cr3 = cr3;
	}
	cr4 = cr4_read_shadow();
	if (unlikely(cr4 != vmx->host_cr4)) {
		vmcs_write(HOST_CR4, cr4);
		vmx->host_cr4 = cr4;
	}

	if (!vmx->guest_msrs_loaded)
		vmx_switch_to_guest(vmx);
	/* CR4.OSXSAVE is the guest's to change: read it only if needed. */
	if (vcpu->xcr0 != kvm_x86_host_xcr0)
		kvm_x86_load_guest_xcr0(vcpu, vmcs_read(GUEST_CR4));
	native_write_cr2(vmx->cr2);
	instrumentation_end();

	fail = __vmx_vcpu_run(vcpu->regs, vmx->launched);

	instrumentation_begin();
	kvm_x86_load_host_xcr0(vcpu);
	vmx->cr2 = native_read_cr2();
	if (vmx->host_debugctl)
		wrmsrl(MSR_IA32_DEBUGCTLMSR, vmx->host_debugctl);
	/* VM exit limits TR to 0x67, short of the I/O bitmap. */
	invalidate_tss_limit();

	vmx->vmfail = fail;
	if (fail) {
		vmx->exit_reason = VMX_EXIT_REASONS_FAILED_VMENTRY |
				   vmcs_read(VM_INSTRUCTION_ERROR);
	} else {
		vmx->launched = true;
		vmx->exit_reason = vmcs_read(VM_EXIT_REASON);
		vmx->exit_qual = vmcs_read(EXIT_QUALIFICATION);
		vcpu->regs[VCPU_RSP] = vmcs_read(GUEST_RSP);
		vcpu->rip = vmcs_read(GUEST_RIP);
		vcpu->rflags = vmcs_read(GUEST_RFLAGS);
		if (unlikely(vcpu->debug.tf_set))
			vmx_debug_step_trap(vmx);
		/* NMIs are blocked until the handler's IRET: run it now. */
		if ((u16)vmx->exit_reason == EXIT_REASON_EXCEPTION_NMI &&
		    (vmcs_read(VM_EXIT_INTR_INFO) & INTR_INFO_INTR_TYPE_MASK) ==
		    INTR_TYPE_NMI_INTR)
			vmx_do_nmi_irqoff();
	}
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
	instrumentation_end();
}

static const struct kvm_tdp_format vmx_ept_format = {
	.levels		= 4,
	.table		= VMX_EPT_READABLE_MASK | VMX_EPT_WRITABLE_MASK |
			  VMX_EPT_EXECUTABLE_MASK,
	.leaf		= VMX_EPT_READABLE_MASK | VMX_EPT_EXECUTABLE_MASK |
			  (X86_MEMTYPE_WB << VMX_EPT_MT_EPTE_SHIFT),
	.writable	= VMX_EPT_WRITABLE_MASK,
};

static const struct kvm_x86_backend vmx_backend = {
	.name		 = "vmx",
	.owner		 = THIS_MODULE,
	.vcpu_size	 = sizeof(struct vcpu_vmx),
	.tdp		 = &vmx_ept_format,
	.ucode_rev	 = 0x100000000ULL,
	.hypercall	 = { 0x0f, 0x01, 0xc1 },	/* VMCALL */
	.check_processor = vmx_check_processor,
	.cpu_enable	 = vmx_cpu_enable,
	.cpu_disable	 = vmx_cpu_disable,
	.vcpu_init	 = vmx_vcpu_init,
	.vcpu_destroy	 = vmx_vcpu_destroy,
	.vcpu_load	 = vmx_vcpu_load,
	.vcpu_put	 = vmx_vcpu_put,
	.get_sregs	 = vmx_get_sregs,
	.set_sregs	 = vmx_set_sregs,
	.get_cr0	 = vmx_get_cr0,
	.get_cr4	 = vmx_get_cr4,
	.get_pdptes	 = vmx_get_pdptes,
	.set_pdptes	 = vmx_set_pdptes,
	.get_msr	 = vmx_get_msr,
	.set_msr	 = vmx_set_msr,
	.set_tsc_offset	 = vmx_set_tsc_offset,
	.tsc_scaling	 = vmx_tsc_scaling,
	.set_tsc_ratio	 = vmx_set_tsc_ratio,
	.inject_event	 = vmx_inject_event,
	.interrupt_allowed = vmx_interrupt_allowed,
	.set_irq_window	 = vmx_set_irq_window,
	.nmi_allowed	 = vmx_nmi_allowed,
	.set_nmi_window	 = vmx_set_nmi_window,
	.get_nmi_mask	 = vmx_get_nmi_mask,
	.set_nmi_mask	 = vmx_set_nmi_mask,
	.get_interrupt_shadow = vmx_get_interrupt_shadow,
	.set_interrupt_shadow = vmx_set_interrupt_shadow,
	.get_cr8	 = vmx_get_cr8,
	.set_cr8	 = vmx_set_cr8,
	.set_tdp_root	 = vmx_set_tdp_root,
	.flush_tlb	 = vmx_flush_tlb,
	.update_exits	 = vmx_update_exits,
	.set_guest_debug = vmx_set_guest_debug,
	.nested_cpuid	 = vmx_nested_cpuid,
	.nested_events	 = vmx_nested_events,
	.nested_smm	 = vmx_nested_smm,
	.nested_state_size = vmx_nested_state_size,
	.get_nested_state = vmx_get_nested_state,
	.set_nested_state = vmx_set_nested_state,
	.nested_wakes	 = vmx_nested_wakes,
	.nested_msr	 = vmx_nested_msr,
	.nested_tsc	 = vmx_nested_tsc,
	.hv_nested_features = vmx_hv_nested_features,
	.run		 = vmx_run,
	.handle_exit	 = vmx_handle_exit,
};

static int __init vmx_init(void)
{
	int ret;

	if (!boot_cpu_has(X86_FEATURE_VMX))
		return vmx_check_processor();
	ret = vmx_read_config();
	if (!ret)
		ret = vmx_nested_setup();
	if (ret)
		return ret;
	vmx_msr_bitmap = alloc_page(GFP_KERNEL);
	if (!vmx_msr_bitmap)
		return -ENOMEM;
	memset(page_address(vmx_msr_bitmap), 0xff, PAGE_SIZE);

	cpu_emergency_register_virt_callback(vmx_emergency_disable);
	ret = kvm_x86_register_backend(&vmx_backend);
	if (!ret)
		return 0;
	cpu_emergency_unregister_virt_callback(vmx_emergency_disable);
	vmx_free_cpus();
	__free_page(vmx_msr_bitmap);
	return ret;
}
module_init(vmx_init);

static void __exit vmx_exit(void)
{
	kvm_x86_unregister_backend(&vmx_backend);
	cpu_emergency_unregister_virt_callback(vmx_emergency_disable);
	vmx_free_cpus();
	__free_page(vmx_msr_bitmap);
}
module_exit(vmx_exit);

/* Let udev load the module on processors that have VMX. */
static const struct x86_cpu_id vmx_cpu_ids[] = {
	X86_MATCH_FEATURE(X86_FEATURE_VMX, NULL),
	{}
};
MODULE_DEVICE_TABLE(x86cpu, vmx_cpu_ids);

MODULE_DESCRIPTION("Kernel-based Virtual Machine: Intel VMX backend");
MODULE_LICENSE("GPL");
