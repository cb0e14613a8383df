// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel local APIC (KVM_CREATE_IRQCHIP), seen by a 64-bit guest:
 * the xAPIC page, self IPIs, the task priority holding an interrupt off,
 * the timer in one-shot, periodic and TSC-deadline modes (never early,
 * and on time within a tolerance an emulator can keep), x2APIC mode with
 * its MSRs, HLT waiting in the kernel for the timer, and KVM_GET/SET_LAPIC
 * and KVM_GET/SET_MP_STATE from userspace.  The guest runs again on a
 * slower APIC bus (KVM_CAP_X86_APIC_BUS_CYCLES_NS), where its timer
 * counts last longer.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define IPI_HANDLER	0x3000
#define TIMER_HANDLER	0x3100
#define DATA		0x9000		/* IPI count, timer count, x2APIC on */
#define MEM_SIZE	0x10000
#define IPI_VECTOR	0x40
#define TIMER_VECTOR	0x41

/* RDI holds the APIC's address all along. */
#define APIC_REG(off)	#off "(%rdi)"
#define SYNC		"mov $" KVM_STR(UCALL_SYNC) ", %al\n" \
			"out %al, $" KVM_STR(UCALL_PORT) "\n"

/* Wait with HLT until the timer handler has counted one more. */
#define WAIT_TIMER	"mov 0x9004, %r9d\n" \
			"1: sti\n hlt\n cli\n" \
			"cmp 0x9004, %r9d\n" \
			"je 1b\n"

/* RBX = RDTSC - R8 */
#define ELAPSED		"rdtsc\n shl $32, %rdx\n or %rdx, %rax\n" \
			"sub %r8, %rax\n mov %rax, %rbx\n"
#define START		"rdtsc\n shl $32, %rdx\n or %rdx, %rax\n mov %rax, %r8\n"

