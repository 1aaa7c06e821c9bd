/* zcbench compare: loading result files and building the comparison. */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "mannwhitney.h"
#include "../stats.h"

/* ---- loading ---- */

static bool qemu_cpu_model(const char *model)
{
	return model && (strstr(model, "QEMU Virtual CPU") || strstr(model, "QEMU TCG CPU"));
}

int zc_cmp_load(const char *path, struct zc_cmp_file *f, char *err, size_t err_len)
{
	memset(f, 0, sizeof *f);
	f->path = path;
	FILE *in = fopen(path, "re");
	if (!in) {
		snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	json_error_t je;
	json_t *doc = json_loadf(in, 0, &je);
	int read_err = ferror(in) ? errno : 0;
	fclose(in);
	if (!doc) {
		if (read_err)
			snprintf(err, err_len, "cannot read %s: %s", path, strerror(read_err));
		else
			snprintf(err, err_len, "%s: not valid JSON: %s (line %d, column %d)", path, je.text, je.line,
				 je.column);
		return -1;
	}
	const char *schema = json_string_value(json_object_get(doc, "schema"));
	if (!json_is_object(doc) || !schema || strncmp(schema, "zcbench/", 8) != 0) {
		snprintf(err, err_len, "%s: not a zcbench result file (schema %s%s%s; expected \"zcbench/N\")", path,
			 schema ? "\"" : "", schema ? schema : "missing", schema ? "\"" : "");
		json_decref(doc);
		return -1;
	}
	const json_t *results = json_object_get(doc, "results");
	if (!json_is_array(results)) {
		snprintf(err, err_len, "%s: malformed result file: no \"results\" array", path);
		json_decref(doc);
		return -1;
	}
	for (size_t i = 0; i < json_array_size(results); i++) {
		const json_t *c = json_array_get(results, i);
		const json_t *params = json_object_get(c, "params");
		if (!json_is_string(json_object_get(c, "strategy")) ||
		    !json_is_string(json_object_get(c, "workload")) ||
		    (params && !json_is_object(params) && !json_is_null(params))) {
			snprintf(err, err_len,
				 "%s: malformed result file: results[%zu] needs a \"strategy\" and a \"workload\" "
				 "string and a \"params\" object",
				 path, i);
			json_decref(doc);
			return -1;
		}
		const json_t *runs = json_object_get(c, "runs");
		if (runs && !json_is_array(runs)) {
			snprintf(err, err_len, "%s: malformed result file: results[%zu].runs is not an array", path, i);
			json_decref(doc);
			return -1;
		}
	}
	f->doc = doc;
	f->schema = schema;
	const json_t *host = json_object_get(doc, "host");
	const char *rel = json_string_value(json_object_get(host, "kernel_release"));
	snprintf(f->label, sizeof f->label, "%s", rel && *rel ? rel : "unknown kernel");
	const json_t *emu = json_object_get(host, "emulated");
	const char *model = json_string_value(json_object_get(host, "cpu_model"));
	if (json_is_true(emu)) {
		f->emulated = true;
		snprintf(f->emulated_why, sizeof f->emulated_why, "host.emulated");
	} else if (!emu && qemu_cpu_model(model)) {
		f->emulated = true;
		snprintf(f->emulated_why, sizeof f->emulated_why, "host.cpu_model \"%.60s\"", model);
	}
	return 0;
}

/* ---- cells ---- */

struct entry {
	const json_t *cell[ZC_COMPARE_MAX_FILES];
	const char *strategy, *workload;
	const json_t *params;
	char label[256];
};

struct table {
	struct entry *e;
	size_t n, cap;
};

static bool same_key(const struct entry *e, const json_t *c)
{
	const json_t *p = json_object_get(c, "params");
	bool pn = !p || json_is_null(p), en = !e->params || json_is_null(e->params);
	return strcmp(e->strategy, json_string_value(json_object_get(c, "strategy"))) == 0 &&
	       strcmp(e->workload, json_string_value(json_object_get(c, "workload"))) == 0 &&
	       (pn || en ? pn == en : json_equal(e->params, p));
}

static struct entry *table_add(struct table *t, const json_t *c)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 32;
		struct entry *e = realloc(t->e, cap * sizeof *e);
		if (!e)
			abort(); /* a few hundred cells: no memory here means no machine */
		t->e = e;
		t->cap = cap;
	}
	struct entry *e = &t->e[t->n++];
	memset(e, 0, sizeof *e);
	e->strategy = json_string_value(json_object_get(c, "strategy"));
	e->workload = json_string_value(json_object_get(c, "workload"));
	e->params = json_object_get(c, "params");
	return e;
}

