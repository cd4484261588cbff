/*
 * faults: the kernel the trap boot tests (tests/boot/traps.sh) boot. argv[1]
 * names the fault to raise; each is raised in its own noinline function, so
 * the report must name that function as the faulting RIP and show main below
 * it in the backtrace.
 *
 *   divide      divide by zero                       #DE
 *   ud2         invalid opcode                       #UD
 *   null        read of address 0                    #PF, not present, read
 *   readonly    write to a read-only page            #PF, protection, write
 *   noncanon    read of a non-canonical address      #GP
 *   int3        breakpoint; execution continues, main returns 0
 *   badframe    #UD with a corrupt frame pointer: the backtrace must stop
 *   badiret     HYPERVISOR_iret to a bad SS selector  #GP, error code 0xc
 */
#include <arch/hypercall.h>
#include <kernel.h>
#include <printk.h>
#include <string.h>

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

/*
 * Xen maps the whole initial region writable except the bootstrap page
 * tables, "which [are] mapped read-only" (xen.h, Start-of-day memory layout):
 * the L4 table at start_info->pt_base is a read-only page we know.
 */
static noinline void fault_readonly(void)
{
    asm volatile ("movq $0, (%0)" :: "r" (start_info->pt_base) : "memory");
}

static noinline unsigned long fault_noncanonical(void)
{
    unsigned long v;

    asm volatile ("mov (%1), %0" : "=r" (v) : "r" (0x8000000000000000UL) : "memory");
    return v;
}

static noinline void breakpoint(void)
{
    asm volatile ("int3");
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
    else if (!strcmp(s, "int3")) {
        breakpoint();
        printk("faults: continued after int3\n");
        return 0;
    } else {
        printk("faults: unknown scenario %s\n", s);
        return 2;
    }
    printk("faults: %s did not fault\n", s);
    return 1;
}
