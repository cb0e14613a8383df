/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small library for the hypervisor selftests: open /dev/kvm, create a VM
 * with memory and vCPUs, load guest code, run it and talk to it with ucalls.
 *
 * Every helper either succeeds or ends the test with a KTAP "Bail out!"
 * naming the call that failed: tests only check what they test.
 */
#ifndef SELFTEST_KVM_UTIL_H
#define SELFTEST_KVM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "../../kselftest.h"

#define KVM_DEV_PATH	"/dev/kvm"

/* End the test: something the test depends on (not what it tests) failed. */
#define TEST_REQUIRE(cond, fmt, ...) do {				\
	if (!(cond))							\
		ksft_exit_fail_msg("%s:%d: %s: " fmt "\n", __FILE__,	\
				   __LINE__, #cond, ##__VA_ARGS__);	\
} while (0)

struct kvm_vm {
	int kvm_fd;		/* /dev/kvm */
	int fd;			/* the VM */
	int run_size;		/* KVM_GET_VCPU_MMAP_SIZE */
	unsigned int nr_slots;
};

struct kvm_vcpu {
	struct kvm_vm *vm;
	int id;
	int fd;
	struct kvm_run *run;
};

/* /dev/kvm; skips the whole test if it does not exist. */
int kvm_open_dev(void);
int kvm_check_cap(int kvm_fd, long cap);

/* Skip the test unless /dev/kvm reports every listed capability. */
void kvm_require_caps(int kvm_fd, const long *caps, size_t n);

/*
 * The loaded backend module ("kvm_amd" or "kvm_intel"), or NULL when the
 * backend is built into the kernel.
 */
const char *kvm_backend_module(void);

/* KVM_CREATE_VM of type 0 on @kvm_fd; returns the VM file descriptor. */
int kvm_create_vm_fd(int kvm_fd);

struct kvm_vm *vm_create(void);
void vm_destroy(struct kvm_vm *vm);

/*
 * Back [gpa, gpa + size) with fresh anonymous memory in a new memory slot;
 * returns the host address of the memory.
 */
void *vm_add_memory(struct kvm_vm *vm, uint64_t gpa, size_t size);

/*
 * A thread's start routine (@vm: the struct kvm_vm): two seconds from
 * now, an MSI of vector 0x51 for APIC ID 0 (KVM_SIGNAL_MSI).
 */
void *vm_late_msi(void *vm);

/* KVM_ENABLE_CAP on the VM: @cap, @flags, args[0] = @arg; 0 or the errno. */
int vm_enable_cap(struct kvm_vm *vm, uint32_t cap, uint32_t flags,
		  uint64_t arg);

struct kvm_vcpu *vcpu_create(struct kvm_vm *vm, int id);
void vcpu_destroy(struct kvm_vcpu *vcpu);

/*
 * Put a vCPU in real mode at @gpa (CS base 0) with the given code copied
 * there; @mem is the host address of guest physical 0.
 */
void vcpu_load_real_mode(struct kvm_vcpu *vcpu, void *mem, uint64_t gpa,
			 const void *code, size_t len);

/* Give the vCPU the whole CPUID table KVM_GET_SUPPORTED_CPUID offers. */
void vcpu_set_supported_cpuid(struct kvm_vcpu *vcpu);

/* A zeroed struct kvm_cpuid2 with room for, and nent of, @nent entries. */
struct kvm_cpuid2 *kvm_cpuid2_alloc(int nent);

/* The entry of leaf @function (index 0 or any) in @c, or NULL. */
struct kvm_cpuid_entry2 *kvm_cpuid2_find(struct kvm_cpuid2 *c,
					 uint32_t function);

/*
 * A Hyper-V guest's CPUID: KVM_GET_SUPPORTED_CPUID of @kvm_fd with the
 * leaves of its KVM_GET_SUPPORTED_HV_CPUID in place of KVM's own
 * (0x400000xx), for KVM_SET_CPUID2.  free() it.
 */
