# SPDX-License-Identifier: MIT
# Shell functions for dom0 action scripts (scripts/qemu-domu sources this
# before the action, in busybox sh with `set -e`).

# wait_key PATH [SECONDS]: waits until the xenstore node PATH exists
# (default 20 s); fails with a message if it never does.
wait_key() {
    _tries=$(( ${2:-20} * 10 ))
    until xenstore-read "$1" >/dev/null 2>&1; do
        _tries=$((_tries - 1))
        if [ $_tries -le 0 ]; then echo "timed out waiting for xenstore $1"; return 1; fi
        sleep 0.1
    done
}

# timed CMD...: runs CMD and prints "took N s" (whole seconds) after it.
timed() {
    _t0=$(date +%s)
    "$@"
    echo "took $(( $(date +%s) - _t0 )) s: $*"
}

# wait_gone [SECONDS]: waits until the guest has ended by itself (no domain
# named $GUEST_NAME in xl list; default 30 s); fails if it is still there.
wait_gone() {
    # Wall-clock seconds, not a count of polls: on a busy host one `xl list`
    # takes a large part of a second.
    _end=$(( $(date +%s) + ${1:-30} ))
    while xl list | grep -q "^$GUEST_NAME "; do
        if [ "$(date +%s)" -ge $_end ]; then
            echo "timed out waiting for $GUEST_NAME to end"
            xl list
            return 1
        fi
        sleep 0.1
    done
    echo "$GUEST_NAME has ended"
}

# wait_log PATTERN [SECONDS]: waits until the guest's console log (written by
# xenconsoled --log=guest) has a line matching the grep pattern PATTERN
# (default 30 s); fails with a message if it never does.
wait_log() {
    _log=/var/log/xen/console/guest-$GUEST_NAME.log
    _tries=$(( ${2:-30} * 10 ))
    until grep -q "$1" "$_log" 2>/dev/null; do
        _tries=$((_tries - 1))
        if [ $_tries -le 0 ]; then echo "timed out waiting for \"$1\" in the console log"; return 1; fi
        sleep 0.1
    done
}

# run_guest ARGS...: creates the guest once more from /guest/guest.cfg with
# ARGS as its command line (xl create's KEY=VALUE override of `extra`), and
# waits until it has ended by itself (60 s). Its console goes to the same
# log and relay as the first guest's.
run_guest() {
    echo "run_guest $*"
    # The last guest's disks go first (libxl tears them down after the
    # domain has left xl list), so the new guest does not race for them.
    _end=$(( $(date +%s) + 30 ))
    while [ -n "$(xenstore-list /local/domain/0/backend/vbd 2>/dev/null)" ] && [ "$(date +%s)" -lt $_end ]; do
        sleep 0.1
    done
    xl create /guest/guest.cfg "extra=\"$*\"" >/dev/null
    wait_gone 60
}

# migrate_here [XL_MIGRATE_OPTION...]: xl migrate of the guest to this same
# dom0 (scripts/domu/migrate-here is the transport; 300 s at most, timed),
# then DOMID is the new domain's. The new domain is created as $GUEST_NAME--incoming and renamed
# once it runs; xenconsoled names its log after the name it had, so that
# log is made a link to the guest's, which the relay and wait_log follow.
migrate_here() {
    _dir=/var/log/xen/console
    ln -sf "guest-$GUEST_NAME.log" "$_dir/guest-$GUEST_NAME--incoming.log"
    timed timeout 300 xl migrate "$@" -s migrate-here "$GUEST_NAME" localhost
    DOMID=$(xl domid "$GUEST_NAME")
}
