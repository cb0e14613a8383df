/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Basic types of the hypervisor, shared by the core, the architecture code
 * and <uapi/linux/kvm.h>, which includes this file when it is built into
 * the kernel.  Keep it free of anything but types and ABI constants: it is
 * pulled into every user of the uapi header.
 */
#ifndef _LINUX_KVM_TYPES_H
#define _LINUX_KVM_TYPES_H

#include <linux/types.h>

struct kvm;
struct kvm_vcpu;

/* A guest physical address, and the number of the guest page holding it. */
typedef u64 gpa_t;
typedef u64 gfn_t;

/* Size of a statistic's name in the binary stats ABI, NUL included. */
#define KVM_STATS_NAME_SIZE	48

#endif /* _LINUX_KVM_TYPES_H */
