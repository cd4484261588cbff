/* SPDX-License-Identifier: MIT */
/*
 * httpd: a small HTTP/1.1 server on port 80, through lwIP's sockets. The
 * boot tests drive it (tests/boot/net.sh); keep this interface:
 *
 *   GET /          200, a small HTML page naming mote
 *   GET /bytes/N   200, N bytes (0 <= N <= 64 MiB) where byte i is i % 251
 *   anything else  404 (GET of another path), 400 (not a request line),
 *                  405 (another method), 413 (N too large)
 *
 * Connections are kept alive (HTTP/1.1's default) until the client sends
 * "Connection: close" or closes; each gets its own thread, so many clients
 * are served at once. It prints "httpd: listening on port 80" when ready
 * and runs until the domain is told to stop (`xl shutdown`).
 */
#include <mote.h>
#include <mote/net.h>
#include <lwip/sockets.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORT 80
#define MAX_BYTES (64ul * 1024 * 1024)
#define REQ_MAX 4096

static const char page[] =
    "<!DOCTYPE html>\n<html><head><title>mote</title></head>\n"
    "<body><h1>mote</h1><p>Served by mote, a minimal Xen PV kernel, "
    "through netfront and lwIP.</p></body></html>\n";

static unsigned long requests;

static int send_all(int c, const void *buf, size_t len)
{
    for (size_t off = 0; off < len;) {
        int w = send(c, (const char *)buf + off, len - off, 0);
        if (w <= 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

static int reply(int c, int status, const char *reason, const char *type, size_t len,
                 bool keep_alive)
{
    char hdr[256];
    int n = snprintf(hdr, sizeof(hdr),
                     "HTTP/1.1 %d %s\r\nServer: mote\r\nContent-Type: %s\r\n"
                     "Content-Length: %lu\r\n%s\r\n", status, reason, type,
                     (unsigned long)len, keep_alive ? "" : "Connection: close\r\n");
    return send_all(c, hdr, (size_t)n);
}

static int error(int c, int status, const char *reason, bool keep_alive)
{
    char body[64];
    int n = snprintf(body, sizeof(body), "%d %s\n", status, reason);
    if (reply(c, status, reason, "text/plain", (size_t)n, keep_alive) < 0)
        return -1;
    return send_all(c, body, (size_t)n);
}

/* The body of /bytes/N: byte i is i % 251, sent in blocks of a multiple of
 * 251 bytes so every block starts at a pattern boundary. */
static int send_bytes(int c, unsigned long n)
{
    static unsigned char block[251 * 64];
    static bool ready;

    if (!ready) {
        for (size_t i = 0; i < sizeof(block); i++)
            block[i] = (unsigned char)(i % 251);
        ready = true;
    }
    while (n) {
        size_t k = n < sizeof(block) ? n : sizeof(block);
        if (send_all(c, block, k) < 0)
            return -1;
        n -= k;
    }
    return 0;
}

/* The next space-separated word of the line *s, NUL-terminated in place. */
static char *word(char **s)
{
    char *w = *s;
    char *end = w + strcspn(w, " ");

    if (end == w)
        return NULL;
    *s = end + (*end == ' ');
    *end = '\0';
    return w;
}

/* Whether header `name` (with its colon) has `token` in its value. */
static bool header_has(char *headers, const char *name, const char *token)
{
    size_t nl = strlen(name), tl = strlen(token);

    for (char *h = headers; h && *h; h = strstr(h, "\r\n") ? strstr(h, "\r\n") + 2 : NULL) {
        if (strncasecmp(h, name, nl))
            continue;
        for (char *v = h + nl; *v && *v != '\r'; v++)
            if (!strncasecmp(v, token, tl))
                return true;
    }
    return false;
}

/* Answers one request (head = its request line and headers, each line
 * ending in CRLF). Returns 0 to keep the connection, -1 to close it. */
static int answer(int c, char *head)
{
    char *headers = strstr(head, "\r\n");
    bool keep_alive;

    if (!headers)
        return error(c, 400, "Bad Request", false), -1;
    *headers = '\0';
    headers += 2;
    char *rest = head;
    char *method = word(&rest), *path = method ? word(&rest) : NULL;
    char *version = path ? word(&rest) : NULL;
    if (!version || *rest || strncmp(version, "HTTP/1.", 7))
        return error(c, 400, "Bad Request", false), -1;
    /* HTTP/1.1 keeps a connection unless told to close; 1.0 only if asked. */
    if (!strcmp(version, "HTTP/1.0"))
        keep_alive = header_has(headers, "Connection:", "keep-alive");
    else
        keep_alive = !header_has(headers, "Connection:", "close");
    requests++;
    if (strcmp(method, "GET"))
        return error(c, 405, "Method Not Allowed", keep_alive) < 0 || !keep_alive ? -1 : 0;
    int rc;
    if (!strcmp(path, "/")) {
        rc = reply(c, 200, "OK", "text/html", sizeof(page) - 1, keep_alive);
        if (rc == 0)
            rc = send_all(c, page, sizeof(page) - 1);
    } else if (!strncmp(path, "/bytes/", 7) && path[7] >= '0' && path[7] <= '9') {
        char *end;
        unsigned long n = strtoul(path + 7, &end, 10);
        if (*end)
            rc = error(c, 404, "Not Found", keep_alive);
        else if (n > MAX_BYTES)
            rc = error(c, 413, "Payload Too Large", keep_alive);
        else if ((rc = reply(c, 200, "OK", "application/octet-stream", n, keep_alive)) == 0)
            rc = send_bytes(c, n);
    } else {
        rc = error(c, 404, "Not Found", keep_alive);
    }
    return rc < 0 || !keep_alive ? -1 : 0;
}

static int serve(void *arg)
{
    int c = (int)(long)arg;
    char *buf = malloc(REQ_MAX + 1);
    size_t have = 0;

    while (buf) {
        char *end;
        buf[have] = '\0';
        while (!(end = strstr(buf, "\r\n\r\n"))) {
            if (have == REQ_MAX) {
                error(c, 431, "Request Header Fields Too Large", false);
                goto out;
            }
            int n = recv(c, buf + have, REQ_MAX - have, 0);
            if (n <= 0)
                goto out;
            have += (size_t)n;
            buf[have] = '\0';
        }
        end[2] = '\0';   /* the head ends at its last header line */
        size_t used = (size_t)(end + 4 - buf);
        if (answer(c, buf) < 0)
            break;
        memmove(buf, buf + used, have - used);
        have -= used;
    }
out:
    free(buf);
    close(c);
    return 0;
}

int main(void)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };

    if (net_start() <= 0) {
        printk("httpd: no network interface\n");
        return 1;
    }
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 32) < 0) {
        printk("httpd: cannot listen on port %d: %s\n", PORT, strerror(errno));
        return 1;
    }
    printk("httpd: listening on port %d\n", PORT);
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0) {
            printk("httpd: accept: %s\n", strerror(errno));
            continue;
        }
        /* A reply's head and body go out as they are written: with Nagle's
         * algorithm the body would wait for the client's (delayed) ACK of
         * the head, 40 ms per request on a Linux client. */
        int one = 1;
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (!thread_create("http", serve, (void *)(long)c))
            close(c);
    }
}
