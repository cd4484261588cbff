# SPDX-License-Identifier: MIT
# Static Linux programs for the user-mode tests (tests/user/*.c), built on
# the host with Debian's musl-gcc (musl-tools and musl-dev, unpacked by
# scripts/deps.sh --musl-tools into .cache/musl-tools, never installed),
# exactly as `musl-gcc -static` builds them: the gcc driver with musl-gcc's
# specs file, a copy pointed at the unpacked root instead of /usr.
# Included by the Makefile. `make build/user/NAME` builds one; an image
# links them in as blobs (tests/apps/usermode/progs.S).

MUSL_TOOLS      := .cache/musl-tools
MUSL_TOOLS_ROOT := $(abspath $(MUSL_TOOLS))/root
USER_PROGS_DIR  := $(BUILD)/user
USER_SPECS      := $(USER_PROGS_DIR)/musl-gcc.specs

$(MUSL_TOOLS)/stamp:
	scripts/deps.sh --musl-tools

$(USER_SPECS): $(MUSL_TOOLS)/stamp mk/user_progs.mk
	@mkdir -p $(dir $@)
	$(Q)sed 's|/usr/|$(MUSL_TOOLS_ROOT)/usr/|g' \
	    $(MUSL_TOOLS)/root/usr/lib/x86_64-linux-musl/musl-gcc.specs > $@

$(USER_PROGS_DIR)/%: tests/user/%.c $(USER_SPECS)
	@$(if $(Q),echo "  MUSLGCC $@")
	$(Q)$(CC) -specs $(USER_SPECS) -static -O2 -Wall -Wextra -Werror -o $@ $<
