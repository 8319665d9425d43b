/* Atomic output: a report either lands whole at its path or not at all. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "callviz/error.h"
#include "cli.h"

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A fresh file's mode, as open(2) with 0666 would give it under the umask. */
static mode_t file_mode(void)
{
	mode_t mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

/* Temp file beside `path`, written, synced and renamed over it. */
static int replace_file(const char *path, const void *data, size_t len)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	if (!tmp)
		return cv_error_set(CV_ENOMEM, "out of memory");
	/* The temp file sits beside the target so rename() stays atomic. */
	snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int rc = cv_error_set(CV_EIO, "cannot create output %s: %s", path, strerror(errno));
		free(tmp);
		return rc;
	}
	fchmod(fd, file_mode());
	int rc = 0;
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0)
		rc = cv_error_set(CV_EIO, "writing %s: %s", path, strerror(errno));
	if (close(fd) != 0 && rc == 0)
		rc = cv_error_set(CV_EIO, "writing %s: %s", path, strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0)
		rc = cv_error_set(CV_EIO, "cannot replace %s: %s", path, strerror(errno));
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Devices and pipes have no previous contents to protect, and must not be
 * replaced by a regular file (-output /dev/null run as root). */
static int write_in_place(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return cv_error_set(CV_EIO, "cannot open output %s: %s", path, strerror(errno));
	int rc = 0;
	if (write_all(fd, data, len) != 0)
		rc = cv_error_set(CV_EIO, "writing %s: %s", path, strerror(errno));
	if (close(fd) != 0 && rc == 0)
		rc = cv_error_set(CV_EIO, "writing %s: %s", path, strerror(errno));
	return rc;
}

int cli_write_file(const char *path, const void *data, size_t len)
{
	/* Over a file-size limit, fail with EFBIG and clean up rather than
	 * die of SIGXFSZ and leave the temp file behind. */
	void (*xfsz)(int) = signal(SIGXFSZ, SIG_IGN);
	struct stat st;
	int rc;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		rc = write_in_place(path, data, len);
	} else {
		/* Through a symlink, replace the file it names, not the link. */
		char *real = realpath(path, NULL);
		rc = replace_file(real ? real : path, data, len);
		free(real);
	}
	signal(SIGXFSZ, xfsz);
	return rc;
}
