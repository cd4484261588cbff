/* SPDX-License-Identifier: MIT */
/*
 * Boot: from Xen's start_info page to the application's main().
 *
 * Xen's PV domain builder enters at _start (arch/x86_64/head.S), which calls
 * start_kernel with the start_info page (xen.h, struct start_info). The boot
 * order, in one place (start_kernel, at the end of this file), after
 * smp_early_init points %gs at vCPU 0's per-CPU data (include/smp.h), which
 * even the first lock reads:
 *   1. validate start_info (magic "xen-3.0-x86_64"): nothing else can be
 *      trusted before it; copy the command line and take the kernel
 *      parameters (mote.*) from it, so they cover everything after
 *   2. bring up the console and the trap table (so every later fault is
 *      reported), and print the banner
 *   3. memory: all pages mapped, the image protected, the page allocator,
 *      which everything after may use
 *   4. map the shared info page and start event delivery (events_init);
 *      then time (time_init: the clock and the timer queue on VIRQ_TIMER),
 *      the other vCPUs (smp_init, which needs both), the console's input and its blocking waits, which need events and
 *      timers, and the grant table (how drivers share pages with backends)
 *   5. as a domU: the xenstore client, then the domain's lifecycle
 *      (lifecycle_init: domid, name, shutdown, save, mem-set, sysrq,
 *      vcpu-set), in a thread so its round trips do not hold main() back
 *   6. build the app's argv (the command line's words but the kernel's),
 *      and run main(); its return value decides how the domain shuts down
 */
#include <asm_calls.h>
#include <arch/tsc.h>
#include <cmdline.h>
#include <console.h>
#include <events.h>
#include <grant_table.h>
#include <hypercall.h>
#include <kernel.h>
#include <lifecycle.h>
#include <mm.h>
#include <page_alloc.h>
#include <printk.h>
#include <smp.h>
#include <stdlib.h>
#include <string.h>
#include <timer.h>
#include <traps.h>
#include <xenbus.h>

#define START_INFO_MAGIC "xen-3.0-x86_64"
const start_info_t *start_info;
start_info_t *start_info_writable;
uint64_t boot_main_tsc;

static char cmdline_copy[MAX_GUEST_CMDLINE];

/* Called with a possibly bogus page, so it touches nothing but the magic. */
static void check_start_info_magic(const start_info_t *si)
{
    char shown[sizeof(si->magic) + 1];

    if (!memcmp(si->magic, START_INFO_MAGIC, sizeof(START_INFO_MAGIC) - 1))
        return;
    for (size_t i = 0; i < sizeof(si->magic); i++) {
        char c = si->magic[i];
        shown[i] = c == '\0' ? '\0' : (c >= ' ' && c < 127) ? c : '?';
    }
    shown[sizeof(si->magic)] = '\0';
    /* The console is not set up and cannot be trusted to be: go straight to Xen. */
    static const char msg[] = "mote: start_info magic is not " START_INFO_MAGIC "*: \"";
    console_emergency_write(msg, sizeof(msg) - 1);
    console_emergency_write(shown, strlen(shown));
    console_emergency_write("\"; not a 64-bit PV start of day\n", 32);
    kernel_shutdown(SHUTDOWN_crash);
}

static void print_flags(uint32_t flags)
{
    static const struct { uint32_t bit; const char *name; } names[] = {
        { SIF_PRIVILEGED, "privileged" },
        { SIF_INITDOMAIN, "initial domain" },
        { SIF_MULTIBOOT_MOD, "multiboot module" },
        { SIF_MOD_START_PFN, "mod_start is a pfn" },
        { SIF_VIRT_P2M_4TOOLS, "virtual p2m for tools" },
    };
    const char *sep = "";

    printk("  flags        %#x (", flags);
    for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
        if (flags & names[i].bit) {
            printk("%s%s", sep, names[i].name);
            sep = ", ";
        }
    }
    /* Bits 8-15 are reserved for xen-pm options (SIF_PM_MASK). */
    if (flags & SIF_PM_MASK)
        printk("%spm options %#x", sep, (flags & SIF_PM_MASK) >> 8), sep = ", ";
    printk("%s)\n", *sep ? "" : "unprivileged domU");
}

static void print_banner(const start_info_t *si)
{
    long version = xen_call(xen_version, XENVER_version, NULL);
    xen_extraversion_t extra = "";

    xen_call(xen_version, XENVER_extraversion, extra);
    extra[sizeof(extra) - 1] = '\0';

    printk("mote 0.1 on Xen %ld.%ld%s (%.32s)\n", version >> 16, version & 0xffff,
           extra, si->magic);
    printk("  nr_pages     %lu (%lu KiB)\n", si->nr_pages, si->nr_pages * 4);
    print_flags(si->flags);
    printk("  shared_info  maddr %#lx\n", si->shared_info);
    if (si->flags & SIF_INITDOMAIN) {
        printk("  console      dom0: console_io hypercall, VGA info at offset %u size %u\n",
               si->console.dom0.info_off, si->console.dom0.info_size);
    } else {
        printk("  console      mfn %#lx evtchn %u\n", (unsigned long)si->console.domU.mfn,
               si->console.domU.evtchn);
        printk("  store        mfn %#lx evtchn %u\n", (unsigned long)si->store_mfn,
               si->store_evtchn);
    }
    printk("  pt_base      %#lx (%lu frames)\n", si->pt_base, si->nr_pt_frames);
    printk("  mfn_list     %#lx (p2m pfns %#lx+%lu)\n", si->mfn_list, si->first_p2m_pfn,
           si->nr_p2m_frames);
    if (si->mod_len)
        printk("  module       %s %#lx, %lu bytes\n",
               (si->flags & SIF_MOD_START_PFN) ? "pfn" : "at", si->mod_start, si->mod_len);
    else
        printk("  module       none\n");
    printk("  cmdline      \"%s\"\n", cmdline_copy);
}

