#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build (once) and cache the dom0 that boots mote as a domU under the real xl
# toolstack: a Debian bookworm Linux kernel (its ELF vmlinux) and a small
# initramfs with busybox, xl, xenstored, xenconsoled, xen-init-dom0, their
# shared libraries and the Xen kernel modules. scripts/qemu-domu boots it.
#
#   scripts/domu-stack.sh          build what is missing; print where it is
#   scripts/domu-stack.sh --path   print the stack directory only (no build)
#
# The cache lives outside the clone, under $MOTE_CACHE (default
# ~/.cache/mote), in a directory named after STACK_VERSION, so every clone,
# CI run and later run on the machine reuses it. Change STACK_VERSION when
# what goes into the initramfs changes, ROOTFS_VERSION when the debootstrap
# tree must change (its package list): a new STACK_VERSION reuses the tree of
# ROOTFS_VERSION, so it takes seconds, not minutes.
#   domu-stack-$ROOTFS_VERSION/rootfs/    the debootstrap tree (~200 s, once)
#   domu-stack-$STACK_VERSION/vmlinux     dom0 kernel, ELF (Xen loads it fast)
#   domu-stack-$STACK_VERSION/base.cpio.gz  the dom0 initramfs without /init
# The dom0's /init and the guest come in a second cpio appended per run.
set -euo pipefail

STACK_VERSION=bookworm-xen4.17-5
ROOTFS_VERSION=bookworm-xen4.17-2
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${MOTE_CACHE:-$HOME/.cache/mote}
stack="$cache/domu-stack-$STACK_VERSION"
rootfs="$cache/domu-stack-$ROOTFS_VERSION/rootfs"

say() { printf 'domu-stack: %s\n' "$*" >&2; }
die() { printf 'domu-stack: error: %s\n' "$*" >&2; exit 1; }

if [ "${1:-}" = --path ]; then echo "$stack"; exit 0; fi

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "this step needs root (or sudo): $*"; fi
}

apt_install() {  # apt_install PACKAGE...
    say "installing $* with apt"
    as_root apt-get update -qq >&2 || die "apt-get update failed"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 \
        || die "could not install $*; run as root: apt-get install $*"
}

# The Debian mirror apt already uses (deb822 .sources files or one-line
# sources.list), so the stack comes from wherever this machine gets Debian.
find_mirror() {
    local f url
    for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        url=$(awk '
            /^[[:space:]]*#/ { next }
            /^URIs:/ { uri = $2 }
            /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm" && uri != "") { print uri; exit } }
            /^[[:space:]]*$/ { uri = "" }
            $1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($(i+1) == "bookworm") { print $i; exit } break } }
        ' "$f")
        if [ -n "$url" ]; then echo "$url"; return 0; fi
    done
    return 1
}

build_rootfs() {
    local mirror
    command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
    mirror=$(find_mirror) || die "no bookworm mirror in /etc/apt/sources.list*; set MIRROR=URL"
    mirror=${MIRROR:-$mirror}
    local dir=${rootfs%/rootfs}
    say "debootstrap bookworm from $mirror into $rootfs (about 200 s, once)"
    as_root rm -rf "$rootfs.tmp"
    mkdir -p "$dir"
    as_root debootstrap --variant=minbase \
        --include=linux-image-amd64,xen-utils-4.17,xen-utils-common,xenstore-utils,busybox,kmod,iperf,netcat-openbsd \
        bookworm "$rootfs.tmp" "$mirror" > "$dir/debootstrap.log" 2>&1 \
        || die "debootstrap failed; see $dir/debootstrap.log"
    as_root mv "$rootfs.tmp" "$rootfs"
}

# Linux's scripts/extract-vmlinux, in short: find the compressed payload in
# the bzImage by its magic bytes and decompress it until the result is an ELF.
extract_vmlinux() {  # extract_vmlinux BZIMAGE OUT
    local img=$1 out=$2 off
    for magic in '\037\213\010' 'BZh' '\3757zXZ\000' '\211LZO' '(\265/\375'; do
        local tool
        case $magic in
            '\037\213\010') tool="gunzip -c" ;; 'BZh') tool="bunzip2 -c" ;;
            '\3757zXZ\000') tool="unxz -c" ;; '\211LZO') tool="lzop -dc" ;;
            *) tool="unzstd -c" ;;
        esac
        for off in $(LC_ALL=C grep -aboP "$(printf "$magic" | od -An -tx1 | sed 's/ /\\x/g')" "$img" | cut -d: -f1); do
            tail -c +$((off + 1)) "$img" | $tool > "$out" 2>/dev/null || true
            if [ "$(head -c 4 "$out" | od -An -c | tr -d ' ')" = '177ELF' ]; then return 0; fi
        done
    done
    return 1
}

