// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_PRE_FAULT_MEMORY: KVM_CHECK_EXTENSION offers it; flags, a size of
 * 0, unaligned ranges and ranges that wrap are EINVAL, and a range
 * outside the memory slots is ENOENT.  A range inside a slot is done in
 * one call, and the structure comes back empty past it; one that runs
 * off the slot's end stops there, with the rest left, and the next call
 * is ENOENT.  The 64-bit guest then reads what the test wrote in those
 * pages.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define DATA_GPA	0x100000
#define DATA_PAGES	4
#define PAGE		0x1000

/* Report the first quadword of each of the four data pages, summed. */
GUEST_CODE64(guest_code,
	     "mov $" KVM_STR(DATA_GPA) ", %rsi\n"
	     "mov (%rsi), %rbx\n"
	     "add 0x1000(%rsi), %rbx\n"
	     "add 0x2000(%rsi), %rbx\n"
	     "add 0x3000(%rsi), %rbx\n"
	     "mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

static int pre_fault(struct kvm_vcpu *vcpu, struct kvm_pre_fault_memory *r,
		     uint64_t gpa, uint64_t size, uint64_t flags)
{
	memset(r, 0, sizeof(*r));
	r->gpa = gpa;
	r->size = size;
	r->flags = flags;
	return ioctl(vcpu->fd, KVM_PRE_FAULT_MEMORY, r) ? errno : 0;
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_PRE_FAULT_MEMORY };
	struct kvm_pre_fault_memory r;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	uint8_t *mem, *data;
	uint64_t v;
	int i, ret;

	kvm_require_caps(kvm_fd, caps, 2);
	ksft_print_header();
	ksft_set_plan(8);

	vm = vm_create();
	mem = vm_add_memory(vm, 0, LONG_MODE_MEM_MIN);
	data = vm_add_memory(vm, DATA_GPA, DATA_PAGES * PAGE);
	vcpu = vcpu_create(vm, 0);
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	for (i = 0; i < DATA_PAGES; i++) {
		v = i + 1;
		memcpy(data + i * PAGE, &v, 8);
	}

	ksft_test_result(pre_fault(vcpu, &r, DATA_GPA, PAGE, 1) == EINVAL,
			 "flags_einval\n");
	ksft_test_result(pre_fault(vcpu, &r, DATA_GPA, 0, 0) == EINVAL,
			 "size_0_einval\n");
	ksft_test_result(pre_fault(vcpu, &r, DATA_GPA + 8, PAGE, 0) == EINVAL &&
			 pre_fault(vcpu, &r, DATA_GPA, 8, 0) == EINVAL,
			 "unaligned_einval\n");
	ksft_test_result(pre_fault(vcpu, &r, -2ULL * PAGE, 4 * PAGE, 0) ==
			 EINVAL, "wrapping_range_einval\n");
	ksft_test_result(pre_fault(vcpu, &r, 0x200000, PAGE, 0) == ENOENT &&
			 r.size == PAGE, "outside_slots_enoent\n");

	ret = pre_fault(vcpu, &r, DATA_GPA, 2 * PAGE, 0);
	ksft_test_result(!ret && !r.size && r.gpa == DATA_GPA + 2 * PAGE,
			 "range_in_a_slot_done (%d, %#llx left)\n", ret,
			 (unsigned long long)r.size);

	ret = pre_fault(vcpu, &r, DATA_GPA + 2 * PAGE, 4 * PAGE, 0);
	ksft_test_result(!ret && r.size == 2 * PAGE &&
			 r.gpa == DATA_GPA + DATA_PAGES * PAGE &&
			 ioctl(vcpu->fd, KVM_PRE_FAULT_MEMORY, &r) == -1 &&
			 errno == ENOENT && r.size == 2 * PAGE,
			 "range_off_the_slot_end_stops_there (%d, %#llx left)\n",
			 ret, (unsigned long long)r.size);

	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == 1 + 2 + 3 + 4,
			 "guest_reads_the_pages (%llu)\n",
			 (unsigned long long)uc.args[0]);

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ksft_finished();
}