struct kvm_cpuid2 *kvm_hv_cpuid(int kvm_fd);

/*
 * Put a vCPU in 64-bit mode at @gpa with the given code copied there;
 * @mem is the host address of guest physical 0, which must have at least
 * LONG_MODE_MEM_MIN bytes.  The library puts a GDT (code selector 0x8,
 * data selector 0x10) and page tables that map the first and the fourth
 * GiB (where the APICs are) one to one in [LONG_MODE_TABLES,
 * LONG_MODE_MEM_MIN): the code must stay out of it.  An IDT there with
 * room for 256 vectors sends every exception (vectors 0-31) to a handler
 * that reports it with UCALL_EXCEPTION and halts; vcpu_set_gate() adds
 * others.  The vCPU gets the supported CPUID, which has long mode.
 */
#define LONG_MODE_TABLES	0xa000
#define LONG_MODE_MEM_MIN	0x10000
void vcpu_load_long_mode(struct kvm_vcpu *vcpu, void *mem, uint64_t gpa,
			 const void *code, size_t len);

/*
 * Make @vector of the IDT vcpu_load_long_mode() set up in @mem an
 * interrupt gate to @handler (replacing the exception handler there).
 */
void vcpu_set_gate(void *mem, unsigned int vector, uint64_t handler);

/*
 * Add a 64-bit TSS at @tss_gpa to the GDT of vcpu_load_long_mode() in
 * @mem and load TR with it (into @sregs, the vCPU's, and the vCPU): VM
 * exits of a guest hypervisor's guests need a TR selector.
 */
void vcpu_add_tss64(struct kvm_vcpu *vcpu, void *mem, struct kvm_sregs *sregs,
		    uint64_t tss_gpa);

/*
 * The same for 32-bit protected mode without paging: flat 4 GiB code
 * (selector 0x18) and data (0x10) segments, the same exception reports.
 * For ring 3 the GDT also has flat code and data at DPL 3 and a TSS whose
 * ring-0 stack ends at LONG_MODE_TABLES.  vcpu_pm_load_tr() has the guest
 * load TR itself (the processor then keeps TR as it likes -- QEMU's TCG
 * takes only the "available" type there, so userspace must not set the
 * segment registers afterwards); guest code goes to ring 3 with
 * PM_TO_RING3.
 */
void vcpu_load_protected_mode(struct kvm_vcpu *vcpu, void *mem, uint64_t gpa,
			      const void *code, size_t len);
void vcpu_pm_load_tr(struct kvm_vcpu *vcpu, void *mem);
#define PM_TSS_SELECTOR	0x20
#define PM_USER_CS	0x2b
#define PM_USER_DS	0x33
/* IRET to @target (an address expression) in ring 3, IOPL 3, on @stack. */
#define PM_TO_RING3(target, stack)					\
	"push $" KVM_STR(PM_USER_DS) "\n"				\
	"push $" stack "\n"						\
	"push $0x3002\n"						\
	"push $" KVM_STR(PM_USER_CS) "\n"				\
	"push $(" target ")\n"						\
	"iret\n"

/*
 * Put this processor's hypercall instruction (VMCALL on Intel, VMMCALL on
 * AMD), or the other vendor's if @foreign, and a RET at @gpa in @mem
 * (guest physical 0): guest code CALLs it (indirectly: guest code is
 * assembled elsewhere than it runs) with the number in EAX/RAX, in any
 * mode.  Returns the address of the three instruction bytes in @mem.
 */
uint8_t *vm_put_hypercall(void *mem, uint64_t gpa, bool foreign);

/*
 * Guest code in assembly: GUEST_CODE16(name, "insn\n" ...) defines the
 * bytes name[] .. name_end[] of a 16-bit program, to be copied into guest
 * memory with vcpu_load_real_mode().
 */
