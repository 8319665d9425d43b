/*
 * Hotspot classes: the built-in patterns against Go 1.19 and C/C++ names,
 * -highlight and hotspots-file parsing, and the per-class shares (each
 * sample counted once per class) on hand-built profiles and on the Go CPU
 * fixture, where they must equal go tool pprof's
 * "-top -nodefraction=0 -focus=<class pattern>" "Showing nodes accounting
 * for" values. Reports count the shares during the graph build's trie
 * walk (lib/graph/class_count.h): those counts must be these.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "callviz/error.h"
#include "callviz/hotspot.h"
#include "callviz/profile.h"
#include "graph/class_count.h"
#include "graph/trie.h"
#include "hotspot/hotspot_internal.h"

static cv_hotspots *builtin(void)
{
	cv_hotspots *h;
	assert_int_equal(cv_hotspot_new(&h), 0);
	assert_int_equal(cv_hotspot_add_builtin(h), 0);
	return h;
}

static const char *class_of(const cv_hotspots *h, const char *fn)
{
	int c = cv_hotspot_classify(h, fn);
	return c < 0 ? "-" : cv_hotspot_get(h, (size_t)c)->name;
}

static void test_builtin_names(void **state)
{
	cv_hotspots *h = builtin();
	static const char *const cases[][2] = {
		/* Go 1.19 names found in tests/data */
		{"runtime.mallocgc", "alloc"},
		{"runtime.newobject", "alloc"},
		{"runtime.makeslice", "alloc"},
		{"runtime.growslice", "alloc"},
		{"runtime.makemap", "alloc"},
		{"runtime.rawstringtmp", "alloc"},
		{"runtime.convT64", "alloc"},
		{"runtime.gcBgMarkWorker", "gc"},
		{"runtime.gcDrain", "gc"},
		{"runtime.gcDrainN", "gc"},
		{"runtime.scanobject", "gc"},
		{"runtime.markroot", "gc"},
		{"runtime.bgsweep", "gc"},
		{"runtime.gcAssistAlloc", "gc"},
		{"runtime.wbBufFlush", "gc"},
		{"runtime.gcWriteBarrierDX", "gc"},
		{"runtime.(*gcWork).tryGetFast", "gc"},
		{"syscall.Syscall", "syscall"},
		{"syscall.Syscall6", "syscall"},
		{"syscall.RawSyscall6", "syscall"},
		{"runtime/internal/syscall.Syscall6", "syscall"},
		{"internal/poll.(*FD).Write", "syscall"},
		{"internal/poll.ignoringEINTRIO", "syscall"},
		/* the wrappers between internal/poll and Syscall (issue 25) */
		{"syscall.write", "syscall"},
		{"syscall.Write", "syscall"},
		{"syscall.read", "syscall"},
		{"syscall.Read", "syscall"},
		{"syscall.openat", "syscall"},
		{"syscall.Fsync", "syscall"},
		{"syscall.Splice", "syscall"},
		{"golang.org/x/sys/unix.write", "syscall"},
		{"golang.org/x/sys/unix.Fsync", "syscall"},
		{"vendor/golang.org/x/sys/unix.Syscall", "syscall"},
		{"internal/syscall/unix.Fcntl", "syscall"},
		{"runtime.epollwait", "syscall"},
		{"runtime.futex", "syscall"},
		{"runtime.madvise", "syscall"},
		{"sync.(*Mutex).Lock", "lock"},
		{"sync.(*Mutex).lockSlow", "lock"},
		{"sync.(*RWMutex).RLock", "lock"},
		{"sync.(*RWMutex).Lock", "lock"},
		{"sync.runtime_SemacquireMutex", "lock"},
		{"runtime.lock2", "lock"},
		{"runtime.semacquire1", "lock"},
		{"runtime.schedule", "sched"},
		{"runtime.findRunnable", "sched"},
		{"runtime.findrunnable", "sched"},
		{"runtime.park_m", "sched"},
		{"runtime.mcall", "sched"},
		{"runtime.gopark", "sched"},
		{"runtime.usleep", "sched"},
		/* C and C++ (glibc, gperftools, jemalloc, libstdc++) */
		{"malloc", "alloc"},
		{"calloc", "alloc"},
		{"realloc", "alloc"},
		{"free", "alloc"},
		{"_int_malloc", "alloc"},
		{"__GI___libc_malloc", "alloc"},
		{"operator new(unsigned long)", "alloc"},
		{"operator new[](unsigned long)", "alloc"},
		{"operator delete(void*)", "alloc"},
		{"tc_malloc", "alloc"},
		{"tcmalloc::ThreadCache::FetchFromCentralCache(unsigned int, int, void* (*)(unsigned long))", "alloc"},
		{"je_malloc", "alloc"},
		{"write", "syscall"},
		{"__write", "syscall"},
		{"__libc_write", "syscall"},
		{"__GI___libc_write", "syscall"},
		{"__write_nocancel", "syscall"},
		{"read", "syscall"},
		{"sendto", "syscall"},
		{"__libc_recv", "syscall"},
		{"epoll_wait", "syscall"},
		{"pthread_mutex_lock", "lock"},
		{"__pthread_mutex_lock", "lock"},
		{"__lll_lock_wait", "lock"},
		{"__lll_lock_wait_private", "lock"},
		{"pthread_cond_wait", "lock"},
		{"std::mutex::lock()", "lock"},
		/* not hotspots */
		{"main.mallocgc", "-"},
		{"runtime.mallocgcX", "-"},
		{"os.(*File).Write", "-"},
		{"main.writer", "-"},
		{"syscall/js.Value.Call", "-"},
		{"mysyscall.write", "-"},
		{"golang.org/x/sys/cpu.Initialize", "-"},
		{"writev2", "-"},
		{"encoding/json.Marshal", "-"},
		{"runtime.memmove", "-"},
		{"runtime.gcstopm", "sched"},
		{"", "-"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = class_of(h, cases[i][0]);
		if (strcmp(got, cases[i][1]))
			fail_msg("%s: class %s, want %s", cases[i][0], got, cases[i][1]);
	}
	assert_int_equal(cv_hotspot_count(h), 5);
	assert_string_equal(cv_hotspot_get(h, 0)->name, "alloc");
	assert_string_equal(cv_hotspot_get(h, 4)->name, "sched");
	assert_null(cv_hotspot_get(h, 5));
	assert_int_equal(cv_hotspot_find(h, "lock"), 3);
	assert_int_equal(cv_hotspot_find(h, "nope"), -1);
	/* runtime.futex is a syscall; its sched callers are sched */
	assert_int_equal(cv_hotspot_match_mask(h, "runtime.futex"), 1u << 2);
	assert_int_equal(cv_hotspot_classify(NULL, "runtime.mallocgc"), -1);
	cv_hotspot_free(h);
}

