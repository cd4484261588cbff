/* SPDX-License-Identifier: MIT */
/*
 * <ctype.h> (libc/ctype.c) against glibc in the "C" locale, for every
 * argument the standard allows: EOF and 0..255.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include "check.h"

static void test_every_character(void)
{
    static const struct {
        const char *name;
        int (*mine)(int), (*theirs)(int);
    } fns[] = {
        { "isalnum", mote_isalnum, isalnum }, { "isalpha", mote_isalpha, isalpha },
        { "isblank", mote_isblank, isblank }, { "iscntrl", mote_iscntrl, iscntrl },
        { "isdigit", mote_isdigit, isdigit }, { "isgraph", mote_isgraph, isgraph },
        { "islower", mote_islower, islower }, { "isprint", mote_isprint, isprint },
        { "ispunct", mote_ispunct, ispunct }, { "isspace", mote_isspace, isspace },
        { "isupper", mote_isupper, isupper }, { "isxdigit", mote_isxdigit, isxdigit },
        { "tolower", mote_tolower, tolower }, { "toupper", mote_toupper, toupper },
    };
    for (size_t f = 0; f < sizeof(fns) / sizeof(fns[0]); f++) {
        for (int c = EOF; c < 256; c++) {
            int m = fns[f].mine(c), t = fns[f].theirs(c);
            bool is_class = fns[f].name[0] == 'i';
            CHECK(is_class ? !m == !t : m == t, "%s(%d): mote %d, glibc %d", fns[f].name, c, m, t);
        }
    }
}

int main(void)
{
    RUN("ctype", test_every_character);
    return check_tests_failed ? 1 : 0;
}
