/*
 * Passes over finished DOT text that keep hostile names from breaking
 * graphviz. pprof writes names into DOT as they are; graphviz then fails
 * to lay out a node kilobytes wide, fails to read a quoted string over
 * 16 KiB (its lexer's buffer), and writes invalid UTF-8 and control
 * characters straight into SVG, which XML forbids. Ordinary names never
 * reach any of these cases, so output for them stays byte-identical to
 * pprof's.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "render/dot_text.h"
#include "util/utf8.h"

/* Under graphviz's 16384-byte token limit, with room for the quotes. */
#define PIECE_MAX 16000
/* Characters of one label line: wider nodes make dot's layout fail
 * ("Edge length ... larger than maximum 65535 allowed"). */
#define LINE_MAX 1000

/* A UTF-8 continuation byte: never split before one, nor count it. */
static bool continuation(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

/* \n, \l and \r end a line of a graphviz label; so does a raw newline. */
static bool line_break(const char *s, size_t i, size_t len)
{
	return s[i] == '\n' ||
	       (s[i] == '\\' && i + 1 < len && strchr("nlr", s[i + 1]) && s[i + 1]);
}

typedef struct tamer {
	cv_strbuf out;
	size_t piece;       /* bytes in the current piece of a quoted string */
	size_t line;        /* characters in the current line of it */
	bool cut;           /* the rest of this line is being dropped */
} tamer;

/* Copy one character (an escape pair, or one byte) of a quoted string. */
static void quoted_char(tamer *t, const char *s, size_t n, bool brk)
{
	if (brk) {
		t->line = 0;
		t->cut = false;
	} else if (!continuation(s[0]) && ++t->line > LINE_MAX) {
		if (!t->cut)
			cv_strbuf_puts(&t->out, "\xe2\x80\xa6");  /* U+2026 */
		t->cut = true;
	}
	if (t->cut && !brk)
		return;
	if (t->piece + n > PIECE_MAX && !continuation(s[0])) {
		/* DOT joins "a" + "b" into one string before reading it. */
		cv_strbuf_puts(&t->out, "\" + \"");
		t->piece = 0;
	}
	cv_strbuf_append(&t->out, s, n);
	t->piece += n;
}

int cv_dot_tame_strings(cv_strbuf *sb)
{
	const char *s = sb->buf;
	size_t len = sb->len, run = 0, longest = 0;
	for (size_t i = 0; i < len; i++) {
		run = s[i] == '\n' ? 0 : run + 1;
		longest = run > longest ? run : longest;
	}
	if (longest <= LINE_MAX && len <= PIECE_MAX)
		return 0;  /* nothing can need taming */
	tamer t = {.out = CV_STRBUF_INIT};
	bool quoted = false;
	for (size_t i = 0; i < len; i++) {
		if (quoted && s[i] != '"') {
			size_t n = s[i] == '\\' && i + 1 < len ? 2 : 1;
			quoted_char(&t, s + i, n, line_break(s, i, len));
			i += n - 1;
			continue;
		}
		if (s[i] == '"') {
			quoted = !quoted;
			t.piece = t.line = 0;
			t.cut = false;
		}
		cv_strbuf_putc(&t.out, s[i]);
	}
	if (cv_strbuf_failed(&t.out)) {
		cv_strbuf_free(&t.out);
		return cv_error_set(CV_ENOMEM, "render DOT: out of memory");
	}
	cv_strbuf_free(sb);
	*sb = t.out;
	return 0;
}

/* Bytes of the sequence at s that graphviz takes as they are; 0 when it
 * must become U+FFFD (invalid UTF-8, a control other than \t \n \r). */
static size_t kept_len(const char *s, size_t n)
{
	size_t len = cv_utf8_len(s, n);
	unsigned char c = (unsigned char)s[0];
	if (len == 1 && (c < 0x20 || c == 0x7f) && c != '\n' && c != '\t' && c != '\r')
		return 0;
	return len;
}

/* s[0..n) into out with every byte kept_len refuses replaced. */
static void clean_into(cv_strbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t len = kept_len(s + i, n - i);
		if (len == 0) {
			cv_strbuf_puts(out, CV_UTF8_REPLACEMENT);
			i++;
			continue;
		}
		cv_strbuf_append(out, s + i, len);
		i += len;
	}
}

int cv_dot_clean_strings(cv_strbuf *sb)
{
	size_t i = 0;
	while (i < sb->len) {
		size_t len = kept_len(sb->buf + i, sb->len - i);
		if (len == 0)
			break;
		i += len;
	}
	if (i == sb->len)
		return 0;  /* the common case: nothing to replace, nothing copied */
	cv_strbuf out = CV_STRBUF_INIT;
	clean_into(&out, sb->buf, sb->len);
	if (cv_strbuf_failed(&out)) {
		cv_strbuf_free(&out);
		return cv_error_set(CV_ENOMEM, "render DOT: out of memory");
	}
	cv_strbuf_free(sb);
	*sb = out;
	return 0;
}

char *cv_dot_clean_for_graphviz(const char *dot)
{
	cv_strbuf out = CV_STRBUF_INIT;
	clean_into(&out, dot, strlen(dot));
	if (cv_strbuf_failed(&out)) {
		cv_strbuf_free(&out);
		return NULL;
	}
	return cv_strbuf_detach(&out, NULL);
}