/* Leaves the kernel's own words (mote.*, kernel_params_parse took them at
 * step 1) out of argv; returns how many words are left. */
static int drop_kernel_params(int argc, char **av)
{
    int kept = 0;

    for (int i = 0; i < argc; i++)
        if (!is_kernel_param(av[i]))
            av[kept++] = av[i];
    av[kept] = NULL;
    return kept;
}

/* Keeps our own copy of the command line: start_info's may be overwritten
 * later, and Xen terminates it but xen.h gives only its size. */
static void copy_cmdline(const start_info_t *si)
{
    memcpy(cmdline_copy, si->cmd_line, sizeof(cmdline_copy));
    cmdline_copy[sizeof(cmdline_copy) - 1] = '\0';
}

/* Xen copies at most MAX_GUEST_CMDLINE - 1 bytes and cuts the rest off
 * without a word (xen.h start_info cmd_line): a full line was probably
 * longer, and the user should know. */
static void report_cut_cmdline(void)
{
    if (strlen(cmdline_copy) == MAX_GUEST_CMDLINE - 1)
        printk("mote: the command line is %d bytes, Xen's limit: anything after "
               "\"...%s\" was cut off\n", MAX_GUEST_CMDLINE - 1,
               cmdline_copy + MAX_GUEST_CMDLINE - 1 - 16);
}

/* A domU reaches the toolstack through xenstore (dom0 has none at boot). */
static void xenstore_start(void)
{
    if (xen_initial_domain())
        return;
    int rc = xenbus_init();
    if (rc < 0)
        printk("mote: no xenstore: %s\n", xen_errno_name(rc));
}

/* argv[0] is the program name, as C programs expect; the words follow,
 * without the kernel's own parameters. Returns argc and sets *argvp. The
 * words and the array live on the heap, sized to this command line (a
 * MAX_GUEST_CMDLINE line could need 4 KiB of pointers; most have a few
 * words), and stay for the program's life. */
static int build_argv(char ***argvp)
{
    static char program_name[] = "mote";
    size_t len = strlen(cmdline_copy) + 1;
    char *words_buf = malloc(len);
    char *none[1];

    if (!words_buf)
        panic("no memory for the command line's %zu bytes", len);
    /* Count first: splitting removes quotes in place, so split a copy. */
    memcpy(words_buf, cmdline_copy, len);
    int words = cmdline_split(words_buf, none, 0);
    char **argv = malloc((size_t)(words + 2) * sizeof(*argv));
    if (!argv)
        panic("no memory for argv (%d words)", words);
    memcpy(words_buf, cmdline_copy, len);
    argv[0] = program_name;
    cmdline_split(words_buf, argv + 1, words);
    *argvp = argv;
    return 1 + drop_kernel_params(words, argv + 1);
}

/* main's return value decides how the domain ends: 0 powers it off,
 * anything else crashes it with the value printed. */
__attribute__((noreturn)) static void run_main(int argc, char **argv)
{
    mm_stats.free_at_main = free_page_count();
    boot_main_tsc = rdtsc_ordered();
    int rc = main(argc, argv);
    libc_run_atexit();
    if (rc == 0)
        kernel_shutdown(SHUTDOWN_poweroff);
    printk("mote: main returned %d\n", rc);
    kernel_shutdown(SHUTDOWN_crash);
}

/* The boot order, one step a line (the file comment says why this order). */
void start_kernel(start_info_t *si)
{
    smp_early_init();           /*    %gs: this vCPU's struct cpu */
    check_start_info_magic(si); /* 1. a 64-bit PV start_info, or stop */
    start_info = start_info_writable = si;
    copy_cmdline(si);
    kernel_params_parse(cmdline_copy); /* mote.*: they cover the whole boot */
    console_init();             /* 2. output: Xen's console or the ring */
    traps_init();               /*    every later fault is reported */
    print_banner(si);           /*    what Xen gave us */
    report_cut_cmdline();
    kernel_params_report(cmdline_copy);
    mm_init();                  /* 3. page tables, W^X, page allocator */
    events_init();              /* 4. shared info page, upcalls on */
    time_init();                /*    clock, VIRQ_TIMER, the timer queue */
    smp_init();                 /*    every other vCPU up */
    console_events_init();      /*    console input and blocking waits */
    gnttab_init();              /*    grant table for sharing pages */
    xenstore_start();           /* 5. domU: the xenstore client */
    lifecycle_init();           /*    domU: xl shutdown, save, mem-set, sysrq, vcpu-set */
    char **argv;
    int argc = build_argv(&argv); /* 6. argv: the words but the kernel's */
    run_main(argc, argv);       /*    the app; its result ends the domain */
}
