#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build (once per machine) and cache a Xen hypervisor that can live-migrate
# PV guests: Debian's own `xen` source package, the version of the
# xen-hypervisor-4.17-amd64 binary scripts/deps.sh downloads, configured with
# Debian's .config plus the one change CONFIG_SHADOW_PAGING=y.
#
#   scripts/xen-shadow.sh          build what is missing; print the image's path
#   scripts/xen-shadow.sh --path   print the image's path only (no build)
#
# Why: Debian's binary is built with "# CONFIG_SHADOW_PAGING is not set". A
# PV guest's log-dirty mode runs on the shadow code (paging_log_dirty_enable
# -> shadow_enable for a PV domain), so without it XEN_DOMCTL_SHADOW_OP_
# ENABLE_LOGDIRTY fails with EOPNOTSUPP (95) and `xl migrate`, always live,
# stops with "Failed to enable logdirty: 95". Only the hypervisor is built
# (`make -C xen`); the tools in the dom0 stay Debian's binaries, which talk to
# this hypervisor because it is the same version.
#
# Source: `apt-get source --download-only xen=VERSION` through a private
# deb-src list (the host's apt configuration is untouched), unpacked with
# dpkg-source -x (Debian's patches applied, source unchanged otherwise) into
# the ignored .cache/xen-src. The image and the build log are cached outside
# the clone under $MOTE_CACHE (default ~/.cache/mote):
#   xen-shadow-VERSION/xen        the uncompressed image (QEMU's multiboot loader)
#   xen-shadow-VERSION/config     the .config it was built with
#   xen-shadow-VERSION/build.log  make's output
#   xen-shadow-VERSION/source     the source package built (its .dsc name)
# VERSION is the binary package's version, whose tools the dom0 runs.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${MOTE_CACHE:-$HOME/.cache/mote}
deps="$top/.cache/deps"
src_cache="$top/.cache/xen-src"

say() { printf 'xen-shadow: %s\n' "$*" >&2; }
die() { printf 'xen-shadow: error: %s\n' "$*" >&2; exit 1; }

[ -f "$deps/stamp" ] || "$top/scripts/deps.sh" --no-qemu >/dev/null

# The Debian version of the binary hypervisor, from the .deb deps.sh kept:
# xen-hypervisor-4.17-amd64_4.17.7+13-g2445b30a44-0+deb12u1_amd64.deb.
binary_version() {
    local deb
    deb=$(grep '^xen-hypervisor-' "$deps/versions") || die "no xen-hypervisor .deb in $deps/versions"
    deb=${deb#*_}
    echo "${deb%_*}"
}

version=$(binary_version)
out="$cache/xen-shadow-$version"
if [ "${1:-}" = --path ]; then echo "$out/xen"; exit 0; fi
if [ -f "$out/xen" ]; then echo "$out/xen"; exit 0; fi

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "this step needs root (or sudo): $*"; fi
}

# What `make -C xen` needs: a C toolchain, python3 (generated headers),
# flex and bison (Kconfig), dpkg-source to unpack.
install_build_deps() {
    local missing=() tool pkg
    for tool in gcc:gcc make:make python3:python3 flex:flex bison:bison \
                dpkg-source:dpkg-dev; do
        pkg=${tool#*:}
        command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} = 0 ] && return 0
    say "installing the hypervisor's build dependencies with apt: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
        || die "could not install ${missing[*]}; run as root: apt-get install ${missing[*]}"
}

# The first Debian mirror and suite the host's apt uses ("URL SUITE").
debian_mirror() {
    "$top/scripts/deps.sh" --mirror
}

# A private deb-src list (FILE SUITE...) and the apt options that use it.
source_list() {
    local list=$1 mirror suite; shift
    mirror=$(debian_mirror) || die "no Debian mirror in /etc/apt: Xen's source comes from Debian's xen source package"
    mirror=${mirror% *}
    for suite in "$@"; do
        case $suite in
            *-security) echo "deb-src ${mirror}-security $suite main" ;;
            *) echo "deb-src $mirror $suite main" ;;
        esac
    done > "$list"
}

