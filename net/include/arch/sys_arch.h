/* SPDX-License-Identifier: MIT */
/*
 * lwIP's OS types on mote (net/sys_arch.c; lwIP's src/include/lwip/sys.h
 * is the contract): semaphores, mutexes and mailboxes are pointers to
 * objects net/sys_arch.c allocates, NULL when not (yet) valid.
 */
#ifndef LWIP_ARCH_SYS_ARCH_H
#define LWIP_ARCH_SYS_ARCH_H

struct sys_sem;
struct sys_mbox;
struct thread;

typedef struct sys_sem *sys_sem_t;
typedef struct sys_sem *sys_mutex_t;
typedef struct sys_mbox *sys_mbox_t;
typedef struct thread *sys_thread_t;

#define SYS_MBOX_NULL NULL
#define SYS_SEM_NULL  NULL

#define sys_sem_valid(s)           (*(s) != NULL)
#define sys_sem_set_invalid(s)     (*(s) = NULL)
#define sys_mutex_valid(m)         (*(m) != NULL)
#define sys_mutex_set_invalid(m)   (*(m) = NULL)
#define sys_mbox_valid(b)          (*(b) != NULL)
#define sys_mbox_set_invalid(b)    (*(b) = NULL)

typedef unsigned long sys_prot_t;

#endif
