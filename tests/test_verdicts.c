/* Paired verdicts and noise warnings on fixed, constructed data: the
 * interval against an independent reference (tests/data/sign_ci_reference.py,
 * exact binomials in Python), decided / undecided / too few rounds, the
 * baseline's fallback, unequal chunks, and the bimodal, first-run and
 * outlier warnings. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness/noise.h"
#include "harness/verdicts.h"

/* From tests/data/sign_ci_reference.py: n, median, low, high, coverage. */
static const double reference[][5] = {
	{4, 1.5243341543043702, 1.5121951219512197, 1.6363636363636362, 0.875},
	{6, 1.5168570546464959, 1.4617169373549885, 1.6363636363636362, 0.96875},
	{9, 1.5121951219512197, 1.4617169373549885, 1.5341176470588234, 0.9609375},
	{12, 1.5142429243841311, 1.4838709677419353, 1.5341176470588234, 0.96142578125},
	{15, 1.5162907268170425, 1.4838709677419353, 1.5364077669902911, 0.96484375},
};
static const double base_gbps[] = {4.10, 3.95, 4.42, 2.20, 4.31, 4.05, 3.10, 4.25,
				   4.18, 3.99, 4.40, 4.02, 2.95, 4.33, 4.12};
static const double test_gbps[] = {6.20, 6.01, 6.75, 3.60, 6.30, 6.11, 4.60, 6.52,
				   6.00, 6.05, 6.90, 5.99, 4.70, 6.41, 6.33};

static void check_reference(void)
{
	for (size_t r = 0; r < sizeof reference / sizeof reference[0]; r++) {
		size_t n = (size_t)reference[r][0];
		double ratios[16];
		for (size_t i = 0; i < n; i++)
			ratios[i] = test_gbps[i] / base_gbps[i];
		struct zc_verdict v = {0};
		zc_paired_interval(ratios, n, &v);
		CHECK_EQ_U64(v.rounds, n);
		CHECK_NEAR(v.ratio, reference[r][1], 1e-12);
		CHECK_NEAR(v.ci_low, reference[r][2], 1e-12);
		CHECK_NEAR(v.ci_high, reference[r][3], 1e-12);
		CHECK_NEAR(v.ci_level, reference[r][4], 1e-12);
		/* 4 rounds cannot reach 95%: undecided however clear the data. */
		CHECK(v.decided == (n >= 6));
		CHECK(v.faster == (n >= 6));
	}
}

/* A cell with one run per round at the given GB/s (bytes 1e9). */
static void make_cell(struct zc_cell *c, const char *strategy, size_t chunk, const double *gbps, size_t n,
		      bool warmup_first)
{
	memset(c, 0, sizeof *c);
	c->p.strategy = zc_strategy_find(strategy);
	c->p.workload = zc_workload_find("file-tcp");
	c->p.size = 1000000000;
	c->p.streams = 1;
	c->p.transfers = 1;
	c->chunk = chunk;
	c->status = ZC_OK;
	c->runs = calloc(n, sizeof *c->runs);
	c->nruns = c->cap = n;
	for (size_t i = 0; i < n; i++) {
		struct zc_run *r = &c->runs[i];
		r->warmup = warmup_first && i == 0;
		r->round = (unsigned)i;
		r->measured = true;
		r->bytes = 1000000000;
		r->w.elapsed_ns = (uint64_t)(1e9 / gbps[i] + 0.5);
	}
}

static const struct zc_verdict *find(const struct zc_verdicts *vs, const struct zc_cell *cells, const char *name)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strcmp(cells[vs->v[i].cell].p.strategy->name, name) == 0)
			return &vs->v[i];
	return NULL;
}

static bool has_code(const json_t *warnings, const char *code)
{
	size_t i;
	const json_t *w;
	json_array_foreach(warnings, i, w)
	{
		if (strcmp(json_string_value(json_object_get(w, "code")), code) == 0)
			return true;
	}
	return false;
}

