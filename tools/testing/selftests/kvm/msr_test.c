// SPDX-License-Identifier: GPL-2.0-only
/*
 * Model-specific registers: the MSR lists of /dev/kvm, KVM_GET/SET_MSRS
 * round trips, reset values and the checks on written values, and RDMSR/
 * WRMSR in a guest -- values shared with userspace both ways, #GP for
 * unknown MSRs and values the MSR does not take, EFER bits that depend on
 * the guest's CPUID, and the TSC -- KVM_CAP_X86_USER_SPACE_MSR, which
 * sends the guest's accesses to unknown MSRs to userspace, and vCPUs
 * that agree on the TSC when userspace writes it to each in turn.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cpuid.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SYSCALL_MASK	0xc0000084
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_IA32_TSC		0x10
#define MSR_IA32_APICBASE	0x1b
#define MSR_IA32_SYSENTER_CS	0x174
#define MSR_IA32_SYSENTER_ESP	0x175
#define MSR_IA32_SYSENTER_EIP	0x176
#define MSR_IA32_MISC_ENABLE	0x1a0
#define MSR_IA32_CR_PAT		0x277
#define MSR_IA32_UCODE_REV	0x8b
#define MSR_IA32_TSC_ADJUST	0x3b
#define MSR_K7_HWCR		0xc0010015
#define MSR_IA32_POWER_CTL	0x1fc
#define MSR_UNKNOWN		0xdeadbeef

#define EFER_SCE		0x1ULL
#define EFER_NX			0x800ULL

#define HANDLER_GPA	0x800
#define CODE_GPA	0x1000
#define MEM_SIZE	0x10000
#define GP_VECTOR	13

static const uint32_t round_trip[] = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK, MSR_KERNEL_GS_BASE,
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
	MSR_IA32_CR_PAT, MSR_IA32_POWER_CTL,
};

static const uint64_t round_trip_value[] = {
	0x0023001000000000ULL, 0xffffffff81000000ULL, 0xffffffff81001000ULL,
	0x47700, 0x00007f0012345000ULL, 0x10, 0xffffc90000004000ULL,
	0xffffffff81002000ULL, 0x0007010600070106ULL, 0x0000000000240002ULL,
};

static int kvm_fd;

static uint64_t msr(struct kvm_vcpu *vcpu, uint32_t index)
{
	uint64_t data;

	TEST_REQUIRE(kvm_get_msr(vcpu->fd, index, &data) == 1, "MSR %#x", index);
	return data;
}

static struct kvm_msr_list *msr_list(unsigned long ioctl_nr)
{
	struct kvm_msr_list probe = { .nmsrs = 0 }, *list;

	TEST_REQUIRE(ioctl(kvm_fd, ioctl_nr, &probe) == -1 && errno == E2BIG,
		     "MSR list with no room");
	list = calloc(1, sizeof(*list) + probe.nmsrs * sizeof(uint32_t));
	TEST_REQUIRE(list, "calloc");
	list->nmsrs = probe.nmsrs;
	TEST_REQUIRE(!ioctl(kvm_fd, ioctl_nr, list), "MSR list");
	return list;
}

static bool listed(const struct kvm_msr_list *list, uint32_t index)
{
	uint32_t i;

	for (i = 0; i < list->nmsrs; i++)
		if (list->indices[i] == index)
			return true;
	return false;
}

/*
 * Upstream lists the VMX capability MSRs (for nested VMX) but reads them
 * only once the vCPU's CPUID offers VMX.
 */
#define MSR_IA32_VMX_FIRST	0x480
#define MSR_IA32_VMX_LAST	0x493

