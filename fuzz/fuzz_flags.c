/*
 * The command line: cli_parse (the flag table, then what flags decide
 * together). The input is argv, NUL-separated. Both must report
 * every error by return code: an exit() here is a bug libFuzzer reports.
 * Their messages go to stderr, which is pointed at /dev/null meanwhile
 * (libFuzzer and the sanitizers write to their own descriptors).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *argv[MAX_ARGS + 2] = {"callviz"};
	int argc = 1;
	for (char *p = buf; argc <= MAX_ARGS && p <= buf + size; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	FILE *saved = stderr;
	stderr = fopen("/dev/null", "w");
	cli_options o;
	int rc = cli_parse(&o, argc, argv);
	if (rc != 0 && rc != EXIT_USAGE && rc != EXIT_FAILED)
		abort();
	fclose(stderr);
	stderr = saved;

	free(o.sources);
	cli_hotspots_release(&o);
	free(buf);
	return 0;
}