#define GUEST_CODE16(name, body)					\
	extern const unsigned char name[], name##_end[];		\
	asm(".pushsection .rodata\n.code16\n"				\
	    #name ":\n" body #name "_end:\n"				\
	    ".code64\n.popsection\n")

/* The same for 32-bit code, for vcpu_load_protected_mode(). */
#define GUEST_CODE32(name, body)					\
	extern const unsigned char name[], name##_end[];		\
	asm(".pushsection .rodata\n.code32\n"				\
	    #name ":\n" body #name "_end:\n"				\
	    ".code64\n.popsection\n")

/* The same for 64-bit code, for vcpu_load_long_mode(). */
#define GUEST_CODE64(name, body)					\
	extern const unsigned char name[], name##_end[];		\
	asm(".pushsection .rodata\n"					\
	    #name ":\n" body #name "_end:\n"				\
	    ".popsection\n")

/* A label in guest code ("name:"), to know where an instruction is. */
#define GUEST_CODE_LABEL(name)	extern const unsigned char name[]

#define GUEST_CODE_SIZE(name)	((size_t)(name##_end - (name)))

/*
 * KVM_SET_MSRS and KVM_GET_MSRS of one MSR on @fd (a vCPU, or /dev/kvm for
 * the feature MSRs): return the ioctl's count, 1 if it was written or
 * read (the value in @data), 0 if refused, -1 with errno.
 */
int kvm_set_msr(int fd, uint32_t index, uint64_t data);
int kvm_get_msr(int fd, uint32_t index, uint64_t *data);

/* Does KVM_GET_MSR_INDEX_LIST on /dev/kvm (@kvm_fd) list MSR @index? */
bool kvm_msr_listed(int kvm_fd, uint32_t index);

/*
 * The value of statistic @name in the binary statistics file @stats_fd
 * (KVM_GET_STATS_FD), or -1 if the file has no such statistic.
 */
long long kvm_stat(int stats_fd, const char *name);

/* KVM_RUN; returns its result, errno is preserved. */
int vcpu_run(struct kvm_vcpu *vcpu);

void vcpu_get_regs(struct kvm_vcpu *vcpu, struct kvm_regs *regs);
void vcpu_set_regs(struct kvm_vcpu *vcpu, const struct kvm_regs *regs);
void vcpu_get_sregs(struct kvm_vcpu *vcpu, struct kvm_sregs *sregs);
void vcpu_set_sregs(struct kvm_vcpu *vcpu, const struct kvm_sregs *sregs);

const char *exit_reason_str(unsigned int reason);

/*
 * ucall: the guest talks to the test with a one-byte OUT to UCALL_PORT.
 * AL holds the command, RBX and RCX its two arguments.  The same protocol
 * works in every processor mode.
 */
#define UCALL_PORT	0xf1

/* Commands; numbers, not an enum, so that guest assembly can use them. */
#define UCALL_NONE	0
#define UCALL_DONE	1	/* the guest finished */
#define UCALL_SYNC	2	/* a checkpoint: args are values for the test */
#define UCALL_ABORT	3	/* the guest failed: arg0 is a line, arg1 a value */
/* A 64-bit guest took exception arg0; arg1 is its error code, or RIP. */
#define UCALL_EXCEPTION	4

/* Turn a macro's value into a string, e.g. for guest assembly. */
#define KVM_STR(x)	KVM_STR_(x)
#define KVM_STR_(x)	#x

struct ucall {
	int cmd;
	uint64_t args[2];
};

/*
 * If the vCPU's last exit is a ucall, fill in @uc and return true.  Any
 * command counts, UCALL_ABORT and UCALL_EXCEPTION too.
 */
bool vcpu_exit_ucall(struct kvm_vcpu *vcpu, struct ucall *uc);

/*
 * Run the vCPU until its next ucall and return it; any other exit, and an
 * exception the guest reports, fails the test with a description.
 */
int vcpu_run_ucall(struct kvm_vcpu *vcpu, struct ucall *uc);

#endif /* SELFTEST_KVM_UTIL_H */
