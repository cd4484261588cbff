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
