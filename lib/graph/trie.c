/*
 * Building the stack trie (trie.h): one pass over the samples, taken in
 * clusters of those with the same outermost frames, so that each starts
 * where it parts from the one before; then one step per frame, by
 * location index, never by name: to the node made right after the
 * current one, or its first child, or else through a hash of the other
 * children keyed by (parent, location). Sums are kept at the leaves, and
 * pushed up once when the trie is laid out in preorder.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "graph/trie.h"
#include "util/alloc.h"
#include "util/bytemap.h"
#include "util/hash.h"
#include "util/task.h"

/* A grouped split is taken when its heavier half has at most 60% of the
 * frames; below 8192 samples, a thread costs more than it saves. */
cv_trie_tuning cv_trie_tune = {8192, 60};

#define NO_LOC CV_TRIE_ROOT

/*
 * A node while the trie grows, laid out in preorder when done. What every
 * step of an insertion reads is kept apart from what only a sample's leaf
 * or the layout needs: eight nodes to a cache line instead of two, which
 * is most of the build's time on big profiles (it waits on memory). A
 * node holds its first child's location, not its own, so that a step
 * loads one node, not a node and then its child.
 */
typedef struct bnode {
	uint32_t kid0;          /* the first child made, 0 if none: the fast path */
	uint32_t kid0_loc;      /* that child's location */
} bnode;

typedef struct bleaf {
	uint32_t loc;
	uint32_t parent;
	uint32_t n_self;
	int64_t self_w;
} bleaf;

typedef struct slot {
	uint32_t parent, loc, id; /* id + 1; 0: empty */
} slot;

/* A trie of some of the samples, built on its own (see cv_stack_trie_build). */
typedef struct builder {
	bnode *nodes;
	bleaf *leaves;          /* the rest of each node */
	int64_t *self_dw;       /* -mean's divisors of the samples ending at each
				   node, once all are in; NULL without -mean */
	uint32_t n_nodes, n_roots;
	size_t cap_nodes;
	slot *slots;
	size_t mask, n_slots;
	/* The samples it takes, and where its nodes go in the laid-out trie. */
	const cv_profile *p;
	const uint32_t *root_of;
	const cv_trie_plan *plan; /* which builder takes a sample; NULL: this one */
	unsigned half;
	/* By sample, shared: the builder that takes it (NO_TAKER: none) and
	 * its cluster key, each builder working out [from, to) of them. */
	uint8_t *taker;
	uint32_t *key;
	size_t from, to;
	int si, mi;
	cv_stack_trie *t;
	uint32_t base;
	int rc;
} builder;

static size_t slot_hash(uint32_t parent, uint32_t loc)
{
	return (size_t)cv_hash_pair32(parent, loc);
}

static int grow_slots(builder *b)
{
	size_t cap = b->slots ? (b->mask + 1) * 2 : 1 << 14;
	slot *s = calloc(cap, sizeof(*s));
	if (!s)
		return cv_error_nomem();
	for (size_t i = 0; b->slots && i <= b->mask; i++) {
		if (!b->slots[i].id)
			continue;
		size_t j = slot_hash(b->slots[i].parent, b->slots[i].loc) & (cap - 1);
		while (s[j].id)
			j = (j + 1) & (cap - 1);
		s[j] = b->slots[i];
	}
	free(b->slots);
	b->slots = s;
	b->mask = cap - 1;
	return 0;
}

/* A new node, the first child of parent if it had none; -1: no memory. */
static int64_t add_node(builder *b, uint32_t parent, uint32_t loc)
{
	if (b->n_nodes == b->cap_nodes) {
		size_t cap = cv_grow_cap(b->cap_nodes, b->cap_nodes + 1, 1024);
		if (!cap || cap >= UINT32_MAX)
			return -1;
		bnode *n = cv_realloc_array(b->nodes, cap, sizeof(*n));
		if (n)
			b->nodes = n;
		bleaf *l = n ? cv_realloc_array(b->leaves, cap, sizeof(*l)) : NULL;
		if (!l)
			return -1;
		b->leaves = l;
		b->cap_nodes = cap;
	}
	uint32_t id = b->n_nodes++;
	b->nodes[id] = (bnode){0};
	b->leaves[id] = (bleaf){.loc = loc, .parent = parent};
	if (loc != NO_LOC && !b->nodes[parent].kid0)
		b->nodes[parent] = (bnode){id, loc};
	return id;
}

/*
 * The child of parent at location loc, added on first sight; -1: no memory.
 * A path is made in one go, so a node's first child is usually the next
 * node in the array: following it costs no hash probe and stays in cache,
 * and only the later children of a node go into the hash table.
 */