/* Every listed MSR can be read, all at once, from @fd. */
static bool all_readable(int fd, const struct kvm_msr_list *list)
{
	struct kvm_msrs *msrs;
	uint32_t i, n = 0;
	int r;

	msrs = calloc(1, sizeof(*msrs) +
		      list->nmsrs * sizeof(struct kvm_msr_entry));
	TEST_REQUIRE(msrs, "calloc");
	for (i = 0; i < list->nmsrs; i++)
		if (fd == kvm_fd || list->indices[i] < MSR_IA32_VMX_FIRST ||
		    list->indices[i] > MSR_IA32_VMX_LAST)
			msrs->entries[n++].index = list->indices[i];
	msrs->nmsrs = n;
	r = ioctl(fd, KVM_GET_MSRS, msrs);
	if (r >= 0 && r < (int)n)
		ksft_print_msg("MSR %#x does not read\n",
			       msrs->entries[r].index);
	free(msrs);
	return r == (int)n;
}

static void test_lists(struct kvm_vcpu *vcpu)
{
	struct kvm_msr_list *list = msr_list(KVM_GET_MSR_INDEX_LIST);
	struct kvm_msr_list *features;
	uint64_t data;

	ksft_test_result(list->nmsrs > 0 && listed(list, MSR_STAR) &&
			 listed(list, MSR_LSTAR) &&
			 listed(list, MSR_KERNEL_GS_BASE) &&
			 listed(list, MSR_IA32_SYSENTER_EIP) &&
			 listed(list, MSR_IA32_TSC) &&
			 listed(list, MSR_IA32_POWER_CTL),
			 "index_list_has_syscall_tsc_and_power_ctl (%u)\n",
			 list->nmsrs);
	ksft_test_result(all_readable(vcpu->fd, list),
			 "every_listed_msr_reads\n");
	free(list);

	ksft_test_result(kvm_check_cap(kvm_fd, KVM_CAP_GET_MSR_FEATURES) > 0,
			 "cap_get_msr_features\n");
	features = msr_list(KVM_GET_MSR_FEATURE_INDEX_LIST);
	ksft_test_result(all_readable(kvm_fd, features),
			 "every_feature_msr_reads_on_dev_kvm (%u)\n",
			 features->nmsrs);
	free(features);
	ksft_test_result(kvm_get_msr(kvm_fd, MSR_UNKNOWN, &data) == 0,
			 "unknown_feature_msr_reads_none\n");
}

/* What upstream KVM reports: a fixed revision per vendor. */
static uint64_t ucode_rev_reset(void)
{
	uint32_t eax, ebx, ecx, edx;

	__cpuid(0, eax, ebx, ecx, edx);
	return ebx == 0x68747541 ? 0x01000065 : 0x100000000ULL; /* "Auth" */
}

static void test_reset(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu *ap = vcpu_create(vm, 1);
	uint64_t khz = ioctl(vcpu->fd, KVM_GET_TSC_KHZ, 0);
	uint64_t tsc = msr(vcpu, MSR_IA32_TSC);

	ksft_test_result(msr(vcpu, MSR_IA32_APICBASE) == 0xfee00900 &&
			 msr(ap, MSR_IA32_APICBASE) == 0xfee00800,
			 "reset_apic_base_bsp_and_ap\n");
	ksft_test_result(msr(vcpu, MSR_IA32_CR_PAT) == 0x0007040600070406ULL,
			 "reset_pat\n");
	ksft_test_result(msr(vcpu, MSR_IA32_MISC_ENABLE) == 0x1800,
			 "reset_misc_enable\n");
	ksft_test_result(msr(vcpu, MSR_IA32_UCODE_REV) == ucode_rev_reset(),
			 "reset_ucode_rev (%#llx)\n",
			 (unsigned long long)msr(vcpu, MSR_IA32_UCODE_REV));
	ksft_test_result(msr(vcpu, MSR_STAR) == 0 &&
			 msr(vcpu, MSR_LSTAR) == 0 &&
			 msr(vcpu, MSR_IA32_SYSENTER_CS) == 0 &&
			 msr(vcpu, MSR_IA32_POWER_CTL) == 0,
			 "reset_syscall_msrs_and_power_ctl_zero\n");
	/* The TSC counts from the VM's creation: not more than 10 min. */
	ksft_test_result((int64_t)khz > 0 && tsc < khz * 1000 * 600,
			 "tsc_starts_near_zero (%llu at %llu kHz)\n",
			 (unsigned long long)tsc, (unsigned long long)khz);
	vcpu_destroy(ap);
}

