// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel VMX backend of the hypervisor (kvm-intel.ko).
 */
#define pr_fmt(fmt) "kvm-intel: " fmt

#include <linux/module.h>
#include <asm/cpu_device_id.h>
#include <asm/msr.h>
#include <asm/vmx.h>

#include "backend.h"

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
 * Until the VMCS is in place, a vCPU keeps its system registers here so
 * that the state ioctls work; guests cannot run yet (no .run).
 */
struct vcpu_vmx {
	struct kvm_x86_vcpu x86;
	struct kvm_sregs sregs;
};

static struct vcpu_vmx *to_vmx(struct kvm_x86_vcpu *vcpu)
{
	return container_of(vcpu, struct vcpu_vmx, x86);
}

static void vmx_get_sregs(struct kvm_x86_vcpu *vcpu, struct kvm_sregs *sregs)
{
	*sregs = to_vmx(vcpu)->sregs;
}

static void vmx_set_sregs(struct kvm_x86_vcpu *vcpu,
			  const struct kvm_sregs *sregs)
{
	to_vmx(vcpu)->sregs = *sregs;
}

/* EPT entries (SDM vol. 3C, 29.3.2): read, write, execute; WB memory. */
#define EPT_READ	BIT_ULL(0)
#define EPT_WRITE	BIT_ULL(1)
#define EPT_EXEC	BIT_ULL(2)
#define EPT_MT_WB	(6ULL << 3)

static const struct kvm_tdp_format vmx_ept_format = {
	.levels		= 4,
	.table		= EPT_READ | EPT_WRITE | EPT_EXEC,
	.leaf		= EPT_READ | EPT_EXEC | EPT_MT_WB,
	.writable	= EPT_WRITE,
};

static const struct kvm_x86_backend vmx_backend = {
	.name		 = "vmx",
	.owner		 = THIS_MODULE,
	.vcpu_size	 = sizeof(struct vcpu_vmx),
	.tdp		 = &vmx_ept_format,
	.check_processor = vmx_check_processor,
	.get_sregs	 = vmx_get_sregs,
	.set_sregs	 = vmx_set_sregs,
};

static int __init vmx_init(void)
{
	return kvm_x86_register_backend(&vmx_backend);
}
module_init(vmx_init);

static void __exit vmx_exit(void)
{
	kvm_x86_unregister_backend(&vmx_backend);
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
