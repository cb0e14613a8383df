// SPDX-License-Identifier: GPL-2.0-only
/*
 * AMD SVM backend of the hypervisor (kvm-amd.ko).
 */
#define pr_fmt(fmt) "kvm-amd: " fmt

#include <linux/module.h>
#include <asm/cpu_device_id.h>
#include <asm/msr.h>

#include "backend.h"

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

static const struct kvm_x86_backend svm_backend = {
	.name		 = "svm",
	.owner		 = THIS_MODULE,
	.check_processor = svm_check_processor,
};

static int __init svm_init(void)
{
	return kvm_x86_register_backend(&svm_backend);
}
module_init(svm_init);

static void __exit svm_exit(void)
{
	kvm_x86_unregister_backend(&svm_backend);
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