static void test_round_trip(struct kvm_vcpu *vcpu)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(round_trip); i++) {
		if (kvm_set_msr(vcpu->fd, round_trip[i], round_trip_value[i]) != 1 ||
		    msr(vcpu, round_trip[i]) != round_trip_value[i]) {
			ksft_print_msg("MSR %#x: %#llx\n", round_trip[i],
				       (unsigned long long)msr(vcpu, round_trip[i]));
			ok = false;
		}
	}
	ksft_test_result(ok, "set_get_round_trip\n");
	ksft_test_result(kvm_set_msr(vcpu->fd, MSR_IA32_MISC_ENABLE, 0x1801) == 1 &&
			 msr(vcpu, MSR_IA32_MISC_ENABLE) == 0x1801 &&
			 kvm_set_msr(vcpu->fd, MSR_IA32_MISC_ENABLE, 0x1800) == 1,
			 "misc_enable_round_trip\n");
	ksft_test_result(kvm_set_msr(vcpu->fd, MSR_EFER, EFER_SCE) == 1 &&
			 msr(vcpu, MSR_EFER) == EFER_SCE &&
			 kvm_set_msr(vcpu->fd, MSR_EFER, 0) == 1,
			 "efer_round_trip\n");
	ksft_test_result(kvm_set_msr(vcpu->fd, MSR_IA32_TSC, 1ULL << 40) == 1 &&
			 msr(vcpu, MSR_IA32_TSC) >= 1ULL << 40,
			 "tsc_write_moves_the_guest_tsc\n");
}

static void test_bad_values(struct kvm_vcpu *vcpu)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[3];
	} m = { .hdr.nmsrs = 3, .e = {
		{ .index = MSR_STAR, .data = 0x1234 },
		{ .index = MSR_UNKNOWN, .data = 1 },
		{ .index = MSR_LSTAR, .data = 0x5678 },
	} };
	struct kvm_sregs sregs;
	struct kvm_msrs big = { .nmsrs = 100000 };
	uint64_t lstar = msr(vcpu, MSR_LSTAR);

	ksft_test_result(ioctl(vcpu->fd, KVM_SET_MSRS, &m) == 1 &&
			 msr(vcpu, MSR_STAR) == 0x1234 &&
			 msr(vcpu, MSR_LSTAR) == lstar,
			 "set_msrs_stops_at_the_unknown_msr\n");
	ksft_test_result(kvm_set_msr(vcpu->fd, MSR_LSTAR, 0x0000800000000000ULL) == 0 &&
			 kvm_set_msr(vcpu->fd, MSR_KERNEL_GS_BASE, 1ULL << 63) == 0,
			 "non_canonical_address_refused\n");
	ksft_test_result(kvm_set_msr(vcpu->fd, MSR_IA32_CR_PAT, 0x0202020202020202ULL) == 0 &&
			 kvm_set_msr(vcpu->fd, MSR_IA32_CR_PAT, 0x0800000000000000ULL) == 0,
			 "bad_pat_type_refused\n");
	ksft_test_result(kvm_set_msr(vcpu->fd, MSR_EFER, 1ULL << 1) == 0 &&
			 kvm_set_msr(vcpu->fd, MSR_EFER, 1ULL << 63) == 0,
			 "efer_reserved_bits_refused\n");
	ksft_test_result(kvm_set_msr(vcpu->fd, MSR_IA32_APICBASE, 0xfee00901) == 0 &&
			 kvm_set_msr(vcpu->fd, MSR_IA32_APICBASE, 0xfee00400) == 0,
			 "apic_base_reserved_and_invalid_refused\n");
	vcpu_get_sregs(vcpu, &sregs);
	sregs.apic_base = 0xfee00901;
	ksft_test_result(ioctl(vcpu->fd, KVM_SET_SREGS, &sregs) == -1 &&
			 errno == EINVAL && msr(vcpu, MSR_IA32_APICBASE) ==
			 0xfee00900, "set_sregs_bad_apic_base_einval\n");
	ksft_test_result(ioctl(vcpu->fd, KVM_SET_MSRS, &big) == -1 &&
			 errno == E2BIG && ioctl(vcpu->fd, KVM_GET_MSRS, &big) == -1 &&
			 errno == E2BIG, "too_many_msrs_e2big\n");
	ksft_test_result(ioctl(vcpu->fd, KVM_GET_MSRS, (void *)8) == -1 &&
			 errno == EFAULT, "bad_pointer_efault\n");
}