static void test_highlight(void **state)
{
	cv_hotspots *h;
	assert_int_equal(cv_hotspot_new(&h), 0);
	assert_int_equal(cv_hotspot_highlight(h, "json"), 0);
	assert_int_equal(cv_hotspot_highlight(h, "hash=sha256|crc32"), 0);
	assert_int_equal(cv_hotspot_highlight(h, "(?i)x=y"), 0);  /* not a name: a regex */
	assert_int_equal(cv_hotspot_highlight(h, "Mixed"), 0);
	assert_int_equal(cv_hotspot_count(h), 2);
	assert_string_equal(cv_hotspot_get(h, 0)->name, "custom");
	assert_string_equal(cv_hotspot_get(h, 0)->pattern, "(?:json)|(?:(?i)x=y)|(?:Mixed)");
	assert_string_equal(cv_hotspot_get(h, 1)->name, "hash");
	assert_string_equal(cv_hotspot_get(h, 1)->pattern, "sha256|crc32");
	/* (?i) stays inside its own group */
	assert_int_equal(cv_hotspot_classify(h, "X=Y"), 0);
	assert_int_equal(cv_hotspot_classify(h, "mixed"), -1);
	assert_int_equal(cv_hotspot_classify(h, "crypto/sha256.block"), 1);
	/* colours are distinct and well formed */
	assert_string_not_equal(cv_hotspot_get(h, 0)->color, cv_hotspot_get(h, 1)->color);
	assert_int_equal(strlen(cv_hotspot_get(h, 0)->color), 7);
	/* user classes come first: they win over the built-in ones */
	assert_int_equal(cv_hotspot_highlight(h, "mine=^runtime\\.mallocgc$"), 0);
	assert_int_equal(cv_hotspot_add_builtin(h), 0);
	assert_string_equal(class_of(h, "runtime.mallocgc"), "mine");
	assert_string_equal(class_of(h, "runtime.newobject"), "alloc");
	cv_hotspot_free(h);
}

