all.o: /tmp/tmp.IJaRsafdUP/all.c api/mote.h api/mote/kernel.h \
 api/mote/console.h api/mote/memory.h api/mote/time.h api/mote/timer.h \
 api/mote/thread.h api/mote/events.h api/mote/xenstore.h \
 libc/include/assert.h libc/include/ctype.h libc/include/errno.h \
 libc/include/inttypes.h libc/include/limits.h libc/include/stdio.h \
 libc/include/stdlib.h libc/include/string.h libc/include/time.h
api/mote.h:
api/mote/kernel.h:
api/mote/console.h:
api/mote/memory.h:
api/mote/time.h:
api/mote/timer.h:
api/mote/thread.h:
api/mote/events.h:
api/mote/xenstore.h:
libc/include/assert.h:
libc/include/ctype.h:
libc/include/errno.h:
libc/include/inttypes.h:
libc/include/limits.h:
libc/include/stdio.h:
libc/include/stdlib.h:
libc/include/string.h:
libc/include/time.h:
