// SPDX-License-Identifier: GPL-2.0-only
/*
 * The instruction emulator: what runs when the guest touches memory no
 * memory slot backs (MMIO) or writes to a read-only slot, when it
 * executes a string port instruction, and for the instructions that exit
 * without saying enough about themselves (MOV to and from debug
 * registers, without SVM's decode assists).
 *
 * The exit says where the guest went, not what it wanted.  So we fetch
 * the instruction at CS:RIP, decode it and carry it out on a copy of the
 * registers.  Accesses to RAM go straight to the slot's memory; an
 * access to MMIO goes to userspace as KVM_EXIT_MMIO, a port access as
 * KVM_EXIT_IO.  A read needs userspace's answer before the instruction
 * can go on: the next KVM_RUN carries the instruction out again from the
 * start, this time with the answer at hand.  Since nothing was committed
 * the first time, the second pass takes the same path up to that point.
 * A write is the last thing each of these instructions does: the
 * instruction completes, and userspace gets the data.
 *
 * One access to MMIO per exit and one instruction per emulation; a REP
 * string instruction does one element per pass (a batch, for port I/O)
 * and leaves RIP on the instruction until its count runs out, so the
 * guest executes it again for the rest -- at hardware speed where it
 * touches RAM.
 *
 * What is covered are the forms guests use on device memory: MOV (88-8B,
 * A0-A3, C6, C7), MOVZX, MOVSX, MOVSXD, the ALU operations ADD, OR, ADC,
 * SBB, AND, SUB, XOR and CMP (00-3B, 80-83), TEST, XCHG, BT, BTS, BTR,
 * BTC, and the string instructions MOVS, STOS, LODS, INS and OUTS, with
 * their prefixes, in every processor mode; and MOV DR.  Anything else
 * stops the vCPU with KVM_INTERNAL_ERROR_EMULATION rather than guess, or
 * is #UD for a guest program outside ring 0 (see emu_failure()).
 */
#include <linux/bitops.h>
#include <linux/kvm.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <asm/trap_pf.h>
#include <asm/trapnr.h>

#include "x86.h"

/* How a pass of the emulator ends, besides a negative errno. */
enum {
	EMU_DONE,		/* the instruction completed */
	EMU_EXIT,		/* an access waits for userspace */
	EMU_EXCEPTION,		/* the guest takes an exception instead */
	EMU_UNHANDLED,		/* something we do not emulate */
};

#define X86_MAX_INSN	15

/**
 * struct emu - one pass over one instruction
 * @vcpu:	the vCPU
 * @s:		its segment and control registers
 * @regs:	working copy of the general purpose registers
 * @rip:	working RIP, advanced when the instruction completes
 * @rflags:	working RFLAGS
 * @cpl:	current privilege level
 * @mode:	code size in bytes: 2, 4 or 8 (64-bit mode)
 * @insn:	the instruction bytes fetched so far
 * @fetched:	how many
 * @pos:	how many the decoder consumed
 * @op_bytes:	operand size
 * @bytes:	size of the memory operand: @op_bytes, or 1 for byte forms
 * @ad_bytes:	address size
 * @rex:	the REX prefix, or 0
 * @rep:	0xf3 or 0xf2 for a REP prefix, or 0
 * @seg:	the segment of the memory operand (default or override)
 * @opcode:	the opcode, 0x0fxx for two-byte ones
 * @mod:	ModRM.mod
 * @reg:	ModRM.reg, extended by REX.R
 * @rm:		ModRM.rm, extended by REX.B
 * @ea:		the memory operand's offset in @seg
 * @rip_relative: @ea is relative to the next instruction
 * @imm:	the immediate, sign-extended
 * @nr_read:	MMIO reads this pass has made
 * @wrote_device: this pass has sent a write to userspace (MMIO or port)
 * @wrote_kernel: this pass has written to a device in the kernel
 * @again:	the guest executes the instruction again: a REP one with
 *		elements left, or a patched one; RIP stays
 * @ud:		the processor raised #UD for the instruction: only a
 *		hypercall patch or RSM may follow, else the guest gets the #UD
 * @state_set:	the instruction set the vCPU's state itself (RSM)
 */
struct emu {
	struct kvm_x86_vcpu *vcpu;
	struct kvm_sregs s;
	unsigned long regs[NR_VCPU_REGS];
	unsigned long rip;
	unsigned long rflags;
	u8 cpl;
	u8 mode;
	u8 insn[X86_MAX_INSN];
	u8 fetched;
	u8 pos;
	u8 op_bytes;
	u8 bytes;
	u8 ad_bytes;
	u8 rex;
	u8 rep;
	u8 seg;
	u16 opcode;
	u8 mod;
	u8 reg;
	u8 rm;
	unsigned long ea;
	bool rip_relative;
	u64 imm;
	u8 nr_read;
	bool wrote_device;
	bool wrote_kernel;
	bool again;
	bool ud;
	bool state_set;
};

static unsigned long size_mask(unsigned int bytes)
{
	return bytes == 8 ? ~0UL : BIT_ULL(bytes * 8) - 1;
}

static long sign_extend(unsigned long val, unsigned int bytes)
{
	return bytes == 8 ? (long)val : sign_extend64(val, bytes * 8 - 1);
}

static int emu_exception(struct emu *e, u8 vector, bool has_error, u32 error)
{
	kvm_x86_queue_exception(e->vcpu, vector, has_error, error);
	return EMU_EXCEPTION;
}

/* #PF needs CR2 too, which lives with the other control registers. */
static int emu_page_fault(struct emu *e, u64 la, u32 error)
{
	e->s.cr2 = la;
	static_call(kvm_x86_set_sregs)(e->vcpu, &e->s);
	return emu_exception(e, X86_TRAP_PF, true, error);
}

/*
 * Registers.  Without REX, byte registers 4-7 are AH, CH, DH and BH; a
 * 32-bit write clears the upper half, narrower ones merge.
 */
static unsigned long reg_read(struct emu *e, unsigned int reg,
			      unsigned int bytes)
{
	if (bytes == 1 && !e->rex && reg >= 4 && reg < 8)
		return (e->regs[reg - 4] >> 8) & 0xff;
	return e->regs[reg] & size_mask(bytes);
}

