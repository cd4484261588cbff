/* SPDX-License-Identifier: MIT */
/*
 * Processes: programs in user mode, in their own address space
 * (docs/api.md, "Processes"). Only in an image with the POSIX layer (an
 * application with `APP_LIBC := musl`), whose system call table serves
 * their `syscall` instructions.
 */
#ifndef MOTE_PROCESS_H
#define MOTE_PROCESS_H

#include <stddef.h>

/*
 * Runs the static x86-64 Linux executable image[0 .. len) (ET_EXEC or
 * static-pie, as `musl-gcc -static` builds) as a new process with
 * arguments argv (argv[0] its name) and environment envp (NULL: none), in
 * the calling thread, until it ends. Returns its exit status (0-255), or
 * 128 + the signal that killed it (a fault: the kernel prints
 * "mote: pid N (NAME) killed by SIG...", the registers, and goes on), or
 * a negative errno when it could not start: -ENOEXEC (not a static x86-64
 * executable), -ENOMEM, -E2BIG (arguments too long), -EINVAL (no argv[0]).
 */
int mote_process_run(const void *image, size_t len, char *const argv[], char *const envp[]);

#endif
