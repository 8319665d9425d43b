#define _GNU_SOURCE /* open_memstream */
#include "testprof.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "callviz/error.h"
#include "util/arena.h"

tprof *tp_new(void)
{
	tprof *t = calloc(1, sizeof(*t));
	assert_non_null(t);
	t->st[0] = (cv_value_type){"cpu", "nanoseconds"};
	t->p.sample_types = t->st;
	t->p.n_sample_types = 1;
	t->p.functions = t->fns;
	t->p.locations = t->locs;
	t->p.samples = t->smps;
	t->p.drop_frames = t->p.keep_frames = "";
	t->p.period_type = (cv_value_type){"", ""};
	t->p.default_sample_type = "";
	t->p.arena = NULL;
	return t;
}

void tp_free(tprof *t)
{
	cv_arena_free(t->p.arena);
	free(t);
}

void tp_types(tprof *t, const char *t0, const char *u0, const char *t1, const char *u1)
{
	t->st[0] = (cv_value_type){t0, u0};
	t->st[1] = (cv_value_type){t1, u1};
	t->p.n_sample_types = 2;
}

int tp_mapping(tprof *t, const char *file)
{
	size_t i = t->p.n_mappings++;
	assert_true(i < 4);
	t->p.mappings = t->maps;
	t->maps[i] = (cv_mapping){.id = i + 1, .start = 0x1000, .limit = 0x100000,
				  .file = file, .build_id = ""};
	return (int)i;
}

int tp_fn(tprof *t, const char *name, const char *file, int64_t start)
{
	size_t i = t->p.n_functions++;
	assert_true(i < TP_MAX);
	t->fns[i] = (cv_function){.id = i + 1, .name = name, .system_name = name,
				  .filename = file, .start_line = start};
	return (int)i;
}

int tp_fn_find(tprof *t, const char *name)
{
	for (size_t i = 0; i < t->p.n_functions; i++)
		if (strcmp(t->fns[i].name, name) == 0)
			return (int)i;
	if (!t->auto_file)
		return tp_fn(t, name, "", 0);
	assert_true(t->n_files < TP_MAX);
	char *file = t->files[t->n_files++];
	int len = snprintf(file, sizeof(t->files[0]), t->auto_file, name);
	assert_true(len >= 0 && (size_t)len < sizeof(t->files[0]));
	return tp_fn(t, name, file, 0);
}

int tp_loc(tprof *t, const char *label, uint64_t addr, int map, int n, ...)
{
	size_t i = t->p.n_locations++;
	assert_true(i < TP_MAX);
	cv_location *l = &t->locs[i];
	l->id = i + 1;
	l->address = addr;
	l->mapping = map >= 0 ? &t->maps[map] : NULL;
	l->lines = &t->lines[t->n_lines];
	l->n_lines = (size_t)n;
	va_list ap;
	va_start(ap, n);
	for (int k = 0; k < n; k++) {
		const char *fn = va_arg(ap, const char *);
		int line = va_arg(ap, int);
		assert_true(t->n_lines < TP_MAX * 4);
		t->lines[t->n_lines++] = (cv_line){&t->fns[tp_fn_find(t, fn)], line};
	}
	va_end(ap);
	t->loc_label[i] = label;
	return (int)i;
}

/* The location labelled `label`, made as auto_addr and auto_line say if new. */
static int label_loc(tprof *t, const char *label)
{
	for (size_t k = t->p.n_locations; k-- > 0;)
		if (strcmp(t->loc_label[k], label) == 0)
			return (int)k;
	/* the caller's buffer is reused: keep the label in the profile */
	assert_true(t->n_names < TP_MAX && strlen(label) < sizeof(t->names[0]));
	char *name = t->names[t->n_names++];
	strcpy(name, label);
	uint64_t addr = t->auto_addr ? t->auto_addr + 0x10 * t->p.n_locations : 0;
	return tp_loc(t, name, addr, -1, 1, name, t->auto_line);
}

