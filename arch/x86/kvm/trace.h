/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of the x86 run loop: every guest entry and exit, in the
 * "kvm" trace system where perf and trace-cmd users look for them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kvm

#if !defined(ARCH_X86_KVM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define ARCH_X86_KVM_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(kvm_entry,
	    TP_PROTO(unsigned int vcpu_id, unsigned long rip),
	    TP_ARGS(vcpu_id, rip),
	    TP_STRUCT__entry(__field(unsigned int, vcpu_id)
			     __field(unsigned long, rip)),
	    TP_fast_assign(__entry->vcpu_id = vcpu_id;
			   __entry->rip = rip;),
	    TP_printk("vcpu %u, rip 0x%lx", __entry->vcpu_id, __entry->rip)
);

/* @reason and @info are the backend's: SVM exit code, VMX exit reason. */
TRACE_EVENT(kvm_exit,
	    TP_PROTO(unsigned int vcpu_id, u32 reason, u64 info1, u64 info2,
		     unsigned long rip),
	    TP_ARGS(vcpu_id, reason, info1, info2, rip),
	    TP_STRUCT__entry(__field(unsigned int, vcpu_id)
			     __field(u32, reason)
			     __field(u64, info1)
			     __field(u64, info2)
			     __field(unsigned long, rip)),
	    TP_fast_assign(__entry->vcpu_id = vcpu_id;
			   __entry->reason = reason;
			   __entry->info1 = info1;
			   __entry->info2 = info2;
			   __entry->rip = rip;),
	    TP_printk("vcpu %u, reason 0x%x, rip 0x%lx, info 0x%llx 0x%llx",
		      __entry->vcpu_id, __entry->reason, __entry->rip,
		      __entry->info1, __entry->info2)
);

#endif /* ARCH_X86_KVM_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
