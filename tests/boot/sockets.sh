# SPDX-License-Identifier: MIT
# Sockets, poll, select and epoll on the descriptor table (posix/socket.c,
# posix/poll.c, posix/epoll.c): tests/apps/sockets, a POSIX program on musl,
# as a domU at 192.0.2.2 against dom0's nc (netcat-openbsd) over the vif.

SOCKETS_MAC=00:16:3e:5e:00:01

sockets_cfg() {
    DOMU_CFG=$LOG_DIR/$CURRENT_TEST.cfg
    { cat "$TOP/scripts/mote.cfg"; echo "vif = [ 'mac=$SOCKETS_MAC' ]"; } > "$DOMU_CFG"
}

# dom0 sends 300,000 random bytes through the guest's TCP echo (epoll) and
# compares them; a datagram through its UDP echo (poll); then the guest
# connects to dom0's listener (non-blocking connect, poll, select).
test_boot_domu_sockets_program() {
    sockets_cfg
    boot_domu "$TOP/build/sockets.elf" 'printf "hello from dom0\n" > /tmp/reply
nc.openbsd -l 7001 < /tmp/reply > /tmp/from_guest &
listener=$!
wait_log "sockets: listening" 60
head -c 300000 /dev/urandom > /tmp/data
timed sh -c "nc.openbsd -N 192.0.2.2 7000 < /tmp/data > /tmp/back"
cmp /tmp/data /tmp/back && echo "tcp echo: identical"
echo ping | nc.openbsd -u -w 2 192.0.2.2 7000 | sed "s/^/udp echo: /"
wait $listener
sed "s/^/guest sent: /" /tmp/from_guest
wait_gone 60' "mote.ip=192.0.2.2/24"
    expect_rc 0
    local check
    for check in socket socket_af_unix socket_raw socket_protocol bind_ebadf bind_enotsock bind_short \
                 getpeername_enotconn setsockopt_nodelay getsockopt_nodelay getsockopt_type \
                 setsockopt_unknown send_unconnected close getaddrinfo_numeric accept_not_listening \
                 reuseaddr bind listen getsockname flags_nonblock_cloexec accept_eagain poll_timeout \
                 select_timeout poll_nval select_ebadf udp_bind udp_nonblock_recv epoll_ctl_add \
                 epoll_ctl_eexist epoll_ctl_enoent epoll_wait_timeout connect_einprogress connect_poll \
                 connect_so_error send shutdown_wr; do
        expect_guest "^sockets: $check ok\$"
    done
    expect_guest '^sockets: accepted a connection from 192\.0\.2\.1$'
    expect_guest '^sockets: tcp connection closed after 300000 bytes$'
    expect_guest '^sockets: udp 5 bytes from 192\.0\.2\.1$'
    expect_guest '^sockets: from dom0: hello from dom0$'
    expect_guest '^sockets: 0 failures$'
    expect_action 'tcp echo: identical$'
    expect_action 'udp echo: ping$'
    expect_action 'guest sent: hello from mote$'
    [ "$(grep -c 'FAILED' "$GUEST_LOG")" = 0 ] || fail "a check failed: $(grep FAILED "$GUEST_LOG" | head -n 3)"
    grep -q '^mote: syscall: ' "$GUEST_LOG" && fail "calls reported missing: $(grep '^mote: syscall: ' "$GUEST_LOG")"
    true
}
