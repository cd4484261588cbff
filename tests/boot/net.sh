# SPDX-License-Identifier: MIT
# Boot tests of the network (drivers/net/netfront.c, lwIP in net/) through
# the real toolstack and Linux's xen-netback in the test dom0: the guest
# runs apps/netecho or apps/httpd, dom0 reaches it over the vif with real
# clients (busybox ping, wget, udhcpd) and scripts/domu/netcheck.c (byte-for-
# byte echo and keep-alive checks, hostile frames). The vif hotplug script
# (scripts/domu/vif) gives dom0's end 192.0.2.1/24 (vif 0) and
# 198.51.100.1/24 (vif 1); QEMU runs with -nic none.

NETECHO=$TOP/build/netecho.elf
HTTPD=$TOP/build/httpd.elf
NET_MAC=00:16:3e:5e:00:01

# net_cfg VIF...: an xl config with these vif specs, in $DOMU_CFG.
net_cfg() {
    local specs="" v
    for v in "$@"; do specs="$specs${specs:+, }'$v'"; done
    DOMU_CFG=$LOG_DIR/$CURRENT_TEST.cfg
    { cat "$TOP/scripts/mote.cfg"; echo "vif = [ $specs ]"; } > "$DOMU_CFG"
}

# The guest closed its vif cleanly and powered off when dom0 asked.
expect_net_clean_close() {
    expect_guest '^netfront: vif0: closed \(rx [0-9]+ packets, tx [0-9]+ packets, 0 refused\)$'
    expect_guest '^mote: shutdown: poweroff$'
}

# ping -c 100 (at 20 a second) and fragmented pings of 8000 bytes.
test_boot_domu_net_ping() {
    net_cfg "mac=$NET_MAC"
    boot_domu "$NETECHO" 'wait_log "netecho: listening" 60
ping -c 100 -i 0.05 -q 192.0.2.2 | tail -n 2
ping -c 5 -s 8000 192.0.2.2 | tail -n 2
xl shutdown -w $GUEST_NAME' "mote.ip=192.0.2.2/24 mote.gw=192.0.2.1"
    expect_rc 0
    expect_guest "^net: eth0 $NET_MAC up 192.0.2.2/24\$"
    expect_action '100 packets transmitted, 100 packets received, 0% packet loss$'
    expect_action '5 packets transmitted, 5 packets received, 0% packet loss$'
    expect_net_clean_close
}

# 1,000 UDP datagrams of 1-1472 bytes and a 4 MiB TCP stream, echoed.
# The stream comes in as large segments (netfront asks for
# feature-gso-tcpv4, and its checksums offloaded): dom0's vif sends the
# guest more bytes per frame on average, dom0's ACKs of the echo included,
# than the 1514 of the largest frame without GSO.
test_boot_domu_net_echo() {
    net_cfg "mac=$NET_MAC"
    boot_domu "$NETECHO" 'wait_log "netecho: listening" 60
timed netcheck udp 192.0.2.2 7 1000 1472
v=/sys/class/net/vif$DOMID.0/statistics
b0=$(cat $v/tx_bytes) f0=$(cat $v/tx_packets)
timed netcheck tcp 192.0.2.2 7 4194304
echo "tcp into the guest: $(( ($(cat $v/tx_bytes) - b0) / ($(cat $v/tx_packets) - f0) )) bytes per frame"
xl shutdown -w $GUEST_NAME' "mote.ip=192.0.2.2/24"
    expect_rc 0
    expect_action 'udp: 1000 echoed, sizes 1-1472, [0-9]+ resent$'
    expect_action 'tcp: 4194304 echoed$'
    local per_frame
    per_frame=$(sed -n 's/.*tcp into the guest: \([0-9]*\) bytes per frame$/\1/p' "$BOOT_LOG" | tail -n 1)
    [ "${per_frame:-0}" -gt 1514 ] ||
        fail "the stream did not come in large segments (${per_frame:-no} bytes per frame)"
    expect_guest '^netecho: tcp connection closed after 4194304 bytes$'
    expect_net_clean_close
}

# wget of / and /bytes/1048576 (compared byte for byte), 200 requests on
# one keep-alive connection, then 20 clients at once.
test_boot_domu_net_httpd() {
    net_cfg "mac=$NET_MAC"
    boot_domu "$HTTPD" 'wait_log "httpd: listening" 60
wget -q -O /tmp/index http://192.0.2.2/
grep -c "<h1>mote</h1>" /tmp/index | sed "s/^/index mote lines: /"
netcheck pattern 1048576 > /tmp/want
timed wget -q -O /tmp/got http://192.0.2.2/bytes/1048576
cmp /tmp/got /tmp/want && echo "bytes/1048576: equal"
wget -q -O /tmp/none http://192.0.2.2/nothing-here 2>&1 | head -n 1 || true
timed netcheck http 192.0.2.2 80 200 /
netcheck pattern 100000 > /tmp/want100k
for i in $(seq 20); do wget -q -O /tmp/c$i http://192.0.2.2/bytes/100000 & done
wait
ok=0; for i in $(seq 20); do cmp -s /tmp/c$i /tmp/want100k && ok=$((ok + 1)); done
echo "parallel clients equal: $ok of 20"
xl shutdown -w $GUEST_NAME' "mote.ip=192.0.2.2/24"
    expect_rc 0
    expect_action 'index mote lines: 1$'
    expect_action 'bytes/1048576: equal$'
    expect_action '.*404 Not Found'
    expect_action 'http: 200 responses on one connection$'
    expect_action 'parallel clients equal: 20 of 20$'
    expect_net_clean_close
}

