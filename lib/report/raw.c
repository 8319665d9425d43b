/*
 * The -raw report: the profile itself as text, in the layout of pprof's
 * Profile.String (header, samples with their location ids and labels,
 * locations with their frames, mappings). Ids are the profile's own, so
 * this report shows the effect of cv_profile_compact.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "callviz/error.h"
#include "report/report_internal.h"
#include "util/alloc.h"
#include "util/strbuf.h"
#include "util/options.h"

/* Go's Time.String: "2006-01-02 15:04:05.999999999 -0700 MST", local time. */
static void format_time(cv_strbuf *sb, int64_t nanos)
{
	int64_t secs = nanos / 1000000000, frac = nanos % 1000000000;
	if (frac < 0) {
		frac += 1000000000;
		secs--;
	}
	time_t t = (time_t)secs;
	struct tm tm;
	char date[64], zone[64];
	if (!localtime_r(&t, &tm) || !strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm) ||
	    !strftime(zone, sizeof(zone), "%z %Z", &tm)) {
		cv_strbuf_printf(sb, "%" PRId64, nanos);
		return;
	}
	cv_strbuf_puts(sb, date);
	if (frac) {
		char digits[16];
		int n = snprintf(digits, sizeof(digits), "%09" PRId64, frac);
		while (n > 0 && digits[n - 1] == '0')
			n--;
		cv_strbuf_printf(sb, ".%.*s", n, digits);
	}
	cv_strbuf_printf(sb, " %s", zone);
}

/* Digits of v / 10^prec after the point, trailing zeros dropped (Go's fmtFrac). */
static void frac_digits(char *out, uint64_t *v, int prec)
{
	char d[16];
	int n = 0;
	bool any = false;
	for (int i = 0; i < prec; i++) {
		int digit = (int)(*v % 10);
		any = any || digit != 0;
		if (any)
			d[n++] = (char)('0' + digit);
		*v /= 10;
	}
	char *w = out;
	if (n) {
		*w++ = '.';
		while (n > 0)
			*w++ = d[--n];
	}
	*w = '\0';
}

/* Go's time.Duration.String: "1h2m3.5s", "1.5ms", "350µs", "0s". */
static void duration_string(char *out, size_t size, int64_t d)
{
	uint64_t u = d < 0 ? 0 - (uint64_t)d : (uint64_t)d;
	const char *sign = d < 0 ? "-" : "";
	char frac[16];
	if (u == 0) {
		snprintf(out, size, "0s");
	} else if (u < 1000) {
		snprintf(out, size, "%s%" PRIu64 "ns", sign, u);
	} else if (u < 1000000000) {
		bool micro = u < 1000000;
		frac_digits(frac, &u, micro ? 3 : 6);
		snprintf(out, size, "%s%" PRIu64 "%s%s", sign, u, frac, micro ? "\u00b5s" : "ms");
	} else {
		frac_digits(frac, &u, 9);
		uint64_t s = u % 60, m = (u / 60) % 60, h = u / 3600;
		if (h)
			snprintf(out, size, "%s%" PRIu64 "h%" PRIu64 "m%" PRIu64 "%ss", sign, h, m, s, frac);
		else if (m)
			snprintf(out, size, "%s%" PRIu64 "m%" PRIu64 "%ss", sign, m, s, frac);
		else
			snprintf(out, size, "%s%" PRIu64 "%ss", sign, s, frac);
	}
}

/* pprof prints the duration with "%.4v": its first four characters. */
static void format_duration(cv_strbuf *sb, int64_t d)
{
	char buf[64];
	duration_string(buf, sizeof(buf), d);
	size_t i = 0;
	for (int runes = 0; buf[i] && runes < 4; runes++)
		do
			i++;
		while (((unsigned char)buf[i] & 0xc0) == 0x80);
	cv_strbuf_append(sb, buf, i);
}

/* " k:[v1 v2]" groups, one per key, sorted as text (Go's labelsToString). */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool key_has_unit(const cv_sample *s, const char *key)
{
	for (size_t i = 0; i < s->n_labels; i++)
		if (!s->labels[i].str && s->labels[i].num_unit[0] &&
		    strcmp(s->labels[i].key, key) == 0)
			return true;
	return false;
}

static void label_group(cv_strbuf *g, const cv_sample *s, size_t first, bool numeric)
{
	const char *key = s->labels[first].key;
	bool units = numeric && key_has_unit(s, key);
	cv_strbuf_printf(g, "%s:[", key);
	bool any = false;
	for (size_t j = first; j < s->n_labels; j++) {
		const cv_label *l = &s->labels[j];
		if ((l->str == NULL) != numeric || strcmp(l->key, key) != 0)
			continue;
		if (any)
			cv_strbuf_putc(g, ' ');
		any = true;
		if (!numeric)
			cv_strbuf_puts(g, l->str);
		else if (units)
			cv_strbuf_printf(g, "%" PRId64 " %s", l->num, l->num_unit);
		else
			cv_strbuf_printf(g, "%" PRId64, l->num);
	}
	cv_strbuf_putc(g, ']');
}

static bool has_kind(const cv_sample *s, bool numeric)
{
	for (size_t i = 0; i < s->n_labels; i++)
		if ((s->labels[i].str == NULL) == numeric)
			return true;
	return false;
}