static void test_add_errors(void **state)
{
	cv_hotspots *h;
	assert_int_equal(cv_hotspot_new(&h), 0);
	assert_int_equal(cv_hotspot_add(h, "9lives", "x", NULL), CV_EINVAL);
	assert_non_null(strstr(cv_error_last(), "invalid hotspot class name"));
	assert_int_equal(cv_hotspot_add(h, "a b", "x", NULL), CV_EINVAL);
	assert_int_equal(cv_hotspot_add(h, "ok", "x", "red"), CV_EINVAL);
	assert_non_null(strstr(cv_error_last(), "#rrggbb"));
	assert_int_equal(cv_hotspot_add(h, "ok", "(", NULL), CV_EINVAL);
	assert_non_null(strstr(cv_error_last(), "invalid regex for hotspot class ok"));
	assert_int_equal(cv_hotspot_add(h, "ok", "a(?=b)", NULL), CV_EINVAL);
	assert_int_equal(cv_hotspot_add(h, "ok", "", NULL), CV_EINVAL);
	assert_int_equal(cv_hotspot_count(h), 0);  /* failed adds leave no class */
	assert_int_equal(cv_hotspot_add(h, "ok", "x", "#AABBCC"), 0);
	assert_string_equal(cv_hotspot_get(h, 0)->color, "#aabbcc");
	/* a bad pattern for an existing class leaves it as it was */
	assert_int_equal(cv_hotspot_add(h, "ok", "(", NULL), CV_EINVAL);
	assert_string_equal(cv_hotspot_get(h, 0)->pattern, "x");
	char name[16];
	for (int i = 1; i < CV_HOTSPOT_MAX; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		assert_int_equal(cv_hotspot_add(h, name, "x", NULL), 0);
	}
	assert_int_equal(cv_hotspot_add(h, "onemore", "x", NULL), CV_EINVAL);
	assert_non_null(strstr(cv_error_last(), "too many"));
	assert_int_equal(cv_hotspot_add(h, "c1", "y", NULL), 0);  /* extending still works */
	cv_hotspot_free(h);
}