# Copy FILE from the rootfs into the initramfs tree, with the shared
# libraries it needs (ldd run inside the rootfs, so they are bookworm's).
copy_with_libs() {  # copy_with_libs INITRAMFS_DIR PATH_IN_ROOTFS...
    local dst=$1 f lib
    shift
    for f in "$@"; do
        mkdir -p "$dst$(dirname "$f")"
        cp -a "$rootfs$f" "$dst$f"
        for lib in $(as_root chroot "$rootfs" ldd "$f" 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
            [ -e "$dst$lib" ] && continue
            mkdir -p "$dst$(dirname "$lib")"
            cp -L "$rootfs$lib" "$dst$lib"
        done
    done
}

build_initramfs() {
    local root="$rootfs" dst="$stack/initramfs.tmp" kver moddir m dep xenbin
    kver=$(ls "$root/lib/modules" | sort -V | tail -n1)
    [ -n "$kver" ] || die "no kernel modules in the rootfs"
    say "extracting vmlinux from $root/boot/vmlinuz-$kver"
    extract_vmlinux "$root/boot/vmlinuz-$kver" "$stack/vmlinux.tmp" || die "could not extract vmlinux from the bzImage"
    mv "$stack/vmlinux.tmp" "$stack/vmlinux"

    say "assembling the dom0 initramfs"
    rm -rf "$dst" && mkdir -p "$dst"/{bin,sbin,etc,proc,sys,dev,tmp,run,var/log/xen,var/run/xen,var/lib/xen,var/lib/xenstored,guest}
    # Debian puts the Xen tools in /usr/lib/xen-4.17/bin (the /usr/sbin names
    # are wrappers that pick a version); the init script calls them there.
    xenbin=/usr/lib/xen-4.17/bin
    [ -x "$root$xenbin/xl" ] || die "no $xenbin/xl in the rootfs"
    copy_with_libs "$dst" /bin/busybox "$xenbin/xl" "$xenbin/xenconsoled" "$xenbin/xen-init-dom0" \
        /usr/bin/xenstore-read /usr/bin/xenstore-write /usr/bin/xenstore-ls /usr/bin/xenstore-rm \
        /usr/bin/xenstore-list /usr/bin/xenstore-watch /usr/bin/xenstore-chmod
    # util-linux's losetup for the block hotplug script (scripts/domu/block):
    # busybox's cannot set a loop device's sector size (-b 4096).
    copy_with_libs "$dst" /usr/sbin/losetup
    # coreutils' dd as /usr/bin/dd (busybox's stays /bin/dd): it reports the
    # time a copy took, which make bench compares blkfront with (bench/blk.sh).
    copy_with_libs "$dst" /usr/bin/dd
    # xl save/restore/migrate run libxl-save-helper to stream the guest's
    # memory; the network tests use iperf 2 and OpenBSD netcat as clients.
    copy_with_libs "$dst" "$xenbin/libxl-save-helper" /usr/bin/iperf /bin/nc.openbsd
    # xenstored: the C daemon if the rootfs has it, else the OCaml one.
    local xs
    for xs in /usr/sbin/xenstored "$xenbin/xenstored" /usr/sbin/oxenstored "$xenbin/oxenstored"; do
        if [ -f "$root$xs" ] && [ ! -L "$root$xs" ]; then copy_with_libs "$dst" "$xs"; ln -sf "$xs" "$dst/sbin/xenstored.mote"; break; fi
    done
    [ -L "$dst/sbin/xenstored.mote" ] || die "no xenstored in the rootfs"
    # glibc loads libgcc_s at run time (pthread_cancel, in xl); ldd cannot see it.
    mkdir -p "$dst/lib/x86_64-linux-gnu"
    cp -L "$root/usr/lib/x86_64-linux-gnu/libgcc_s.so.1" "$dst/lib/x86_64-linux-gnu/" \
        || die "cannot copy libgcc_s.so.1 from the rootfs"
    [ -d "$root/etc/xen" ] && cp -a "$root/etc/xen" "$dst/etc/"
    for xs in /etc/xen/oxenstored.conf; do [ -f "$root$xs" ] && cp "$root$xs" "$dst$xs"; done
    mkdir -p "$dst/usr/lib/xen-4.17" && cp -a "$root/usr/lib/xen-4.17/boot" "$dst/usr/lib/xen-4.17/" 2>/dev/null || true
    as_root chroot "$root" /bin/busybox --list-full | while read -r applet; do
        [ -e "$dst/$applet" ] || { mkdir -p "$dst/$(dirname "$applet")"; ln -s /bin/busybox "$dst/$applet"; }
    done

    # The Xen modules and what they depend on (modules.dep), uncompressed
    # so busybox insmod can load them in order: the toolstack's, the block
    # and network backends (xen-blkback, xen-netback), the block devices
    # blkback serves, loop (for `file:` disks) and brd (RAM disks
    # /dev/ram0-1 for `phy:` disks).
    moddir=/lib/modules/$kver
    mkdir -p "$dst$moddir"
    : > "$stack/modules.order.tmp"
    for m in xen-privcmd xenfs xen-evtchn xen-gntdev xen-gntalloc xen-blkback xen-netback loop brd; do
        local path
        path=$(as_root chroot "$root" modinfo -k "$kver" -F filename "$m" 2>/dev/null) \
            || die "no kernel module $m in linux-image $kver"
        [ "$path" = "(builtin)" ] && continue
        for dep in $(as_root chroot "$root" modprobe -S "$kver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'); do
            grep -qxF "$dep" "$stack/modules.order.tmp" && continue
            echo "$dep" >> "$stack/modules.order.tmp"
        done
    done
    while read -r dep; do
        local out="$dst$moddir/$(basename "${dep%.xz}")"
        case $dep in
            *.ko.xz) xz -dc "$root$dep" > "$out" ;;
            *.ko.zst) zstd -qdc "$root$dep" > "$out" ;;
            *) cp "$root$dep" "$out" ;;
        esac
        # One line per module: its file, then its parameters. brd: two
        # 64 MiB RAM disks (pages are allocated only when written).
        case $(basename "$out") in
            brd.ko) echo "brd.ko rd_nr=2 rd_size=65536" ;;
            *) basename "$out" ;;
        esac >> "$dst/etc/modules.mote"
    done < "$stack/modules.order.tmp"
    rm -f "$stack/modules.order.tmp"

    # Modules only some tests load (scripts/qemu-domu adds them to a run
    # when DOMU_MODULES names them): kept out of the initramfs, because it is
    # unpacked into dom0's tmpfs rootfs, where a save image must fit too.
    # ext4: a file system fsfreeze can freeze (tmpfs cannot), to hold a
    # disk's writes back; its crc32c is the generic one, which loads on any CPU.
    for m in ext4; do
        rm -rf "$stack/modules/$m" && mkdir -p "$stack/modules/$m"
        for dep in $(as_root chroot "$root" modprobe -S "$kver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'); do
            case $dep in */crc32c-intel.ko*) continue ;; esac
            local out="$stack/modules/$m/$(basename "${dep%.xz}")"
            case $dep in
                *.ko.xz) xz -dc "$root$dep" > "$out" ;;
                *.ko.zst) zstd -qdc "$root$dep" > "$out" ;;
                *) cp "$root$dep" "$out" ;;
            esac
            basename "$out" >> "$stack/modules/$m/order"
        done
    done

    (cd "$dst" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -9) > "$stack/base.cpio.gz.tmp"
    mv "$stack/base.cpio.gz.tmp" "$stack/base.cpio.gz"
    rm -rf "$dst"
    say "initramfs: $(du -h "$stack/base.cpio.gz" | cut -f1), kernel $kver"
}

for tool in cpio gzip xz; do
    command -v "$tool" >/dev/null 2>&1 || apt_install "$tool"
done
# One build at a time per cache: two test runs (or clones) building the
# same rootfs or initramfs at once would mix their files.
mkdir -p "$cache"
exec 9> "$cache/.domu-stack.lock"
flock 9
[ -d "$rootfs" ] || build_rootfs
mkdir -p "$stack"
[ -f "$stack/base.cpio.gz" ] && [ -f "$stack/vmlinux" ] || build_initramfs
flock -u 9
say "stack: $stack (vmlinux, base.cpio.gz)"
