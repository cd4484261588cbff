/* SPDX-License-Identifier: MIT */
/*
 * The program loader: a static x86-64 executable (posix/elf.h) from a
 * buffer into a process's address space, as Linux's binfmt_elf maps one
 * without an interpreter. Each PT_LOAD segment gets fresh pages holding
 * its file bytes and zeros up to p_memsz (the .bss), mapped with the
 * segment's permissions, W^X: read-only and not executable unless
 * p_flags says PF_W (read-write) or PF_X (read and execute), never both.
 * Every offset and size is checked against the buffer before it is read.
 */
#include <arch/layout.h>
#include <elf.h>
#include <errno.h>
#include <page_alloc.h>
#include <string.h>
#include <user.h>

static bool header_ok(const struct elf64_ehdr *eh, size_t len)
{
    static const unsigned char magic[4] = { 0x7f, 'E', 'L', 'F' };

    return len >= sizeof(*eh) && memcmp(eh->e_ident, magic, 4) == 0 &&
           eh->e_ident[4] == ELFCLASS64 && eh->e_ident[5] == ELFDATA2LSB &&
           (eh->e_type == ET_EXEC || eh->e_type == ET_DYN) && eh->e_machine == EM_X86_64 &&
           eh->e_phentsize == sizeof(struct elf64_phdr) && eh->e_phnum > 0 &&
           eh->e_phoff < len && eh->e_phnum <= (len - eh->e_phoff) / sizeof(struct elf64_phdr);
}

static bool segment_ok(const struct elf64_phdr *ph, size_t len, unsigned long bias)
{
    unsigned long start = bias + ph->p_vaddr, end = start + ph->p_memsz;

    return ph->p_filesz <= ph->p_memsz && ph->p_offset <= len &&
           ph->p_filesz <= len - ph->p_offset && end >= start &&
           start >= USER_BASE && end <= USER_TOP &&
           (ph->p_vaddr & (PAGE_SIZE - 1)) == (ph->p_offset & (PAGE_SIZE - 1)) &&
           (ph->p_flags & (PF_W | PF_X)) != (PF_W | PF_X);
}

static enum user_prot segment_prot(const struct elf64_phdr *ph)
{
    if (ph->p_flags & PF_W)
        return USER_RW;
    return (ph->p_flags & PF_X) ? USER_RX : USER_RO;
}

/* One page of the segment, at user address va: the file bytes that fall
 * in it, zeros elsewhere. */
static long load_page(struct user_space *s, const struct elf64_phdr *ph, const char *image,
                      unsigned long bias, unsigned long va)
{
    unsigned long seg = bias + ph->p_vaddr, file_end = seg + ph->p_filesz;
    char *page = alloc_page();

    if (!page)
        return -ENOMEM;
    memset(page, 0, PAGE_SIZE);
    unsigned long from = va > seg ? va : seg;
    unsigned long to = va + PAGE_SIZE < file_end ? va + PAGE_SIZE : file_end;
    if (from < to)
        memcpy(page + (from - va), image + ph->p_offset + (from - seg), to - from);
    int rc = arch_user_space_map(s, va, page, segment_prot(ph));
    if (rc) {
        free_page(page);
        /* Two segments sharing a page: the linker keeps them apart
         * (-z separate-code, page-aligned RELRO); refuse rather than
         * give the page one of two protections. */
        return rc == -EEXIST ? -ENOEXEC : rc;
    }
    return 0;
}

static long load_segment(struct user_space *s, const struct elf64_phdr *ph, const char *image,
                         unsigned long bias)
{
    unsigned long first = (bias + ph->p_vaddr) & ~(unsigned long)(PAGE_SIZE - 1);
    unsigned long end = bias + ph->p_vaddr + ph->p_memsz;

    for (unsigned long va = first; va < end; va += PAGE_SIZE) {
        long rc = load_page(s, ph, image, bias, va);
        if (rc)
            return rc;
    }
    return 0;
}

/* AT_PHDR: PT_PHDR's address, else where the headers fall in the segment
 * that maps file offset e_phoff (Linux's binfmt_elf does the same). */
static unsigned long phdr_address(const struct elf64_ehdr *eh, const struct elf64_phdr *ph,
                                  unsigned long bias)
{
    for (unsigned i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_PHDR)
            return bias + ph[i].p_vaddr;
    for (unsigned i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_LOAD && eh->e_phoff >= ph[i].p_offset &&
            eh->e_phoff < ph[i].p_offset + ph[i].p_filesz)
            return bias + ph[i].p_vaddr + (eh->e_phoff - ph[i].p_offset);
    return 0;
}

long elf_load(struct user_space *s, const void *image, size_t len, struct elf_loaded *out)
{
    const struct elf64_ehdr *eh = image;

    if (!header_ok(eh, len))
        return -ENOEXEC;
    const struct elf64_phdr *ph = (const struct elf64_phdr *)((const char *)image + eh->e_phoff);
    unsigned long bias = eh->e_type == ET_DYN ? ELF_PIE_BASE : 0;
    out->brk = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_INTERP)
            return -ENOEXEC;    /* dynamically linked: no interpreter here */
        if (ph[i].p_type != PT_LOAD)
            continue;
        if (!segment_ok(&ph[i], len, bias))
            return -ENOEXEC;
        long rc = load_segment(s, &ph[i], image, bias);
        if (rc)
            return rc;
        unsigned long end = bias + ph[i].p_vaddr + ph[i].p_memsz;
        if (end > out->brk)
            out->brk = end;
    }
    out->entry = bias + eh->e_entry;
    out->phdr = phdr_address(eh, ph, bias);
    out->phnum = eh->e_phnum;
    out->brk = (out->brk + PAGE_SIZE - 1) & ~(unsigned long)(PAGE_SIZE - 1);
    return out->brk ? 0 : -ENOEXEC;
}
