#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "util/alloc.h"
#include "util/strbuf.h"

/*
 * The accepted forms and the messages follow pprof's
 * Profile.SampleIndexByName and the driver's sampleFormat.
 */

/* Go's strconv.Atoi: optional sign, decimal digits, must fit in 64 bits. */
static bool parse_int(const char *s, long long *out)
{
	bool neg = *s == '-';
	if (*s == '+' || *s == '-')
		s++;
	if (!*s)
		return false;
	unsigned long long v = 0;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (v > ((unsigned long long)INT64_MAX + neg - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = neg ? (long long)(0 - v) : (long long)v;
	return true;
}

/* Roughly Go's %q, enough to make odd input visible in one line. */
static void put_quoted(cv_strbuf *sb, const char *s)
{
	cv_strbuf_putc(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			cv_strbuf_printf(sb, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			cv_strbuf_printf(sb, "\\x%02x", c);
		else
			cv_strbuf_putc(sb, (char)c);
	}
	cv_strbuf_putc(sb, '"');
}

static int not_found(const cv_profile *p, const char *spec)
{
	cv_strbuf sb = CV_STRBUF_INIT;
	cv_strbuf_puts(&sb, "sample_index ");
	put_quoted(&sb, spec);
	cv_strbuf_puts(&sb, " must be one of: [");
	for (size_t i = 0; i < p->n_sample_types; i++) {
		if (i)
			cv_strbuf_putc(&sb, ' ');
		cv_strbuf_puts(&sb, p->sample_types[i].type);
	}
	cv_strbuf_putc(&sb, ']');
	int rc = cv_strbuf_failed(&sb)
		 ? cv_error_nomem()
		 : cv_error_set(CV_ENOTFOUND, "%s", sb.buf);
	cv_strbuf_free(&sb);
	return rc;
}

static int default_index(const cv_profile *p)
{
	if (*p->default_sample_type)
		for (size_t i = 0; i < p->n_sample_types; i++)
			if (strcmp(p->sample_types[i].type, p->default_sample_type) == 0)
				return (int)i;
	/* A default naming no sample type is ignored, as in pprof. */
	return (int)p->n_sample_types - 1;
}

int cv_profile_sample_index(const cv_profile *p, const char *spec)
{
	size_t n = p->n_sample_types;
	if (n == 0)
		return cv_error_set(CV_ENOTFOUND, "profile has no samples");
	if (!spec || !*spec)
		return default_index(p);
	long long v;
	if (parse_int(spec, &v)) {
		if (v < 0 || (unsigned long long)v >= n)
			return cv_error_set(CV_ENOTFOUND,
					    "sample_index %s is outside the range [0..%zu]",
					    spec, n - 1);
		return (int)v;
	}
	/* Old pprof spelled heap types inuse_space/inuse_objects even for
	 * profiles whose types are plain "space"/"objects". */
	const char *bare = strncmp(spec, "inuse_", 6) == 0 ? spec + 6 : spec;
	for (size_t i = 0; i < n; i++)
		if (strcmp(p->sample_types[i].type, spec) == 0 ||
		    strcmp(p->sample_types[i].type, bare) == 0)
			return (int)i;
	return not_found(p, spec);
}
