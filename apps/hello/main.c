/*
 * hello: the smallest mote application. Greets, echoes its arguments and
 * returns 0, which powers the domain off.
 */
#include <mote/kernel.h>

int main(int argc, char **argv)
{
    printk("hello from mote\n");
    for (int i = 1; i < argc; i++)
        printk("argv[%d] = \"%s\"\n", i, argv[i]);
    return 0;
}
