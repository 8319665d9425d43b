/*
 * The flame graph (-flame) and its upside-down twin (-icicle): one
 * self-contained SVG, no network and no external files. Stacks are merged
 * into a tree, children sorted by name as flamegraph.pl does; every frame
 * is a <g class="f"> holding a <title> (name, then value and share), a
 * <rect> and a <text>, with its position in value units in data-x, data-v
 * and data-d, which the embedded script (assets/flame.js) uses to zoom and to
 * search. Frames too narrow to see are merged, so the file stays small
 * however many samples the profile has.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/render.h"
#include "callviz/units.h"
#include "render/flame_internal.h"
#include "util/alloc.h"
#include "util/strbuf.h"
#include "util/options.h"

#define ROOT_FRAME UINT32_MAX
#define MERGED_FRAME (UINT32_MAX - 1)

enum { PAD = 10, ROW = 16, HEAD = 72, FOOT = 28 };

typedef struct tnode {
	uint32_t frame;         /* index into the stacks' frames, or ROOT_FRAME */
	uint32_t depth;
	int64_t value;          /* the frame and everything above it */
	uint32_t first, last, next; /* children, in stack (name) order; 0 = none */
} tnode;

typedef struct tree {
	tnode *n;               /* n[0] is the root, "all" */
	size_t count, cap;
	int64_t total;          /* the root's value: what the graph shows */
} tree;

static int add_node(tree *t, uint32_t parent, uint32_t frame, uint32_t *out)
{
	if (t->count == UINT32_MAX - 1)
		return cv_error_set(CV_EINVAL, "too many distinct stacks for a flame graph");
	if (CV_GROW(t->n, t->cap, t->count + 1, 1024))
		return cv_error_nomem();
	uint32_t id = (uint32_t)t->count++;
	t->n[id] = (tnode){frame, parent == UINT32_MAX ? 0 : t->n[parent].depth + 1, 0, 0, 0, 0};
	if (parent != UINT32_MAX) {
		tnode *p = &t->n[parent];
		if (p->last)
			t->n[p->last].next = id;
		else
			p->first = id;
		p->last = id;
	}
	*out = id;
	return 0;
}

/*
 * The stacks come sorted frame by frame, so stacks sharing a prefix are
 * neighbours: each one reuses the path of the previous one as far as they
 * agree and adds nodes for the rest. Only positive values have a width.
 */
static int build_tree(tree *t, const cv_stacks *st)
{
	uint32_t root, *path = calloc(1, sizeof(*path));
	const cv_stack *prev = NULL;
	size_t path_cap = 1;
	int rc = path ? add_node(t, UINT32_MAX, ROOT_FRAME, &root)
		      : cv_error_nomem();
	for (size_t i = 0; rc == 0 && i < st->n_stacks; i++) {
		const cv_stack *s = &st->stacks[i];
		if (s->value <= 0)
			continue;
		if (s->depth + 1 > path_cap) {
			uint32_t *np = cv_realloc_array(path, (size_t)s->depth + 1, sizeof(*np));
			if (!np) {
				rc = cv_error_nomem();
				break;
			}
			path = np;
			path_cap = s->depth + 1;
		}
		uint32_t same = 0;
		while (prev && same < s->depth && same < prev->depth &&
		       s->frames[same] == prev->frames[same])
			same++;
		path[0] = root;
		for (uint32_t d = same; rc == 0 && d < s->depth; d++)
			rc = add_node(t, path[d], s->frames[d], &path[d + 1]);
		for (uint32_t d = 0; rc == 0 && d <= s->depth; d++)
			t->n[path[d]].value += s->value;
		prev = s;
	}
	free(path);
	if (rc == 0)
		t->total = t->n[0].value;
	return rc;
}

/* A frame as drawn: a tree node, or the stand-in for merged narrow siblings. */
typedef struct drawn {
	uint32_t node;          /* tree node, or MERGED_FRAME */
	uint32_t depth;
	uint32_t merged;        /* how many siblings a stand-in replaces */
	int64_t x, value;       /* in value units from the left edge */
} drawn;

typedef int (*visit_fn)(void *ctx, const drawn *d);

/*
 * Visit the frames drawn when frames under `min` are merged: children of
 * at least `min` in order, then one stand-in for the rest if together they
 * reach `min`. Pre-order, left to right, with an explicit stack because
 * profiles can be thousands of frames deep.
 */
