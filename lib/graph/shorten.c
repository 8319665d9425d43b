/*
 * pprof's ShortenFunctionName. Go's regexp anchors `$` at the very end of
 * the text, so the patterns use \z where Go wrote $ (PCRE's $ would also
 * match before a trailing newline).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/graph.h"
#include "util/regex.h"

enum { RE_ANON, RE_GOVER, RE_GO, RE_JAVA, RE_CPP, RE_COUNT };

static const char *const patterns[RE_COUNT] = {
	[RE_ANON] = "^\\(anonymous namespace\\)::",
	[RE_GOVER] = "^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)\\z",
	[RE_GO] = "^(?:[\\w\\-\\.]+\\/)+(.+)",
	[RE_JAVA] = ("^(?:[a-z]\\w*\\.)*([A-Z][\\w\\$]*\\.(?:<init>|[a-z][\\w\\$]*"
		     "(?:\\$\\d+)?))(?:(?:\\()|\\z)"),
	[RE_CPP] = "^(?:[_a-zA-Z]\\w*::)+(_*[A-Z]\\w*::~?[_a-zA-Z]\\w*(?:<.*>)?)",
};

static cv_regex *regexes[RE_COUNT];
static bool regexes_ok;
static pthread_once_t compile_once = PTHREAD_ONCE_INIT;
/* A cv_regex owns one match-data block, so matching must be serialised. */
static pthread_mutex_t match_lock = PTHREAD_MUTEX_INITIALIZER;

static void compile_patterns(void)
{
	for (int i = 0; i < RE_COUNT; i++) {
		regexes[i] = cv_regex_compile(patterns[i], "function name shortening");
		if (!regexes[i])
			return;
	}
	regexes_ok = true;
}

static const char *copy_out(const char *s, size_t len, char *buf, size_t bufsize)
{
	if (bufsize == 0)
		return buf;
	if (len >= bufsize)
		len = bufsize - 1;
	memmove(buf, s, len);
	buf[len] = '\0';
	return buf;
}

/* Rewrite work[0..*len) in place; every step only removes bytes. */
static void strip_prefixes(char *work, size_t *len)
{
	long ov[6];
	if (cv_regex_exec(regexes[RE_ANON], work, *len, ov, 1) && ov[1] > 0) {
		memmove(work, work + ov[1], *len - (size_t)ov[1] + 1);
		*len -= (size_t)ov[1];
	}
	if (cv_regex_exec(regexes[RE_GOVER], work, *len, ov, 3)) {
		size_t l1 = (size_t)(ov[3] - ov[2]), l2 = (size_t)(ov[5] - ov[4]);
		memmove(work, work + ov[2], l1);
		memmove(work + l1, work + ov[4], l2);
		*len = l1 + l2;
		work[*len] = '\0';
	}
}

static const char *shorten_locked(const char *name, char *buf, size_t bufsize)
{
	size_t len = strlen(name);
	char *work = malloc(len + 1);
	if (!work)
		return copy_out(name, len, buf, bufsize);
	memcpy(work, name, len + 1);
	strip_prefixes(work, &len);

	static const int tries[] = {RE_GO, RE_JAVA, RE_CPP};
	const char *res = work;
	size_t res_len = len;
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		long ov[4];
		if (cv_regex_exec(regexes[tries[i]], work, len, ov, 2) && ov[2] >= 0) {
			res = work + ov[2];
			res_len = (size_t)(ov[3] - ov[2]);
			break;
		}
	}
	copy_out(res, res_len, buf, bufsize);
	free(work);
	return buf;
}

const char *cv_shorten_function_name(const char *name, char *buf, size_t bufsize)
{
	if (!name)
		name = "";
	pthread_once(&compile_once, compile_patterns);
	if (!regexes_ok)
		return copy_out(name, strlen(name), buf, bufsize);
	pthread_mutex_lock(&match_lock);
	const char *r = shorten_locked(name, buf, bufsize);
	pthread_mutex_unlock(&match_lock);
	return r;
}
