/*
 * The whole command line on a profile, in process: callviz's main() (built
 * as callviz_main for this harness) runs every text-producing report the
 * flag table knows (top, dot, traces, tree, callgrind, folded, flame, ...;
 * not the image formats, whose graphviz layout is too slow to fuzz) with
 * flags drawn from a hash of the input, so the bytes the decoder sees are
 * the input's own. The profile is handed over through a memfd. main() must
 * return 0, 1 or 2: never exit, crash or leak.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"

int callviz_main(int argc, char **argv);

/* Reports without graphviz layout, that read nothing but the profile. */
static const char *const wanted[] = {
	"-top", "-text", "-dot", "-traces", "-tree", "-peek=.", "-callgrind", "-raw",
	"-tags", "-folded", "-flame", "-icicle", "-comments", "-proto", "-hotspots",
};
static const char *formats[32];
static int n_formats;

static const char *const options[] = {
	"-nodecount=3", "-nodefraction=0", "-edgefraction=0", "-trim=false",
	"-lines", "-files", "-addresses", "-filefunctions", "-noinlines", "-cum",
	"-focus=main|json", "-ignore=runtime", "-hide=^runtime\\.", "-show=.",
	"-show_from=main", "-prune_from=mallocgc", "-tagfocus=1kb:",
	"-tagignore=key=value", "-tagroot=bytes", "-tagleaf=thread", "-tagshow=.",
	"-sample_index=0", "-sample_index=1", "-mean", "-drop_negative",
	"-call_tree", "-compact_labels", "-unit=ms", "-divide_by=3",
	"-divide_by=0.001", "-relative_percentages", "-highlight=x=main",
	"-nodecount=1", "-unit=GB",
};
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))
/* ... and the input as its own base: merging and subtracting. */
static char base_options[3][96];
static const char *usable[N_OPTIONS + 3];
static int n_usable;

static char path[64];
static int fd;
static FILE *devnull;

static int run(int argc, char **argv)
{
	FILE *saved = stderr;
	stderr = devnull;
	fflush(stdout);
	int rc = callviz_main(argc, argv);
	fflush(stdout);
	stderr = saved;
	return rc;
}

/* Keep the formats and flags this build has: a parse must succeed. */
static int accepted(const char *flag)
{
	cli_options o;
	char *argv[] = {"callviz", (char *)flag, NULL};
	FILE *saved = stderr;
	stderr = devnull;
	int rc = cli_parse(&o, 2, argv);
	stderr = saved;
	free(o.sources);
	cli_hotspots_release(&o);
	return rc == 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = fopen("/dev/null", "w");
	int null_fd = fileno(devnull);
	dup2(null_fd, STDOUT_FILENO);  /* reports go nowhere; libFuzzer uses stderr */
	fd = memfd_create("profile", 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	char name[32], list[1024];
	snprintf(list, sizeof(list), "%s ", cli_format_list());
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		snprintf(name, sizeof(name), "%.*s ", (int)strcspn(wanted[i], "="), wanted[i]);
		if (strstr(list, name) && accepted(wanted[i]))
			formats[n_formats++] = wanted[i];
	}
	for (size_t i = 0; i < N_OPTIONS; i++)
		if (accepted(options[i]))
			usable[n_usable++] = options[i];
	snprintf(base_options[0], sizeof(base_options[0]), "-base=%s", path);
	snprintf(base_options[1], sizeof(base_options[1]), "-diff_base=%s", path);
	snprintf(base_options[2], sizeof(base_options[2]), "-normalize");
	for (int i = 0; i < 3; i++)
		if (accepted(base_options[i]))
			usable[n_usable++] = base_options[i];
	return 0;
}

static uint64_t hash(const uint8_t *d, size_t n)
{
	uint64_t h = 14695981039346656037ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ d[i]) * 1099511628211ull;
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (n_formats == 0 || ftruncate(fd, 0) != 0 ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	uint64_t h = hash(data, size);
	char *argv[8] = {"callviz", (char *)formats[h % (uint64_t)n_formats]};
	h /= (uint64_t)n_formats;
	int argc = 2;
	/* Up to four flags, each picked by a few bits of the hash. */
	for (int i = 0; i < 4 && n_usable > 0; i++, h >>= 8)
		if (h & 0x80)
			argv[argc++] = (char *)usable[(h & 0x7f) % (uint64_t)n_usable];
	argv[argc++] = path;
	argv[argc] = NULL;
	int rc = run(argc, argv);
	if (rc < 0 || rc > 2)
		abort();
	return 0;
}
