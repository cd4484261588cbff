/*
 * The few <stdlib.h> functions a kernel needs (lib/strtoul.c), with the ISO C
 * contracts.
 */
#ifndef STDLIB_H
#define STDLIB_H

unsigned long strtoul(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);

#endif