static void reg_write(struct emu *e, unsigned int reg, unsigned int bytes,
		      unsigned long val)
{
	unsigned long *r = &e->regs[reg];

	if (bytes == 1 && !e->rex && reg >= 4 && reg < 8) {
		r = &e->regs[reg - 4];
		*r = (*r & ~0xff00UL) | (val & 0xff) << 8;
	} else if (bytes >= 4) {
		*r = val & size_mask(bytes);
	} else {
		*r = (*r & ~size_mask(bytes)) | (val & size_mask(bytes));
	}
}

/* Offset @ea in segment @seg to a linear address (SDM vol. 3A, 5.3). */
static int emu_linear(struct emu *e, unsigned int seg, unsigned long ea,
		      unsigned int bytes, bool write, bool fetch, u64 *la)
{
	const struct kvm_segment *s = kvm_sregs_seg(&e->s, seg);
	u8 vector = seg == VCPU_SEG_SS ? X86_TRAP_SS : X86_TRAP_GP;
	u64 last = (u64)ea + bytes - 1, max;

	if (e->mode == 8) {
		*la = ea + (seg == VCPU_SEG_FS || seg == VCPU_SEG_GS ?
			    s->base : 0);
		/* Canonical: the top bits copy bit 47 (bit 56 with LA57). */
		if (sign_extend64(*la, e->s.cr4 & X86_CR4_LA57 ? 56 : 47) !=
		    (s64)*la)
			return emu_exception(e, vector, true, 0);
		return 0;
	}
	if ((e->s.cr0 & X86_CR0_PE) && !(e->rflags & X86_EFLAGS_VM)) {
		bool code = s->type & 8;

		if (s->unusable || (!fetch && write && (code || !(s->type & 2))) ||
		    (!fetch && !write && code && !(s->type & 2)))
			return emu_exception(e, vector, true, 0);
	}
	/* Expand-down data segments hold the offsets above the limit. */
	max = s->db ? U32_MAX : U16_MAX;
	if (!(s->type & 8) && (s->type & 4)) {
		if (ea <= s->limit || last > max)
			return emu_exception(e, vector, true, 0);
	} else if (last > s->limit) {
		return emu_exception(e, vector, true, 0);
	}
	*la = (u32)(s->base + ea);
	return 0;
}

static int emu_walk(struct emu *e, u64 la, u32 access, gpa_t *gpa)
{
	u32 error;
	int ret;

	if (e->cpl == 3)
		access |= X86_PF_USER;
	ret = kvm_x86_walk(e->vcpu, &e->s, la, access, gpa, &error);
	if (ret == 1)
		return emu_page_fault(e, la, error);
	/* A page table outside RAM is nothing we can walk. */
	return ret == -ENOENT ? EMU_UNHANDLED : ret;
}

static int emu_run(struct kvm_x86_vcpu *vcpu);

/*
 * Complete an MMIO read with the data userspace left in the run page and
 * carry the instruction out again, now with the answer.
 */
static int emu_complete_mmio_read(struct kvm_x86_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->vcpu.run;

	memcpy(&vcpu->emu.read[vcpu->emu.nr_read++], run->mmio.data,
	       sizeof(run->mmio.data));
	return emu_run(vcpu);
}

/* One piece of an access, inside one guest page. */
static int emu_access_page(struct emu *e, gpa_t gpa, void *data,
			   unsigned int bytes, bool write, bool split)
{
	struct kvm_x86_vcpu *vcpu = e->vcpu;
	struct kvm_run *run = vcpu->vcpu.run;
	unsigned long hva = kvm_x86_gpa_to_hva(vcpu, gpa, write);

	if (e->wrote_device || e->wrote_kernel)
		return EMU_UNHANDLED;	/* nothing follows a write */
	if (hva) {
		if (write) {
			if (copy_to_user((void __user *)hva, data, bytes))
				return -EFAULT;
			kvm_x86_mark_page_dirty(vcpu, gpa >> PAGE_SHIFT);
			return 0;
		}
		return copy_from_user(data, (void __user *)hva, bytes) ?
		       -EFAULT : 0;
	}
	/* Device accesses are whole: none straddles a page. */
	if (split || bytes > sizeof(run->mmio.data))
		return EMU_UNHANDLED;
	if (kvm_irq_mmio(vcpu, gpa, data, bytes, write) ||
	    (write && (kvm_ioeventfd_write(vcpu->vcpu.kvm, false, gpa, bytes,
					   data) ||
		       kvm_coalesced_write(vcpu->vcpu.kvm, false, gpa, bytes,
					   data)))) {
		e->wrote_kernel = write;
		return 0;
	}

	if (!write && e->nr_read < vcpu->emu.nr_read) {
		memcpy(data, &vcpu->emu.read[e->nr_read++], bytes);
		return 0;
	}
	if (!write && e->nr_read == ARRAY_SIZE(vcpu->emu.read))
		return EMU_UNHANDLED;

	vcpu->vcpu.stat.mmio_exits++;
	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = gpa;
	run->mmio.len = bytes;
	run->mmio.is_write = write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (write) {
		memcpy(run->mmio.data, data, bytes);
		e->wrote_device = true;
		return 0;
	}
	vcpu->complete_userspace_exit = emu_complete_mmio_read;
	return EMU_EXIT;
}

/* Read or write @bytes at @seg:@ea, in RAM or by an exit to userspace. */
static int emu_access(struct emu *e, unsigned int seg, unsigned long ea,
		      void *data, unsigned int bytes, bool write)
{
	unsigned int done = 0;
	int ret;
	u64 la;

	ret = emu_linear(e, seg, ea, bytes, write, false, &la);
	while (!ret && done < bytes) {
		unsigned int n = min_t(unsigned int, bytes - done,
				       PAGE_SIZE - offset_in_page(la + done));
		gpa_t gpa;

		ret = emu_walk(e, la + done, write ? X86_PF_WRITE : 0, &gpa);
		if (!ret)
			ret = emu_access_page(e, gpa, data + done, n, write,
					      n != bytes);
		done += n;
	}
	return ret;
}

