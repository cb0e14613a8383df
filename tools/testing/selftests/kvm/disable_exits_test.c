// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_CAP_X86_DISABLE_EXITS: what KVM_CHECK_EXTENSION offers and what
 * enabling refuses.  A guest's HLT exits to userspace by default; in a
 * VM with HLT exits disabled the guest halts in the processor: only a
 * signal brings KVM_RUN back, and an interrupt from KVM_INTERRUPT wakes
 * the guest.  KVM_SET_CPUID2 then hides PV_UNHALT from the guest (a kick
 * cannot wake such a HLT) and keeps the other paravirtual features, also
 * when HLT exits go after the vCPU was created.  (What that does to the
 * vCPU's HLT differs: upstream's keeps exiting, ours stops.)
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/const.h>
#include <asm/kvm_para.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define HANDLER		0x3000
#define COUNT		0x9000
#define MEM_SIZE	0x10000
#define VECTOR		0x40
#define PV_UNHALT	((uint32_t)_BITUL(KVM_FEATURE_PV_UNHALT))
#define KNOWN_EXITS	(KVM_X86_DISABLE_EXITS_MWAIT | \
			 KVM_X86_DISABLE_EXITS_HLT | \
			 KVM_X86_DISABLE_EXITS_PAUSE | \
			 KVM_X86_DISABLE_EXITS_CSTATE)

/* Halt with interrupts on until the handler has counted one. */
GUEST_CODE64(guest_code,
	     "mov $0x8000, %rsp\n"
	     "1: sti\n"
	     "hlt\n"
	     "cmpl $0, 0x9000\n"
	     "je 1b\n"
	     "mov 0x9000, %ebx\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

GUEST_CODE64(guest_handler,
	     "lock incl 0x9000\n"
	     "iretq\n");

static void on_sigusr1(int sig)
{
}

static void *kick_later(void *arg)
{
	usleep(200 * 1000);
	pthread_kill(*(pthread_t *)arg, SIGUSR1);
	return NULL;
}

static struct kvm_vcpu *new_guest(struct kvm_vm *vm)
{
	struct kvm_vcpu *vcpu = vcpu_create(vm, 0);
	uint8_t *mem = vm_add_memory(vm, 0, MEM_SIZE);

	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	memcpy(mem + HANDLER, guest_handler, GUEST_CODE_SIZE(guest_handler));
	vcpu_set_gate(mem, VECTOR, HANDLER);
	return vcpu;
}

/* EAX of leaf 0x40000001 as KVM_GET_CPUID2 reports it, or 0. */
static uint32_t kvm_features(struct kvm_vcpu *vcpu)
{
	struct {
		struct kvm_cpuid2 hdr;
		struct kvm_cpuid_entry2 e[128];
	} cpuid = { .hdr.nent = 128 };
	unsigned int i;

	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_CPUID2, &cpuid),
		     "KVM_GET_CPUID2: %s", strerror(errno));
	for (i = 0; i < cpuid.hdr.nent; i++)
		if (cpuid.e[i].function == KVM_CPUID_FEATURES)
			return cpuid.e[i].eax;
	return 0;
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_X86_DISABLE_EXITS };
	struct kvm_interrupt irq = { .irq = VECTOR };
	pthread_t self = pthread_self(), kicker;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	uint32_t features;
	int offered, ret;

	kvm_require_caps(kvm_fd, caps, 2);
	offered = kvm_check_cap(kvm_fd, KVM_CAP_X86_DISABLE_EXITS);
	ksft_print_header();
	ksft_set_plan(9);
	signal(SIGUSR1, on_sigusr1);

	ksft_test_result((offered & KVM_X86_DISABLE_EXITS_HLT) &&
			 (offered & KVM_X86_DISABLE_EXITS_PAUSE) &&
			 !(offered & ~KNOWN_EXITS),
			 "offers_hlt_and_pause (%#x)\n", offered);

	vm = vm_create();
	ksft_test_result(vm_enable_cap(vm, KVM_CAP_X86_DISABLE_EXITS, 0,
				       KNOWN_EXITS + 1) == EINVAL,
			 "unknown_exit_einval\n");

	/* By default the guest's HLT comes to userspace. */
	vcpu = new_guest(vm);
	ret = vcpu_run(vcpu);
	ksft_test_result(!ret && vcpu->run->exit_reason == KVM_EXIT_HLT,
			 "hlt_exits_by_default (%s)\n",
			 exit_reason_str(vcpu->run->exit_reason));
	features = kvm_features(vcpu);
	ksft_test_result(features & PV_UNHALT,
			 "pv_unhalt_offered_with_hlt_exits (%#x)\n", features);
	vcpu_destroy(vcpu);
	vm_destroy(vm);

	/* HLT and PAUSE exits off before the vCPU comes. */
	vm = vm_create();
	TEST_REQUIRE(!vm_enable_cap(vm, KVM_CAP_X86_DISABLE_EXITS, 0,
				    KVM_X86_DISABLE_EXITS_HLT |
				    KVM_X86_DISABLE_EXITS_PAUSE),
		     "KVM_CAP_X86_DISABLE_EXITS");
	vcpu = new_guest(vm);
	ksft_test_result(kvm_features(vcpu) == (features & ~PV_UNHALT),
			 "cpuid_without_pv_unhalt_only (%#x)\n",
			 kvm_features(vcpu));

	/* The guest halts until a signal kicks the thread out. */
	pthread_create(&kicker, NULL, kick_later, &self);
	ret = vcpu_run(vcpu);
	pthread_join(kicker, NULL);
	ksft_test_result(ret == -1 && errno == EINTR &&
			 vcpu->run->exit_reason == KVM_EXIT_INTR,
			 "halted_guest_stays_until_a_signal (%d, %s)\n", ret,
			 exit_reason_str(vcpu->run->exit_reason));

	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_INTERRUPT, &irq),
		     "KVM_INTERRUPT: %s", strerror(errno));
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == 1,
			 "interrupt_wakes_the_halted_guest (%llu)\n",
			 (unsigned long long)uc.args[0]);
	vcpu_destroy(vcpu);
	vm_destroy(vm);

	/* After the vCPU: KVM_SET_CPUID2 hides PV_UNHALT from then on. */
	vm = vm_create();
	vcpu = new_guest(vm);
	ksft_test_result(!vm_enable_cap(vm, KVM_CAP_X86_DISABLE_EXITS, 0,
					KVM_X86_DISABLE_EXITS_HLT),
			 "disable_hlt_with_a_vcpu\n");
	vcpu_set_supported_cpuid(vcpu);
	ksft_test_result(kvm_features(vcpu) == (features & ~PV_UNHALT),
			 "set_cpuid_then_hides_pv_unhalt_only (%#x)\n",
			 kvm_features(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_finished();
}