# DHCP from busybox udhcpd on dom0's end of the vif (started once the
# vif exists; the guest's client retries until it answers).
test_boot_domu_net_dhcp() {
    net_cfg "mac=$NET_MAC"
    boot_domu "$NETECHO" 'until ip link show vif$DOMID.0 >/dev/null 2>&1; do sleep 0.1; done
printf "start 192.0.2.50\nend 192.0.2.60\ninterface vif$DOMID.0\nlease_file /tmp/leases\noption subnet 255.255.255.0\noption router 192.0.2.1\n" > /tmp/udhcpd.conf
touch /tmp/leases
udhcpd -S /tmp/udhcpd.conf
wait_log "netecho: listening" 60
addr=$(sed -n "s/.*net: eth0 .* up \([0-9.]*\)\/24.*/\1/p" /var/log/xen/console/guest-$GUEST_NAME.log | tr -d "\r")
echo "guest address: $addr"
ping -c 3 -q $addr | grep "packets transmitted"
xl shutdown -w $GUEST_NAME' "mote.ip=dhcp"
    expect_rc 0
    expect_guest "^net: eth0 $NET_MAC up 192\\.0\\.2\\.(5[0-9]|60)/24\$"
    expect_action 'guest address: 192\.0\.2\.(5[0-9]|60)$'
    expect_action '3 packets transmitted, 3 packets received, 0% packet loss$'
    expect_net_clean_close
}

# Two vifs, each addressed by the `ip` xl wrote for it in xenstore.
test_boot_domu_net_two_vifs_xenstore_ip() {
    net_cfg "mac=$NET_MAC,ip=192.0.2.7" "mac=00:16:3e:5e:00:02,ip=198.51.100.7"
    boot_domu "$NETECHO" 'wait_log "netecho: listening" 60
ping -c 3 -q 192.0.2.7 | grep "packets transmitted"
ping -c 3 -q 198.51.100.7 | grep "packets transmitted"
netcheck udp 198.51.100.7 7 100 1472
xl shutdown -w $GUEST_NAME'
    expect_rc 0
    expect_guest "^net: eth0 $NET_MAC up 192.0.2.7/24\$"
    expect_guest '^net: eth1 00:16:3e:5e:00:02 up 198.51.100.7/24$'
    expect_action '3 packets transmitted, 3 packets received, 0% packet loss$'
    expect_action 'udp: 100 echoed, sizes 1-1472, [0-9]+ resent$'
    [ "$(grep -c '3 packets received, 0% packet loss' "$BOOT_LOG")" = 2 ] || fail "not both vifs answered ping"
    expect_guest '^netfront: vif1: closed '
    expect_net_clean_close
}

# dom0 floods the vif with malformed frames (too short, bad IP and UDP
# checksums, truncated, random bytes, oversized with a 9000-byte dom0
# MTU): the guest counts them as dropped and still echoes afterwards.
test_boot_domu_net_hostile_frames() {
    net_cfg "mac=$NET_MAC"
    boot_domu "$NETECHO" 'wait_log "netecho: listening" 60
ip link set vif$DOMID.0 mtu 9000
timed netcheck raw vif$DOMID.0 '"$NET_MAC"' 6000
netcheck udp 192.0.2.2 7 200 1472
netcheck tcp 192.0.2.2 7 262144
ping -c 20 -i 0.05 -q 192.0.2.2 | grep "packets transmitted"
wait_log "netecho: eth0 rx" 10
xl shutdown -w $GUEST_NAME' "mote.ip=192.0.2.2/24"
    expect_rc 0
    expect_action 'raw: [0-9]{4} frames sent$'
    expect_action 'udp: 200 echoed, sizes 1-1472, [0-9]+ resent$'
    expect_action 'tcp: 262144 echoed$'
    expect_action '20 packets transmitted, 20 packets received, 0% packet loss$'
    expect_guest '^netecho: eth0 rx [0-9]+ packets, [0-9]{3,} dropped, 0 refused$'
    expect_net_clean_close
}