GUEST_CODE64(guest_apic,
	     "mov $0x8000, %rsp\n"
	     "mov $0xfee00000, %edi\n"
	     /* Software-enable the APIC, spurious vector 0xff. */
	     "movl $0x1ff, " APIC_REG(0xf0) "\n"
	     "mov " APIC_REG(0x20) ", %ebx\n"
	     "mov " APIC_REG(0x30) ", %ecx\n"
	     SYNC
	     /* A self IPI: taken right after the ICR write (IF is set). */
	     "sti\n"
	     "movl $0x40040, " APIC_REG(0x300) "\n"
	     "nop\n"
	     "cli\n"
	     "mov 0x9000, %ebx\n"
	     SYNC
	     /* TPR 0x50 holds vector 0x40 off: it stays in IRR. */
	     "movl $0x50, " APIC_REG(0x80) "\n"
	     "sti\n"
	     "movl $0x40040, " APIC_REG(0x300) "\n"
	     "nop\n"
	     "mov 0x9000, %ebx\n"
	     "mov " APIC_REG(0x220) ", %ecx\n"
	     SYNC
	     /* Lowering the TPR lets it in. */
	     "movl $0, " APIC_REG(0x80) "\n"
	     "nop\n"
	     "cli\n"
	     "mov 0x9000, %ebx\n"
	     SYNC
	     /* One-shot timer: divide by 1, 2,000,000 ns. */
	     "movl $0xb, " APIC_REG(0x3e0) "\n"
	     "movl $" KVM_STR(TIMER_VECTOR) ", " APIC_REG(0x320) "\n"
	     START
	     "movl $2000000, " APIC_REG(0x380) "\n"
	     WAIT_TIMER
	     ELAPSED
	     "mov " APIC_REG(0x390) ", %ecx\n"
	     SYNC
	     /* Periodic: five periods of 1,000,000 ns, then stop it. */
	     "movl $" KVM_STR(0x20000 | TIMER_VECTOR) ", " APIC_REG(0x320) "\n"
	     START
	     "movl $1000000, " APIC_REG(0x380) "\n"
	     "mov $5, %r10d\n"
	     "2:\n"
	     WAIT_TIMER
	     "dec %r10d\n"
	     "jnz 2b\n"
	     ELAPSED
	     "movl $0, " APIC_REG(0x380) "\n"
	     /* Take a tick that came before the stop, if any. */
	     "sti\n nop\n nop\n cli\n"
	     SYNC
	     /* TSC deadline: RSI ticks from now (the host's value). */
	     "movl $" KVM_STR(0x40000 | TIMER_VECTOR) ", " APIC_REG(0x320) "\n"
	     START
	     "mov %r8, %rax\n"
	     "add %rsi, %rax\n"
	     "mov %rax, %rdx\n"
	     "shr $32, %rdx\n"
	     "mov $0x6e0, %ecx\n"
	     "wrmsr\n"
	     WAIT_TIMER
	     ELAPSED
	     "mov $0x6e0, %ecx\n"
	     "rdmsr\n"
	     "shl $32, %rdx\n"
	     "or %rdx, %rax\n"
	     "mov %rax, %rcx\n"
	     SYNC
	     /* x2APIC mode: the id and version as MSRs, a self IPI. */
	     "mov $0x1b, %ecx\n"
	     "rdmsr\n"
	     "or $0x400, %eax\n"
	     "wrmsr\n"
	     "movl $1, 0x9008\n"
	     "mov $0x802, %ecx\n"
	     "rdmsr\n"
	     "mov %eax, %ebx\n"
	     "mov $0x803, %ecx\n"
	     "rdmsr\n"
	     "mov %eax, %ecx\n"
	     SYNC
	     "sti\n"
	     "mov $0x83f, %ecx\n"
	     "mov $" KVM_STR(IPI_VECTOR) ", %eax\n"
	     "xor %edx, %edx\n"
	     "wrmsr\n"
	     "nop\n"
	     "cli\n"
	     "mov 0x9000, %ebx\n"
	     SYNC
	     /* The xAPIC page reads all ones in x2APIC mode. */
	     "mov " APIC_REG(0x30) ", %ebx\n"
	     "mov $" KVM_STR(UCALL_DONE) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

/* EOI through the page, or in x2APIC mode through MSR 0x80b. */
#define EOI	"cmpl $0, 0x9008\n" \
		"jne 8f\n" \
		"movl $0, 0xb0(%rdi)\n" \
		"jmp 9f\n" \
		"8: push %rax\n push %rcx\n push %rdx\n" \
		"xor %eax, %eax\n xor %edx, %edx\n mov $0x80b, %ecx\n" \
		"wrmsr\n" \
		"pop %rdx\n pop %rcx\n pop %rax\n" \
		"9: iretq\n"

GUEST_CODE64(guest_ipi_handler,
	     "lock incl 0x9000\n"
	     EOI);

GUEST_CODE64(guest_timer_handler,
	     "lock incl 0x9004\n"
	     EOI);

static struct ucall run(struct kvm_vcpu *vcpu)
{
	struct ucall uc;

	vcpu_run_ucall(vcpu, &uc);
	return uc;
}

/* The guest measured @ticks for @ns; never early, and late by < 2 s. */
static bool on_time(uint64_t ticks, uint64_t ns, long khz)
{
	uint64_t want = ns * khz / 1000000;

	return ticks >= want && ticks < want + 2000 * (uint64_t)khz;
}

static void test_mp_state(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	struct kvm_mp_state mp;
	struct kvm_vcpu *ap = vcpu_create(vm, 1);

	ksft_test_result(!ioctl(vcpu->fd, KVM_GET_MP_STATE, &mp) &&
			 mp.mp_state == KVM_MP_STATE_RUNNABLE &&
			 !ioctl(ap->fd, KVM_GET_MP_STATE, &mp) &&
			 mp.mp_state == KVM_MP_STATE_UNINITIALIZED,
			 "mp_state_bsp_runnable_ap_uninitialized\n");
	mp.mp_state = 42;
	ksft_test_result(ioctl(ap->fd, KVM_SET_MP_STATE, &mp) == -1 &&
			 errno == EINVAL, "mp_state_bad_state_einval\n");
	mp.mp_state = KVM_MP_STATE_INIT_RECEIVED;
	ksft_test_result(!ioctl(ap->fd, KVM_SET_MP_STATE, &mp) &&
			 !ioctl(ap->fd, KVM_GET_MP_STATE, &mp) &&
			 mp.mp_state == KVM_MP_STATE_INIT_RECEIVED,
			 "mp_state_set_get\n");
	vcpu_destroy(ap);
}

static void test_lapic_state(struct kvm_vcpu *vcpu)
{
	struct kvm_lapic_state s, t;
	struct kvm_sregs sregs;
	uint32_t *r = (uint32_t *)s.regs, *q = (uint32_t *)t.regs;

	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_LAPIC, &s), "KVM_GET_LAPIC: %s",
		     strerror(errno));
	/* Version 0x14, an xAPIC; LVT timer masked after reset. */
	ksft_test_result((r[0x30 / 4] & 0xff) == 0x14 &&
			 r[0x320 / 4] & 0x10000 && r[0x20 / 4] == 0,
			 "get_lapic_after_reset (lvr %#x)\n", r[0x30 / 4]);
	r[0x80 / 4] = 0x30;		/* TPR */
	r[0x350 / 4] = 0x700;		/* LINT0: ExtINT */
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_LAPIC, &s), "KVM_SET_LAPIC: %s",
		     strerror(errno));
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_LAPIC, &t), "KVM_GET_LAPIC: %s",
		     strerror(errno));
	vcpu_get_sregs(vcpu, &sregs);
	ksft_test_result(q[0x80 / 4] == 0x30 && q[0x350 / 4] == 0x700 &&
			 sregs.cr8 == 3, "set_lapic_round_trip_tpr_is_cr8\n");
	r[0x80 / 4] = 0;
	r[0x350 / 4] = 0x10000;
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_LAPIC, &s), "KVM_SET_LAPIC: %s",
		     strerror(errno));
}

