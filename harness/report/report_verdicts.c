/* The verdicts of the result files (the top-level "verdicts" array that
 * `zcbench run` and `all` write; results/SCHEMA.md): read as they are, tied to
 * their cells, and the price of control derived from them. A file without the
 * array gets no verdict here and none is made up from its medians. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_verdicts.h"

static size_t find_workload(const struct zc_report *r, const char *name)
{
	for (size_t w = 0; w < r->nworkloads; w++)
		if (strcmp(r->workloads[w], name) == 0)
			return w;
	return (size_t)-1;
}

/* The cell a verdict is about: same file, workload and strategy, and the
 * same params (or, where the verdict has none, the same chunk and size). */
static long find_cell(const struct zc_report *r, const struct zc_rverdict *v)
{
	long only = -1;
	size_t same_strategy = 0;
	for (size_t i = 0; i < r->ncells; i++) {
		const struct zc_rcell *c = &r->cells[i];
		if (c->file != v->file || c->workload != v->workload || strcmp(c->strategy, v->strategy) != 0)
			continue;
		same_strategy++;
		only = (long)i;
		const json_t *params = json_object_get(c->j, "params");
		if (v->params && json_is_object(params) && json_equal((json_t *)v->params, (json_t *)params))
			return (long)i;
		if (!v->params && v->chunk.ok && c->chunk.ok && v->chunk.v == c->chunk.v &&
		    (!v->size.ok || (c->size.ok && v->size.v == c->size.v)))
			return (long)i;
	}
	return same_strategy == 1 ? only : -1;
}

static int tri(const json_t *b)
{
	return json_is_boolean(b) ? json_is_true(b) : -1;
}

int zc_verdicts_load(struct zc_report *r)
{
	size_t total = 0;
	for (size_t f = 0; f < r->nfiles; f++)
		total += json_array_size(json_object_get(r->files[f].doc, "verdicts"));
	r->verdicts = calloc(total ? total : 1, sizeof *r->verdicts);
	if (!r->verdicts)
		return -1;
	for (size_t f = 0; f < r->nfiles; f++) {
		const json_t *arr = json_object_get(r->files[f].doc, "verdicts");
		for (size_t i = 0; i < json_array_size(arr); i++) {
			const json_t *j = json_array_get(arr, i);
			const char *wl = zc_jstr(j, "workload_label"), *st = zc_jstr(j, "strategy");
			if (!wl)
				wl = zc_jstr(j, "workload");
			struct zc_val ratio = zc_jnum(j, "ratio");
			const char *metric = zc_jstr(j, "metric");
			/* An entry the report cannot place or read is left out, never
			 * guessed; the answer ranks by throughput. */
			if (!wl || !st || !ratio.ok || ratio.v <= 0 || (metric && strcmp(metric, "throughput") != 0))
				continue;
			size_t w = find_workload(r, wl);
			if (w == (size_t)-1)
				continue;
			struct zc_rverdict *v = &r->verdicts[r->nverdicts];
			memset(v, 0, sizeof *v);
			v->file = f;
			v->workload = w;
			v->strategy = st;
			v->baseline = zc_jstr(j, "baseline");
			v->method = zc_jstr(j, "ci_method");
			const json_t *params = json_object_get(j, "params");
			v->params = json_is_object(params) ? params : NULL;
			v->sees = tri(json_object_get(j, "sees_data"));
			v->ratio = ratio;
			v->lo = zc_jnum(j, "ci_low");
			v->hi = zc_jnum(j, "ci_high");
			if (!(v->lo.ok && v->hi.ok && v->lo.v > 0 && v->lo.v <= v->ratio.v && v->ratio.v <= v->hi.v))
				v->lo.ok = v->hi.ok =
					false; /* an interval that does not hold its median is not shown */
			v->level = zc_jnum(j, "ci_level");
			v->chunk = zc_jnum(j, "chunk_bytes");
			v->size = zc_jnum(j, "size_bytes");
			v->rounds = zc_jnum(j, "rounds");
			v->rank = zc_jnum(j, "rank");
			v->decided = tri(json_object_get(j, "decided"));
			v->faster = tri(json_object_get(j, "faster"));
			v->cell = find_cell(r, v);
			if (v->cell >= 0) {
				r->cells[v->cell].verdict = (long)r->nverdicts;
				if (v->sees < 0)
					v->sees = r->cells[v->cell].sees_data;
			}
			r->nverdicts++;
		}
	}
	return 0;
}

bool zc_verdicts_in_workload(const struct zc_report *r, size_t w)
{
	for (size_t i = 0; i < r->nverdicts; i++)
		if (r->verdicts[i].workload == w)
			return true;
	return false;
}

static int cmp_rank(const void *a, const void *b, void *ctx)
{
	const struct zc_report *r = ctx;
	const struct zc_rverdict *x = &r->verdicts[*(const size_t *)a], *y = &r->verdicts[*(const size_t *)b];
	double kx = x->rank.ok ? x->rank.v : 1e9, ky = y->rank.ok ? y->rank.v : 1e9;
	if (kx != ky)
		return kx < ky ? -1 : 1;
	return x->ratio.v > y->ratio.v ? -1 : x->ratio.v < y->ratio.v;
}

