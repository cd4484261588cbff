# SPDX-License-Identifier: MIT
# netcat 1.10 with Debian's patches (netcat-traditional), built from
# Debian's `netcat` source package unchanged (scripts/deps.sh --netcat puts
# it in .cache/netcat/src) on musl, with the flags Debian's rules give it
# (debian/rules: -DLINUX -DTELNET -DIP_TOS), but without
# -DGAPING_SECURITY_HOLE: `-e` needs fork and exec, which mote has not.
# The image is build/nc.elf; its command line is nc's own.
APP_LIBC := musl
NETCAT_SRC := .cache/netcat/src
APP_SRCS := $(NETCAT_SRC)/netcat.c
CPPFLAGS := -DLINUX -DTELNET -DIP_TOS \
            -DDEBIAN_VERSION='"$(shell sed -n 's/^netcat_\(.*\)\.dsc$$/\1/p' .cache/netcat/version 2>/dev/null)"'
# 1990s C: the warning policy is the original's (none), not the project's.
CFLAGS := -std=gnu89 -O2 -w
$(NETCAT_SRC)/netcat.c:
	scripts/deps.sh --netcat