/*
 * KVM_CAP_X86_APIC_BUS_CYCLES_NS answers the default cycle (1 ns) and
 * takes a cycle up to 2^25 ns, for APICs in the kernel, before the
 * first vCPU.
 */
static void test_bus_cycle_cap(int kvm_fd)
{
	struct kvm_vm *vm = vm_create();
	bool ok;

	ok = kvm_check_cap(kvm_fd, KVM_CAP_X86_APIC_BUS_CYCLES_NS) == 1 &&
	     vm_enable_cap(vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 0, 40) == ENXIO &&
	     vm_enable_cap(vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 0, 0) == EINVAL &&
	     !ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0) &&
	     vm_enable_cap(vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 1, 40) == EINVAL &&
	     vm_enable_cap(vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 0, (1ULL << 25) + 1) == EINVAL &&
	     vm_enable_cap(vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 0, 1ULL << 25) == 0 &&
	     vm_enable_cap(vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 0, 40) == 0;
	vcpu_destroy(vcpu_create(vm, 0));
	ksft_test_result(ok && vm_enable_cap(vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 0, 40) == EINVAL,
			 "bus_cycle_cap_rules\n");
	vm_destroy(vm);
}

/*
 * Run the guest on a VM whose APIC bus cycle is @bus_ns (0: the
 * default, 1 ns); the timer counts in bus cycles.  The default run also
 * checks the irqchip, MP state and APIC state ioctls.
 */
