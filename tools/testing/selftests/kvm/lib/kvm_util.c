// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM and vCPU helpers for the hypervisor selftests.
 */
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kvm_util.h"

int kvm_open_dev(void)
{
	int fd = open(KVM_DEV_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT || errno == ENXIO || errno == ENODEV)
			ksft_exit_skip("%s: %s\n", KVM_DEV_PATH, strerror(errno));
		ksft_exit_fail_msg("open %s: %s\n", KVM_DEV_PATH, strerror(errno));
	}
	return fd;
}

int kvm_check_cap(int kvm_fd, long cap)
{
	int r = ioctl(kvm_fd, KVM_CHECK_EXTENSION, cap);

	TEST_REQUIRE(r >= 0, "KVM_CHECK_EXTENSION(%ld): %s", cap, strerror(errno));
	return r;
}

void kvm_require_caps(int kvm_fd, const long *caps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!kvm_check_cap(kvm_fd, caps[i]))
			ksft_exit_skip("capability %ld is not offered\n", caps[i]);
}

const char *kvm_backend_module(void)
{
	if (!access("/sys/module/kvm_amd/initstate", F_OK))
		return "kvm_amd";
	if (!access("/sys/module/kvm_intel/initstate", F_OK))
		return "kvm_intel";
	return NULL;
}

int kvm_create_vm_fd(int kvm_fd)
{
	int fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);

	TEST_REQUIRE(fd >= 0, "KVM_CREATE_VM: %s", strerror(errno));
	return fd;
}

struct kvm_vm *vm_create(void)
{
	struct kvm_vm *vm = calloc(1, sizeof(*vm));

	TEST_REQUIRE(vm, "out of memory");
	vm->kvm_fd = kvm_open_dev();
	vm->fd = kvm_create_vm_fd(vm->kvm_fd);
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	TEST_REQUIRE(vm->run_size >= (int)sizeof(struct kvm_run),
		     "KVM_GET_VCPU_MMAP_SIZE: %d", vm->run_size);
	return vm;
}

void vm_destroy(struct kvm_vm *vm)
{
	close(vm->fd);
	close(vm->kvm_fd);
	free(vm);
}

void *vm_add_memory(struct kvm_vm *vm, uint64_t gpa, size_t size)
{
	struct kvm_userspace_memory_region region;
	void *mem;

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	TEST_REQUIRE(mem != MAP_FAILED, "mmap %zu bytes: %s", size, strerror(errno));
	region = (struct kvm_userspace_memory_region) {
		.slot = vm->nr_slots,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};
	TEST_REQUIRE(!ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region),
		     "KVM_SET_USER_MEMORY_REGION slot %u: %s", region.slot,
		     strerror(errno));
	vm->nr_slots++;
	return mem;
}

void *vm_late_msi(void *arg)
{
	struct kvm_msi msi = { .address_lo = 0xfee00000, .data = 0x51 };
	struct kvm_vm *vm = arg;

	sleep(2);
	TEST_REQUIRE(ioctl(vm->fd, KVM_SIGNAL_MSI, &msi) > 0,
		     "KVM_SIGNAL_MSI: %s", strerror(errno));
	return NULL;
}

struct kvm_vcpu *vcpu_create(struct kvm_vm *vm, int id)
{
	struct kvm_vcpu *vcpu = calloc(1, sizeof(*vcpu));

	TEST_REQUIRE(vcpu, "out of memory");
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, id);
	TEST_REQUIRE(vcpu->fd >= 0, "KVM_CREATE_VCPU(%d): %s", id, strerror(errno));
	vcpu->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 vcpu->fd, 0);
	TEST_REQUIRE(vcpu->run != MAP_FAILED, "mmap kvm_run: %s", strerror(errno));
	return vcpu;
}

int vm_enable_cap(struct kvm_vm *vm, uint32_t cap, uint32_t flags,
		  uint64_t arg)
{
	struct kvm_enable_cap c = { .cap = cap, .flags = flags, .args = { arg } };

	return ioctl(vm->fd, KVM_ENABLE_CAP, &c) ? errno : 0;
}

void vcpu_destroy(struct kvm_vcpu *vcpu)
{
	munmap(vcpu->run, vcpu->vm->run_size);
	close(vcpu->fd);
	free(vcpu);
}

void vcpu_get_regs(struct kvm_vcpu *vcpu, struct kvm_regs *regs)
{
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_REGS, regs), "KVM_GET_REGS: %s",
		     strerror(errno));
}