void tp_sample2(tprof *t, int64_t v0, int64_t v1, const char *stack)
{
	size_t i = t->p.n_samples++;
	assert_true(i < TP_MAX);
	uint32_t idx[16];
	size_t n = 0;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", stack);
	char *save;
	for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		assert_true(n < 16);
		idx[n++] = (uint32_t)label_loc(t, tok);
	}
	cv_sample *s = &t->smps[i];
	s->locs = &t->stk[t->n_stk];
	s->n_locs = n;
	for (size_t k = 0; k < n; k++)
		t->stk[t->n_stk++] = idx[n - 1 - k];
	s->values = &t->vals[2 * i];
	s->values[0] = v0;
	s->values[1] = v1;
}

void tp_sample(tprof *t, int64_t v, const char *stack)
{
	tp_sample2(t, v, v, stack);
}

cv_profile *tp_arena_new(size_t n_mappings, size_t n_functions, size_t n_locations,
			 size_t n_samples)
{
	cv_arena *a = cv_arena_new();
	assert_non_null(a);
	cv_profile *p = cv_arena_calloc(a, 1, sizeof(*p));
	assert_non_null(p);
	p->arena = a;
	p->sample_types = cv_arena_calloc(a, 2, sizeof(*p->sample_types));
	p->sample_types[0] = (cv_value_type){"samples", "count"};
	p->sample_types[1] = (cv_value_type){"cpu", "nanoseconds"};
	p->n_sample_types = 2;
	p->period_type = (cv_value_type){"cpu", "nanoseconds"};
	p->period = 10000000;
	p->duration_nanos = 1500000000;
	p->drop_frames = p->keep_frames = p->default_sample_type = "";
	p->mappings = cv_arena_calloc(a, n_mappings, sizeof(*p->mappings));
	p->functions = cv_arena_calloc(a, n_functions, sizeof(*p->functions));
	p->locations = cv_arena_calloc(a, n_locations, sizeof(*p->locations));
	p->samples = cv_arena_calloc(a, n_samples, sizeof(*p->samples));
	assert_true(p->mappings && p->functions && p->locations && p->samples);
	return p;
}

void tp_arena_location(cv_profile *p, uint64_t id, const cv_mapping *m, uint64_t addr,
		       int f1, int64_t l1, int f2, int64_t l2)
{
	cv_location *l = &p->locations[p->n_locations++];
	l->id = id;
	l->mapping = m;
	l->address = addr;
	l->n_lines = f2 < 0 ? 1 : 2;
	l->lines = cv_arena_calloc(p->arena, l->n_lines, sizeof(*l->lines));
	l->lines[0] = (cv_line){&p->functions[f1], l1};
	if (f2 >= 0)
		l->lines[1] = (cv_line){&p->functions[f2], l2};
}

void tp_arena_sample(cv_profile *p, const uint32_t *locs, size_t n, int64_t count,
		     const cv_label *labels, size_t n_labels)
{
	cv_sample *s = &p->samples[p->n_samples++];
	s->locs = cv_arena_calloc(p->arena, n, sizeof(*s->locs));
	memcpy(s->locs, locs, n * sizeof(*locs));
	s->n_locs = n;
	s->values = cv_arena_calloc(p->arena, 2, sizeof(*s->values));
	s->values[0] = count;
	s->values[1] = count * 10000000;
	s->labels = cv_arena_calloc(p->arena, n_labels + 1, sizeof(*s->labels));
	if (n_labels)
		memcpy(s->labels, labels, n_labels * sizeof(*labels));
	s->n_labels = n_labels;
}

char *tp_report(tp_report_fn report, const cv_profile *p, const cv_report_options *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	int rc = report(f, p, o);
	fclose(f);
	if (rc)
		fail_msg("report failed: %d %s", rc, cv_error_last());
	return buf;
}
