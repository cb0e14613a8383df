// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMIO and string port I/O, which the hypervisor carries out by decoding
 * the guest's instruction.
 *
 * A 64-bit guest runs each instruction form twice: once on RAM, where the
 * processor executes it, and once on a page no memory slot backs, where
 * every access becomes a KVM_EXIT_MMIO that this test answers from a
 * buffer that behaves like memory.  The guest compares the flags, the
 * registers and the memory both runs leave and reports a bit per
 * difference.  The same guest does REP INS and OUTS, whose data the test
 * checks, and writes to a read-only memory slot, which must exit as MMIO
 * and leave the slot alone.  A real-mode guest does the 16-bit forms:
 * segment overrides, 16-bit addressing and the operand size prefix.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kvm_util.h"

#define CODE_GPA	0x1000
#define RAM_VAR		0x9000	/* the RAM run's operands */
#define SAVE_RAM	0x9100	/* what the RAM run left */
#define SAVE_MMIO	0x9200	/* what the MMIO run left */
#define OUTS_DATA	0x9300
#define INS_DATA	0x9400
#define MEM_SIZE	0x10000
#define MMIO_GPA	0x20000	/* no slot: the test's device */
#define ROM_GPA		0x30000	/* a read-only slot */
#define DATA_PORT	0xe0
#define FS_BASE		(MMIO_GPA - RAM_VAR)

#define DEV_SIZE	0x1000
static uint8_t dev[DEV_SIZE];
static unsigned int mmio_reads, mmio_writes;
static uint8_t outs[64];
static unsigned int nr_outs, nr_ins;

/*
 * One run of an instruction: known operands in memory and registers
 * (RDI at the operand, RSI 8 bytes after it, R10 a copy of RBX), then the
 * instruction, then everything it may have changed saved at \out.
 */
#define GUEST_PASS_MACRO						\
	".macro pass insn:req, out:req\n"				\
	"	movabs $0x0123456789abcdef, %r11\n"			\
	"	mov %r11, (%rbx)\n"					\
	"	not %r11\n"						\
	"	mov %r11, 8(%rbx)\n"					\
	"	movabs $0x8877665544332211, %rax\n"			\
	"	mov $0x45, %ecx\n"					\
	"	lea 8(%rbx), %rsi\n"					\
	"	mov %rbx, %rdi\n"					\
	"	mov %rbx, %r10\n"					\
	"	push $2\n"						\
	"	popf\n"							\
	"	\\insn\n"						\
	"	pushf\n"						\
	"	pop \\out\n"						\
	"	mov (%rbx), %rdx\n"					\
	"	mov %rdx, \\out + 8\n"					\
	"	mov 8(%rbx), %rdx\n"					\
	"	mov %rdx, \\out + 16\n"					\
	"	mov %rax, \\out + 24\n"					\
	"	mov %rcx, \\out + 32\n"					\
	"	sub %rbx, %rdi\n"					\
	"	mov %rdi, \\out + 40\n"					\
	"	sub %rbx, %rsi\n"					\
	"	mov %rsi, \\out + 48\n"					\
	"	mov %r11, \\out + 56\n"					\
	".endm\n"							\
	".macro compare2 id, mask, ram, mmio\n"				\
	"	mov $" KVM_STR(RAM_VAR) ", %rbx\n"			\
	"	pass \"\\ram\", " KVM_STR(SAVE_RAM) "\n"		\
	"	mov $" KVM_STR(MMIO_GPA) ", %rbx\n"			\
	"	pass \"\\mmio\", " KVM_STR(SAVE_MMIO) "\n"		\
	"	mov $\\id, %ebx\n"					\
	"	mov $\\mask, %edx\n"					\
	"	call check\n"						\
	".endm\n"							\
	".macro compare id, mask, insn\n"				\
	"	compare2 \\id, \\mask, \"\\insn\", \"\\insn\"\n"	\
	".endm\n"

/* Flags each form defines: all arithmetic ones, without AF, only CF. */
#define F_ARITH		"0x8d5"
#define F_LOGIC		"0x8c5"
#define F_CF		"0x1"
#define F_ALL		"0xcd5"

