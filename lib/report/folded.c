/*
 * The -folded report: Brendan Gregg's collapsed stacks, the input of
 * flamegraph.pl. One line per distinct stack, "root;caller;leaf value",
 * frames named at the report's granularity. Inlined frames carry the
 * "_[i]" suffix that FlameGraph's own collapsers (stackcollapse-perf.pl
 * --inline) use, so reading the text back restores them as inlined.
 */
#include <inttypes.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/stacks.h"
#include "report/report_internal.h"
#include "util/utf8.h"

/* ';' separates frames and a newline ends the line: neither may appear;
 * nor may other control characters, which would stop the text from being
 * read back as folded stacks. flamegraph.pl reads UTF-8: a byte that is
 * not becomes U+FFFD. */
static void put_frame(FILE *out, const cv_frame *f)
{
	const char *c = f->name, *end = c + strlen(c);
	while (c < end) {
		size_t n = cv_utf8_len(c, (size_t)(end - c));
		char ch = *c;
		if (n == 0)
			fputs(CV_UTF8_REPLACEMENT, out);
		else if (n > 1)
			fwrite(c, 1, n, out);
		else if (ch == ';')
			fputc(':', out);
		else if ((ch >= 0 && ch < 0x20 && ch != '\t') || ch == 0x7f)
			fputc(' ', out);
		else
			fputc(ch, out);
		c += n ? n : 1;
	}
	if (f->inlined)
		fputs("_[i]", out);
}

int cv_report_folded(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	report_ctx c;
	cv_stacks *st;
	int rc = report_stacks(&st, &c, p, o);
	if (rc)
		return rc;
	for (size_t i = 0; i < st->n_stacks; i++) {
		const cv_stack *s = &st->stacks[i];
		/* flamegraph.pl takes only counts >= 0; a negative sum (diff
		 * profiles) has no width to draw. */
		if (s->value <= 0)
			continue;
		for (uint32_t d = 0; d < s->depth; d++) {
			if (d)
				fputc(';', out);
			put_frame(out, &st->frames[s->frames[d]]);
		}
		fprintf(out, " %" PRId64 "\n", s->value);
	}
	cv_stacks_free(st);
	return ferror(out) ? cv_error_set(CV_EIO, "writing the folded stacks failed") : 0;
}
