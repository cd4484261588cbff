# SPDX-License-Identifier: MIT
# An ordinary POSIX program on musl (mk/musl.mk), with its own flags.
APP_LIBC := musl
CFLAGS := -std=c11 -O2 -Wall -Wextra -Werror
CPPFLAGS := -D_GNU_SOURCE
