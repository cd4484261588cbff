# SPDX-License-Identifier: MIT
# Processes in user mode (tests/boot/usermode.sh): a program on musl that
# runs static Linux executables, linked in as blobs, with mote_process_run.
APP_LIBC := musl
$(BUILD)/tests/apps/usermode/progs.S.o: $(BUILD)/user/hello $(BUILD)/user/hostile