/*
 * The guest reads STAR, writes LSTAR, reads and writes an unknown MSR
 * and writes values MSRs do not take (#GP each, counted in SI by the
 * handler, which skips the two-byte instruction, and marked in DI), sets
 * EFER.NX (#GP too unless the CPUID offers NX) and reads the TSC.
 *
 * (Not EFER.LME: QEMU stops running a nested guest that sets it in real
 * mode, upstream KVM's as well as ours.  Nor a non-canonical LSTAR:
 * upstream lets the guest write LSTAR directly, and QEMU takes any value.)
 */
GUEST_CODE16(guest_code,
	     "xorw %ax, %ax\n"
	     "movw %ax, %ss\n"
	     "movw $0x8000, %sp\n"
	     "xorw %si, %si\n"
	     /* 1: STAR as userspace set it */
	     "movl $0xc0000081, %ecx\n"
	     "rdmsr\n"
	     "movl %eax, %ebx\n"
	     "movl %edx, %ecx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     /* 2: LSTAR and POWER_CTL for userspace to read */
	     "movl $0xc0000082, %ecx\n"
	     "movl $0x81234000, %eax\n"
	     "movl $0xffffffff, %edx\n"
	     "wrmsr\n"
	     "movl $0x1fc, %ecx\n"
	     "movl $0x80002, %eax\n"
	     "xorl %edx, %edx\n"
	     "wrmsr\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     /* 3: four #GPs; CX = which, a bit each */
	     "xorw %di, %di\n"
	     "movl $0xdeadbeef, %ecx\n"
	     "rdmsr\n"
	     "shlw $1, %di\n"
	     "wrmsr\n"
	     "shlw $1, %di\n"
	     "movl $0x277, %ecx\n"
	     "movl $0x02020202, %eax\n"
	     "movl $0x02020202, %edx\n"
	     "wrmsr\n"
	     "shlw $1, %di\n"
	     "movl $0xc0000080, %ecx\n"
	     "movl $2, %eax\n"
	     "xorl %edx, %edx\n"
	     "wrmsr\n"
	     "movzwl %si, %ebx\n"
	     "movzwl %di, %ecx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     /* 4: EFER.NX and SCE; BX = #GPs it took */
	     "xorw %si, %si\n"
	     "movl $0xc0000080, %ecx\n"
	     "movl $0x801, %eax\n"
	     "xorl %edx, %edx\n"
	     "wrmsr\n"
	     "movzwl %si, %ebx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     /* 5: the TSC */
	     "rdtsc\n"
	     "movl %eax, %ebx\n"
	     "movl %edx, %ecx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     /* 6: AMD's interrupt pending message MSR; CX = #GPs */
	     "xorw %si, %si\n"
	     "movl $0xc0010055, %ecx\n"
	     "rdmsr\n"
	     "movl %eax, %ebx\n"
	     "orl %edx, %ebx\n"
	     "movzwl %si, %ecx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "movb $" KVM_STR(UCALL_DONE) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

/*
 * With KVM_CAP_X86_USER_SPACE_MSR for unknown MSRs: read one (userspace
 * answers), write one (userspace refuses: #GP), write a bad EFER value
 * (#GP from KVM: not the kind of refusal userspace asked for).
 */
GUEST_CODE16(guest_user_msr,
	     "xorw %ax, %ax\n"
	     "movw %ax, %ss\n"
	     "movw $0x8000, %sp\n"
	     "xorw %si, %si\n"
	     "movl $0xdeadbeef, %ecx\n"
	     "rdmsr\n"
	     "movl %eax, %ebx\n"
	     "movl %edx, %ecx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "movl $0xdeadbeef, %ecx\n"
	     "movl $0x55667788, %eax\n"
	     "movl $0x11223344, %edx\n"
	     "wrmsr\n"
	     "movl $0xc0000080, %ecx\n"
	     "movl $2, %eax\n"
	     "xorl %edx, %edx\n"
	     "wrmsr\n"
	     "movzwl %si, %ebx\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "movb $" KVM_STR(UCALL_DONE) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

/* The #GP handler, at HANDLER_GPA. */
GUEST_CODE16(guest_gp_handler,
	     "pushw %bp\n"
	     "movw %sp, %bp\n"
	     "addw $2, 2(%bp)\n"
	     "popw %bp\n"
	     "incw %si\n"
	     "orw $1, %di\n"
	     "iretw\n");

/* Give the vCPU the supported CPUID; returns whether it offers NX. */
static struct kvm_cpuid2 *supported_cpuid(void)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) +
				      256 * sizeof(struct kvm_cpuid_entry2));

	TEST_REQUIRE(c, "calloc");
	c->nent = 256;
	TEST_REQUIRE(!ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c),
		     "KVM_GET_SUPPORTED_CPUID");
	return c;
}

