/* SPDX-License-Identifier: MIT */
/*
 * Splitting the guest command line (start_info->cmd_line) into words.
 */
#ifndef CMDLINE_H
#define CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Splits `line` in place into words separated by spaces or tabs; a word may
 * be quoted with double quotes to keep spaces ("a b"). The first `max` words
 * are stored in argv[0..n-1] and argv[n] is set to NULL, so argv needs
 * max + 1 slots. Returns how many words the line has, which is more than
 * `max` when some did not fit (those are not stored).
 */
int cmdline_split(char *line, char **argv, int max);

/*
 * Reads the line one word at a time without changing it (for the kernel's
 * parameters, looked up before there is a heap): copies the word at *cursor,
 * split and unquoted as cmdline_split does, into word[0..size-1] (cut to
 * fit, always terminated when size > 0) and moves *cursor past it. Returns
 * false, with *cursor at the end, when no word is left.
 */
bool cmdline_next_word(const char **cursor, char *word, size_t size);

#endif