static int walk(const tree *t, int64_t min, visit_fn visit, void *ctx)
{
	size_t cap = 256, n = 0;
	drawn *todo = malloc(cap * sizeof(*todo));
	if (!todo)
		return cv_error_nomem();
	todo[n++] = (drawn){0, 0, 0, 0, t->total};
	int rc = 0;
	while (n > 0 && rc == 0) {
		drawn d = todo[--n];
		if ((rc = visit(ctx, &d)) || d.node == MERGED_FRAME)
			continue;
		size_t first = n;
		int64_t x = d.x, small = 0;
		uint32_t n_small = 0;
		for (uint32_t c = t->n[d.node].first; c; c = t->n[c].next) {
			const tnode *cn = &t->n[c];
			if (cn->value < min) {
				small += cn->value;
				n_small++;
				continue;
			}
			if ((rc = CV_GROW(todo, cap, n + 2, 256)))
				break;
			todo[n++] = (drawn){c, cn->depth, 0, x, cn->value};
			x += cn->value;
		}
		if (rc == 0 && n_small && small >= min && small > 0)
			todo[n++] = (drawn){MERGED_FRAME, d.depth + 1, n_small, x, small};
		/* Reverse the children just pushed so the leftmost pops first. */
		for (size_t i = first, j = n; i + 1 < j; i++, j--) {
			drawn sw = todo[i];
			todo[i] = todo[j - 1];
			todo[j - 1] = sw;
		}
	}
	free(todo);
	return rc;
}

typedef struct counter {
	size_t frames;
	uint32_t max_depth;
} counter;

static int count_frame(void *ctx, const drawn *d)
{
	counter *c = ctx;
	c->frames++;
	if (d->depth > c->max_depth)
		c->max_depth = d->depth;
	return 0;
}

/*
 * The merge width: frames narrower than min_width pixels, raised until at
 * most max_frames remain so that huge profiles still give a small file.
 */
static int pick_min(const tree *t, const cv_flame_options *o, int64_t *min, counter *c)
{
	double px = (double)t->total / (o->width - 2 * PAD);
	int64_t m = (int64_t)ceil(px * o->min_width);
	if (m < 1)
		m = 1;
	for (;;) {
		*c = (counter){0, 0};
		int rc = walk(t, m, count_frame, c);
		if (rc)
			return rc;
		if (c->frames <= o->max_frames || m > INT64_MAX / 2)
			break;
		m *= 2;
	}
	*min = m;
	return 0;
}

void cv_flame_options_init(cv_flame_options *o)
{
	memset(o, 0, sizeof(*o));
	o->version = CV_FLAME_OPTIONS_VERSION;
	o->width = 1200;
	o->min_width = 0.1;
	o->max_frames = 12000;
	o->output_unit = "minimum";
}

/* Everything writing the frames needs. */
typedef struct painter {
	const tree *t;
	const cv_stacks *st;
	const cv_flame_options *o;
	cv_strbuf *sb;
	double scale;           /* pixels per value unit */
	uint32_t max_depth;
	int64_t total;          /* percentages are of this */
	int64_t min;            /* frames narrower than this were merged */
} painter;

static double row_y(const painter *p, uint32_t depth)
{
	uint32_t row = p->o->icicle ? depth : p->max_depth - depth;
	return HEAD + (double)row * ROW;
}

static void frame_name(const painter *p, const drawn *d, char *buf, size_t size,
		       const char **name, bool *inlined)
{
	*inlined = false;
	if (d->node == MERGED_FRAME) {
		snprintf(buf, size, "(%" PRIu32 " narrow frames merged)", d->merged);
		*name = buf;
		return;
	}
	uint32_t f = p->t->n[d->node].frame;
	if (f == ROOT_FRAME) {
		*name = "all";
		return;
	}
	*name = p->st->frames[f].name;
	*inlined = p->st->frames[f].inlined;
}

static int paint_frame(void *ctx, const drawn *d)
{
	painter *p = ctx;
	cv_strbuf *sb = p->sb;
	char buf[64], val[64], pct[32];
	const char *name;
	bool inlined;
	frame_name(p, d, buf, sizeof(buf), &name, &inlined);
	const char *cls = d->node == MERGED_FRAME ? " m" : d->depth == 0 ? " r" : inlined ? " i" : "";
	const char *extra = NULL;
	if (p->o->frame_class && d->node != MERGED_FRAME && d->depth > 0)
		extra = p->o->frame_class(p->o->frame_class_arg,
					  &p->st->frames[p->t->n[d->node].frame]);
	double x = PAD + (double)d->x * p->scale, w = (double)d->value * p->scale;
	double y = row_y(p, d->depth);
	cv_strbuf_printf(sb, "<g class=\"f%s", cls);
	if (extra && extra[0]) {
		cv_strbuf_putc(sb, ' ');
		cv_flame_xml_text(sb, extra);
	}
	cv_strbuf_printf(sb, "\" data-x=\"%" PRId64 "\" data-v=\"%" PRId64 "\" data-d=\"%" PRIu32
			 "\"><title>", d->x, d->value, d->depth);
	cv_flame_xml_text(sb, name);
	cv_unit_label(val, sizeof(val), d->value, p->o->sample_unit, p->o->output_unit);
	cv_unit_percent(pct, sizeof(pct), d->value, p->total);
	const char *pc = pct;
	while (*pc == ' ')
		pc++;
	cv_strbuf_printf(sb, "\n%s, %s%s</title>", val, pc, inlined ? " (inline)" : "");
	cv_strbuf_printf(sb, "<rect x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"%d\" fill=\"",
			 x, y, w, ROW - 1);
	cv_flame_color(sb, d->node == MERGED_FRAME ? NULL : name);
	cv_strbuf_printf(sb, "\"/><text x=\"%.2f\" y=\"%.0f\">", x + 3, y + ROW - 5);
	cv_flame_xml_label(sb, name, cv_flame_fit_chars(w));
	cv_strbuf_puts(sb, "</text></g>\n");
	return cv_strbuf_failed(sb) ? cv_error_nomem() : 0;
}

