/*
 * Node names as pprof's DOT writer prints them: the one-line printable
 * name used in tooltips and for ordering edges, and the multi-line label
 * with the short function name broken at package and class separators.
 */
#include "render/dot_names.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "render/dot_style.h"

/* Go's filepath.Base on a slash-separated path. */
static void put_base(cv_strbuf *sb, const char *path, bool repair)
{
	size_t len = strlen(path);
	if (len == 0) {
		cv_strbuf_putc(sb, '.');
		return;
	}
	while (len > 0 && path[len - 1] == '/')
		len--;
	if (len == 0) {
		cv_strbuf_putc(sb, '/');
		return;
	}
	size_t start = len;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (!repair) {
		cv_strbuf_append(sb, path + start, len - start);
		return;
	}
	char *base = strndup(path + start, len - start);
	if (!base) {
		sb->failed = true;
		return;
	}
	cv_dot_repair(sb, base, false);
	free(base);
}

/*
 * pprof's NameComponents, joined by `sep`. `name` stands in for the info's
 * name (the label passes the shortened one); `label` selects the label's
 * variant, which uses base file names and DOT-safe file text.
 */
static void put_components(cv_strbuf *sb, const cv_node_info *info,
			   const char *name, const char *sep, bool label)
{
	const char *s = "";
	if (info->address != 0) {
		cv_strbuf_printf(sb, "%016" PRIx64, info->address);
		s = sep;
	}
	if (name && *name) {
		cv_strbuf_puts(sb, s);
		cv_strbuf_puts(sb, name);
		s = sep;
	}
	const char *file = info->file ? info->file : "";
	if (info->lineno != 0 || *file) {
		cv_strbuf_puts(sb, s);
		if (label && *file)
			put_base(sb, file, true);
		else
			cv_strbuf_puts(sb, file);
		if (info->lineno != 0)
			cv_strbuf_printf(sb, ":%" PRId64, info->lineno);
	} else if (name && *name) {
		/* the name alone identifies the node */
	} else if (info->objfile && *info->objfile) {
		cv_strbuf_puts(sb, s);
		cv_strbuf_putc(sb, '[');
		put_base(sb, info->objfile, label);
		cv_strbuf_putc(sb, ']');
	} else {
		cv_strbuf_puts(sb, s);
		cv_strbuf_puts(sb, "<unknown>");
	}
}

void cv_dot_printable_name(cv_strbuf *sb, const cv_node_info *info)
{
	put_components(sb, info, info->name, " ", false);
}

/* Replace every `from` in s by `to`, appending to sb. */
static void put_replaced(cv_strbuf *sb, const char *s, const char *from,
			 const char *to)
{
	size_t flen = strlen(from);
	const char *hit;
	while ((hit = strstr(s, from)) != NULL) {
		cv_strbuf_append(sb, s, (size_t)(hit - s));
		cv_strbuf_puts(sb, to);
		s = hit + flen;
	}
	cv_strbuf_puts(sb, s);
}

/* Takes s; returns a new string with every `from` replaced, or NULL. */
static char *replaced(char *s, const char *from, const char *to)
{
	if (!s)
		return NULL;
	cv_strbuf sb = CV_STRBUF_INIT;
	put_replaced(&sb, s, from, to);
	free(s);
	if (cv_strbuf_failed(&sb)) {
		cv_strbuf_free(&sb);
		return NULL;
	}
	return cv_strbuf_detach(&sb, NULL);
}

/* Shortened, escaped, and split at "::" and "." but not inside "[...]". */
static char *label_name(const char *name)
{
	size_t len = strlen(name);
	char *shortname = malloc(len + 1);
	if (!shortname)
		return NULL;
	cv_shorten_function_name(name, shortname, len + 1);

	cv_strbuf sb = CV_STRBUF_INIT;
	cv_dot_escape(&sb, shortname);
	cv_strbuf_append(&sb, "", 0); /* terminates even an empty result */
	free(shortname);
	char *s = cv_strbuf_failed(&sb) ? NULL : cv_strbuf_detach(&sb, NULL);
	cv_strbuf_free(&sb);
	s = replaced(s, "::", "\\n");
	/* Go elides type parameters as "[...]"; keep the dots together. */
	s = replaced(s, "[...]", "[\xe2\x80\xa6]");
	return replaced(s, ".", "\\n");
}

void cv_dot_label_name(cv_strbuf *sb, const cv_node_info *info)
{
	char *name = label_name(info->name ? info->name : "");
	if (!name) {
		sb->failed = true;
		return;
	}
	put_components(sb, info, name, "\\n", true);
	cv_strbuf_puts(sb, "\\n");
	free(name);
}
