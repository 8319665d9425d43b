/*
 * Finding source files named in a profile, as pprof does: strip -trim_path
 * prefixes (or, without any, guess the prefix from the search path's
 * directory names), then look for the file under every -source_path
 * directory and each of its parents.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "report/report_internal.h"
#include "graph/names.h"
#include "report/source_path.h"
#include "util/arena.h"

/* The next element of a ':'-separated list (Go's filepath.SplitList). */
static bool next_element(const char **list, const char **elem, size_t *len)
{
	if (!*list)
		return false;
	const char *colon = strchr(*list, ':');
	*elem = *list;
	*len = colon ? (size_t)(colon - *list) : strlen(*list);
	*list = colon ? colon + 1 : NULL;
	return true;
}

/* Go's filepath.Base of a list element, into buf. */
static const char *base_of(const char *dir, size_t len, char *buf, size_t size)
{
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len == 0)
		return ".";
	if (len == 1 && dir[0] == '/')
		return "/";
	size_t s = len;
	while (s > 0 && dir[s - 1] != '/')
		s--;
	snprintf(buf, size, "%.*s", (int)(len - s), dir + s);
	return buf;
}

/* path without `prefix` (which gets a '/' appended if it lacks one), or NULL. */
static const char *strip(const char *path, const char *prefix, size_t len)
{
	bool slash = len > 0 && prefix[len - 1] == '/';
	if (strncmp(path, prefix, len) != 0 || (!slash && path[len] != '/'))
		return NULL;
	return path + len + (slash ? 0 : 1);
}

const char *cv_source_trim(const char *path, const char *trim_path, const char *search_path)
{
	const char *list, *elem, *rest;
	size_t len;
	if (!trim_path || !trim_path[0]) {
		/* "/remote/proj/foo/bar.c" with proj on the search path: "foo/bar.c". */
		list = search_path && search_path[0] ? search_path : NULL;
		while (next_element(&list, &elem, &len)) {
			char base[4096], want[4100];
			snprintf(want, sizeof(want), "/%s/", base_of(elem, len, base, sizeof(base)));
			const char *found = strstr(path, want);
			if (found)
				return found + strlen(want);
		}
	}
	list = trim_path && trim_path[0] ? trim_path : NULL;
	while (next_element(&list, &elem, &len))
		if ((rest = strip(path, elem, len)))
			return rest;
	/* Build systems that run compilers in a sandbox leave these behind. */
	static const char *const builtin[] = {"/proc/self/cwd/./", "/proc/self/cwd/"};
	for (size_t i = 0; i < 2; i++)
		if ((rest = strip(path, builtin[i], strlen(builtin[i]))))
			return rest;
	return path;
}

/* Go's os.Open error text: "open PATH: no such file or directory". */
static int open_error(char *err, size_t size, const char *path, int code)
{
	char msg[256];
	snprintf(msg, sizeof(msg), "%s", strerror(code));
	msg[0] = (char)tolower((unsigned char)msg[0]);
	snprintf(err, size, "open %s: %s", path, msg);
	return -1;
}

/* dir/path, cleaned as Go's filepath.Join does. */
static const char *join(cv_arena *a, const char *dir, size_t len, const char *path)
{
	char *s = len ? cv_arena_printf(a, "%.*s/%s", (int)len, dir, path)
		      : cv_arena_strdup(a, path);
	return s ? cv_clean_path(a, s) : path;
}

/* Go's filepath.Dir of a cleaned path. */
static const char *parent_of(cv_arena *a, const char *dir)
{
	const char *slash = strrchr(dir, '/');
	if (!slash)
		return ".";
	if (slash == dir)
		return "/";
	return cv_arena_strndup(a, dir, (size_t)(slash - dir));
}

FILE *cv_source_open(const char *path, const char *trim_path, const char *search_path,
		     char *err, size_t err_size)
{
	path = cv_source_trim(path, trim_path, search_path);
	if (path[0] == '/') {
		FILE *f = fopen(path, "r");
		if (!f)
			open_error(err, err_size, path, errno);
		return f;
	}
	cv_arena *a = cv_arena_new();
	const char *list = search_path, *elem;
	size_t len;
	FILE *f = NULL;
	while (a && !f && next_element(&list, &elem, &len)) {
		const char *dir = len ? cv_arena_strndup(a, elem, len) : "";
		for (;;) {
			const char *file = join(a, dir, strlen(dir), path);
			if ((f = fopen(file, "r")))
				break;
			const char *up = dir[0] ? parent_of(a, dir) : ".";
			if (strcmp(up, dir) == 0 || !dir[0])
				break;
			dir = up;
		}
	}
	cv_arena_free(a);
	if (!f)
		snprintf(err, err_size, "could not find file %s on path %s", path, search_path);
	return f;
}

int cv_report_trim_paths(cv_profile *p, const char *trim_path, const char *source_path)
{
	for (size_t i = 0; i < p->n_functions; i++) {
		cv_function *f = &p->functions[i];
		f->filename = cv_source_trim(f->filename, trim_path, source_path);
	}
	return 0;
}
