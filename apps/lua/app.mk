# SPDX-License-Identifier: MIT
# Lua 5.4 (Debian's `lua5.4` source package, unchanged: scripts/deps.sh
# --lua puts it in .cache/lua5.4/src) on musl: the stand-alone interpreter,
# lua.c, with the whole library, built with Lua's own flags for Linux
# (src/Makefile's `linux` target: LUA_COMPAT_5_3, LUA_USE_LINUX) and
# without readline. The image is build/lua.elf; its command line is lua's.
APP_LIBC := musl
LUA_SRC := .cache/lua5.4/src/src
APP_SRCS := $(addprefix $(LUA_SRC)/,lapi.c lcode.c lctype.c ldebug.c ldo.c ldump.c lfunc.c lgc.c \
              llex.c lmem.c lobject.c lopcodes.c lparser.c lstate.c lstring.c ltable.c ltm.c \
              lundump.c lvm.c lzio.c lauxlib.c lbaselib.c lcorolib.c ldblib.c liolib.c \
              lmathlib.c loadlib.c loslib.c lstrlib.c ltablib.c lutf8lib.c linit.c lua.c)
CPPFLAGS := -DLUA_COMPAT_5_3 -DLUA_USE_LINUX -Iapps/lua/include
# Lua's own warning policy (src/Makefile's CWARNS), not the project's.
CFLAGS := -std=gnu99 -O2 -Wall -Wextra
$(APP_SRCS):
	scripts/deps.sh --lua
