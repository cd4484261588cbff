/* SPDX-License-Identifier: MIT */
/*
 * A hostile process (tests/boot/usermode.sh): argv[1] names what it tries.
 * "calls" hands kernel and unmapped pointers to system calls, which must
 * each answer -EFAULT (it prints one line per call and exits 0 if all
 * did); every other case does something that must kill it with a signal,
 * and prints "hostile: CASE survived" (exit 1) if it is still alive.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define KERNEL_ADDR ((void *)0xffffffff80000000ul)      /* mote's image */
#define DIRECT_MAP  ((void *)0xffff888000001000ul)      /* mote's direct map */
#define UNMAPPED    ((void *)0x100000000ul)

static int failures;

/* A raw system call: musl's wrappers would set errno; we want -errno. */
static long sys3(long nr, long a, long b, long c)
{
    long ret;
    __asm__ volatile ("syscall" : "=a" (ret) : "a" (nr), "D" (a), "S" (b), "d" (c)
                      : "rcx", "r11", "memory");
    return ret;
}

static void expect_efault(const char *what, long ret)
{
    printf("hostile: %s = %ld%s\n", what, ret, ret == -EFAULT ? "" : " (WRONG: not -EFAULT)");
    failures += ret != -EFAULT;
}

static int bad_calls(void)
{
    struct iovec bad_iov[1] = { { KERNEL_ADDR, 16 } };

    expect_efault("write(1, kernel image)", sys3(SYS_write, 1, (long)KERNEL_ADDR, 16));
    expect_efault("write(1, direct map)", sys3(SYS_write, 1, (long)DIRECT_MAP, 16));
    expect_efault("write(1, unmapped)", sys3(SYS_write, 1, (long)UNMAPPED, 16));
    expect_efault("write(1, wrapping range)", sys3(SYS_write, 1, 0x1000, -0x800l));
    expect_efault("read(0, kernel image)", sys3(SYS_read, 0, (long)KERNEL_ADDR, 16));
    expect_efault("read(0, own text)", sys3(SYS_read, 0, (long)(void *)bad_calls, 16));
    expect_efault("writev(1, iov in kernel)", sys3(SYS_writev, 1, (long)KERNEL_ADDR, 1));
    expect_efault("writev(1, iov to kernel)", sys3(SYS_writev, 1, (long)bad_iov, 1));
    expect_efault("arch_prctl(GET_FS, kernel)", sys3(SYS_arch_prctl, 0x1003, (long)KERNEL_ADDR, 0));
    expect_efault("ioctl(1, TIOCGWINSZ, kernel)", sys3(SYS_ioctl, 1, 0x5413, (long)KERNEL_ADDR));
    printf("hostile: %d wrong answers\n", failures);
    return failures != 0;
}

static const unsigned char ret_insn[] = { 0xc3 };      /* data: ret */

static void attack(const char *what)
{
    volatile long zero = 0;

    if (!strcmp(what, "read-kernel"))
        printf("%ld\n", *(volatile long *)KERNEL_ADDR);
    else if (!strcmp(what, "write-kernel"))
        *(volatile long *)DIRECT_MAP = 1;
    else if (!strcmp(what, "write-text"))
        *(volatile unsigned char *)(void *)bad_calls = 0xcc;
    else if (!strcmp(what, "exec-data"))
        ((void (*)(void))(void *)ret_insn)();
    else if (!strcmp(what, "exec-kernel"))
        ((void (*)(void))KERNEL_ADDR)();
    else if (!strcmp(what, "divide"))
        /* In assembly: GCC turns 1 / x into compares, with no division. */
        __asm__ volatile ("divq %0" :: "r" (zero), "a" (1l), "d" (0l));
    else if (!strcmp(what, "null"))
        printf("%ld\n", *(volatile long *)zero);
    else if (!strcmp(what, "ud2"))
        __asm__ volatile ("ud2");
    else if (!strcmp(what, "int80"))
        __asm__ volatile ("int $0x80" :: "a" (39l));
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    if (!strcmp(argv[1], "calls"))
        return bad_calls();
    attack(argv[1]);
    printf("hostile: %s survived\n", argv[1]);
    return 1;
}