/* Give the vCPU the supported CPUID; returns whether it offers NX. */
static bool set_supported_cpuid(struct kvm_vcpu *vcpu)
{
	struct kvm_cpuid2 *c = supported_cpuid();
	bool nx = false;
	uint32_t i;

	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_CPUID2, c), "KVM_SET_CPUID2");
	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == 0x80000001)
			nx = c->entries[i].edx & (1U << 20);
	free(c);
	return nx;
}

/* Once the vCPU ran, only the same CPUID may be set again. */
static void test_cpuid_after_run(struct kvm_vcpu *vcpu)
{
	struct kvm_cpuid2 *c = supported_cpuid();
	bool same_ok = !ioctl(vcpu->fd, KVM_SET_CPUID2, c);
	int r;

	c->nent--;
	r = ioctl(vcpu->fd, KVM_SET_CPUID2, c);
	ksft_test_result(same_ok && r == -1 && errno == EINVAL,
			 "set_cpuid2_after_run_only_the_same\n");
	free(c);
}

/*
 * Run the guest on a new vCPU; with the supported CPUID if @with_cpuid.
 * The CPUID is set before the first KVM_RUN: upstream refuses changes
 * after it.
 */
static void test_guest(struct kvm_vm *vm, void *mem, bool with_cpuid)
{
	struct kvm_vcpu *vcpu = vcpu_create(vm, with_cpuid ? 3 : 2);
	const char *tag = with_cpuid ? "with_cpuid" : "without_cpuid";
	uint16_t *ivt = mem;
	struct ucall uc;
	uint64_t tsc;
	int cpuid = 0;		/* none, with NX, without NX */

	if (with_cpuid)
		cpuid = set_supported_cpuid(vcpu) ? 1 : 2;
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_code,
			    GUEST_CODE_SIZE(guest_code));
	memcpy((char *)mem + HANDLER_GPA, guest_gp_handler,
	       GUEST_CODE_SIZE(guest_gp_handler));
	ivt[GP_VECTOR * 2] = HANDLER_GPA;
	ivt[GP_VECTOR * 2 + 1] = 0;
	TEST_REQUIRE(kvm_set_msr(vcpu->fd, MSR_STAR, 0x0023001012345678ULL) == 1,
		     "set STAR");

	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC &&
			 (uint32_t)uc.args[0] == 0x12345678 &&
			 (uint32_t)uc.args[1] == 0x00230010,
			 "guest_rdmsr_sees_userspace_value_%s\n", tag);
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(msr(vcpu, MSR_LSTAR) == 0xffffffff81234000ULL &&
			 msr(vcpu, MSR_IA32_POWER_CTL) == 0x80002,
			 "userspace_sees_guest_wrmsr_%s\n", tag);
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && uc.args[0] == 4 &&
			 msr(vcpu, MSR_LSTAR) == 0xffffffff81234000ULL,
			 "unknown_msr_and_bad_values_gp_%s (%llu: %#llx)\n", tag,
			 (unsigned long long)uc.args[0],
			 (unsigned long long)uc.args[1]);
	vcpu_run_ucall(vcpu, &uc);
	if (!cpuid)
		ksft_test_result(uc.args[0] == 1 && msr(vcpu, MSR_EFER) == 0,
				 "efer_nx_gp_without_nx_in_cpuid\n");
	else if (cpuid == 1)
		ksft_test_result(uc.args[0] == 0 &&
				 msr(vcpu, MSR_EFER) == (EFER_NX | EFER_SCE),
				 "efer_nx_with_nx_in_cpuid\n");
	else
		ksft_test_result_skip("efer_nx_with_nx_in_cpuid: no NX\n");

	TEST_REQUIRE(kvm_set_msr(vcpu->fd, MSR_IA32_TSC, 1ULL << 40) == 1, "set TSC");
	vcpu_run_ucall(vcpu, &uc);
	tsc = (uint32_t)uc.args[0] | uc.args[1] << 32;
	ksft_test_result(tsc >= 1ULL << 40 && tsc - (1ULL << 40) < 1ULL << 40 &&
			 msr(vcpu, MSR_IA32_TSC) >= tsc,
			 "guest_rdtsc_follows_the_tsc_msr_%s (%#llx)\n", tag,
			 (unsigned long long)tsc);
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && !uc.args[0] && !uc.args[1],
			 "guest_reads_int_pending_msg_as_0_%s\n", tag);
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_DONE, "guest_done_%s\n", tag);
	if (with_cpuid)
		test_cpuid_after_run(vcpu);
	vcpu_destroy(vcpu);
}

