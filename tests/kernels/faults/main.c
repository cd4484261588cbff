/* SPDX-License-Identifier: MIT */
/*
 * faults: the kernel the trap boot tests (tests/boot/traps.sh) boot. argv[1]
 * names the fault to raise; each is raised in its own noinline function, so
 * the report must name that function as the faulting RIP and show main below
 * it in the backtrace.
 *
 *   divide      divide by zero                       #DE
 *   ud2         invalid opcode                       #UD
 *   null        read of address 0                    #PF, not present, read
 *   readonly    write to .rodata                     #PF, protection, write
 *   noncanon    read of a non-canonical address      #GP
 *   int3        breakpoint; execution continues, main returns 0
 *   int_3       the same with the two-byte form, int $3 (0xcd 0x03)
 *   badframe    #UD with a corrupt frame pointer: the backtrace must stop
 *   thread      #UD in a thread, on its own stack
 *   overflow    recursion without bound on main's stack (the default size):
 *               the stack check's report, "stack overflow in thread main"
 *   badiret     HYPERVISOR_iret to a bad SS selector  #GP, error code 0xc
 *   failsafe    %es from an LDT that is then removed: Xen's failsafe callback
 *               (needs dom0_max_vcpus=2 on the Xen command line); with
 *               argv[2] "unmasked", event delivery stays enabled meanwhile,
 *               so only Xen's masking on entry keeps handlers out
 */
#include <arch/hypercall.h>
#include <arch/layout.h>
#include <arch/mm.h>
#include <arch/regs.h>
#include <hypercall.h>
#include <kernel.h>
#include <printk.h>
#include <smp.h>
#include <string.h>
#include <thread.h>
#include <xen_shared.h>

/* noclone too: the report should name the function, not a GCC clone of it. */
#define noinline __attribute__((noinline, noclone))

/* In assembly so the compiler cannot fold or drop the faulting access. */
static noinline void fault_divide(void)
{
    asm volatile ("xor %%ecx, %%ecx; mov $1, %%eax; xor %%edx, %%edx; div %%ecx"
                  ::: "rax", "rcx", "rdx");
}

static noinline void fault_ud2(void)
{
    asm volatile ("ud2");
}

static noinline unsigned long fault_null(void)
{
    unsigned long v;

    asm volatile ("mov (%1), %0" : "=r" (v) : "r" (0UL) : "memory");
    return v;
}

/* mm_init maps the image's .rodata read-only (arch/x86_64/mm.c). */
static const unsigned long read_only_word = 0x5eed;

static noinline void fault_readonly(void)
{
    printk("faults: writing to %p\n", (const void *)&read_only_word);
    asm volatile ("movq $0, (%0)" :: "r" (&read_only_word) : "memory");
}

static noinline unsigned long fault_noncanonical(void)
{
    unsigned long v;

    asm volatile ("mov (%1), %0" : "=r" (v) : "r" (0x8000000000000000UL) : "memory");
    return v;
}

/* no_split_stack: the int3 is the first instruction, as the test's
 * "breakpoint at breakpoint+0x0" wants, with no stack check before it. */
static __attribute__((no_split_stack)) noinline void breakpoint(void)
{
    asm volatile ("int3");
}

/* The two-byte encoding, at a label the report should name with +0x0. */
static noinline void breakpoint_two_byte(void)
{
    asm volatile (".globl int_3_insn\nint_3_insn: .byte 0xcd, 0x03");
}

/* A frame pointer outside the stack, then a fault: the report must stop its
 * backtrace at the bad pointer rather than fault on it. */
static noinline void fault_bad_frame_pointer(void)
{
    asm volatile ("movabs $0xffffffff8badf000, %%rbp; ud2" ::: "memory");
}

/*
 * HYPERVISOR_iret with a frame whose SS is index 1 of the LDT: mote has no
 * LDT, so the iretq Xen ends the hypercall with raises #GP(0xc). Old Xen
 * bounced such a fault to the failsafe callback (the .Lft0 fix-up in
 * x86_64/entry.S, Linux's "Bad IRET" case); Xen 4.17 delivers it to us as a
 * #GP at the context we asked to return to. CS is the kernel code selector
 * with RPL 0: HYPERVISOR_iret maps RPL 0 to "RING3 kernel mode"
 * (arch-x86/xen-x86_64.h), so we stay in kernel mode.
 */