static int emu_read(struct emu *e, unsigned int seg, unsigned long ea,
		    unsigned long *val, unsigned int bytes)
{
	*val = 0;
	return emu_access(e, seg, ea, val, bytes, false);
}

static int emu_write(struct emu *e, unsigned int seg, unsigned long ea,
		     unsigned long val, unsigned int bytes)
{
	return emu_access(e, seg, ea, &val, bytes, true);
}

/* Make sure @n more instruction bytes are there. */
static int emu_fetch(struct emu *e, unsigned int n)
{
	while (e->pos + n > e->fetched) {
		unsigned long hva;
		unsigned int len;
		gpa_t gpa;
		u64 la;
		int ret;

		if (e->pos + n > X86_MAX_INSN)
			return emu_exception(e, X86_TRAP_GP, true, 0);
		ret = emu_linear(e, VCPU_SEG_CS,
				 (e->rip + e->fetched) & size_mask(e->mode), 1,
				 false, true, &la);
		if (!ret)
			ret = emu_walk(e, la, X86_PF_INSTR, &gpa);
		if (ret)
			return ret;
		hva = kvm_x86_gpa_to_hva(e->vcpu, gpa, false);
		if (!hva)
			return EMU_UNHANDLED;	/* code in MMIO */
		len = min_t(unsigned int, X86_MAX_INSN - e->fetched,
			    PAGE_SIZE - offset_in_page(la));
		if (copy_from_user(e->insn + e->fetched, (void __user *)hva,
				   len))
			return -EFAULT;
		e->fetched += len;
	}
	return 0;
}

static int emu_next(struct emu *e, unsigned int bytes, u64 *val)
{
	int ret = emu_fetch(e, bytes);

	if (ret)
		return ret;
	*val = 0;
	memcpy(val, e->insn + e->pos, bytes);
	e->pos += bytes;
	*val = sign_extend(*val, bytes);
	return 0;
}

/* ModRM with 16-bit addressing: base and index pairs by rm. */
static int emu_modrm16(struct emu *e)
{
	static const s8 base[8] = { VCPU_RBX, VCPU_RBX, VCPU_RBP, VCPU_RBP,
				    -1, -1, VCPU_RBP, VCPU_RBX };
	static const s8 index[8] = { VCPU_RSI, VCPU_RDI, VCPU_RSI, VCPU_RDI,
				     VCPU_RSI, VCPU_RDI, -1, -1 };
	unsigned int rm = e->rm & 7;
	u64 disp = 0;
	int ret = 0;

	if (e->mod == 0 && rm == 6) {
		ret = emu_next(e, 2, &disp);
	} else {
		if (base[rm] >= 0)
			e->ea += e->regs[base[rm]];
		if (index[rm] >= 0)
			e->ea += e->regs[index[rm]];
		if (base[rm] == VCPU_RBP)
			e->seg = VCPU_SEG_SS;
		if (e->mod)
			ret = emu_next(e, e->mod == 1 ? 1 : 2, &disp);
	}
	e->ea = (e->ea + disp) & 0xffff;
	return ret;
}

/* ModRM with 32- or 64-bit addressing, SIB and displacement. */
static int emu_modrm32(struct emu *e)
{
	unsigned int rm = e->rm & 7;
	u64 disp = 0, sib;
	int ret = 0;

	if (rm == 4) {
		unsigned int idx, base;

		ret = emu_next(e, 1, &sib);
		if (ret)
			return ret;
		idx = ((sib >> 3) & 7) | (e->rex & 2 ? 8 : 0);
		base = (sib & 7) | (e->rex & 1 ? 8 : 0);
		if (idx != VCPU_RSP)
			e->ea += e->regs[idx] << ((sib >> 6) & 3);
		if ((base & 7) == 5 && e->mod == 0) {
			ret = emu_next(e, 4, &disp);
		} else {
			e->ea += e->regs[base];
			if (base == VCPU_RSP || base == VCPU_RBP)
				e->seg = VCPU_SEG_SS;
		}
	} else if (rm == 5 && e->mod == 0) {
		ret = emu_next(e, 4, &disp);
		e->rip_relative = e->mode == 8;
	} else {
		e->ea += e->regs[e->rm];
		if (rm == 5)
			e->seg = VCPU_SEG_SS;	/* [rBP + disp] */
	}
	if (!ret && e->mod)
		ret = emu_next(e, e->mod == 1 ? 1 : 4, &disp);
	e->ea += disp;
	return ret;
}

/* Operand forms, per opcode. */
#define OP_MODRM	BIT(0)	/* a ModRM byte follows */
#define OP_BYTE		BIT(1)	/* byte operands */
#define OP_IMM8		BIT(2)	/* an 8-bit immediate */
#define OP_IMM		BIT(3)	/* a 16- or 32-bit immediate */
#define OP_MOFFS	BIT(4)	/* an address-size offset */
#define OP_64		BIT(5)	/* only in 64-bit mode */
#define OP_NOT64	BIT(6)	/* not in 64-bit mode */
#define OP_REG		BIT(7)	/* ModRM.rm is a register, whatever mod says */

struct emu_op {
	u8 flags;
	int (*exec)(struct emu *e);
};

/* The ALU operations, as opcodes 00-3F and ModRM.reg of 80-83 number them. */
enum {
	ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP
};

#define ARITH_FLAGS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