/* A parameter's value for a label: strings bare, the rest as JSON. */
static void param_text(const json_t *v, char *buf, size_t len)
{
	if (json_is_string(v)) {
		snprintf(buf, len, "%s", json_string_value(v));
		return;
	}
	char *s = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	snprintf(buf, len, "%s", s ? s : "null");
	free(s);
}

/* "strategy/workload", plus the params that tell it from other cells of the
 * same strategy and workload. */
static void make_labels(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct entry *e = &t->e[i];
		snprintf(e->label, sizeof e->label, "%s/%s", e->strategy, e->workload);
		if (!json_is_object(e->params))
			continue;
		const char *key;
		const json_t *val;
		json_object_foreach((json_t *)e->params, key, val)
		{
			bool differs = false;
			for (size_t j = 0; j < t->n && !differs; j++) {
				const struct entry *o = &t->e[j];
				if (j == i || strcmp(o->strategy, e->strategy) || strcmp(o->workload, e->workload))
					continue;
				const json_t *ov = json_object_get(o->params, key);
				differs = !(ov ? json_equal(ov, val) : json_is_null(val));
			}
			if (!differs)
				continue;
			char v[64];
			param_text(val, v, sizeof v);
			size_t l = strlen(e->label);
			snprintf(e->label + l, sizeof e->label - l, " %s=%s", key, v);
		}
	}
}

/* ---- the comparison ---- */

static const char *role(size_t f, size_t nfiles)
{
	return f == 0 ? "base" : nfiles == 2 ? "new" : NULL;
}

/* "base (6.1.0-56-amd64)", or the label alone for a matrix column. */
static void who(const struct zc_cmp_file *files, size_t f, size_t nfiles, char *buf, size_t len)
{
	const char *r = role(f, nfiles);
	if (r)
		snprintf(buf, len, "%s (%s)", r, files[f].label);
	else
		snprintf(buf, len, "%s", files[f].label);
}

static json_t *metric_json(const struct zc_metric *m)
{
	return json_pack("{s:s,s:s,s:s}", "name", m->name, "kind", m->kind == ZC_METRIC_TIMING ? "timing" : "count",
			 "better", m->higher_is_better ? "higher" : "lower");
}

static const char *status_of(const json_t *cell)
{
	const char *s = json_string_value(json_object_get(cell, "status"));
	return s ? s : "ok"; /* a file without the key: taken as measured */
}

/* Whether a file has probe counters in any measured run. */
static bool has_counters(const json_t *doc)
{
	const json_t *results = json_object_get(doc, "results");
	for (size_t i = 0; i < json_array_size(results); i++) {
		const json_t *runs = json_object_get(json_array_get(results, i), "runs");
		for (size_t j = 0; j < json_array_size(runs); j++) {
			const json_t *c = json_object_get(json_array_get(runs, j), "counters");
			if (json_is_number(json_object_get(c, "syscalls_total")))
				return true;
		}
	}
	return false;
}