static noinline void fault_bad_iret(void)
{
    asm volatile ("mov     %%rsp, %%rax\n\t"
                  "pushq   $0xc\n\t"                /* ss: LDT selector, no LDT */
                  "pushq   %%rax\n\t"               /* rsp */
                  "pushfq\n\t"                      /* rflags */
                  "pushq   %[cs]\n\t"               /* cs */
                  "lea     1f(%%rip), %%rax\n\t"
                  "pushq   %%rax\n\t"               /* rip */
                  "pushq   $0\n\t"                  /* flags: not VGCF_in_syscall */
                  "jmp     hypercall_page + %c[iret] * 32\n"
                  "1:"
                  :: [cs] "i" (FLAT_KERNEL_CS & ~3), [iret] "i" (__HYPERVISOR_iret)
                  : "rax", "memory");
}

/*
 * The failsafe callback. Xen calls it when it cannot reload a data segment
 * register for us: load_segments() does that when it switches this vCPU back
 * in after another vCPU ran on the physical CPU (switching to the idle vCPU
 * and back is lazy and reloads nothing). So:
 *   1. a second vCPU (the boot test gives dom0 two, on one physical CPU)
 *      that only yields: mote brings every vCPU up at boot, so a thread
 *      pinned to vCPU 1 does it (the context below is for a kernel that
 *      left vCPU 1 down);
 *   2. an LDT with a flat data descriptor, and %es loaded from it (not
 *      %fs: loading a selector there would set its base to the
 *      descriptor's, 0, and every C function reads its stack limit
 *      through %fs, arch/stack_check.h; %es is reloaded by Xen's
 *      load_segments all the same, and 64-bit code does not address
 *      through it);
 *   3. the LDT taken away again: %es keeps its selector and cached
 *      descriptor, but the selector no longer names anything;
 *   4. a yield: Xen saves %es = 0xf, runs the other vCPU, and on the way
 *      back cannot load 0xf (no LDT) -> failsafe callback.
 */
#define FLAT_DATA_DPL3 0x00cff3000000ffffULL /* base 0, 4 GiB, data RW, DPL 3 */
#define LDT_ES_SELECTOR 0xf             /* LDT index 1, RPL 3 */

/*
 * Xen uses a page as an LDT only if no writable mapping of it exists (it
 * takes it as a descriptor page, like a page table: xen.h, "pages that make
 * up a pagetable must be mapped read-only"). In .rodata it is: mm_init maps
 * .rodata read-only in the image and in the direct map alike.
 */
static const uint64_t ldt[PAGE_SIZE / sizeof(uint64_t)] __attribute__((aligned(PAGE_SIZE))) = {
    [1] = FLAT_DATA_DPL3,
};
static uint8_t vcpu1_stack[PAGE_SIZE] __attribute__((aligned(16)));
static struct vcpu_guest_context vcpu1_context;

