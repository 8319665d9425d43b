/*
 * The ordering of a generation's events across threads, by the rules of
 * Go's internal/trace (order.go): an event advances only when the state
 * of its goroutine, proc and thread allows it (sequence numbers say which
 * of two threads' events about a goroutine or proc came first); one that
 * cannot advance yet waits while events of other threads go first. The
 * same acceptances and the same errors give the same order of events, so
 * the same timestamp fix-ups and the same profiles as go tool trace.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "trace/trace_internal.h"
#include "util/alloc.h"

#define NONE CV_TRACE_NONE

/* tracev2 statuses. */
enum { GO_BAD, GO_RUNNABLE, GO_RUNNING, GO_SYSCALL, GO_WAITING };
enum { P_BAD, P_RUNNING, P_IDLE, P_SYSCALL, P_SYSCALL_ABANDONED };
/* trace.ProcState */
enum { PS_UNDETERMINED, PS_NOT_EXIST, PS_RUNNING, PS_IDLE };
enum { GC_UNDETERMINED, GC_NOT_RUNNING, GC_RUNNING };
enum { MUST_NOT, MAY, MUST };

static const uint8_t go_status_state[] = {CV_GO_UNDETERMINED, CV_GO_RUNNABLE, CV_GO_RUNNING,
					  CV_GO_SYSCALL, CV_GO_WAITING};
static const uint8_t proc_status_state[] = {PS_UNDETERMINED, PS_RUNNING, PS_IDLE, PS_RUNNING,
					    PS_IDLE};

/* cv_grow, the new elements zeroed: states are found zero when first used. */
static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t old = *cap;
	int rc = cv_grow(arr, cap, need, elem, 16);
	if (rc == 0 && *cap > old)
		memset((char *)*arr + old * elem, 0, (*cap - old) * elem);
	return rc;
}

/* ---- uint64 map ---- */

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	return k ^ (k >> 33);
}

uint32_t u64map_get(const u64map *m, uint64_t key)
{
	if (!m->vals)
		return U64MAP_NONE;
	for (size_t i = mix(key) & m->mask;; i = (i + 1) & m->mask) {
		if (!m->vals[i])
			return U64MAP_NONE;
		if (m->keys[i] == key)
			return m->vals[i] - 1;
	}
}

int u64map_put(u64map *m, uint64_t key, uint32_t val)
{
	if (!m->vals || (m->n + 1) * 2 > m->mask + 1) {
		size_t cap = m->vals ? (m->mask + 1) * 2 : 16;
		uint64_t *keys = malloc(cap * sizeof(*keys));
		uint32_t *vals = calloc(cap, sizeof(*vals));
		if (!keys || !vals) {
			free(keys);
			free(vals);
			return cv_error_nomem();
		}
		for (size_t i = 0; m->vals && i <= m->mask; i++) {
			if (!m->vals[i])
				continue;
			size_t j = mix(m->keys[i]) & (cap - 1);
			while (vals[j])
				j = (j + 1) & (cap - 1);
			keys[j] = m->keys[i];
			vals[j] = m->vals[i];
		}
		free(m->keys);
		free(m->vals);
		m->keys = keys;
		m->vals = vals;
		m->mask = cap - 1;
	}
	size_t i = mix(key) & m->mask;
	while (m->vals[i] && m->keys[i] != key)
		i = (i + 1) & m->mask;
	if (!m->vals[i])
		m->n++;
	m->keys[i] = key;
	m->vals[i] = val + 1;
	return 0;
}

