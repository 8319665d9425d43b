/*
 * The colour and size arithmetic must reproduce pprof's float results bit
 * for bit, since a one-ulp difference can flip a truncated colour byte.
 * Go on amd64 never fuses multiply-add; keep GCC from doing so either.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include "render/dot_style.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "callviz/units.h"
#include "util/goconv.h"

void cv_dot_escape(cv_strbuf *sb, const char *s)
{
	while (*s) {
		size_t run = strcspn(s, "\\\"\n");
		cv_strbuf_append(sb, s, run);
		s += run;
		switch (*s) {
		case '\\': cv_strbuf_append(sb, "\\\\", 2); break;
		case '"': cv_strbuf_append(sb, "\\\"", 2); break;
		case '\n': cv_strbuf_append(sb, "\\l", 2); break;
		default: return;
		}
		s++;
	}
}

void cv_dot_repair(cv_strbuf *sb, const char *s, bool at_end)
{
	/* graphviz's lexer takes a backslash and the byte after it as a pair,
	 * so only a lone quote or a final backslash can close the string. */
	for (; *s; s++) {
		if (*s == '\\' && s[1] != '\0') {
			cv_strbuf_append(sb, s, 2);
			s++;
		} else if (*s == '\\') {
			cv_strbuf_append(sb, "\\\\", at_end ? 2 : 1);
		} else if (*s == '"') {
			cv_strbuf_append(sb, "\\\"", 2);
		} else {
			cv_strbuf_putc(sb, *s);
		}
	}
}

int64_t cv_dot_div(int64_t v, int64_t div)
{
	if (div == 0)
		return v;
	if (div == -1)
		return (int64_t)(0 - (uint64_t)v);
	return v / div;
}

int64_t cv_dot_scaled_ratio(int64_t a, int64_t m, int64_t b)
{
	return cv_dot_div((int64_t)((uint64_t)a * (uint64_t)m), b);
}

/* Go's uint8(f) for a float: through int64, keeping the low byte. */
static unsigned go_uint8(double f)
{
	return (unsigned)((uint64_t)cv_go_int64(f) & 0xff);
}

/* Go's math.Pow(x, 0.3) reduces to Exp(y*Log(x)) for a fractional y. */
static double go_pow_03(double x)
{
	if (x == 1.0)
		return 1.0;
	if (x == 0.0)
		return 0.0;
	double y = 0.3; /* Go folds 1.0-shift exactly, unlike C's 1.0-0.7 */
	double p = y * log(x);
	return exp(p);
}

void cv_dot_color(char out[8], double score, bool background)
{
	double saturation = background ? 0.1 : 1.0;
	double value = background ? 0.93 : 0.7;

	/* math.Min/Max propagate NaN where fmin/fmax would drop it */
	if (!isnan(score)) {
		if (score > 1.0)
			score = 1.0;
		if (score < -1.0)
			score = -1.0;
	}
	if (fabs(score) < 0.2)
		saturation *= fabs(score) / 0.2;
	if (score > 0.0)
		score = go_pow_03(score);
	if (score < 0.0)
		score = -go_pow_03(-score);

	double r, g, b;
	if (score < 0.0) {
		g = value;
		r = value * (1 + saturation * score);
	} else {
		r = value;
		g = value * (1 - saturation * score);
	}
	b = value * (1 - saturation);
	snprintf(out, 8, "#%02x%02x%02x", go_uint8(r * 255.0),
		 go_uint8(g * 255.0), go_uint8(b * 255.0));
}

int cv_dot_font_size(int64_t flat, double max_flat)
{
	int size = 8;
	double f = (double)cv_abs64(flat);
	if (max_flat != 0 && flat != 0 && f <= max_flat)
		size += (int)cv_go_int64(ceil(16.0 * sqrt(f / max_flat)));
	return size;
}

const char *cv_dot_value(char *buf, size_t size, int64_t v,
			 const cv_dot_config *cfg)
{
	const char *from = cfg->sample_unit ? cfg->sample_unit : "";
	const char *to = cfg->output_unit ? cfg->output_unit : "minimum";
	if (cfg->ratio > 0 && cfg->ratio != 1)
		v = cv_go_int64((double)v * cfg->ratio);
	return cv_unit_label(buf, size, v, from, to);
}
