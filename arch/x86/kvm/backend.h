/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The interface between the x86 code in kvm.ko and a hardware backend
 * (kvm-intel.ko for VMX, kvm-amd.ko for SVM).  A backend fills in one
 * struct kvm_x86_backend and registers it when its module loads.
 */
#ifndef ARCH_X86_KVM_BACKEND_H
#define ARCH_X86_KVM_BACKEND_H

#include <linux/kvm.h>

/**
 * struct kvm_x86_backend - one hardware virtualization backend
 * @name:	short name for messages ("vmx", "svm")
 * @owner:	the backend module
 * @check_processor: return 0 if this processor has everything the backend
 *		needs, or a negative errno after saying what is missing
 */
struct kvm_x86_backend {
	const char *name;
	struct module *owner;
	int (*check_processor)(void);
};

int kvm_x86_register_backend(const struct kvm_x86_backend *backend);
void kvm_x86_unregister_backend(const struct kvm_x86_backend *backend);

#endif /* ARCH_X86_KVM_BACKEND_H */
