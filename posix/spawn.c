/* SPDX-License-Identifier: MIT */
/*
 * A process from a static executable in memory (<mote/process.h>): its
 * address space, its segments (posix/elf_load.c), the stack Linux gives a
 * new program, and its run in user mode (kernel/user.c) in the calling
 * thread.
 *
 * The initial stack, as Linux's create_elf_tables lays it out (and the
 * System V x86-64 ABI, "Initial Process Stack"), higher addresses up:
 *
 *        | argv and envp strings, "x86_64"    |  <- USER_STACK_TOP
 *        | 16 random bytes (AT_RANDOM)        |
 *        | auxv: (type, value) pairs, AT_NULL |
 *        | envp[0] ... NULL                   |
 *        | argv[0] ... NULL                   |
 *        | argc                               |  <- %rsp, 16-byte aligned
 */
#include <arch/layout.h>
#include <arch/tsc.h>
#include <elf.h>
#include <errno.h>
#include <page_alloc.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <user.h>
#include <mote/process.h>

#define USER_STACK_TOP   USER_TOP
#define USER_STACK_PAGES 32     /* 128 KiB, mapped at once */
/* The most the arguments and environment may take: Linux's limit is a
 * quarter of the stack rlimit; ours is a quarter of the stack. */
#define STACK_ARGS_MAX   (USER_STACK_PAGES * PAGE_SIZE / 4)

/* auxv types (Linux's include/uapi/linux/auxvec.h). */
enum {
    AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
    AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14,
    AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25,
    AT_EXECFN = 31,
};
#define AUXV_PAIRS 18

/* Process ids: 1 is the program linked into the kernel (posix/identity.c),
 * or process 1 when mote.init starts one; processes it starts count up. */
static int next_pid = 2;

static long map_stack(struct user_space *s)
{
    for (int i = 1; i <= USER_STACK_PAGES; i++) {
        void *page = alloc_page();
        if (!page)
            return -ENOMEM;
        memset(page, 0, PAGE_SIZE);
        int rc = arch_user_space_map(s, USER_STACK_TOP - (unsigned long)i * PAGE_SIZE, page, USER_RW);
        if (rc) {
            free_page(page);
            return rc;
        }
    }
    return 0;
}

static size_t count_words(char *const v[], size_t *bytes)
{
    size_t n = 0;

    for (; v && v[n]; n++)
        *bytes += strlen(v[n]) + 1;
    return n;
}

/* The stack being built: buf[i] is the byte at user address base + i. */
struct stack_image {
    char *buf;
    unsigned long base, next_string;
    uint64_t *word;
};

static unsigned long put_string(struct stack_image *st, const char *s)
{
    size_t n = strlen(s) + 1;
    unsigned long at = st->next_string;

    memcpy(st->buf + (at - st->base), s, n);
    st->next_string += n;
    return at;
}

static void put_words(struct stack_image *st, char *const v[], size_t n)
{
    for (size_t i = 0; i < n; i++)
        *st->word++ = put_string(st, v[i]);
    *st->word++ = 0;
}

/* AT_RANDOM's 16 bytes seed the C library's stack protector and pointer
 * guard. mote has no entropy source yet: the TSC, mixed (splitmix64), is
 * unpredictable enough to tell runs apart, not a secret. */
static void put_random(struct stack_image *st, unsigned long at)
{
    uint64_t x = rdtsc_ordered();

    for (int i = 0; i < 2; i++) {
        uint64_t z = (x += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        memcpy(st->buf + (at - st->base) + 8 * i, &z, 8);
    }
}

static void put_auxv(struct stack_image *st, const struct elf_loaded *elf, unsigned long random,
                     unsigned long platform, unsigned long execfn)
{
    const uint64_t aux[AUXV_PAIRS][2] = {
        { AT_PHDR, elf->phdr }, { AT_PHENT, sizeof(struct elf64_phdr) },
        { AT_PHNUM, elf->phnum }, { AT_PAGESZ, PAGE_SIZE }, { AT_BASE, 0 }, { AT_FLAGS, 0 },
        { AT_ENTRY, elf->entry }, { AT_UID, 0 }, { AT_EUID, 0 }, { AT_GID, 0 }, { AT_EGID, 0 },
        { AT_PLATFORM, platform }, { AT_HWCAP, 0 }, { AT_CLKTCK, 100 }, { AT_SECURE, 0 },
        { AT_RANDOM, random }, { AT_EXECFN, execfn }, { AT_NULL, 0 },
    };

    memcpy(st->word, aux, sizeof(aux));
    st->word += 2 * AUXV_PAIRS;
}

static long build_stack(struct user_space *s, char *const argv[], char *const envp[],
                        const struct elf_loaded *elf, unsigned long *sp)
{
    size_t strings = 16 + sizeof("x86_64");
    size_t argc = count_words(argv, &strings), envc = count_words(envp, &strings);
    size_t words = 1 + argc + 1 + envc + 1 + 2 * AUXV_PAIRS;
    unsigned long random = (USER_STACK_TOP - strings) & ~15ul;
    *sp = (random - words * 8) & ~15ul;
    if (USER_STACK_TOP - *sp > STACK_ARGS_MAX || argc == 0)
        return argc ? -E2BIG : -EINVAL;
    struct stack_image st = { .buf = calloc(1, USER_STACK_TOP - *sp), .base = *sp,
                              .next_string = random + 16 };
    if (!st.buf)
        return -ENOMEM;
    st.word = (uint64_t *)st.buf;
    put_random(&st, random);
    unsigned long platform = put_string(&st, "x86_64");
    *st.word++ = argc;
    unsigned long execfn = st.next_string;
    put_words(&st, argv, argc);
    put_words(&st, envp, envc);
    put_auxv(&st, elf, random, platform, execfn);
    long rc = user_space_copy_out(s, *sp, st.buf, USER_STACK_TOP - *sp);
    free(st.buf);
    return rc;
}

/* The report's name: argv[0]'s last component, cut to fit (Linux's comm). */
static void set_name(struct user_task *task, const char *path)
{
    const char *slash = strrchr(path, '/');

    strncpy(task->name, slash ? slash + 1 : path, sizeof(task->name) - 1);
}

static long load(struct user_task *task, const void *image, size_t len, char *const argv[],
                 char *const envp[], struct cpu_regs *regs)
{
    struct elf_loaded elf;
    unsigned long sp;
    long rc = elf_load(task->space, image, len, &elf);

    if (!rc)
        rc = map_stack(task->space);
    if (!rc)
        rc = build_stack(task->space, argv, envp, &elf, &sp);
    if (!rc)
        arch_user_regs_init(regs, elf.entry, sp);
    return rc;
}

int mote_process_run(const void *image, size_t len, char *const argv[], char *const envp[])
{
    struct user_task task = { .pid = next_pid++, .ppid = 1 };
    struct cpu_regs regs;

    if (!argv || !argv[0])
        return -EINVAL;
    set_name(&task, argv[0]);
    task.space = arch_user_space_create();
    if (!task.space)
        return -ENOMEM;
    long rc = load(&task, image, len, argv, envp, &regs);
    if (rc == 0) {
        uint64_t fs_base = thread_fs_base();
        posix_user_init();
        rc = user_task_run(&task, &regs);
        /* The process may have set its own thread pointer (arch_prctl). */
        thread_set_fs_base(fs_base);
    }
    arch_user_space_destroy(task.space);
    return (int)rc;
}