static void test_parse_file(void **state)
{
	cv_hotspots *h;
	assert_int_equal(cv_hotspot_new(&h), 0);
	const char *text =
		"# my classes\n"
		"\n"
		"json  #112233  ^encoding/json\\.\n"
		"   json ^main\\.encode   \r\n"
		"\tsort\t^sort\\.\n"
		"builtin\n"
		"alloc #000000 ^main\\.alloc$";  /* no final newline; colour ignored */
	assert_int_equal(cv_hotspot_parse(h, text, strlen(text)), 0);
	assert_int_equal(cv_hotspot_count(h), 7);
	assert_string_equal(cv_hotspot_get(h, 0)->name, "json");
	assert_string_equal(cv_hotspot_get(h, 0)->color, "#112233");
	assert_string_equal(cv_hotspot_get(h, 0)->pattern, "(?:^encoding/json\\.)|(?:^main\\.encode)");
	assert_string_equal(cv_hotspot_get(h, 1)->name, "sort");
	assert_string_equal(cv_hotspot_get(h, 2)->name, "alloc");
	assert_string_equal(cv_hotspot_get(h, 2)->color, "#1f77b4");
	assert_string_equal(class_of(h, "main.alloc"), "alloc");
	assert_string_equal(class_of(h, "main.encodeAll"), "json");
	cv_hotspot_free(h);

	static const char *const bad[][2] = {
		{"ok ^a\n9bad x\n", "line 2: invalid class name \"9bad\""},
		{"x #12 ^a\n", "line 1: invalid colour \"#12\""},
		{"# c\nx #123456\n", "line 2: class x has no pattern"},
		{"x\n", "line 1: class x has no pattern"},
		{"x a(b\n", "line 1: invalid regex for hotspot class x"},
		{"x a\0b\n", "line 1: NUL byte"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cv_hotspot_new(&h), 0);
		size_t len = i == 5 ? 6 : strlen(bad[i][0]);
		assert_int_equal(cv_hotspot_parse(h, bad[i][0], len), CV_EINVAL);
		if (!strstr(cv_error_last(), bad[i][1]))
			fail_msg("case %zu: %s", i, cv_error_last());
		cv_hotspot_free(h);
	}
	assert_int_equal(cv_hotspot_new(&h), 0);
	assert_int_equal(cv_hotspot_load(h, "/nonexistent/classes.txt"), CV_EIO);
	assert_non_null(strstr(cv_error_last(), "cannot open hotspots file"));
	cv_hotspot_free(h);
}

/* ---- shares on a hand-built profile ------------------------------------ */

typedef struct mini {
	cv_profile p;
	cv_value_type st[1];
	cv_function fns[8];
	cv_location locs[8];
	cv_line lines[16];
	cv_sample smps[8];
	uint32_t stk[64];
	int64_t vals[8];
} mini;

/*
 * Functions: 0 main, 1 runtime.mallocgc, 2 runtime.newobject, 3 syscall.Syscall,
 * 4 runtime.futex, 5 main.work. Location 5 holds main.work with
 * runtime.newobject inlined into it (lines[0] innermost).
 */
static mini *mini_profile(void)
{
	mini *m = calloc(1, sizeof(*m));
	static const char *const names[] = {"main.main", "runtime.mallocgc", "runtime.newobject",
					    "syscall.Syscall", "runtime.futex", "main.work"};
	for (int i = 0; i < 6; i++) {
		m->fns[i] = (cv_function){.id = (uint64_t)i + 1, .name = names[i],
					  .system_name = names[i], .filename = "/src/x.go"};
		m->locs[i] = (cv_location){.id = (uint64_t)i + 1, .lines = &m->lines[i], .n_lines = 1};
		m->lines[i] = (cv_line){&m->fns[i], 10};
	}
	m->lines[6] = (cv_line){&m->fns[2], 3};
	m->lines[7] = (cv_line){&m->fns[5], 4};
	m->locs[5].lines = &m->lines[6];
	m->locs[5].n_lines = 2;
	m->st[0] = (cv_value_type){"cpu", "nanoseconds"};
	m->p.sample_types = m->st;
	m->p.n_sample_types = 1;
	m->p.functions = m->fns;
	m->p.n_functions = 6;
	m->p.locations = m->locs;
	m->p.n_locations = 6;
	m->p.samples = m->smps;
	return m;
}

/* A sample with value v along locations given leaf first, ending in -1. */
static void mini_sample(mini *m, int64_t v, ...)
{
	static size_t used;
	if (m->p.n_samples == 0)
		used = 0;
	cv_sample *s = &m->smps[m->p.n_samples];
	m->vals[m->p.n_samples++] = v;
	s->values = &m->vals[m->p.n_samples - 1];
	s->locs = &m->stk[used];
	va_list ap;
	va_start(ap, v);
	for (int l; (l = va_arg(ap, int)) >= 0;)
		m->stk[used++] = (uint32_t)l, s->n_locs++;
	va_end(ap);
}

