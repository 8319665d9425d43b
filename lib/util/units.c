#include "callviz/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * Units in the same family convert into each other through a factor to the
 * family's base unit. The tables follow go tool pprof's measurement
 * package, so scaled numbers and unit names print identically.
 */
typedef struct unit_def {
	const char *name;          /* canonical name printed after values */
	const char *aliases[4];    /* lower-case names accepted on input */
	double factor;
} unit_def;

typedef struct unit_family {
	const unit_def *units;
	size_t n_units;
	unit_def fallback;         /* used when the target unit is unknown */
} unit_family;

static const unit_def byte_units[] = {
	{"B", {"b", "byte"}, 1},
	{"kB", {"kb", "kbyte", "kilobyte"}, 1024.0},
	{"MB", {"mb", "mbyte", "megabyte"}, 1048576.0},
	{"GB", {"gb", "gbyte", "gigabyte"}, 1073741824.0},
	{"TB", {"tb", "tbyte", "terabyte"}, 1099511627776.0},
	{"PB", {"pb", "pbyte", "petabyte"}, 1125899906842624.0},
};

static const unit_def time_units[] = {
	{"ns", {"ns", "nanosecond"}, 1},
	{"us", {"\xce\xbcs", "us", "microsecond"}, 1e3},
	{"ms", {"ms", "millisecond"}, 1e6},
	{"s", {"s", "sec", "second"}, 1e9},
	{"hrs", {"hour", "hr"}, 3600e9},
};

static const unit_def gcu_units[] = {
	{"n*GCU", {"nanogcu"}, 1e-9},
	{"u*GCU", {"microgcu"}, 1e-6},
	{"m*GCU", {"milligcu"}, 1e-3},
	{"GCU", {"gcu"}, 1},
	{"k*GCU", {"kilogcu"}, 1e3},
	{"M*GCU", {"megagcu"}, 1e6},
	{"G*GCU", {"gigagcu"}, 1e9},
	{"T*GCU", {"teragcu"}, 1e12},
	{"P*GCU", {"petagcu"}, 1e15},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const unit_family families[] = {
	{byte_units, COUNT(byte_units), {"B", {0}, 1}},
	{time_units, COUNT(time_units), {"s", {0}, 1e9}},
	{gcu_units, COUNT(gcu_units), {"GCU", {0}, 1}},
};

/* Lower-case the name and drop a plural "s" (for names longer than 2). */
static void normalize(const char *in, char *out, size_t size)
{
	size_t n = 0;
	for (; in[n] && n + 1 < size; n++) {
		char c = in[n];
		out[n] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	out[n] = '\0';
	/* pprof counts bytes, not characters: "μs" is 3 bytes long. */
	if (n > 2 && out[n - 1] == 's')
		out[n - 1] = '\0';
}

static const unit_def *find_unit(const unit_family *f, const char *name)
{
	char norm[64];
	normalize(name, norm, sizeof(norm));
	for (size_t i = 0; i < f->n_units; i++)
		for (size_t j = 0; j < 4 && f->units[i].aliases[j]; j++)
			if (strcmp(norm, f->units[i].aliases[j]) == 0)
				return &f->units[i];
	return NULL;
}

/* The largest unit in which the value is still at least 1. */
static const unit_def *auto_unit(const unit_family *f, double v)
{
	const unit_def *best = NULL;
	double factor = 0;
	for (size_t i = 0; i < f->n_units; i++) {
		if (f->units[i].factor >= factor && v / f->units[i].factor >= 1.0) {
			factor = f->units[i].factor;
			best = &f->units[i];
		}
	}
	return best;
}

static int is_auto(const char *to)
{
	return strcmp(to, "minimum") == 0 || strcmp(to, "auto") == 0;
}

static double scale_positive(int64_t value, const char *from, const char *to,
			     const char **unit_out)
{
	for (size_t i = 0; i < COUNT(families); i++) {
		const unit_family *f = &families[i];
		const unit_def *fu = find_unit(f, from);
		if (!fu)
			continue;
		double v = (double)value * fu->factor;
		const unit_def *tu = is_auto(to) ? auto_unit(f, v) : find_unit(f, to);
		if (!tu)
			tu = &f->fallback;
		*unit_out = tu->name;
		return v / tu->factor;
	}
	if (strcmp(to, "count") == 0 || strcmp(to, "sample") == 0 ||
	    strcmp(to, "unit") == 0 || is_auto(to))
		*unit_out = "";
	else
		*unit_out = to;
	return (double)value;
}

double cv_unit_scale(int64_t value, const char *from, const char *to,
		     const char **unit_out)
{
	const char *unit = "";
	double v;
	/* INT64_MIN has no positive twin; scale it as it is. */
	if (value < 0 && value != INT64_MIN)
		v = -scale_positive(-value, from, to, &unit);
	else
		v = scale_positive(value, from, to, &unit);
	if (unit_out)
		*unit_out = unit;
	return v;
}

char *cv_unit_label(char *buf, size_t size, int64_t value, const char *from,
		    const char *to)
{
	const char *unit;
	double v = cv_unit_scale(value, from, to, &unit);
	char num[64];
	snprintf(num, sizeof(num), "%.2f", v);
	size_t n = strlen(num);
	if (n >= 3 && strcmp(num + n - 3, ".00") == 0)
		num[n - 3] = '\0';
	if (strcmp(num, "0") == 0 || strcmp(num, "-0") == 0)
		snprintf(buf, size, "0");
	else
		snprintf(buf, size, "%s%s", num, unit);
	return buf;
}

char *cv_unit_percent(char *buf, size_t size, int64_t value, int64_t total)
{
	double ratio = 0;
	if (total != 0)
		ratio = fabs((double)value / (double)total) * 100;
	if (ratio >= 99.95 && ratio <= 100.05)
		snprintf(buf, size, "  100%%");
	else if (ratio >= 1.0)
		snprintf(buf, size, "%5.2f%%", ratio);
	else
		snprintf(buf, size, "%5.2g%%", ratio);
	return buf;
}

int cv_unit_known(const char *unit)
{
	if (is_auto(unit))
		return 1;
	for (size_t i = 0; i < COUNT(families); i++)
		if (find_unit(&families[i], unit))
			return 1;
	return 0;
}

int cv_unit_family(const char *unit)
{
	for (size_t i = 0; i < COUNT(families); i++)
		if (find_unit(&families[i], unit))
			return (int)i;
	return -1;
}
