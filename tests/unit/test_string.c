/* SPDX-License-Identifier: MIT */
/*
 * libc/string.c, libc/strtol.c and lib/cmdline.c against their contracts (and,
 * where the host has the same function, against the host C library).
 */
#include <limits.h>
#include <stdlib.h>
#include "check.h"

static int sign(int v) { return (v > 0) - (v < 0); }

static void test_mem(void)
{
    unsigned char a[64], b[64];

    for (int i = 0; i < 64; i++)
        a[i] = (unsigned char)(i * 7);
    CHECK(mote_memcpy(b, a, 64) == b && !memcmp(a, b, 64), "memcpy");
    CHECK(mote_memset(b, 0xab, 10) == b && b[0] == 0xab && b[9] == 0xab && b[10] == a[10],
          "memset");
    /* Overlapping moves in both directions. */
    for (int shift = -5; shift <= 5; shift++) {
        unsigned char x[32], y[32];
        for (int i = 0; i < 32; i++)
            x[i] = y[i] = (unsigned char)i;
        mote_memmove(x + 10 + shift, x + 10, 12);
        memmove(y + 10 + shift, y + 10, 12);
        CHECK(!memcmp(x, y, 32), "memmove shift %d", shift);
    }
    CHECK(mote_memcmp("abc", "abd", 3) < 0 && mote_memcmp("abd", "abc", 3) > 0 &&
          mote_memcmp("abc", "abc", 3) == 0 && mote_memcmp("a", "b", 0) == 0, "memcmp");
    CHECK(mote_memcmp("\x80", "\x01", 1) > 0, "memcmp compares unsigned bytes");
    const char *h = "hello";
    CHECK(mote_memchr(h, 'l', 5) == h + 2 && mote_memchr(h, 'z', 5) == NULL &&
          mote_memchr(h, 'o', 4) == NULL, "memchr");
}

static void test_str(void)
{
    static const char *const words[] = { "", "a", "ab", "abc", "abd", "b", "\xff", "abcdef" };
    for (size_t i = 0; i < 8; i++) {
        CHECK(mote_strlen(words[i]) == strlen(words[i]), "strlen(%s)", words[i]);
        for (size_t j = 0; j < 8; j++) {
            CHECK(sign(mote_strcmp(words[i], words[j])) == sign(strcmp(words[i], words[j])),
                  "strcmp(%s, %s)", words[i], words[j]);
            for (size_t n = 0; n < 5; n++)
                CHECK(sign(mote_strncmp(words[i], words[j], n)) ==
                      sign(strncmp(words[i], words[j], n)),
                      "strncmp(%s, %s, %zu)", words[i], words[j], n);
        }
    }
    const char *s = "a/b/c";
    CHECK(mote_strchr(s, '/') == s + 1 && mote_strrchr(s, '/') == s + 3, "strchr/strrchr");
    CHECK(mote_strchr(s, 'z') == NULL && mote_strchr(s, '\0') == s + 5, "strchr end");
    const char *hw = "hello world";
    CHECK(mote_strstr(hw, "o w") == hw + 4 && mote_strstr(hw, "wx") == NULL, "strstr");
    CHECK(mote_strstr("abc", "") != NULL && mote_strstr("abc", "abcd") == NULL, "strstr edges");
    CHECK(mote_strnlen("abcdef", 3) == 3 && mote_strnlen("ab", 10) == 2, "strnlen");

    char buf[8];
    CHECK(mote_strlcpy(buf, "truncate me", sizeof(buf)) == 11 && !strcmp(buf, "truncat"),
          "strlcpy truncates and terminates: %s", buf);
    CHECK(mote_strlcpy(buf, "ok", sizeof(buf)) == 2 && !strcmp(buf, "ok"), "strlcpy fits");
    buf[0] = 'x';
    CHECK(mote_strlcpy(buf, "abc", 0) == 3 && buf[0] == 'x', "strlcpy size 0 writes nothing");
}