void u64map_free(u64map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- states ---- */

static gstate *g_get(ordering *o, int64_t id)
{
	uint32_t i = u64map_get(&o->g_index, (uint64_t)id);
	return i != U64MAP_NONE && o->gs[i].live ? &o->gs[i] : NULL;
}

static int g_new(ordering *o, int64_t id, uint8_t status, uint64_t gen)
{
	uint32_t i = u64map_get(&o->g_index, (uint64_t)id);
	if (i == U64MAP_NONE) {
		if (o->n_gs >= UINT32_MAX - 1 ||
		    grow((void **)&o->gs, &o->cap_gs, o->n_gs + 1, sizeof(*o->gs)))
			return cv_error_nomem();
		i = (uint32_t)o->n_gs++;
		if (u64map_put(&o->g_index, (uint64_t)id, i))
			return cv_error_nomem();
	}
	gstate *g = &o->gs[i];
	for (size_t k = 0; k < g->n_regions; k++)
		free(g->regions[k].name);
	g->n_regions = 0;
	g->n_ranges = 0;
	g->id = id;
	g->live = true;
	g->status = status;
	g->seq_gen = gen;
	g->seq = 0;
	return 0;
}

static pstate *p_get(ordering *o, int64_t id)
{
	uint32_t i = u64map_get(&o->p_index, (uint64_t)id);
	return i != U64MAP_NONE ? &o->ps[i] : NULL;
}

static mstate *m_get(ordering *o, int64_t id)
{
	uint32_t i = u64map_get(&o->m_index, (uint64_t)id);
	return i != U64MAP_NONE ? &o->ms[i] : NULL;
}

static mstate *m_new(ordering *o, int64_t id, int64_t g, int64_t p)
{
	if (o->n_ms >= UINT32_MAX - 1 ||
	    grow((void **)&o->ms, &o->cap_ms, o->n_ms + 1, sizeof(*o->ms)) ||
	    u64map_put(&o->m_index, (uint64_t)id, (uint32_t)o->n_ms)) {
		cv_error_nomem();
		return NULL;
	}
	o->ms[o->n_ms] = (mstate){id, g, p};
	return &o->ms[o->n_ms++];
}

static bool succeeds(uint64_t gen, uint64_t seq, uint64_t pgen, uint64_t pseq)
{
	return gen == pgen && seq == pseq + 1;
}

typedef struct ctx { int64_t g, p, m; } ctx;

static int validate(ctx c, int m, int p, int g)
{
	if (m == MUST && c.m == NONE)
		return cv_error_set(CV_EFORMAT, "expected a thread but didn't have one");
	if (m == MUST_NOT && c.m != NONE)
		return cv_error_set(CV_EFORMAT, "expected no thread but had one");
	if (p == MUST && c.p == NONE)
		return cv_error_set(CV_EFORMAT, "expected a proc but didn't have one");
	if (p == MUST_NOT && c.p != NONE)
		return cv_error_set(CV_EFORMAT, "expected no proc but had one");
	if (g == MUST && c.g == NONE)
		return cv_error_set(CV_EFORMAT, "expected a goroutine but didn't have one");
	if (g == MUST_NOT && c.g != NONE)
		return cv_error_set(CV_EFORMAT, "expected no goroutine but had one");
	return 0;
}

#define USER_GO(c) validate(c, MUST, MUST, MUST)

static int push(ordering *o, int typ, int64_t time, ctx c, const uint64_t *args)
{
	if (o->q_end - o->q_start == o->q_cap) {
		size_t ncap = o->q_cap ? o->q_cap * 2 : 8;
		cv_trace_event *n = malloc(ncap * sizeof(*n));
		if (!n)
			return cv_error_nomem();
		for (size_t i = o->q_start; i < o->q_end; i++)
			n[i - o->q_start] = o->queue[i % o->q_cap];
		free(o->queue);
		o->queue = n;
		o->q_end -= o->q_start;
		o->q_start = 0;
		o->q_cap = ncap;
	}
	cv_trace_event *e = &o->queue[o->q_end++ % o->q_cap];
	memset(e, 0, sizeof(*e));
	e->type = typ;
	e->time = time;
	e->g = c.g;
	e->p = c.p;
	e->m = c.m;
	if (args)
		memcpy(e->args, args, sizeof(e->args));
	return 0;
}

bool order_next(ordering *o, cv_trace_event *out)
{
	if (o->q_end == o->q_start)
		return false;
	*out = o->queue[o->q_start++ % o->q_cap];
	if (o->q_start == o->q_end)
		o->q_start = o->q_end = 0;
	return true;
}

/* The "begin" event a range event belongs to. */
static uint8_t start_of(uint8_t typ)
{
	switch (typ) {
	case 27: return 26;
	case 28: case 30: return 29;
	case 31: case 33: return 32;
	case 34: case 36: return 35;
	case 23: case 24: return 22;
	case 43: return 42;
	default: return typ;
	}
}

static bool has_range(range_t *r, size_t n, range_t t)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].typ == t.typ && r[i].desc == t.desc)
			return true;
	return false;
}

static int begin_range(range_t **r, size_t *n, size_t *cap, range_t t)
{
	if (has_range(*r, *n, t))
		return cv_error_set(CV_EFORMAT, "discovered event already in-flight when starting event %d",
				    t.typ);
	if (grow((void **)r, cap, *n + 1, sizeof(**r)))
		return cv_error_nomem();
	(*r)[(*n)++] = t;
	return 0;
}