/* Carry out @op of @a and @b, and set the flags as the processor does. */
static unsigned long emu_alu(struct emu *e, unsigned int op, unsigned long a,
			     unsigned long b, unsigned int bytes)
{
	unsigned long mask = size_mask(bytes), sign = BIT_ULL(bytes * 8 - 1);
	unsigned long c = e->rflags & X86_EFLAGS_CF ? 1 : 0;
	unsigned long r, carry = 0, over = 0, flags = 0;

	a &= mask;
	b &= mask;
	switch (op) {
	case ALU_ADD:
	case ALU_ADC:
		r = (a + b + (op == ALU_ADC ? c : 0)) & mask;
		carry = (a & b) | ((a | b) & ~r);
		over = ~(a ^ b) & (a ^ r);
		flags = (a ^ b ^ r) & X86_EFLAGS_AF;
		break;
	case ALU_SUB:
	case ALU_SBB:
	case ALU_CMP:
		r = (a - b - (op == ALU_SBB ? c : 0)) & mask;
		carry = (~a & b) | (~(a ^ b) & r);
		over = (a ^ b) & (a ^ r);
		flags = (a ^ b ^ r) & X86_EFLAGS_AF;
		break;
	case ALU_OR:
		r = a | b;
		break;
	case ALU_AND:
		r = a & b;
		break;
	default:
		r = a ^ b;
		break;
	}
	if (carry & sign)
		flags |= X86_EFLAGS_CF;
	if (over & sign)
		flags |= X86_EFLAGS_OF;
	if (!r)
		flags |= X86_EFLAGS_ZF;
	if (r & sign)
		flags |= X86_EFLAGS_SF;
	if (!(hweight8(r & 0xff) & 1))
		flags |= X86_EFLAGS_PF;
	e->rflags = (e->rflags & ~ARITH_FLAGS) | flags;
	return r;
}

/* 00-3B: the ALU operation is in bits 5:3, the direction in bit 1. */
static int emu_exec_alu(struct emu *e)
{
	unsigned int bytes = e->bytes;
	unsigned int op = (e->opcode >> 3) & 7;
	unsigned long mem, val;
	int ret;

	ret = emu_read(e, e->seg, e->ea, &mem, bytes);
	if (ret)
		return ret;
	if (e->opcode & 2) {
		val = emu_alu(e, op, reg_read(e, e->reg, bytes), mem, bytes);
		if (op != ALU_CMP)
			reg_write(e, e->reg, bytes, val);
		return 0;
	}
	val = emu_alu(e, op, mem, reg_read(e, e->reg, bytes), bytes);
	return op == ALU_CMP ? 0 : emu_write(e, e->seg, e->ea, val, bytes);
}

/* 80-83: the operation is in ModRM.reg, the source an immediate. */
static int emu_exec_alu_imm(struct emu *e)
{
	unsigned int bytes = e->bytes;
	unsigned int op = e->reg & 7;
	unsigned long mem, val;
	int ret;

	ret = emu_read(e, e->seg, e->ea, &mem, bytes);
	if (ret)
		return ret;
	val = emu_alu(e, op, mem, e->imm, bytes);
	return op == ALU_CMP ? 0 : emu_write(e, e->seg, e->ea, val, bytes);
}

/* 84, 85: TEST r/m, reg; F6, F7 /0: TEST r/m, imm. */
static int emu_exec_test(struct emu *e)
{
	unsigned int bytes = e->bytes;
	unsigned long mem, src;
	int ret;

	if (e->opcode >= 0xf6) {
		if ((e->reg & 7) > 1)
			return EMU_UNHANDLED;	/* NOT, NEG, MUL, DIV */
		src = e->imm;
	} else {
		src = reg_read(e, e->reg, bytes);
	}
	ret = emu_read(e, e->seg, e->ea, &mem, bytes);
	if (!ret)
		emu_alu(e, ALU_AND, mem, src, bytes);
	return ret;
}

/* 86, 87: XCHG r/m, reg. */
static int emu_exec_xchg(struct emu *e)
{
	unsigned int bytes = e->bytes;
	unsigned long mem, val = reg_read(e, e->reg, bytes);
	int ret;

	ret = emu_read(e, e->seg, e->ea, &mem, bytes);
	if (ret)
		return ret;
	reg_write(e, e->reg, bytes, mem);
	return emu_write(e, e->seg, e->ea, val, bytes);
}

/* 88-8B: MOV between r/m and reg, direction in bit 1. */
static int emu_exec_mov(struct emu *e)
{
	unsigned int bytes = e->bytes;
	unsigned long val;
	int ret;

	if (!(e->opcode & 2))
		return emu_write(e, e->seg, e->ea, reg_read(e, e->reg, bytes),
				 bytes);
	ret = emu_read(e, e->seg, e->ea, &val, bytes);
	if (!ret)
		reg_write(e, e->reg, bytes, val);
	return ret;
}

/* C6, C7 /0: MOV r/m, imm. */
static int emu_exec_mov_imm(struct emu *e)
{
	if (e->reg & 7)
		return EMU_UNHANDLED;
	return emu_write(e, e->seg, e->ea, e->imm, e->bytes);
}

/* A0-A3: MOV between AL/rAX and a direct offset. */
static int emu_exec_mov_moffs(struct emu *e)
{
	unsigned int bytes = e->bytes;
	unsigned long val;
	int ret;

	if (e->opcode & 2)
		return emu_write(e, e->seg, e->ea,
				 reg_read(e, VCPU_RAX, bytes), bytes);
	ret = emu_read(e, e->seg, e->ea, &val, bytes);
	if (!ret)
		reg_write(e, VCPU_RAX, bytes, val);
	return ret;
}

/* 0F B6/B7: MOVZX; 0F BE/BF: MOVSX; 63: MOVSXD (64-bit mode). */
static int emu_exec_movx(struct emu *e)
{
	unsigned int src = e->opcode == 0x63 ? 4 : e->opcode & 1 ? 2 : 1;
	unsigned long val;
	int ret;

	ret = emu_read(e, e->seg, e->ea, &val, src);
	if (ret)
		return ret;
	if (e->opcode != 0x0fb6 && e->opcode != 0x0fb7)
		val = sign_extend(val, src);
	reg_write(e, e->reg, e->op_bytes, val);
	return 0;
}

/*
 * BT, BTS, BTR, BTC.  With a register bit offset the operand is a bit
 * string that may reach beyond the addressed unit: the signed offset
 * picks the unit.  An immediate offset stays inside it.
 */
