/*
 * Writable page tables (VMASST_TYPE_writable_pagetables, pv-abi.md §8.6).
 * A guest kernel that enabled the assist may write its L1 tables with
 * plain instructions although hv maps them read-only: the write faults,
 * and hv decodes the instruction, computes the new 8-byte entry, checks
 * and installs it exactly as mmu_update would, and steps over the
 * instruction. Linux relies on it for set_pte (mov), ptep_get_and_clear
 * (xchg), cmpxchg-based updates and clearing RW/accessed bits (lock and,
 * lock btr).
 *
 * Only what such code uses is decoded: mov, xchg, cmpxchg, and/or, bt[rs],
 * with a memory destination, any operand size, at most one entry touched.
 * Anything else, or an entry hv refuses, leaves the fault to the guest.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/page_types.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/traps.h>

#define MAX_INSN 15

enum op { OP_MOV, OP_XCHG, OP_CMPXCHG, OP_AND, OP_OR, OP_BTS, OP_BTR };

struct insn {
	enum op op;
	unsigned int size;		/* operand bytes: 1, 2, 4, 8 */
	unsigned int len;		/* instruction bytes */
	bool src_is_reg;
	unsigned int reg;		/* ModRM.reg with REX.R */
	uint64_t imm;
	bool rex;
};

/* A register operand of `size` bytes (AH..BH for byte regs 4-7 without REX). */
static uint64_t *reg_slot(struct cpu_regs *r, unsigned int n, unsigned int size, bool rex,
			  unsigned int *shift)
{
	uint64_t *const map[16] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi,
		&r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
	};

	*shift = 0;
	if (size == 1 && !rex && n >= 4 && n < 8) {
		*shift = 8;
		return map[n - 4];
	}
	return map[n & 15];
}

static uint64_t size_mask(unsigned int size)
{
	return size == 8 ? ~0UL : (1UL << (size * 8)) - 1;
}

static uint64_t read_reg(struct cpu_regs *r, const struct insn *in, unsigned int n)
{
	unsigned int shift;
	uint64_t *p = reg_slot(r, n, in->size, in->rex, &shift);

	return (*p >> shift) & size_mask(in->size);
}

/* Register writes as the CPU does them: 32-bit ones clear the upper half. */
static void write_reg(struct cpu_regs *r, const struct insn *in, unsigned int n, uint64_t v)
{
	unsigned int shift;
	uint64_t *p = reg_slot(r, n, in->size, in->rex, &shift);

	if (in->size == 4)
		*p = (uint32_t)v;
	else
		*p = (*p & ~(size_mask(in->size) << shift)) | ((v & size_mask(in->size)) << shift);
}

/* Length of a memory ModRM operand (with SIB and displacement), 0 if a register. */
static unsigned int modrm_len(const uint8_t *p, unsigned int avail)
{
	unsigned int mod = p[0] >> 6, rm = p[0] & 7, n = 1;

	if (mod == 3)
		return 0;
	if (rm == 4) {
		if (avail < 2)
			return 0;
		n++;
		if (mod == 0 && (p[1] & 7) == 5)
			return n + 4;
	}
	if (mod == 0 && rm == 5)
		return n + 4;			/* RIP-relative */
	return n + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

static bool decode(const uint8_t *b, unsigned int avail, struct insn *in)
{
	unsigned int i = 0, rex = 0, ml;
	bool opsize = false, byte = false, imm8 = false, has_imm = false;
	uint8_t op, modrm;

	memset(in, 0, sizeof(*in));
	for (; i < avail; i++) {
		switch (b[i]) {
		case 0xf0: case 0x2e: case 0x36: case 0x3e: case 0x26: case 0x64: case 0x65:
			continue;		/* lock, segment overrides */
		case 0x66:
			opsize = true;
			continue;
		}
		break;
	}
	if (i < avail && (b[i] & 0xf0) == 0x40)
		rex = b[i++];
	if (i + 2 > avail)
		return false;
	op = b[i++];
	if (op == 0x0f) {
		op = b[i++];
		switch (op) {
		case 0xb0: byte = true; /* fallthrough */
		case 0xb1: in->op = OP_CMPXCHG; in->src_is_reg = true; break;
		case 0xab: in->op = OP_BTS; in->src_is_reg = true; break;
		case 0xb3: in->op = OP_BTR; in->src_is_reg = true; break;
		case 0xba:
			if (i >= avail)
				return false;
			switch ((b[i] >> 3) & 7) {
			case 5: in->op = OP_BTS; break;
			case 6: in->op = OP_BTR; break;
			default: return false;
			}
			has_imm = imm8 = true;
			break;
		default:
			return false;
		}
	} else {
		switch (op) {
		case 0x88: byte = true; /* fallthrough */
		case 0x89: in->op = OP_MOV; in->src_is_reg = true; break;
		case 0x86: byte = true; /* fallthrough */
		case 0x87: in->op = OP_XCHG; in->src_is_reg = true; break;
		case 0x08: byte = true; /* fallthrough */
		case 0x09: in->op = OP_OR; in->src_is_reg = true; break;
		case 0x20: byte = true; /* fallthrough */
		case 0x21: in->op = OP_AND; in->src_is_reg = true; break;
		case 0xc6: byte = true; /* fallthrough */
		case 0xc7:
			if (i >= avail || ((b[i] >> 3) & 7) != 0)
				return false;
			in->op = OP_MOV;
			has_imm = true;
			imm8 = byte;
			break;
		case 0x80: byte = true; /* fallthrough */
		case 0x81: case 0x83:
			if (i >= avail)
				return false;
			switch ((b[i] >> 3) & 7) {
			case 1: in->op = OP_OR; break;
			case 4: in->op = OP_AND; break;
			default: return false;
			}
			has_imm = true;
			imm8 = op != 0x81;
			break;
		default:
			return false;
		}
	}
	if (i >= avail)
		return false;
	modrm = b[i];
	ml = modrm_len(&b[i], avail - i);
	if (!ml)
		return false;			/* a register destination cannot fault here */
	in->rex = rex != 0;
	in->reg = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0);
	in->size = byte ? 1 : rex & 8 ? 8 : opsize ? 2 : 4;
	i += ml;
	if (has_imm) {
		unsigned int n = imm8 ? 1 : in->size == 2 ? 2 : 4;
		int64_t v = 0;

		if (i + n > avail)
			return false;
		if (n == 1)
			v = (int8_t)b[i];
		else if (n == 2)
			v = (int16_t)(b[i] | b[i + 1] << 8);
		else
			v = (int32_t)(b[i] | b[i + 1] << 8 | b[i + 2] << 16 | (uint32_t)b[i + 3] << 24);
		in->imm = (uint64_t)v & size_mask(in->size);
		i += n;
	}
	in->len = i;
	return true;
}

