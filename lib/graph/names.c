/* Printable node names, as pprof's NodeInfo.PrintableName builds them. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "graph/graph_internal.h"
#include "graph/names.h"
#include "util/strbuf.h"

const char *cv_clean_path(cv_arena *a, const char *path)
{
	size_t n = strlen(path);
	if (n == 0)
		return ".";
	bool rooted = path[0] == '/';
	char *out = cv_arena_alloc(a, n + 2);
	if (!out)
		return path;
	/* out[0..floor) is a prefix ("/" or "../..") that ".." cannot remove. */
	size_t w = 0, floor = 0;
	if (rooted)
		out[w++] = '/', floor = 1;
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 1 && p[0] == '.') {
			/* "." adds nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (w > floor) {
				while (w > floor && out[w - 1] != '/')
					w--;
				if (w > floor)
					w--;
			} else if (!rooted) {
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				floor = w;
			}
		} else {
			if (w > (size_t)rooted)
				out[w++] = '/';
			memcpy(out + w, p, len);
			w += len;
		}
		p += len;
	}
	if (w == 0)
		out[w++] = '.';
	out[w] = '\0';
	return out;
}

static const char *base_name(const char *path)
{
	/* filepath.Base: last element, trailing slashes ignored. */
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t s = n;
	while (s > 0 && path[s - 1] != '/')
		s--;
	static _Thread_local char buf[4096];
	size_t len = n - s < sizeof(buf) - 1 ? n - s : sizeof(buf) - 1;
	memcpy(buf, path + s, len);
	buf[len] = '\0';
	return len ? buf : ".";
}

const char *cv_node_name(const cv_graph *g, const cv_node *n)
{
	node_impl *ni = node_of(n);
	if (!ni->printable)
		ni->printable = cv_node_info_name(g->arena, &n->info);
	return ni->printable;
}

const char *cv_node_info_name(cv_arena *a, const cv_node_info *i)
{
	cv_strbuf sb = CV_STRBUF_INIT;
	if (i->address)
		cv_strbuf_printf(&sb, "%016" PRIx64, i->address);
	if (i->name[0]) {
		if (sb.len)
			cv_strbuf_putc(&sb, ' ');
		cv_strbuf_puts(&sb, i->name);
	}
	const char *tail = NULL;
	char line[32];
	if (i->lineno) {
		snprintf(line, sizeof(line), ":%" PRId64, i->lineno);
		if (sb.len)
			cv_strbuf_putc(&sb, ' ');
		cv_strbuf_puts(&sb, i->file);
		cv_strbuf_puts(&sb, line);
	} else if (i->file[0]) {
		tail = i->file;
	} else if (i->name[0]) {
		/* the function name alone */
	} else if (i->objfile[0]) {
		if (sb.len)
			cv_strbuf_putc(&sb, ' ');
		cv_strbuf_printf(&sb, "[%s]", base_name(i->objfile));
	} else {
		tail = "<unknown>";
	}
	if (tail) {
		if (sb.len)
			cv_strbuf_putc(&sb, ' ');
		cv_strbuf_puts(&sb, tail);
	}
	const char *name = sb.buf ? cv_arena_strndup(a, sb.buf, sb.len) : "";
	cv_strbuf_free(&sb);
	return name ? name : "";
}