apt_source() {  # apt_source DIR LIST SPEC: download SPEC's source into DIR/src
    local opts=(-o "Dir::Etc::SourceList=$2" -o Dir::Etc::SourceParts=/dev/null
                -o "Dir::State::Lists=$1/lists" -o "Dir::Cache=$1/cache" -qq)
    rm -rf "$1/lists" "$1/src" && mkdir -p "$1/lists/partial" "$1/src" && chmod 0777 "$1/src"
    apt-get "${opts[@]}" update >&2 || die "apt-get update of the private deb-src list failed"
    (cd "$1/src" && apt-get "${opts[@]}" source --download-only "$3" >&2)
}

# Debian's xen source at exactly the binary's version (it comes from the
# security suite). Where the mirror lists that version but does not serve its
# files, the newest xen the main suite serves: still 4.17, whose stable
# branch keeps the domctl and sysctl interface versions the tools check.
fetch_source() {
    local suite tmp="$src_cache.tmp"
    [ -f "$src_cache/stamp" ] && return 0
    suite=$(debian_mirror) || die "no Debian mirror in /etc/apt"
    suite=${suite#* }
    rm -rf "$tmp" && mkdir -p "$tmp"
    source_list "$tmp/exact.list" "$suite" "$suite-updates" "$suite-security"
    say "downloading the xen $version source package (apt-get source --download-only, private source list)"
    if ! apt_source "$tmp" "$tmp/exact.list" "xen=$version"; then
        say "xen $version is listed but not served here; falling back to the newest xen in $suite"
        source_list "$tmp/main.list" "$suite"
        apt_source "$tmp" "$tmp/main.list" xen || die "apt-get source --download-only xen failed"
    fi
    (cd "$tmp/src" && dpkg-source -x --no-check ./*.dsc xen >&2) || die "dpkg-source -x failed"
    [ -f "$tmp/src/xen/xen/Makefile" ] || die "no xen/Makefile in the xen source package"
    local dsc
    dsc=$(cd "$tmp/src" && ls ./*.dsc | sed 's|^\./||')
    case $dsc in xen_4.17.*) ;; *) die "Debian's xen source is $dsc, not 4.17 like the binary tools" ;; esac
    rm -rf "$src_cache" && mv "$tmp/src/xen" "$src_cache"
    echo "$dsc" > "$src_cache/version"
    rm -rf "$tmp"
    touch "$src_cache/stamp"
}

# Debian's .config with the one change; olddefconfig settles what the new
# option selects, and the check below proves the change took.
build() {
    local tmp="$out.tmp" config="$deps/root/boot/xen-4.17-amd64.config"
    [ -f "$config" ] || die "no Debian hypervisor config at $config"
    rm -rf "$tmp" && mkdir -p "$tmp"
    make -C "$src_cache/xen" distclean >/dev/null 2>&1 || true
    sed 's/^# CONFIG_SHADOW_PAGING is not set$/CONFIG_SHADOW_PAGING=y/' "$config" > "$src_cache/xen/.config"
    say "building the hypervisor with CONFIG_SHADOW_PAGING=y (make -C xen; 10-20 min, once; log: $out/build.log)"
    # Xen's build runs python for each compat header; Debian's own python3,
    # not a version manager's shim on PATH (2 s a start here against 0.25 s).
    local py
    py=$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || command -v python3)
    if ! { make -C "$src_cache/xen" PYTHON="$py" olddefconfig &&
           make -C "$src_cache/xen" PYTHON="$py" -j"$(nproc)"; } > "$tmp/build.log" 2>&1; then
        mkdir -p "$out" && cp "$tmp/build.log" "$out/build.log"
        die "make -C xen failed; see $out/build.log"
    fi
    grep -qx 'CONFIG_SHADOW_PAGING=y' "$src_cache/xen/.config" || die "CONFIG_SHADOW_PAGING=y did not stay in .config"
    cp "$src_cache/xen/.config" "$tmp/config"
    cp "$src_cache/xen/xen" "$tmp/xen"
    cp "$src_cache/version" "$tmp/source"
    rm -rf "$out" && mv "$tmp" "$out"
}

# One build at a time on the machine (the cache and .cache/xen-src are
# shared by every clone and worktree); a second caller waits, then finds
# the image built.
mkdir -p "$cache"
exec 9> "$cache/xen-shadow.lock"
flock 9
if [ -f "$out/xen" ]; then echo "$out/xen"; exit 0; fi
install_build_deps
fetch_source
build
say "built $out/xen"
echo "$out/xen"
