/* SPDX-License-Identifier: MIT */
/*
 * A tiny program built outside mote's Makefile, by scripts/mote-cc alone
 * (tests/boot/posix.sh): two objects, libm, a struct from a Linux header
 * musl has, and main's arguments.
 */
#include <math.h>
#include <stdio.h>
#include <sys/utsname.h>

const char *greeting(void);

int main(int argc, char **argv)
{
	struct utsname u;

	uname(&u);
	printf("tiny: %s on %s, sqrt(2) = %.6f, argc %d, last \"%s\"\n",
	       greeting(), u.sysname, sqrt(2.0), argc, argv[argc - 1]);
	return 0;
}
