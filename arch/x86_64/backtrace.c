/* SPDX-License-Identifier: MIT */
/*
 * Frame-pointer backtraces for fault reports.
 *
 * mote is built with -fno-omit-frame-pointer, so C functions start with
 * `push %rbp; mov %rsp, %rbp`: %rbp points at the saved %rbp of the caller,
 * with the return address just above it. head.S clears %rbp before calling
 * start_kernel, so the chain ends at 0.
 *
 * Not every function: GCC still omits the frame in leaf functions that need
 * no stack (its manual: -fno-omit-frame-pointer "doesn't guarantee the frame
 * pointer is used in all functions"), and a fault can hit a function before
 * its prologue has run. In those cases %rbp is still the caller's frame and
 * the caller's return address is near the top of the stack; the first frame
 * is found by looking at the faulting function's first instructions. A
 * function with no frame may still have pushed registers (Xen's hypercall
 * stubs push %rcx and %r11), so the top few stack words are searched for the
 * first that follows a call instruction in the kernel's text.
 *
 * The chain is read while reporting a fault, when it may be what is corrupt;
 * a bad pointer must end the backtrace, not fault again. So each frame
 * pointer is followed only if it is 8-byte aligned, lies inside the stack of
 * the running thread (the boot stack for main's; include/thread.h) with room
 * for the two words, and is above the previous one (stacks grow down, so
 * callers' frames are higher; this also stops a loop).
 */
#include <printk.h>
#include <stdint.h>
#include <string.h>
#include <symbols.h>
#include <thread.h>
#include <traps.h>

/* main's stack (linker.ld) */
extern const char boot_stack[], boot_stack_top[];
/* arch/x86_64/stack_check.S */
extern const char __morestack[];

#define BACKTRACE_MAX_FRAMES 32

/* The stack being walked: [stack_lo, stack_hi). */
static unsigned long stack_lo, stack_hi;

static void find_stack(const struct thread *t)
{
    if (!thread_stack(t, &stack_lo, &stack_hi)) {
        stack_lo = (unsigned long)boot_stack;
        stack_hi = (unsigned long)boot_stack_top;
    }
}

static int frame_pointer_ok(unsigned long fp, unsigned long prev)
{
    return (fp & 7) == 0 && fp > prev && fp >= stack_lo &&
           fp <= stack_hi - 2 * sizeof(uint64_t);
}

static void print_frame(int n, unsigned long addr, unsigned long lookup)
{
    unsigned long offset;
    const char *name = symbol_lookup(lookup, &offset);

    if (name)
        printk("    #%-2d %016lx %s+0x%lx\n", n, addr, name, offset + (addr - lookup));
    else
        printk("    #%-2d %016lx ?\n", n, addr);
}

static int stack_word_ok(unsigned long sp)
{
    return (sp & 7) == 0 && sp >= stack_lo && sp <= stack_hi - sizeof(uint64_t);
}

/* Is `ret` a return address: just past a call instruction in our text? */
static int is_return_address(unsigned long ret)
{
    unsigned long offset;

    if (!symbol_lookup(ret - 1, &offset))
        return 0;
    const uint8_t *p = (const uint8_t *)ret;
    /* call rel32 (e8 + 4 bytes), or call *%reg (ff d0+reg), both within
     * the same function. */
    if (offset >= 4 && p[-5] == 0xe8)
        return 1;
    return offset >= 1 && p[-2] == 0xff && (p[-1] & 0xf8) == 0xd0;
}

#define FRAMELESS_SEARCH_WORDS 4

/*
 * The return address of the function executing at pc if that function has
 * not (or not yet) saved %rbp; 0 if its frame is set up, so that fp already
 * leads to its return address, or if none is found.
 */
/* How far into a function GCC may schedule `mov %rsp,%rbp` after `push %rbp`. */
#define PROLOGUE_SEARCH_BYTES 32

/*
 * Where a function's own prologue starts: past the stack overflow check
 * that -fsplit-stack puts first (arch/stack_check.h), which pushes nothing.
 * GCC emits `cmp %fs:0x70,%rsp`, or for a large frame `lea -N(%rsp),%r11;
 * cmp %fs:0x70,%r11`, then either `jae body` (the call to __morestack
 * follows) or `jb out_of_line` (the body follows).
 */
