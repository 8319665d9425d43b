#ifndef CV_RENDER_DOT_TEXT_H
#define CV_RENDER_DOT_TEXT_H

/* Passes over finished DOT text for hostile names (dot_text.c). */

#include <stdbool.h>
#include <stdint.h>

#include "util/strbuf.h"

/*
 * Make DOT text with very long names readable and layable by graphviz:
 * a line of a quoted string over 1000 characters is cut short with "…",
 * and a string still longer than graphviz's lexer accepts (16 KiB) is
 * split into pieces joined by DOT's "a" + "b". Text without a line over
 * 1000 bytes is left as it is. Returns 0 or CV_ENOMEM (error set).
 */
int cv_dot_tame_strings(cv_strbuf *sb);

/*
 * Make DOT text valid UTF-8 for whatever reads it (graphviz, an editor):
 * invalid UTF-8 and control characters other than tab, newline and
 * return become U+FFFD, the replacements cv_dot_clean_for_graphviz makes.
 * Clean text is left as it is. Returns 0 or CV_ENOMEM (error set).
 */
int cv_dot_clean_strings(cv_strbuf *sb);

/*
 * A copy of DOT text for graphviz to lay out: invalid UTF-8 and control
 * characters other than tab, newline and return become U+FFFD, so that
 * graphviz neither guesses Latin-1 nor writes them into SVG, where XML
 * forbids them. NULL when out of memory.
 */
char *cv_dot_clean_for_graphviz(const char *dot);

#endif
