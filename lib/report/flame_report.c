/*
 * The -flame and -icicle reports: the profile's stacks at the report's
 * granularity, drawn by cv_render_flame with a heading that names the
 * binary, the sample type, the total and the active filters.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/render.h"
#include "callviz/stacks.h"
#include "callviz/units.h"
#include "report/report_internal.h"
#include "util/alloc.h"
#include "util/strbuf.h"
#include "util/options.h"

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

static void heading(cv_strbuf *title, cv_strbuf *sub, const cv_profile *p,
		    const cv_report_options *o, const report_ctx *c, bool icicle,
		    int64_t shown)
{
	const char *bin = o->title ? o->title :
		p->n_mappings && p->mappings[0].file[0] ? base_name(p->mappings[0].file) : "";
	cv_strbuf_puts(title, icicle ? "Icicle graph" : "Flame graph");
	if (bin[0])
		cv_strbuf_printf(title, ": %s", bin);
	char v[64], pct[32];
	cv_unit_label(v, sizeof(v), c->total, c->sample_unit, c->output_unit);
	cv_strbuf_printf(sub, "Type: %s | Total: %s", c->sample_type, v);
	if (shown != c->total) {
		cv_unit_label(v, sizeof(v), shown, c->sample_unit, c->output_unit);
		cv_unit_percent(pct, sizeof(pct), shown, c->total);
		const char *pc = pct;
		while (*pc == ' ')
			pc++;
		cv_strbuf_printf(sub, " | Shown: %s (%s)", v, pc);
	}
	for (size_t i = 0; i < o->n_active_filters; i++)
		cv_strbuf_printf(sub, " | %s", o->active_filters[i]);
}

int cv_report_flame(FILE *out, const cv_profile *p, const cv_report_options *o,
		    const cv_flame_options *fo)
{
	int vrc = CV_OPTIONS_CHECK(fo, CV_FLAME_OPTIONS_VERSION, "cv_flame_options");
	if (vrc)
		return vrc;
	report_ctx c;
	cv_stacks *st;
	int rc = report_stacks(&st, &c, p, o);
	if (rc)
		return rc;
	int64_t shown = 0;
	for (size_t i = 0; i < st->n_stacks; i++)
		if (st->stacks[i].value > 0)
			shown += st->stacks[i].value;
	cv_flame_options opts;
	cv_flame_options_init(&opts);
	if (fo)
		opts = *fo;
	cv_strbuf title = CV_STRBUF_INIT, sub = CV_STRBUF_INIT;
	heading(&title, &sub, p, o, &c, opts.icicle, shown);
	if (!opts.title)
		opts.title = title.buf;
	if (!opts.subtitle)
		opts.subtitle = sub.buf;
	if (!opts.total)
		opts.total = c.total;
	if (!opts.sample_unit)
		opts.sample_unit = c.sample_unit;
	if (!opts.output_unit || !strcmp(opts.output_unit, "minimum"))
		opts.output_unit = c.output_unit;
	char *hotspot_css = report_flame_hotspots(&opts, o->hotspots);
	char *svg = NULL;
	size_t len = 0;
	if (cv_strbuf_failed(&title) || cv_strbuf_failed(&sub))
		rc = cv_error_nomem();
	else
		rc = cv_render_flame(&svg, &len, st, &opts);
	if (rc == 0 && fwrite(svg, 1, len, out) != len)
		rc = cv_error_set(CV_EIO, "writing the flame graph failed");
	free(svg);
	free(hotspot_css);
	cv_strbuf_free(&title);
	cv_strbuf_free(&sub);
	cv_stacks_free(st);
	return rc;
}
