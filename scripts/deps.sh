#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetch everything mote needs to build and boot, idempotently:
#   - Xen public headers (Debian's libxen-dev) and the hypervisor
#     (xen-hypervisor-4.17-amd64), downloaded with `apt-get download` and
#     unpacked with `dpkg -x` into .cache/deps. They are never installed:
#     installing the hypervisor package would rewrite the host's bootloader.
#   - lwIP's source (Debian's `lwip` source package), for the network apps:
#     `apt-get source --download-only` through a private source list (a
#     deb-src line for the mirror apt already uses), so the host's apt
#     configuration and lists are untouched, unpacked with dpkg-source -x
#     into .cache/lwip. Never vendored.
#   - musl's source (Debian's `musl` source package, 1.2.3), for applications
#     that use musl (APP_LIBC := musl), fetched the same way into .cache/musl.
#   - netcat's source (Debian's `netcat` source package, netcat-traditional
#     1.10 with Debian's patches applied), for apps/nc: --netcat, into
#     .cache/netcat.
#   - Lua 5.4's (Debian's `lua5.4` source package), for apps/lua: --lua,
#     into .cache/lua5.4.
#   - QEMU (qemu-system-x86), installed with apt when it is missing.
# The Makefile runs this when .cache/deps/stamp is missing. Prints where things are.
# `deps.sh --mirror` prints the Debian mirror and suite apt uses, and stops.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache="$top/.cache/deps"
stamp="$cache/stamp"
xen_pkg=xen-hypervisor-4.17-amd64
hdr_pkg=libxen-dev

say() { printf 'deps: %s\n' "$*" >&2; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else return 1; fi
}

# apt's package lists may be empty on a fresh machine; refresh them once.
apt_lists_ready() {
    # No grep -q: it would close the pipe early and, under pipefail, fail.
    apt-cache policy "$xen_pkg" 2>/dev/null | grep 'Candidate: [0-9]' >/dev/null
}

need_apt_update() {
    if ! apt_lists_ready; then
        say "refreshing apt package lists (apt-get update)"
        as_root apt-get update -qq >&2 || die "apt-get update failed; run it by hand as root"
    fi
}

fetch_xen() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: mote fetches Xen from Debian's packages (Debian 12 or later)"
    need_apt_update
    rm -rf "$cache.tmp" && mkdir -p "$cache.tmp/debs"
    # apt-get download drops privileges to _apt when it can write here.
    chmod 0777 "$cache.tmp/debs"
    say "downloading $xen_pkg and $hdr_pkg (apt-get download; not installed)"
    (cd "$cache.tmp/debs" && apt-get download "$xen_pkg" "$hdr_pkg" >&2) \
        || die "apt-get download $xen_pkg $hdr_pkg failed"
    for deb in "$cache.tmp"/debs/*.deb; do dpkg -x "$deb" "$cache.tmp/root"; done
    local xen_gz
    xen_gz=$(ls "$cache.tmp"/root/boot/xen-4.17*-amd64.gz | head -n1)
    [ -f "$xen_gz" ] || die "no xen-4.17-amd64.gz in $xen_pkg"
    # QEMU's multiboot loader needs the uncompressed image.
    gunzip -c "$xen_gz" > "$cache.tmp/xen"
    [ -f "$cache.tmp/root/usr/include/xen/xen.h" ] || die "no xen/xen.h in $hdr_pkg"
    ln -s root/usr/include "$cache.tmp/include"
    (cd "$cache.tmp/debs" && ls *.deb) > "$cache.tmp/versions"
    rm -rf "$cache" && mv "$cache.tmp" "$cache"
    touch "$stamp"
}

lwip_cache="$top/.cache/lwip"
lwip_pkg=lwip

# The first Debian mirror and suite the host's apt uses (deb822
# debian.sources or a one-line sources.list entry).
debian_mirror() {
    local f uri suite
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        uri=$(awk '/^URIs:/ { print $2; exit }' "$f")
        suite=$(awk '/^Suites:/ { print $2; exit }' "$f")
        case $uri in */debian) echo "$uri $suite"; return 0 ;; esac
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk '$1 == "deb" && $2 ~ /\/debian\/?$/ { print $2, $3; found = 1; exit } END { exit !found }' "$f" && return 0
    done
    return 1
}