static int64_t child(builder *b, uint32_t parent, uint32_t loc)
{
	bnode *nodes = b->nodes;
	uint32_t k0 = nodes[parent].kid0;
	if (!k0)
		return add_node(b, parent, loc);
	if (nodes[parent].kid0_loc == loc)
		return k0;
	size_t i = slot_hash(parent, loc) & b->mask;
	for (; b->slots[i].id; i = (i + 1) & b->mask)
		if (b->slots[i].parent == parent && b->slots[i].loc == loc)
			return b->slots[i].id - 1;
	if ((b->n_slots + 1) * 2 > b->mask + 1) {
		if (grow_slots(b))
			return -1;
		i = slot_hash(parent, loc) & b->mask;
		while (b->slots[i].id)
			i = (i + 1) & b->mask;
	}
	int64_t id = add_node(b, parent, loc);
	if (id >= 0) {
		b->slots[i] = (slot){parent, loc, (uint32_t)id + 1};
		b->n_slots++;
	}
	return id;
}

/* One root per distinct label array (by content of the cv_label structs:
 * equal pointers, so equal labels; equal labels at different addresses
 * only split a tree, which is still exact). */
static int make_roots(builder *b, const cv_profile *p, uint32_t *root_of,
		      bool by_labels)
{
	cv_stack_trie *t = b->t;
	cv_bytemap *m = cv_bytemap_new();
	size_t cap = 16;
	t->root_sample = calloc(cap, sizeof(*t->root_sample));
	int rc = !m || !t->root_sample || add_node(b, 0, NO_LOC) < 0 ? cv_error_nomem() : 0;
	for (size_t i = 0; rc == 0 && i < p->n_samples; i++) {
		const cv_sample *s = &p->samples[i];
		root_of[i] = 0;
		if (!s->n_labels || !by_labels)
			continue;
		size_t len = s->n_labels * sizeof(*s->labels);
		uint32_t r = cv_bytemap_get(m, s->labels, len);
		if (r == CV_BYTEMAP_NONE) {
			r = b->n_nodes;
			if (CV_GROW(t->root_sample, cap, (size_t)r + 1, 16)) {
				rc = cv_error_nomem();
				break;
			}
			if (add_node(b, r, NO_LOC) < 0 || cv_bytemap_put(m, s->labels, len, r)) {
				rc = cv_error_nomem();
				break;
			}
			t->root_sample[r] = s;
		}
		root_of[i] = r;
	}
	cv_bytemap_free(m);
	b->n_roots = b->n_nodes;
	return rc;
}

/*
 * A sample's path from path[depth] (its node `depth` frames below the
 * root), frames leaf first, each node on the way recorded in path. A
 * path is made in one go, so a node's first child is most often the node
 * made right after it: that step is taken as cur + 1, an address known
 * before the node's load completes, so the processor runs ahead along the
 * path instead of waiting for each node in turn. Any other step is
 * child()'s.
 */
static int64_t descend(builder *b, uint32_t *path, size_t depth, const uint32_t *locs,
		       size_t n)
{
	uint32_t cur = path[depth];
	for (size_t k = n - depth; k > 0;) {
		const bnode *nd = &b->nodes[cur];
		if (nd->kid0 == cur + 1 && nd->kid0_loc == locs[k - 1]) {
			cur++;
		} else {
			int64_t next = child(b, cur, locs[k - 1]);
			if (next < 0)
				return -1;
			cur = (uint32_t)next;
		}
		path[n - --k] = cur;
	}
	return cur;
}

#define NO_TAKER 2

/* Who takes samples [from, to), and their keys: the plan's lookups and the
 * keys' hashing, done once for both builders, each on a share. */
static void mark_samples(void *arg)
{
	builder *b = arg;
	const cv_profile *p = b->p;
	/* Locals: a byte store may alias anything, b's fields included. */
	uint8_t *taker = b->taker;
	uint32_t *key = b->key;
	const uint32_t *root_of = b->root_of;
	const cv_trie_plan *plan = b->plan;
	int si = b->si, mi = b->mi;
	for (size_t i = b->from, to = b->to; i < to; i++) {
		const cv_sample *s = &p->samples[i];
		if (!cv_trie_takes(s, si, mi)) {
			taker[i] = NO_TAKER;
			continue;
		}
		taker[i] = plan ? (uint8_t)cv_trie_plan_half(plan, p, i) : 0;
		key[i] = cv_trie_cluster_key(s, root_of[i]);
	}
	b->rc = 0;
}

/*
 * Where each sample ends is logged and the leaves are added up after all
 * samples are in: a leaf is mostly out of cache, and there the misses of
 * many samples overlap instead of stalling each descent in turn.
 */
