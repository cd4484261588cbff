# SPDX-License-Identifier: MIT
# mote: build, run and test a minimal x86-64 Xen PV kernel.
#
#   make                      build build/mote.elf (the kernel with apps/hello)
#   make APP=apps/NAME        build build/NAME.elf (the kernel with that app)
#   make run [APP=..] [ARGS=..] [RAMDISK=file.cpio]  boot it as dom0 under Xen in QEMU
#   make test [T=PATTERN]     host unit tests + boot tests on real Xen
#   make run-domu [APP=..] [ARGS=..] [RAMDISK=file.cpio]  boot it as a domU with xl (Linux dom0)
#   make bench                size and speed figures (bench/README.md)
#   make lab-NAME             check lab NAME of docs/labs/ (pass or fail)
#
# CROSS_COMPILE=x86_64-linux-gnu- selects a cross toolchain on non-x86 hosts.

CROSS_COMPILE ?=
# The test and bench scripts inspect images with nm, objcopy and size too.
export CROSS_COMPILE
CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
OBJDUMP := $(CROSS_COMPILE)objdump
NM      := $(CROSS_COMPILE)nm
HOSTCC  ?= cc

APP     ?= apps/hello
.DEFAULT_GOAL := all
ARGS    ?=
BUILD   := build
DEPS    := .cache/deps
XEN_INC := $(DEPS)/include

# Xen interface version, pinned so a newer libxen-dev cannot change the ABI we
# compile against (xen-compat.h). 0x00040e00 is what Xen 4.17 ships as latest.
XEN_INTERFACE_VERSION := 0x00040e00

GCC_INC := $(shell $(CC) -print-file-name=include)

# The kernel's include path: include/ holds the kernel-wide contracts; every
# other header sits beside its code, and its folder is on the path so that
# includers name it as <NAME.h> wherever it lives.
KERNEL_INC_DIRS := include lifecycle xenstore drivers/xenbus drivers/console drivers/block \
                   drivers/net lib arch/x86_64/include

# Freestanding: no libc headers (-nostdinc, then only the compiler's own
# stdint/stddef/stdarg), no SSE (event upcalls do not save FPU state), no red
# zone (Xen's upcalls push onto the interrupted stack), frame pointers kept
# for backtraces, code model "kernel" for the top-2-GiB link address.
# -fsplit-stack: each function checks that its frame fits its thread's stack
# before taking it, so an overflow is reported instead of crashing the domain
# silently (arch/x86_64/include/arch/stack_check.h says why a guard page
# alone cannot; mote never grows a stack, its __morestack reports).
CFLAGS := -std=gnu11 -Os -g -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
          -ffreestanding -nostdinc -isystem $(GCC_INC) \
          -fno-pic -fno-pie -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
          -fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
          -fsplit-stack -fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections \
          -D__XEN_INTERFACE_VERSION__=$(XEN_INTERFACE_VERSION) \
          -DMOTE_KERNEL $(addprefix -I,$(KERNEL_INC_DIRS)) -Iapi -Ilibc/include \
          -isystem $(XEN_INC) -MMD -MP
# The kernel is built for size (-Os: hello's text 16 KB smaller than at
# -O2); HOT_SRCS, the files the boot, event and timer paths spend their
# instructions in, stay at -O2 (bench/README.md, "Image, third round", has
# the icount figures that chose them). Applications and the network stack
# are built at -O2.
HOT_SRCS ?= libc/string.c lib/vsnprintf.c lib/timer_heap.c arch/x86_64/mm.c kernel/mm.c \
            kernel/page_alloc.c kernel/timer.c kernel/thread.c kernel/sleep.c kernel/sync.c
HOT_CFLAGS := -O2
# KCFLAGS: extra flags for test builds of the kernel (e.g. tests/boot/time.sh).
CFLAGS  += $(KCFLAGS)
ASFLAGS := $(filter-out -std=gnu11,$(CFLAGS)) -D__ASSEMBLY__
LDFLAGS := -nostdlib -static -n -z max-page-size=4096 -z noexecstack --gc-sections \
           --no-warn-rwx-segments -T linker.ld