/* The forms, by the id the guest reports them with. */
static const char * const forms[] = {
	"mov_store_64", "mov_load_64", "mov_store_8", "mov_load_8_ah",
	"mov_load_16", "mov_store_32", "mov_load_32_zero_extends",
	"mov_imm_8", "mov_imm_16", "mov_imm_64_sign_extends",
	"mov_moffs_store", "mov_moffs_load_8",
	"movzx_8", "movzx_16", "movsx_8", "movsx_16", "movsxd",
	"add_to_memory", "add_from_memory_32", "or_8", "adc_16", "sbb_64",
	"and_64", "sub_32", "xor_8_from_memory", "cmp_64", "cmp_from_memory",
	"add_imm8_sign_extended", "sub_imm32", "cmp_imm_8", "xor_imm_16",
	"test_reg", "test_imm_8", "test_imm_32",
	"xchg_64", "xchg_8",
	"bt_reg_bit_string", "bts_reg_32", "btr_negative_offset", "btc_imm",
	"bt_imm_16",
	"sib_index_scale", "rex_registers", "rip_relative", "fs_override",
	"address_size_32", "operand_size_16_imm", "lock_add",
	"rep_stosb", "rep_movsb_mmio_to_mmio", "std_rep_movsw", "lodsq",
	"stosq", "movsl_address_size_32",
};

#define C(id, mask, insn)	"compare " #id ", " mask ", \"" insn "\"\n"
#define C2(id, mask, ram, mmio)						\
	"compare2 " #id ", " mask ", \"" ram "\", \"" mmio "\"\n"

/*
 * add %rax, disp32(%rip) reaching @target from where the code runs, with
 * the displacement spelt out (the assembler would make it relative to
 * where the code is assembled).
 */
#define ADD_RIP_RELATIVE(target)					\
	".byte 0x48, 0x01, 0x05; .long " KVM_STR(target) " - "		\
	KVM_STR(CODE_GPA) " - (1f - guest_lm); 1:"

