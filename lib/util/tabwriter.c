/* Right-aligned tab-separated columns, after Go's text/tabwriter. */
#include <stdlib.h>
#include <string.h>

#include "util/tabwriter.h"

typedef struct cell {
	const char *text;
	size_t size;                /* bytes */
	size_t width;               /* UTF-8 characters */
} cell;

typedef struct line {
	cell *cells;
	size_t n;                   /* the last cell is the unaligned tail */
	bool flush;                 /* ended by a form feed: columns end here */
} line;

typedef struct layout {
	line *lines;
	size_t n_lines;
	size_t *widths;             /* current column widths, padding included */
	size_t depth;
	cv_strbuf *out;
} layout;

static size_t utf8_width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

static void pad(cv_strbuf *out, size_t n)
{
	while (n--)
		cv_strbuf_putc(out, ' ');
}

static void write_lines(layout *L, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		const line *ln = &L->lines[i];
		for (size_t j = 0; j < ln->n; j++) {
			const cell *c = &ln->cells[j];
			if (j < L->depth)
				pad(L->out, L->widths[j] - c->width);
			cv_strbuf_append(L->out, c->text, c->size);
		}
		if (i + 1 < L->n_lines)
			cv_strbuf_putc(L->out, '\n');
	}
}

/* Has line i a tab-terminated cell in column `col`? */
static bool has_column(const layout *L, size_t i, size_t col)
{
	return col + 1 < L->lines[i].n;
}

/* Go's tabwriter format(): find column blocks, widen, recurse, print. */
static void format(layout *L, size_t from, size_t to)
{
	size_t col = L->depth;
	for (size_t i = from; i < to; i++) {
		if (!has_column(L, i, col))
			continue;
		write_lines(L, from, i);
		from = i;
		size_t width = 0;
		for (; i < to && has_column(L, i, col); i++)
			if (L->lines[i].cells[col].width + 1 > width)
				width = L->lines[i].cells[col].width + 1;
		L->widths[L->depth++] = width;
		format(L, from, i);
		L->depth--;
		from = i;
		i--; /* the loop's i++ must not skip the line that ended the block */
	}
	write_lines(L, from, to);
}

static size_t count(const char *s, const char *set)
{
	size_t n = 0;
	for (; *s; s++)
		n += strchr(set, *s) != NULL;
	return n;
}

void cv_tabwrite_right(cv_strbuf *out, const char *text)
{
	/* As in Go, '\v' ends a cell like '\t', and '\f' ends a line like
	 * '\n' (printed as one) and every column with it. */
	size_t n_lines = count(text, "\n\f") + 1, n_cells = count(text, "\t\v") + n_lines;
	layout L = {calloc(n_lines, sizeof(line)), 0, calloc(n_cells + 1, sizeof(size_t)), 0, out};
	cell *all = calloc(n_cells, sizeof(cell)), *cells = all;
	if (!L.lines || !L.widths || !all) {
		out->failed = true;
		goto done;
	}
	const char *p = text;
	for (;;) {
		line *ln = &L.lines[L.n_lines++];
		ln->cells = cells;
		for (;;) {
			size_t len = strcspn(p, "\t\v\n\f");
			*cells++ = (cell){p, len, utf8_width(p, len)};
			ln->n++;
			p += len;
			if (*p != '\t' && *p != '\v')
				break;
			p++;
		}
		if (*p == '\0') {
			/* Go keeps an unterminated last cell only if it has text. */
			if (cells[-1].size == 0)
				ln->n--;
			break;
		}
		ln->flush = *p++ == '\f';
	}
	size_t from = 0;
	for (size_t i = 0; i < L.n_lines; i++)
		if (L.lines[i].flush) {
			format(&L, from, i + 1);
			from = i + 1;
		}
	format(&L, from, L.n_lines);
done:
	free(L.lines);
	free(L.widths);
	free(all);
}