/* The guest writes its TSC, then its TSC_ADJUST (SDM vol. 3B, 17.17.3). */
GUEST_CODE16(guest_tsc_adjust,
	     "movl $0x10, %ecx\n"
	     "xorl %eax, %eax\n"
	     "movl $0x100, %edx\n"	/* 2^40 */
	     "wrmsr\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "movl $0x3b, %ecx\n"
	     "xorl %eax, %eax\n"
	     "movl $0x200, %edx\n"	/* 2^41 */
	     "wrmsr\n"
	     "movb $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "outb %al, $" KVM_STR(UCALL_PORT) "\n"
	     "hlt\n");

static bool near(uint64_t v, uint64_t want)
{
	return v >= want - (1ULL << 38) && v <= want + (1ULL << 38);
}

/* Does the supported CPUID offer IA32_TSC_ADJUST (CPUID.7.0:EBX[1])? */
static bool tsc_adjust_offered(void)
{
	struct kvm_cpuid2 *c = supported_cpuid();
	bool offered = false;
	uint32_t i;

	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == 7 && !c->entries[i].index)
			offered = c->entries[i].ebx & (1U << 1);
	free(c);
	return offered;
}

/*
 * A guest write to the TSC moves TSC_ADJUST by as much, a guest write to
 * TSC_ADJUST (which exists for the guest when its CPUID says so) moves
 * the TSC; userspace's writes (restoring state) move only what they
 * write.  HWCR keeps two bits, ignores three and refuses the others, as
 * upstream.  A VM of its own: upstream starts a new vCPU's TSC where
 * userspace last set another's.
 */
