/* SPDX-License-Identifier: MIT */
/*
 * The parts of ELF-64 the program loader reads (posix/elf_load.c): the file
 * header and program headers, as the System V ABI's ELF-64 object file
 * format and its x86-64 supplement define them.
 */
#ifndef POSIX_ELF_H
#define POSIX_ELF_H

#include <stddef.h>
#include <stdint.h>

struct elf64_ehdr {
    unsigned char e_ident[16];  /* "\x7f" "ELF", class, data, version... */
    uint16_t e_type, e_machine;
    uint32_t e_version;
    uint64_t e_entry, e_phoff, e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
    uint32_t p_type, p_flags;
    uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

#define ELFCLASS64   2
#define ELFDATA2LSB  1
#define ET_EXEC      2
#define ET_DYN       3
#define EM_X86_64    62
#define PT_LOAD      1
#define PT_INTERP    3
#define PT_PHDR      6
#define PF_X         1
#define PF_W         2

struct user_space;

/* What the loader tells the initial stack (auxv, posix/spawn.c). */
struct elf_loaded {
    unsigned long entry;        /* AT_ENTRY: where the process starts */
    unsigned long phdr;         /* AT_PHDR: the program headers in memory */
    unsigned long phnum;        /* AT_PHNUM */
    unsigned long brk;          /* the first page past the highest segment */
};

/* Maps the static executable image[0..len) into s: ET_EXEC at its
 * addresses, static-pie (ET_DYN without PT_INTERP) at ELF_PIE_BASE. 0, or
 * -ENOEXEC (not a static x86-64 executable, or a segment out of the image
 * or the user range, or writable and executable: W^X), -ENOMEM. */
#define ELF_PIE_BASE 0x10000000ul
long elf_load(struct user_space *s, const void *image, size_t len, struct elf_loaded *out);

#endif
