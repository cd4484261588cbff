/* SPDX-License-Identifier: MIT */
/*
 * Who the program is: uname, the process and thread ids, the user ids.
 * mote runs one program, as process 1 (it is the first and only one, like
 * init), as root, with no parent. Thread ids are posix/thread.c's.
 */
#include <string.h>
#include <syscall.h>

#define MOTE_PID 1

static void set_field(char field[LINUX_UTS_LEN], const char *value)
{
    strlcpy(field, value, LINUX_UTS_LEN);
}

/* uname(2): the system is "mote" on "x86_64"; 0. */
long sys_uname(struct linux_utsname *buf)
{
    memset(buf, 0, sizeof(*buf));
    set_field(buf->sysname, "mote");
    set_field(buf->nodename, "mote");
    set_field(buf->release, "1");
    set_field(buf->version, "mote Xen PV");
    set_field(buf->machine, "x86_64");
    set_field(buf->domainname, "(none)");
    return 0;
}

/* getpid(2): 1. */
long sys_getpid(void)
{
    return MOTE_PID;
}

/* getppid(2): 0, as for Linux's init: no parent. */
long sys_getppid(void)
{
    return 0;
}

/* getuid, geteuid, getgid, getegid (2): 0, root. */
long sys_getuid(void)
{
    return 0;
}