GUEST_CODE64(guest_lm,
	     GUEST_PASS_MACRO
	     "	mov $0x8000, %rsp\n"
	     "	mov $0xc0000100, %ecx\n"		/* FS base */
	     "	mov $" KVM_STR(FS_BASE) ", %eax\n"
	     "	xor %edx, %edx\n"
	     "	wrmsr\n"
	     C(0, F_ALL, "mov %rax,(%rbx)")
	     C(1, F_ALL, "mov (%rbx),%rax")
	     C(2, F_ALL, "mov %al,(%rbx)")
	     C(3, F_ALL, "mov 5(%rbx),%ah")
	     C(4, F_ALL, "mov 2(%rbx),%ax")
	     C(5, F_ALL, "mov %eax,4(%rbx)")
	     C(6, F_ALL, "mov (%rbx),%eax")
	     C(7, F_ALL, "movb $0x5a,3(%rbx)")
	     C(8, F_ALL, "movw $0x1234,(%rbx)")
	     C(9, F_ALL, "movq $-3,(%rbx)")
	     C2(10, F_ALL, "movabs %rax,0x9000", "movabs %rax,0x20000")
	     C2(11, F_ALL, "movabs 0x9008,%al", "movabs 0x20008,%al")
	     C(12, F_ALL, "movzbl 1(%rbx),%ecx")
	     C(13, F_ALL, "movzwq 6(%rbx),%rcx")
	     C(14, F_ALL, "movsbq 1(%rbx),%rcx")
	     C(15, F_ALL, "movswl 2(%rbx),%ecx")
	     C(16, F_ALL, "movslq 12(%rbx),%rcx")
	     C(17, F_ARITH, "add %rax,(%rbx)")
	     C(18, F_ARITH, "add (%rbx),%eax")
	     C(19, F_LOGIC, "or %al,(%rbx)")
	     C(20, F_ARITH, "stc; adc %ax,(%rbx)")
	     C(21, F_ARITH, "stc; sbb (%rbx),%rax")
	     C(22, F_LOGIC, "and %rax,(%rbx)")
	     C(23, F_ARITH, "sub %eax,(%rbx)")
	     C(24, F_LOGIC, "xor 1(%rbx),%cl")
	     C(25, F_ARITH, "cmp %rax,(%rbx)")
	     C(26, F_ARITH, "cmp (%rbx),%rcx")
	     C(27, F_ARITH, "addq $-1,(%rbx)")
	     C(28, F_ARITH, "subl $0x7fffffff,(%rbx)")
	     C(29, F_ARITH, "cmpb $0xef,(%rbx)")
	     C(30, F_LOGIC, "xorw $0x8001,6(%rbx)")
	     C(31, F_LOGIC, "test %rax,(%rbx)")
	     C(32, F_LOGIC, "testb $0x80,7(%rbx)")
	     C(33, F_LOGIC, "testl $0x10000,(%rbx)")
	     C(34, F_ALL, "xchg %rax,(%rbx)")
	     C(35, F_ALL, "xchg %cl,2(%rbx)")
	     C(36, F_CF, "bt %rcx,(%rbx)")
	     C(37, F_CF, "bts %ecx,(%rbx)")
	     C(38, F_CF, "mov $-3,%rcx; btr %rcx,8(%rbx)")
	     C(39, F_CF, "btcl $31,4(%rbx)")
	     C(40, F_CF, "btw $3,(%rbx)")
	     C(41, F_ARITH, "mov $2,%edx; add %rax,-8(%rbx,%rdx,4)")
	     C(42, F_ALL, "mov %rax,%r9; mov %r9,8(%r10); mov (%r10),%r11")
	     C2(43, F_ARITH, ADD_RIP_RELATIVE(RAM_VAR),
		ADD_RIP_RELATIVE(MMIO_GPA))
	     C2(44, F_ALL, "mov %rax,(%rbx)", "mov %rax,%fs:-0x17000(%rbx)")
	     C(45, F_ARITH, "add %eax,(%ebx)")
	     C(46, F_ARITH, "addw $0x7fff,4(%rbx)")
	     C(47, F_ARITH, "lock addq %rax,(%rbx)")
	     C(48, F_ALL, "mov $5,%ecx; rep stosb")
	     C(49, F_ALL, "mov $7,%ecx; rep movsb")
	     C(50, F_ALL, "lea 14(%rbx),%rsi; lea 6(%rbx),%rdi; mov $3,%ecx;"
		   "std; rep movsw; cld")
	     C(51, F_ALL, "lodsq")
	     C(52, F_ALL, "stosq")
	     C(53, F_ALL, "addr32 movsl")
	     /* REP OUTSB from RAM, REP INSW to RAM. */
	     "	mov $" KVM_STR(OUTS_DATA) ", %esi\n"
	     "	mov $" KVM_STR(DATA_PORT) ", %edx\n"
	     "	mov $10, %ecx\n"
	     "	rep outsb\n"
	     "	mov %rsi, %rbx\n"
	     "	mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "	out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "	mov $" KVM_STR(INS_DATA) ", %edi\n"
	     "	mov $6, %ecx\n"
	     "	rep insw\n"
	     "	mov %rdi, %rbx\n"
	     "	mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "	out %al, $" KVM_STR(UCALL_PORT) "\n"
	     /* A read-only slot: reads come from it, writes exit. */
	     "	mov $" KVM_STR(ROM_GPA) ", %ebx\n"
	     "	mov (%rbx), %rcx\n"
	     "	movq $0x77, (%rbx)\n"
	     "	mov (%rbx), %rbx\n"
	     "	mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "	out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "	mov $" KVM_STR(UCALL_DONE) ", %al\n"
	     "	out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "	hlt\n"
	     /* Report a bit per saved value that differs between the runs. */
	     "check:\n"
	     "	xor %ecx, %ecx\n"
	     "	mov " KVM_STR(SAVE_RAM) ", %rax\n"
	     "	xor " KVM_STR(SAVE_MMIO) ", %rax\n"
	     "	and %rdx, %rax\n"
	     "	jz 1f\n"
	     "	or $1, %ecx\n"
	     "1:\n"
	     ".irp i, 1, 2, 3, 4, 5, 6, 7\n"
	     "	mov " KVM_STR(SAVE_RAM) " + 8 * \\i, %rax\n"
	     "	cmp " KVM_STR(SAVE_MMIO) " + 8 * \\i, %rax\n"
	     "	je 1f\n"
	     "	or $(1 << \\i), %ecx\n"
	     "1:\n"
	     ".endr\n"
	     "	mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "	out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "	ret\n");

#define NR_FORMS	ARRAY_SIZE(forms)

/*
 * Real mode: ES points at the device.  Each step reports a value; the
 * device starts as 00 01 02 03 ...
 */
GUEST_CODE16(guest_rm,
	     "	mov $0x2000, %ax\n"
	     "	mov %ax, %es\n"
	     "	xor %ax, %ax\n"
	     "	mov %ax, %ds\n"
	     "	mov $0x10, %bx\n"
	     "	movw $0x1234, %es:(%bx)\n"		/* 26 c7 /0 */
	     "	mov %es:0x12, %cx\n"			/* [disp16] */
	     "	movzwl %cx, %ebx\n"
	     "	mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "	out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "	mov $0x10, %bx\n"
	     "	mov $4, %si\n"
	     "	addl $0x01010101, %es:8(%bx,%si)\n"	/* 66 prefix, [bx+si+d8] */
	     "	mov %es:0x1c, %ebx\n"
	     "	mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "	out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "	mov $0x20, %si\n"			/* RAM 0x20 -> device 0x40 */
	     "	mov $0x40, %di\n"
	     "	mov $4, %cx\n"
	     "	cld\n"
	     "	rep movsb\n"
	     "	mov %es:0x40, %ebx\n"
	     "	mov %di, %cx\n"
	     "	mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "	out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "	mov $0x20, %si\n"
	     "	mov $" KVM_STR(DATA_PORT) ", %dx\n"
	     "	mov $3, %cx\n"
	     "	rep outsw\n"
	     "	mov %si, %bx\n"
	     "	mov $" KVM_STR(UCALL_SYNC) ", %al\n"
	     "	out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "	mov $" KVM_STR(UCALL_DONE) ", %al\n"
	     "	out %al, $" KVM_STR(UCALL_PORT) "\n"
	     "	hlt\n");