static void test_shares_counted_once(void **state)
{
	mini *m = mini_profile();
	mini_sample(m, 100, 1, 1, 1, 0, -1);  /* mallocgc three times (recursion) */
	mini_sample(m, 30, 1, 2, 0, -1);      /* mallocgc and newobject: alloc once */
	mini_sample(m, 20, 4, 3, 0, -1);      /* futex under Syscall: syscall once */
	mini_sample(m, 7, 5, 0, -1);          /* newobject inlined in main.work */
	mini_sample(m, 0, 1, 0, -1);          /* zero value: a sample, no value */
	mini_sample(m, 5, 0, -1);             /* no class */
	cv_hotspots *h = builtin();
	cv_hotspot_share s[5];
	assert_int_equal(cv_hotspot_shares(s, h, &m->p, 0), 0);
	assert_int_equal(s[0].value, 137);
	assert_int_equal(s[0].samples, 4);
	assert_true(s[0].any);
	assert_int_equal(s[1].value, 0);  /* gc */
	assert_int_equal(s[1].samples, 0);
	assert_false(s[1].any);
	assert_int_equal(s[2].value, 20); /* syscall */
	assert_int_equal(s[2].samples, 1);
	assert_int_equal(s[3].value, 0);
	assert_int_equal(s[4].value, 0);
	assert_int_equal(cv_hotspot_shares(s, h, &m->p, 1), CV_EINVAL);
	cv_hotspot_free(h);

	/* a class matching two frames of one stack still counts it once, and a
	 * sample in two classes counts in both */
	assert_int_equal(cv_hotspot_new(&h), 0);
	assert_int_equal(cv_hotspot_highlight(h, "both=^(runtime\\.futex|syscall\\.Syscall)$"), 0);
	assert_int_equal(cv_hotspot_highlight(h, "main=^main\\."), 0);
	assert_int_equal(cv_hotspot_shares(s, h, &m->p, 0), 0);
	assert_int_equal(s[0].value, 20);
	assert_int_equal(s[1].value, 162);
	assert_int_equal(s[1].samples, 6);
	cv_hotspot_free(h);

	/* as with -focus, file names and mapping files match too (not for nodes) */
	cv_mapping map = {.id = 1, .file = "/lib/libc.so.6", .build_id = ""};
	m->locs[4].mapping = &map;
	assert_int_equal(cv_hotspot_new(&h), 0);
	assert_int_equal(cv_hotspot_highlight(h, "src=x\\.go$"), 0);
	assert_int_equal(cv_hotspot_highlight(h, "libc=libc\\.so"), 0);
	assert_int_equal(cv_hotspot_shares(s, h, &m->p, 0), 0);
	assert_int_equal(s[0].value, 162);
	assert_int_equal(s[1].value, 20);
	assert_int_equal(cv_hotspot_classify(h, "/src/x.go"), 0);
	assert_int_equal(cv_hotspot_classify(h, "runtime.futex"), -1);
	cv_hotspot_free(h);
	free(m);
}

/* ---- shares on the Go CPU fixture, against go tool pprof --------------- */

/*
 * Expected values: go tool pprof -top -nodefraction=0 -unit=ns
 * -focus='<pattern of the class>' tests/data/go-cpu.pb.gz, "Showing nodes
 * accounting for X". tests/hotspot/check_shares.py checks the same on every
 * fixture and class against pprof itself; these pin the numbers.
 */
static void test_shares_go_cpu(void **state)
{
	cv_profile *p;
	assert_int_equal(cv_profile_read(&p, CV_TEST_DATA "/go-cpu.pb.gz"), 0);
	assert_int_equal(cv_profile_prune_frames(p), 0);
	int si = cv_profile_sample_index(p, "cpu");
	assert_true(si >= 0);
	cv_hotspots *h = builtin();
	cv_hotspot_share s[5];
	assert_int_equal(cv_hotspot_shares(s, h, p, si), 0);
	static const int64_t want[5] = {820000000, 720000000, 860000000, 20000000,
					10000000};
	for (int i = 0; i < 5; i++)
		if (s[i].value != want[i])
			fail_msg("%s: %lld, pprof says %lld", cv_hotspot_get(h, (size_t)i)->name,
				 (long long)s[i].value, (long long)want[i]);
	cv_hotspot_free(h);
	cv_profile_free(p);
}