static void check_verdicts(void)
{
	/* Rounds drift together (x2 in round 3, x0.5 in round 7): the paired
	 * ratios do not. */
	double rw[10] = {4, 4, 4, 8, 4, 4, 4, 2, 4, 4};
	double sf[10], sp[10];
	for (int i = 0; i < 10; i++) {
		sf[i] = rw[i] * (1.5 + 0.01 * (i % 3)); /* always faster */
		sp[i] = rw[i] * (i % 2 ? 1.05 : 0.95);	/* around 1 */
	}
	struct zc_cell cells[3];
	make_cell(&cells[0], "splice", 131072, sp, 10, false);
	make_cell(&cells[1], "readwrite", 131072, rw, 10, false);
	make_cell(&cells[2], "sendfile", 131072, sf, 10, false);
	struct zc_verdicts vs;
	zc_verdicts_compute(cells, 3, NULL, &vs);
	CHECK_EQ_U64(vs.n, 3);
	CHECK_EQ_U64(vs.ngroups, 1);
	const struct zc_verdict *f = find(&vs, cells, "sendfile"), *u = find(&vs, cells, "splice"),
				*b = find(&vs, cells, "readwrite");
	CHECK(f && u && b);
	if (f && u && b) {
		CHECK(f->decided && f->faster && f->rank == 1 && f->rounds == 10);
		CHECK(f->ci_low > 1.49 && f->ci_high < 1.53);
		CHECK(!u->decided && u->ci_low < 1 && u->ci_high > 1);
		CHECK(b->cell == b->baseline && b->ratio == 1.0 && b->baseline_asked);
		CHECK(!f->unequal[0]);
		char words[160];
		zc_verdict_words(cells, f, words, sizeof words);
		CHECK(strncmp(words, "ran 1.5", 7) == 0 && strstr(words, "faster than readwrite"));
		zc_verdict_words(cells, u, words, sizeof words);
		CHECK(strstr(words, "undecided against readwrite") != NULL);
	}
	CHECK(!zc_verdicts_all_decided(&vs));
	json_t *j = zc_verdicts_json(cells, &vs);
	CHECK_EQ_U64(json_array_size(j), 3);
	json_t *first = json_array_get(j, 0);
	CHECK(strcmp(json_string_value(json_object_get(first, "strategy")), "sendfile") == 0);
	CHECK(json_is_true(json_object_get(first, "decided")) && json_is_true(json_object_get(first, "faster")));
	CHECK(strcmp(json_string_value(json_object_get(first, "ci_method")), "sign-exact") == 0);
	CHECK(json_integer_value(json_object_get(first, "chunk_bytes")) == 131072);
	json_t *base = json_array_get(j, 2);
	CHECK(json_is_false(json_object_get(base, "decided")) && json_is_null(json_object_get(base, "faster")));
	json_decref(j);
	zc_verdicts_free(&vs);

	/* Slower: the words invert the ratio and its interval. */
	zc_verdicts_compute(cells + 1, 2, "sendfile", &vs);
	const struct zc_verdict *s = find(&vs, cells + 1, "readwrite");
	CHECK(s && s->decided && !s->faster);
	if (s) {
		char words[160];
		zc_verdict_words(cells + 1, s, words, sizeof words);
		CHECK(strncmp(words, "ran 1.5", 7) == 0 && strstr(words, "slower than sendfile"));
	}
	CHECK(zc_verdicts_all_decided(&vs));
	zc_verdicts_free(&vs);

	/* Without readwrite the first strategy that sees the data leads;
	 * different chunks are named. */
	struct zc_cell two[2];
	make_cell(&two[0], "sendfile", 1048576, sf, 10, false);
	make_cell(&two[1], "pooled", 32768, rw, 10, false);
	zc_verdicts_compute(two, 2, NULL, &vs);
	const struct zc_verdict *p = find(&vs, two, "pooled"), *q = find(&vs, two, "sendfile");
	CHECK(p && q && p->cell == p->baseline && !p->baseline_asked);
	CHECK(q && strcmp(q->unequal, "chunk") == 0);
	zc_verdicts_free(&vs);

	/* A failed cell has no verdict. */
	cells[0].status = ZC_FAILED;
	zc_verdicts_compute(cells, 3, NULL, &vs);
	CHECK_EQ_U64(vs.n, 2);
	CHECK(find(&vs, cells, "splice") == NULL);
	zc_verdicts_free(&vs);
	for (int i = 0; i < 3; i++)
		free(cells[i].runs);
	for (int i = 0; i < 2; i++)
		free(two[i].runs);
}

static void check_warnings(void)
{
	/* The bimodal runs the notes measured: 7.7, 4.5, 7.2, 4.1, 3.7, 7.5. */
	double bi[] = {7.7, 4.5, 7.2, 4.1, 3.7, 7.5};
	size_t nlow;
	double lo, hi;
	CHECK(zc_bimodal(bi, 6, &nlow, &lo, &hi) && nlow == 3);
	CHECK_NEAR(lo, 4.1, 1e-9);
	CHECK_NEAR(hi, 7.5, 1e-9);
	double uni[] = {5.0, 5.1, 5.2, 5.4, 5.5, 5.6};
	CHECK(!zc_bimodal(uni, 6, &nlow, &lo, &hi));
	double one_low[] = {3.0, 5.0, 5.1, 5.2, 5.3};
	CHECK(!zc_bimodal(one_low, 5, &nlow, &lo, &hi)); /* one slow run: an outlier, not a mode */

	struct zc_cell c;
	double runs[] = {1.0, 7.7, 4.5, 7.2, 4.1, 3.7, 7.5}; /* a slow warm-up, then two modes */
	make_cell(&c, "sendfile", 131072, runs, 7, true);
	json_t *w = zc_cell_warnings(&c);
	CHECK(has_code(w, "bimodal"));
	CHECK(!has_code(w, "first_run_slow")); /* the warm-up took it */
	CHECK(!has_code(w, "outliers"));
	json_decref(w);
	free(c.runs);

	double slow_first[] = {6.0, 2.0, 6.1, 6.2, 6.0, 6.1}; /* still slow after the warm-up */
	make_cell(&c, "sendfile", 131072, slow_first, 6, true);
	w = zc_cell_warnings(&c);
	CHECK(has_code(w, "first_run_slow"));
	CHECK(!has_code(w, "bimodal"));
	json_decref(w);
	free(c.runs);

	double flat[] = {5.0, 5.01, 5.02, 5.0, 5.01, 5.02, 5.0, 9.0};
	make_cell(&c, "sendfile", 131072, flat, 8, false);
	w = zc_cell_warnings(&c);
	CHECK(has_code(w, "outliers") && !has_code(w, "bimodal") && !has_code(w, "first_run_slow"));
	json_decref(w);
	free(c.runs);

	json_t *inv = json_array();
	zc_ceiling_warning(20e9, 21e9, inv);
	CHECK_EQ_U64(json_array_size(inv), 0);
	zc_ceiling_warning(22.2e9, 17.1e9, inv);
	CHECK(has_code(inv, "calibration_drift"));
	struct zc_machine_state ms = {.ncpu = 2, .load1 = 0.1, .others_running = 1.5, .steal_share = 0.05};
	zc_machine_warnings(&ms, inv);
	CHECK(has_code(inv, "busy_machine") && has_code(inv, "steal"));
	json_decref(inv);
}

int main(void)
{
	check_reference();
	check_verdicts();
	check_warnings();
	CHECK_DONE();
}
