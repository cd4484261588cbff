# SPDX-License-Identifier: MIT
# A POSIX sockets program on musl (mk/musl.mk), run as a domU against
# dom0's nc (tests/boot/sockets.sh).
APP_LIBC := musl
CFLAGS := -std=c11 -O2 -Wall -Wextra -Werror
CPPFLAGS := -D_GNU_SOURCE
