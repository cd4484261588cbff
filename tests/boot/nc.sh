# SPDX-License-Identifier: MIT
# The netcat port (apps/nc: Debian's netcat-traditional, unchanged, on musl
# and posix/socket.c) as a domU at 192.0.2.2, against dom0's nc
# (netcat-openbsd) in both directions; the bytes are compared line by line.

NC_MAC=00:16:3e:5e:00:01

# mote listens (`nc -n -v -l -p 7000`): dom0 connects and sends 400 lines,
# which mote's nc writes to its console; then dom0 types a line into the
# guest's console (its pty, console/tty in xenstore), which mote's nc sends
# back over the connection. dom0 then ends its side; mote's nc exits on the
# network's end of file and the domain powers off. Then a second guest
# connects (`nc -n -v 192.0.2.1 7001`) to dom0's listener, which sends 300
# lines and ends.
test_boot_domu_nc_both_directions() {
    DOMU_CFG=$LOG_DIR/$CURRENT_TEST.cfg
    { cat "$TOP/scripts/mote.cfg"; echo "vif = [ 'mac=$NC_MAC' ]"; } > "$DOMU_CFG"
    TIMEOUT=${TIMEOUT:-240} boot_domu "$TOP/build/nc.elf" 'seq 1 400 | sed "s/^/to mote /" > /tmp/text
tty=$(xenstore-read /local/domain/$DOMID/console/tty)
wait_log "listening on" 60
{ cat /tmp/text
  wait_log "^to mote 400" 60
  printf "typed into mote\n" > "$tty"
  tries=300; until grep -q "typed into mote" /tmp/back 2>/dev/null || [ $tries = 0 ]; do sleep 0.1; tries=$((tries - 1)); done
} | nc.openbsd -N 192.0.2.2 7000 > /tmp/back
tr -d "\r" < /tmp/back | sed "s/^/dom0 received: /"
wait_gone 30
seq 1 300 | sed "s/^/from dom0 /" > /tmp/text2
nc.openbsd -N -l 7001 < /tmp/text2 > /tmp/back2 &
listener=$!
run_guest mote.ip=192.0.2.2/24 -n -v 192.0.2.1 7001
wait $listener
echo "second guest done"' "mote.ip=192.0.2.2/24 -n -v -l -p 7000"
    expect_rc 0
    expect_guest '^listening on \[any\] 7000 \.\.\.$'
    expect_guest '^connect to \[192\.0\.2\.2\] from \(UNKNOWN\) \[192\.0\.2\.1\] [0-9]+$'
    diff <(seq 1 400 | sed 's/^/to mote /') <(grep -E '^to mote [0-9]+$' "$GUEST_LOG") > /dev/null \
        || fail "the 400 lines dom0 sent are not on mote's console in order"
    expect_action 'dom0 received: typed into mote$'
    expect_guest '^\(UNKNOWN\) \[192\.0\.2\.1\] 7001 \(\?\) open$'
    diff <(seq 1 300 | sed 's/^/from dom0 /') <(grep -E '^from dom0 [0-9]+$' "$GUEST_LOG") > /dev/null \
        || fail "the 300 lines dom0's listener sent are not on mote's console in order"
    expect_action 'second guest done$'
    [ "$(grep -c '^mote: shutdown: poweroff$' "$GUEST_LOG")" = 2 ] || fail "the guests did not both power off"
    expect_not_guest ': Protocol not available$'
    # The one call netcat reaches that mote lacks: open, for the resolver's
    # files (/etc/hosts, /etc/services), which -n does without.
    grep '^mote: syscall: ' "$GUEST_LOG" | grep -v '^mote: syscall: open (2) not implemented$' \
        && fail "netcat reached other unimplemented calls"
    true
}

expect_not_guest() {
    grep -Eq -- "$1" "$GUEST_LOG" && fail "guest console has a line matching: $1"
    true
}