void vcpu_set_regs(struct kvm_vcpu *vcpu, const struct kvm_regs *regs)
{
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_REGS, regs), "KVM_SET_REGS: %s",
		     strerror(errno));
}

void vcpu_get_sregs(struct kvm_vcpu *vcpu, struct kvm_sregs *sregs)
{
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_GET_SREGS, sregs), "KVM_GET_SREGS: %s",
		     strerror(errno));
}

void vcpu_set_sregs(struct kvm_vcpu *vcpu, const struct kvm_sregs *sregs)
{
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_SREGS, sregs), "KVM_SET_SREGS: %s",
		     strerror(errno));
}

void vcpu_load_real_mode(struct kvm_vcpu *vcpu, void *mem, uint64_t gpa,
			 const void *code, size_t len)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	TEST_REQUIRE(gpa + len <= 0x10000, "real-mode code must sit below 64 KiB");
	memcpy((char *)mem + gpa, code, len);

	vcpu_get_sregs(vcpu, &sregs);
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	vcpu_set_sregs(vcpu, &sregs);

	memset(&regs, 0, sizeof(regs));
	regs.rip = gpa;
	regs.rflags = 0x2;	/* bit 1 is reserved and always 1 */
	vcpu_set_regs(vcpu, &regs);
}

struct kvm_cpuid2 *kvm_cpuid2_alloc(int nent)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) +
				      nent * sizeof(struct kvm_cpuid_entry2));

	TEST_REQUIRE(c, "out of memory");
	c->nent = nent;
	return c;
}

struct kvm_cpuid_entry2 *kvm_cpuid2_find(struct kvm_cpuid2 *c,
					 uint32_t function)
{
	uint32_t i;

	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == function)
			return &c->entries[i];
	return NULL;
}

void vcpu_set_supported_cpuid(struct kvm_vcpu *vcpu)
{
	struct kvm_cpuid2 *c = kvm_cpuid2_alloc(256);

	TEST_REQUIRE(!ioctl(vcpu->vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c),
		     "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	TEST_REQUIRE(!ioctl(vcpu->fd, KVM_SET_CPUID2, c), "KVM_SET_CPUID2: %s",
		     strerror(errno));
	free(c);
}

struct kvm_cpuid2 *kvm_hv_cpuid(int kvm_fd)
{
	struct kvm_cpuid2 *c = kvm_cpuid2_alloc(256), *hv = kvm_cpuid2_alloc(64);
	uint32_t i, n = 0;

	TEST_REQUIRE(!ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c) &&
		     !ioctl(kvm_fd, KVM_GET_SUPPORTED_HV_CPUID, hv),
		     "supported CPUID: %s", strerror(errno));
	for (i = 0; i < c->nent; i++)
		if ((c->entries[i].function & 0xffffff00) != 0x40000000)
			c->entries[n++] = c->entries[i];
	TEST_REQUIRE(n + hv->nent <= 256, "too many leaves");
	memcpy(&c->entries[n], hv->entries, hv->nent * sizeof(hv->entries[0]));
	c->nent = n + hv->nent;
	free(hv);
	return c;
}

/* Where vcpu_load_long_mode() puts its tables. */
#define LM_PML4		(LONG_MODE_TABLES)
#define LM_PDPT		(LONG_MODE_TABLES + 0x1000)
#define LM_PD		(LONG_MODE_TABLES + 0x2000)	/* the first GiB */
#define LM_PD_TOP	(LONG_MODE_TABLES + 0x3000)	/* the fourth */
#define LM_GDT		(LONG_MODE_TABLES + 0x4000)
#define PM_TSS		(LONG_MODE_TABLES + 0x4080)	/* 0x68 bytes */
#define PM_LTR_STUB	(LONG_MODE_TABLES + 0x40f0)	/* 16 bytes */
#define LM_STUBS	(LONG_MODE_TABLES + 0x4100)
#define LM_IDT		(LONG_MODE_TABLES + 0x5000)
#define LM_STUB_SIZE	16
#define LM_EXCEPTIONS	32
#define LM_VECTORS	256

#define PTE_PRESENT	0x1ULL
#define PTE_WRITABLE	0x2ULL
#define PTE_LARGE	0x80ULL