static int emu_exec_bt(struct emu *e)
{
	unsigned int bytes = e->op_bytes, bits = bytes * 8, op;
	unsigned long ea = e->ea, mem, bit;
	long offset;
	int ret;

	if (e->opcode == 0x0fba) {
		if ((e->reg & 7) < 4)
			return EMU_UNHANDLED;
		op = e->reg & 3;
		bit = e->imm & (bits - 1);
	} else {
		op = (e->opcode >> 3) & 3;
		offset = sign_extend(reg_read(e, e->reg, bytes), bytes);
		ea += (offset >> ilog2(bits)) * bytes;
		ea &= size_mask(e->ad_bytes);
		bit = offset & (bits - 1);
	}
	ret = emu_read(e, e->seg, ea, &mem, bytes);
	if (ret)
		return ret;
	e->rflags &= ~X86_EFLAGS_CF;
	if (mem & BIT_ULL(bit))
		e->rflags |= X86_EFLAGS_CF;
	switch (op) {
	case 1:		/* BTS */
		mem |= BIT_ULL(bit);
		break;
	case 2:		/* BTR */
		mem &= ~BIT_ULL(bit);
		break;
	case 3:		/* BTC */
		mem ^= BIT_ULL(bit);
		break;
	default:	/* BT */
		return 0;
	}
	return emu_write(e, e->seg, ea, mem, bytes);
}

/*
 * 0F 21: MOV from a debug register; 0F 23: MOV to one.  Only CPL 0 may;
 * DR4 and DR5 are DR6 and DR7 unless CR4.DE makes them undefined; DR7.GD
 * turns the access itself into a #DB.
 */
#define DR6_BD		BIT(13)
#define DR7_GD		BIT(13)

static int emu_exec_mov_dr(struct emu *e)
{
	struct kvm_x86_vcpu *vcpu = e->vcpu;
	unsigned int bytes = e->mode == 8 ? 8 : 4;
	unsigned int dr = e->reg;

	if (dr > 7 || ((dr == 4 || dr == 5) && (e->s.cr4 & X86_CR4_DE)))
		return emu_exception(e, X86_TRAP_UD, false, 0);
	if (e->cpl)
		return emu_exception(e, X86_TRAP_GP, true, 0);
	if (vcpu->dr7 & DR7_GD) {
		vcpu->dr6 |= DR6_BD;
		vcpu->dr7 &= ~DR7_GD;
		return emu_exception(e, X86_TRAP_DB, false, 0);
	}
	if (dr == 4 || dr == 5)
		dr += 2;
	if (e->opcode == 0x0f21)
		reg_write(e, e->rm, bytes, kvm_x86_get_dr(vcpu, dr));
	else if (kvm_x86_set_dr(vcpu, dr, reg_read(e, e->rm, bytes)))
		return emu_exception(e, X86_TRAP_GP, true, 0);
	return 0;
}

/* rSI or rDI after one element of a string instruction. */
static void emu_string_step(struct emu *e, unsigned int reg, long delta)
{
	reg_write(e, reg, e->ad_bytes,
		  reg_read(e, reg, e->ad_bytes) + delta);
}

/* A REP instruction with a zero count does nothing. */
static bool emu_rep_done(struct emu *e)
{
	return e->rep && !reg_read(e, VCPU_RCX, e->ad_bytes);
}

/* Count @n elements off rCX; RIP stays while some are left. */
static void emu_rep_count(struct emu *e, unsigned long n)
{
	if (!e->rep)
		return;
	reg_write(e, VCPU_RCX, e->ad_bytes,
		  reg_read(e, VCPU_RCX, e->ad_bytes) - n);
	e->again = reg_read(e, VCPU_RCX, e->ad_bytes) != 0;
}

static long emu_string_delta(struct emu *e, unsigned int bytes)
{
	return e->rflags & X86_EFLAGS_DF ? -(long)bytes : bytes;
}

/* A4, A5: MOVS; AA, AB: STOS; AC, AD: LODS. */
static int emu_exec_string(struct emu *e)
{
	unsigned int bytes = e->bytes;
	long delta = emu_string_delta(e, bytes);
	unsigned int op = e->opcode & ~1;
	unsigned long val;
	int ret;

	if (emu_rep_done(e))
		return 0;
	if (op == 0xaa) {
		val = reg_read(e, VCPU_RAX, bytes);
	} else {
		ret = emu_read(e, e->seg, reg_read(e, VCPU_RSI, e->ad_bytes),
			       &val, bytes);
		if (ret)
			return ret;
		emu_string_step(e, VCPU_RSI, delta);
	}
	emu_rep_count(e, 1);
	if (op == 0xac) {
		reg_write(e, VCPU_RAX, bytes, val);
		return 0;
	}
	ret = emu_write(e, VCPU_SEG_ES, reg_read(e, VCPU_RDI, e->ad_bytes),
			val, bytes);
	emu_string_step(e, VCPU_RDI, delta);
	return ret;
}

/* Complete INS with the data userspace left in the run page. */
static int emu_complete_pio_in(struct kvm_x86_vcpu *vcpu)
{
	vcpu->emu.pio_in = true;
	return emu_run(vcpu);
}

/*
 * 6C, 6D: INS; 6E, 6F: OUTS.  A REP prefix moves as many elements per
 * exit as fit in the run page's data area and in the guest page; with
 * DF set, one, so that the data area is in the order of the accesses.
 */
static int emu_exec_pio_string(struct emu *e)
{
	unsigned int bytes = e->bytes;
	struct kvm_x86_vcpu *vcpu = e->vcpu;
	bool in = e->opcode < 0x6e;
	unsigned int reg = in ? VCPU_RDI : VCPU_RSI;
	unsigned int seg = in ? VCPU_SEG_ES : e->seg;
	unsigned long ea = reg_read(e, reg, e->ad_bytes), n = 1;
	u16 port = reg_read(e, VCPU_RDX, 2);
	void *data;
	int ret;
	u64 la;

	if (emu_rep_done(e))
		return 0;
	if (e->rep && !(e->rflags & X86_EFLAGS_DF)) {
		ret = emu_linear(e, seg, ea, bytes, in, false, &la);
		if (ret)
			return ret;
		n = min3(reg_read(e, VCPU_RCX, e->ad_bytes),
			 KVM_X86_PIO_DATA_SIZE / bytes,
			 (PAGE_SIZE - offset_in_page(la)) / bytes);
		n = max(n, 1UL);
	}

	data = kvm_x86_pio_data(vcpu);
	if (in && !vcpu->emu.pio_in) {
		/* Fault on the destination before the device is read. */
		ret = emu_linear(e, seg, ea, n * bytes, true, false, &la);
		if (!ret) {
			gpa_t gpa;

			ret = emu_walk(e, la, X86_PF_WRITE, &gpa);
		}
		if (ret)
			return ret;
		kvm_x86_pio_exit(vcpu, port, bytes, true, n);
		vcpu->complete_userspace_exit = emu_complete_pio_in;
		return EMU_EXIT;
	}
	ret = emu_access(e, seg, ea, data, n * bytes, in);
	if (ret)
		return ret;
	if (!in) {
		kvm_x86_pio_exit(vcpu, port, bytes, false, n);
		e->wrote_device = true;
	}
	emu_string_step(e, reg, emu_string_delta(e, n * bytes));
	emu_rep_count(e, n);
	return 0;
}