static int active_range(range_t **r, size_t *n, size_t *cap, range_t t, bool initial)
{
	if (initial) {
		if (has_range(*r, *n, t))
			return cv_error_set(CV_EFORMAT, "found named active range already in first gen");
		if (grow((void **)r, cap, *n + 1, sizeof(**r)))
			return cv_error_nomem();
		(*r)[(*n)++] = t;
	} else if (!has_range(*r, *n, t)) {
		return cv_error_set(CV_EFORMAT, "resource is missing active range of event %d", t.typ);
	}
	return 0;
}

static int end_range(range_t *r, size_t *n, uint8_t typ, uint64_t *desc)
{
	uint8_t st = start_of(typ);
	for (size_t i = 0; i < *n; i++) {
		if (r[i].typ != st)
			continue;
		*desc = r[i].desc;
		r[i] = r[*n - 1];
		(*n)--;
		return 0;
	}
	return cv_error_set(CV_EFORMAT, "tried to end event %d, but not in-flight", st);
}

static int task_find(ordering *o, uint64_t id)
{
	uint32_t i = u64map_get(&o->tasks, id);
	return i != U64MAP_NONE && o->task_live[i] ? (int)i : -1;
}

/* ---- the handlers: each returns <0 on error, else sets *ok ---- */

#define PUSH(c) do { if (push(o, ev->typ, ev->time, c, ev->args)) return CV_ENOMEM; } while (0)

