# SPDX-License-Identifier: MIT
# Stack overflows and deep stacks in a program on musl (mk/musl.mk).
APP_LIBC := musl
CFLAGS := -std=c11 -O2 -Wall -Wextra -Werror
CPPFLAGS := -D_GNU_SOURCE
