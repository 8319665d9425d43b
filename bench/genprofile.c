/*
 * genprofile: write a synthetic but realistic Go CPU profile for the
 * benchmarks, with the project's own encoder.
 *
 *   genprofile SAMPLES OUT.pb.gz [SEED [HOST]]
 *
 * The shape follows real CPU profiles of a Go service: a few thousand
 * functions with package-qualified names, call sites as locations in one
 * main mapping, some locations carrying inlined frames, stacks 20-60 frames
 * deep built by walks over a fixed call graph, and a Zipf-like popularity
 * of call paths, so a few paths take most samples and the tail is long.
 * Leaf frames vary around each path, as sampling PCs do, and a fifth of
 * the samples carry pprof labels. Same arguments, same bytes.
 *
 * HOST (a number) keeps SEED's functions, locations and call graph but
 * draws other call paths, samples and values: the profiles of one service
 * on different hosts, for the many-sources benchmark. HOST as FIRST-LAST
 * writes each of those hosts' profiles in one run, to OUT with "%u"
 * replaced by the host's number (bench/out/hosts/h%u.pb.gz).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/profile.h"

#define N_FUNCS 4000
#define SITES_PER_FUNC 3      /* call-site locations per function */
#define N_PATHS 6000          /* base call paths, Zipf-ranked */
#define MIN_DEPTH 20
#define MAX_DEPTH 60
#define PERIOD 10000000       /* 10ms, as runtime/pprof's 100 Hz */

static uint64_t rng_state;

