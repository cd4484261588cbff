# SPDX-License-Identifier: MIT
# A POSIX program using files, on musl (mk/musl.mk), with its own flags.
APP_LIBC := musl
CFLAGS := -std=c11 -O2 -Wall -Wextra -Werror
CPPFLAGS := -D_GNU_SOURCE
