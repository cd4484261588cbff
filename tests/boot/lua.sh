# SPDX-License-Identifier: MIT
# The Lua port (apps/lua: Debian's lua5.4, unchanged, on musl): lua's own
# command line, `-e` chunks, no files.

test_boot_dom0_lua_command_line() {
    boot "$TOP/build/lua.elf" -e '"print(([[mote]]):upper(), 6*7, math.sqrt(2), _VERSION)"' \
        -e '"t = {} for i = 1, 1000 do t[i] = i * i end print(t[1000], string.format([[%.2f]], math.pi))"' \
        -e '"print(select([[#]], string.byte([[hello]], 1, -1)), tostring(nil), 2^53 == 2^53 + 1)"'
    expect_rc 0
    expect $'^MOTE\t42\t1\\.4142135623731\tLua 5\\.4$'
    expect $'^1000000\t3\\.14$'
    expect $'^5\tnil\ttrue$'
    expect_not 'mote: syscall: '
}

# A Lua error ends lua with status 1, which crashes the domain with it;
# the message names the chunk as lua does.
test_boot_dom0_lua_error_status() {
    boot "$TOP/build/lua.elf" -e '"error([[boom]])"'
    expect_rc 3
    expect '^mote: \(command line\):1: boom$'
    expect '^mote: exit\(1\)$'
}
