# Boot tests of the example applications under apps/.

test_boot_dom0_app_hello() {
    boot "$TOP/build/mote.elf" world
    expect_rc 0
    expect '^hello from mote$'
    expect '^argv\[1\] = "world"$'
}

test_boot_dom0_app_pingpong() {
    boot "$TOP/build/pingpong.elf" 5000
    expect_rc 0
    expect '^pingpong: 5000 rounds, ping received 5000, pong received 5000$'
}