static void test_strtoul(void)
{
    static const struct { const char *s; int base; } cases[] = {
        { "0", 0 }, { "42", 10 }, { "0x1f", 0 }, { "0X1F", 16 }, { "0x", 0 }, { "017", 0 },
        { "  -5", 10 }, { "+7", 10 }, { "zz", 36 }, { "12abc", 10 }, { "abc", 10 },
        { "18446744073709551615", 10 }, { "18446744073709551616", 10 },
        { "99999999999999999999999", 0 }, { "-1", 0 }, { "0xffffffffffffffff", 0 },
        { "101", 2 }, { "0xg", 16 }, { "", 10 }, { "9223372036854775807", 10 },
        { "9223372036854775808", 10 }, { "-9223372036854775808", 10 },
        { "-9223372036854775809", 10 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *e1, *e2;
        unsigned long u1 = mote_strtoul(cases[i].s, &e1, cases[i].base);
        unsigned long u2 = strtoul(cases[i].s, &e2, cases[i].base);
        CHECK(u1 == u2 && e1 - cases[i].s == e2 - cases[i].s,
              "strtoul(\"%s\", %d): %lu end %td, libc %lu end %td", cases[i].s,
              cases[i].base, u1, e1 - cases[i].s, u2, e2 - cases[i].s);
        long l1 = mote_strtol(cases[i].s, &e1, cases[i].base);
        long l2 = strtol(cases[i].s, &e2, cases[i].base);
        CHECK(l1 == l2 && e1 - cases[i].s == e2 - cases[i].s,
              "strtol(\"%s\", %d): %ld, libc %ld", cases[i].s, cases[i].base, l1, l2);
    }
}

static void test_cmdline(void)
{
    char line[] = "  one two\t\"three four\"  five\"six seven\"  ";
    char *argv[8];
    int argc = cmdline_split(line, argv, 7);

    CHECK(argc == 4, "argc %d", argc);
    CHECK(argc == 4 && !strcmp(argv[0], "one") && !strcmp(argv[1], "two") &&
          !strcmp(argv[2], "three four") && !strcmp(argv[3], "fivesix seven") &&
          argv[4] == NULL, "words");

    char empty[] = "   ";
    CHECK(cmdline_split(empty, argv, 7) == 0 && argv[0] == NULL, "blank line");

    /* Words beyond max are not stored, but counted: the caller can say so. */
    char many[] = "a b c d e f g h i";
    CHECK(cmdline_split(many, argv, 3) == 9 && argv[3] == NULL && !strcmp(argv[2], "c"),
          "extra words counted, not stored");
}

/* The word-at-a-time reader finds the words cmdline_split does, leaves the
 * line alone, and cuts a word that does not fit. */
static void test_cmdline_next_word(void)
{
    static const char *lines[] = {
        "  one two\t\"three four\"  five\"six seven\"  ", "", "   ", "a", "\"\"", "x \"y",
        "mote.debug_exit=0xf4 alpha beta=2 \"two words\" x,y",
    };
    for (unsigned i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        char copy[64], word[64], *argv[16];
        strcpy(copy, lines[i]);
        int argc = cmdline_split(copy, argv, 15), n = 0;
        const char *cursor = lines[i];
        while (cmdline_next_word(&cursor, word, sizeof(word))) {
            CHECK(n < argc && !strcmp(word, argv[n]), "line %u word %d \"%s\"", i, n, word);
            n++;
        }
        CHECK(n == argc && *cursor == '\0', "line %u: %d words, cmdline_split %d", i, n, argc);
    }
    char small[4];
    const char *cursor = "abcdef g";
    CHECK(cmdline_next_word(&cursor, small, sizeof(small)) && !strcmp(small, "abc") &&
          !strcmp(cursor, " g"), "cut to fit");
    CHECK(cmdline_next_word(&cursor, small, sizeof(small)) && !strcmp(small, "g"), "next");
}

int main(void)
{
    RUN("string", test_mem);
    RUN("string", test_str);
    RUN("string", test_strtoul);
    RUN("string", test_cmdline);
    RUN("string", test_cmdline_next_word);
    return check_tests_failed != 0;
}
