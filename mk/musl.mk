# SPDX-License-Identifier: MIT
# musl, the C library of applications that say `APP_LIBC := musl` in their
# app.mk (docs/api.md, "Porting a C program"). Included by the Makefile.
#
# The source is Debian's `musl` source package (scripts/deps.sh --musl),
# unpacked unchanged into .cache/musl/src. It is built once, by musl's own
# Makefile run out of tree in build/musl/ with a config.mak written here, into
# build/musl/lib/libc.a, and its headers installed into build/musl/include;
# both are cached outside the clone (MUSL_CACHE, below).
# The config changes three things, none of them in musl's files:
#   - posix/musl/include comes first on musl's include path, so our
#     syscall_arch.h replaces musl's: __syscallN become C calls of
#     mote_syscall (posix/syscall_table.c) instead of `syscall` instructions;
#   - the x86-64 assembly files that issue `syscall` themselves are left out
#     (MUSL_DROPPED_ASM): musl's generic C versions take their place, except
#     where posix/musl/ has our own (MUSL_OWN_SRCS);
#   - the code is built for mote's image: code model "kernel" (the image is
#     linked in the top 2 GiB), no red zone (Xen's event upcalls push onto
#     the interrupted stack), no PIC; frame pointers kept, so that a fault
#     report's backtrace goes through musl's functions.

MUSL_DIR   := .cache/musl
MUSL_SRC   := $(MUSL_DIR)/src
MUSL_BUILD := $(BUILD)/musl
MUSL_LIB   := $(MUSL_BUILD)/lib/libc.a
MUSL_INC   := $(MUSL_BUILD)/include

# Assembly that issues `syscall` (clone, cancellation points, the thread
# pointer, a detached thread's exit, vfork, the signal return trampoline),
# and the two files that use the red zone below %rsp (fenv, exp2l).
MUSL_DROPPED_ASM := src/thread/x86_64/__set_thread_area.o src/thread/x86_64/clone.o \
                    src/thread/x86_64/syscall_cp.o src/thread/x86_64/__unmapself.o \
                    src/process/x86_64/vfork.o src/signal/x86_64/restore.o \
                    src/fenv/x86_64/fenv.o src/math/x86_64/exp2l.o
