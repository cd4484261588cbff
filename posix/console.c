/* SPDX-License-Identifier: MIT */
/*
 * The console as a file: descriptors 0, 1 and 2 from the start, one open file
 * read-write, as a terminal's are after login. Writes go to console_write
 * whole; reads wait for input (console_read). It answers the terminal
 * ioctls a C library asks before choosing line buffering (TIOCGWINSZ, which
 * is also isatty's test, and TCGETS) as a terminal of Xen's console size,
 * 80x25; anything else is -ENOTTY. poll: always writable, readable when
 * input is queued.
 */
#include <console.h>
#include <errno.h>
#include <file.h>
#include <string.h>
#include <syscall.h>

static long console_file_read(struct file *f, void *buf, size_t count)
{
    (void)f;
    return (long)console_read(buf, count);
}

static long console_file_write(struct file *f, const void *buf, size_t count)
{
    (void)f;
    console_write(buf, count);
    return (long)count;
}

/* termios as Linux's TCGETS returns it (asm-generic/termbits.h: four flag
 * words, the line discipline, 19 control characters). */
struct linux_termios {
    uint32_t iflag, oflag, cflag, lflag;
    uint8_t line;
    uint8_t cc[19];
};

static long console_file_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
    (void)f;
    if (cmd == LINUX_TIOCGWINSZ) {
        const struct linux_winsize size = { .ws_row = 25, .ws_col = 80 };
        memcpy((void *)arg, &size, sizeof(size));
        return 0;
    }
    if (cmd == LINUX_TCGETS) {
        memset((void *)arg, 0, sizeof(struct linux_termios));
        return 0;
    }
    return -ENOTTY;
}

/* Always writable (console_write waits for the ring itself); readable
 * when input is queued. */
static unsigned int console_file_poll(struct file *f)
{
    (void)f;
    return LINUX_POLLOUT | LINUX_POLLWRNORM |
           (console_input_ready() ? LINUX_POLLIN | LINUX_POLLRDNORM : 0);
}

static const struct file_ops console_ops = {
    .poll = console_file_poll,
    .read = console_file_read,
    .write = console_file_write,
    .ioctl = console_file_ioctl,
};

/* Descriptors 0, 1 and 2 point here from the start (posix/fd.c). */
struct file console_file = { .ops = &console_ops, .status_flags = LINUX_O_RDWR, .refs = 3 };
