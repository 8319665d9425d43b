/* Atomic output: a report either lands whole at its path or not at all. */
#include <errno.h>
#include <fcntl.h>
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

int cli_write_file(const char *path, const void *data, size_t len)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	if (!tmp)
		return cv_error_set(CV_ENOMEM, "out of memory");
	/* The temp file sits beside the target so rename() stays atomic. */
	snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int rc = cv_error_set(CV_EIO, "cannot create output: %s", strerror(errno));
		free(tmp);
		return rc;
	}
	fchmod(fd, 0644 & ~(mode_t)0);
	int rc = 0;
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0)
		rc = cv_error_set(CV_EIO, "write: %s", strerror(errno));
	if (close(fd) != 0 && rc == 0)
		rc = cv_error_set(CV_EIO, "close: %s", strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0)
		rc = cv_error_set(CV_EIO, "rename: %s", strerror(errno));
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}
