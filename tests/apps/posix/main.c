/* SPDX-License-Identifier: MIT */
/*
 * An ordinary POSIX C program, built against musl (tests/apps/posix/app.mk):
 * it knows nothing of mote. tests/boot/posix.sh boots it and checks what it
 * prints. Each check prints "posix: NAME ok" or "posix: NAME FAILED: why".
 *
 *   posix            every check, then returns 0
 *   posix abort      abort()
 *   posix exit N     exit(N) after printing through stdio's buffer
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("posix: %s ok\n", name);
	} else {
		printf("posix: %s FAILED: %s\n", name, why);
		failures++;
	}
}

static void check_malloc(void)
{
	enum { SMALL = 1000 };
	static char *small[SMALL];
	size_t big_len = 8u << 20;
	int ok = 1;

	for (int i = 0; i < SMALL; i++) {
		small[i] = malloc(1 + i % 200);
		if (!small[i])
			ok = 0;
		else
			memset(small[i], i & 0xff, 1 + i % 200);
	}
	for (int i = 0; i < SMALL && ok; i++)
		ok = small[i][i % 200] == (char)(i & 0xff);
	for (int i = 0; i < SMALL; i++)
		free(small[i]);
	unsigned char *big = malloc(big_len);
	if (!big) {
		check("malloc", 0, "8 MiB block");
		return;
	}
	for (size_t i = 0; i < big_len; i += 4096)
		big[i] = (unsigned char)(i >> 12);
	for (size_t i = 0; i < big_len && ok; i += 4096)
		ok = big[i] == (unsigned char)(i >> 12);
	free(big);
	check("malloc", ok, "a block lost its contents");
}

static void check_strings(void)
{
	char buf[64];
	char words[] = "alpha,beta,,gamma";
	char *save, *w;
	int n = 0;

	for (w = strtok_r(words, ",", &save); w; w = strtok_r(NULL, ",", &save))
		n++;
	snprintf(buf, sizeof buf, "%s-%zu-%d", "mote", strlen("four"), n);
	check("string", strcmp(buf, "mote-4-3") == 0 && strstr(buf, "4-3") == buf + 5, buf);
}

static void check_doubles(void)
{
	char buf[128];

	snprintf(buf, sizeof buf, "%.3f %g %e %.17g", 3.14159265, 1e-5, 12345.678, 0.1);
	printf("posix: doubles %s\n", buf);
	check("doubles", strcmp(buf, "3.142 1e-05 1.234568e+04 0.10000000000000001") == 0, buf);
}

static long long ns_of(const struct timespec *t)
{
	return t->tv_sec * 1000000000ll + t->tv_nsec;
}

/* Only what host load cannot move: the sleep lasts at least what was asked,
 * the clocks do not go back, the wall clock is after 2020. */
static void check_time(void)
{
	struct timespec a, b, wall;
	struct timespec ten_ms = { 0, 10 * 1000 * 1000 };

	clock_gettime(CLOCK_MONOTONIC, &a);
	int slept = nanosleep(&ten_ms, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	clock_gettime(CLOCK_REALTIME, &wall);
	check("clock_gettime", ns_of(&b) >= ns_of(&a) && wall.tv_sec > 1577836800, "clocks");
	check("nanosleep", slept == 0 && ns_of(&b) - ns_of(&a) >= 10000000, "slept too little");
	struct timespec bad = { 0, 1000000000 };
	check("nanosleep_einval", nanosleep(&bad, NULL) == -1 && errno == EINVAL, "1e9 ns accepted");
}

static void check_mmap(void)
{
	size_t len = 3 * 4096;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		check("mmap", 0, strerror(errno));
		return;
	}
	int zero = p[0] == 0 && p[len - 1] == 0;
	memset(p, 0xa5, len);
	int unmapped = munmap(p, len) == 0;
	check("mmap", zero && unmapped, "not zeroed, or munmap failed");
	errno = 0;
	check("mmap_einval", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == EINVAL, "length 0 accepted");
}

static void check_fds(void)
{
	static const char line[] = "posix: written to a dup of stdout\n";
	int fd = dup(1);

	fflush(stdout);
	check("isatty", isatty(1) && isatty(fd), "stdout is not a terminal");
	int wrote = write(fd, line, sizeof line - 1) == (ssize_t)(sizeof line - 1);
	check("dup", fd >= 3 && wrote && close(fd) == 0 && close(fd) == -1 && errno == EBADF,
	      "dup, write or close");
	check("fcntl", (fcntl(1, F_GETFL) & O_ACCMODE) == O_RDWR && fcntl(99, F_GETFD) == -1 &&
	      errno == EBADF, "F_GETFL");
}

static void check_identity(void)
{
	struct utsname u;

	check("uname", uname(&u) == 0 && strcmp(u.sysname, "mote") == 0 &&
	      strcmp(u.machine, "x86_64") == 0, u.sysname);
	check("getpid", getpid() == 1, "not 1");
	check("fork", fork() == -1 && errno == ENOSYS, "fork did not fail with ENOSYS");
}

/* acct(2) is one mote does not have: -1, ENOSYS, reported once. */
static void check_unimplemented(void)
{
	long first = syscall(SYS_acct, NULL);
	int first_errno = errno;
	long second = syscall(SYS_acct, NULL);

	check("unimplemented", first == -1 && first_errno == ENOSYS && second == -1 && errno == ENOSYS,
	      "acct did not fail with ENOSYS");
}

enum { WORKERS = 4, ROUNDS = 2000 };
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

/* Each worker sets its own errno (thread-local through %fs) and adds to
 * the shared counter under the mutex, yielding now and then so that the
 * others run in between. */
static void *worker(void *arg)
{
	long id = (long)arg;

	errno = 100 + (int)id;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&counter_lock);
		counter++;
		pthread_mutex_unlock(&counter_lock);
		if (i % 100 == 0)
			sched_yield();
	}
	return (void *)(long)(errno == 100 + id);
}

static void check_threads(void)
{
	pthread_t t[WORKERS];
	int own_errno = 1;

	errno = 7;
	for (long i = 0; i < WORKERS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i) != 0)
			own_errno = 0;
	for (int i = 0; i < WORKERS; i++) {
		void *ok = NULL;
		pthread_join(t[i], &ok);
		own_errno &= ok != NULL;
	}
	check("pthread", counter == WORKERS * ROUNDS && own_errno && errno == 7,
	      "lost counts, or errno shared");
	pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
	struct timespec soon;
	clock_gettime(CLOCK_REALTIME, &soon);
	soon.tv_nsec += 5000000;
	if (soon.tv_nsec >= 1000000000) {
		soon.tv_sec++;
		soon.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&counter_lock);
	int rc = pthread_cond_timedwait(&cond, &counter_lock, &soon);
	pthread_mutex_unlock(&counter_lock);
	check("pthread_cond_timedwait", rc == ETIMEDOUT, strerror(rc));
}

static void goodbye(void)
{
	printf("posix: atexit ran\n");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "abort") == 0) {
		printf("posix: aborting\n");
		abort();
	}
	if (argc > 2 && strcmp(argv[1], "exit") == 0) {
		printf("posix: exiting with %s", argv[2]);   /* no newline: exit flushes */
		exit(atoi(argv[2]));
	}
	atexit(goodbye);
	printf("posix: hello from %s, argc %d\n", argv[0], argc);
	check_malloc();
	check_strings();
	check_doubles();
	check_time();
	check_mmap();
	check_fds();
	check_identity();
	check_unimplemented();
	check_threads();
	printf("posix: %d failures\n", failures);
	return failures != 0;
}