/* GDT: null, 64-bit code (0x8), data (0x10), 32-bit code (0x18). */
#define LM_CS64		0x8
#define LM_DS		0x10
#define LM_CS32		0x18
static const uint64_t lm_gdt[] = {
	0,
	0x00af9b000000ffffULL,
	0x00cf93000000ffffULL,
	0x00cf9b000000ffffULL,
};

/*
 * Protected mode adds an available 32-bit TSS of 0x68 bytes at PM_TSS
 * (selector PM_TSS_SELECTOR; the base is below 16 MiB, in bits 16-39) and
 * flat ring-3 code and data.
 */
static const uint64_t pm_gdt_more[] = {
	0x0000890000000067ULL | (uint64_t)PM_TSS << 16,
	0x00cffb000000ffffULL, 0x00cff3000000ffffULL,
};

static void lm_segment(struct kvm_segment *seg, uint16_t selector,
		       uint8_t type, bool l)
{
	memset(seg, 0, sizeof(*seg));
	seg->selector = selector;
	seg->limit = 0xffffffff;
	seg->type = type;
	seg->present = 1;
	seg->s = 1;
	seg->g = 1;
	seg->l = l;
	seg->db = !l;
}

/*
 * The handler of @vector: report the vector and the error code (or the
 * RIP the exception pushed, which is then on top of the stack), halt.
 * The same code in both modes but for the REX.W of the load.
 */
static void lm_stub(uint8_t *p, unsigned int vector, bool long_mode)
{
	static const uint8_t body[] = {
		0x8b, 0x0c, 0x24,		/* mov (%rsp), %rcx */
		0xb0, UCALL_EXCEPTION,		/* mov $UCALL_EXCEPTION, %al */
		0xe6, UCALL_PORT,		/* out %al, $UCALL_PORT */
		0xf4,				/* hlt */
		0xeb, 0xfd,			/* jmp hlt */
	};

	*p++ = 0xbb;				/* mov $vector, %ebx */
	memcpy(p, &vector, 4);
	p += 4;
	if (long_mode)
		*p++ = 0x48;
	memcpy(p, body, sizeof(body));
}

/* An interrupt gate: 16 bytes in long mode, 8 otherwise. */
static void lm_set_gate(uint8_t *mem, unsigned int vector, uint64_t handler,
			bool long_mode)
{
	uint64_t *idt = (uint64_t *)(mem + LM_IDT);
	uint64_t cs = long_mode ? LM_CS64 : LM_CS32;
	uint64_t gate = (handler & 0xffff) | cs << 16 | 0x8eULL << 40 |
			((handler >> 16) & 0xffff) << 48;

	if (long_mode) {
		idt[2 * vector] = gate;
		idt[2 * vector + 1] = handler >> 32;
	} else {
		idt[vector] = gate;
	}
}

void vcpu_set_gate(void *mem, unsigned int vector, uint64_t handler)
{
	lm_set_gate(mem, vector, handler, true);
}

void vcpu_add_tss64(struct kvm_vcpu *vcpu, void *mem, struct kvm_sregs *sregs,
		    uint64_t tss_gpa)
{
	uint16_t sel = sregs->gdt.limit + 1;
	uint64_t desc[2] = {
		0x67 | (tss_gpa & 0xffffffULL) << 16 | 0x89ULL << 40 |
		(tss_gpa >> 24 & 0xff) << 56,
		tss_gpa >> 32,
	};

	memcpy((uint8_t *)mem + sregs->gdt.base + sel, desc, sizeof(desc));
	sregs->gdt.limit += sizeof(desc);
	sregs->tr = (struct kvm_segment) {
		.selector = sel, .base = tss_gpa, .limit = 0x67, .type = 11,
		.present = 1,
	};
	vcpu_set_sregs(vcpu, sregs);
}

/* Gates to the stubs for the exceptions; no other vector has one. */
static void lm_build_idt(uint8_t *mem, bool long_mode)
{
	unsigned int v;

	memset(mem + LM_IDT, 0, LM_VECTORS * (long_mode ? 16 : 8));
	for (v = 0; v < LM_EXCEPTIONS; v++) {
		uint64_t handler = LM_STUBS + v * LM_STUB_SIZE;

		lm_stub(mem + handler, v, long_mode);
		lm_set_gate(mem, v, handler, long_mode);
	}
}