# Download Debian source package $1 (apt-get source --download-only through a
# private deb-src list for the mirror apt already uses, so the host's apt
# configuration and lists are untouched) and unpack it with dpkg-source -x
# into $2 (a temporary directory; the caller checks and moves what it needs).
fetch_source_package() {
    local pkg=$1 tmp=$2 mirror
    mirror=$(debian_mirror) || die "no Debian mirror in /etc/apt: $pkg comes from Debian's $pkg source package"
    command -v dpkg-source >/dev/null 2>&1 || {
        say "dpkg-source not found: installing dpkg-dev with apt"
        need_apt_update
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dpkg-dev >&2 \
            || die "could not install dpkg-dev; run as root: apt-get install dpkg-dev"
    }
    rm -rf "$tmp" && mkdir -p "$tmp/lists/partial" "$tmp/src"
    # apt drops privileges to _apt when it can write where it downloads.
    chmod 0777 "$tmp/src"
    echo "deb-src ${mirror% *} ${mirror#* } main" > "$tmp/sources.list"
    local opts=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
                -o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache=$tmp/cache" -qq)
    say "downloading the $pkg source package (apt-get source --download-only, private source list)"
    apt-get "${opts[@]}" update >&2 || die "apt-get update of the private deb-src list failed"
    (cd "$tmp/src" && apt-get "${opts[@]}" source --download-only "$pkg" >&2) \
        || die "apt-get source --download-only $pkg failed"
    (cd "$tmp/src" && dpkg-source -x --no-check ./*.dsc "$pkg" >&2) || die "dpkg-source -x failed"
}

fetch_lwip() {
    local tmp="$lwip_cache.tmp"
    fetch_source_package "$lwip_pkg" "$tmp"
    [ -f "$tmp/src/lwip/src/include/lwip/init.h" ] || die "no src/include/lwip/init.h in $lwip_pkg"
    grep -q 'LWIP_VERSION_MAJOR *2' "$tmp/src/lwip/src/include/lwip/init.h" || die "$lwip_pkg is not lwIP 2.x"
    rm -rf "$lwip_cache" && mkdir -p "$lwip_cache"
    mv "$tmp/src/lwip/src" "$lwip_cache/src"
    (cd "$tmp/src" && ls ./*.dsc | sed 's|^\./||') > "$lwip_cache/version"
    rm -rf "$tmp"
    touch "$lwip_cache/stamp"
}

# install_source_tree PKG CACHE: the whole tree fetch_source_package
# unpacked in CACHE.tmp becomes CACHE/src, with the .dsc's name in
# CACHE/version and CACHE/stamp.
install_source_tree() {
    local pkg=$1 cache=$2
    rm -rf "$cache" && mkdir -p "$cache"
    mv "$cache.tmp/src/$pkg" "$cache/src"
    (cd "$cache.tmp/src" && ls ./*.dsc | sed 's|^\./||') > "$cache/version"
    rm -rf "$cache.tmp"
    touch "$cache/stamp"
}

# musl, the applications' C library (mk/musl.mk builds it), from Debian's
# `musl` source package: the whole unpacked tree in .cache/musl/src, unchanged.
musl_cache="$top/.cache/musl"
musl_pkg=musl

fetch_musl() {
    local tmp="$musl_cache.tmp"
    fetch_source_package "$musl_pkg" "$tmp"
    [ -f "$tmp/src/musl/arch/x86_64/syscall_arch.h" ] || die "no arch/x86_64/syscall_arch.h in $musl_pkg"
    grep -qx '1\.2\.[3-9]' "$tmp/src/musl/VERSION" || die "$musl_pkg is not musl 1.2.3 or a later 1.2 ($(cat "$tmp/src/musl/VERSION"))"
    install_source_tree "$musl_pkg" "$musl_cache"
}

# netcat 1.10 with Debian's patches (netcat-traditional), for the apps/nc
# port: Debian's `netcat` source package, unpacked (patches applied by
# dpkg-source) into .cache/netcat/src, unchanged.
netcat_cache="$top/.cache/netcat"
netcat_pkg=netcat

fetch_netcat() {
    local tmp="$netcat_cache.tmp"
    fetch_source_package "$netcat_pkg" "$tmp"
    [ -f "$tmp/src/netcat/netcat.c" ] || die "no netcat.c in $netcat_pkg"
    install_source_tree "$netcat_pkg" "$netcat_cache"
}

# Lua 5.4 (Debian's `lua5.4` source package), for the apps/lua port, into
# .cache/lua5.4/src, unchanged.
lua_cache="$top/.cache/lua5.4"
lua_pkg=lua5.4

fetch_lua() {
    fetch_source_package "$lua_pkg" "$lua_cache.tmp"
    [ -f "$lua_cache.tmp/src/$lua_pkg/src/lua.c" ] || die "no src/lua.c in $lua_pkg"
    install_source_tree "$lua_pkg" "$lua_cache"
}

# The host programs the build and tests run: QEMU, and cpio (the tests
# pack ramdisks with it). Installed from Debian's packages when missing.
ensure_host_tools() {
    local tool missing=()
    for tool in qemu-system-x86_64:qemu-system-x86 cpio:cpio; do
        command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]} with apt"
    need_apt_update
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; then
        die "could not install ${missing[*]}; run as root: apt-get install ${missing[*]}"
    fi
}

# --mirror: print the Debian mirror and suite (scripts/xen-shadow.sh uses it).
if [ "${1:-}" = --mirror ]; then debian_mirror; exit; fi
[ -f "$stamp" ] || fetch_xen
case "${1:-}" in
    --lwip) [ -f "$lwip_cache/stamp" ] || fetch_lwip; exit 0 ;;
    --musl) [ -f "$musl_cache/stamp" ] || fetch_musl; exit 0 ;;
    --netcat) [ -f "$netcat_cache/stamp" ] || fetch_netcat; exit 0 ;;
    --lua) [ -f "$lua_cache/stamp" ] || fetch_lua; exit 0 ;;
    --no-qemu) ;;
    *) ensure_host_tools ;;
esac
say "xen: $cache/xen, headers: $cache/include ($(tr '\n' ' ' < "$cache/versions"))"
