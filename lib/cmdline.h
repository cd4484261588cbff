/* SPDX-License-Identifier: MIT */
/*
 * Splitting the guest command line (start_info->cmd_line) into words.
 */
#ifndef CMDLINE_H
#define CMDLINE_H

/*
 * Splits `line` in place into words separated by spaces or tabs; a word may
 * be quoted with double quotes to keep spaces ("a b"). The first `max` words
 * are stored in argv[0..n-1] and argv[n] is set to NULL, so argv needs
 * max + 1 slots. Returns how many words the line has, which is more than
 * `max` when some did not fit (those are not stored).
 */
int cmdline_split(char *line, char **argv, int max);

#endif