/* Flat segments, the tables, and 64-bit paging or no paging. */
static void vcpu_load_flat(struct kvm_vcpu *vcpu, void *mem, uint64_t gpa,
			   const void *code, size_t len, bool long_mode)
{
	uint64_t *pml4 = (uint64_t *)((char *)mem + LM_PML4);
	uint64_t *pdpt = (uint64_t *)((char *)mem + LM_PDPT);
	uint64_t *pd = (uint64_t *)((char *)mem + LM_PD);
	uint64_t *pd_top = (uint64_t *)((char *)mem + LM_PD_TOP);
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int i;

	TEST_REQUIRE(gpa + len <= LONG_MODE_TABLES || gpa >= LONG_MODE_MEM_MIN,
		     "code overlaps the long-mode tables");
	memcpy((char *)mem + gpa, code, len);

	memset(pml4, 0, 0x4000);
	pml4[0] = LM_PDPT | PTE_PRESENT | PTE_WRITABLE;
	pdpt[0] = LM_PD | PTE_PRESENT | PTE_WRITABLE;
	pdpt[3] = LM_PD_TOP | PTE_PRESENT | PTE_WRITABLE;
	for (i = 0; i < 512; i++) {
		pd[i] = ((uint64_t)i << 21) | PTE_PRESENT | PTE_WRITABLE |
			PTE_LARGE;
		pd_top[i] = (3ULL << 30) + pd[i];
	}
	memcpy((char *)mem + LM_GDT, lm_gdt, sizeof(lm_gdt));
	if (!long_mode) {
		uint32_t *tss = (uint32_t *)((char *)mem + PM_TSS);

		memcpy((char *)mem + LM_GDT + sizeof(lm_gdt), pm_gdt_more,
		       sizeof(pm_gdt_more));
		memset(tss, 0, 0x68);
		tss[1] = LONG_MODE_TABLES;	/* ESP0 */
		tss[2] = LM_DS;			/* SS0 */
	}
	lm_build_idt(mem, long_mode);

	vcpu_set_supported_cpuid(vcpu);
	vcpu_get_sregs(vcpu, &sregs);
	sregs.gdt.base = LM_GDT;
	sregs.gdt.limit = sizeof(lm_gdt) - 1 +
			  (long_mode ? 0 : sizeof(pm_gdt_more));
	sregs.idt.base = LM_IDT;
	sregs.idt.limit = LM_VECTORS * (long_mode ? 16 : 8) - 1;
	lm_segment(&sregs.cs, long_mode ? LM_CS64 : LM_CS32, 0xb, long_mode);
	lm_segment(&sregs.ds, LM_DS, 0x3, false);
	sregs.es = sregs.ds;
	sregs.ss = sregs.ds;
	sregs.fs = sregs.ds;
	sregs.gs = sregs.ds;
	if (long_mode) {
		sregs.cr3 = LM_PML4;
		sregs.cr4 = 0x20;		/* PAE */
		sregs.cr0 = 0x80000031;		/* PG, NE, ET, PE */
		sregs.efer = 0x500;		/* LMA, LME */
	} else {
		sregs.cr0 = 0x31;		/* NE, ET, PE */
		sregs.cr4 = 0;
		sregs.efer = 0;
	}
	vcpu_set_sregs(vcpu, &sregs);

	memset(&regs, 0, sizeof(regs));
	regs.rip = gpa;
	regs.rflags = 0x2;
	vcpu_set_regs(vcpu, &regs);
}

void vcpu_load_long_mode(struct kvm_vcpu *vcpu, void *mem, uint64_t gpa,
			 const void *code, size_t len)
{
	vcpu_load_flat(vcpu, mem, gpa, code, len, true);
}

void vcpu_load_protected_mode(struct kvm_vcpu *vcpu, void *mem, uint64_t gpa,
			      const void *code, size_t len)
{
	vcpu_load_flat(vcpu, mem, gpa, code, len, false);
}

/* Run "LTR PM_TSS_SELECTOR" and a ucall in the guest; the registers stay. */
void vcpu_pm_load_tr(struct kvm_vcpu *vcpu, void *mem)
{
	static const uint8_t stub[] = {
		0x66, 0xb8, PM_TSS_SELECTOR, 0x00,	/* mov $sel, %ax */
		0x0f, 0x00, 0xd8,			/* ltr %ax */
		0xb0, UCALL_SYNC,			/* mov $UCALL_SYNC, %al */
		0xe6, UCALL_PORT,			/* out %al, $UCALL_PORT */
	};
	struct kvm_regs regs, saved;
	struct ucall uc;

	memcpy((uint8_t *)mem + PM_LTR_STUB, stub, sizeof(stub));
	vcpu_get_regs(vcpu, &saved);
	regs = saved;
	regs.rip = PM_LTR_STUB;
	vcpu_set_regs(vcpu, &regs);
	TEST_REQUIRE(vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC, "LTR");
	vcpu_set_regs(vcpu, &saved);
}

