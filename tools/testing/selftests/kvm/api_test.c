// SPDX-License-Identifier: GPL-2.0-only
/*
 * The system ioctls of /dev/kvm that every VMM issues first: the API
 * version must be 12, the capabilities QEMU refuses to start without must
 * be there, and bad requests must fail with the documented errno.
 */
#include <errno.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kvm_util.h"

/* What QEMU 7.2 requires before it creates a VM (kvm_init()). */
static const long qemu_caps[] = {
	KVM_CAP_USER_MEMORY, KVM_CAP_DESTROY_MEMORY_REGION_WORKS,
	KVM_CAP_JOIN_MEMORY_REGIONS_WORKS, KVM_CAP_SET_TSS_ADDR,
	KVM_CAP_EXT_CPUID, KVM_CAP_MP_STATE, KVM_CAP_IOEVENTFD,
	KVM_CAP_INTERNAL_ERROR_DATA,
};

int main(void)
{
	unsigned int i, missing = 0;
	char buf[8];
	int fd, r;

	ksft_print_header();
	fd = kvm_open_dev();
	ksft_set_plan(6);

	r = ioctl(fd, KVM_GET_API_VERSION, 0);
	ksft_test_result(r == KVM_API_VERSION, "api_version_is_12 (got %d)\n", r);

	r = ioctl(fd, KVM_GET_API_VERSION, 1);
	ksft_test_result(r == -1 && errno == EINVAL,
			 "api_version_rejects_argument\n");

	/* An unknown capability is answered with 0, not an error. */
	r = ioctl(fd, KVM_CHECK_EXTENSION, 0x7fffffffL);
	ksft_test_result(r == 0, "unknown_capability_is_0 (got %d)\n", r);

	for (i = 0; i < ARRAY_SIZE(qemu_caps); i++) {
		if (ioctl(fd, KVM_CHECK_EXTENSION, qemu_caps[i]) > 0)
			continue;
		ksft_print_msg("capability %ld missing\n", qemu_caps[i]);
		missing++;
	}
	ksft_test_result(!missing, "capabilities_qemu_requires\n");

	r = ioctl(fd, _IO(KVMIO, 0xff), 0);
	ksft_test_result(r == -1 && errno == EINVAL, "unknown_ioctl_is_einval\n");

	r = read(fd, buf, sizeof(buf));
	ksft_test_result(r == -1 && errno == EINVAL, "read_is_einval\n");

	close(fd);
	ksft_finished();
}