static const uint8_t *skip_stack_check(const uint8_t *start)
{
    static const uint8_t cmp_rsp[] = { 0x64, 0x48, 0x3b, 0x24, 0x25, 0x70, 0, 0, 0 };
    static const uint8_t lea_r11[] = { 0x4c, 0x8d, 0x9c, 0x24 };
    static const uint8_t cmp_r11[] = { 0x64, 0x4c, 0x3b, 0x1c, 0x25, 0x70, 0, 0, 0 };
    const uint8_t *p = start;

    if (!memcmp(p, lea_r11, sizeof(lea_r11)))
        p += sizeof(lea_r11) + 4;
    if (!memcmp(p, cmp_rsp, sizeof(cmp_rsp)) || !memcmp(p, cmp_r11, sizeof(cmp_r11)))
        p += sizeof(cmp_rsp);
    else
        return start;
    if (p[0] == 0x73)                                   /* jae rel8 */
        return p + 2 + (int8_t)p[1];
    if (p[0] == 0x0f && p[1] == 0x83) {                 /* jae rel32 */
        int32_t rel;
        memcpy(&rel, p + 2, sizeof(rel));
        return p + 6 + rel;
    }
    if (p[0] == 0x72)                                   /* jb rel8 */
        return p + 2;
    if (p[0] == 0x0f && p[1] == 0x82)                   /* jb rel32 */
        return p + 6;
    return start;
}

/* Is pc just past the stack check's `call __morestack`, wherever GCC put
 * that call (at -O2 it goes out of line, after the body)? */
static int after_morestack_call(unsigned long pc)
{
    const uint8_t *p = (const uint8_t *)pc;
    int32_t rel;

    if (p[-5] != 0xe8)
        return 0;
    memcpy(&rel, p - 4, sizeof(rel));
    return pc + rel == (unsigned long)__morestack;
}

static unsigned long frameless_return_address(unsigned long pc, unsigned long sp)
{
    static const uint8_t mov_rsp_rbp[] = { 0x48, 0x89, 0xe5 };
    unsigned long offset, first;
    int words;

    if (!symbol_lookup(pc, &offset))
        return 0;
    const uint8_t *entry = (const uint8_t *)(pc - offset);
    const uint8_t *start = skip_stack_check(entry);
    if (start != entry) {
        /* In the stack check (or its call to __morestack), nothing pushed
         * yet: the return address is at sp. Past it, offsets count from
         * the prologue proper. */
        if (pc < (unsigned long)start || after_morestack_call(pc))
            offset = 0;
        else
            offset = pc - (unsigned long)start;
    }
    if (start[0] == 0x55) {             /* push %rbp */
        /* GCC may schedule other instructions between the push and the
         * mov that sets %rbp: find the mov. */
        unsigned long mov = 1;
        while (mov < PROLOGUE_SEARCH_BYTES && memcmp(start + mov, mov_rsp_rbp, 3))
            mov++;
        if (offset > mov)
            return 0;                   /* frame set up: fp leads on */
        first = sp + (offset ? 8 : 0);  /* before the push, or after it */
        words = 1;
    } else {
        first = sp;                     /* no frame at all */
        words = FRAMELESS_SEARCH_WORDS;
    }
    for (int i = 0; i < words; i++) {
        unsigned long slot = first + i * 8;
        if (stack_word_ok(slot) && is_return_address(*(const uint64_t *)slot))
            return *(const uint64_t *)slot;
    }
    return 0;
}

void backtrace_print(unsigned long pc, unsigned long sp, unsigned long fp)
{
    backtrace_print_stack(thread_self(), pc, sp, fp);
}

void backtrace_print_stack(const struct thread *t, unsigned long pc, unsigned long sp,
                           unsigned long fp)
{
    unsigned long prev = 0, ret;
    int n = 0;

    find_stack(t);
    printk("  thread %s, stack %016lx-%016lx\n", thread_name(t), stack_lo, stack_hi);
    printk("  backtrace:\n");
    print_frame(n++, pc, pc);
    ret = frameless_return_address(pc, sp);
    if (ret)
        print_frame(n++, ret, ret - 1);
    while (fp != 0 && n < BACKTRACE_MAX_FRAMES) {
        if (!frame_pointer_ok(fp, prev)) {
            printk("    (frame pointer 0x%lx is outside the stack: stopped)\n", fp);
            return;
        }
        const uint64_t *frame = (const uint64_t *)fp;
        ret = frame[1];
        /* A return address is just past its call, which may be the last
         * instruction of the caller (a noreturn call): name the call. */
        print_frame(n++, ret, ret - 1);
        prev = fp;
        fp = frame[0];
    }
    if (fp != 0)
        printk("    (more than %d frames: stopped)\n", BACKTRACE_MAX_FRAMES);
}