static int insert_samples(builder *b)
{
	const cv_profile *p = b->p;
	int si = b->si, mi = b->mi;
	uint32_t *order = NULL, *path = NULL;
	size_t m = 0, deepest = 0;
	uint32_t *ends = malloc((p->n_samples + 1) * sizeof(*ends));
	int rc = ends && !cv_trie_order(&order, &m, &deepest, p, b->taker, b->key, b->half)
			 ? 0 : cv_error_nomem();
	if (rc == 0 && !(path = malloc((deepest + 1) * sizeof(*path))))
		rc = cv_error_nomem();
	for (size_t i = 0; rc == 0 && i < p->n_samples; i++)
		ends[i] = UINT32_MAX;
	const cv_sample *prev = NULL;
	for (size_t j = 0; rc == 0 && j < m; j++) {
		cv_trie_prefetch(p, order, j, m);
		const cv_sample *s = &p->samples[order[j]];
		uint32_t root = b->root_of[order[j]];
		size_t shared = prev && b->root_of[prev - p->samples] == root ?
				cv_trie_shared_frames(prev, s) : 0;
		path[0] = root;
		int64_t cur = descend(b, path, shared, s->locs, s->n_locs);
		if (cur < 0)
			rc = cv_error_nomem();
		else
			ends[order[j]] = (uint32_t)cur;
		prev = s;
	}
	if (rc == 0 && mi >= 0 && !(b->self_dw = calloc(b->n_nodes + 1, sizeof(*b->self_dw))))
		rc = cv_error_nomem();
	for (size_t i = 0; rc == 0 && i < p->n_samples; i++) {
		if (ends[i] == UINT32_MAX)
			continue;
		const cv_sample *s = &p->samples[i];
		bleaf *n = &b->leaves[ends[i]];
		n->n_self++;
		n->self_w += s->values[si];
		if (mi >= 0)
			b->self_dw[ends[i]] += s->values[mi];
	}
	free(order);
	free(path);
	free(ends);
	return rc;
}

/*
 * Lay the trie out in preorder, children in the order they were made, as
 * the walk wants it, without a depth-first walk (which would chase links
 * all over memory): parents are made before their children and siblings
 * in their order, so once subtree sizes are known (one pass backwards,
 * which adds up the subtree sums too), one pass in order of making gives
 * each node its place: right after its parent's earlier children's
 * subtrees. The builder's nodes go to [base, base + n_nodes) of t->nodes.
 */
typedef struct subtree {
	uint32_t size;          /* nodes; once the node is placed, its next child's place */
	uint32_t n;             /* samples */
	int64_t w;
} subtree;

static int lay_out(builder *b)
{
	cv_stack_trie *t = b->t;
	uint32_t n = b->n_nodes, roots = b->n_roots;
	subtree *st = malloc(((size_t)n + 1) * sizeof(*st));
	/* -mean's divisor sums, apart: without it they would all be zero. */
	int64_t *dw = b->self_dw ? malloc(((size_t)n + 1) * sizeof(*dw)) : NULL;
	if (!st || (b->self_dw && !dw)) {
		free(st);
		return cv_error_nomem();
	}
	for (uint32_t i = 0; i < n; i++)
		st[i] = (subtree){1, b->leaves[i].n_self, b->leaves[i].self_w};
	if (dw)
		memcpy(dw, b->self_dw, (size_t)n * sizeof(*dw));
	for (uint32_t i = n; i-- > roots;) {
		uint32_t parent = b->leaves[i].parent;
		subtree *up = &st[parent];
		up->size += st[i].size;
		up->n += st[i].n;
		up->w += st[i].w;
		if (dw)
			dw[parent] += dw[i];
	}
	uint32_t next = b->base;
	for (uint32_t i = 0; i < n; i++) {
		const bleaf *l = &b->leaves[i];
		uint32_t at = i < roots ? next : st[l->parent].size;
		if (i < roots)
			next += st[i].size;
		else
			st[l->parent].size += st[i].size;
		t->nodes[at] = (cv_trie_node){l->loc, at + st[i].size, l->n_self, st[i].n, st[i].w,
					      l->self_w};
		if (t->div && dw)
			t->div[at] = (cv_trie_div){dw[i], b->self_dw[i]};
		st[i].size = at + 1;
	}
	free(st);
	free(dw);
	return 0;
}

/* A half's build on the second thread: its samples in, then its layout. */
static void insert_half(void *arg)
{
	builder *b = arg;
	b->rc = insert_samples(b);
}

static void lay_out_half(void *arg)
{
	builder *b = arg;
	b->rc = lay_out(b);
}

static void builder_free(builder *b)
{
	free(b->slots);
	free(b->nodes);
	free(b->leaves);
	free(b->self_dw);
}

/* The second half starts with the first's roots, for the same label sets. */
static int copy_roots(builder *to, const builder *from)
{
	for (uint32_t r = 0; r < from->n_roots; r++)
		if (add_node(to, r, NO_LOC) < 0)
			return cv_error_nomem();
	to->n_roots = from->n_roots;
	return 0;
}

