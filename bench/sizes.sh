#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What each part of an image costs: text (with rodata), data and bss bytes
# per source directory, from the linker's map of the final link
# (build/NAME.elf.map, written by the Makefile's link rule), as a Markdown
# table. Only what --gc-sections kept is counted.
#
#   bench/sizes.sh build/mote.elf.map
set -euo pipefail
map=${1:?usage: bench/sizes.sh IMAGE.map}
[ -f "$map" ] || { echo "sizes.sh: no such map: $map" >&2; exit 1; }

awk '
    function hex(s,    i, n) {
        n = 0
        s = tolower(substr(s, 3))
        for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
        return n
    }
    # An output section starts in column 0: .text, .rodata, .data, .bss, ...
    /^\.[a-zA-Z_.]+/ { out = $1; pending = ""; next }
    /^[^ ]/ { out = ""; next }
    # An input section: " .name addr size file", or its name alone on one
    # line and "addr size file" on the next.
    /^ \.[^ ]+$/ { pending = $1; next }
    {
        if (out == "") next
        if ($1 ~ /^\./ && NF >= 4) { addr = $2; size = $3; file = $4 }
        else if (pending != "" && $1 ~ /^0x/ && NF >= 3) { addr = $1; size = $2; file = $3 }
        else { pending = ""; next }
        pending = ""
        if (size !~ /^0x/ || file !~ /\.o$/) next
        n = hex(size)
        if (n == 0) next
        dir = file
        sub(/^build\//, "", dir)
        if (dir ~ /\.ksyms\.o$/ || dir ~ /ksyms-empty/) dir = "(symbol table)"
        else { sub(/\/[^\/]*$/, "", dir) }
        if (out == ".bss") kind = "bss"
        else if (out == ".data") kind = "data"
        else if (out == ".text" || out == ".hypercall_page" || out == ".rodata" || out == ".ksyms" || out == ".note.Xen" || out == ".eh_frame") kind = "text"
        else next
        sz[dir, kind] += n; dirs[dir] = 1; tot[kind] += n
    }
    END {
        print "| part | text+rodata | data | bss | total |"
        print "| --- | ---: | ---: | ---: | ---: |"
        cmd = "sort -t\"|\" -k6 -n -r"
        for (d in dirs)
            printf "| %s | %d | %d | %d | %d |\n", d ~ /^\(/ ? d : "`" d "`", sz[d, "text"], sz[d, "data"], sz[d, "bss"],
                   sz[d, "text"] + sz[d, "data"] + sz[d, "bss"] | cmd
        close(cmd)
        printf "| all | %d | %d | %d | %d |\n", tot["text"], tot["data"], tot["bss"],
               tot["text"] + tot["data"] + tot["bss"]
    }
' "$map"
