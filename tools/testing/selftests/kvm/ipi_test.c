// SPDX-License-Identifier: GPL-2.0-only
/*
 * Four vCPUs on four threads with the in-kernel APICs: the boot vCPU
 * starts the others with INIT and a start-up IPI (they wait in the kernel
 * until then, and start in real mode at the SIPI's page), then sends IPIs
 * of every kind: fixed by physical id, to all but itself, to a logical
 * (flat) destination, lowest priority among three (exactly one takes it),
 * an NMI, and one to all including itself; then the hypercalls between
 * vCPUs: an IPI to two of them at once (KVM_HC_SEND_IPI), a yield
 * (KVM_HC_SCHED_YIELD) and a kick (KVM_HC_KICK_CPU) that ends the HLT of
 * a vCPU halted with interrupts off.  The handlers count what each vCPU
 * received, by APIC id, in memory the test reads.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define NR_VCPUS	4
#define BSP_GPA		0x1000
#define AP_GPA		0x2000
#define IPI_HANDLER	0x3000
#define NMI_HANDLER	0x3100
#define QUIT_HANDLER	0x3200
#define HYPERCALL	0x3300
#define KICK_HANDLER	0x3400
#define TRAMPOLINE	0x6000		/* start-up IPI vector 6 */
#define ONLINE		0x9000
#define IPIS		0x9010		/* a counter per APIC id */
#define NMIS		0x9030
#define HC_IPI_RET	0x9040		/* what the hypercalls returned */
#define HC_YIELD_RET	0x9044
#define HC_KICK_RET	0x9048
#define KICK_HALTED	0x904c		/* AP 2 halts with IF=0 ... */
#define KICK_WOKEN	0x9050		/* ... and goes on */
#define MEM_SIZE	0x10000
#define IPI_VECTOR	0x50
#define QUIT_VECTOR	0x51
#define KICK_VECTOR	0x52

#define SYNC		"mov $" KVM_STR(UCALL_SYNC) ", %al\n" \
			"out %al, $" KVM_STR(UCALL_PORT) "\n"
/* ICR2 (destination) from ESI, then ICR from the immediate. */
#define SEND(icr)	"mov %esi, 0x310(%rdi)\n" \
			"movl $" KVM_STR(icr) ", 0x300(%rdi)\n"
/* Spin until the 32-bit counter at @addr reaches @n. */
#define WAIT_EQ(addr, n) "1: pause\n cmpl $" #n ", " #addr "\n jne 1b\n"
/* RBX, RCX: the IPI counters of APs 1-2 and 3 and the BSP, 16 bits each. */
#define REPORT		"movzwl 0x9014, %ebx\n" \
			"movzwl 0x9018, %eax\n shl $16, %eax\n or %eax, %ebx\n" \
			"movzwl 0x901c, %ecx\n" \
			"movzwl 0x9010, %eax\n shl $16, %eax\n or %eax, %ecx\n" \
			SYNC