/* After the caller's extra CSS, so search matches stay visible on any colour. */
const char cv_flame_css_last[] = ".f.match rect{fill:#d93ee0}\n";

static void paint_head(const painter *p, int height)
{
	const cv_flame_options *o = p->o;
	cv_strbuf *sb = p->sb;
	int w = o->width;
	double factor = 0;
	const char *unit = "";
	if (p->total)
		factor = cv_unit_scale(p->total, o->sample_unit, o->output_unit, &unit) /
			 (double)p->total;
	cv_strbuf_printf(sb,
		"<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" data-pad=\"%d\" data-w=\"%d\" data-cw=\"%.1f\" "
		"data-total=\"%" PRId64 "\" data-min=\"%" PRId64 "\" data-scale=\"%.17g\" "
		"data-unit=\"",
		w, height, w, height, PAD, w - 2 * PAD, CV_FLAME_CHAR_WIDTH, p->total, p->min,
		factor);
	cv_flame_xml_text(sb, unit);
	cv_strbuf_puts(sb, "\">\n<style>\n");
	cv_strbuf_puts(sb, cv_flame_css);
	if (o->extra_css)
		cv_strbuf_puts(sb, o->extra_css);
	cv_strbuf_puts(sb, cv_flame_css_last);
	cv_strbuf_printf(sb, "</style>\n<rect class=\"bg\" width=\"100%%\" height=\"100%%\"/>\n"
			 "<text id=\"title\" x=\"%d\" y=\"24\">", w / 2);
	cv_flame_xml_text(sb, o->title ? o->title : o->icicle ? "Icicle graph" : "Flame graph");
	cv_strbuf_printf(sb, "</text>\n<text id=\"subtitle\" x=\"%d\" y=\"42\">", w / 2);
	cv_flame_xml_text(sb, o->subtitle ? o->subtitle : "");
	cv_strbuf_printf(sb,
		"</text>\n<text id=\"reset\" class=\"btn\" x=\"%d\" y=\"62\" "
		"visibility=\"hidden\">Reset zoom</text>\n"
		"<foreignObject x=\"%d\" y=\"48\" width=\"240\" height=\"20\">"
		"<input xmlns=\"http://www.w3.org/1999/xhtml\" id=\"search\" type=\"text\" "
		"placeholder=\"search (regex)\" autocomplete=\"off\" spellcheck=\"false\"/>"
		"</foreignObject>\n<text id=\"matched\" x=\"%d\" y=\"62\"></text>\n"
		"<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n<g id=\"frames\">\n",
		PAD, w - PAD - 420, w - PAD, PAD, height - 10);
}

int cv_render_flame(char **out, size_t *len, const cv_stacks *st, const cv_flame_options *opts)
{
	int vrc = CV_OPTIONS_CHECK(opts, CV_FLAME_OPTIONS_VERSION, "cv_flame_options");
	if (vrc)
		return vrc;
	cv_flame_options o, defaults;
	cv_flame_options_init(&defaults);
	o = opts ? *opts : defaults;
	/* A zeroed struct is valid: 0 reads as the default size. */
	if (o.width == 0)
		o.width = defaults.width;
	if (o.max_frames == 0)
		o.max_frames = defaults.max_frames;
	if (o.width < 200 || o.max_frames < 1 || !(o.min_width >= 0))
		return cv_error_set(CV_EINVAL, "flame graph: width under 200 or no frames allowed");
	if (!o.sample_unit)
		o.sample_unit = "count";
	if (!o.output_unit)
		o.output_unit = "minimum";
	tree t = {0};
	int rc = build_tree(&t, st);
	int64_t min = 1;
	counter c = {0, 0};
	if (rc == 0)
		rc = pick_min(&t, &o, &min, &c);
	cv_strbuf sb = CV_STRBUF_INIT;
	painter p = {&t, st, &o, &sb, 0, c.max_depth, o.total ? o.total : t.total, min};
	p.scale = t.total ? (double)(o.width - 2 * PAD) / (double)t.total : 0;
	int height = HEAD + (int)(c.max_depth + 1) * ROW + FOOT;
	if (rc == 0) {
		paint_head(&p, height);
		rc = walk(&t, min, paint_frame, &p);
	}
	if (rc == 0) {
		cv_strbuf_puts(&sb, "</g>\n<script type=\"text/ecmascript\"><![CDATA[\n");
		cv_strbuf_puts(&sb, cv_flame_script);
		cv_strbuf_puts(&sb, "]]></script>\n</svg>\n");
		if (cv_strbuf_failed(&sb))
			rc = cv_error_nomem();
	}
	free(t.n);
	if (rc) {
		cv_strbuf_free(&sb);
		return rc;
	}
	*out = cv_strbuf_detach(&sb, len);
	return 0;
}
