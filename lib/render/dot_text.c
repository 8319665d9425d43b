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

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2 :
		     s[0] >= 0xe0 && s[0] <= 0xef ? 3 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
	if (len == 0 || len > n)
		return 0;
	uint32_t cp = len == 1 ? s[0] : s[0] & (0x7f >> len);
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3f);
	}
	static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < least[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp == 0xfffe || cp == 0xffff)
		return 0;  /* overlong, out of range, surrogate, XML non-character */
	return len;
}

char *cv_dot_clean_for_graphviz(const char *dot)
{
	cv_strbuf out = CV_STRBUF_INIT;
	const unsigned char *s = (const unsigned char *)dot;
	size_t n = strlen(dot);
	for (size_t i = 0; i < n;) {
		size_t len = utf8_len(s + i, n - i);
		bool control = len == 1 && (s[i] < 0x20 || s[i] == 0x7f) &&
			       s[i] != '\n' && s[i] != '\t' && s[i] != '\r';
		if (len == 0 || control) {
			cv_strbuf_puts(&out, "\xef\xbf\xbd");  /* U+FFFD */
			i++;
			continue;
		}
		cv_strbuf_append(&out, dot + i, len);
		i += len;
	}
	if (cv_strbuf_failed(&out)) {
		cv_strbuf_free(&out);
		return NULL;
	}
	return cv_strbuf_detach(&out, NULL);
}