# Ours, in posix/musl/, built by musl's makefile with musl's internal headers
# (the replacements, and start.c: the program's start). __set_thread_area.c
# and clone.c also replace musl's generic C files (MUSL_REPLACED_C), which
# would ask for i386's set_thread_area and return -ENOSYS.
MUSL_OWN_SRCS := $(wildcard posix/musl/*.c)
MUSL_OWN_NAMES := $(notdir $(MUSL_OWN_SRCS:.c=))
MUSL_REPLACED_C := src/thread/__set_thread_area.o src/thread/clone.o

MUSL_CFLAGS := -O2 -g -pipe -fno-omit-frame-pointer -mcmodel=kernel -mno-red-zone -fno-pic -fno-pie -fno-stack-protector \
               -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
               -fexcess-precision=standard -frounding-math -fno-strict-aliasing \
               -Wa,--noexecstack -w

# musl's makefile rebuilds an object when its source changes, not when the
# flags do: a config.mak that differs from the last one starts afresh.
$(MUSL_BUILD)/config.mak: mk/musl.mk | $(MUSL_DIR)/stamp
	@mkdir -p $(dir $@)
	$(Q){ echo 'srcdir = $(abspath $(MUSL_SRC))'; \
	  echo 'ARCH = x86_64'; \
	  echo 'CC = $(CC)'; \
	  echo 'CROSS_COMPILE = $(CROSS_COMPILE)'; \
	  echo 'includedir = $(abspath $(MUSL_INC))'; \
	  echo 'CFLAGS_AUTO = $(MUSL_CFLAGS)'; \
	  echo 'CFLAGS_C99FSE = -std=c99 -nostdinc -ffreestanding -I$(abspath posix/musl/include)'; \
	  echo 'CFLAGS_MEMOPS = -fno-tree-loop-distribute-patterns'; \
	  echo 'ARCH_OBJS = $$(filter-out $(MUSL_DROPPED_ASM),$$(patsubst $$(srcdir)/%,%.o,$$(basename $$(ARCH_SRCS))))'; \
	  echo 'ALL_OBJS = $$(addprefix obj/,$$(filter-out $$(REPLACED_OBJS) $(MUSL_REPLACED_C),$$(sort $$(BASE_OBJS) $$(ARCH_OBJS)))) $(MUSL_OWN_NAMES:%=obj/src/mote/%.o)'; \
	  echo 'obj/src/mote/%.o: $(abspath posix/musl)/%.c $$(GENH) $$(IMPH)'; \
	  printf '\t$$(CC_CMD)\n'; \
	} > $@.new
	$(Q)if cmp -s $@.new $@; then rm $@.new; else rm -rf $(MUSL_BUILD)/obj $(MUSL_BUILD)/lib; mv $@.new $@; fi

# musl's libc.a and headers are a function of their inputs alone: Debian's
# source package (the name of its .dsc), config.mak (this clone's path taken
# out), our own sources and header for it, and the compiler. They are kept
# outside the clone, as the domU test stack is, in $MOTE_CACHE/musl-KEY/
# (default ~/.cache/mote), KEY a hash of those inputs: a clean clone on the
# same machine copies them instead of building musl again (about 5 minutes),
# and a changed input makes a new KEY, so a build. The objects are cached too:
# after a change to posix/musl/ musl's makefile rebuilds only what it must.
# (Their debug information names the source paths of the clone that built
# them.)
MUSL_CACHE := $(or $(MOTE_CACHE),$(HOME)/.cache/mote)
MUSL_INPUTS := $(MUSL_DIR)/version $(sort $(MUSL_OWN_SRCS)) posix/musl/include/syscall_arch.h
musl_cache_key = { cat $(MUSL_INPUTS); sed 's|$(abspath .)|@TOP@|g' $(MUSL_BUILD)/config.mak; $(CC) --version; } \
                 | sha256sum | cut -c1-16

# musl's own makefile decides what is out of date inside build/musl.
# Under a lock: two sub-makes of one `make -j` (apps, boot-kernels) may both
# find libc.a out of date, and two musl builds in one folder write each
# other's objects half-way (seen: an empty unlink.o, then stored in the cache).
$(MUSL_LIB): $(MUSL_BUILD)/config.mak $(MUSL_OWN_SRCS) posix/musl/include/syscall_arch.h
	$(Q)exec 9>$(MUSL_BUILD)/build.lock && flock 9 && \
	cached=$(MUSL_CACHE)/musl-$$($(musl_cache_key)); \
	if [ -f $$cached/lib/libc.a ]; then \
	    $(if $(Q),echo "  MUSL    $@ (cached: $$cached)";) \
	    rm -rf $(MUSL_BUILD)/obj $(MUSL_BUILD)/lib $(MUSL_INC) && cp -R $$cached/obj $$cached/lib $$cached/include $(MUSL_BUILD)/; \
	else \
	    $(if $(Q),echo "  MUSL    $@ (musl's makefile, once; then cached in $$cached)";) \
	    $(MAKE) --no-print-directory -s -C $(MUSL_BUILD) -f $(abspath $(MUSL_SRC))/Makefile lib/libc.a install-headers \
	        >$(MUSL_BUILD)/build.log 2>&1 \
	        || { tail -n 30 $(MUSL_BUILD)/build.log; echo "musl build failed: $(MUSL_BUILD)/build.log"; exit 1; }; \
	    tmp=$$cached.tmp.$$$$ && rm -rf $$tmp && mkdir -p $$tmp && \
	    cp -R $(MUSL_BUILD)/obj $(MUSL_BUILD)/lib $(MUSL_INC) $(MUSL_BUILD)/build.log $$tmp/ && \
	    { mv -T $$tmp $$cached 2>/dev/null || rm -rf $$tmp; }; \
	fi
	$(Q)touch $@

$(MUSL_DIR)/stamp:
	scripts/deps.sh --musl

musl: $(MUSL_LIB)
.PHONY: musl

# The system call layer (posix/, kernel code) and the kernel sealed for a
# musl image: build/musl/kernel.o is the kernel's objects and the layer's in
# one relocatable object in which
#   - the kernel's call of main(argc, argv) calls posix_main instead
#     (posix/start.c: the program's stack; then posix/musl/start.c, musl's
#     startup, which calls the application's main);
#   - every name the kernel defines that musl defines too is made local to
#     it (its own malloc, printf, strtol...: the kernel keeps using them, the
#     application gets musl's), except memcpy, memmove, memset and memcmp:
#     one copy of each in the image, the kernel's (libc/string.c, which
#     touches no SSE register, so it is safe in event upcalls), used by musl
#     too. The list made local is build/musl/kernel-private.txt.
POSIX_SRCS := $(wildcard posix/*.c)
MUSL_KERNEL := $(MUSL_BUILD)/kernel.o
MUSL_SHARED := memcpy memmove memset memcmp

# The kernel of a musl image is its sources built a second time, into
# build/musl/kernel/, with two differences:
#   - MOTE_POSIX=1: threads carry a C library's %fs base (kernel/thread.c),
#     which other images do without, and the thread switch stores no
#     stack-check limit there (arch/x86_64/switch.S);
#   - no -fsplit-stack: the stack overflow check reads its limit at %fs:0x70
#     (arch/stack_check.h), and in a musl image %fs is musl's thread pointer,
#     whose struct pthread has a field of its own there. A musl image's
#     overflow is caught by the guard page alone (a silent crash by Xen).
# Each file keeps the flags the Makefile gives it (HOT_SRCS at -O2, the
# libc parts that take doubles with SSE).
MUSL_KOBJ := $(MUSL_BUILD)/kernel
# The network stack (lwIP and net/, as `APP_USES := net` links it) is in
# every musl image, for posix/socket.c's sockets; it starts with the first
# socket, so a program without one only carries its code.
MUSL_NET_SRCS := $(LWIP_SRCS) $(NET_SRCS)
MUSL_KERNEL_OBJS := $(patsubst $(BUILD)/%,$(MUSL_KOBJ)/%,$(filter-out $(PRINTF_FP_OBJ),$(KERNEL_OBJS))) \
                    $(patsubst %,$(MUSL_KOBJ)/%.o,$(POSIX_SRCS) $(MUSL_NET_SRCS))
musl_kflags = $(filter-out -fsplit-stack,$(if $(filter $<,$(LIBC_FP_SRCS)),$(FP_CFLAGS),$(CFLAGS))) \
              $(if $(filter $<,$(HOT_SRCS) $(MUSL_NET_SRCS)),$(HOT_CFLAGS)) \
              $(if $(filter posix/%,$<),-Iposix $(LWIP_INC)) \
              $(if $(filter $<,$(MUSL_NET_SRCS)),$(LWIP_INC)) \
              $(if $(filter $<,$(LWIP_SRCS)),$(LWIP_WARN_RELAX)) -DMOTE_POSIX=1
$(patsubst %,$(MUSL_KOBJ)/%.o,$(POSIX_SRCS) $(MUSL_NET_SRCS)): | $(LWIP_DIR)/stamp
$(MUSL_KOBJ)/%.c.o: %.c | $(DEPS)/stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< (musl image)")
	$(Q)$(CC) $(musl_kflags) -c $< -o $@
$(MUSL_KOBJ)/%.S.o: %.S | $(DEPS)/stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $< (musl image)")
	$(Q)$(CC) $(filter-out -fsplit-stack,$(ASFLAGS)) -DMOTE_POSIX=1 -c $< -o $@

$(MUSL_KERNEL): $(MUSL_KERNEL_OBJS) $(MUSL_LIB) mk/musl.mk
	@$(if $(Q),echo "  LD -r   $@")
	$(Q)$(LD) -r -z noexecstack -o $@.tmp $(filter-out $(MUSL_LIB) mk/musl.mk,$^)
	$(Q)$(NM) --defined-only -g $(MUSL_LIB) 2>/dev/null | awk 'NF == 3 { print $$3 }' | sort -u > $@.musl.txt
	$(Q)$(NM) --defined-only -g $@.tmp | awk 'NF == 3 { print $$3 }' | sort -u | comm -12 - $@.musl.txt \
	    | grep -vxE '$(subst $(space),|,$(MUSL_SHARED))' > $(MUSL_BUILD)/kernel-private.txt
	$(Q)$(OBJCOPY) --redefine-sym main=posix_main \
	    --localize-symbols=$(MUSL_BUILD)/kernel-private.txt $@.tmp $@
	$(Q)rm -f $@.tmp $@.musl.txt
space := $(subst ,, )

# What scripts/mote-cc compiles and links with: written here so that the
# flags have one home. Paths are absolute (mote-cc runs anywhere).
MUSL_APP_ABI := -mcmodel=kernel -mno-red-zone -fno-pic -fno-pie -ffunction-sections -fdata-sections \
                -nostdinc -isystem $(abspath $(MUSL_INC)) -isystem $(GCC_INC) \
                -I$(abspath api) -isystem $(abspath $(XEN_INC)) \
                -D__XEN_INTERFACE_VERSION__=$(XEN_INTERFACE_VERSION)
MUSL_CC_CONF := $(MUSL_BUILD)/mote-cc.conf
$(MUSL_CC_CONF): mk/musl.mk Makefile | $(MUSL_LIB)
	$(Q){ echo "# Written by mk/musl.mk for scripts/mote-cc."; \
	  echo "MOTE_CC_CFLAGS='$(MUSL_APP_ABI)'"; \
	  echo "MOTE_CC_LDFLAGS='$(subst linker.ld,$(abspath linker.ld),$(LDFLAGS))'"; \
	} > $@

# The application boundary for a musl program (scripts/api-symbols.sh
# check, run by mote-cc at link time): it may use mote's public API
# (<mote.h>) and what musl defines, not the kernel's other functions.
MUSL_API := $(MUSL_BUILD)/api-symbols.txt
$(MUSL_API): $(BUILD)/api-symbols.txt $(MUSL_LIB)
	$(Q){ cat $(BUILD)/api-symbols.txt; \
	  $(NM) --defined-only -g $(MUSL_LIB) 2>/dev/null | awk 'NF == 3 { print $$3 }'; } | sort -u > $@

# Everything mote-cc needs: musl, its headers, the sealed kernel.
musl-sdk: $(MUSL_LIB) $(MUSL_KERNEL) $(MUSL_CC_CONF) $(MUSL_API) $(BUILD)/ksyms-empty.o
.PHONY: musl-sdk

ifeq ($(APP_LIBC),musl)
# A musl application: its objects are built with musl's headers, <mote.h>
# and its own flags (app.mk's CPPFLAGS and CFLAGS; without CFLAGS, the
# project's -O2 -Wall -Wextra -Werror), and linked by scripts/mote-cc.
MUSL_APP_CFLAGS := $(MUSL_APP_ABI) -g -MMD -MP $(APP_CPPFLAGS) \
                   $(if $(APP_CFLAGS),$(APP_CFLAGS),-std=gnu11 -O2 -Wall -Wextra -Werror)
$(APP_OBJS): CFLAGS := $(MUSL_APP_CFLAGS)
$(APP_OBJS): ASFLAGS := $(MUSL_APP_CFLAGS) -D__ASSEMBLY__
$(APP_OBJS): | $(MUSL_LIB)

$(APP_ELF): $(APP_OBJS) $(MUSL_LIB) $(MUSL_KERNEL) $(MUSL_CC_CONF) $(MUSL_API) $(BUILD)/ksyms-empty.o \
            scripts/mote-cc
	@test -n "$(APP_SRCS)" || { echo "error: no sources in $(APP) (APP=apps/NAME)"; exit 1; }
	@$(if $(Q),echo "  MOTE-CC $@")
	$(Q)CC="$(CC)" LD="$(LD)" NM="$(NM)" scripts/mote-cc -o $@ $(APP_OBJS)
endif

-include $(MUSL_KERNEL_OBJS:.o=.d)

# The host test of the system call names (tests/unit/test_syscall_names.c).
$(BUILD)/host/test_syscall_names: posix/syscall_list.h
