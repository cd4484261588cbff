/* SPDX-License-Identifier: MIT */
/*
 * posix/syscall_list.h, the names of Linux's x86-64 system calls, against
 * musl's own list (arch/x86_64/bits/syscall.h.in in .cache/musl, fetched by
 * scripts/deps.sh --musl): every call musl knows has the same number here,
 * and the others are the later ones musl 1.2.3 lacks. Without .cache/musl
 * only the list's own order is checked.
 */
#include "check.h"

static const struct entry {
    int nr;
    const char *name;
} ours[] = {
#define SYSCALL_NAME(nr, name) { nr, #name },
#include "../../posix/syscall_list.h"
#undef SYSCALL_NAME
};

#define OURS (sizeof(ours) / sizeof(ours[0]))
#define MUSL_LIST ".cache/musl/src/arch/x86_64/bits/syscall.h.in"

static const struct entry *find(const char *name)
{
    for (size_t i = 0; i < OURS; i++)
        if (strcmp(ours[i].name, name) == 0)
            return &ours[i];
    return NULL;
}

static void test_numbers_increase(void)
{
    for (size_t i = 1; i < OURS; i++)
        CHECK(ours[i].nr > ours[i - 1].nr, "%s (%d) after %s (%d)", ours[i].name, ours[i].nr,
              ours[i - 1].name, ours[i - 1].nr);
    CHECK(ours[0].nr == 0 && strcmp(ours[0].name, "read") == 0, "first is %s", ours[0].name);
}

/* Returns how many of musl's calls were compared. */
static size_t compare_with_musl(FILE *f)
{
    char line[256], name[128];
    int nr;
    size_t seen = 0;

    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "#define __NR_%127s %d", name, &nr) != 2)
            continue;
        const struct entry *e = find(name);
        CHECK(e && e->nr == nr, "musl's %s (%d): ours %d", name, nr, e ? e->nr : -1);
        seen++;
    }
    return seen;
}

static void test_same_as_musl(void)
{
    FILE *f = fopen(MUSL_LIST, "r");

    if (!f) {
        printf("  (no %s: musl not fetched, not compared)\n", MUSL_LIST);
        return;
    }
    size_t seen = compare_with_musl(f);
    fclose(f);
    /* Ours has musl's 357 and the 5 musl 1.2.3 lacks (443, 447-450). */
    CHECK(seen + 5 == OURS, "musl lists %zu, ours %zu", seen, (size_t)OURS);
}

int main(void)
{
    RUN("syscall_names", test_numbers_increase);
    RUN("syscall_names", test_same_as_musl);
    return check_tests_failed != 0;
}
