/* SPDX-License-Identifier: MIT */
/*
 * strerror: glibc's message for each errno value <errno.h> defines (the
 * host tests compare them), "Unknown error" for the rest. The table is
 * constant, so strerror is safe from any thread or handler; unlike glibc it
 * does not print the number of an unknown code (that would need a buffer
 * per thread).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

static const char *const messages[] = {
    [0]            = "Success",
    [EPERM]        = "Operation not permitted",
    [ENOENT]       = "No such file or directory",
    [ESRCH]        = "No such process",
    [EINTR]        = "Interrupted system call",
    [EIO]          = "Input/output error",
    [ENXIO]        = "No such device or address",
    [E2BIG]        = "Argument list too long",
    [ENOEXEC]      = "Exec format error",
    [EBADF]        = "Bad file descriptor",
    [ECHILD]       = "No child processes",
    [EAGAIN]       = "Resource temporarily unavailable",
    [ENOMEM]       = "Cannot allocate memory",
    [EACCES]       = "Permission denied",
    [EFAULT]       = "Bad address",
    [EBUSY]        = "Device or resource busy",
    [EEXIST]       = "File exists",
    [EXDEV]        = "Invalid cross-device link",
    [ENODEV]       = "No such device",
    [ENOTDIR]      = "Not a directory",
    [EISDIR]       = "Is a directory",
    [EINVAL]       = "Invalid argument",
    [ENFILE]       = "Too many open files in system",
    [EMFILE]       = "Too many open files",
    [ENOTTY]       = "Inappropriate ioctl for device",
    [EFBIG]        = "File too large",
    [ENOSPC]       = "No space left on device",
    [ESPIPE]       = "Illegal seek",
    [EROFS]        = "Read-only file system",
    [EMLINK]       = "Too many links",
    [EPIPE]        = "Broken pipe",
    [EDOM]         = "Numerical argument out of domain",
    [ERANGE]       = "Numerical result out of range",
    [EDEADLK]      = "Resource deadlock avoided",
    [ENAMETOOLONG] = "File name too long",
    [ENOLCK]       = "No locks available",
    [ENOSYS]       = "Function not implemented",
    [ENOTEMPTY]    = "Directory not empty",
    [ELOOP]        = "Too many levels of symbolic links",
    [ENOMSG]       = "No message of desired type",
    [EIDRM]        = "Identifier removed",
    [ENODATA]      = "No data available",
    [ETIME]        = "Timer expired",
    [EOVERFLOW]    = "Value too large for defined data type",
    [EILSEQ]       = "Invalid or incomplete multibyte or wide character",
    [ENOTSOCK]     = "Socket operation on non-socket",
    [EMSGSIZE]     = "Message too long",
    [ENOPROTOOPT]  = "Protocol not available",
    [EOPNOTSUPP]   = "Operation not supported",
    [EAFNOSUPPORT] = "Address family not supported by protocol",
    [EADDRINUSE]   = "Address already in use",
    [ENETDOWN]     = "Network is down",
    [ENETUNREACH]  = "Network is unreachable",
    [ECONNABORTED] = "Software caused connection abort",
    [ECONNRESET]   = "Connection reset by peer",
    [ENOBUFS]      = "No buffer space available",
    [EISCONN]      = "Transport endpoint is already connected",
    [ENOTCONN]     = "Transport endpoint is not connected",
    [ETIMEDOUT]    = "Connection timed out",
    [ECONNREFUSED] = "Connection refused",
    [EHOSTUNREACH] = "No route to host",
    [EALREADY]     = "Operation already in progress",
    [EINPROGRESS]  = "Operation now in progress",
    [ECANCELED]    = "Operation canceled",
};

char *strerror(int err)
{
    if (err >= 0 && (size_t)err < sizeof(messages) / sizeof(messages[0]) && messages[err])
        return (char *)messages[err];
    return (char *)"Unknown error";
}