/* ---- shares counted by the graph build --------------------------------- */

static const uint64_t *given_masks(void *ctx)
{
	return ctx;
}

/* The build's counts plus the zero-valued samples' are cv_hotspot_shares'. */
static void check_counted(const char *name, const cv_profile *p, const cv_hotspots *h, int si,
			  bool no_tags)
{
	size_t n = cv_hotspot_count(h);
	cv_hotspot_share want[CV_HOTSPOT_MAX], got[CV_HOTSPOT_MAX] = {{0}},
		zero[CV_HOTSPOT_MAX] = {{0}};
	assert_int_equal(cv_hotspot_shares(want, h, p, si), 0);
	uint64_t *masks = cv_hotspot_location_masks(h, p);
	assert_non_null(masks);
	cv_hotspot_count_samples(zero, n, masks, p, si, true);
	cv_class_count cc = {.masks = given_masks, .ctx = masks, .n = n, .sums = got};
	cv_graph_options go = {.granularity = CV_GRAN_FUNCTIONS, .sample_index = si,
			       .no_tags = no_tags};
	cv_trim_options to = {.node_fraction = 0.005, .edge_fraction = 0.001};
	cv_graph *g = NULL;
	assert_int_equal(cv_graph_build_trimmed_counting(&g, NULL, p, &go, &to, &cc), 0);
	assert_int_equal(cc.counted, cv_graph_walks_trie_first(p, &go));
	for (size_t c = 0; cc.counted && c < n; c++) {
		got[c].samples += zero[c].samples;
		if (got[c].value != want[c].value || got[c].samples != want[c].samples ||
		    got[c].any != want[c].any)
			fail_msg("%s, sample index %d, %s: %s counted %lld in %zu samples, "
				 "not %lld in %zu", name, si, no_tags ? "no tags" : "tags",
				 cv_hotspot_get(h, c)->name, (long long)got[c].value,
				 got[c].samples, (long long)want[c].value, want[c].samples);
	}
	cv_graph_free(g);
	free(masks);
}

/* Every fixture, every sample index (heap ones have zero-valued samples),
 * with tags and without, one trie or two on two threads. */
static void test_shares_counted_by_build(void **state)
{
	static const char *const files[] = {"go-cpu.pb.gz", "go-heap.pb.gz", "go-allocs.pb.gz",
					    "go-mutex.pb.gz", "std-json-mem.pb.gz",
					    "gperf-cpu.pb.gz", "synth-labels.pb.gz"};
	static const cv_trie_tuning tunings[] = {{SIZE_MAX, 60}, {1, 60}, {1, 0}};
	cv_trie_tuning saved = cv_trie_tune;
	cv_hotspots *h = builtin();
	assert_int_equal(cv_hotspot_highlight(h, "files=\\.go$"), 0);
	for (size_t f = 0; f < sizeof(files) / sizeof(*files); f++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", CV_TEST_DATA, files[f]);
		cv_profile *p;
		if (cv_profile_read(&p, path) || cv_profile_compact_for_sums(p))
			fail_msg("%s: %s", files[f], cv_error_last());
		for (size_t t = 0; t < sizeof(tunings) / sizeof(*tunings); t++) {
			cv_trie_tune = tunings[t];
			for (int si = 0; si < (int)p->n_sample_types; si++) {
				check_counted(files[f], p, h, si, true);
				check_counted(files[f], p, h, si, false);
			}
		}
		cv_profile_free(p);
	}
	cv_trie_tune = saved;
	cv_hotspot_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_names),
		cmocka_unit_test(test_highlight),
		cmocka_unit_test(test_add_errors),
		cmocka_unit_test(test_parse_file),
		cmocka_unit_test(test_shares_counted_once),
		cmocka_unit_test(test_shares_go_cpu),
		cmocka_unit_test(test_shares_counted_by_build),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
