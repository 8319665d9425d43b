/* Text and colour for flame graph frames: safe XML, fitted labels, warm fills. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "render/flame_internal.h"
#include "util/hash.h"
#include "util/utf8.h"

/* Append up to `limit` characters of s; returns how many were appended.
 * With keep_lines, newlines and tabs stay (text in a <pre>). */
static size_t put_chars(cv_strbuf *sb, const char *str, size_t limit, bool keep_lines)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + strlen(str);
	size_t count = 0;
	while (s < end && count < limit) {
		size_t n = cv_utf8_len((const char *)s, (size_t)(end - s));
		unsigned char cp = *s;
		if (n == 0) {
			cv_strbuf_puts(sb, CV_UTF8_REPLACEMENT);
			n = 1;
		} else if (n > 1) {
			cv_strbuf_append(sb, (const char *)s, n);
		} else if (cp < 0x20) {
			cv_strbuf_putc(sb, keep_lines && (cp == '\n' || cp == '\t') ? (char)cp : ' ');
		} else if (cp == '&') {
			cv_strbuf_puts(sb, "&amp;");
		} else if (cp == '<') {
			cv_strbuf_puts(sb, "&lt;");
		} else if (cp == '>') {
			cv_strbuf_puts(sb, "&gt;");
		} else if (cp == '"') {
			cv_strbuf_puts(sb, "&quot;");
		} else {
			cv_strbuf_append(sb, (const char *)s, n);
		}
		s += n;
		count++;
	}
	return count;
}

/* Characters in s, counting each invalid byte as one, as put_chars does. */
static size_t char_count(const char *str)
{
	const char *s = str, *end = s + strlen(str);
	size_t count = 0;
	while (s < end) {
		size_t n = cv_utf8_len(s, (size_t)(end - s));
		s += n ? n : 1;
		count++;
	}
	return count;
}

void cv_flame_xml_text(cv_strbuf *sb, const char *s)
{
	put_chars(sb, s, SIZE_MAX, false);
}

void cv_flame_xml_lines(cv_strbuf *sb, const char *s)
{
	put_chars(sb, s, SIZE_MAX, true);
}

void cv_flame_xml_label(cv_strbuf *sb, const char *s, size_t fit)
{
	size_t len = char_count(s);
	if (len <= fit) {
		put_chars(sb, s, len, false);
	} else if (fit >= 3) {
		put_chars(sb, s, fit - 2, false);
		cv_strbuf_puts(sb, "..");
	}
}

size_t cv_flame_fit_chars(double w)
{
	double n = floor((w - 6) / CV_FLAME_CHAR_WIDTH);
	return n > 0 ? (size_t)n : 0;
}

/* HSL to an sRGB hex triplet; h in degrees, s and l in [0, 1]. */
static void put_hsl(cv_strbuf *sb, double h, double s, double l)
{
	double c = (1 - fabs(2 * l - 1)) * s;
	double hp = h / 60, x = c * (1 - fabs(fmod(hp, 2) - 1)), m = l - c / 2;
	double r = 0, g = 0, b = 0;
	if (hp < 1)
		r = c, g = x;
	else if (hp < 2)
		r = x, g = c;
	else
		g = c, b = x;
	cv_strbuf_printf(sb, "#%02x%02x%02x", (int)lround((r + m) * 255),
			 (int)lround((g + m) * 255), (int)lround((b + m) * 255));
}

/*
 * The part of a frame name that names the function: without the address
 * -addresses puts first and the " file:line" -lines puts last, so every
 * frame of one function gets its colour at any granularity.
 */
static void function_part(const char *name, const char **start, const char **end)
{
	const char *s = name, *e = name + strlen(name);
	size_t hex = strspn(s, "0123456789abcdef");
	if (hex == 16 && s[16] == ' ')
		s += 17;
	const char *colon = strrchr(s, ':'), *space = strrchr(s, ' ');
	if (colon && space && space < colon && colon[1] &&
	    strspn(colon + 1, "0123456789") == strlen(colon + 1))
		e = space;
	*start = s;
	*end = e;
}

/*
 * The same function always gets the same colour, so it is recognisable
 * across the graph and across runs; hues stay between red and yellow.
 */
void cv_flame_color(cv_strbuf *sb, const char *name)
{
	if (!name) {
		cv_strbuf_puts(sb, "#c8c8c8");
		return;
	}
	const char *s, *e;
	function_part(name, &s, &e);
	uint64_t h = cv_fnv1a(CV_FNV_OFFSET, s, (size_t)(e - s));
	h ^= h >> 31;
	double hue = (double)(h % 56);
	double sat = 0.72 + (double)((h >> 8) % 24) / 100;
	double light = 0.52 + (double)((h >> 16) % 14) / 100;
	put_hsl(sb, hue, sat, light);
}