/*
 * 0F 01 C1 (VMCALL) and 0F 01 D9 (VMMCALL), reached from #UD: the guest
 * used the other vendor's hypercall (it was set up, or migrated, on
 * another host).  As upstream, unless userspace disabled the quirk, put
 * this processor's instruction in its place -- in guest memory, the
 * guest's page protections notwithstanding -- and let the guest execute
 * it again; otherwise, or for anything else, the #UD stands.
 */
static int emu_exec_hypercall(struct emu *e)
{
	const u8 *native = kvm_x86_hypercall_insn();
	unsigned int i;
	gpa_t gpa;
	u64 la;
	int ret;

	if (!e->ud || e->pos != 3 || e->mod != 3 || e->rm != 1 ||
	    (e->reg != 0 && e->reg != 3) ||
	    !kvm_x86_quirk(e->vcpu->vcpu.kvm, KVM_X86_QUIRK_FIX_HYPERCALL_INSN))
		return emu_exception(e, X86_TRAP_UD, false, 0);
	for (i = 0; i < 3; i++) {
		ret = emu_linear(e, VCPU_SEG_CS, (e->rip + i) & size_mask(e->mode),
				 1, false, true, &la);
		if (!ret)
			ret = emu_walk(e, la, X86_PF_INSTR, &gpa);
		if (!ret && !kvm_x86_gpa_to_hva(e->vcpu, gpa, true))
			ret = emu_exception(e, X86_TRAP_UD, false, 0);
		if (!ret) {
			u8 b = native[i];

			ret = emu_access_page(e, gpa, &b, 1, true, false);
		}
		if (ret)
			return ret;
	}
	e->again = true;
	return 0;
}

/*
 * 0F AA, RSM, reached from #UD: the processor, never really in SMM,
 * refuses it; in the SMM we emulate it ends SMM (smm.c), which sets the
 * whole state of the vCPU, so nothing of this pass is written back.
 */
static int emu_exec_rsm(struct emu *e)
{
	if (!e->ud || !e->vcpu->smm.active)
		return emu_exception(e, X86_TRAP_UD, false, 0);
	e->state_set = true;
	return kvm_smm_leave(e->vcpu);
}

static const struct emu_op emu_ops[256] = {
	[0x00 ... 0x03]	= { OP_MODRM, emu_exec_alu },
	[0x08 ... 0x0b]	= { OP_MODRM, emu_exec_alu },
	[0x10 ... 0x13]	= { OP_MODRM, emu_exec_alu },
	[0x18 ... 0x1b]	= { OP_MODRM, emu_exec_alu },
	[0x20 ... 0x23]	= { OP_MODRM, emu_exec_alu },
	[0x28 ... 0x2b]	= { OP_MODRM, emu_exec_alu },
	[0x30 ... 0x33]	= { OP_MODRM, emu_exec_alu },
	[0x38 ... 0x3b]	= { OP_MODRM, emu_exec_alu },
	[0x63]		= { OP_MODRM | OP_64, emu_exec_movx },
	[0x6c]		= { OP_BYTE, emu_exec_pio_string },
	[0x6d]		= { 0, emu_exec_pio_string },
	[0x6e]		= { OP_BYTE, emu_exec_pio_string },
	[0x6f]		= { 0, emu_exec_pio_string },
	[0x80]		= { OP_MODRM | OP_IMM8, emu_exec_alu_imm },
	[0x81]		= { OP_MODRM | OP_IMM, emu_exec_alu_imm },
	[0x82]		= { OP_MODRM | OP_IMM8 | OP_NOT64, emu_exec_alu_imm },
	[0x83]		= { OP_MODRM | OP_IMM8, emu_exec_alu_imm },
	[0x84]		= { OP_MODRM, emu_exec_test },
	[0x85]		= { OP_MODRM, emu_exec_test },
	[0x86]		= { OP_MODRM, emu_exec_xchg },
	[0x87]		= { OP_MODRM, emu_exec_xchg },
	[0x88 ... 0x8b]	= { OP_MODRM, emu_exec_mov },
	[0xa0 ... 0xa3]	= { OP_MOFFS, emu_exec_mov_moffs },
	[0xa4]		= { OP_BYTE, emu_exec_string },
	[0xa5]		= { 0, emu_exec_string },
	[0xaa]		= { OP_BYTE, emu_exec_string },
	[0xab]		= { 0, emu_exec_string },
	[0xac]		= { OP_BYTE, emu_exec_string },
	[0xad]		= { 0, emu_exec_string },
	[0xc6]		= { OP_MODRM | OP_IMM8, emu_exec_mov_imm },
	[0xc7]		= { OP_MODRM | OP_IMM, emu_exec_mov_imm },
	[0xf6]		= { OP_MODRM | OP_IMM8, emu_exec_test },
	[0xf7]		= { OP_MODRM | OP_IMM, emu_exec_test },
};