# Frames of several tx slots (NETTXF_more_data): netecho built with 512-byte
# tx slots (KCFLAGS=-DNETFRONT_TX_CHUNK=512), so every frame above 512
# bytes is sent in up to 3 slots; netback must reassemble each one.
test_boot_domu_net_tx_multislot() {
    local build=build/net-txchunk out="$LOG_DIR/$CURRENT_TEST.build"
    make -C "$TOP" --no-print-directory BUILD=$build KCFLAGS=-DNETFRONT_TX_CHUNK=512 \
        APP=apps/netecho "$build/netecho.elf" > "$out" 2>&1 ||
        { fail "the 512-byte-slot build failed"; tail -n 20 "$out"; return; }
    net_cfg "mac=$NET_MAC"
    boot_domu "$TOP/$build/netecho.elf" 'wait_log "netecho: listening" 60
ping -c 5 -s 8000 -q 192.0.2.2 | grep "packets transmitted"
netcheck udp 192.0.2.2 7 300 1472
netcheck tcp 192.0.2.2 7 1048576
xl shutdown -w $GUEST_NAME' "mote.ip=192.0.2.2/24"
    expect_rc 0
    expect_action '5 packets transmitted, 5 packets received, 0% packet loss$'
    expect_action 'udp: 300 echoed, sizes 1-1472, [0-9]+ resent$'
    expect_action 'tcp: 1048576 echoed$'
    expect_guest '^netfront: vif0: closed \(rx [0-9]+ packets, tx [0-9]+ packets, 0 refused\)$'
}

# One TCP connection from dom0 to netecho kept open (netcheck tcphold)
# through xl save -c and then xl save + xl restore: 256 KiB echoed byte for
# byte before, after the checkpoint (the same backend, carried on in place)
# and after the restore (netfront redid its handshake with the new backend:
# new grants, rings and event channel, the same MAC), all on the same
# connection. Then ping answers and xl shutdown works.
test_boot_domu_net_save_restore() {
    net_cfg "mac=$NET_MAC"
    # A 16 MiB guest: dom0's rootfs (tmpfs) holds the save image.
    sed -i 's/^memory .*/memory  = 16/' "$DOMU_CFG"
    TIMEOUT=${TIMEOUT:-400} boot_domu "$NETECHO" 'wait_log "netecho: listening" 60
wait_key /local/domain/$DOMID/control/feature-suspend 30
# wait_round N: until netcheck has finished echo round N (60 s).
wait_round() {
    _tries=600
    until grep -q "^tcphold: round $1:" /tmp/hold.out; do
        _tries=$((_tries - 1))
        [ $_tries -gt 0 ] || { echo "no echo round $1"; cat /tmp/hold.out; return 1; }
        sleep 0.1
    done
}
rm -f /tmp/go1 /tmp/go2
netcheck tcphold 192.0.2.2 7 262144 /tmp/go1 /tmp/go2 > /tmp/hold.out 2>&1 &
hold=$!
wait_round 1
timed timeout 120 xl save -c $GUEST_NAME /tmp/mote1.save
wait_log "suspend 1: cancelled" 60
rm /tmp/mote1.save
touch /tmp/go1
wait_round 2
timed timeout 120 xl save $GUEST_NAME /tmp/mote.save
timed timeout 120 xl restore /tmp/mote.save
rm /tmp/mote.save
wait_log "resumed in a new domain" 60
touch /tmp/go2
if wait $hold; then echo "tcphold: exit 0"; else echo "tcphold: exit $?"; fi
cat /tmp/hold.out
ping -c 10 -i 0.2 -q 192.0.2.2 | grep "packets transmitted"
timed timeout 30 xl shutdown -w $GUEST_NAME' "mote.ip=192.0.2.2/24"
    expect_rc 0
    expect_action 'tcphold: exit 0$'
    # Three rounds of 262144 bytes, each from the same local port.
    local rounds='^mote-domu: action: tcphold: round [123]: 262144 echoed on port [0-9]+'
    grep -E "$rounds" "$BOOT_LOG" | sed 's/.* port //' | tr -d '\r' | sort -u \
        > "$LOG_DIR/$CURRENT_TEST.ports"
    [ "$(grep -cE "$rounds" "$BOOT_LOG")" = 3 ] ||
        fail "not all three echo rounds came back"
    [ "$(wc -l < "$LOG_DIR/$CURRENT_TEST.ports")" = 1 ] || fail "the rounds were not on one connection"
    expect_guest '^mote: suspend 1: cancelled, carried on, monotonic '
    expect_guest '^mote: suspend 2: resumed in a new domain, monotonic '
    expect_guest "^netfront: vif0: reconnected in the new domain, mac $NET_MAC, [0-9]+ tx slots in flight dropped\$"
    expect_monotonic_across_suspends
    expect_action '10 packets transmitted, 10 packets received, 0% packet loss$'
    # The guest's end saw one connection carry all three rounds.
    expect_guest '^netecho: tcp connection closed after 786432 bytes$'
    expect_net_clean_close
}
