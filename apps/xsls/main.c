/* SPDX-License-Identifier: MIT */
/*
 * xsls: lists a xenstore subtree with its values, like the xenstore-ls tool
 * of dom0, from inside a domU. Usage: xsls [PATH] (default: this domain's
 * home, /local/domain/<domid>). Relative paths resolve against the home.
 *
 * Each node is one line, indented two spaces per level:
 *     name = "value"
 * Recursion is bounded by XSLS_MAX_DEPTH so a deep tree cannot overflow the
 * stack; a node whose value does not fit the buffer is shown as <too long>.
 */
#include <errno.h>
#include <mote.h>
#include <stdio.h>
#include <string.h>

#define XSLS_MAX_DEPTH 8
#define XSLS_PATH_MAX 256

static int list(const char *path, int depth)
{
    char names[1024], value[256], child[XSLS_PATH_MAX];
    int n = xenbus_directory(XBT_NIL, path, names, sizeof(names));

    if (n < 0)
        return n;
    const char *name = names;
    for (int i = 0; i < n; i++, name += strlen(name) + 1) {
        if (snprintf(child, sizeof(child), "%s/%s", path, name) >= (int)sizeof(child)) {
            printf("%*s%s = <path too long>\n", 2 * depth, "", name);
            continue;
        }
        int len = xenbus_read(XBT_NIL, child, value, sizeof(value));
        if (len >= 0)
            printf("%*s%s = \"%s\"\n", 2 * depth, "", name, value);
        else if (len == -E2BIG)
            printf("%*s%s = <too long>\n", 2 * depth, "", name);
        else
            printf("%*s%s = <%s>\n", 2 * depth, "", name, xen_errno_name(len));
        if (depth + 1 < XSLS_MAX_DEPTH)
            list(child, depth + 1);
    }
    return 0;
}

int main(int argc, char **argv)
{
    char home[64];

    if (!xenbus_available()) {
        printf("xsls: no xenstore (xsls runs as a domU under a toolstack)\n");
        return 1;
    }
    /* The kernel writes its own nodes (control/feature-*) beside main:
     * list the home once they are there. */
    int domid = control_wait();
    const char *path = argc > 1 ? argv[1] : NULL;
    if (!path) {
        snprintf(home, sizeof(home), "/local/domain/%d", domid);
        path = home;
    }
    printf("xsls: %s\n", path);
    int rc = list(path, 1);
    if (rc < 0) {
        printf("xsls: %s: %s\n", path, xen_errno_name(rc));
        return 1;
    }
    return 0;
}
