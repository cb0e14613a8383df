// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vCPU's TSC offset as a device attribute (KVM_VCPU_TSC_CTRL,
 * KVM_VCPU_TSC_OFFSET): KVM_CHECK_EXTENSION offers vCPU attributes,
 * KVM_HAS_DEVICE_ATTR knows this one and no other (ENXIO), what
 * KVM_SET_DEVICE_ATTR sets KVM_GET_DEVICE_ATTR reads back, and a 64-bit
 * guest's RDTSC, between two host reads plus the offset, follows an
 * offset of 0, of three minutes of cycles ahead and of three behind.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <x86intrin.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000

GUEST_CODE64(guest_code,
	     "1: rdtsc\n"
	     "shl $32, %rdx\n"
	     "or %rdx, %rax\n"
	     "mov %rax, %rbx\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "jmp 1b\n");

static int attr(struct kvm_vcpu *vcpu, unsigned long req, uint32_t group,
		uint64_t which, uint64_t *val)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = which,
		.addr = (uintptr_t)val,
	};

	return ioctl(vcpu->fd, req, &a) ? errno : 0;
}

/* With @offset set, is the guest's TSC within the host's plus it? */
static bool guest_follows(struct kvm_vcpu *vcpu, uint64_t offset)
{
	uint64_t start, end;
	struct ucall uc;

	if (attr(vcpu, KVM_SET_DEVICE_ATTR, KVM_VCPU_TSC_CTRL,
		 KVM_VCPU_TSC_OFFSET, &offset))
		return false;
	start = __rdtsc() + offset;
	vcpu_run_ucall(vcpu, &uc);
	end = __rdtsc() + offset;
	return uc.cmd == UCALL_SYNC && start <= uc.args[0] &&
	       uc.args[0] <= end;
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_VCPU_ATTRIBUTES };
	uint64_t v = 0, ticks;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint8_t *mem;
	long khz;

	kvm_require_caps(kvm_fd, caps, 2);
	ksft_print_header();
	ksft_set_plan(6);

	vm = vm_create();
	mem = vm_add_memory(vm, 0, LONG_MODE_MEM_MIN);
	vcpu = vcpu_create(vm, 0);
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	khz = ioctl(vcpu->fd, KVM_GET_TSC_KHZ, 0);
	TEST_REQUIRE(khz > 0, "KVM_GET_TSC_KHZ: %s", strerror(errno));
	ticks = 180ULL * 1000 * khz;

	ksft_test_result(!attr(vcpu, KVM_HAS_DEVICE_ATTR, KVM_VCPU_TSC_CTRL,
			       KVM_VCPU_TSC_OFFSET, &v),
			 "has_tsc_offset\n");
	ksft_test_result(attr(vcpu, KVM_HAS_DEVICE_ATTR, KVM_VCPU_TSC_CTRL,
			      KVM_VCPU_TSC_OFFSET + 1, &v) == ENXIO &&
			 attr(vcpu, KVM_HAS_DEVICE_ATTR, KVM_VCPU_TSC_CTRL + 1,
			      KVM_VCPU_TSC_OFFSET, &v) == ENXIO,
			 "other_attributes_enxio\n");
	v = 12345;
	ksft_test_result(!attr(vcpu, KVM_SET_DEVICE_ATTR, KVM_VCPU_TSC_CTRL,
			       KVM_VCPU_TSC_OFFSET, &v) &&
			 (v = 0, !attr(vcpu, KVM_GET_DEVICE_ATTR,
				      KVM_VCPU_TSC_CTRL, KVM_VCPU_TSC_OFFSET,
				      &v)) && v == 12345,
			 "get_reads_what_set_set (%llu)\n",
			 (unsigned long long)v);
	ksft_test_result(guest_follows(vcpu, 0), "offset_0\n");
	ksft_test_result(guest_follows(vcpu, ticks), "offset_ahead\n");
	ksft_test_result(guest_follows(vcpu, -ticks), "offset_behind\n");

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_finished();
}
