/* SPDX-License-Identifier: MIT */
/*
 * How a musl application starts on mote: the kernel's boot (kernel/boot.c)
 * calls main(argc, argv); in an image linked with musl that call reaches
 * posix_main (posix/start.c: the program's stack), which calls
 * mote_libc_start here. It does what Linux's exec and musl's crt1.o do
 * together:
 *   - lays out what a Linux process finds on its first stack: argv, a NULL,
 *     the environment (empty), a NULL, and the auxiliary vector musl reads
 *     (AT_PAGESZ, the user ids and AT_SECURE 0, so it trusts its
 *     environment, AT_RANDOM's 16 bytes for the stack protector's canary,
 *     AT_HWCAP, AT_PLATFORM, AT_EXECFN);
 *   - calls __libc_start_main(main, argc, argv), musl's own start: it sets up
 *     the thread pointer (arch_prctl), runs the constructors, and calls
 *     exit(main(argc, argv, envp)).
 * No program headers are passed (AT_PHDR): an application with __thread
 * variables would need the image's PT_TLS, which mote's link map has not.
 */
#include <elf.h>
#include <stdint.h>
#include <string.h>

#define AUX_ENTRIES 12

int main();
int __libc_start_main(int (*)(), int, char **, void (*)(void), void (*)(void), void (*)(void));

/* Not secret: TSC readings. The canary guards against accidents, which is
 * all a program in one address space with its kernel can ask of it. */
static void fill_random(unsigned char *bytes, size_t len)
{
	uint64_t x = __builtin_ia32_rdtsc();

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		bytes[i] = (unsigned char)(x >> 32);
	}
}

static size_t *put_aux(size_t *aux, size_t type, size_t value)
{
	aux[0] = type;
	aux[1] = value;
	return aux + 2;
}

static void build_auxv(size_t *aux, char *execfn)
{
	static unsigned char random_bytes[16];
	unsigned edx = 0, eax = 1, ebx, ecx;

	fill_random(random_bytes, sizeof random_bytes);
	__asm__("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
	aux = put_aux(aux, AT_PAGESZ, 4096);
	aux = put_aux(aux, AT_UID, 0);
	aux = put_aux(aux, AT_EUID, 0);
	aux = put_aux(aux, AT_GID, 0);
	aux = put_aux(aux, AT_EGID, 0);
	aux = put_aux(aux, AT_SECURE, 0);
	aux = put_aux(aux, AT_RANDOM, (size_t)random_bytes);
	aux = put_aux(aux, AT_HWCAP, edx);
	aux = put_aux(aux, AT_CLKTCK, 100);
	aux = put_aux(aux, AT_PLATFORM, (size_t)"x86_64");
	aux = put_aux(aux, AT_EXECFN, (size_t)execfn);
	put_aux(aux, AT_NULL, 0);
}

/* argv, envp and auxv are copied onto the stack (a Linux process's argv,
 * envp and auxv are contiguous, and musl finds envp and auxv by walking past
 * argv's NULL). */
__attribute__((noreturn)) static void start_on_app_stack(int argc, char **argv)
{
	size_t words = (size_t)argc + 2 + 2 * AUX_ENTRIES;
	char *vec[words];

	memcpy(vec, argv, (size_t)argc * sizeof *vec);
	vec[argc] = 0;
	vec[argc + 1] = 0;
	build_auxv((size_t *)&vec[argc + 2], argv[0]);
	__libc_start_main(main, argc, vec, 0, 0, 0);
	__builtin_trap();
}

int mote_libc_start(int argc, char **argv)
{
	start_on_app_stack(argc, argv);
}