static void test_guest(int kvm_fd, uint64_t bus_ns)
{
	const char *tag = bus_ns ? "slow_bus" : "default_bus";
	uint64_t cycle = bus_ns ? bus_ns : 1;
	struct kvm_cpuid2 *cpuid;
	struct kvm_regs regs;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	uint8_t *mem;
	long khz;
	int i;

	vm = vm_create();
	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	if (bus_ns)
		TEST_REQUIRE(!vm_enable_cap(vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 0, bus_ns),
			     "KVM_CAP_X86_APIC_BUS_CYCLES_NS");
	else
		ksft_test_result(ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0) == -1 &&
				 errno == EEXIST, "create_irqchip_twice_eexist\n");
	vcpu = vcpu_create(vm, 0);
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_apic,
			    GUEST_CODE_SIZE(guest_apic));
	memcpy(mem + IPI_HANDLER, guest_ipi_handler,
	       GUEST_CODE_SIZE(guest_ipi_handler));
	memcpy(mem + TIMER_HANDLER, guest_timer_handler,
	       GUEST_CODE_SIZE(guest_timer_handler));
	vcpu_set_gate(mem, IPI_VECTOR, IPI_HANDLER);
	vcpu_set_gate(mem, TIMER_VECTOR, TIMER_HANDLER);

	/* As VMMs do for KVM_CAP_TSC_DEADLINE_TIMER: CPUID.1:ECX[24]. */
	cpuid = calloc(1, sizeof(*cpuid) + 256 * sizeof(cpuid->entries[0]));
	cpuid->nent = 256;
	TEST_REQUIRE(!ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid),
		     "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	for (i = 0; i < (int)cpuid->nent; i++)
		if (cpuid->entries[i].function == 1)
			cpuid->entries[i].ecx |= 1u << 24;
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_CPUID2, cpuid),
		     "KVM_SET_CPUID2: %s", strerror(errno));
	free(cpuid);

	khz = ioctl(vcpu->fd, KVM_GET_TSC_KHZ, 0);
	TEST_REQUIRE(khz > 0, "KVM_GET_TSC_KHZ: %s", strerror(errno));
	if (!bus_ns) {
		test_mp_state(vm, vcpu);
		test_lapic_state(vcpu);
	}

	uc = run(vcpu);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == 0 &&
			 (uc.args[1] & 0xff) == 0x14,
			 "xapic_id_and_version_%s (%#llx %#llx)\n", tag,
			 (unsigned long long)uc.args[0],
			 (unsigned long long)uc.args[1]);
	uc = run(vcpu);
	ksft_test_result(uc.args[0] == 1, "self_ipi_delivered_%s\n", tag);
	uc = run(vcpu);
	ksft_test_result(uc.args[0] == 1 && uc.args[1] & 1,
			 "tpr_holds_ipi_in_irr_%s\n", tag);
	uc = run(vcpu);
	ksft_test_result(uc.args[0] == 2, "tpr_lowered_ipi_delivered_%s\n",
			 tag);
	uc = run(vcpu);
	ksft_test_result(on_time(uc.args[0], 2000000 * cycle, khz) &&
			 uc.args[1] == 0,
			 "timer_one_shot_on_time_%s (%llu ticks)\n", tag,
			 (unsigned long long)uc.args[0]);
	uc = run(vcpu);
	ksft_test_result(on_time(uc.args[0], 5000000 * cycle, khz),
			 "timer_periodic_on_time_%s (%llu ticks)\n", tag,
			 (unsigned long long)uc.args[0]);

	/* The deadline is 3 ms of TSC away, whatever the bus. */
	vcpu_get_regs(vcpu, &regs);
	regs.rsi = 3 * khz;
	vcpu_set_regs(vcpu, &regs);
	uc = run(vcpu);
	ksft_test_result(on_time(uc.args[0], 3000000, khz) && uc.args[1] == 0,
			 "timer_tsc_deadline_on_time_%s (%llu ticks, msr %#llx)\n",
			 tag, (unsigned long long)uc.args[0],
			 (unsigned long long)uc.args[1]);
	uc = run(vcpu);
	ksft_test_result(uc.args[0] == 0 && (uc.args[1] & 0xff) == 0x14,
			 "x2apic_id_and_version_%s\n", tag);
	uc = run(vcpu);
	ksft_test_result(uc.args[0] == 3, "x2apic_self_ipi_delivered_%s\n",
			 tag);

	uc = run(vcpu);
	ksft_test_result(uc.cmd == UCALL_DONE && uc.args[0] == 0xffffffff,
			 "xapic_page_reads_ones_in_x2apic_mode_%s\n", tag);

	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_IRQCHIP,
			KVM_CAP_TSC_DEADLINE_TIMER, KVM_CAP_MP_STATE };

	kvm_require_caps(kvm_fd, caps, 4);
	ksft_print_header();
	ksft_set_plan(27);

	test_guest(kvm_fd, 0);
	/* 25 MHz, as the bus of many processors. */
	test_guest(kvm_fd, 40);
	test_bus_cycle_cap(kvm_fd);
	ksft_finished();
}