KERNEL_SRCS := $(wildcard arch/x86_64/*.S arch/x86_64/*.c kernel/*.c lib/*.c lifecycle/*.c xenstore/*.c \
                          drivers/*/*.c libc/*.c)
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(KERNEL_SRCS))
$(patsubst %,$(BUILD)/%.o,$(HOT_SRCS)): CFLAGS += $(HOT_CFLAGS)

# The C library (libc/) is linked into every image. The parts that take or
# return a double need SSE and are built like application code; they run
# only when an application calls them. The rest is built as kernel code.
LIBC_FP_SRCS := libc/printf_fp.c libc/strtod.c libc/stdio.c libc/time.c
# printf's floating-point conversions are linked only when the application's
# own code uses SSE registers, the only way it can pass printf a double
# (lib/vsnprintf.c refers to format_double weakly): hello and the kernel-code
# apps, built without SSE, do without its 4 KB.
PRINTF_FP_OBJ := $(BUILD)/libc/printf_fp.c.o
FP_CFLAGS := $(filter-out -mgeneral-regs-only,$(CFLAGS))
$(patsubst %,$(BUILD)/%.o,$(LIBC_FP_SRCS)): CFLAGS := $(FP_CFLAGS)
# The pure parts, also built for the host and compared with glibc.
LIBC_PURE_SRCS := libc/string.c libc/strtol.c libc/ctype.c libc/errno.c libc/qsort.c \
                  libc/stdlib.c libc/decimal.c libc/printf_fp.c libc/strtod.c libc/time_format.c

APP_NAME := $(notdir $(patsubst %/,%,$(APP)))
APP_SRCS := $(wildcard $(APP)/*.c $(APP)/*.S)
APP_OBJS := $(patsubst %,$(BUILD)/%.o,$(APP_SRCS))

# The application boundary (docs/api.md). Applications see only the public
# API, api/ (<mote.h>, <mote/...>), the C library's headers and Xen's public
# headers, and may use floating point (SSE): the kernel's include directories
# are not on their path, and scripts/api-symbols.sh fails the link if an
# application object uses a symbol those headers do not declare. The boot-test
# kernels, the benchmark and the labs' programs (tests/kernels/, bench/,
# docs/labs/) test the kernel itself and are built as kernel code.
APP_API := $(if $(filter tests/kernels/% bench/% docs/labs/%,$(APP)),kernel,public)

# An application's makefile fragment, apps/NAME/app.mk, says what it uses
# beyond the kernel: `APP_USES := net` links the network stack (net/, lwIP
# from .cache/lwip, drivers/net/ under it) and puts <mote/net.h>'s companions,
# lwIP's headers, on its include path. Other applications link none of it.
APP_USES :=
# An application's app.mk may set its own CPPFLAGS and CFLAGS (a musl
# application's compiler flags, mk/musl.mk) and APP_SRCS (its sources, paths
# from the top, in any layout): the kernel's CFLAGS are kept aside meanwhile.
APP_LIBC :=
KERNEL_CFLAGS := $(CFLAGS)
CFLAGS :=
CPPFLAGS :=
-include $(APP)/app.mk
APP_CFLAGS := $(CFLAGS)
APP_CPPFLAGS := $(CPPFLAGS)
CFLAGS := $(KERNEL_CFLAGS)
APP_OBJS := $(patsubst %,$(BUILD)/%.o,$(APP_SRCS))
LWIP_DIR := .cache/lwip
LWIP_SRC := $(LWIP_DIR)/src
# The stack's sources, also linked into every musl image (mk/musl.mk: its
# sockets, posix/socket.c).
LWIP_INC := -Inet/include -I$(LWIP_SRC)/include
LWIP_SRCS := $(addprefix $(LWIP_SRC)/,core/init.c core/def.c core/inet_chksum.c core/ip.c \
             core/mem.c core/memp.c core/netif.c core/pbuf.c core/raw.c core/stats.c core/sys.c \
             core/tcp.c core/tcp_in.c core/tcp_out.c core/timeouts.c core/udp.c \
             core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c core/ipv4/ip4.c \
             core/ipv4/ip4_addr.c core/ipv4/ip4_frag.c \
             api/api_lib.c api/api_msg.c api/err.c api/if_api.c api/netbuf.c api/netifapi.c \
             api/sockets.c api/tcpip.c netif/ethernet.c apps/lwiperf/lwiperf.c)
NET_SRCS := $(wildcard net/*.c)
LWIP_WARN_RELAX := -Wno-missing-prototypes -Wno-unused-parameter -Wno-sign-compare -Wno-address
ifneq ($(filter net,$(APP_USES)),)
NET_INC  := $(LWIP_INC)
NET_OBJS := $(patsubst %,$(BUILD)/%.o,$(LWIP_SRCS) $(NET_SRCS))
# lwIP is built as kernel code; its own style trips some of our warnings.
$(NET_OBJS) $(patsubst %,$(BUILD)/%.o,$(wildcard $(APP)/*.c)): CFLAGS += $(NET_INC)
$(NET_OBJS): CFLAGS += $(HOT_CFLAGS)
$(patsubst %,$(BUILD)/%.o,$(LWIP_SRCS)): CFLAGS += $(LWIP_WARN_RELAX)
$(patsubst %,$(BUILD)/%.o,$(LWIP_SRCS)): $(LWIP_DIR)/stamp
# The port and the app include lwIP's headers: fetched first, also under -j.
$(patsubst %,$(BUILD)/%.o,$(NET_SRCS) $(wildcard $(APP)/*.c)): | $(LWIP_DIR)/stamp
endif
$(LWIP_SRCS): $(LWIP_DIR)/stamp
$(LWIP_DIR)/stamp:
	scripts/deps.sh --lwip
PUBLIC_CFLAGS := $(filter-out -DMOTE_KERNEL $(addprefix -I,$(KERNEL_INC_DIRS)) -mgeneral-regs-only -Os,$(CFLAGS)) \
                 $(HOT_CFLAGS) $(NET_INC)
ifeq ($(APP_API),public)
$(APP_OBJS): CFLAGS := $(PUBLIC_CFLAGS)
else
$(APP_OBJS): CFLAGS += $(HOT_CFLAGS)
endif
API_HEADERS := $(wildcard api/*.h api/mote/*.h libc/include/*.h)
$(BUILD)/api-symbols.txt: $(API_HEADERS) scripts/api-symbols.sh | $(DEPS)/stamp
	@mkdir -p $(dir $@)
	$(Q)CC=$(CC) scripts/api-symbols.sh list $(filter-out -MMD -MP,$(PUBLIC_CFLAGS)) > $@.$$$$.tmp && mv $@.$$$$.tmp $@
# A network application may also use <mote/net.h> and lwIP's socket and
# netconn APIs.
$(BUILD)/api-symbols-net.txt: $(API_HEADERS) scripts/api-symbols.sh net/include/lwipopts.h | $(DEPS)/stamp $(LWIP_DIR)/stamp
	@mkdir -p $(dir $@)
	$(Q)CC=$(CC) API_EXTRA="mote/net.h lwip/sockets.h lwip/api.h lwip/inet.h lwip/apps/lwiperf.h" \
	    API_EXTRA_DIRS="$(LWIP_SRC)/include net/include" \
	    scripts/api-symbols.sh list $(filter-out -MMD -MP,$(PUBLIC_CFLAGS)) > $@.$$$$.tmp && mv $@.$$$$.tmp $@
API_CHECK := $(if $(filter public,$(APP_API)),$(BUILD)/api-symbols$(if $(NET_INC),-net).txt)
# The default application's image is also called mote.elf (README, make run).
APP_ELF  := $(if $(filter apps/hello,$(APP)),$(BUILD)/mote.elf,$(BUILD)/$(APP_NAME).elf)

.PHONY: domu-helpers all run run-domu test soak check unit-tests fuzz-targets boot-kernels apps bench clean deps domu-stack
, := ,
all: $(APP_ELF)

# Fetch Xen and its headers once (scripts/deps.sh is idempotent).
$(DEPS)/stamp:
	scripts/deps.sh --no-qemu

deps: $(DEPS)/stamp
	@scripts/deps.sh

# V=1 shows full commands.
Q := $(if $(V),,@)

$(BUILD)/%.c.o: %.c | $(DEPS)/stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.S.o: %.S | $(DEPS)/stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

# The symbol table fault reports print names from (kernel/symbols.c) is built
# by linking twice (scripts/ksyms.sh): first with an empty table, then with the
# text symbols of that first image. The table sits last in .rodata
# (linker.ld), so it cannot move code; ksyms.sh --check verifies that the text
# symbols of both links are identical.
$(BUILD)/ksyms-empty.S: scripts/ksyms.sh
	@mkdir -p $(dir $@)
	$(Q)scripts/ksyms.sh --empty > $@

$(BUILD)/ksyms-empty.o: $(BUILD)/ksyms-empty.S
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

LINK_OBJS := $(filter-out $(PRINTF_FP_OBJ),$(KERNEL_OBJS))
# A musl application's image is linked by scripts/mote-cc (mk/musl.mk).
ifneq ($(APP_LIBC),musl)
$(BUILD)/mote.elf $(BUILD)/$(APP_NAME).elf: $(KERNEL_OBJS) $(NET_OBJS) $(APP_OBJS) linker.ld \
                                            $(BUILD)/ksyms-empty.o scripts/ksyms.sh $(API_CHECK)
	@test -n "$(APP_SRCS)" || { echo "error: no sources in $(APP) (APP=apps/NAME)"; exit 1; }
	$(if $(API_CHECK),$(Q)NM=$(NM) scripts/api-symbols.sh check $(API_CHECK) $(APP_OBJS))
	@$(if $(Q),echo "  LD      $@")
	$(Q)if $(OBJDUMP) -d $(APP_OBJS) | grep -q '%xmm'; then echo $(PRINTF_FP_OBJ); fi > $@.fp
	$(Q)$(LD) $(LDFLAGS) -o $@.pass1 $(LINK_OBJS) $$(cat $@.fp) $(NET_OBJS) $(APP_OBJS) $(BUILD)/ksyms-empty.o
	$(Q)NM=$(NM) scripts/ksyms.sh $@.pass1 > $@.ksyms.S
	$(Q)$(CC) $(ASFLAGS) -c $@.ksyms.S -o $@.ksyms.o
	$(Q)$(LD) $(LDFLAGS) -Map=$@.map -o $@ $(LINK_OBJS) $$(cat $@.fp) $(NET_OBJS) $(APP_OBJS) $@.ksyms.o
	$(Q)NM=$(NM) scripts/ksyms.sh --check $@.pass1 $@
endif

run: $(APP_ELF) deps
	RAMDISK="$(RAMDISK)" scripts/qemu-dom0 $(APP_ELF) $(ARGS)

# The labs (docs/labs/): make lab-NAME builds the one image lab NAME needs,
# boots it on Xen and ends with "lab NAME: pass" or "lab NAME: fail (why)".
lab-%:
	@out=$$(scripts/deps.sh 2>&1) || { echo "$$out"; exit 1; }
	@scripts/lab-check.sh $*

# Every example application under apps/.
APPS := $(notdir $(wildcard apps/*))
apps:
	@for a in $(APPS); do $(MAKE) --no-print-directory APP=apps/$$a || exit 1; done

# Boot-test kernels: each directory under tests/kernels/ is an app built as
# kernel code, each under tests/apps/ an app built against the public API.
TEST_KERNELS := $(wildcard tests/kernels/* tests/apps/*)
boot-kernels:
	@for k in $(TEST_KERNELS); do $(MAKE) --no-print-directory APP=$$k || exit 1; done

# The Linux dom0 that runs xl for the domU tests, built once and cached
# outside the clone (scripts/domu-stack.sh; quick when it is there).
domu-stack:
	@scripts/domu-stack.sh

# Programs for the test dom0 (Linux), static so they need nothing from its
# initramfs; scripts/qemu-domu copies build/domu/* into /usr/bin there.
DOMU_HELPERS := $(BUILD)/domu/gntdev-read $(BUILD)/domu/netcheck
$(BUILD)/domu/%: scripts/domu/%.c | $(DEPS)/stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) -static -O2 -Wall -Wextra -Werror -isystem $(XEN_INC) $< -o $@
domu-helpers: $(DOMU_HELPERS)

# As a domU under xl: the guest console is relayed as "guest| " lines; a
# guest still running after RUN_SECONDS (10) gets `xl shutdown -w` (scripts/qemu-domu).
run-domu: $(APP_ELF) deps domu-stack domu-helpers
	RAMDISK="$(RAMDISK)" GUEST_EXTRA="$(ARGS)" scripts/qemu-domu $(APP_ELF) scripts/mote.cfg

test: deps unit-tests fuzz-targets boot-kernels apps $(BUILD)/mote.elf domu-helpers
	@tests/run.sh $(T)

# The torture test (tests/boot/torture.sh) for MINUTES minutes: the SMP,
# event, timer, xenstore, block and hotplug paths at once, on 4 vCPUs.
MINUTES ?= 30
soak: deps boot-kernels domu-helpers
	@TORTURE_SECONDS=$$(( $(MINUTES) * 60 )) tests/run.sh domu_torture

# The fast host-only check: unit tests, a short fuzz of each target, the
# docs drift checker and the layer checker (on build/mote.elf's objects),
# no QEMU (well under a minute).
check: deps unit-tests fuzz-targets $(BUILD)/mote.elf
	@HOST_ONLY=1 FUZZ_SECONDS=$${FUZZ_SECONDS:-3} tests/run.sh $(T)

# Size and speed figures: bench/README.md says what each one measures.
bench: deps
	bench/run.sh

clean:
	rm -rf $(BUILD)

-include $(KERNEL_OBJS:.o=.d) $(APP_OBJS:.o=.d) $(NET_OBJS:.o=.d)

# Host unit tests: mote's lib/ compiled for the host with a mote_ prefix
# (tests/unit/mote_names.h), under ASan and UBSan, linked with each test.
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
               -fno-sanitize-recover=all -fno-tree-loop-distribute-patterns
HOST_LIB_SRCS := lib/vsnprintf.c lib/cmdline.c \
                 lib/pvclock.c lib/utc.c lib/timer_heap.c lib/sort.c lib/buddy.c lib/heap.c \
                 $(LIBC_PURE_SRCS)
HOST_LIB_OBJS := $(patsubst %,$(BUILD)/host/%.o,$(HOST_LIB_SRCS))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/host/%,$(wildcard tests/unit/test_*.c))

$(BUILD)/host/lib/%.c.o: lib/%.c tests/unit/mote_names.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -include tests/unit/mote_names.h -Iinclude -Ilib -Iapi -Ilibc/include -c $< -o $@

$(BUILD)/host/libc/%.c.o: libc/%.c tests/unit/mote_names.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -include tests/unit/mote_names.h -Iinclude -Ilib -Iapi -Ilibc/include -c $< -o $@

# Driver code that is pure logic (no hypercalls) is host-tested too; it sees
# Xen's headers and mote's include/ after the host's own (-idirafter), so the
# host libc's string.h wins in test files.
HOST_XEN_FLAGS := -D__XEN_INTERFACE_VERSION__=$(XEN_INTERFACE_VERSION) -isystem $(XEN_INC) \
                  $(addprefix -idirafter ,$(KERNEL_INC_DIRS)) -idirafter api
HOST_DRIVER_SRCS := drivers/console/ring.c
HOST_DRIVER_OBJS := $(patsubst %,$(BUILD)/host/%.o,$(HOST_DRIVER_SRCS))

CONSOLE_RING_HDRS := drivers/console/ring.h arch/x86_64/include/arch/barrier.h arch/x86_64/include/arch/atomic.h
$(BUILD)/host/drivers/console/ring.c.o $(BUILD)/host/test_console_ring: $(CONSOLE_RING_HDRS)
$(BUILD)/host/drivers/%.c.o: drivers/%.c tests/unit/mote_names.h | $(DEPS)/stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -include tests/unit/mote_names.h -Iinclude -Iapi $(HOST_XEN_FLAGS) -c $< -o $@

$(BUILD)/host/test_%: tests/unit/test_%.c tests/unit/check.h $(HOST_LIB_OBJS) $(HOST_DRIVER_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_XEN_FLAGS) -Wno-format-truncation -Wno-format-overflow $< $(HOST_TEST_EXTRA) $(HOST_LIB_OBJS) $(HOST_DRIVER_OBJS) -lm -o $@

# printk with the console and the clock supplied by the test itself.
# As kernel code (MOTE_KERNEL): <mote/kernel.h> gives applications another
# printk symbol.
$(BUILD)/host/kernel/printk.c.o: kernel/printk.c tests/unit/mote_names.h | $(DEPS)/stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -DMOTE_KERNEL -include tests/unit/mote_names.h -Iinclude -Iapi $(HOST_XEN_FLAGS) -c $< -o $@
$(BUILD)/host/test_printk: $(BUILD)/host/kernel/printk.c.o
$(BUILD)/host/test_printk: HOST_TEST_EXTRA := $(BUILD)/host/kernel/printk.c.o

unit-tests: $(UNIT_TESTS)

# Host tests of pure driver code (compiled as it is, against the host libc).
$(BUILD)/host/test_xs_proto: tests/unit/test_xs_proto.c tests/unit/check.h xenstore/xs_proto.c xenstore/xs_proto.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -isystem $(XEN_INC) $< xenstore/xs_proto.c -o $@
$(BUILD)/host/test_xs_proto: | $(DEPS)/stamp
$(BUILD)/host/test_blkif_rsp: tests/unit/test_blkif_rsp.c tests/unit/check.h drivers/block/blkif_rsp.c \
                              drivers/block/blkif_rsp.h arch/x86_64/include/arch/barrier.h | $(DEPS)/stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_XEN_FLAGS) $< drivers/block/blkif_rsp.c -o $@

$(BUILD)/host/test_netif_rsp: tests/unit/test_netif_rsp.c tests/unit/check.h drivers/net/netif_rsp.c \
                              drivers/net/netif_rsp.h arch/x86_64/include/arch/barrier.h | $(DEPS)/stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_XEN_FLAGS) $< drivers/net/netif_rsp.c -o $@

.SECONDARY: $(HOST_LIB_OBJS) $(HOST_DRIVER_OBJS)

# Fuzz targets (tests/fuzz/fuzz_NAME.c, libFuzzer's entry point) with the
# driver code they exercise, under ASan and UBSan. tests/run.sh runs each for
# FUZZ_SECONDS. With clang, libFuzzer drives them; without, a random-input
# driver (tests/fuzz/driver.c) built with the host compiler does.
FUZZ_CC     := $(if $(shell command -v clang 2>/dev/null),clang)
FUZZ_FLAGS  := -std=gnu11 -O1 -g -Wall -Wextra -Werror -fno-sanitize-recover=all $(HOST_XEN_FLAGS)
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,$(BUILD)/fuzz/fuzz_%,$(wildcard tests/fuzz/fuzz_*.c))

$(BUILD)/fuzz/fuzz_console_ring: drivers/console/ring.c $(CONSOLE_RING_HDRS)
$(BUILD)/fuzz/fuzz_xs_reply: xenstore/xs_proto.c xenstore/xs_proto.h
$(BUILD)/fuzz/fuzz_blkif_rsp: drivers/block/blkif_rsp.c drivers/block/blkif_rsp.h \
                              arch/x86_64/include/arch/barrier.h
$(BUILD)/fuzz/fuzz_netif_rsp: drivers/net/netif_rsp.c drivers/net/netif_rsp.h \
                              arch/x86_64/include/arch/barrier.h
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c | $(DEPS)/stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $<")
	$(Q)$(if $(FUZZ_CC),$(FUZZ_CC) -fsanitize=fuzzer$(,)address$(,)undefined,$(HOSTCC) -fsanitize=address$(,)undefined tests/fuzz/driver.c) \
	    $(FUZZ_FLAGS) $< $(filter %.c,$(filter-out $< tests/fuzz/driver.c,$^)) -o $@

fuzz-targets: $(FUZZ_TARGETS)

include mk/musl.mk
