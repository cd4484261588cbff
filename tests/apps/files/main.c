/* SPDX-License-Identifier: MIT */
/*
 * A POSIX program that uses files, built against musl
 * (tests/apps/files/app.mk): the RAM file system at / and /tmp, through
 * stdio, the descriptor calls and directory streams. tests/boot/files.sh
 * boots it and checks what it prints: each check prints "files: NAME ok"
 * or "files: NAME FAILED: why".
 *
 *   files            every check on the RAM file system, then returns 0
 *   files cat PATH   prints PATH's contents between "files: cat PATH {"
 *                    and "files: }" (a ramdisk's or a disk's file)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static int failures;

static void check(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("files: %s ok\n", name);
	} else {
		printf("files: %s FAILED: %s (errno %d)\n", name, why, errno);
		failures++;
	}
}

static void check_stdio(void)
{
	char line[64] = "";
	FILE *f = fopen("/tmp/hello.txt", "w");

	check("fopen_w", f != NULL, "fopen for writing");
	if (!f)
		return;
	fprintf(f, "hello, %s %d\n", "file", 42);
	check("fclose", fclose(f) == 0, "fclose");
	f = fopen("/tmp/hello.txt", "r");
	check("fopen_r", f && fgets(line, sizeof line, f) && strcmp(line, "hello, file 42\n") == 0 &&
	      !fgets(line, sizeof line, f) && feof(f), line);
	if (f)
		fclose(f);
	f = fopen("/tmp/hello.txt", "a");
	if (f) {
		fputs("more\n", f);
		fclose(f);
	}
	struct stat st;
	check("append", stat("/tmp/hello.txt", &st) == 0 && st.st_size == 20 && S_ISREG(st.st_mode),
	      "size after append");
}

static void check_offsets(void)
{
	char buf[16] = "";
	int fd = open("/tmp/offsets", O_RDWR | O_CREAT | O_EXCL, 0644);

	check("o_excl", fd >= 3 && open("/tmp/offsets", O_RDWR | O_CREAT | O_EXCL, 0644) == -1 &&
	      errno == EEXIST, "second O_EXCL open");
	check("write", write(fd, "0123456789", 10) == 10, "write");
	check("lseek", lseek(fd, 0, SEEK_CUR) == 10 && lseek(fd, -4, SEEK_END) == 6 &&
	      read(fd, buf, sizeof buf) == 4 && memcmp(buf, "6789", 4) == 0 &&
	      lseek(fd, -1, SEEK_SET) == -1 && errno == EINVAL, "offsets");
	check("pread", pread(fd, buf, 3, 2) == 3 && memcmp(buf, "234", 3) == 0 &&
	      lseek(fd, 0, SEEK_CUR) == 10, "pread moved the offset or read wrong bytes");
	check("pwrite_hole", pwrite(fd, "end", 3, 100) == 3 && pread(fd, buf, 4, 98) == 4 &&
	      memcmp(buf, "\0\0en", 4) == 0, "a hole does not read as zeros");
	struct stat st;
	check("fstat", fstat(fd, &st) == 0 && st.st_size == 103 && S_ISREG(st.st_mode), "size 103");
	check("ftruncate", ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5 &&
	      pread(fd, buf, sizeof buf, 0) == 5 && fsync(fd) == 0, "truncated to 5");
	struct iovec iov[2] = { { "ab", 2 }, { "cd", 2 } };
	char x[2], y[3];
	struct iovec in[2] = { { x, 2 }, { y, 3 } };
	check("writev", lseek(fd, 0, SEEK_SET) == 0 && writev(fd, iov, 2) == 4 &&
	      lseek(fd, 0, SEEK_SET) == 0 && readv(fd, in, 2) == 5 && memcmp(x, "ab", 2) == 0 &&
	      memcmp(y, "cd4", 3) == 0, "readv after writev");
	close(fd);
}

static void check_descriptors(void)
{
	int fd = open("/tmp/dups", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int copy = dup(fd);

	check("cloexec", fcntl(fd, F_GETFD) == FD_CLOEXEC && fcntl(copy, F_GETFD) == 0, "FD_CLOEXEC");
	check("shared_offset", write(fd, "abc", 3) == 3 && lseek(copy, 0, SEEK_CUR) == 3,
	      "a dup has its own offset");
	check("f_setfl", fcntl(fd, F_SETFL, O_APPEND) == 0 && (fcntl(copy, F_GETFL) & O_APPEND) &&
	      lseek(fd, 0, SEEK_SET) == 0 && write(copy, "d", 1) == 1 && lseek(fd, 0, SEEK_CUR) == 4,
	      "O_APPEND");
	check("dup2", dup2(fd, 40) == 40 && fcntl(fd, F_DUPFD_CLOEXEC, 50) == 50 &&
	      close(40) == 0 && close(50) == 0 && read(fd, NULL, 0) == -1 && errno == EBADF,
	      "dup2, F_DUPFD_CLOEXEC, or read of a write-only file");
	close(copy);
	close(fd);
}

static void check_directories(void)
{
	const char *seen[8];
	int n = 0, dots = 0;

	check("mkdir", mkdir("/tmp/d", 0755) == 0 && mkdir("/tmp/d", 0755) == -1 && errno == EEXIST &&
	      mkdir("/tmp/d/sub", 0755) == 0, "mkdir");
	close(open("/tmp/d/a", O_CREAT | O_WRONLY, 0644));
	close(open("/tmp/d/b", O_CREAT | O_WRONLY, 0644));
	DIR *d = opendir("/tmp/d");
	struct dirent *e;
	while (d && (e = readdir(d)) && n < 8) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			dots++;
		else
			seen[n++] = strcmp(e->d_name, "sub") == 0 && e->d_type == DT_DIR ? "sub/" : e->d_name;
	}
	int all = n == 3 && dots == 2;
	for (int i = 0; i < n; i++)
		all = all && (strcmp(seen[i], "a") == 0 || strcmp(seen[i], "b") == 0 ||
			      strcmp(seen[i], "sub/") == 0);
	if (d)
		closedir(d);
	check("readdir", all, "not exactly ., .., a, b, sub/");
	check("rmdir", rmdir("/tmp/d") == -1 && errno == ENOTEMPTY && unlink("/tmp/d/sub") == -1 &&
	      errno == EISDIR && rmdir("/tmp/d/a") == -1 && errno == ENOTDIR &&
	      rmdir("/tmp/d/sub") == 0, "rmdir's errors");
	check("enoent", open("/tmp/none", O_RDONLY) == -1 && errno == ENOENT &&
	      open("/tmp/d/a/x", O_RDONLY) == -1 && errno == ENOTDIR &&
	      open("/tmp/d", O_WRONLY) == -1 && errno == EISDIR, "open's errors");
}

static void check_names(void)
{
	char cwd[64];
	int fd = open("/tmp/d/a", O_RDWR);

	check("rename", rename("/tmp/d/a", "/tmp/d/c") == 0 && access("/tmp/d/a", F_OK) == -1 &&
	      access("/tmp/d/c", R_OK | W_OK) == 0 && rename("/tmp/d/b", "/tmp/d/c") == 0 &&
	      access("/tmp/d/b", F_OK) == -1 && rename("/tmp", "/tmp/d/x") == -1 && errno == EINVAL,
	      "rename");
	check("unlink_open", unlink("/tmp/d/c") == 0 && write(fd, "kept", 4) == 4 &&
	      pread(fd, cwd, 4, 0) == 4 && memcmp(cwd, "kept", 4) == 0, "an unlinked open file");
	close(fd);
	check("chdir", chdir("/tmp/d") == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp/d") == 0 &&
	      close(open("rel", O_CREAT | O_WRONLY, 0644)) == 0 && access("/tmp/d/rel", F_OK) == 0 &&
	      chdir("..") == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp") == 0, cwd);
	int dir = open("/tmp/d", O_RDONLY | O_DIRECTORY);
	check("openat", dir >= 0 && close(openat(dir, "at", O_CREAT | O_WRONLY, 0644)) == 0 &&
	      access("/tmp/d/at", F_OK) == 0 && unlinkat(dir, "at", 0) == 0 &&
	      access("d/at", F_OK) == -1 && errno == ENOENT, "openat, unlinkat relative to a dirfd");
	close(dir);
	check("root", rmdir("/") == -1 && mkdir("/", 0755) == -1 && errno == EEXIST, "/ removable");
}

/* 1 MiB in 4 KiB writes of a pattern, read back in 3 KiB reads. */
static void check_big_file(void)
{
	static unsigned char block[4096], back[3072];
	int fd = open("/tmp/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int ok = fd >= 0;

	for (int i = 0; i < 256 && ok; i++) {
		for (int j = 0; j < 4096; j++)
			block[j] = (unsigned char)(i * 7 + j);
		ok = write(fd, block, sizeof block) == (ssize_t)sizeof block;
	}
	ok = ok && lseek(fd, 0, SEEK_SET) == 0;
	for (long off = 0; ok && off < 1 << 20; off += sizeof back) {
		ssize_t n = read(fd, back, sizeof back);
		for (ssize_t k = 0; ok && k < n; k++)
			ok = back[k] == (unsigned char)((off + k) / 4096 * 7 + (off + k) % 4096);
		ok = ok && n == (off + 3072 <= 1 << 20 ? 3072 : (1 << 20) - off);
	}
	check("big_file", ok && read(fd, back, 1) == 0 && close(fd) == 0, "1 MiB read back");
	unlink("/tmp/big");
}

static int cat(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		printf("files: cat %s: %s\n", path, strerror(errno));
		return 1;
	}
	printf("files: cat %s {\n", path);
	fflush(stdout);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	printf("files: }\n");
	return n < 0 || close(fd) != 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "cat") == 0)
		return cat(argv[2]);
	check_stdio();
	check_offsets();
	check_descriptors();
	check_directories();
	check_names();
	check_big_file();
	printf("files: %d failures\n", failures);
	return failures != 0;
}
