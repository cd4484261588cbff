/*
 * The console: where printk output goes and keyboard input comes from.
 *
 * A back end is chosen at boot (console_init): as the initial domain (dom0)
 * mote writes with the console_io hypercall (CONSOLEIO_write, xen.h). Output
 * is never dropped by this layer: console_write returns once every byte has
 * been handed to the back end.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>

struct console_backend {
    const char *name;
    void (*write)(const char *buf, size_t len);
};

void console_init(void);
void console_write(const char *buf, size_t len);
const char *console_backend_name(void);

/*
 * Last-resort output for panics and fault reports: CONSOLEIO_write straight to
 * Xen, needing no driver state. Xen accepts it from dom0; release builds of
 * Xen drop it for a domU, but it costs nothing to try.
 */
void console_emergency_write(const char *buf, size_t len);

#endif
