/* SPDX-License-Identifier: MIT */
/*
 * Where a program on the system call layer starts. In an image linked with
 * musl, the kernel's call of main(argc, argv) (kernel/boot.c) reaches
 * posix_main instead (mk/musl.mk renames it), which gives the program a
 * stack of the size programs expect (APP_STACK_BYTES; the boot stack mote's
 * own applications run on is 16 KiB) and calls the C library's start,
 * mote_libc_start (posix/musl/start.c), on it. The main thread's stack is
 * then that block (thread_main_stack_moved), so fault reports and
 * backtraces know it. On that stack, before the C library starts, the file
 * systems are mounted (vfs_init: a RAM file system at /) and the domain's
 * ramdisk is unpacked there: path calls keep several PATH_MAX buffers on
 * the stack, too much for the boot stack.
 */
#include <arch/run_on_stack.h>
#include <printk.h>
#include <syscall.h>
#include <thread.h>
#include <vfs.h>

#define APP_STACK_BYTES (256 * 1024)

int posix_main(int argc, char **argv);
int mote_libc_start(int argc, char **argv);

static int start_on_program_stack(int argc, char **argv)
{
    vfs_init();
    ramdisk_unpack();
    return mote_libc_start(argc, argv);
}

int posix_main(int argc, char **argv)
{
    long stack = sys_mmap(0, APP_STACK_BYTES, LINUX_PROT_READ | LINUX_PROT_WRITE,
                          LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS, -1, 0);

    /* Addresses are in the top half, negative as a long: an error is
     * -4095..-1, as Linux's callers test. */
    if ((unsigned long)stack >= -4095ul)
        panic("posix: no memory for the program's %d KiB stack", APP_STACK_BYTES / 1024);
    thread_main_stack_moved((unsigned long)stack, (unsigned long)stack + APP_STACK_BYTES);
    arch_run_on_stack((char *)stack + APP_STACK_BYTES, start_on_program_stack, argc, argv);
}