static int print_label_line(cv_strbuf *sb, const cv_sample *s, bool numeric)
{
	if (!has_kind(s, numeric))
		return 0;
	char **groups = calloc(s->n_labels, sizeof(*groups));
	size_t n = 0;
	if (!groups)
		return cv_error_nomem();
	for (size_t i = 0; i < s->n_labels; i++) {
		const cv_label *l = &s->labels[i];
		bool seen = (l->str == NULL) != numeric;
		for (size_t j = 0; j < i && !seen; j++)
			seen = (s->labels[j].str == NULL) == numeric &&
			       strcmp(s->labels[j].key, l->key) == 0;
		if (seen)
			continue;
		cv_strbuf g = CV_STRBUF_INIT;
		label_group(&g, s, i, numeric);
		groups[n++] = cv_strbuf_detach(&g, NULL);
	}
	qsort(groups, n, sizeof(*groups), cmp_str);
	cv_strbuf_puts(sb, "\n                ");
	for (size_t i = 0; i < n; i++) {
		cv_strbuf_printf(sb, "%s%s", i ? " " : "", groups[i] ? groups[i] : "");
		free(groups[i]);
	}
	free(groups);
	return 0;
}

static int print_samples(cv_strbuf *sb, const cv_profile *p)
{
	cv_strbuf_puts(sb, "\nSamples:\n");
	/* The sample type line, without its trailing space. */
	cv_strbuf types = CV_STRBUF_INIT;
	for (size_t i = 0; i < p->n_sample_types; i++) {
		const cv_value_type *t = &p->sample_types[i];
		bool dflt = strcmp(t->type, p->default_sample_type) == 0;
		cv_strbuf_printf(&types, "%s%s/%s%s", i ? " " : "", t->type, t->unit,
				 dflt ? "[dflt]" : "");
	}
	cv_strbuf_append(sb, types.buf ? types.buf : "", types.len);
	cv_strbuf_free(&types);
	for (size_t i = 0; i < p->n_samples; i++) {
		const cv_sample *s = &p->samples[i];
		cv_strbuf_putc(sb, '\n');
		for (size_t k = 0; k < p->n_sample_types; k++)
			cv_strbuf_printf(sb, " %10" PRId64, s->values[k]);
		cv_strbuf_puts(sb, ": ");
		for (size_t k = 0; k < s->n_locs; k++)
			cv_strbuf_printf(sb, "%" PRIu64 " ", p->locations[s->locs[k]].id);
		if (print_label_line(sb, s, false) || print_label_line(sb, s, true))
			return cv_error_nomem();
	}
	return 0;
}

static void print_location(cv_strbuf *sb, const cv_location *l)
{
	/* Go's %#x writes 0 as "0x0", C's as "0": spell the prefix out. */
	cv_strbuf_printf(sb, "\n%6" PRIu64 ": 0x%" PRIx64 " ", l->id, l->address);
	if (l->mapping)
		cv_strbuf_printf(sb, "M=%" PRIu64 " ", l->mapping->id);
	if (l->is_folded)
		cv_strbuf_puts(sb, "[F] ");
	for (size_t i = 0; i < l->n_lines; i++) {
		const cv_line *ln = &l->lines[i];
		if (i)
			cv_strbuf_puts(sb, "\n             ");
		const cv_function *f = ln->function;
		if (!f) {
			cv_strbuf_puts(sb, "??");
			continue;
		}
		cv_strbuf_printf(sb, "%s %s:%" PRId64 " s=%" PRId64, f->name, f->filename,
				 ln->line, f->start_line);
		if (strcmp(f->name, f->system_name) != 0)
			cv_strbuf_printf(sb, "(%s)", f->system_name);
	}
}

static void print_mapping(cv_strbuf *sb, const cv_mapping *m)
{
	cv_strbuf_printf(sb, "\n%" PRIu64 ": 0x%" PRIx64 "/0x%" PRIx64 "/0x%" PRIx64 " %s %s %s%s%s%s",
			 m->id, m->start, m->limit, m->offset, m->file, m->build_id,
			 m->has_functions ? "[FN]" : "", m->has_filenames ? "[FL]" : "",
			 m->has_line_numbers ? "[LN]" : "", m->has_inline_frames ? "[IN]" : "");
}

int cv_report_raw(FILE *out, const cv_profile *p, const cv_report_options *o)
{
	int vrc = CV_OPTIONS_CHECK(o, CV_REPORT_OPTIONS_VERSION, "cv_report_options");
	if (vrc)
		return vrc;
	cv_strbuf sb = CV_STRBUF_INIT;
	for (size_t i = 0; i < p->n_comments; i++)
		cv_strbuf_printf(&sb, "Comment: %s\n", p->comments[i]);
	/* pprof gives every decoded profile a period type, empty if absent. */
	cv_strbuf_printf(&sb, "PeriodType: %s %s\n", p->period_type.type, p->period_type.unit);
	cv_strbuf_printf(&sb, "Period: %" PRId64, p->period);
	if (p->time_nanos) {
		cv_strbuf_puts(&sb, "\nTime: ");
		format_time(&sb, p->time_nanos);
	}
	if (p->duration_nanos) {
		cv_strbuf_puts(&sb, "\nDuration: ");
		format_duration(&sb, p->duration_nanos);
	}
	int rc = print_samples(&sb, p);
	cv_strbuf_puts(&sb, "\nLocations");
	for (size_t i = 0; i < p->n_locations; i++)
		print_location(&sb, &p->locations[i]);
	cv_strbuf_puts(&sb, "\nMappings");
	for (size_t i = 0; i < p->n_mappings; i++)
		print_mapping(&sb, &p->mappings[i]);
	cv_strbuf_putc(&sb, '\n');
	if (rc || cv_strbuf_failed(&sb)) {
		cv_strbuf_free(&sb);
		return cv_error_nomem();
	}
	if (fwrite(sb.buf, 1, sb.len, out) != sb.len)
		rc = cv_error_set(CV_EIO, "write failed");
	cv_strbuf_free(&sb);
	return rc;
}
