/* SPDX-License-Identifier: MIT */
/*
 * A process's first program (tests/boot/usermode.sh): built on the host
 * with Debian's musl-gcc -static, unmodified Linux code. It prints with
 * write(2) and with stdio (musl's writev), its ids, arguments and
 * environment and what the auxiliary vector says, then exits with 7.
 */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp)
{
    static const char hello[] = "user: hello through write(2)\n";

    write(1, hello, strlen(hello));
    printf("user: pid %d ppid %d argc %d", (int)getpid(), (int)getppid(), argc);
    for (int i = 0; i < argc; i++)
        printf(" [%s]", argv[i]);
    printf("\nuser: env %s\n", envp[0] ? envp[0] : "(none)");
    printf("user: pagesz %lu random %s phdr %s entry %s\n", getauxval(AT_PAGESZ),
           getauxval(AT_RANDOM) ? "yes" : "no", getauxval(AT_PHDR) ? "yes" : "no",
           getauxval(AT_ENTRY) ? "yes" : "no");
    return 7;
}