uint8_t *vm_put_hypercall(void *mem, uint64_t gpa, bool foreign)
{
	static const uint8_t vmcall[] = { 0x0f, 0x01, 0xc1, 0xc3 };
	static const uint8_t vmmcall[] = { 0x0f, 0x01, 0xd9, 0xc3 };
	uint8_t *p = (uint8_t *)mem + gpa;
	unsigned int a, b, c, d;
	bool amd;

	__cpuid(0, a, b, c, d);
	/* "AuthenticAMD" and "HygonGenuine" have SVM's VMMCALL. */
	amd = b == 0x68747541 || b == 0x6f677948;
	memcpy(p, amd != foreign ? vmmcall : vmcall, 4);
	return p;
}

int vcpu_run(struct kvm_vcpu *vcpu)
{
	return ioctl(vcpu->fd, KVM_RUN, 0);
}

const char *exit_reason_str(unsigned int reason)
{
	static const char * const names[] = {
		[KVM_EXIT_UNKNOWN] = "UNKNOWN",
		[KVM_EXIT_EXCEPTION] = "EXCEPTION",
		[KVM_EXIT_IO] = "IO",
		[KVM_EXIT_HYPERCALL] = "HYPERCALL",
		[KVM_EXIT_DEBUG] = "DEBUG",
		[KVM_EXIT_HLT] = "HLT",
		[KVM_EXIT_MMIO] = "MMIO",
		[KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
		[KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
		[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
		[KVM_EXIT_INTR] = "INTR",
		[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
		[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
		[KVM_EXIT_IOAPIC_EOI] = "IOAPIC_EOI",
		[KVM_EXIT_X86_RDMSR] = "X86_RDMSR",
		[KVM_EXIT_X86_WRMSR] = "X86_WRMSR",
	};

	if (reason < ARRAY_SIZE(names) && names[reason])
		return names[reason];
	return "(unnamed)";
}

int kvm_set_msr(int fd, uint32_t index, uint64_t data)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = { .hdr.nmsrs = 1, .e = { .index = index, .data = data } };

	return ioctl(fd, KVM_SET_MSRS, &m);
}

int kvm_get_msr(int fd, uint32_t index, uint64_t *data)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = { .hdr.nmsrs = 1, .e = { .index = index } };
	int r = ioctl(fd, KVM_GET_MSRS, &m);

	*data = m.e.data;
	return r;
}

bool kvm_msr_listed(int kvm_fd, uint32_t index)
{
	struct kvm_msr_list probe = { .nmsrs = 0 }, *list;
	bool found = false;
	uint32_t i;

	ioctl(kvm_fd, KVM_GET_MSR_INDEX_LIST, &probe);
	list = calloc(1, sizeof(*list) + probe.nmsrs * sizeof(uint32_t));
	TEST_REQUIRE(list, "out of memory");
	list->nmsrs = probe.nmsrs;
	TEST_REQUIRE(!ioctl(kvm_fd, KVM_GET_MSR_INDEX_LIST, list),
		     "KVM_GET_MSR_INDEX_LIST: %s", strerror(errno));
	for (i = 0; i < list->nmsrs; i++)
		found |= list->indices[i] == index;
	free(list);
	return found;
}

long long kvm_stat(int stats_fd, const char *name)
{
	struct kvm_stats_header h;
	struct kvm_stats_desc *d;
	long long value = -1;
	size_t size;
	uint64_t v;
	uint32_t i;

	if (pread(stats_fd, &h, sizeof(h), 0) != sizeof(h))
		return -1;
	size = sizeof(*d) + h.name_size;
	d = malloc(size);
	TEST_REQUIRE(d, "out of memory");
	for (i = 0; i < h.num_desc; i++) {
		if (pread(stats_fd, d, size, h.desc_offset + i * size) !=
		    (ssize_t)size)
			break;
		if (strncmp(d->name, name, h.name_size))
			continue;
		if (pread(stats_fd, &v, sizeof(v), h.data_offset + d->offset) ==
		    sizeof(v))
			value = v;
		break;
	}
	free(d);
	return value;
}