/* The device: memory at MMIO_GPA; the port: a sink and a counter. */
static void handle_mmio(struct kvm_run *run)
{
	uint64_t off = run->mmio.phys_addr - MMIO_GPA;

	TEST_REQUIRE(run->mmio.len >= 1 && run->mmio.len <= 8,
		     "MMIO length %u", run->mmio.len);
	if (run->mmio.phys_addr >= ROM_GPA &&
	    run->mmio.phys_addr < ROM_GPA + 0x1000) {
		TEST_REQUIRE(run->mmio.is_write, "MMIO read of the ROM slot");
		mmio_writes++;
		memcpy(dev + DEV_SIZE - 8, run->mmio.data, run->mmio.len);
		return;
	}
	TEST_REQUIRE(run->mmio.phys_addr >= MMIO_GPA &&
		     off + run->mmio.len <= DEV_SIZE,
		     "MMIO at 0x%llx", (unsigned long long)run->mmio.phys_addr);
	if (run->mmio.is_write) {
		memcpy(dev + off, run->mmio.data, run->mmio.len);
		mmio_writes++;
	} else {
		memcpy(run->mmio.data, dev + off, run->mmio.len);
		mmio_reads++;
	}
}

static void handle_port(struct kvm_run *run)
{
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	unsigned int i, n = run->io.size * run->io.count;

	if (run->io.direction == KVM_EXIT_IO_OUT) {
		TEST_REQUIRE(nr_outs + n <= sizeof(outs), "too much OUTS");
		memcpy(outs + nr_outs, data, n);
		nr_outs += n;
		return;
	}
	for (i = 0; i < n; i++)
		data[i] = 0x80 + nr_ins++;
}

/* Run until a ucall, answering the device and the data port. */
static int run_until_ucall(struct kvm_vcpu *vcpu, struct ucall *uc)
{
	struct kvm_run *run = vcpu->run;

	for (;;) {
		TEST_REQUIRE(!vcpu_run(vcpu), "KVM_RUN: %s", strerror(errno));
		if (run->exit_reason == KVM_EXIT_MMIO) {
			handle_mmio(run);
			continue;
		}
		TEST_REQUIRE(run->exit_reason == KVM_EXIT_IO,
			     "exit %s (%u), internal error %u data 0x%llx 0x%llx",
			     exit_reason_str(run->exit_reason),
			     run->exit_reason, run->internal.suberror,
			     (unsigned long long)run->internal.data[0],
			     (unsigned long long)run->internal.data[1]);
		if (run->io.port == DATA_PORT) {
			handle_port(run);
			continue;
		}
		TEST_REQUIRE(vcpu_exit_ucall(vcpu, uc), "I/O to port 0x%x",
			     run->io.port);
		return uc->cmd;
	}
}

