/*
 * The console layer: routes output to the back end chosen at boot.
 *
 * Until console_init() runs (and for the emergency path) output goes through
 * the console_io hypercall, which needs no setup at all.
 */
#include <console.h>
#include <hypercall.h>

void console_emergency_write(const char *buf, size_t len)
{
    /* CONSOLEIO_write takes an unsigned int count; chunk to be safe. */
    while (len) {
        unsigned int n = len > 4096 ? 4096 : (unsigned int)len;
        HYPERVISOR_console_io(CONSOLEIO_write, n, buf);
        buf += n;
        len -= n;
    }
}

static const struct console_backend console_io_backend = {
    .name = "xen console_io",
    .write = console_emergency_write,
};

static const struct console_backend *backend = &console_io_backend;

void console_init(void)
{
    backend = &console_io_backend;
}

void console_write(const char *buf, size_t len)
{
    backend->write(buf, len);
}

const char *console_backend_name(void)
{
    return backend->name;
}
