/*
 * The web UI's source view: the -list report as pprof's weblist shows it,
 * as an HTML fragment. The numbers are the point of the view, so the
 * functions of files not on this machine still show them, and one note
 * above says which files those are and how to point callviz at them.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "callviz/error.h"
#include "callviz/report.h"
#include "render/html_internal.h"
#include "report/report_internal.h"

static void note_missing(const char *file, const char *why, void *arg)
{
	cv_strbuf *items = arg;
	cv_strbuf_puts(items, "<li><code>");
	html_escape(items, file);
	cv_strbuf_puts(items, "</code>: ");
	html_escape(items, why);
	cv_strbuf_puts(items, "</li>\n");
}

static void put_note(cv_strbuf *sb, const cv_strbuf *items)
{
	cv_strbuf_puts(sb, "<div class=\"cv-missing\" id=\"cv-missing\">\n"
		       "<p>Source files not found: their functions show the sampled lines, "
		       "with <code>?\?\?</code> for text.</p>\n<ul>\n");
	cv_strbuf_append(sb, items->buf, items->len);
	cv_strbuf_puts(sb, "</ul>\n<p>To show them, start callviz with "
		       "<code>-source_path=DIR[:DIR...]</code>, the directories holding the "
		       "sources (a relative name is looked for under each and its parents; "
		       "the working directory by default), and, for names recorded on "
		       "another machine, <code>-trim_path=PREFIX[:PREFIX...]</code>, the "
		       "build directory to strip from them.</p>\n</div>\n");
}

int cv_report_source_html(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		return cv_error_set(CV_ENOMEM, "out of memory");
	cv_strbuf items = CV_STRBUF_INIT, sb = CV_STRBUF_INIT;
	int rc = report_source_view(mem, p, o, note_missing, &items);
	if (fclose(mem) != 0 && rc == 0)
		rc = cv_error_set(CV_ENOMEM, "out of memory");
	if (rc == 0) {
		if (items.len)
			put_note(&sb, &items);
		cv_strbuf_puts(&sb, "<pre class=\"wv\" id=\"wv-text\">");
		html_escape_pre(&sb, text);
		cv_strbuf_puts(&sb, "</pre>\n");
		if (cv_strbuf_failed(&sb) || cv_strbuf_failed(&items))
			rc = cv_error_set(CV_ENOMEM, "out of memory");
		else if (fwrite(sb.buf, 1, sb.len, out) != sb.len)
			rc = cv_error_set(CV_EIO, "writing the source view failed");
	}
	cv_strbuf_free(&items);
	cv_strbuf_free(&sb);
	free(text);
	return rc;
}
