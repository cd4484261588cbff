/* SPDX-License-Identifier: MIT */
/*
 * Build glue for apps/lua: Debian's lua5.4 luaconf.h includes this header,
 * which debian/rules writes at build time with the host's multiarch triplet
 * (used only in the default C module path, LUA_CDIR2). mote's is musl's.
 */
#define DEB_HOST_MULTIARCH "x86_64-linux-musl"
