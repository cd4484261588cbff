/* SPDX-License-Identifier: MIT */
/*
 * <ctype.h> in the "C" locale (the only one mote has): ASCII classes for
 * 0..127, false for 128..255 and EOF, as glibc's "C" locale (libc/ctype.c).
 */
#ifndef CTYPE_H
#define CTYPE_H

int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int tolower(int c);
int toupper(int c);

#endif
