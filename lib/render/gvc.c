/*
 * Graphviz in process. libgvc keeps global state (the parser, the error
 * hook, plugin tables), so every call runs under one lock, against one
 * context created on first use: loading the plugin configuration is far
 * too slow to repeat per render.
 */
#include <gvc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/render.h"
#include "render/dot_text.h"

static pthread_mutex_t gv_lock = PTHREAD_MUTEX_INITIALIZER;
static GVC_t *gv_ctx;
static char **gv_formats;  /* output device names, from the plugin list */
static int gv_n_formats;

/* What graphviz said during the current call; it arrives in pieces. */
static char gv_log[2048];
static size_t gv_log_len;

static int capture(char *msg)
{
	size_t n = strlen(msg), room = sizeof(gv_log) - 1 - gv_log_len;
	if (n > room)
		n = room;
	memcpy(gv_log + gv_log_len, msg, n);
	gv_log_len += n;
	gv_log[gv_log_len] = '\0';
	return 0;
}

/* The first error line graphviz reported (else the first warning). */
static void first_message(char *out, size_t size)
{
	const char *line = strstr(gv_log, "Error: ");
	if (line)
		line += strlen("Error: ");
	else if (strncmp(gv_log, "Warning: ", 9) == 0)
		line = gv_log + 9;
	else
		line = gv_log;
	size_t len = strcspn(line, "\n");
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\r'))
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(out, line, len);
	out[len] = '\0';
}

static int fail(const char *what)
{
	char msg[512];
	first_message(msg, sizeof(msg));
	if (*msg)
		return cv_error_set(CV_ERENDER, "graphviz: %s: %s", what, msg);
	return cv_error_set(CV_ERENDER, "graphviz: %s", what);
}

static bool ensure_context(void)
{
	if (gv_ctx)
		return true;
	gv_ctx = gvContext();
	if (!gv_ctx)
		return false;
	gv_formats = gvPluginList(gv_ctx, "device", &gv_n_formats, NULL);
	if (!gv_formats)
		gv_n_formats = 0;
	return true;
}

/* Devices may be listed as "png" or "png:cairo"; match the type part. */
static bool format_listed(const char *format)
{
	size_t flen = strcspn(format, ":");
	for (int i = 0; i < gv_n_formats; i++) {
		const char *d = gv_formats[i];
		if (d && strcspn(d, ":") == flen && strncmp(d, format, flen) == 0)
			return true;
	}
	return false;
}

#if defined(__SANITIZE_ADDRESS__)
#define CV_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CV_ASAN 1
#endif
#endif

#ifdef CV_ASAN
/*
 * Sanitizer builds only. Rendering leaves memory nobody can free: process
 * caches in fontconfig, pango and cairo, a virtual node graphviz 2.43's dot
 * layout loses with clusters, and the duplicates gvPluginList drops. Keep
 * LeakSanitizer quiet about those while it still checks our own code and
 * the graphs we parse (libcgraph is deliberately not listed). With the
 * default fast unwinder the dot layout leak shows only graphviz's own
 * allocator, gmalloc, on its stack, hence that entry.
 */
const char *__lsan_default_suppressions(void);
/* Visible, though the library hides what it does not export: the
 * sanitizer runtime finds this hook through the dynamic symbol table. */
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n"
	       "leak:libpango\n"
	       "leak:libcairo.so\n"
	       "leak:libglib-2.0.so\n"
	       "leak:libgvplugin_dot_layout.so\n"
	       "leak:gmalloc\n"
	       "leak:gvPluginList\n";
}
#endif

/* Devices that open windows rather than produce bytes. */
static bool interactive(const char *format)
{
	static const char *const names[] = {"gtk", "x11", "xlib"};
	size_t flen = strcspn(format, ":");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == flen && strncmp(names[i], format, flen) == 0)
			return true;
	return false;
}

static bool available_locked(const char *format)
{
	return format && *format && !interactive(format) && ensure_context() &&
	       format_listed(format);
}

bool cv_render_format_available(const char *format)
{
	pthread_mutex_lock(&gv_lock);
	bool ok = available_locked(format);
	pthread_mutex_unlock(&gv_lock);
	return ok;
}

static int copy_result(char **out, size_t *len, const char *data, unsigned n)
{
	char *buf = malloc((size_t)n + 1);
	if (!buf)
		return cv_error_set(CV_ENOMEM, "graphviz: out of memory");
	if (n)
		memcpy(buf, data, n);
	buf[n] = '\0';  /* text formats can then be used as C strings */
	*out = buf;
	if (len)
		*len = n;
	return 0;
}

/*
 * cgraph's lexer keeps whatever followed the first graph on its last line
 * ("digraph a {} digraph b {}") and would hand it to the next agmemread.
 * Read it out now; only the first graph of a text is rendered.
 */
static void drain_parser(void)
{
	Agraph_t *extra;
	while ((extra = agmemread("")) != NULL)
		agclose(extra);
}

static int layout_locked(char **out, size_t *len, const char *dot_text,
			 const char *format)
{
	if (!ensure_context())
		return cv_error_set(CV_ERENDER, "graphviz: cannot create a context");
	if (!available_locked(format))
		return cv_error_set(CV_ERENDER, "graphviz: unknown output format \"%s\"",
				    format);
	char *clean = cv_dot_clean_for_graphviz(dot_text);
	if (!clean)
		return cv_error_set(CV_ENOMEM, "graphviz: out of memory");
	Agraph_t *g = agmemread(clean);
	free(clean);
	if (!g)
		return fail("invalid DOT input");
	drain_parser();
	int rc;
	if (gvLayout(gv_ctx, g, "dot") != 0) {
		rc = fail("layout failed");
	} else {
		char *data = NULL;
		unsigned int n = 0;
		if (gvRenderData(gv_ctx, g, format, &data, &n) != 0)
			rc = fail("rendering failed");
		else
			rc = copy_result(out, len, data, n);
		gvFreeRenderData(data);
		gvFreeLayout(gv_ctx, g);
	}
	agclose(g);
	return rc;
}

int cv_render_layout(char **out, size_t *len, const char *dot_text,
		     const char *format)
{
	if (!out || !dot_text || !format)
		return cv_error_set(CV_EINVAL, "graphviz: missing argument");
	*out = NULL;
	if (len)
		*len = 0;
	pthread_mutex_lock(&gv_lock);
	gv_log_len = 0;
	gv_log[0] = '\0';
	/* Route graphviz's messages to us instead of stderr for this call. */
	agusererrf prev = agseterrf(capture);
	agreseterrors();
	int rc = layout_locked(out, len, dot_text, format);
	agseterrf(prev);
	pthread_mutex_unlock(&gv_lock);
	return rc;
}
