/*
 * Host unit tests build mote's lib/ next to the host C library. This header is
 * force-included (-include) when compiling lib/ for the host, so mote's
 * functions get a mote_ prefix and never replace libc's (or ASan's) own.
 */
#define memcpy    mote_memcpy
#define memmove   mote_memmove
#define memset    mote_memset
#define memcmp    mote_memcmp
#define memchr    mote_memchr
#define strlen    mote_strlen
#define strnlen   mote_strnlen
#define strcmp    mote_strcmp
#define strncmp   mote_strncmp
#define strchr    mote_strchr
#define strrchr   mote_strrchr
#define strstr    mote_strstr
#define strlcpy   mote_strlcpy
#define strtoul   mote_strtoul
#define strtol    mote_strtol
#define vsnprintf mote_vsnprintf
#define snprintf  mote_snprintf
#define vformat   mote_vformat
#define printk    mote_printk
#define vprintk   mote_vprintk