size_t zc_verdicts_of(const struct zc_report *r, size_t f, size_t w, size_t *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nverdicts && n < max; i++)
		if (r->verdicts[i].file == f && r->verdicts[i].workload == w)
			out[n++] = i;
	qsort_r(out, n, sizeof *out, cmp_rank, (void *)r);
	return n;
}

/* The best of one kind (sees or blind) by ratio: -1 when none. */
static long best_of(const struct zc_report *r, size_t f, size_t w, int sees)
{
	long best = -1;
	for (size_t i = 0; i < r->nverdicts; i++) {
		const struct zc_rverdict *v = &r->verdicts[i];
		if (v->file != f || v->workload != w || v->sees != sees)
			continue;
		if (best < 0 || v->ratio.v > r->verdicts[best].ratio.v)
			best = (long)i;
	}
	return best;
}

/* A verdict's interval and its coverage; the baseline against itself is
 * exactly 1. */
static bool interval(const struct zc_rverdict *v, double *lo, double *hi, double *level)
{
	bool self = v->baseline && strcmp(v->baseline, v->strategy) == 0;
	if (self) {
		*lo = *hi = 1;
		*level = 1;
		return true;
	}
	if (!v->lo.ok || !v->hi.ok || !v->level.ok)
		return false;
	*lo = v->lo.v;
	*hi = v->hi.v;
	*level = v->level.v;
	return true;
}

void zc_price_of_control(const struct zc_report *r, size_t f, size_t w, struct zc_price *p)
{
	memset(p, 0, sizeof *p);
	p->seeing = best_of(r, f, w, 1);
	p->blind = best_of(r, f, w, 0);
	if (p->seeing < 0 || p->blind < 0) {
		snprintf(p->why, sizeof p->why, "no price of control: the verdicts hold no %s strategy",
			 p->seeing < 0 && p->blind < 0 ? "seeing or blind"
			 : p->seeing < 0	       ? "seeing"
						       : "blind");
		return;
	}
	const struct zc_rverdict *s = &r->verdicts[p->seeing], *b = &r->verdicts[p->blind];
	p->ok = true;
	p->ratio = s->ratio.v / b->ratio.v;
	double sl, sh, sv, bl, bh, bv;
	/* Both against the same baseline: if each interval holds its true ratio,
	 * the quotient lies in [sl/bh, sh/bl]; both hold together with
	 * probability at least sv + bv - 1 (Bonferroni), whatever their
	 * dependence. */
	if (interval(s, &sl, &sh, &sv) && interval(b, &bl, &bh, &bv) && bl > 0 && sv + bv - 1 > 0) {
		p->has_interval = true;
		p->lo = sl / bh;
		p->hi = sh / bl;
		p->level = sv + bv - 1;
	}
}

/* The sort key of a strategy's group: its verdict's rank in the first file
 * that has one; without any verdict 1000 plus its place by median
 * throughput (of the first file that has it), so verdicts come first. */
double zc_strategy_sort_key(const struct zc_report *r, size_t w, const char *label)
{
	for (size_t f = 0; f < r->nfiles; f++)
		for (size_t i = 0; i < r->ncells; i++) {
			const struct zc_rcell *c = &r->cells[i];
			if (c->file != f || c->workload != w || !c->ok || strcmp(c->label, label) != 0)
				continue;
			if (c->verdict >= 0 && r->verdicts[c->verdict].rank.ok)
				return r->verdicts[c->verdict].rank.v;
		}
	for (size_t f = 0; f < r->nfiles; f++)
		for (size_t i = 0; i < r->ncells; i++) {
			const struct zc_rcell *c = &r->cells[i];
			if (c->file != f || c->workload != w || !c->ok || strcmp(c->label, label) != 0)
				continue;
			/* Faster first: a key that falls as throughput rises. */
			return 1000 + 1 / (1 + c->tput.v / 1e9);
		}
	return 2000;
}

struct order_ctx {
	const struct zc_report *r;
	const double *key;
};

static int cmp_cells(const void *a, const void *b, void *ctx)
{
	const struct order_ctx *o = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	if (o->key[x] != o->key[y])
		return o->key[x] < o->key[y] ? -1 : 1;
	const struct zc_rcell *cx = &o->r->cells[x], *cy = &o->r->cells[y];
	if (cx->file != cy->file)
		return cx->file < cy->file ? -1 : 1;
	return x < y ? -1 : x > y;
}

size_t zc_cells_in_order(const struct zc_report *r, size_t w, size_t *out)
{
	double *key = calloc(r->ncells ? r->ncells : 1, sizeof *key);
	size_t n = 0;
	for (size_t i = 0; i < r->ncells; i++) {
		if (r->cells[i].workload != w)
			continue;
		out[n++] = i;
		if (key)
			key[i] = r->cells[i].ok ? zc_strategy_sort_key(r, w, r->cells[i].label) : 3000;
	}
	if (key) {
		struct order_ctx o = {r, key};
		qsort_r(out, n, sizeof *out, cmp_cells, &o);
		free(key);
	}
	return n;
}