/* Room for both halves' nodes, the second half's roots after the first's. */
static int make_room(cv_stack_trie *t, builder *h, int halves, bool with_div)
{
	size_t n = 0;
	for (int k = 0; k < halves; k++) {
		h[k].base = (uint32_t)n;
		n += h[k].n_nodes;
	}
	if (n >= UINT32_MAX)
		return cv_error_nomem();
	t->n_nodes = (uint32_t)n;
	t->n_roots = h[0].n_roots * (uint32_t)halves;
	t->second = halves == 2 ? h[1].base : t->n_nodes;
	t->second_root = halves == 2 ? h[0].n_roots : t->n_roots;
	t->nodes = malloc((n + 1) * sizeof(*t->nodes));
	t->div = with_div ? malloc((n + 1) * sizeof(*t->div)) : NULL;
	if (!t->nodes || (with_div && !t->div))
		return cv_error_nomem();
	if (halves == 2) {
		const cv_sample **rs = cv_realloc_array(t->root_sample, (size_t)t->n_roots + 1,
							sizeof(*rs));
		if (!rs)
			return cv_error_nomem();
		memcpy(rs + h[0].n_roots, rs, h[0].n_roots * sizeof(*rs));
		t->root_sample = rs;
	}
	return 0;
}

/* Run fn on both halves at once, the second on another thread. */
static int both(void (*fn)(void *), builder *h, int halves)
{
	cv_task_run_pair(fn, &h[0], halves == 2 ? &h[1] : NULL);
	if (h[0].rc)
		return h[0].rc;
	/* The second half's message was set on its own thread: say it here. */
	if (halves == 2 && h[1].rc)
		return cv_error_set(h[1].rc, "out of memory");
	return 0;
}

/*
 * Big profiles are built as two tries of disjoint samples, on two threads,
 * laid out one after the other, the second with its own copy of the roots.
 * The walk adds up every tree it meets, so the two give the graph of all
 * the samples; only the frames both halves share are walked twice.
 */
int cv_stack_trie_build(cv_stack_trie **out, const cv_profile *p, int sample_index,
			int mean_index, bool by_labels)
{
	*out = NULL;
	cv_stack_trie *t = calloc(1, sizeof(*t));
	uint32_t *root_of = malloc((p->n_samples + 1) * sizeof(*root_of));
	cv_trie_plan plan = {0};
	int halves = p->n_samples >= cv_trie_tune.split_min_samples ? 2 : 1;
	builder h[2];
	for (int k = 0; k < 2; k++)
		h[k] = (builder){.p = p, .root_of = root_of, .half = (unsigned)k,
				 .si = sample_index, .mi = mean_index, .t = t,
				 .plan = halves == 2 ? &plan : NULL};
	int rc = 0;
	if (!t || !root_of || grow_slots(&h[0]) ||
	    (halves == 2 && (grow_slots(&h[1]) ||
			     cv_trie_plan_make(&plan, p, sample_index, mean_index))))
		rc = cv_error_nomem();
	if (rc == 0)
		rc = make_roots(&h[0], p, root_of, by_labels);
	if (rc == 0 && halves == 2)
		rc = copy_roots(&h[1], &h[0]);
	uint8_t *taker = malloc(p->n_samples + 1);
	uint32_t *key = malloc((p->n_samples + 1) * sizeof(*key));
	if (rc == 0 && (!taker || !key))
		rc = cv_error_nomem();
	for (int k = 0; k < halves; k++) {
		h[k].taker = taker;
		h[k].key = key;
		h[k].from = p->n_samples / (size_t)halves * (size_t)k;
		h[k].to = k == halves - 1 ? p->n_samples : p->n_samples / (size_t)halves * (size_t)(k + 1);
	}
	if (rc == 0)
		rc = both(mark_samples, h, halves);
	if (rc == 0)
		rc = both(insert_half, h, halves);
	free(taker);
	free(key);
	/* The layout needs only the leaves: what steered the insertions goes
	 * before it, for the layout to reuse (it is the peak of a big run). */
	for (int k = 0; k < 2; k++) {
		free(h[k].slots);
		free(h[k].nodes);
		h[k].slots = NULL;
		h[k].nodes = NULL;
	}
	free(root_of);
	cv_trie_plan_free(&plan);
	if (rc == 0)
		rc = make_room(t, h, halves, mean_index >= 0);
	if (rc == 0)
		rc = both(lay_out_half, h, halves);
	for (int k = 0; k < 2; k++)
		builder_free(&h[k]);
	if (rc) {
		cv_stack_trie_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void cv_stack_trie_free(cv_stack_trie *t)
{
	if (!t)
		return;
	free(t->nodes);
	free(t->div);
	free(t->root_sample);
	free(t);
}