static void add_note(json_t *notes, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_note(json_t *notes, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	json_array_append_new(notes, json_string(buf));
}

struct side {
	long n; /* -1: unavailable */
	double median;
	bool zero_var;
};

static void side_of(const double *v, long n, struct side *s)
{
	s->n = n;
	s->median = n > 0 ? zc_median(v, (size_t)n) : 0;
	s->zero_var = true;
	for (long i = 1; i < n; i++)
		if (v[i] != v[0])
			s->zero_var = false;
}

/* The judgement of one metric of one cell: base samples b, new samples x. */
static json_t *judge(const struct zc_metric *m, const double *b, const struct side *sb, const double *x,
		     const struct side *sx, const struct zc_cmp_opts *o)
{
	json_t *j = json_object();
	if (sb->n < 0 || sx->n < 0) {
		json_object_set_new(j, "verdict", json_string("not_comparable"));
		json_object_set_new(j, "reason",
				    json_string(sb->n < 0 && sx->n < 0 ? "unavailable in both"
						: sb->n < 0	       ? "unavailable in base"
								       : "unavailable in new"));
		return j;
	}
	if (sb->n < ZC_COMPARE_MIN_RUNS || sx->n < ZC_COMPARE_MIN_RUNS) {
		char why[128];
		snprintf(why, sizeof why, "too few runs: base %ld, new %ld, need %d on each side", sb->n, sx->n,
			 ZC_COMPARE_MIN_RUNS);
		json_object_set_new(j, "verdict", json_string("not_comparable"));
		json_object_set_new(j, "reason", json_string(why));
		return j;
	}
	double change;
	if (sb->median == 0)
		change = sx->median == 0 ? 0 : INFINITY;
	else
		change = (sx->median - sb->median) / sb->median;
	struct zc_mw mw;
	if (zc_mann_whitney(b, (size_t)sb->n, x, (size_t)sx->n, &mw) != 0) {
		json_object_set_new(j, "verdict", json_string("not_comparable"));
		json_object_set_new(j, "reason", json_string("no test possible (out of memory or not a number)"));
		return j;
	}
	bool deterministic = m->kind == ZC_METRIC_COUNT && sb->zero_var && sx->zero_var;
	bool significant = mw.p <= o->alpha || (deterministic && sb->median != sx->median);
	bool beyond = isinf(change) || fabs(change) > o->threshold;
	bool worse = m->higher_is_better ? change < 0 : change > 0;
	const char *verdict = !beyond	     ? "unchanged"
			      : !significant ? "not_significant"
			      : worse	     ? "regression"
					     : "improvement";
	json_object_set_new(j, "verdict", json_string(verdict));
	json_object_set_new(j, "change", isinf(change) ? json_null() : json_real(change));
	if (isinf(change))
		json_object_set_new(j, "from_zero", json_true());
	json_object_set_new(j, "p", json_real(mw.p));
	json_object_set_new(j, "test", json_string(zc_mw_method_name(mw.method)));
	json_object_set_new(j, "u", json_real(mw.u1));
	json_object_set_new(j, "deterministic", json_boolean(deterministic));
	return j;
}

json_t *zc_compare(const struct zc_cmp_file *files, size_t nfiles, const struct zc_cmp_opts *o)
{
	json_t *out = json_object();
	json_t *notes = json_array(), *warnings = json_array();
	json_object_set_new(out, "schema", json_string(ZC_COMPARE_SCHEMA));

	/* Files. */
	json_t *jfiles = json_array();
	for (size_t f = 0; f < nfiles; f++) {
		json_t *jf = json_pack("{s:s,s:s,s:s,s:b}", "path", files[f].path, "label", files[f].label, "schema",
				       files[f].schema, "emulated", files[f].emulated);
		const char *rel =
			json_string_value(json_object_get(json_object_get(files[f].doc, "host"), "kernel_release"));
		json_object_set_new(jf, "kernel_release", rel ? json_string(rel) : json_null());
		json_object_set_new(
			jf, "cells",
			json_integer((json_int_t)json_array_size(json_object_get(files[f].doc, "results"))));
		json_array_append_new(jfiles, jf);
	}
	json_object_set_new(out, "files", jfiles);
	json_object_set_new(out, "threshold", json_real(o->threshold));
	json_object_set_new(out, "alpha", json_real(o->alpha));

	/* Schema versions. */
	for (size_t f = 1; f < nfiles; f++)
		if (strcmp(files[f].schema, files[0].schema) != 0) {
			char w[200];
			who(files, f, nfiles, w, sizeof w);
			add_note(notes,
				 "schema versions differ: base %s, %s %s; compared by the keys both have, a figure "
				 "either lacks is reported unavailable",
				 files[0].schema, w, files[f].schema);
		}

	/* Emulation decides which metrics are compared. */
	bool any_emulated = false;
	for (size_t f = 0; f < nfiles; f++)
		any_emulated |= files[f].emulated;
	struct zc_metric metrics[64];
	size_t nmetrics = 0;
	json_t *left_out = json_array();
	char left_names[512] = "";
	for (size_t i = 0; i < o->nmetrics; i++) {
		if (any_emulated && !o->timing && o->metrics[i].kind == ZC_METRIC_TIMING) {
			json_array_append_new(left_out, json_string(o->metrics[i].name));
			size_t l = strlen(left_names);
			snprintf(left_names + l, sizeof left_names - l, "%s%s", l ? ", " : "", o->metrics[i].name);
			continue;
		}
		metrics[nmetrics++] = o->metrics[i];
	}
	for (size_t f = 0; f < nfiles; f++) {
		if (!files[f].emulated)
			continue;
		char w[200];
		who(files, f, nfiles, w, sizeof w);
		if (json_array_size(left_out))
			add_note(notes,
				 "%s ran under emulation (%s): timing metrics left out (%s); counts are compared; "
				 "--timing compares timings anyway",
				 w, files[f].emulated_why, left_names);
		else if (o->timing)
			add_note(notes, "%s ran under emulation (%s): timing metrics compared anyway (--timing)", w,
				 files[f].emulated_why);
		else
			add_note(notes, "%s ran under emulation (%s)", w, files[f].emulated_why);
	}
	json_object_set_new(out, "timing_left_out", left_out);
	json_t *jmetrics = json_array();
	for (size_t i = 0; i < nmetrics; i++)
		json_array_append_new(jmetrics, metric_json(&metrics[i]));
	json_object_set_new(out, "metrics", jmetrics);

	/* Counters present? */
	bool probe_metric = false;
	for (size_t i = 0; i < nmetrics; i++)
		probe_metric |= metrics[i].probe;
	for (size_t f = 0; f < nfiles && probe_metric; f++) {
		if (has_counters(files[f].doc))
			continue;
		char w[200];
		who(files, f, nfiles, w, sizeof w);
		const json_t *ebpf = json_object_get(json_object_get(files[f].doc, "probes"), "ebpf");
		const char *why = json_string_value(json_object_get(ebpf, "reason"));
		add_note(notes, "%s has no probe counters (%s): count metrics are not comparable against it", w,
			 why ? why : "no counters in its runs");
	}

	/* The union of the cells, in the order they first appear. */
	struct table t = {0};
	for (size_t f = 0; f < nfiles; f++) {
		const json_t *results = json_object_get(files[f].doc, "results");
		for (size_t i = 0; i < json_array_size(results); i++) {
			const json_t *c = json_array_get(results, i);
			struct entry *e = NULL;
			for (size_t k = 0; k < t.n && !e; k++)
				if (same_key(&t.e[k], c))
					e = &t.e[k];
			if (e && e->cell[f]) {
				char w[200];
				who(files, f, nfiles, w, sizeof w);
				add_note(notes, "%s holds cell %s/%s twice (results[%zu]); the first is compared", w,
					 e->strategy, e->workload, i);
				continue;
			}
			if (!e)
				e = table_add(&t, c);
			e->cell[f] = c;
		}
	}
	make_labels(&t);

	/* Run counts. */
	for (size_t f = 0; f < nfiles; f++) {
		size_t few = 0, fewest = (size_t)-1, ok = 0;
		for (size_t k = 0; k < t.n; k++) {
			const json_t *c = t.e[k].cell[f];
			if (!c || strcmp(status_of(c), "ok") != 0)
				continue;
			ok++;
			const json_t *runs = json_object_get(c, "runs");
			size_t n = 0;
			for (size_t j = 0; j < json_array_size(runs); j++)
				n += !json_is_true(json_object_get(json_array_get(runs, j), "warmup"));
			if (n < ZC_COMPARE_WARN_RUNS) {
				few++;
				if (n < fewest)
					fewest = n;
			}
		}
		if (few) {
			char w[200], why[160];
			who(files, f, nfiles, w, sizeof w);
			if (fewest < ZC_COMPARE_MIN_RUNS)
				snprintf(why, sizeof why,
					 "cells with fewer than %d are not compared, the others' p-values are coarse",
					 ZC_COMPARE_MIN_RUNS);
			else
				snprintf(why, sizeof why,
					 "p-values are coarse: with %zu and %zu runs none is below %.2g; deterministic "
					 "counts are still judged",
					 fewest, fewest, zc_mw_min_p(fewest, fewest));
			add_note(warnings, "%s: %zu of %zu cells have fewer than %d measured runs (fewest: %zu): %s", w,
				 few, ok, ZC_COMPARE_WARN_RUNS, fewest, why);
		}
	}

	/* Each cell, each metric, each file against the first. */
	json_t *cells = json_array(), *regressions = json_array();
	size_t counts[5] = {0}, cells_not_compared = 0;
	static const char *const verdicts[] = {"regression", "improvement", "unchanged", "not_significant",
					       "not_comparable"};
	size_t nruns_max = 1;
	for (size_t k = 0; k < t.n; k++)
		for (size_t f = 0; f < nfiles; f++)
			if (t.e[k].cell[f]) {
				size_t r = json_array_size(json_object_get(t.e[k].cell[f], "runs"));
				if (r > nruns_max)
					nruns_max = r;
			}
	double *sb = malloc(nruns_max * sizeof *sb), *sx = malloc(nruns_max * sizeof *sx);
	if (!sb || !sx)
		abort();
	json_t *missing = json_array();
	for (size_t f = 0; f < nfiles; f++)
		json_array_append_new(missing, json_integer(0));
	for (size_t k = 0; k < t.n; k++) {
		const struct entry *e = &t.e[k];
		json_t *jc = json_pack("{s:s,s:s,s:s,s:O}", "label", e->label, "strategy", e->strategy, "workload",
				       e->workload, "params", e->params ? (json_t *)e->params : json_null());
		json_t *status = json_array(), *reasons = json_array();
		for (size_t f = 0; f < nfiles; f++) {
			const json_t *c = e->cell[f];
			json_array_append_new(status, c ? json_string(status_of(c)) : json_null());
			const json_t *r = json_object_get(c, "reason");
			json_array_append_new(reasons, json_is_string(r) ? json_incref((json_t *)r) : json_null());
			if (!c)
				json_array_set_new(missing, f,
						   json_integer(json_integer_value(json_array_get(missing, f)) + 1));
		}
		json_object_set_new(jc, "status", status);
		json_object_set_new(jc, "reasons", reasons);

		/* A path that worked in the base and fails in a later file is a
		 * regression whatever the figures say. */
		json_t *cell_verdicts = json_array();
		json_array_append_new(cell_verdicts, json_null());
		for (size_t f = 1; f < nfiles; f++) {
			const json_t *b = e->cell[0], *x = e->cell[f];
			const char *v = !b && !x ? "absent" : !b ? "not_in_base" : !x ? "not_in_new" : NULL;
			if (v)
				cells_not_compared++;
			else if (strcmp(status_of(b), "ok") != 0 || strcmp(status_of(x), "ok") != 0)
				cells_not_compared++;
			if (!v && strcmp(status_of(b), "ok") == 0 && strcmp(status_of(x), "failed") == 0) {
				v = "failed";
				const char *why = json_string_value(json_object_get(x, "reason"));
				json_array_append_new(regressions, json_pack("{s:s,s:s,s:s,s:s}", "cell", e->label,
									     "metric", "status", "file", files[f].label,
									     "reason", why ? why : "failed"));
				counts[0]++;
			}
			json_array_append_new(cell_verdicts, v ? json_string(v) : json_null());
		}
		json_object_set_new(jc, "cell_verdict", cell_verdicts);

		json_t *jm = json_object();
		for (size_t i = 0; i < nmetrics; i++) {
			const struct zc_metric *m = &metrics[i];
			json_t *values = json_array(), *vs = json_array();
			struct side base = {.n = -1};
			const json_t *bc = e->cell[0];
			bool base_ok = bc && strcmp(status_of(bc), "ok") == 0;
			if (base_ok)
				side_of(sb, zc_metric_samples(bc, m, sb), &base);
			for (size_t f = 0; f < nfiles; f++) {
				const json_t *c = e->cell[f];
				struct side s = {.n = -1};
				bool ok = c && strcmp(status_of(c), "ok") == 0;
				if (f == 0)
					s = base;
				else if (ok)
					side_of(sx, zc_metric_samples(c, m, sx), &s);
				json_array_append_new(values, ok && s.n > 0 ? json_pack("{s:f,s:I}", "median", s.median,
											"runs", (json_int_t)s.n)
									    : json_null());
				if (f == 0) {
					json_array_append_new(vs, json_null());
					continue;
				}
				json_t *j;
				if (!bc || !c || !base_ok || !ok) {
					char why[300];
					if (!bc && !c)
						snprintf(why, sizeof why, "in neither file");
					else if (!bc)
						snprintf(why, sizeof why, "not in base");
					else if (!c)
						snprintf(why, sizeof why, "not in new");
					else if (!base_ok)
						snprintf(why, sizeof why, "%s in base", status_of(bc));
					else
						snprintf(why, sizeof why, "%s in new", status_of(c));
					j = json_pack("{s:s,s:s}", "verdict", "not_comparable", "reason", why);
				} else {
					j = judge(m, sb, &base, sx, &s, o);
				}
				const char *v = json_string_value(json_object_get(j, "verdict"));
				/* Cells not compared at all are counted once, below, not per metric. */
				for (size_t q = 0; q < 5 && bc && c && base_ok && ok; q++)
					if (strcmp(v, verdicts[q]) == 0)
						counts[q]++;
				if (strcmp(v, "regression") == 0) {
					json_t *r = json_pack("{s:s,s:s,s:s}", "cell", e->label, "metric", m->name,
							      "file", files[f].label);
					json_object_set(r, "change", json_object_get(j, "change"));
					json_object_set(r, "p", json_object_get(j, "p"));
					json_array_append_new(regressions, r);
				}
				json_array_append_new(vs, j);
			}
			json_object_set_new(jm, m->name, json_pack("{s:o,s:o}", "values", values, "vs_first", vs));
		}
		json_object_set_new(jc, "metrics", jm);
		json_array_append_new(cells, jc);
	}
	free(sb);
	free(sx);
	free(t.e);
	json_object_set_new(out, "notes", notes);
	json_object_set_new(out, "warnings", warnings);
	json_object_set_new(out, "cells", cells);
	json_object_set_new(out, "regressions", regressions);
	json_t *sum = json_object();
	for (size_t q = 0; q < 5; q++)
		json_object_set_new(sum, verdicts[q], json_integer((json_int_t)counts[q]));
	json_object_set_new(sum, "cells", json_integer((json_int_t)t.n));
	json_object_set_new(sum, "cells_not_compared", json_integer((json_int_t)cells_not_compared));
	json_object_set_new(sum, "missing", missing);
	json_object_set_new(out, "summary", sum);
	return out;
}