/* The second vCPU: gives the physical CPU back forever. */
static void vcpu1_main(void)
{
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

/* The same on a vCPU mote already runs: never blocks, so vCPU 1 stays
 * runnable and Xen switches to it on every yield of vCPU 0. */
static int vcpu1_thread(void *arg)
{
    (void)arg;
    vcpu1_main();
    return 0;
}

static int start_second_vcpu(void)
{
    struct vcpu_guest_context *c = &vcpu1_context;

    if (smp_cpu_count() >= 2) {
        struct thread *t = thread_create("yielder", vcpu1_thread, NULL);
        if (!t || thread_set_affinity(t, 1) < 0)
            return -1;
        /* Let it start there before the LDT games begin. */
        for (int i = 0; i < 100; i++)
            thread_yield();
        return 0;
    }

    c->flags = VGCF_in_kernel;
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->user_regs.rip = (unsigned long)vcpu1_main;
    /* As if called: the return address slot keeps the C stack alignment. */
    c->user_regs.rsp = (unsigned long)(vcpu1_stack + sizeof(vcpu1_stack) - 8);
    c->user_regs.rflags = X86_EFLAGS_IF;
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = c->user_regs.rsp;
    /* The same page tables as vCPU 0 (ctrlreg[3] is the L4 frame in CR3
     * form, pfn << 12 on x86-64: foreign/x86_64.h xen_pfn_to_cr3). */
    c->ctrlreg[3] = virt_to_mfn((const void *)start_info->pt_base) << PAGE_SHIFT;
    if (xen_call(vcpu_op, VCPUOP_initialise, 1, c) < 0)
        return -1;
    if (xen_call(vcpu_op, VCPUOP_up, 1, NULL) < 0)
        return -1;
    return 0;
}

static int set_ldt(const void *base, unsigned int entries)
{
    struct mmuext_op op = {
        .cmd = MMUEXT_SET_LDT,
        .arg1.linear_addr = (unsigned long)base,
        .arg2.nr_ents = entries,
    };

    return xen_call(mmuext_op, &op, 1, NULL, DOMID_SELF) < 0 ? -1 : 0;
}

/* events_init() has registered failsafe_callback (CALLBACKOP_register). */
static noinline void fault_failsafe(bool keep_events)
{
    if (start_second_vcpu())
        return;
    if (set_ldt(ldt, ARRAY_SIZE(ldt)))
        return;
    printk("faults: loading %%es = %#x from the LDT, then removing the LDT\n",
           LDT_ES_SELECTOR);
    /* From here on any switch to the other vCPU ends in the failsafe
     * callback, and Xen may preempt us before the yields below: so the
     * report's RIP may be anywhere in this path. Masking events keeps an
     * upcall frame out of the backtrace. */
    if (!keep_events)
        local_irq_disable();
    asm volatile ("mov %0, %%es" :: "r" (LDT_ES_SELECTOR));
    if (set_ldt(NULL, 0))
        return;
    for (int i = 0; i < 100; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

/* A fault on a thread's own stack (include/thread.h): the backtrace must
 * follow frame pointers there too. */
static noinline int faulting_thread(void *arg)
{
    (void)arg;
    fault_ud2();
    return 0;
}

/* About 512 bytes a level; the sum after the call keeps it from being a
 * tail call, and `levels` (-1) from being an endless loop to the compiler. */
static noinline int overflow_recurse(int depth, int levels)
{
    volatile char frame[512];

    frame[0] = (char)depth;
    if (depth == levels)
        return 0;
    return overflow_recurse(depth + 1, levels) + frame[0];
}

static void fault_in_thread(void)
{
    struct thread *t = thread_create("faulter", faulting_thread, NULL);

    if (t)
        thread_join(t);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printk("faults: no scenario given\n");
        return 2;
    }
    const char *s = argv[1];

    printk("faults: raising %s\n", s);
    if (!strcmp(s, "divide"))
        fault_divide();
    else if (!strcmp(s, "ud2"))
        fault_ud2();
    else if (!strcmp(s, "null"))
        fault_null();
    else if (!strcmp(s, "readonly"))
        fault_readonly();
    else if (!strcmp(s, "noncanon"))
        fault_noncanonical();
    else if (!strcmp(s, "badframe"))
        fault_bad_frame_pointer();
    else if (!strcmp(s, "badiret"))
        fault_bad_iret();
    else if (!strcmp(s, "failsafe"))
        fault_failsafe(argc > 2 && !strcmp(argv[2], "unmasked"));
    else if (!strcmp(s, "thread"))
        fault_in_thread();
    else if (!strcmp(s, "overflow"))
        overflow_recurse(0, -1);
    else if (!strcmp(s, "int3") || !strcmp(s, "int_3")) {
        if (!strcmp(s, "int3"))
            breakpoint();
        else
            breakpoint_two_byte();
        printk("faults: continued after %s\n", s);
        return 0;
    } else {
        printk("faults: unknown scenario %s\n", s);
        return 2;
    }
    printk("faults: %s did not fault\n", s);
    return 1;
}
