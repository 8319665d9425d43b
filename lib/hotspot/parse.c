/*
 * The hotspots file: one class pattern per line,
 *
 *     # comment
 *     NAME [#rrggbb] REGEX
 *     builtin
 *
 * Lines naming the same class add patterns to it; the colour of the
 * class's first line is the class's colour (a later one is ignored).
 * "builtin" alone adds the built-in classes at that point of the order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "hotspot/hotspot_internal.h"
#include "util/alloc.h"

#define BLANKS " \t\r\f\v"

static const char *skip_blanks(const char *s)
{
	return s + strspn(s, BLANKS);
}

static void trim_end(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && strchr(BLANKS, s[n - 1]))
		s[--n] = '\0';
}

/* Parse one trimmed, non-empty, non-comment line. */
static int parse_line(cv_hotspots *h, char *line)
{
	if (!strcmp(line, "builtin"))
		return cv_hotspot_add_builtin(h);
	size_t name_len = strcspn(line, BLANKS);
	const char *rest = skip_blanks(line + name_len);
	line[name_len] = '\0';
	if (!hs_valid_name(line, name_len))
		return cv_error_set(CV_EINVAL, "invalid class name \"%s\": want a letter, then "
				    "letters, digits, '_' or '-', at most 32", line);
	char color[8] = "";
	if (rest[0] == '#') {
		size_t clen = strcspn(rest, BLANKS);
		if (clen != 7 || (snprintf(color, sizeof(color), "%.7s", rest), !hs_valid_color(color)))
			return cv_error_set(CV_EINVAL, "invalid colour \"%.*s\" for class %s: want #rrggbb",
					    (int)clen, rest, line);
		rest = skip_blanks(rest + clen);
	}
	if (!rest[0])
		return cv_error_set(CV_EINVAL, "class %s has no pattern (want NAME [#rrggbb] REGEX)", line);
	return cv_hotspot_add(h, line, rest, color[0] ? color : NULL);
}

int cv_hotspot_parse(cv_hotspots *h, const char *text, size_t len)
{
	size_t lineno = 0;
	for (size_t pos = 0; pos < len;) {
		const char *start = text + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		pos += n + (nl != NULL);
		lineno++;
		if (memchr(start, '\0', n))
			return cv_error_set(CV_EINVAL, "line %zu: NUL byte: not a text file", lineno);
		char *line = malloc(n + 1);
		if (!line)
			return cv_error_nomem();
		memcpy(line, start, n);
		line[n] = '\0';
		trim_end(line);
		const char *body = skip_blanks(line);
		int rc = 0;
		if (body[0] && body[0] != '#')
			rc = parse_line(h, (char *)body);
		free(line);
		if (rc) {
			char msg[1024];
			snprintf(msg, sizeof(msg), "%s", cv_error_last());
			return cv_error_set(rc, "line %zu: %s", lineno, msg);
		}
	}
	return 0;
}

int cv_hotspot_load(cv_hotspots *h, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cv_error_set(CV_EIO, "cannot open hotspots file: %s", strerror(errno));
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;
	for (;;) {
		if (len == cap) {
			/* A class list is small; refuse anything absurd. */
			if (cap >= ((size_t)16 << 20)) {
				rc = cv_error_set(CV_EINVAL, "hotspots file is larger than 16MB");
				break;
			}
			if ((rc = CV_GROW(buf, cap, len + 1, 4096)))
				break;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f))
				rc = cv_error_set(CV_EIO, "cannot read hotspots file: %s", strerror(errno));
			break;
		}
	}
	fclose(f);
	if (!rc)
		rc = cv_hotspot_parse(h, buf ? buf : "", len);
	free(buf);
	return rc;
}
