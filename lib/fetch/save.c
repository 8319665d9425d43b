#define _GNU_SOURCE
/*
 * Keeping what was fetched, where and as go tool pprof keeps it, so a
 * profile from a live service can be looked at again (by either tool)
 * after the service is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "callviz/error.h"
#include "callviz/fetch.h"
#include "fetch/fetch_internal.h"
#include "util/alloc.h"
#include "util/strbuf.h"

/* Go's filepath.Base for a non-empty path. */
static void put_base(cv_strbuf *sb, const char *path)
{
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	const char *start = path;
	for (size_t i = 0; i + 1 < len; i++)
		if (path[i] == '/')
			start = path + i + 1;
	cv_strbuf_append(sb, start, len - (size_t)(start - path));
}

char *cv_fetch_save_prefix(const cv_profile *p)
{
	cv_strbuf sb = CV_STRBUF_INIT;
	cv_strbuf_puts(&sb, "pprof.");
	if (p->n_mappings > 0 && p->mappings[0].file[0]) {
		put_base(&sb, p->mappings[0].file);
		cv_strbuf_putc(&sb, '.');
	}
	for (size_t i = 0; i < p->n_sample_types; i++) {
		cv_strbuf_puts(&sb, p->sample_types[i].type);
		cv_strbuf_putc(&sb, '.');
	}
	if (cv_strbuf_failed(&sb)) {
		cv_strbuf_free(&sb);
		return NULL;
	}
	return cv_strbuf_detach(&sb, NULL);
}

/* mkdir -p with mode 0755, as os.MkdirAll. */
static int make_dirs(const char *dir)
{
	char *path = strdup(dir);
	if (!path)
		return cv_error_nomem();
	int rc = 0;
	for (char *c = path + 1;; c++) {
		if (*c != '/' && *c != '\0')
			continue;
		char saved = *c;
		*c = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			rc = cv_error_set(CV_EIO, "cannot create %s: %s", path, strerror(errno));
		*c = saved;
		if (rc || saved == '\0')
			break;
	}
	struct stat st;
	if (rc == 0 && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
		rc = cv_error_set(CV_EIO, "cannot use %s: not a directory", dir);
	free(path);
	return rc;
}

/* PPROF_TMPDIR, then $HOME/pprof, then the temp directory: the first usable. */
static int pick_dir(char **out, const char *dir)
{
	const char *home = getenv("HOME"), *env = getenv("PPROF_TMPDIR");
	const char *tmp = getenv("TMPDIR");
	char *candidates[3] = {NULL, NULL, NULL};
	size_t n = 0;
	if (dir) {
		candidates[n++] = strdup(dir);
	} else {
		if (env && *env)
			candidates[n++] = strdup(env);
		if (home && *home && asprintf(&candidates[n], "%s/pprof", home) >= 0)
			n++;
		candidates[n++] = strdup(tmp && *tmp ? tmp : "/tmp");
	}
	int rc = cv_error_set(CV_EIO, "no directory to save the profile in");
	for (size_t i = 0; i < n; i++) {
		if (!*out && candidates[i] && make_dirs(candidates[i]) == 0) {
			*out = candidates[i];
			rc = 0;
		} else {
			free(candidates[i]);
		}
	}
	return rc;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Claim the first free pprof.<...>.NNN.pb.gz, as newTempFile does. */
static int create_numbered(char **path, int *fd, const char *dir, const char *prefix)
{
	for (int i = 1; i < 10000; i++) {
		char *name;
		if (asprintf(&name, "%s/%s%03d.pb.gz", dir, prefix, i) < 0)
			return cv_error_nomem();
		*fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (*fd >= 0) {
			*path = name;
			return 0;
		}
		int err = errno;
		free(name);
		if (err != EEXIST)
			return cv_error_set(CV_EIO, "cannot create a file in %s: %s", dir, strerror(err));
	}
	return cv_error_set(CV_EIO, "could not create file of the form %s/%s001.pb.gz", dir, prefix);
}

static int write_numbered(char **path, const char *dir, const char *prefix,
			  const uint8_t *data, size_t len)
{
	int fd = -1;
	int rc = create_numbered(path, &fd, dir, prefix);
	if (rc)
		return rc;
	if (write_all(fd, data, len) != 0)
		rc = cv_error_set(CV_EIO, "writing %s: %s", *path, strerror(errno));
	if (close(fd) != 0 && rc == 0)
		rc = cv_error_set(CV_EIO, "writing %s: %s", *path, strerror(errno));
	if (rc) {
		/* No half-written profile stays behind under a real name. */
		unlink(*path);
		free(*path);
		*path = NULL;
	}
	return rc;
}

int cv_fetch_save(char **path, const cv_profile *p, const void *data, size_t len,
		  const char *dir)
{
	*path = NULL;
	char *where = NULL, *prefix = NULL;
	uint8_t *packed = NULL;
	const uint8_t *bytes = data;
	int rc = pick_dir(&where, dir);
	if (rc == 0 && !(prefix = cv_fetch_save_prefix(p)))
		rc = cv_error_nomem();
	/*
	 * A gzipped body is a profile.proto, kept byte for byte. Anything else
	 * (raw protobuf, collapsed stacks) is written as pprof writes what it
	 * saves: the decoded profile, encoded and gzipped.
	 */
	bool gzipped = len >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
	if (rc == 0 && !gzipped) {
		rc = cv_profile_encode(&packed, &len, p, NULL);
		bytes = packed;
	}
	if (rc == 0)
		rc = write_numbered(path, where, prefix, bytes, len);
	free(packed);
	free(prefix);
	free(where);
	return rc;
}
