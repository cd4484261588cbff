/* SPDX-License-Identifier: MIT */
/*
 * Command-line splitting (lib/cmdline.h): words separated by blanks, with
 * double quotes grouping a word that contains blanks. The quotes are removed.
 */
#include <cmdline.h>
#include <stddef.h>

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int cmdline_split(char *line, char **argv, int max)
{
    int argc = 0, words = 0;
    char *in = line;

    while (*in) {
        while (is_blank(*in))
            in++;
        if (!*in)
            break;
        char *word = in, *out = in;
        int quoted = 0;
        for (; *in && (quoted || !is_blank(*in)); in++) {
            if (*in == '"')
                quoted = !quoted;
            else
                *out++ = *in;
        }
        if (*in)
            in++;
        *out = '\0';
        words++;
        if (argc < max)
            argv[argc++] = word;
    }
    argv[argc] = NULL;
    return words;
}

bool cmdline_next_word(const char **cursor, char *word, size_t size)
{
    const char *in = *cursor;
    size_t len = 0;
    bool quoted = false;

    while (is_blank(*in))
        in++;
    if (!*in) {
        *cursor = in;
        return false;
    }
    for (; *in && (quoted || !is_blank(*in)); in++) {
        if (*in == '"')
            quoted = !quoted;
        else if (len + 1 < size)
            word[len++] = *in;
    }
    if (size)
        word[len] = '\0';
    *cursor = in;
    return true;
}