/* The boot vCPU; the hand of the test. */
GUEST_CODE64(guest_bsp,
	     "mov $0x8000, %rsp\n"
	     "mov $0xfee00000, %edi\n"
	     "movl $0x1ff, 0xf0(%rdi)\n"
	     "movl $0x01000000, 0xd0(%rdi)\n"	/* logical id bit 0 */
	     "sti\n"
	     /* INIT, then a start-up IPI, to all but ourselves. */
	     "xor %esi, %esi\n"
	     SEND(0xc4500)
	     SEND(0xc4606)
	     WAIT_EQ(0x9000, 3)
	     SYNC
	     /* A fixed IPI to each AP by physical id. */
	     "mov $0x01000000, %esi\n"
	     SEND(0x4050)
	     WAIT_EQ(0x9014, 1)
	     "mov $0x02000000, %esi\n"
	     SEND(0x4050)
	     WAIT_EQ(0x9018, 1)
	     "mov $0x03000000, %esi\n"
	     SEND(0x4050)
	     WAIT_EQ(0x901c, 1)
	     REPORT
	     /* All but ourselves. */
	     "xor %esi, %esi\n"
	     SEND(0xc4050)
	     WAIT_EQ(0x9014, 2)
	     WAIT_EQ(0x9018, 2)
	     WAIT_EQ(0x901c, 2)
	     REPORT
	     /* Logical destination 0b1010: APs 1 and 3. */
	     "mov $0x0a000000, %esi\n"
	     SEND(0x4850)
	     WAIT_EQ(0x9014, 3)
	     WAIT_EQ(0x901c, 3)
	     REPORT
	     /* Lowest priority among APs 1-3: one of them. */
	     "mov 0x9014, %eax\n add 0x9018, %eax\n add 0x901c, %eax\n"
	     "inc %eax\n"
	     "mov $0x0e000000, %esi\n"
	     SEND(0x4950)
	     "2: pause\n"
	     "mov 0x9014, %edx\n add 0x9018, %edx\n add 0x901c, %edx\n"
	     "cmp %eax, %edx\n"
	     "jne 2b\n"
	     "mov %eax, %r12d\n"		/* the APs' count so far */
	     REPORT
	     /* An NMI to AP 2. */
	     "mov $0x02000000, %esi\n"
	     SEND(0x4400)
	     WAIT_EQ(0x9038, 1)
	     "mov 0x9034, %ebx\n"
	     "mov 0x9038, %ecx\n"
	     "add 0x903c, %ecx\n"
	     SYNC
	     /* All including ourselves. */
	     "xor %esi, %esi\n"
	     SEND(0x84050)
	     WAIT_EQ(0x9010, 1)
	     /* ... and wait for the three APs to count theirs. */
	     "add $3, %r12d\n"
	     "5: pause\n"
	     "mov 0x9014, %edx\n add 0x9018, %edx\n add 0x901c, %edx\n"
	     "cmp %r12d, %edx\n"
	     "jne 5b\n"
	     REPORT
	     /* KVM_HC_SEND_IPI to APs 1 and 3: bits 0 and 2 from id 1. */
	     "mov $" KVM_STR(HYPERCALL) ", %r10\n"
	     "mov 0x9014, %r8d\n mov 0x901c, %r9d\n"
	     "mov $10, %eax\n mov $5, %ebx\n xor %ecx, %ecx\n mov $1, %edx\n"
	     "mov $" KVM_STR(IPI_VECTOR) ", %esi\n"
	     "call *%r10\n"
	     "mov %eax, " KVM_STR(HC_IPI_RET) "\n"
	     "3: pause\n cmp 0x9014, %r8d\n je 3b\n"
	     "4: pause\n cmp 0x901c, %r9d\n je 4b\n"
	     /* KVM_HC_SCHED_YIELD to AP 2. */
	     "mov $11, %eax\n mov $2, %ebx\n"
	     "call *%r10\n"
	     "mov %eax, " KVM_STR(HC_YIELD_RET) "\n"
	     /* KVM_HC_KICK_CPU: AP 2 halts in its handler, IF clear. */
	     "mov $0x02000000, %esi\n"
	     SEND(0x4052)
	     WAIT_EQ(0x904c, 1)
	     "mov $5, %eax\n xor %ebx, %ebx\n mov $2, %ecx\n"
	     "call *%r10\n"
	     "mov %eax, " KVM_STR(HC_KICK_RET) "\n"
	     WAIT_EQ(0x9050, 1)
	     REPORT
	     /* Tell the APs to finish. */
	     SEND(0xc4051)
	     "mov $" KVM_STR(UCALL_DONE) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

/* Where a start-up IPI with vector 6 starts an AP: real mode, 0600:0000. */
GUEST_CODE16(guest_trampoline,
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

/* An AP, once the test has put it in 64-bit mode. */
GUEST_CODE64(guest_ap,
	     "mov $0xfee00000, %edi\n"
	     "movl $0x1ff, 0xf0(%rdi)\n"
	     "mov 0x20(%rdi), %ecx\n"
	     "shr $24, %ecx\n"
	     "mov $1, %eax\n"
	     "shl %cl, %eax\n"
	     "shl $24, %eax\n"
	     "mov %eax, 0xd0(%rdi)\n"		/* logical id bit = APIC id */
	     "lock incl 0x9000\n"
	     "1: sti\n"
	     "hlt\n"
	     "jmp 1b\n");

GUEST_CODE64(guest_ipi_handler,
	     "push %rax\n"
	     "mov 0x20(%rdi), %eax\n"
	     "shr $24, %eax\n"
	     "lock incl 0x9010(,%rax,4)\n"
	     "movl $0, 0xb0(%rdi)\n"
	     "pop %rax\n"
	     "iretq\n");

GUEST_CODE64(guest_nmi_handler,
	     "push %rax\n"
	     "mov 0x20(%rdi), %eax\n"
	     "shr $24, %eax\n"
	     "lock incl 0x9030(,%rax,4)\n"
	     "pop %rax\n"
	     "iretq\n");

/* Interrupts are off in here: only a kick ends the HLT. */
GUEST_CODE64(guest_kick_handler,
	     "lock incl " KVM_STR(KICK_HALTED) "\n"
	     "hlt\n"
	     "lock incl " KVM_STR(KICK_WOKEN) "\n"
	     "movl $0, 0xb0(%rdi)\n"
	     "iretq\n");

GUEST_CODE64(guest_quit_handler,
	     "movl $0, 0xb0(%rdi)\n"
	     "mov $" KVM_STR(UCALL_DONE) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

struct ap {
	struct kvm_vcpu *vcpu;
	pthread_t thread;
	struct kvm_sregs long_mode;	/* the BSP's, to start it in */
	uint16_t sipi_cs;		/* where the start-up IPI put it */
	bool done;
};

static void *ap_thread(void *arg)
{
	struct ap *ap = arg;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct ucall uc;
	int ret;

	/*
	 * Waits in the kernel for INIT and the start-up IPI; as VMMs do, run
	 * it again when KVM_RUN says -EAGAIN (after the INIT, say).
	 */
	do
		ret = vcpu_run(ap->vcpu);
	while (ret && errno == EAGAIN);
	TEST_REQUIRE(!ret && vcpu_exit_ucall(ap->vcpu, &uc),
		     "AP %d: KVM_RUN %d (%s), exit %s", ap->vcpu->id, ret,
		     strerror(errno), exit_reason_str(ap->vcpu->run->exit_reason));
	vcpu_get_sregs(ap->vcpu, &sregs);
	ap->sipi_cs = sregs.cs.selector;

	vcpu_set_sregs(ap->vcpu, &ap->long_mode);
	memset(&regs, 0, sizeof(regs));
	regs.rip = AP_GPA;
	regs.rsp = 0x8000 - 0x400 * ap->vcpu->id;
	regs.rflags = 0x2;
	vcpu_set_regs(ap->vcpu, &regs);
	vcpu_run_ucall(ap->vcpu, &uc);
	ap->done = uc.cmd == UCALL_DONE;
	return NULL;
}

/* One IPI counter (16 bits) of APIC id @id from a REPORT. */
static unsigned int count(const struct ucall *uc, int id)
{
	switch (id) {
	case 1: return uc->args[0] & 0xffff;
	case 2: return uc->args[0] >> 16;
	case 3: return uc->args[1] & 0xffff;
	default: return uc->args[1] >> 16;
	}
}

static void on_alarm(int sig)
{
}

static uint32_t mem32(const uint8_t *mem, uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, mem + gpa, sizeof(v));
	return v;
}

static bool counts(const struct ucall *uc, unsigned int c0, unsigned int c1,
		   unsigned int c2, unsigned int c3)
{
	return uc->cmd == UCALL_SYNC && count(uc, 0) == c0 &&
	       count(uc, 1) == c1 && count(uc, 2) == c2 && count(uc, 3) == c3;
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_IRQCHIP };
	struct ap aps[NR_VCPUS];
	struct kvm_sregs sregs;
	struct kvm_vcpu *bsp;
	struct kvm_vm *vm;
	struct ucall uc, prev;
	uint8_t *mem;
	int i, one = 0;
	bool started = true, done = true;

	kvm_require_caps(kvm_fd, caps, 2);
	ksft_print_header();
	ksft_set_plan(12);

	vm = vm_create();
	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	bsp = vcpu_create(vm, 0);
	vcpu_load_long_mode(bsp, mem, BSP_GPA, guest_bsp,
			    GUEST_CODE_SIZE(guest_bsp));
	memcpy(mem + AP_GPA, guest_ap, GUEST_CODE_SIZE(guest_ap));
	memcpy(mem + TRAMPOLINE, guest_trampoline,
	       GUEST_CODE_SIZE(guest_trampoline));
	memcpy(mem + IPI_HANDLER, guest_ipi_handler,
	       GUEST_CODE_SIZE(guest_ipi_handler));
	memcpy(mem + NMI_HANDLER, guest_nmi_handler,
	       GUEST_CODE_SIZE(guest_nmi_handler));
	memcpy(mem + QUIT_HANDLER, guest_quit_handler,
	       GUEST_CODE_SIZE(guest_quit_handler));
	memcpy(mem + KICK_HANDLER, guest_kick_handler,
	       GUEST_CODE_SIZE(guest_kick_handler));
	vm_put_hypercall(mem, HYPERCALL, false);
	vcpu_set_gate(mem, IPI_VECTOR, IPI_HANDLER);
	vcpu_set_gate(mem, 2, NMI_HANDLER);
	vcpu_set_gate(mem, QUIT_VECTOR, QUIT_HANDLER);
	vcpu_set_gate(mem, KICK_VECTOR, KICK_HANDLER);
	vcpu_get_sregs(bsp, &sregs);

	for (i = 1; i < NR_VCPUS; i++) {
		aps[i].vcpu = vcpu_create(vm, i);
		vcpu_set_supported_cpuid(aps[i].vcpu);
		aps[i].long_mode = sregs;
		aps[i].done = false;
		pthread_create(&aps[i].thread, NULL, ap_thread, &aps[i]);
	}

	vcpu_run_ucall(bsp, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC, "init_sipi_started_3_aps\n");
	vcpu_run_ucall(bsp, &uc);
	ksft_test_result(counts(&uc, 0, 1, 1, 1),
			 "fixed_ipi_by_physical_id\n");
	vcpu_run_ucall(bsp, &uc);
	ksft_test_result(counts(&uc, 0, 2, 2, 2), "fixed_ipi_all_but_self\n");
	vcpu_run_ucall(bsp, &uc);
	ksft_test_result(counts(&uc, 0, 3, 2, 3),
			 "fixed_ipi_logical_flat (%#llx %#llx)\n",
			 (unsigned long long)uc.args[0],
			 (unsigned long long)uc.args[1]);
	vcpu_run_ucall(bsp, &uc);
	one += count(&uc, 1) == 4 && count(&uc, 2) == 2 && count(&uc, 3) == 3;
	one += count(&uc, 1) == 3 && count(&uc, 2) == 3 && count(&uc, 3) == 3;
	one += count(&uc, 1) == 3 && count(&uc, 2) == 2 && count(&uc, 3) == 4;
	ksft_test_result(one == 1 && count(&uc, 0) == 0,
			 "lowest_priority_one_of_three (%#llx %#llx)\n",
			 (unsigned long long)uc.args[0],
			 (unsigned long long)uc.args[1]);
	vcpu_run_ucall(bsp, &uc);
	ksft_test_result(uc.args[0] == 0 && uc.args[1] == 1,
			 "nmi_ipi_to_one_ap\n");
	vcpu_run_ucall(bsp, &uc);
	ksft_test_result(count(&uc, 0) == 1, "fixed_ipi_all_including_self\n");
	prev = uc;

	/* A kick that does not come would leave the guest waiting. */
	signal(SIGALRM, on_alarm);
	alarm(120);
	vcpu_run_ucall(bsp, &uc);
	alarm(0);
	ksft_test_result(mem32(mem, HC_IPI_RET) == 2 &&
			 count(&uc, 1) == count(&prev, 1) + 1 &&
			 count(&uc, 2) == count(&prev, 2) &&
			 count(&uc, 3) == count(&prev, 3) + 1,
			 "pv_send_ipi_to_two (%u)\n", mem32(mem, HC_IPI_RET));
	ksft_test_result(mem32(mem, HC_YIELD_RET) == 0, "pv_sched_yield\n");
	ksft_test_result(mem32(mem, HC_KICK_RET) == 0 &&
			 mem32(mem, KICK_WOKEN) == 1,
			 "pv_kick_ends_hlt_with_if_clear\n");
	vcpu_run_ucall(bsp, &uc);

	for (i = 1; i < NR_VCPUS; i++) {
		pthread_join(aps[i].thread, NULL);
		started &= aps[i].sipi_cs == TRAMPOLINE >> 4;
		done &= aps[i].done;
	}
	ksft_test_result(started, "aps_started_at_sipi_vector\n");
	ksft_test_result(uc.cmd == UCALL_DONE && done, "aps_done\n");

	for (i = 1; i < NR_VCPUS; i++)
		vcpu_destroy(aps[i].vcpu);
	vcpu_destroy(bsp);
	vm_destroy(vm);
	ksft_finished();
}
