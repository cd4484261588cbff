/* SPDX-License-Identifier: MIT */
/*
 * The parts of Linux's x86-64 user ABI the system call layer speaks
 * (include/uapi/ in Linux: asm-generic/{mman-common,fcntl,ioctls,signal}.h,
 * linux/{time,uio,utsname}.h, asm/prctl.h), with linux_ prefixes where the
 * kernel's own C library (libc/include) has a name of its own. Values and
 * layouts are the ABI: musl (and later, user-mode programs) pass exactly
 * these. Error numbers are <errno.h>'s, which are Linux's.
 */
#ifndef POSIX_LINUX_H
#define POSIX_LINUX_H

#include <stddef.h>
#include <stdint.h>

struct linux_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

struct linux_timeval {
    int64_t tv_sec;
    int64_t tv_usec;
};

struct linux_iovec {
    void *iov_base;
    size_t iov_len;
};

#define LINUX_IOV_MAX 1024          /* UIO_MAXIOV */

/* clock_gettime's clocks (linux/time.h). */
#define LINUX_CLOCK_REALTIME            0
#define LINUX_CLOCK_MONOTONIC           1
#define LINUX_CLOCK_PROCESS_CPUTIME_ID  2
#define LINUX_CLOCK_THREAD_CPUTIME_ID   3
#define LINUX_CLOCK_MONOTONIC_RAW       4
#define LINUX_CLOCK_REALTIME_COARSE     5
#define LINUX_CLOCK_MONOTONIC_COARSE    6
#define LINUX_CLOCK_BOOTTIME            7
#define LINUX_TIMER_ABSTIME             1

/* mmap, mprotect, madvise (asm-generic/mman-common.h). */
#define LINUX_PROT_READ       0x1
#define LINUX_PROT_WRITE      0x2
#define LINUX_PROT_EXEC       0x4
#define LINUX_MAP_SHARED      0x01
#define LINUX_MAP_PRIVATE     0x02
#define LINUX_MAP_TYPE        0x0f
#define LINUX_MAP_FIXED       0x10
#define LINUX_MAP_ANONYMOUS   0x20
#define LINUX_MAP_FIXED_NOREPLACE 0x100000

/* fcntl and open flags (asm-generic/fcntl.h). */
#define LINUX_O_ACCMODE     00000003
#define LINUX_O_RDONLY      00000000
#define LINUX_O_WRONLY      00000001
#define LINUX_O_RDWR        00000002
#define LINUX_O_CREAT       00000100
#define LINUX_O_EXCL        00000200
#define LINUX_O_NOCTTY      00000400
#define LINUX_O_TRUNC       00001000
#define LINUX_O_APPEND      00002000
#define LINUX_O_NONBLOCK    00004000
#define LINUX_O_DIRECTORY   00200000
#define LINUX_O_NOFOLLOW    00400000
#define LINUX_O_CLOEXEC     02000000
#define LINUX_O_PATH        010000000
#define LINUX_F_DUPFD          0
#define LINUX_F_GETFD          1
#define LINUX_F_SETFD          2
#define LINUX_F_GETFL          3
#define LINUX_F_SETFL          4
#define LINUX_F_DUPFD_CLOEXEC  1030
#define LINUX_FD_CLOEXEC       1

/* The *at calls (linux/fcntl.h): the current directory as dirfd, flags. */
#define LINUX_AT_FDCWD            (-100)
#define LINUX_AT_SYMLINK_NOFOLLOW 0x100
#define LINUX_AT_REMOVEDIR        0x200
#define LINUX_AT_EACCESS          0x200
#define LINUX_AT_EMPTY_PATH       0x1000

/* lseek's whence (linux/fs.h). */
#define LINUX_SEEK_SET 0
#define LINUX_SEEK_CUR 1
#define LINUX_SEEK_END 2

/* File types and permission bits (linux/stat.h); paths' limits
 * (linux/limits.h). */
#define LINUX_S_IFMT   0170000
#define LINUX_S_IFCHR  0020000
#define LINUX_S_IFDIR  0040000
#define LINUX_S_IFREG  0100000
#define LINUX_S_IFLNK  0120000
#define LINUX_PATH_MAX 4096
#define LINUX_NAME_MAX 255

/* struct stat as x86-64's stat, fstat, lstat and newfstatat fill it
 * (arch/x86/include/uapi/asm/stat.h). */
struct linux_stat {
    uint64_t st_dev;
    uint64_t st_ino;
    uint64_t st_nlink;
    uint32_t st_mode;
    uint32_t st_uid;
    uint32_t st_gid;
    uint32_t pad0;
    uint64_t st_rdev;
    int64_t st_size;
    int64_t st_blksize;
    int64_t st_blocks;          /* in 512-byte units */
    struct linux_timespec st_atim, st_mtim, st_ctim;
    int64_t unused[3];
};

/* One getdents64 record (linux/dirent.h), and d_type's values. */
struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    uint16_t d_reclen;
    uint8_t d_type;
    char d_name[];
};
#define LINUX_DT_DIR 4
#define LINUX_DT_REG 8

/* Terminal ioctls (asm-generic/ioctls.h, termbits.h). */
#define LINUX_TCGETS      0x5401
#define LINUX_TIOCGWINSZ  0x5413

struct linux_winsize {
    uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* uname (linux/utsname.h: struct new_utsname). */
#define LINUX_UTS_LEN 65
struct linux_utsname {
    char sysname[LINUX_UTS_LEN];
    char nodename[LINUX_UTS_LEN];
    char release[LINUX_UTS_LEN];
    char version[LINUX_UTS_LEN];
    char machine[LINUX_UTS_LEN];
    char domainname[LINUX_UTS_LEN];
};

/* arch_prctl (asm/prctl.h). */
#define LINUX_ARCH_SET_GS 0x1001
#define LINUX_ARCH_SET_FS 0x1002
#define LINUX_ARCH_GET_FS 0x1003
#define LINUX_ARCH_GET_GS 0x1004

/* Signals (asm/signal.h): 64 of them, a 64-bit set; the kernel's struct
 * sigaction as rt_sigaction takes it (handler, flags, restorer, mask). */
#define LINUX_NSIG      64
#define LINUX_SIG_DFL   ((void (*)(int))0)
#define LINUX_SIG_IGN   ((void (*)(int))1)
#define LINUX_SIGABRT   6
#define LINUX_SIGKILL   9
#define LINUX_SIGCHLD   17
#define LINUX_SIGCONT   18
#define LINUX_SIGSTOP   19
#define LINUX_SIGURG    23
#define LINUX_SIGWINCH  28
#define LINUX_SIG_BLOCK   0
#define LINUX_SIG_UNBLOCK 1
#define LINUX_SIG_SETMASK 2

struct linux_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};

/* poll (asm-generic/poll.h), select (linux/posix_types.h: 1024 bits),
 * epoll (linux/eventpoll.h: packed on x86-64). */
struct linux_pollfd {
    int fd;
    short events, revents;
};
#define LINUX_FD_SETSIZE    1024
#define LINUX_RLIMIT_NOFILE 1024    /* poll's nfds limit: RLIMIT_NOFILE's default */
struct linux_epoll_event {
    uint32_t events;
    uint64_t data;
} __attribute__((packed));

#endif
