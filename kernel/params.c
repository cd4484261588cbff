/* SPDX-License-Identifier: MIT */
/*
 * Kernel parameters: the words of the guest command line of the form
 * mote.NAME=VALUE (README, "Kernel parameters").
 *
 * They are looked up first thing in start_kernel, so each covers the whole
 * boot (mote.printk_time the lines from events_init on, mote.debug_exit a
 * boot that fails before main): a walk over the copied command line, one
 * word at a time, with no heap (there is no allocator yet). Nothing can
 * print that early either, so the words it cannot use are reported once the
 * console runs (kernel_params_report). The application's argv, built at the
 * end of the boot, leaves every mote.* word out.
 */
#include <cmdline.h>
#include <kernel.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>

struct kernel_params kernel_params;

/* The values kept as strings (mote.ip, mote.gw), NUL-terminated: each is
 * part of one word of the line, so all of them fit in a line's size. */
static char kept_values[MAX_GUEST_CMDLINE];
static size_t kept_used;
/* One word; a word is never longer than the line. */
static char word[MAX_GUEST_CMDLINE];

static const char *keep_value(const char *value)
{
    size_t len = strlen(value) + 1;
    char *copy = kept_values + kept_used;

    memcpy(copy, value, len);
    kept_used += len;
    return copy;
}

/* Why a mote.* word cannot be used, or NULL when it can. */
static const char *param_problem(const char *w)
{
    if (!strncmp(w, "mote.ip=", 8) || !strncmp(w, "mote.gw=", 8) ||
        !strcmp(w, "mote.printk_time=1"))
        return NULL;
    if (!strncmp(w, "mote.debug_exit=", 16)) {
        char *end;
        strtoul(w + 16, &end, 0);
        return *end || end == w + 16 ? "bad port in" : NULL;
    }
    return "unknown kernel parameter";
}

static void param_apply(const char *w)
{
    if (!strncmp(w, "mote.ip=", 8))
        kernel_params.ip = keep_value(w + 8);
    else if (!strncmp(w, "mote.gw=", 8))
        kernel_params.gw = keep_value(w + 8);
    else if (!strncmp(w, "mote.debug_exit=", 16))
        kernel_params.debug_exit_port = strtoul(w + 16, NULL, 0);
    else if (!strcmp(w, "mote.printk_time=1"))
        kernel_params.printk_time = true;
}

/* The next mote.* word of the line at *cursor into `word`; false at the end. */
static bool next_param(const char **cursor)
{
    while (cmdline_next_word(cursor, word, sizeof(word)))
        if (is_kernel_param(word))
            return true;
    return false;
}

bool is_kernel_param(const char *w)
{
    return !strncmp(w, "mote.", 5);
}

void kernel_params_parse(const char *cmdline)
{
    while (next_param(&cmdline))
        if (!param_problem(word))
            param_apply(word);
}

void kernel_params_report(const char *cmdline)
{
    while (next_param(&cmdline)) {
        const char *problem = param_problem(word);
        if (problem)
            printk("mote: %s %s, ignored\n", problem, word);
    }
}
