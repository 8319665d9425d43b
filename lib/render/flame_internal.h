#ifndef CV_RENDER_FLAME_INTERNAL_H
#define CV_RENDER_FLAME_INTERNAL_H

/* Pieces of the flame graph writer shared by its files; not a public API. */

#include <stddef.h>

#include "util/strbuf.h"

/* Labels are monospace: a character is this many pixels wide (11px font). */
#define CV_FLAME_CHAR_WIDTH 6.6

/* The stylesheet: base rules (assets/flame.css, embedded at build time),
 * then the caller's extra CSS, then the rules that must win over it
 * (search matches; flame.c). */
extern const char cv_flame_css[];
extern const char cv_flame_css_last[];

/* The script that zooms, searches and shows details (assets/flame.js,
 * embedded at build time by cmake/embed.cmake). */
extern const char cv_flame_script[];

/*
 * Append s as XML character data: markup escaped, control characters and
 * invalid UTF-8 replaced, so any frame name gives a well-formed document.
 */
void cv_flame_xml_text(cv_strbuf *sb, const char *s);

/* The same, keeping newlines and tabs: the text of a <pre>. */
void cv_flame_xml_lines(cv_strbuf *sb, const char *s);

/*
 * Append s as a label `fit` characters wide: whole if it fits, else its
 * first fit-2 characters and "..", else nothing when fewer than 3 fit. The
 * script's fitLabel applies the same rule when zooming relabels frames.
 */
void cv_flame_xml_label(cv_strbuf *sb, const char *s, size_t fit);

/* How many label characters fit in a frame w pixels wide (0: none). */
size_t cv_flame_fit_chars(double w);

/* A warm fill colour derived from the name; grey when name is NULL. */
void cv_flame_color(cv_strbuf *sb, const char *name);

#endif
