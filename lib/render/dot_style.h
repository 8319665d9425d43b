#ifndef CV_RENDER_DOT_STYLE_H
#define CV_RENDER_DOT_STYLE_H

/*
 * Pieces of go tool pprof's DOT visual language shared by the DOT writer
 * and the nodelet (tag box) writer: escaping, colours, font sizes, value
 * formatting and the little bits of Go integer/float semantics they need.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "callviz/render.h"
#include "util/strbuf.h"

/* Room for any formatted value or percentage. */
#define CV_DOT_VALUE_MAX 128

/* pprof's escapeForDot: backslash and quote escaped, newline -> \l. */
void cv_dot_escape(cv_strbuf *sb, const char *s);

/*
 * For text pprof writes into a quoted string unescaped (titles, tag names,
 * file names in labels): keep it byte-identical, but escape what would end
 * the string early, so hostile input still yields valid DOT. `at_end`
 * says the closing quote follows, so a final backslash must be doubled.
 */
void cv_dot_repair(cv_strbuf *sb, const char *s, bool at_end);

/* pprof's dotColor: "#rrggbb" for a score in [-1, 1]. */
void cv_dot_color(char out[8], double score, bool background);

/* Node font size, 8 to 24, growing with the square root of flat. */
int cv_dot_font_size(int64_t flat, double max_flat);

/* rpt.formatValue: v in the sample unit, printed in the output unit. */
const char *cv_dot_value(char *buf, size_t size, int64_t v,
			 const cv_dot_config *cfg);

/* The *Value() mean helpers: v / div, Go's way. */
int64_t cv_dot_div(int64_t v, int64_t div);

/* Go's int64 a*m/b with wrapping multiply and no trap on overflow. */
int64_t cv_dot_scaled_ratio(int64_t a, int64_t m, int64_t b);

#endif
