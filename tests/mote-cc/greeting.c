/* SPDX-License-Identifier: MIT */
/* tiny.c's second object (tests/mote-cc/tiny.c). */
const char *greeting(void);

const char *greeting(void)
{
	return "hello from mote-cc";
}