/* Two-byte opcodes, 0F xx. */
static const struct emu_op emu_ops_0f[256] = {
	[0x01]		= { OP_MODRM | OP_REG, emu_exec_hypercall },
	[0x21]		= { OP_MODRM | OP_REG, emu_exec_mov_dr },
	[0x23]		= { OP_MODRM | OP_REG, emu_exec_mov_dr },
	[0xa3]		= { OP_MODRM, emu_exec_bt },
	[0xaa]		= { 0, emu_exec_rsm },
	[0xab]		= { OP_MODRM, emu_exec_bt },
	[0xb3]		= { OP_MODRM, emu_exec_bt },
	[0xb6]		= { OP_MODRM, emu_exec_movx },
	[0xb7]		= { OP_MODRM, emu_exec_movx },
	[0xba]		= { OP_MODRM | OP_IMM8, emu_exec_bt },
	[0xbb]		= { OP_MODRM, emu_exec_bt },
	[0xbe]		= { OP_MODRM, emu_exec_movx },
	[0xbf]		= { OP_MODRM, emu_exec_movx },
};

static const struct emu_op *emu_current_op(struct emu *e)
{
	return e->opcode > 0xff ? &emu_ops_0f[e->opcode & 0xff] :
	       &emu_ops[e->opcode];
}

/*
 * In the one-byte opcodes that come in pairs (ALU, TEST, XCHG, MOV), the
 * even one has byte operands.
 */
static u8 emu_op_flags(struct emu *e, const struct emu_op *op)
{
	u8 flags = op->flags;

	if (e->opcode < 0x40 || (e->opcode >= 0x84 && e->opcode <= 0x8b) ||
	    (e->opcode >= 0xa0 && e->opcode <= 0xa3) || e->opcode == 0xc6 ||
	    e->opcode == 0xf6 || (e->opcode >= 0x80 && e->opcode <= 0x82))
		flags |= e->opcode & 1 ? 0 : OP_BYTE;
	return flags;
}

static const u8 emu_seg_prefix[] = {
	[VCPU_SEG_ES] = 0x26, [VCPU_SEG_CS] = 0x2e, [VCPU_SEG_SS] = 0x36,
	[VCPU_SEG_DS] = 0x3e, [VCPU_SEG_FS] = 0x64, [VCPU_SEG_GS] = 0x65,
};

/* Prefixes, opcode, ModRM, SIB, displacement and immediate. */
static int emu_decode(struct emu *e, const struct emu_op **opp)
{
	int seg_override = -1, ret, i;
	bool opsize = false, adsize = false;
	const struct emu_op *op;
	u64 b, imm;
	u8 flags;

	for (;;) {
		ret = emu_next(e, 1, &b);
		if (ret)
			return ret;
		b &= 0xff;
		if (b == 0x66) {
			opsize = true;
		} else if (b == 0x67) {
			adsize = true;
		} else if (b == 0xf2 || b == 0xf3) {
			e->rep = b;
		} else if (b == 0xf0) {
			/* LOCK: a vCPU's access to MMIO is atomic anyway. */
		} else if (e->mode == 8 && (b & 0xf0) == 0x40) {
			e->rex = b;
			continue;	/* must come last, so stays if it does */
		} else {
			for (i = 0; i < ARRAY_SIZE(emu_seg_prefix); i++)
				if (b == emu_seg_prefix[i])
					break;
			if (i == ARRAY_SIZE(emu_seg_prefix))
				break;
			seg_override = i;
		}
		e->rex = 0;
	}

	e->opcode = b;
	if (b == 0x0f) {
		ret = emu_next(e, 1, &b);
		if (ret)
			return ret;
		e->opcode = 0x0f00 | (b & 0xff);
	}
	op = emu_current_op(e);
	flags = emu_op_flags(e, op);
	if (!op->exec || (flags & OP_64 && e->mode != 8) ||
	    (flags & OP_NOT64 && e->mode == 8))
		return EMU_UNHANDLED;
	if (e->opcode == 0x63 && !(e->rex & 8))
		return EMU_UNHANDLED;	/* MOVSXD without REX.W */

	if (e->mode == 8) {
		e->op_bytes = e->rex & 8 ? 8 : opsize ? 2 : 4;
		e->ad_bytes = adsize ? 4 : 8;
	} else {
		e->op_bytes = (e->mode == 4) != opsize ? 4 : 2;
		e->ad_bytes = (e->mode == 4) != adsize ? 4 : 2;
	}
	e->bytes = flags & OP_BYTE ? 1 : e->op_bytes;
	e->seg = VCPU_SEG_DS;

	if (flags & OP_MODRM) {
		ret = emu_next(e, 1, &b);
		if (ret)
			return ret;
		e->mod = (b >> 6) & 3;
		e->reg = ((b >> 3) & 7) | (e->rex & 4 ? 8 : 0);
		e->rm = (b & 7) | (e->rex & 1 ? 8 : 0);
		if (!(flags & OP_REG)) {
			if (e->mod == 3)
				return EMU_UNHANDLED;	/* no memory operand */
			ret = e->ad_bytes == 2 ? emu_modrm16(e) :
						 emu_modrm32(e);
			if (ret)
				return ret;
		}
	} else if (flags & OP_MOFFS) {
		ret = emu_fetch(e, e->ad_bytes);
		if (ret)
			return ret;
		memcpy(&e->ea, e->insn + e->pos, e->ad_bytes);
		e->pos += e->ad_bytes;
	}
	if (flags & (OP_IMM8 | OP_IMM)) {
		unsigned int n = flags & OP_IMM8 || flags & OP_BYTE ? 1 :
				 min_t(unsigned int, e->op_bytes, 4);

		ret = emu_next(e, n, &imm);
		if (ret)
			return ret;
		e->imm = imm;
	}
	if (e->rip_relative)
		e->ea += e->rip + e->pos;
	e->ea &= size_mask(e->ad_bytes);
	if (seg_override >= 0)
		e->seg = seg_override;
	*opp = op;
	return 0;
}

