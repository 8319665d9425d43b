/*
 * The execution trace reader: every event of whatever it accepts, with
 * its transition, stack and frames looked up, then each -pprof profile
 * and a report of it. Wrong input must give an error or a cut-short
 * profile, never a crash, a hang or unbounded memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/callviz.h"
#include "callviz/trace.h"

static FILE *devnull;

typedef struct mem { const uint8_t *data; size_t len, pos; } mem;

static long mem_read(void *d, uint8_t *buf, size_t len)
{
	mem *m = d;
	/* Small reads, to cross every buffer boundary. */
	size_t n = m->len - m->pos;
	if (n > len)
		n = len;
	if (n > 4093)
		n = 4093;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (long)n;
}

static void warn(void *data, const char *text)
{
	(void)data;
	fprintf(devnull, "%s\n", text);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	devnull = fopen("/dev/null", "w");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_trace_detect(data, size);
	mem m = {data, size, 0};
	cv_trace_reader *r;
	if (cv_trace_reader_new(&r, mem_read, &m, 1 << 22) != 0)
		return 0;
	cv_trace_event ev;
	uint64_t sum = 0;
	while (cv_trace_next(r, &ev) > 0) {
		cv_trace_go_transition t;
		if (cv_trace_go_transition_of(r, &ev, &t))
			sum += (uint64_t)t.goroutine + t.from + t.to + strlen(t.reason);
		const uint64_t *pcs;
		size_t n = cv_trace_stack_pcs(r, cv_trace_event_stack(&ev), &pcs);
		for (size_t i = 0; i < n; i++) {
			const char *func, *file;
			uint64_t line;
			if (cv_trace_frame(r, pcs[i], &func, &file, &line))
				sum += strlen(func) + strlen(file) + line;
		}
	}
	cv_trace_reader_free(r);
	fprintf(devnull, "%llu\n", (unsigned long long)sum);
	/* One profile per input (which one, by its size): the reading is the
	 * same for all four, the tracking differs only in the state. */
	{
		int type = CV_TRACE_PPROF_NET + (int)(size % 4);
		m.pos = 0;
		if (cv_trace_reader_new(&r, mem_read, &m, 1 << 22) != 0)
			return 0;
		cv_profile *p;
		int rc = cv_trace_pprof(&p, r, (cv_trace_pprof_type)type, warn, NULL);
		cv_trace_reader_free(r);
		if (rc)
			return 0;
		if (cv_profile_check_limits(p) == 0) {
			cv_report_options ro;
			cv_report_options_init(&ro);
			ro.sample_index = 1;
			cv_report_top(devnull, p, &ro);
		}
		cv_profile_free(p);
	}
	return 0;
}