static void test_tsc_adjust_and_hwcr(void)
{
	struct kvm_vm *vm = vm_create();
	void *mem = vm_add_memory(vm, 0, MEM_SIZE);
	struct kvm_vcpu *vcpu = vcpu_create(vm, 0);
	bool offered = tsc_adjust_offered();
	uint64_t adjust, tsc;
	struct ucall uc;

	set_supported_cpuid(vcpu);
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_tsc_adjust,
			    GUEST_CODE_SIZE(guest_tsc_adjust));
	ksft_test_result(msr(vcpu, MSR_IA32_TSC_ADJUST) == 0,
			 "tsc_adjust_starts_at_0\n");
	vcpu_run_ucall(vcpu, &uc);
	adjust = msr(vcpu, MSR_IA32_TSC_ADJUST);
	ksft_test_result(near(adjust, 1ULL << 40) && adjust <= 1ULL << 40 &&
			 near(msr(vcpu, MSR_IA32_TSC), 1ULL << 40),
			 "guest_tsc_write_moves_tsc_adjust (%#llx)\n",
			 (unsigned long long)adjust);
	if (offered) {
		vcpu_run_ucall(vcpu, &uc);
		ksft_test_result(msr(vcpu, MSR_IA32_TSC_ADJUST) == 1ULL << 41 &&
				 near(msr(vcpu, MSR_IA32_TSC),
				      (1ULL << 40) + (1ULL << 41) - adjust),
				 "guest_tsc_adjust_write_moves_tsc\n");
	} else {
		ksft_test_result_skip("guest_tsc_adjust_write_moves_tsc: not in CPUID\n");
	}
	adjust = msr(vcpu, MSR_IA32_TSC_ADJUST);
	TEST_REQUIRE(kvm_set_msr(vcpu->fd, MSR_IA32_TSC, 1ULL << 42) == 1, "set TSC");
	ksft_test_result(msr(vcpu, MSR_IA32_TSC_ADJUST) == adjust,
			 "host_tsc_write_keeps_tsc_adjust\n");
	TEST_REQUIRE(kvm_set_msr(vcpu->fd, MSR_IA32_TSC_ADJUST, 5) == 1,
		     "set TSC_ADJUST");
	tsc = msr(vcpu, MSR_IA32_TSC);
	ksft_test_result(msr(vcpu, MSR_IA32_TSC_ADJUST) == 5 &&
			 near(tsc, 1ULL << 42) && tsc >= 1ULL << 42,
			 "host_tsc_adjust_write_keeps_tsc\n");

	ksft_test_result(msr(vcpu, MSR_K7_HWCR) == 0 &&
			 kvm_set_msr(vcpu->fd, MSR_K7_HWCR, 1ULL << 18 | 1ULL << 24) == 1 &&
			 msr(vcpu, MSR_K7_HWCR) == (1ULL << 18 | 1ULL << 24) &&
			 kvm_set_msr(vcpu->fd, MSR_K7_HWCR, 1ULL << 3 | 1ULL << 8) == 1 &&
			 msr(vcpu, MSR_K7_HWCR) == 0 &&
			 kvm_set_msr(vcpu->fd, MSR_K7_HWCR, 1ULL << 0) == 0 &&
			 kvm_set_msr(vcpu->fd, MSR_K7_HWCR, 1ULL << 63) == 0,
			 "hwcr_bits\n");
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/* Runs last: the capability holds for the whole VM. */
static void test_user_space_msr(struct kvm_vm *vm, void *mem)
{
	struct kvm_enable_cap unknown = { .cap = 0x7fffffff };
	struct kvm_vcpu *vcpu = vcpu_create(vm, 5);
	struct kvm_run *run = vcpu->run;
	struct ucall uc;
	int r;

	ksft_test_result(kvm_check_cap(kvm_fd, KVM_CAP_X86_USER_SPACE_MSR) > 0 &&
			 vm_enable_cap(vm, KVM_CAP_X86_USER_SPACE_MSR, 0, 1 << 5) == EINVAL &&
			 ioctl(vm->fd, KVM_ENABLE_CAP, &unknown) == -1 &&
			 errno == EINVAL, "enable_cap_checks\n");
	TEST_REQUIRE(!vm_enable_cap(vm, KVM_CAP_X86_USER_SPACE_MSR, 0, KVM_MSR_EXIT_REASON_UNKNOWN),
		     "KVM_ENABLE_CAP(KVM_CAP_X86_USER_SPACE_MSR)");
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_user_msr,
			    GUEST_CODE_SIZE(guest_user_msr));

	r = vcpu_run(vcpu);
	ksft_test_result(!r && run->exit_reason == KVM_EXIT_X86_RDMSR &&
			 run->msr.index == MSR_UNKNOWN &&
			 run->msr.reason == KVM_MSR_EXIT_REASON_UNKNOWN,
			 "unknown_rdmsr_exits_to_userspace (%s)\n",
			 exit_reason_str(run->exit_reason));
	run->msr.data = 0x1122334455667788ULL;
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result((uint32_t)uc.args[0] == 0x55667788 &&
			 (uint32_t)uc.args[1] == 0x11223344,
			 "guest_reads_what_userspace_answered\n");

	r = vcpu_run(vcpu);
	ksft_test_result(!r && run->exit_reason == KVM_EXIT_X86_WRMSR &&
			 run->msr.index == MSR_UNKNOWN &&
			 run->msr.data == 0x1122334455667788ULL,
			 "unknown_wrmsr_exits_with_the_value\n");
	run->msr.error = 1;
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.args[0] == 2,
			 "userspace_error_and_bad_efer_are_gp (%llu)\n",
			 (unsigned long long)uc.args[0]);
	vcpu_run_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_DONE, "user_msr_guest_done\n");
	vcpu_destroy(vcpu);
}