static int emu_pass(struct emu *e)
{
	struct kvm_x86_vcpu *vcpu = e->vcpu;
	const struct emu_op *op;
	int ret;

	static_call(kvm_x86_get_sregs)(vcpu, &e->s);
	memcpy(e->regs, vcpu->regs, sizeof(e->regs));
	e->rip = vcpu->rip;
	e->rflags = vcpu->rflags;
	e->cpl = kvm_x86_cpl(&e->s, e->rflags);
	if ((e->s.efer & EFER_LMA) && e->s.cs.l)
		e->mode = 8;
	else
		e->mode = e->s.cs.db ? 4 : 2;

	ret = emu_decode(e, &op);
	if (ret)
		return ret;
	/*
	 * After #UD only the hypercall patch and RSM: the processor refused
	 * the rest.
	 */
	if (e->ud && op->exec != emu_exec_hypercall && op->exec != emu_exec_rsm)
		return emu_exception(e, X86_TRAP_UD, false, 0);
	ret = op->exec(e);
	if (ret)
		return ret;
	if (e->state_set)
		return EMU_DONE;

	/* Done (or one element further): make it the guest's. */
	memcpy(vcpu->regs, e->regs, sizeof(vcpu->regs));
	/* TF as the instruction began: a POPF that sets it does not trap. */
	if (!e->again && (vcpu->rflags & X86_EFLAGS_TF))
		kvm_x86_step_trap(vcpu);
	if (!e->again)
		vcpu->rip = (e->rip + e->pos) & size_mask(e->mode);
	vcpu->rflags = e->rflags;
	if (static_call(kvm_x86_get_interrupt_shadow)(vcpu))
		static_call(kvm_x86_set_interrupt_shadow)(vcpu, 0);
	return EMU_DONE;
}

/**
 * kvm_x86_exit_emulation_failure() - tell userspace the emulator gave up
 * @vcpu: the vCPU
 * @insn: the bytes of the instruction fetched, or NULL
 * @len: how many
 *
 * The exit is KVM_EXIT_INTERNAL_ERROR with KVM_INTERNAL_ERROR_EMULATION
 * in the layout of struct kvm_run's emulation_failure: the flags say
 * whether the instruction's bytes are there; the RIP follows them, in
 * internal.data[3].
 *
 * Return: 0, for the exit to userspace.
 */
int kvm_x86_exit_emulation_failure(struct kvm_x86_vcpu *vcpu, const u8 *insn,
				   u8 len)
{
	struct kvm_run *run = vcpu->vcpu.run;

	BUILD_BUG_ON(sizeof(run->emulation_failure.insn_bytes) < X86_MAX_INSN);
	memset(&run->internal, 0, sizeof(run->internal));
	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->emulation_failure.suberror = KVM_INTERNAL_ERROR_EMULATION;
	run->emulation_failure.ndata = 4;
	if (len) {
		run->emulation_failure.flags =
			KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES;
		run->emulation_failure.insn_size = len;
		memcpy(run->emulation_failure.insn_bytes, insn, len);
	}
	run->internal.data[3] = vcpu->rip;
	return 0;
}
EXPORT_SYMBOL_GPL(kvm_x86_exit_emulation_failure);

/*
 * An instruction the emulator does not know.  As upstream, a guest
 * program outside ring 0 gets #UD for it (its own business, no reason to
 * stop the VM) unless userspace asked to see every failure with
 * KVM_CAP_EXIT_ON_EMULATION_FAILURE; in ring 0 it stops the vCPU.
 */
static int emu_failure(struct emu *e)
{
	struct kvm_x86_vcpu *vcpu = e->vcpu;

	if (e->cpl &&
	    !READ_ONCE(to_kvm_x86(vcpu->vcpu.kvm)->exit_on_emulation_failure)) {
		kvm_x86_queue_exception(vcpu, X86_TRAP_UD, false, 0);
		return 1;
	}
	return kvm_x86_exit_emulation_failure(vcpu, e->insn, e->fetched);
}

/*
 * Run a pass; return 1 to enter the guest, 0 to go to userspace (with
 * the exit set up) or a negative errno.
 */
static int emu_run(struct kvm_x86_vcpu *vcpu)
{
	struct emu e = { .vcpu = vcpu };
	int ret;

	ret = emu_pass(&e);
	if (ret != EMU_EXIT) {
		/* This instruction is over: its answers are used up. */
		vcpu->emu.nr_read = 0;
		vcpu->emu.pio_in = false;
	}
	switch (ret) {
	case EMU_DONE:
		vcpu->vcpu.stat.insn_emulation++;
		/* A write to MMIO or a port goes to userspace now. */
		return e.wrote_device ? 0 : 1;
	case EMU_EXIT:
		return 0;
	case EMU_EXCEPTION:
		return 1;
	case EMU_UNHANDLED:
		return emu_failure(&e);
	case -EAGAIN:
		return 1;	/* the guest's tables changed: try again */
	default:
		return ret;
	}
}

/**
 * kvm_x86_exit_ud() - the guest raised #UD
 * @vcpu: the vCPU, loaded, in its SRCU read side
 *
 * Backends intercept #UD for the other vendor's hypercall instruction
 * (see emu_exec_hypercall()); for anything else the guest gets its #UD.
 *
 * Return: 1 to enter the guest again, or a negative errno.
 */
int kvm_x86_exit_ud(struct kvm_x86_vcpu *vcpu)
{
	struct emu e = { .vcpu = vcpu, .ud = true };
	int ret;

	vcpu->emu.nr_read = 0;
	vcpu->emu.pio_in = false;
	ret = emu_pass(&e);
	if (ret == EMU_UNHANDLED)
		kvm_x86_queue_exception(vcpu, X86_TRAP_UD, false, 0);
	return ret < 0 && ret != -EAGAIN ? ret : 1;
}
EXPORT_SYMBOL_GPL(kvm_x86_exit_ud);

/**
 * kvm_x86_emulate() - carry out the instruction at the guest's RIP
 * @vcpu: the vCPU, loaded, in its SRCU read side
 *
 * For accesses to guest physical addresses outside RAM and for string
 * port I/O.
 *
 * Return: 1 to enter the guest again, 0 with an exit to userspace set up
 * (KVM_EXIT_MMIO, KVM_EXIT_IO or KVM_EXIT_INTERNAL_ERROR), or a negative
 * errno.
 */
int kvm_x86_emulate(struct kvm_x86_vcpu *vcpu)
{
	vcpu->emu.nr_read = 0;
	vcpu->emu.pio_in = false;
	return emu_run(vcpu);
}
EXPORT_SYMBOL_GPL(kvm_x86_emulate);