#define FLAGS_ARITH (uint64_t)(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | X86_EFLAGS_ZF | \
		     X86_EFLAGS_SF | X86_EFLAGS_OF)

/* ZF, SF and PF of a result; CF and OF as given. */
static uint64_t result_flags(uint64_t res, unsigned int size, bool cf, bool of)
{
	uint64_t f = 0;

	res &= size_mask(size);
	if (!res)
		f |= X86_EFLAGS_ZF;
	if (res >> (size * 8 - 1))
		f |= X86_EFLAGS_SF;
	if (!(__builtin_popcount((unsigned int)(res & 0xff)) & 1))
		f |= X86_EFLAGS_PF;
	if (cf)
		f |= X86_EFLAGS_CF;
	if (of)
		f |= X86_EFLAGS_OF;
	return f;
}

/* The flags of `cmp mem, acc` (acc - mem), as cmpxchg sets them. */
static uint64_t cmp_flags(uint64_t acc, uint64_t mem, unsigned int size)
{
	uint64_t m = size_mask(size), res = (acc - mem) & m, sign = 1UL << (size * 8 - 1);
	bool of = ((acc ^ mem) & (acc ^ res) & sign) != 0;
	uint64_t f = result_flags(res, size, (acc & m) < (mem & m), of);

	if ((acc ^ mem ^ res) & 0x10)
		f |= X86_EFLAGS_AF;
	return f;
}


bool pv_emulate_pt_write(struct cpu_regs *regs, uint64_t addr)
{
	struct vcpu *v = current;
	struct domain *d = v->domain;
	unsigned int shift = (addr & 7) * 8, avail;
	uint8_t bytes[MAX_INSN];
	uint64_t old, cur, val, mask, *entry, src, flags = regs->rflags;
	struct frame *f;
	struct insn in;
	pte_t *gl1e;
	mfn_t mfn;
	bool write = true;

	/* The faulting page must be one of this domain's validated L1 tables. */
	gl1e = guest_kernel_l1e(v, addr, NULL);
	if (!gl1e || !(*gl1e & _PAGE_PRESENT))
		return false;
	mfn = pte_mfn(*gl1e);
	f = mfn_to_frame(mfn);
	if (!f || f->owner != d || f->state != FRAME_ALLOCATED || f->type != FT_L1 ||
	    !f->type_count || !(f->flags & FRAME_VALIDATED))
		return false;

	for (avail = 0; avail < MAX_INSN; avail++)
		if (copy_from_guest(&bytes[avail], regs->rip + avail, 1))
			break;
	if (!decode(bytes, avail, &in) || shift / 8 + in.size > 8)
		return false;

	entry = (uint64_t *)frame_contents(mfn) + ((addr & (PAGE_SIZE - 1)) >> 3);
	old = *entry;
	mask = size_mask(in.size) << shift;
	cur = (old & mask) >> shift;
	src = in.src_is_reg ? read_reg(regs, &in, in.reg) : in.imm;
	switch (in.op) {
	case OP_MOV:
	case OP_XCHG:
		val = src;
		break;
	case OP_CMPXCHG: {
		uint64_t acc = read_reg(regs, &in, 0);

		flags = (flags & ~FLAGS_ARITH) | cmp_flags(acc, cur, in.size);
		val = src;
		write = acc == cur;
		break;
	}
	case OP_AND:
		val = cur & src;
		flags = (flags & ~FLAGS_ARITH) | result_flags(val, in.size, false, false);
		break;
	case OP_OR:
		val = cur | src;
		flags = (flags & ~FLAGS_ARITH) | result_flags(val, in.size, false, false);
		break;
	default: {				/* BTS, BTR */
		uint64_t bit = 1UL << (src & (in.size * 8 - 1));

		val = in.op == OP_BTS ? cur | bit : cur & ~bit;
		flags = (flags & ~(uint64_t)X86_EFLAGS_CF) | (cur & bit ? X86_EFLAGS_CF : 0);
		break;
	}
	}
	if (write && pt_update_entry(mfn, 1, (unsigned int)((addr & (PAGE_SIZE - 1)) >> 3),
				     (old & ~mask) | ((val << shift) & mask), d, d, false))
		return false;
	if (in.op == OP_XCHG)
		write_reg(regs, &in, in.reg, cur);
	else if (in.op == OP_CMPXCHG && !write)
		write_reg(regs, &in, 0, cur);
	regs->rflags = flags;
	regs->rip += in.len;
	return true;
}