/* splitmix64: tiny, fast, and the same sequence everywhere. */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static double unit_rand(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* A Zipf-like sampler over [0, n): cumulative weights 1/(k+1)^s. */
typedef struct zipf {
	double *cdf;
	uint32_t n;
} zipf;

static zipf zipf_new(uint32_t n, double s)
{
	zipf z = {calloc(n, sizeof(double)), n};
	double acc = 0;
	for (uint32_t k = 0; k < n; k++)
		z.cdf[k] = acc += 1.0 / pow(k + 1.0, s);
	for (uint32_t k = 0; k < n; k++)
		z.cdf[k] /= acc;
	return z;
}

static uint32_t zipf_draw(const zipf *z)
{
	double u = unit_rand();
	uint32_t lo = 0, hi = z->n - 1;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (z->cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fprintf(stderr, "genprofile: out of memory\n");
		exit(1);
	}
	return p;
}

static char *xprintf(const char *fmt, const char *a, const char *b, const char *c)
{
	size_t n = (size_t)snprintf(NULL, 0, fmt, a, b, c) + 1;
	char *s = xcalloc(n, 1);
	snprintf(s, n, fmt, a, b, c);
	return s;
}

static const char *const orgs[] = {
	"github.com/acme/shop", "github.com/acme/platform", "google.golang.org/grpc",
	"github.com/jackc/pgx/v5", "go.uber.org/zap", "golang.org/x/net/http2",
};
static const char *const pkgs[] = {
	"api", "cart", "checkout", "catalog", "auth", "session", "storage", "cache",
	"codec", "metrics", "internal/transport", "internal/pool", "pgconn", "wire",
	"encoder", "router", "middleware", "search", "index", "billing",
};
static const char *const types[] = {
	"Server", "Client", "Handler", "conn", "Pool", "Encoder", "Decoder",
	"Cache", "Tx", "Row", "Buffer", "Index", "Tokenizer", "stream", "Router",
};
static const char *const verbs[] = {
	"Serve", "Handle", "Get", "Put", "Lookup", "encode", "decode", "Write",
	"Read", "flush", "Scan", "Query", "Exec", "parse", "marshal", "unmarshal",
	"process", "dispatch", "validate", "compute", "merge", "Next", "Close",
	"acquire", "release", "hash", "render", "load", "store", "apply",
};
static const char *const runtime_names[] = {
	"runtime.mallocgc", "runtime.memmove", "runtime.mapaccess2_faststr",
	"runtime.mapassign_faststr", "runtime.growslice", "runtime.scanobject",
	"runtime.gcDrain", "runtime.newobject", "syscall.Syscall", "runtime.futex",
	"runtime.lock2", "runtime.findRunnable", "runtime.schedule",
	"runtime.memclrNoHeapPointers", "runtime.concatstrings", "runtime.selectgo",
	"sync.(*Mutex).Lock", "sync.(*Mutex).Unlock", "encoding/json.(*decodeState).object",
	"strconv.ParseInt", "bytes.(*Buffer).Write", "crypto/sha256.block",
	"compress/flate.(*compressor).deflate", "reflect.Value.Field",
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Go-like names: org/pkg.(*Type).Method, org/pkg.func, closures, runtime. */
static void make_functions(cv_profile *p)
{
	p->n_functions = N_FUNCS;
	p->functions = xcalloc(N_FUNCS, sizeof(*p->functions));
	for (uint32_t i = 0; i < N_FUNCS; i++) {
		cv_function *f = &p->functions[i];
		const char *org = orgs[below(COUNT(orgs))], *pkg = pkgs[below(COUNT(pkgs))];
		const char *ty = types[below(COUNT(types))], *verb = verbs[below(COUNT(verbs))];
		char path[256], vb[64];
		snprintf(path, sizeof(path), "%s/%s", org, pkg);
		snprintf(vb, sizeof(vb), "%s%u", verb, i);
		if (i < COUNT(runtime_names)) {
			f->name = runtime_names[i];
			f->filename = "/usr/lib/go-1.19/src/runtime/proc.go";
		} else if (i % 5 == 0) {
			f->name = xprintf("%s.%s.func%s", path, vb, "1");
		} else if (i % 3 == 0) {
			f->name = xprintf("%s.%s%s", path, vb, "");
		} else {
			f->name = xprintf("%s.(*%s).%s", path, ty, vb);
		}
		if (!f->filename)
			f->filename = xprintf("/home/build/src/%s/%s.go", path, ty, "");
		f->system_name = f->name;
		f->id = i + 1;
		f->start_line = 10 + below(2000);
	}
}

/*
 * SITES_PER_FUNC locations per function, consecutive; about one in six has
 * one or two frames inlined into it (lines[0] is the innermost).
 */
static void make_locations(cv_profile *p)
{
	size_t n = (size_t)N_FUNCS * SITES_PER_FUNC;
	p->n_locations = n;
	p->locations = xcalloc(n, sizeof(*p->locations));
	for (size_t i = 0; i < n; i++) {
		cv_location *l = &p->locations[i];
		const cv_function *fn = &p->functions[i / SITES_PER_FUNC];
		size_t inl = below(6) == 0 ? 1 + below(2) : 0;
		l->id = i + 1;
		l->mapping = &p->mappings[0];
		l->address = 0x401000 + i * 0x40 + below(0x30);
		l->n_lines = inl + 1;
		l->lines = xcalloc(l->n_lines, sizeof(*l->lines));
		for (size_t k = 0; k < inl; k++) {
			const cv_function *g = &p->functions[COUNT(runtime_names) + below(N_FUNCS - 100)];
			l->lines[k] = (cv_line){g, g->start_line + 1 + below(40)};
		}
		l->lines[inl] = (cv_line){fn, fn->start_line + 1 + below(200)};
	}
}

/* A fixed call graph: each function calls a few others, popular ones more. */
typedef struct callgraph {
	uint32_t callees[N_FUNCS][6];
	uint32_t n[N_FUNCS];
} callgraph;

static void make_callgraph(callgraph *cg, const zipf *popular)
{
	for (uint32_t f = 0; f < N_FUNCS; f++) {
		cg->n[f] = 2 + below(5);
		for (uint32_t k = 0; k < cg->n[f]; k++)
			cg->callees[f][k] = below(3) ? zipf_draw(popular) : below(N_FUNCS);
	}
}

/* A root-first walk of `depth` call sites, from one of a few entry points. */
static uint32_t *walk(const callgraph *cg, uint32_t depth)
{
	static const uint32_t roots[] = {100, 101, 102, 103, 104};
	uint32_t *path = xcalloc(depth, sizeof(*path));
	uint32_t f = roots[below(COUNT(roots))];
	for (uint32_t d = 0; d < depth; d++) {
		path[d] = f * SITES_PER_FUNC + below(SITES_PER_FUNC);
		/* Earlier callees are the common case, as in real code. */
		uint32_t k = below(4) ? 0 : below(cg->n[f]);
		f = cg->callees[f][k];
	}
	return path;
}

static cv_label *labels_for(uint32_t which)
{
	static const char *const handlers[] = {"/api/cart", "/api/checkout", "/api/search",
					       "/api/login", "/api/catalog", "/healthz"};
	cv_label *l = xcalloc(2, sizeof(*l));
	l[0] = (cv_label){"handler", handlers[which % COUNT(handlers)], 0, ""};
	l[1] = (cv_label){"tenant", which % 2 ? "gold" : "free", 0, ""};
	return l;
}

/*
 * Each sample: a Zipf-ranked base path, often with its last few frames
 * replaced by a short random tail (the PC moved, or a helper ran), stored
 * leaf first as profile.proto does.
 */
static void make_samples(cv_profile *p, size_t n_samples, const callgraph *cg,
			 const zipf *popular)
{
	uint32_t *paths[N_PATHS], depths[N_PATHS];
	for (uint32_t i = 0; i < N_PATHS; i++) {
		uint32_t span = MAX_DEPTH - MIN_DEPTH + 1;
		depths[i] = MIN_DEPTH + (below(span) + below(span)) / 2;
		paths[i] = walk(cg, depths[i]);
	}
	zipf pz = zipf_new(N_PATHS, 1.05);
	static cv_label *labels[12];
	for (uint32_t i = 0; i < 12; i++)
		if (!labels[i])
			labels[i] = labels_for(i);
	p->n_samples = n_samples;
	p->samples = xcalloc(n_samples, sizeof(*p->samples));
	for (size_t i = 0; i < n_samples; i++) {
		cv_sample *s = &p->samples[i];
		uint32_t b = zipf_draw(&pz), depth = depths[b], keep = depth;
		if (below(10) < 6)
			keep = depth - 1 - below(4);
		uint32_t tail = keep < depth ? 1 + below(4) : 0;
		s->n_locs = keep + tail;
		s->locs = xcalloc(s->n_locs, sizeof(*s->locs));
		for (uint32_t d = 0; d < keep; d++)
			s->locs[s->n_locs - 1 - d] = paths[b][d];
		for (uint32_t t = 0; t < tail; t++)
			s->locs[tail - 1 - t] = zipf_draw(popular) * SITES_PER_FUNC +
						below(SITES_PER_FUNC);
		int64_t count = below(8) ? 1 : 2 + below(3);
		s->values = xcalloc(2, sizeof(*s->values));
		s->values[0] = count;
		s->values[1] = count * PERIOD;
		if (below(5) == 0) {
			s->labels = labels[below(12)];
			s->n_labels = 2;
		}
	}
	for (uint32_t i = 0; i < N_PATHS; i++)
		free(paths[i]);
	free(pz.cdf);
}

static void free_samples(cv_profile *p)
{
	for (size_t i = 0; i < p->n_samples; i++) {
		free(p->samples[i].locs);
		free(p->samples[i].values);
	}
	free(p->samples);
}

static int write_profile(const cv_profile *p, const char *path)
{
	FILE *out = fopen(path, "wb");
	if (!out) {
		perror(path);
		return 1;
	}
	if (cv_profile_write(out, p, NULL) || fclose(out)) {
		fprintf(stderr, "genprofile: %s: %s\n", path, cv_error_last());
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: genprofile SAMPLES OUT.pb.gz [SEED [HOST]]\n");
		return 2;
	}
	size_t n_samples = strtoull(argv[1], NULL, 10);
	rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 20260527;
	const char *hosts = argc > 4 ? argv[4] : "0";
	char *dash;
	unsigned long first = strtoul(hosts, &dash, 10), last = first;
	if (*dash == '-')
		last = strtoul(dash + 1, NULL, 10);

	static cv_value_type types_[2] = {{"samples", "count"}, {"cpu", "nanoseconds"}};
	static cv_mapping main_map = {1, 0x400000, 0x2000000, 0, "/usr/local/bin/shopd",
				      "5c1e0dd1a0b44f1e9f2b", true, true, true, false};
	static const char *comments[] = {"genprofile synthetic profile"};
	cv_profile p = {0};
	p.sample_types = types_;
	p.n_sample_types = 2;
	p.mappings = &main_map;
	p.n_mappings = 1;
	p.drop_frames = p.keep_frames = p.default_sample_type = "";
	p.time_nanos = 1795000000000000000LL;
	p.duration_nanos = (int64_t)n_samples * PERIOD / 8; /* 8 busy threads */
	p.period_type = (cv_value_type){"cpu", "nanoseconds"};
	p.period = PERIOD;
	p.comments = comments;
	p.n_comments = 1;

	make_functions(&p);
	make_locations(&p);
	callgraph *cg = xcalloc(1, sizeof(*cg));
	zipf popular = zipf_new(N_FUNCS, 1.0);
	make_callgraph(cg, &popular);
	uint64_t state = rng_state;
	int64_t time0 = p.time_nanos;
	for (unsigned long host = first; host <= last; host++) {
		rng_state = state;
		if (host) {
			rng_state ^= host * 0xd1b54a32d192ed03ULL;
			p.time_nanos = time0 + (int64_t)(host % 3600) * 1000000000;
		}
		make_samples(&p, n_samples, cg, &popular);
		char path[4096];
		snprintf(path, sizeof(path), argv[2], (unsigned)host);
		if (write_profile(&p, first == last ? argv[2] : path))
			return 1;
		free_samples(&p);
	}
	return 0;
}
