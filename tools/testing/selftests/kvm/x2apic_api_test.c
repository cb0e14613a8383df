// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_CAP_X2APIC_API: how KVM_GET/SET_LAPIC carry x2APIC ids, MSIs to
 * 32-bit destinations, and the 0xff broadcast of MSIs to x2APICs.
 *
 * Three vCPUs (ids 0, 1 and 300) with in-kernel APICs, put in x2APIC mode
 * by userspace; no guest runs: interrupts are checked in the IRR that
 * KVM_GET_LAPIC reports.  Without the capability an x2APIC's id reads as
 * an xAPIC id and what KVM_SET_LAPIC gives for it is ignored, and an MSI
 * to 0xff reaches every x2APIC.  With KVM_X2APIC_API_USE_32BIT_IDS the id
 * is whole (and must be the vCPU's in KVM_SET_LAPIC), and an MSI reaches
 * APIC 300 through bits 31:8 of its destination in address_hi.  With
 * KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK an MSI to 0xff reaches no
 * x2APIC (none has that id).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define NR_VCPUS	3
#define BIG_ID		300
#define REG(s, r)	(*(uint32_t *)&(s)->regs[r])
#define APIC_ID		0x20
#define APIC_SPIV	0xf0
#define APIC_IRR	0x200
#define X2APIC_EN	0x400ULL	/* APIC base: x2APIC mode */

static const int ids[NR_VCPUS] = { 0, 1, BIG_ID };
static struct kvm_vcpu *vcpus[NR_VCPUS];
static struct kvm_vm *vm;

static uint64_t apic_base(struct kvm_vcpu *vcpu, bool set, uint64_t val)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = { .hdr.nmsrs = 1, .e.index = 0x1b, .e.data = val };

	TEST_REQUIRE(ioctl(vcpu->fd, set ? KVM_SET_MSRS : KVM_GET_MSRS,
			   &m) == 1, "KVM_%s_MSRS APIC base",
		     set ? "SET" : "GET");
	return m.e.data;
}

static void get_lapic(struct kvm_vcpu *vcpu, struct kvm_lapic_state *s)
{
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_LAPIC, s), "KVM_GET_LAPIC: %s",
		     strerror(errno));
}

static int set_lapic(struct kvm_vcpu *vcpu, const struct kvm_lapic_state *s)
{
	return ioctl(vcpu->fd, KVM_SET_LAPIC, s) ? errno : 0;
}

static bool irr_has(int i, int vector)
{
	struct kvm_lapic_state s;

	get_lapic(vcpus[i], &s);
	return REG(&s, APIC_IRR + (vector / 32) * 0x10) & (1u << (vector % 32));
}

static int signal_msi(uint32_t dest, int vector)
{
	struct kvm_msi msi = {
		.address_lo = 0xfee00000 | (dest & 0xff) << 12,
		.address_hi = dest & ~0xffu,
		.data = vector,
	};

	return ioctl(vm->fd, KVM_SIGNAL_MSI, &msi);
}

static void test_legacy(void)
{
	struct kvm_lapic_state s;
	int ret;

	get_lapic(vcpus[1], &s);
	ksft_test_result(REG(&s, APIC_ID) == 1u << 24,
			 "legacy_id_in_xapic_format (0x%x)\n", REG(&s, APIC_ID));
	REG(&s, APIC_ID) = 0x55u << 24;
	ret = set_lapic(vcpus[1], &s);
	get_lapic(vcpus[1], &s);
	ksft_test_result(ret == 0 && REG(&s, APIC_ID) == 1u << 24,
			 "legacy_x2apic_id_read_only\n");
	ksft_test_result(signal_msi(0xff, 0x40) > 0 && irr_has(0, 0x40) &&
			 irr_has(1, 0x40) && irr_has(2, 0x40),
			 "legacy_msi_to_0xff_broadcasts\n");
}

static void test_32bit_ids(void)
{
	struct kvm_lapic_state s;

	ksft_test_result(!vm_enable_cap(vm, KVM_CAP_X2APIC_API, 0,
					KVM_X2APIC_API_USE_32BIT_IDS),
			 "enable_32bit_ids\n");
	get_lapic(vcpus[2], &s);
	ksft_test_result(REG(&s, APIC_ID) == BIG_ID, "x2apic_id_whole (0x%x)\n",
			 REG(&s, APIC_ID));
	ksft_test_result(set_lapic(vcpus[2], &s) == 0, "set_lapic_own_id\n");
	REG(&s, APIC_ID) = BIG_ID + 1;
	ksft_test_result(set_lapic(vcpus[2], &s) == EINVAL,
			 "set_lapic_other_id\n");

	apic_base(vcpus[1], true, apic_base(vcpus[1], false, 0) & ~X2APIC_EN);
	get_lapic(vcpus[1], &s);
	ksft_test_result(REG(&s, APIC_ID) == 1u << 24,
			 "back_in_xapic_mode_id_in_xapic_format (0x%x)\n",
			 REG(&s, APIC_ID));
	apic_base(vcpus[1], true, apic_base(vcpus[1], false, 0) | X2APIC_EN);

	ksft_test_result(signal_msi(BIG_ID, 0x41) > 0 && irr_has(2, 0x41) &&
			 !irr_has(0, 0x41) && !irr_has(1, 0x41),
			 "msi_to_32bit_id\n");
}

static void test_no_broadcast_quirk(void)
{
	ksft_test_result(!vm_enable_cap(vm, KVM_CAP_X2APIC_API, 0,
					KVM_X2APIC_API_USE_32BIT_IDS |
					KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK),
			 "disable_broadcast_quirk\n");
	ksft_test_result(signal_msi(0xff, 0x42) == 0 && !irr_has(0, 0x42) &&
			 !irr_has(1, 0x42) && !irr_has(2, 0x42),
			 "msi_to_0xff_no_broadcast\n");
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_X2APIC_API, KVM_CAP_IRQCHIP, KVM_CAP_SIGNAL_MSI };
	struct kvm_lapic_state s;
	int i;

	kvm_require_caps(kvm_fd, caps, 3);
	ksft_print_header();
	ksft_set_plan(2 + 3 + 6 + 2);

	ksft_test_result(kvm_check_cap(kvm_fd, KVM_CAP_X2APIC_API) ==
			 (KVM_X2APIC_API_USE_32BIT_IDS |
			  KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK),
			 "cap_flags\n");

	vm = vm_create();
	TEST_REQUIRE(!ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0),
		     "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	ksft_test_result(vm_enable_cap(vm, KVM_CAP_X2APIC_API, 0, 4) == EINVAL,
			 "enable_unknown_flag\n");
	for (i = 0; i < NR_VCPUS; i++) {
		vcpus[i] = vcpu_create(vm, ids[i]);
		vcpu_set_supported_cpuid(vcpus[i]);
		get_lapic(vcpus[i], &s);
		REG(&s, APIC_SPIV) = 0x1ff;
		TEST_REQUIRE(!set_lapic(vcpus[i], &s), "KVM_SET_LAPIC: %s",
			     strerror(errno));
		apic_base(vcpus[i], true,
			  apic_base(vcpus[i], false, 0) | X2APIC_EN);
	}

	test_legacy();
	test_32bit_ids();
	test_no_broadcast_quirk();

	for (i = 0; i < NR_VCPUS; i++)
		vcpu_destroy(vcpus[i]);
	vm_destroy(vm);
	ksft_finished();
}