static void test_long_mode(void)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *vcpu = vcpu_create(vm, 0);
	uint8_t *mem = vm_add_memory(vm, 0, MEM_SIZE);
	struct kvm_userspace_memory_region rom = {
		.slot = vm->nr_slots++,
		.flags = KVM_MEM_READONLY,
		.guest_phys_addr = ROM_GPA,
		.memory_size = 0x1000,
	};
	uint64_t *rom_mem, data;
	struct ucall uc;
	unsigned int i;

	rom_mem = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_REQUIRE(rom_mem != MAP_FAILED, "mmap");
	rom_mem[0] = 0x1122334455667788ULL;
	rom.userspace_addr = (uintptr_t)rom_mem;
	TEST_REQUIRE(!ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &rom),
		     "read-only slot: %s", strerror(errno));

	for (i = 0; i < 10; i++)
		mem[OUTS_DATA + i] = 3 * i + 1;
	TEST_REQUIRE(CODE_GPA + GUEST_CODE_SIZE(guest_lm) < 0x7000,
		     "guest code reaches its stack");
	vcpu_load_long_mode(vcpu, mem, CODE_GPA, guest_lm,
			    GUEST_CODE_SIZE(guest_lm));

	for (i = 0; i < NR_FORMS; i++) {
		TEST_REQUIRE(run_until_ucall(vcpu, &uc) == UCALL_SYNC,
			     "ucall %d", uc.cmd);
		TEST_REQUIRE(uc.args[0] == i, "form %llu reported as %u",
			     (unsigned long long)uc.args[0], i);
		if (uc.args[1])
			ksft_print_msg("%s: differences 0x%llx\n", forms[i],
				       (unsigned long long)uc.args[1]);
		ksft_test_result(!uc.args[1], "%s\n", forms[i]);
	}
	ksft_test_result(mmio_reads && mmio_writes, "mmio_exits_both_ways\n");

	TEST_REQUIRE(run_until_ucall(vcpu, &uc) == UCALL_SYNC, "outs ucall");
	for (i = 0; i < 10 && outs[i] == 3 * i + 1; i++)
		;
	ksft_test_result(nr_outs == 10 && i == 10 && uc.args[1] == 0 &&
			 uc.args[0] == OUTS_DATA + 10, "rep_outsb\n");

	TEST_REQUIRE(run_until_ucall(vcpu, &uc) == UCALL_SYNC, "ins ucall");
	for (i = 0; i < 12 && mem[INS_DATA + i] == 0x80 + i; i++)
		;
	ksft_test_result(nr_ins == 12 && i == 12 && uc.args[1] == 0 &&
			 uc.args[0] == INS_DATA + 12, "rep_insw\n");

	mmio_writes = 0;
	TEST_REQUIRE(run_until_ucall(vcpu, &uc) == UCALL_SYNC, "rom ucall");
	memcpy(&data, dev + DEV_SIZE - 8, 8);
	ksft_test_result(uc.args[1] == 0x1122334455667788ULL &&
			 uc.args[0] == 0x1122334455667788ULL &&
			 rom_mem[0] == 0x1122334455667788ULL &&
			 mmio_writes == 1 && data == 0x77,
			 "read_only_slot_write_exits_as_mmio\n");
	TEST_REQUIRE(run_until_ucall(vcpu, &uc) == UCALL_DONE, "done");

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(rom_mem, 0x1000);
}

static void test_real_mode(void)
{
	struct kvm_vm *vm = vm_create();
	struct kvm_vcpu *vcpu = vcpu_create(vm, 0);
	uint8_t *mem = vm_add_memory(vm, 0, MEM_SIZE);
	struct ucall uc;
	uint32_t v;
	int i;

	for (i = 0; i < DEV_SIZE; i++)
		dev[i] = i;
	for (i = 0; i < 8; i++)
		mem[0x20 + i] = 0xa0 + i;
	nr_outs = 0;
	vcpu_load_real_mode(vcpu, mem, CODE_GPA, guest_rm,
			    GUEST_CODE_SIZE(guest_rm));

	run_until_ucall(vcpu, &uc);
	ksft_test_result(uc.cmd == UCALL_SYNC && dev[0x10] == 0x34 &&
			 dev[0x11] == 0x12 && uc.args[0] == 0x1312,
			 "real_mode_segment_override\n");

	run_until_ucall(vcpu, &uc);
	memcpy(&v, dev + 0x1c, 4);
	ksft_test_result(uc.cmd == UCALL_SYNC && v == 0x201f1e1d &&
			 uc.args[0] == v, "real_mode_32bit_operand_bx_si\n");

	run_until_ucall(vcpu, &uc);
	memcpy(&v, dev + 0x40, 4);
	ksft_test_result(uc.cmd == UCALL_SYNC && v == 0xa3a2a1a0 &&
			 uc.args[0] == v && (uc.args[1] & 0xffff) == 0x44,
			 "real_mode_rep_movsb\n");

	run_until_ucall(vcpu, &uc);
	for (i = 0; i < 6 && outs[i] == 0xa0 + i; i++)
		;
	ksft_test_result(uc.cmd == UCALL_SYNC && nr_outs == 6 && i == 6 &&
			 (uc.args[0] & 0xffff) == 0x26, "real_mode_rep_outsw\n");
	TEST_REQUIRE(run_until_ucall(vcpu, &uc) == UCALL_DONE, "done");

	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

int main(void)
{
	int kvm_fd = kvm_open_dev();
	long caps[] = { KVM_CAP_USER_MEMORY, KVM_CAP_READONLY_MEM };

	kvm_require_caps(kvm_fd, caps, 2);
	ksft_print_header();
	ksft_set_plan(NR_FORMS + 4 + 4);
	test_long_mode();
	test_real_mode();
	ksft_finished();
}