int order_advance(ordering *o, tevent *ev, generation *gn, int64_t m, uint64_t gen, bool *ok)
{
	*ok = false;
	if (o->initial_gen == 0)
		o->initial_gen = gen;
	ctx cur = {NONE, NONE, m};
	mstate *ms = NULL;
	if (m != NONE) {
		ms = m_get(o, m);
		if (!ms && !(ms = m_new(o, m, NONE, NONE)))
			return CV_ENOMEM;
		cur.p = ms->p;
		cur.g = ms->g;
	}
	ctx nc = cur;
	int rc = 0;
	uint64_t *a = ev->args;
	switch (ev->typ) {
	case 13: { /* ProcStatus */
		int64_t pid = (int64_t)a[0];
		uint64_t status = a[1];
		if (status >= 5)
			return cv_error_set(CV_EFORMAT, "invalid status for proc %lld: %llu",
					    (long long)pid, (unsigned long long)status);
		uint64_t old = proc_status_state[status];
		pstate *s = p_get(o, pid);
		if (s) {
			if (status == P_SYSCALL_ABANDONED && s->status == P_SYSCALL) {
				old = PS_RUNNING;
				a[1] = P_SYSCALL;
			} else if (status == P_SYSCALL_ABANDONED && s->status == P_SYSCALL_ABANDONED) {
				old = PS_IDLE;
				a[1] = P_SYSCALL_ABANDONED;
			} else if (s->status != status) {
				return cv_error_set(CV_EFORMAT,
						    "inconsistent status for proc %lld: old %d vs. new %llu",
						    (long long)pid, s->status,
						    (unsigned long long)status);
			}
			s->seq_gen = gen;
			s->seq = 0;
		} else {
			if (o->n_ps >= UINT32_MAX - 1 ||
			    grow((void **)&o->ps, &o->cap_ps, o->n_ps + 1, sizeof(*o->ps)) ||
			    u64map_put(&o->p_index, (uint64_t)pid, (uint32_t)o->n_ps))
				return CV_ENOMEM;
			o->ps[o->n_ps++] = (pstate){.id = pid, .status = (uint8_t)status,
						     .seq_gen = gen};
			old = gen == o->initial_gen ? PS_UNDETERMINED : PS_NOT_EXIST;
		}
		a[2] = old;
		if (status == P_RUNNING || status == P_SYSCALL)
			nc.p = pid;
		if (status == P_SYSCALL_ABANDONED && old == PS_RUNNING) {
			bool found = false;
			for (size_t i = 0; i < o->n_ms; i++) {
				if (o->ms[i].p == pid) {
					cur.m = o->ms[i].id;
					cur.p = pid;
					cur.g = o->ms[i].g;
					found = true;
				}
			}
			if (!found)
				return cv_error_set(CV_EFORMAT,
						    "failed to find sched context for proc %lld that's about to be stolen",
						    (long long)pid);
		}
		PUSH(cur);
		break;
	}
	case 10: { /* ProcStart */
		int64_t pid = (int64_t)a[0];
		pstate *s = p_get(o, pid);
		if (!s || s->status != P_IDLE || !succeeds(gen, a[1], s->seq_gen, s->seq) ||
		    cur.p != NONE)
			return 0;
		if ((rc = validate(cur, MUST, MUST_NOT, MAY)))
			return rc;
		s->status = P_RUNNING;
		s->seq_gen = gen;
		s->seq = a[1];
		nc.p = pid;
		PUSH(cur);
		break;
	}
	case 11: { /* ProcStop */
		pstate *s = p_get(o, cur.p);
		if (!s)
			return cv_error_set(CV_EFORMAT, "event ProcStop for proc (%lld) that doesn't exist",
					    (long long)cur.p);
		if (s->status != P_RUNNING && s->status != P_SYSCALL)
			return cv_error_set(CV_EFORMAT, "ProcStop event for proc that's not Running or Syscall");
		if ((rc = validate(cur, MUST, MUST, MAY)))
			return rc;
		s->status = P_IDLE;
		nc.p = NONE;
		PUSH(cur);
		break;
	}
	case 12: { /* ProcSteal */
		int64_t pid = (int64_t)a[0];
		pstate *s = p_get(o, pid);
		if (!s || (s->status != P_SYSCALL && s->status != P_SYSCALL_ABANDONED) ||
		    !succeeds(gen, a[1], s->seq_gen, s->seq))
			return 0;
		if ((rc = validate(cur, MUST, MAY, MAY)))
			return rc;
		uint8_t old = s->status;
		a[3] = old;
		s->status = P_IDLE;
		s->seq_gen = gen;
		s->seq = a[1];
		if (old == P_SYSCALL_ABANDONED) {
			PUSH(cur);
			break;
		}
		int64_t mid = (int64_t)a[2];
		if (mid == cur.m) {
			if (cur.p != pid)
				return cv_error_set(CV_EFORMAT, "tried to self-steal proc %lld (thread %lld), but got proc %lld instead",
						    (long long)pid, (long long)mid, (long long)cur.p);
			nc.p = NONE;
			PUSH(cur);
			break;
		}
		mstate *other = m_get(o, mid);
		if (!other)
			return cv_error_set(CV_EFORMAT, "stole proc from non-existent thread %lld",
					    (long long)mid);
		if (other->p != pid)
			return cv_error_set(CV_EFORMAT, "tried to steal proc %lld from thread %lld, but got proc %lld instead",
					    (long long)pid, (long long)mid, (long long)other->p);
		other->p = NONE;
		PUSH(cur);
		break;
	}
	case 25: case 48: { /* GoStatus, GoStatusStack */
		int64_t gid = (int64_t)a[0], mid = (int64_t)a[1];
		uint64_t status = a[2];
		if (status >= 5)
			return cv_error_set(CV_EFORMAT, "invalid status for goroutine %lld: %llu",
					    (long long)gid, (unsigned long long)status);
		uint64_t old = go_status_state[status];
		gstate *s = g_get(o, gid);
		if (s) {
			if (s->status != status)
				return cv_error_set(CV_EFORMAT,
						    "inconsistent status for goroutine %lld: old %d vs. new %llu",
						    (long long)gid, s->status,
						    (unsigned long long)status);
			s->seq_gen = gen;
			s->seq = 0;
		} else if (gen == o->initial_gen) {
			if (g_new(o, gid, (uint8_t)status, gen))
				return CV_ENOMEM;
			old = CV_GO_UNDETERMINED;
		} else {
			return cv_error_set(CV_EFORMAT,
					    "found goroutine status for new goroutine after the first generation: id=%lld",
					    (long long)gid);
		}
		a[2] = old << 32 | status;
		if (status == GO_RUNNING) {
			nc.g = gid;
		} else if (status == GO_SYSCALL) {
			if (mid == NONE)
				return cv_error_set(CV_EFORMAT, "found goroutine %lld in syscall without a thread",
						    (long long)gid);
			if (mid == cur.m) {
				if (gen != o->initial_gen && cur.g != gid)
					return cv_error_set(CV_EFORMAT, "inconsistent thread for syscalling goroutine %lld",
							    (long long)gid);
				nc.g = gid;
			} else {
				mstate *other = m_get(o, mid);
				if (other) {
					if (other->g != gid)
						return cv_error_set(CV_EFORMAT, "inconsistent thread for syscalling goroutine %lld",
								    (long long)gid);
					cur.g = other->g;
				} else if (!m_new(o, mid, gid, NONE)) {
					return CV_ENOMEM;
				}
				ms = m != NONE ? m_get(o, m) : NULL; /* m_new may move it */
				cur.m = mid;
			}
		}
		PUSH(cur);
		break;
	}
	case 14: case 47: { /* GoCreate, GoCreateBlocked */
		if ((rc = validate(cur, MUST, MUST, MAY)))
			return rc;
		gstate *s = g_get(o, cur.g);
		if (s && s->status != GO_RUNNING)
			return cv_error_set(CV_EFORMAT, "GoCreate event for goroutine that's not Running");
		if (g_get(o, (int64_t)a[0]))
			return cv_error_set(CV_EFORMAT, "tried to create goroutine (%lld) that already exists",
					    (long long)a[0]);
		if (g_new(o, (int64_t)a[0], ev->typ == 47 ? GO_WAITING : GO_RUNNABLE, gen))
			return CV_ENOMEM;
		PUSH(cur);
		break;
	}
	case 17: case 19: case 20: { /* GoDestroy, GoStop, GoBlock */
		if ((rc = USER_GO(cur)))
			return rc;
		gstate *s = g_get(o, cur.g);
		if (!s)
			return cv_error_set(CV_EFORMAT, "event %d for goroutine (%lld) that doesn't exist",
					    ev->typ, (long long)cur.g);
		if (s->status != GO_RUNNING)
			return cv_error_set(CV_EFORMAT, "event %d for goroutine that's not Running", ev->typ);
		if (ev->typ == 17)
			s->live = false;
		else
			s->status = ev->typ == 19 ? GO_RUNNABLE : GO_WAITING;
		nc.g = NONE;
		PUSH(cur);
		break;
	}
	case 16: { /* GoStart */
		int64_t gid = (int64_t)a[0];
		gstate *s = g_get(o, gid);
		if (!s || s->status != GO_RUNNABLE || !succeeds(gen, a[1], s->seq_gen, s->seq))
			return 0;
		if ((rc = validate(cur, MUST, MUST, MUST_NOT)))
			return rc;
		s->status = GO_RUNNING;
		s->seq_gen = gen;
		s->seq = a[1];
		nc.g = gid;
		PUSH(cur);
		break;
	}
	case 21: { /* GoUnblock */
		gstate *s = g_get(o, (int64_t)a[0]);
		if (!s || s->status != GO_WAITING || !succeeds(gen, a[1], s->seq_gen, s->seq))
			return 0;
		s->status = GO_RUNNABLE;
		s->seq_gen = gen;
		s->seq = a[1];
		PUSH(cur);
		break;
	}
	case 45: case 46: { /* GoSwitch, GoSwitchDestroy */
		if ((rc = USER_GO(cur)))
			return rc;
		gstate *s = g_get(o, cur.g);
		if (!s)
			return cv_error_set(CV_EFORMAT, "event %d for goroutine (%lld) that doesn't exist",
					    ev->typ, (long long)cur.g);
		if (s->status != GO_RUNNING)
			return cv_error_set(CV_EFORMAT, "event %d for goroutine that's not Running", ev->typ);
		int64_t next = (int64_t)a[0];
		gstate *n = g_get(o, next);
		if (!n || n->status != GO_WAITING || !succeeds(gen, a[1], n->seq_gen, n->seq))
			return 0;
		PUSH(cur);
		uint64_t none[4] = {0};
		if (ev->typ == 45) {
			s->status = GO_WAITING;
			if (push(o, 20, ev->time, cur, none))
				return CV_ENOMEM;
		} else {
			s->live = false;
			if (push(o, 17, ev->time, cur, none))
				return CV_ENOMEM;
		}
		n = g_get(o, next);
		n->status = GO_RUNNING;
		n->seq_gen = gen;
		n->seq = a[1];
		nc.g = next;
		ctx start = cur;
		start.g = NONE;
		uint64_t sa[4] = {(uint64_t)next, a[1], 0, 0};
		if (push(o, 16, ev->time, start, sa))
			return CV_ENOMEM;
		break;
	}
	case 22: { /* GoSyscallBegin */
		if ((rc = USER_GO(cur)))
			return rc;
		gstate *s = g_get(o, cur.g);
		if (!s)
			return cv_error_set(CV_EFORMAT, "event GoSyscallBegin for goroutine (%lld) that doesn't exist",
					    (long long)cur.g);
		if (s->status != GO_RUNNING)
			return cv_error_set(CV_EFORMAT, "GoSyscallBegin event for goroutine that's not Running");
		s->status = GO_SYSCALL;
		pstate *p = p_get(o, cur.p);
		if (!p)
			return cv_error_set(CV_EFORMAT, "uninitialized proc %lld found during GoSyscallBegin",
					    (long long)cur.p);
		p->status = P_SYSCALL;
		if (!succeeds(gen, a[0], p->seq_gen, p->seq))
			return cv_error_set(CV_EFORMAT, "failed to advance GoSyscallBegin: can't make sequence");
		p->seq_gen = gen;
		p->seq = a[0];
		PUSH(cur);
		break;
	}
	case 23: { /* GoSyscallEnd */
		if ((rc = USER_GO(cur)))
			return rc;
		gstate *s = g_get(o, cur.g);
		if (!s)
			return cv_error_set(CV_EFORMAT, "event GoSyscallEnd for goroutine (%lld) that doesn't exist",
					    (long long)cur.g);
		if (s->status != GO_SYSCALL)
			return cv_error_set(CV_EFORMAT, "GoSyscallEnd event for goroutine that's not Syscall");
		s->status = GO_RUNNING;
		pstate *p = p_get(o, cur.p);
		if (!p)
			return cv_error_set(CV_EFORMAT, "uninitialized proc %lld found during GoSyscallEnd",
					    (long long)cur.p);
		if (p->status != P_SYSCALL)
			return cv_error_set(CV_EFORMAT, "expected proc %lld in state Syscall",
					    (long long)cur.p);
		p->status = P_RUNNING;
		PUSH(cur);
		break;
	}
	case 24: { /* GoSyscallEndBlocked */
		if (cur.p != NONE) {
			pstate *p = p_get(o, cur.p);
			if (!p)
				return cv_error_set(CV_EFORMAT, "uninitialized proc %lld found during GoSyscallEndBlocked",
						    (long long)cur.p);
			if (p->status == P_SYSCALL)
				return 0;
		}
		if ((rc = validate(cur, MUST, MAY, MUST)))
			return rc;
		gstate *s = g_get(o, cur.g);
		if (!s)
			return cv_error_set(CV_EFORMAT, "event GoSyscallEndBlocked for goroutine (%lld) that doesn't exist",
					    (long long)cur.g);
		if (s->status != GO_SYSCALL)
			return cv_error_set(CV_EFORMAT, "GoSyscallEndBlocked event for goroutine that's not Syscall");
		nc.g = NONE;
		s->status = GO_RUNNABLE;
		PUSH(cur);
		break;
	}
	case 15: { /* GoCreateSyscall */
		if ((rc = validate(cur, MUST, MAY, MUST_NOT)))
			return rc;
		if (g_get(o, (int64_t)a[0]))
			return cv_error_set(CV_EFORMAT, "tried to create goroutine (%lld) in syscall that already exists",
					    (long long)a[0]);
		if (g_new(o, (int64_t)a[0], GO_SYSCALL, gen))
			return CV_ENOMEM;
		nc.g = (int64_t)a[0];
		PUSH(cur);
		break;
	}
	case 18: { /* GoDestroySyscall */
		if ((rc = validate(cur, MUST, MAY, MUST)))
			return rc;
		gstate *s = g_get(o, cur.g);
		if (!s)
			return cv_error_set(CV_EFORMAT, "event GoDestroySyscall for goroutine (%lld) that doesn't exist",
					    (long long)cur.g);
		if (s->status != GO_SYSCALL)
			return cv_error_set(CV_EFORMAT, "GoDestroySyscall event for goroutine that's not Syscall");
		s->live = false;
		nc.g = NONE;
		if (cur.p != NONE) {
			pstate *p = p_get(o, cur.p);
			if (!p)
				return cv_error_set(CV_EFORMAT, "found invalid proc %lld during GoDestroySyscall",
						    (long long)cur.p);
			if (p->status != P_SYSCALL)
				return cv_error_set(CV_EFORMAT, "proc %lld in unexpected state during GoDestroySyscall",
						    (long long)cur.p);
			p->status = P_SYSCALL_ABANDONED;
			nc.p = NONE;
			uint64_t sa[4] = {(uint64_t)cur.p, 0, 0, P_SYSCALL};
			if (push(o, 12, ev->time, cur, sa))
				return CV_ENOMEM;
		}
		PUSH(cur);
		break;
	}
	case 40: { /* UserTaskBegin */
		uint64_t id = a[0];
		if (task_find(o, id) >= 0)
			return cv_error_set(CV_EFORMAT, "task ID conflict: %llu", (unsigned long long)id);
		if (a[1] == 0)
			a[1] = UINT64_MAX; /* the background task is no task */
		bool sok;
		gen_string(gn, a[2], &sok);
		if (!sok)
			return cv_error_set(CV_EFORMAT, "invalid string ID %llu for UserTaskBegin event",
					    (unsigned long long)a[2]);
		uint32_t i = u64map_get(&o->tasks, id);
		if (i == U64MAP_NONE) {
			if (o->n_tasks >= UINT32_MAX - 1 ||
			    grow((void **)&o->task_live, &o->cap_tasks, o->n_tasks + 1,
				 sizeof(*o->task_live)) ||
			    u64map_put(&o->tasks, id, (uint32_t)o->n_tasks))
				return CV_ENOMEM;
			i = (uint32_t)o->n_tasks++;
		}
		o->task_live[i] = true;
		if ((rc = USER_GO(cur)))
			return rc;
		PUSH(cur);
		break;
	}
	case 41: { /* UserTaskEnd */
		int t = task_find(o, a[0]);
		if (t >= 0)
			o->task_live[t] = false;
		if ((rc = USER_GO(cur)))
			return rc;
		PUSH(cur);
		break;
	}
	case 42: case 43: { /* UserRegionBegin, UserRegionEnd */
		if ((rc = USER_GO(cur)))
			return rc;
		bool sok;
		const char *name = gen_string(gn, a[1], &sok);
		if (!sok)
			return cv_error_set(CV_EFORMAT, "invalid string ID %llu for region event",
					    (unsigned long long)a[1]);
		gstate *s = g_get(o, cur.g);
		if (!s)
			return cv_error_set(CV_EFORMAT, "encountered region event without known state for current goroutine %lld",
					    (long long)cur.g);
		if (ev->typ == 42) {
			char *copy = strdup(name);
			if (!copy || grow((void **)&s->regions, &s->cap_regions, s->n_regions + 1,
					  sizeof(*s->regions))) {
				free(copy);
				return cv_error_nomem();
			}
			s->regions[s->n_regions++] = (region_t){a[0], copy};
		} else if (s->n_regions > 0) {
			region_t *r = &s->regions[s->n_regions - 1];
			if (r->task != a[0] || strcmp(r->name, name))
				return cv_error_set(CV_EFORMAT, "misuse of region in goroutine %lld",
						    (long long)s->id);
			free(r->name);
			s->n_regions--;
		}
		PUSH(cur);
		break;
	}
	case 28: { /* GCActive */
		uint64_t seq = a[0];
		if (gen == o->initial_gen) {
			if (o->gc_state != GC_UNDETERMINED)
				return cv_error_set(CV_EFORMAT, "GCActive in the first generation isn't first GC event");
			o->gc_seq = seq;
			o->gc_state = GC_RUNNING;
			PUSH(cur);
			break;
		}
		if (seq != o->gc_seq + 1)
			return 0;
		if (o->gc_state != GC_RUNNING)
			return cv_error_set(CV_EFORMAT, "encountered GCActive while GC was not in progress");
		o->gc_seq = seq;
		if ((rc = USER_GO(cur)))
			return rc;
		PUSH(cur);
		break;
	}
	case 29: { /* GCBegin */
		uint64_t seq = a[0];
		if (o->gc_state == GC_UNDETERMINED) {
			o->gc_seq = seq;
			o->gc_state = GC_RUNNING;
			PUSH(cur);
			break;
		}
		if (seq != o->gc_seq + 1)
			return 0;
		if (o->gc_state == GC_RUNNING)
			return cv_error_set(CV_EFORMAT, "encountered GCBegin while GC was already in progress");
		o->gc_seq = seq;
		o->gc_state = GC_RUNNING;
		if ((rc = USER_GO(cur)))
			return rc;
		PUSH(cur);
		break;
	}
	case 30: { /* GCEnd */
		uint64_t seq = a[0];
		if (seq != o->gc_seq + 1)
			return 0;
		if (o->gc_state == GC_NOT_RUNNING)
			return cv_error_set(CV_EFORMAT, "encountered GCEnd when GC was not in progress");
		if (o->gc_state == GC_UNDETERMINED)
			return cv_error_set(CV_EFORMAT, "encountered GCEnd when GC was in an undetermined state");
		o->gc_seq = seq;
		o->gc_state = GC_NOT_RUNNING;
		if ((rc = USER_GO(cur)))
			return rc;
		PUSH(cur);
		break;
	}
	case 9: case 39: case 44: /* ProcsChange, GoLabel, UserLog */
		if ((rc = USER_GO(cur)))
			return rc;
		PUSH(cur);
		break;
	case 37: case 38: /* HeapAlloc, HeapGoal */
		if ((rc = validate(cur, MUST, MUST, MAY)))
			return rc;
		PUSH(cur);
		break;
	case 32: { /* GCSweepBegin */
		if ((rc = validate(cur, MUST, MUST, MAY)))
			return rc;
		pstate *p = p_get(o, cur.p);
		if (!p)
			return cv_error_set(CV_EFORMAT, "GCSweepBegin for unknown proc %lld", (long long)cur.p);
		if ((rc = begin_range(&p->ranges, &p->n_ranges, &p->cap_ranges, (range_t){32, 0})))
			return rc;
		PUSH(cur);
		break;
	}
	case 31: { /* GCSweepActive */
		pstate *p = p_get(o, (int64_t)a[0]);
		if (!p)
			return cv_error_set(CV_EFORMAT, "encountered GCSweepActive for unknown proc %lld",
					    (long long)a[0]);
		if ((rc = active_range(&p->ranges, &p->n_ranges, &p->cap_ranges, (range_t){32, 0},
				       gen == o->initial_gen)))
			return rc;
		PUSH(cur);
		break;
	}
	case 33: { /* GCSweepEnd */
		if ((rc = validate(cur, MUST, MUST, MAY)))
			return rc;
		pstate *p = p_get(o, cur.p);
		uint64_t desc;
		if (!p)
			return cv_error_set(CV_EFORMAT, "GCSweepEnd for unknown proc %lld", (long long)cur.p);
		if ((rc = end_range(p->ranges, &p->n_ranges, 33, &desc)))
			return rc;
		PUSH(cur);
		break;
	}
	case 26: case 35: { /* STWBegin, GCMarkAssistBegin */
		if ((rc = USER_GO(cur)))
			return rc;
		gstate *s = g_get(o, cur.g);
		if (!s)
			return cv_error_set(CV_EFORMAT, "encountered event of type %d without known state for current goroutine %lld",
					    ev->typ, (long long)cur.g);
		range_t t = {ev->typ, ev->typ == 26 ? a[0] : 0};
		if ((rc = begin_range(&s->ranges, &s->n_ranges, &s->cap_ranges, t)))
			return rc;
		PUSH(cur);
		break;
	}
	case 34: { /* GCMarkAssistActive */
		gstate *s = g_get(o, (int64_t)a[0]);
		if (!s)
			return cv_error_set(CV_EFORMAT, "uninitialized goroutine %lld found during GCMarkAssistActive",
					    (long long)a[0]);
		if ((rc = active_range(&s->ranges, &s->n_ranges, &s->cap_ranges, (range_t){35, 0},
				       gen == o->initial_gen)))
			return rc;
		PUSH(cur);
		break;
	}
	case 27: case 36: { /* STWEnd, GCMarkAssistEnd */
		if ((rc = USER_GO(cur)))
			return rc;
		gstate *s = g_get(o, cur.g);
		if (!s)
			return cv_error_set(CV_EFORMAT, "encountered event of type %d without known state for current goroutine %lld",
					    ev->typ, (long long)cur.g);
		uint64_t desc;
		if ((rc = end_range(s->ranges, &s->n_ranges, ev->typ, &desc)))
			return rc;
		if (ev->typ == 27)
			a[0] = desc;
		PUSH(cur);
		break;
	}
	default:
		if (ev->typ >= 128 && ev->typ <= 136) { /* the AllocFree experiment */
			if ((rc = validate(cur, MUST, MAY, MAY)))
				return rc;
			PUSH(cur);
			break;
		}
		return cv_error_set(CV_EFORMAT, "bad event type found while ordering: %d", ev->typ);
	}
	if (ms) {
		ms = m_get(o, m);
		ms->p = nc.p;
		ms->g = nc.g;
	}
	*ok = true;
	return 0;
}

void order_free(ordering *o)
{
	for (size_t i = 0; i < o->n_gs; i++) {
		for (size_t k = 0; k < o->gs[i].n_regions; k++)
			free(o->gs[i].regions[k].name);
		free(o->gs[i].regions);
		free(o->gs[i].ranges);
	}
	for (size_t i = 0; i < o->n_ps; i++)
		free(o->ps[i].ranges);
	free(o->gs);
	free(o->ps);
	free(o->ms);
	u64map_free(&o->g_index);
	u64map_free(&o->p_index);
	u64map_free(&o->m_index);
	u64map_free(&o->tasks);
	free(o->task_live);
	free(o->task_parent);
	free(o->task_name);
	free(o->queue);
	memset(o, 0, sizeof(*o));
}
