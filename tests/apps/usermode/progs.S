/* SPDX-License-Identifier: MIT */
/*
 * The test processes' executables, as `musl-gcc -static` built them
 * (mk/user_progs.mk): until mote has files, they come in the image.
 */
        .section .rodata
        .balign 16
        .globl  user_hello, user_hello_end
user_hello:
        .incbin "build/user/hello"
user_hello_end:
        .balign 16
        .globl  user_hostile, user_hostile_end
user_hostile:
        .incbin "build/user/hostile"
user_hostile_end:
        .section .note.GNU-stack, "", @progbits