static uint64_t tsc_gap(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/*
 * Userspace writes 0 to each vCPU's TSC in turn, with a pause between
 * (as QEMU at reset): the vCPUs still agree on the TSC, within 0.1 s
 * after a 0.3 s pause.  A value far from the VM's TSC is taken as it
 * is.  (Where a vCPU created afterwards starts is not pinned down: on
 * upstream, not with the others once userspace has written a TSC.)
 */
static void test_tsc_sync(void)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *v0 = vcpu_create(vm, 0), *v1 = vcpu_create(vm, 1);
	uint64_t tenth = (uint64_t)ioctl(v0->fd, KVM_GET_TSC_KHZ, 0) * 100;
	uint64_t t0, t1;

	TEST_REQUIRE(kvm_set_msr(v0->fd, MSR_IA32_TSC, 0) == 1, "set TSC");
	usleep(300000);
	TEST_REQUIRE(kvm_set_msr(v1->fd, MSR_IA32_TSC, 0) == 1, "set TSC");
	t1 = msr(v1, MSR_IA32_TSC);
	t0 = msr(v0, MSR_IA32_TSC);
	ksft_test_result(tsc_gap(t0, t1) < tenth,
			 "user_tsc_writes_of_zero_agree (%lld ticks apart)\n",
			 (long long)(t0 - t1));
	TEST_REQUIRE(kvm_set_msr(v1->fd, MSR_IA32_TSC, 1ULL << 40) == 1,
		     "set TSC");
	t1 = msr(v1, MSR_IA32_TSC);
	ksft_test_result(near(t1, 1ULL << 40) && t1 >= 1ULL << 40 &&
			 msr(v0, MSR_IA32_TSC) < 1ULL << 39,
			 "user_tsc_write_far_away_is_taken\n");
	vcpu_destroy(v1);
	vcpu_destroy(v0);
	vm_destroy(vm);
}

int main(void)
{
	static const long caps[] = { KVM_CAP_USER_MEMORY };
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	void *mem;

	ksft_print_header();
	kvm_fd = kvm_open_dev();
	kvm_require_caps(kvm_fd, caps, 1);
	ksft_set_plan(52);

	vm = vm_create();
	mem = vm_add_memory(vm, 0, MEM_SIZE);
	vcpu = vcpu_create(vm, 0);

	test_reset(vm, vcpu);
	test_lists(vcpu);
	test_round_trip(vcpu);
	test_bad_values(vcpu);
	test_guest(vm, mem, false);
	test_guest(vm, mem, true);
	test_user_space_msr(vm, mem);
	test_tsc_adjust_and_hwcr();
	test_tsc_sync();

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	close(kvm_fd);
	ksft_finished();
}
