/* zcbench compare: loading result files and building the comparison. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "gate_stats.h"
#include "mannwhitney.h"
#include "../stats.h"

/* ---- loading ---- */

static bool qemu_cpu_model(const char *model)
{
	return model && (strstr(model, "QEMU Virtual CPU") || strstr(model, "QEMU TCG CPU"));
}

static const char *file_kind(mode_t m)
{
	return S_ISDIR(m)    ? "a directory"
	       : S_ISFIFO(m) ? "a FIFO"
	       : S_ISCHR(m)  ? "a character device"
	       : S_ISBLK(m)  ? "a block device"
	       : S_ISSOCK(m) ? "a socket"
			     : "not a regular file";
}

int zc_cmp_load(const char *path, struct zc_cmp_file *f, char *err, size_t err_len)
{
	memset(f, 0, sizeof *f);
	f->path = path;
	/* A FIFO would block the open or the read forever and a device may
	 * never end (/dev/zero): only regular files are read. stat first so
	 * that nothing else is even opened; fstat again for a swap between. */
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, err_len, "%s is not a regular file (%s)", path, file_kind(st.st_mode));
		return -1;
	}
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, err_len, "%s is not a regular file (%s)", path, file_kind(st.st_mode));
		close(fd);
		return -1;
	}
	FILE *in = fdopen(fd, "r");
	if (!in) {
		snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
		close(fd);
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

void zc_cmp_labels_unique(struct zc_cmp_file *files, size_t nfiles)
{
	for (size_t f = 1; f < nfiles; f++) {
		int seen = 1;
		for (size_t k = 0; k < f; k++)
			seen += strcmp(files[k].label, files[f].label) == 0 ||
				(strncmp(files[k].label, files[f].label, strlen(files[f].label)) == 0 &&
				 strncmp(files[k].label + strlen(files[f].label), " (", 2) == 0);
		if (seen > 1) {
			size_t l = strlen(files[f].label);
			snprintf(files[f].label + l, sizeof files[f].label - l, " (%d)", seen);
		}
	}
}

/* ---- cells ---- */

struct entry {
	const json_t *cell[ZC_COMPARE_MAX_FILES];
	const char *strategy, *workload;
	const json_t *params;
	size_t group; /* cells of the same strategy and workload */
	char label[256];
};

struct group {
	size_t *idx;
	size_t n, cap;
	json_t *varies; /* params keys whose value differs within the group */
};

/* The cells of every file, found by hash: a key's entry in `index` (a JSON
 * object is a hash table) holds the entry's position, so matching n cells
 * costs O(n), not O(n^2). */
struct table {
	struct entry *e;
	size_t n, cap;
	json_t *index;	/* "strategy\x1fworkload\x1fparams" -> entry */
	json_t *groups; /* "strategy\x1fworkload" -> group */
	struct group *g;
	size_t ng, gcap;
};

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	void *q = realloc(p, c * size);
	if (!q)
		abort(); /* no memory for the table means no comparison at all */
	*cap = c;
	return q;
}

/* The key of a cell; absent and null params are the same. */
static char *cell_key(const char *strategy, const char *workload, const json_t *params)
{
	char *pj = params && !json_is_null(params) ? json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	size_t l = strlen(strategy) + strlen(workload) + (pj ? strlen(pj) : 4) + 3;
	char *k = malloc(l);
	if (!k)
		abort();
	snprintf(k, l, "%s\x1f%s\x1f%s", strategy, workload, pj ? pj : "null");
	free(pj);
	return k;
}

static char *group_key(const char *strategy, const char *workload)
{
	size_t l = strlen(strategy) + strlen(workload) + 2;
	char *k = malloc(l);
	if (!k)
		abort();
	snprintf(k, l, "%s\x1f%s", strategy, workload);
	return k;
}

static struct group *group_of(struct table *t, const char *strategy, const char *workload)
{
	char *k = group_key(strategy, workload);
	const json_t *g = json_object_get(t->groups, k);
	free(k);
	return g ? &t->g[json_integer_value(g)] : NULL;
}

static struct entry *table_find(struct table *t, const json_t *c, bool *created)
{
	const char *strategy = json_string_value(json_object_get(c, "strategy"));
	const char *workload = json_string_value(json_object_get(c, "workload"));
	const json_t *params = json_object_get(c, "params");
	char *k = cell_key(strategy, workload, params);
	const json_t *at = json_object_get(t->index, k);
	*created = !at;
	if (at) {
		free(k);
		return &t->e[json_integer_value(at)];
	}
	t->e = grow(t->e, &t->cap, t->n + 1, sizeof *t->e);
	struct entry *e = &t->e[t->n];
	memset(e, 0, sizeof *e);
	e->strategy = strategy;
	e->workload = workload;
	e->params = params;
	json_object_set_new(t->index, k, json_integer((json_int_t)t->n));
	free(k);
	k = group_key(strategy, workload);
	const json_t *g = json_object_get(t->groups, k);
	if (!g) {
		t->g = grow(t->g, &t->gcap, t->ng + 1, sizeof *t->g);
		memset(&t->g[t->ng], 0, sizeof *t->g);
		t->g[t->ng].varies = json_object();
		json_object_set_new(t->groups, k, json_integer((json_int_t)t->ng));
		e->group = t->ng++;
	} else {
		e->group = (size_t)json_integer_value(g);
	}
	free(k);
	struct group *gr = &t->g[e->group];
	gr->idx = grow(gr->idx, &gr->cap, gr->n + 1, sizeof *gr->idx);
	gr->idx[gr->n++] = t->n;
	t->n++;
	return e;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->ng; i++) {
		free(t->g[i].idx);
		json_decref(t->g[i].varies);
	}
	free(t->g);
	free(t->e);
	json_decref(t->index);
	json_decref(t->groups);
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

static bool same_value(const json_t *a, const json_t *b)
{
	bool an = !a || json_is_null(a), bn = !b || json_is_null(b);
	return an || bn ? an == bn : json_equal(a, b);
}

/* "strategy/workload", plus the params that tell it from other cells of the
 * same strategy and workload. A key varies within a group when some cell's
 * value differs from the first cell's: one pass per group. */
static void make_labels(struct table *t)
{
	for (size_t gi = 0; gi < t->ng; gi++) {
		struct group *g = &t->g[gi];
		const json_t *first = t->e[g->idx[0]].params;
		for (size_t i = 1; i < g->n; i++) {
			const json_t *p = t->e[g->idx[i]].params;
			const char *key;
			const json_t *val;
			json_object_foreach((json_t *)p, key, val) if (!same_value(val, json_object_get(first, key)))
				json_object_set_new(g->varies, key, json_true());
			json_object_foreach((json_t *)first, key, val) if (!same_value(val, json_object_get(p, key)))
				json_object_set_new(g->varies, key, json_true());
		}
	}
	for (size_t i = 0; i < t->n; i++) {
		struct entry *e = &t->e[i];
		snprintf(e->label, sizeof e->label, "%s/%s", e->strategy, e->workload);
		if (!json_is_object(e->params))
			continue;
		const json_t *varies = t->g[e->group].varies;
		const char *key;
		const json_t *val;
		json_object_foreach((json_t *)e->params, key, val)
		{
			if (!json_object_get(varies, key))
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

static bool is_ok(const json_t *cell)
{
	return cell && strcmp(status_of(cell), "ok") == 0;
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

/* host.calibration.memcpy.bps, or 0 when the file lacks it. */
static double memcpy_bps(const json_t *doc)
{
	const json_t *b = json_object_get(
		json_object_get(json_object_get(json_object_get(doc, "host"), "calibration"), "memcpy"), "bps");
	double v = json_is_number(b) ? json_number_value(b) : 0;
	return isfinite(v) && v > 0 ? v : 0;
}

/* The file's invocation-level warnings that say the machine was busy or its
 * ceilings moved (codes busy-*, *calibration*, *ceiling*; '-' and '_'
 * alike), joined into buf. Returns how many. */
static size_t machine_warnings(const json_t *doc, char *buf, size_t len)
{
	const json_t *w = json_object_get(doc, "warnings");
	size_t n = 0;
	buf[0] = 0;
	for (size_t i = 0; i < json_array_size(w); i++) {
		const char *code = json_string_value(json_object_get(json_array_get(w, i), "code"));
		if (!code)
			continue;
		char c[64];
		snprintf(c, sizeof c, "%s", code);
		for (char *p = c; *p; p++)
			if (*p == '_')
				*p = '-';
		if (strncmp(c, "busy", 4) != 0 && !strstr(c, "calibration") && !strstr(c, "ceiling"))
			continue;
		size_t l = strlen(buf);
		snprintf(buf + l, len - l, "%s%s", n ? ", " : "", code);
		n++;
	}
	return n;
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

/* ---- judging ---- */

/* The working state of one comparison. */
struct ctx {
	const struct zc_cmp_file *files;
	size_t nfiles;
	const struct zc_cmp_opts *o;
	struct table *t;
	const struct zc_metric *metrics;
	size_t nmetrics;
	size_t count_ref; /* the file count metrics are compared against */
	double *speed;	  /* per file: memcpy bps / base's (1 for the base), 0: unknown */
	bool *timing_off; /* per file: machine speed changed beyond --max-drift */
	char (*timing_why)[256];
	const struct entry **ref; /* [k * nfiles + f]: the same-round reference, memoised */
	json_t *nc_cache;	  /* reason -> shared not_comparable judgement */
	bool *ref_done;
	/* Per judgement, [(k * nmetrics + i) * nfiles + f]. The judgements
	 * themselves are not kept (100,000 cells' would take hundreds of MB):
	 * the first pass keeps what the column's adjustment, the baselines'
	 * drift check and the notes need, the second makes each again as its
	 * cell is written. */
	unsigned char *judged; /* 0 not yet, JUDGED, or JUDGED_MOVED */
	double *p;	       /* raw p, NAN when no test entered the family */
	double *q;	       /* p adjusted over the column's family */
	int *how;	       /* how the timings were referenced: index into how_keys, -1 none */
	json_t *how_keys;      /* [description]: "the baseline's same round", ... */
	json_t *how_index;     /* description -> index */
	double *buf[4];	       /* sample buffers of nruns_max */
	long *ibuf[2];
};

#define AT(c, k, i, f) (((k) * (c)->nmetrics + (i)) * (c)->nfiles + (f))
#define JUDGED	       1
#define JUDGED_MOVED   2

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

/* A not_comparable judgement. They are never changed once made, and a
 * count-free file has one per cell and count metric: one shared object per
 * reason (JSON values are reference-counted) keeps 100,000 cells small. */
static json_t *not_comparable(json_t *cache, const char *why)
{
	json_t *j = json_object_get(cache, why);
	if (!j) {
		j = json_pack("{s:s,s:s}", "verdict", "not_comparable", "reason", why);
		json_object_set_new(cache, why, j);
	}
	return json_incref(j);
}

/* The baseline strategy's cell to pair entry k with: the same workload,
 * measured in files 0 and f, the params closest to k's (first the very same
 * params, then the fewest differing keys among the first 64 candidates). */
static const struct entry *find_reference(const struct ctx *c, size_t k, size_t f)
{
	const struct entry *e = &c->t->e[k];
	if (strcmp(e->strategy, c->o->baseline) == 0)
		return NULL;
	char *key = cell_key(c->o->baseline, e->workload, e->params);
	const json_t *at = json_object_get(c->t->index, key);
	free(key);
	if (at) {
		const struct entry *r = &c->t->e[json_integer_value(at)];
		if (is_ok(r->cell[0]) && is_ok(r->cell[f]))
			return r;
	}
	const struct group *g = group_of(c->t, c->o->baseline, e->workload);
	const struct entry *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; g && i < g->n && i < 64; i++) {
		const struct entry *r = &c->t->e[g->idx[i]];
		if (!is_ok(r->cell[0]) || !is_ok(r->cell[f]))
			continue;
		size_t d = 0;
		const char *pk;
		const json_t *v;
		json_object_foreach((json_t *)r->params, pk, v) d += !same_value(v, json_object_get(e->params, pk));
		json_object_foreach((json_t *)e->params, pk, v) d +=
			!json_object_get(r->params, pk) && !json_is_null(v);
		if (d < best_d) {
			best_d = d;
			best = r;
		}
	}
	return best;
}

static const struct entry *reference_of(const struct ctx *c, size_t k, size_t f)
{
	size_t at = k * c->nfiles + f;
	if (!c->ref_done[at]) {
		c->ref[at] = find_reference(c, k, f);
		c->ref_done[at] = true;
	}
	return c->ref[at];
}

/* x[i] / ref[j] for runs of the same round (the same run index). Returns the
 * pairs into out, or -1 when a round has no partner or a reference is 0. */
static long pair_rounds(const double *x, const long *xi, long nx, const double *r, const long *ri, long nr, double *out)
{
	long n = 0;
	for (long a = 0; a < nx; a++) {
		long b = 0;
		while (b < nr && ri[b] != xi[a])
			b++;
		if (xi[a] < 0 || b == nr || !(r[b] > 0))
			return -1;
		out[n++] = x[a] / r[b];
	}
	return n;
}

static bool judged_moved(struct ctx *c, size_t k, size_t i, size_t f);

static bool o_drift_baseline(const struct ctx *c)
{
	return c->o->drift == ZC_DRIFT_BASELINE;
}

/* The samples of metric i of entry k in file f, drift removed as --drift
 * says, into out; ref describes how (filled on the new side, f != 0).
 * Returns the count, -1 unavailable, -2 too few paired rounds. */
static long timing_samples(struct ctx *c, size_t k, size_t i, size_t f, size_t col, double *out, json_t *ref)
{
	const struct entry *e = &c->t->e[k];
	const struct zc_metric *m = &c->metrics[i];
	long *xi = c->ibuf[0], *rix = c->ibuf[1];
	long n = zc_metric_samples_indexed(e->cell[f], m, out, xi);
	if (n < 0)
		return -1;
	if (c->o->drift == ZC_DRIFT_BASELINE) {
		const struct entry *r = reference_of(c, k, col);
		size_t rk = r ? (size_t)(r - c->t->e) : 0;
		if (r && !judged_moved(c, rk, i, col)) {
			double *rv = c->buf[3];
			long nr = zc_metric_samples_indexed(r->cell[f], m, rv, rix);
			long np = nr >= 0 ? pair_rounds(out, xi, n, rv, rix, nr, out) : -1;
			if (np >= 0) {
				json_object_set_new(ref, "method", json_string("baseline"));
				json_object_set_new(ref, "cell", json_string(r->label));
				const char *ck[] = {"chunk_bytes", "size_bytes"};
				char d[200] = "";
				for (size_t q = 0; q < 2; q++) {
					const json_t *a = json_object_get(e->params, ck[q]),
						     *b = json_object_get(r->params, ck[q]);
					if (same_value(a, b))
						continue;
					char sa[32], sb[32];
					zc_compare_bytes_text(a, sa, sizeof sa);
					zc_compare_bytes_text(b, sb, sizeof sb);
					size_t l = strlen(d);
					snprintf(d + l, sizeof d - l, "%s%s %s against the reference's %s",
						 l ? ", " : "", q ? "size" : "chunk", sa, sb);
				}
				if (d[0])
					json_object_set_new(ref, "differs", json_string(d));
				return np;
			}
			json_object_set_new(ref, "fallback", json_string("the baseline's rounds do not pair"));
		} else if (r) {
			char why[300];
			snprintf(why, sizeof why, "the baseline %s itself changed", r->label);
			json_object_set_new(ref, "fallback", json_string(why));
		} else if (strcmp(e->strategy, c->o->baseline) == 0) {
			json_object_set_new(ref, "fallback", json_string("the baseline strategy itself"));
		} else {
			json_object_set_new(ref, "fallback", json_string("no baseline cell in both files"));
		}
	}
	/* Only --drift memcpy divides by the calibration: measured here, the
	 * memcpy ceiling moved 0.81x to 1.67x between identical invocations
	 * while the cells' medians stayed within a few percent of each other,
	 * so as a fallback it injected the drift it was meant to remove
	 * (README "Regression gate"). A cell without a usable partner is
	 * judged on its raw figures. */
	if (c->o->drift == ZC_DRIFT_MEMCPY && c->speed[col] > 0) {
		double s = f == 0 ? 1 : c->speed[f];
		for (long q = 0; q < n; q++)
			out[q] = m->higher_is_better ? out[q] / s : out[q] * s;
		json_object_set_new(ref, "method", json_string("memcpy"));
		json_object_set_new(ref, "speed", json_real(c->speed[col]));
		return n;
	}
	json_object_set_new(ref, "method", json_string("none"));
	if (c->o->drift == ZC_DRIFT_MEMCPY)
		json_object_set_new(ref, "fallback", json_string("no memcpy calibration in both files"));
	return n;
}

static bool all_positive(const double *v, long n)
{
	for (long i = 0; i < n; i++)
		if (!(v[i] > 0))
			return false;
	return true;
}

/* Judge metric i of entry k, file f against its reference file: a new
 * reference, the raw p into c->p. The verdict is provisional until the
 * column's p-values are adjusted (decide). */
static json_t *judge(struct ctx *c, size_t k, size_t i, size_t f)
{
	size_t at = AT(c, k, i, f);
	const struct entry *e = &c->t->e[k];
	const struct zc_metric *m = &c->metrics[i];
	size_t bf = m->kind == ZC_METRIC_COUNT ? c->count_ref : 0;
	const json_t *bc = e->cell[bf], *xc = e->cell[f];
	json_t *j;
	c->p[at] = NAN;
	char why[300];
	if (m->kind == ZC_METRIC_TIMING && o_drift_baseline(c) && f != bf) {
		/* Judge the same-round reference first: judging it uses the
		 * sample buffers this judgement fills below. */
		const struct entry *r = reference_of(c, k, f);
		if (r)
			judged_moved(c, (size_t)(r - c->t->e), i, f);
	}
	if (f <= bf) {
		j = json_null(); /* the reference column itself, or a file before it without counters */
	} else if (!bc || !xc || !is_ok(bc) || !is_ok(xc)) {
		const char *bn = bf == 0 ? "base" : c->files[bf].label;
		if (!bc && !xc)
			snprintf(why, sizeof why, "in neither file");
		else if (!bc)
			snprintf(why, sizeof why, "not in %s", bn);
		else if (!xc)
			snprintf(why, sizeof why, "not in new");
		else if (!is_ok(bc))
			snprintf(why, sizeof why, "%s in %s", status_of(bc), bn);
		else
			snprintf(why, sizeof why, "%s in new", status_of(xc));
		j = not_comparable(c->nc_cache, why);
	} else if (m->kind == ZC_METRIC_TIMING && c->timing_off[f]) {
		j = not_comparable(c->nc_cache, c->timing_why[f]);
	} else {
		double *b = c->buf[0], *x = c->buf[1];
		json_t *ref = json_object();
		long nb, nx;
		if (m->kind == ZC_METRIC_TIMING) {
			json_t *rb = json_object();
			nb = timing_samples(c, k, i, bf, f, b, rb);
			nx = timing_samples(c, k, i, f, f, x, ref);
			if (!json_equal(rb, ref) && nb >= 0 && nx >= 0) {
				/* Both sides must be normalised alike: else raw. */
				json_object_clear(ref);
				json_object_set_new(ref, "method", json_string("none"));
				json_object_set_new(ref, "fallback",
						    json_string("the files allow no common reference"));
				nb = zc_metric_samples(bc, m, b);
				nx = zc_metric_samples(xc, m, x);
			}
			json_decref(rb);
		} else {
			nb = zc_metric_samples(bc, m, b);
			nx = zc_metric_samples(xc, m, x);
		}
		struct side sb, sx;
		side_of(b, nb, &sb);
		side_of(x, nx, &sx);
		if (nb < 0 || nx < 0) {
			j = not_comparable(c->nc_cache, nb < 0 && nx < 0 ? "unavailable in both"
							: nb < 0	 ? "unavailable in base"
									 : "unavailable in new");
			json_decref(ref);
		} else if (nb < ZC_COMPARE_MIN_RUNS || nx < ZC_COMPARE_MIN_RUNS) {
			snprintf(why, sizeof why, "too few runs: base %ld, new %ld, need %d on each side", nb, nx,
				 ZC_COMPARE_MIN_RUNS);
			j = not_comparable(c->nc_cache, why);
			json_decref(ref);
		} else {
			j = json_object();
			double change =
				sb.median == 0 ? (sx.median == 0 ? 0 : INFINITY) : (sx.median - sb.median) / sb.median;
			json_object_set_new(j, "change", isinf(change) ? json_null() : json_real(change));
			if (isinf(change))
				json_object_set_new(j, "from_zero", json_true());
			bool beyond = isinf(change) || fabs(change) > c->o->threshold;
			bool worse = m->higher_is_better ? change < 0 : change > 0;
			json_object_set_new(j, "beyond", json_boolean(beyond));
			json_object_set_new(j, "worse", json_boolean(worse));
			if (m->kind == ZC_METRIC_TIMING) {
				/* The change of the raw medians, for the reader. */
				double rb0 = 0, rx0 = 0;
				long q1 = zc_metric_samples(bc, m, c->buf[2]);
				if (q1 > 0)
					rb0 = zc_median(c->buf[2], (size_t)q1);
				long q2 = zc_metric_samples(xc, m, c->buf[2]);
				if (q2 > 0)
					rx0 = zc_median(c->buf[2], (size_t)q2);
				json_object_set_new(j, "raw_change",
						    rb0 > 0 ? json_real((rx0 - rb0) / rb0) : json_null());
				json_object_set_new(j, "reference", ref);
				bool logs = all_positive(b, nb) && all_positive(x, nx);
				if (logs) {
					for (long q = 0; q < nb; q++)
						b[q] = log(b[q]);
					for (long q = 0; q < nx; q++)
						x[q] = log(x[q]);
				}
				struct zc_welch w;
				if (nb < ZC_COMPARE_TEST_RUNS || nx < ZC_COMPARE_TEST_RUNS)
					json_object_set_new(j, "test", json_string("none: fewer than 3 runs a side"));
				else if (zc_welch(b, (size_t)nb, 0, x, (size_t)nx, 0, &w) == 0) {
					c->p[at] = w.p;
					json_object_set_new(j, "p", json_real(w.p));
					json_object_set_new(j, "test", json_string(logs ? "welch-log" : "welch"));
					json_object_set_new(j, "t", isfinite(w.t) ? json_real(w.t) : json_null());
					json_object_set_new(j, "df", json_real(w.df));
				}
				json_object_set_new(j, "deterministic", json_false());
			} else {
				json_decref(ref);
				char tw[160];
				bool td = zc_metric_timing_dependent(m, bc, tw, sizeof tw) ||
					  zc_metric_timing_dependent(m, xc, tw, sizeof tw);
				bool deterministic = !td && sb.zero_var && sx.zero_var;
				/* Per GiB back to per run: the size of one run. */
				const json_t *sz = json_object_get(e->params, "size_bytes");
				double per_run = json_is_number(sz) && json_number_value(sz) > 0
							 ? json_number_value(sz) / 1073741824.0
							 : 1;
				double unit = zc_metric_is_bytes(m) ? 4096 : 1;
				double diff = fabs(sx.median - sb.median) * per_run / unit;
				json_object_set_new(j, "deterministic", json_boolean(deterministic));
				json_object_set_new(j, "timing_dependent", json_boolean(td));
				if (td)
					json_object_set_new(j, "timing_dependent_why", json_string(tw));
				json_object_set_new(j, "diff_per_run", json_real(diff));
				json_object_set_new(j, "diff_unit", json_string(unit > 1 ? "pages" : "events"));
				if (diff < c->o->min_count_diff) {
					json_object_set_new(j, "below_min_count_diff", json_true());
					json_object_set_new(j, "beyond", json_false());
					json_object_set_new(j, "test", json_string("none"));
				} else if (deterministic) {
					json_object_set_new(j, "test", json_string("deterministic"));
				} else {
					/* A count that depends on timing varies at least as a
					 * Poisson count would: var(per run) >= mean(per run). */
					double fb = td ? sb.median / per_run : 0, fx = td ? sx.median / per_run : 0;
					if (zc_metric_is_bytes(m))
						fb = fx = 0;
					struct zc_welch w;
					if (nb < ZC_COMPARE_TEST_RUNS || nx < ZC_COMPARE_TEST_RUNS)
						json_object_set_new(j, "test",
								    json_string("none: fewer than 3 runs a side"));
					else if (zc_welch(b, (size_t)nb, fb, x, (size_t)nx, fx, &w) == 0) {
						c->p[at] = w.p;
						json_object_set_new(j, "p", json_real(w.p));
						json_object_set_new(j, "test",
								    json_string(td ? "welch-poisson-floor" : "welch"));
						json_object_set_new(j, "t",
								    isfinite(w.t) ? json_real(w.t) : json_null());
						json_object_set_new(j, "df", json_real(w.df));
					}
				}
			}
		}
	}
	return j;
}

/* How a judgement's timings were referenced, for the column's note: its
 * index in c->how_keys, or -1 when it has no reference. */
static int how_of(struct ctx *c, const json_t *j)
{
	const json_t *ref = json_object_get(j, "reference");
	const char *fb = json_string_value(json_object_get(ref, "fallback"));
	const char *me = json_string_value(json_object_get(ref, "method"));
	if (!me)
		return -1;
	char key[400];
	snprintf(key, sizeof key, "%s%s%s%s",
		 !strcmp(me, "baseline") ? "the baseline's same round"
		 : !strcmp(me, "memcpy") ? "memcpy"
					 : "raw figures",
		 fb ? " (" : "", fb ? fb : "", fb ? ")" : "");
	const json_t *at = json_object_get(c->how_index, key);
	if (at)
		return (int)json_integer_value(at);
	int n = (int)json_array_size(c->how_keys);
	json_array_append_new(c->how_keys, json_string(key));
	json_object_set_new(c->how_index, key, json_integer(n));
	return n;
}

/* The first judgement of metric i of entry k in column f: what later steps
 * need of it is kept (whether it moved, how it was referenced, its p). */
static void judge_first(struct ctx *c, size_t k, size_t i, size_t f)
{
	size_t at = AT(c, k, i, f);
	json_t *j = judge(c, k, i, f);
	/* Moved: beyond the threshold and raw p <= alpha, or a deterministic
	 * change. */
	const json_t *p = json_object_get(j, "p");
	bool moved = json_is_true(json_object_get(j, "beyond")) &&
		     (json_is_true(json_object_get(j, "deterministic")) ||
		      (json_is_number(p) && json_number_value(p) <= c->o->alpha));
	c->judged[at] = moved ? JUDGED_MOVED : JUDGED;
	c->how[at] = how_of(c, j);
	json_decref(j);
}

/* Whether the baseline cell k's metric i moved in column f before any
 * adjustment: its same-round ratios then measure the change, not the
 * drift. */
static bool judged_moved(struct ctx *c, size_t k, size_t i, size_t f)
{
	size_t at = AT(c, k, i, f);
	if (!c->judged[at])
		judge_first(c, k, i, f);
	return c->judged[at] == JUDGED_MOVED;
}

/* The final verdict from the adjusted p-value. */
static void decide(json_t *j, double q, double alpha)
{
	if (!json_is_object(j) || json_object_get(j, "verdict"))
		return;
	bool beyond = json_is_true(json_object_get(j, "beyond"));
	bool worse = json_is_true(json_object_get(j, "worse"));
	bool det = json_is_true(json_object_get(j, "deterministic"));
	if (!isnan(q))
		json_object_set_new(j, "p_adjusted", json_real(q));
	bool significant = det || (!isnan(q) && q <= alpha);
	const char *v = !beyond ? "unchanged" : !significant ? "not_significant" : worse ? "regression" : "improvement";
	json_object_set_new(j, "verdict", json_string(v));
	json_object_del(j, "beyond");
	json_object_del(j, "worse");
}

/* Per file against the base: the machine's speed (the baseline strategy's
 * throughput and the memcpy calibration), whether it changed beyond
 * --max-drift (timing then not comparable), and whether the file warns that
 * the machine was busy. */
/* "slower" or "faster" when a speed ratio is beyond max either way; NULL
 * within it or when the ratio is unknown (0). */
static const char *moved(double ratio, double max)
{
	return !(ratio > 0) ? NULL : ratio * max < 1 ? "slower" : ratio > max ? "faster" : NULL;
}

static void machine_state(struct ctx *c, json_t *notes, json_t *warnings, json_t *jfiles)
{
	double b0 = memcpy_bps(c->files[0].doc);
	size_t with = 0;
	for (size_t f = 0; f < c->nfiles; f++)
		with += memcpy_bps(c->files[f].doc) > 0;
	if (c->o->drift == ZC_DRIFT_MEMCPY && with < c->nfiles && (with == 0 || b0 <= 0))
		add_note(notes,
			 "%s a memcpy calibration (host.calibration, written by zcbench all): timings are judged "
			 "raw",
			 with == 0 ? (c->nfiles == 2 ? "neither file has" : "no file has") : "the base has not");
	struct zc_metric tp;
	zc_metric_parse("throughput", &tp);
	for (size_t f = 0; f < c->nfiles; f++) {
		json_t *jf = json_array_get(jfiles, f);
		double bf = memcpy_bps(c->files[f].doc);
		json_object_set_new(jf, "memcpy_bps", bf > 0 ? json_real(bf) : json_null());
		c->speed[f] = b0 > 0 && bf > 0 ? bf / b0 : 0;
		if (f == 0)
			continue;
		char w[200];
		who(c->files, f, c->nfiles, w, sizeof w);
		char mw[256];
		if (machine_warnings(c->files[f].doc, mw, sizeof mw))
			add_note(warnings,
				 "%s warns that the machine was busy or unsteady (%s): timing may not be "
				 "comparable",
				 w, mw);
		/* The machine's speed between the files: the baseline strategy's
		 * throughput, the median over its cells of new / base. It is
		 * preferred to the memcpy calibration, which here moved 0.81x to
		 * 1.67x between identical invocations while those medians stayed
		 * within 0.82x to 1.03x: one 64 MiB buffer pair measures where
		 * the process's pages landed more than the machine. */
		double r[256];
		size_t nr = 0;
		for (size_t k = 0; k < c->t->n && nr < 256; k++) {
			const struct entry *e = &c->t->e[k];
			if (strcmp(e->strategy, c->o->baseline) != 0 || !is_ok(e->cell[0]) || !is_ok(e->cell[f]))
				continue;
			long n0 = zc_metric_samples(e->cell[0], &tp, c->buf[0]);
			long n1 = zc_metric_samples(e->cell[f], &tp, c->buf[1]);
			if (n0 > 0 && n1 > 0) {
				double m0 = zc_median(c->buf[0], (size_t)n0), m1 = zc_median(c->buf[1], (size_t)n1);
				if (m0 > 0)
					r[nr++] = m1 / m0;
			}
		}
		double s = c->speed[f], med = nr ? zc_median(r, nr) : 0, max = c->o->max_drift;
		const char *how_m = moved(s, max), *how_b = moved(med, max);
		/* With both signs, both must agree: a baseline that alone slowed
		 * down by half is the change under test (its cells are judged),
		 * a memcpy that alone moved is where its buffers landed. */
		const char *how = s > 0 && nr ? (how_m && how_b && !strcmp(how_m, how_b) ? how_m : NULL)
				  : how_m     ? how_m
					      : how_b;
		char src[300] = "", mc[120] = "";
		if (s > 0)
			snprintf(mc, sizeof mc, "memcpy %.1f GB/s in base, %.1f GB/s in %s", b0 / 1e9, bf / 1e9,
				 c->nfiles == 2 ? "new" : c->files[f].label);
		if (nr)
			snprintf(src, sizeof src, "the baseline %s's throughput moved %.2fx, median of %zu cell%s%s%s",
				 c->o->baseline, med, nr, nr == 1 ? "" : "s", mc[0] ? "; " : "", mc);
		else
			snprintf(src, sizeof src, "%s", mc);
		json_object_set_new(jf, "speed", s > 0 ? json_real(s) : json_null());
		json_object_set_new(jf, "baseline_speed", nr ? json_real(med) : json_null());
		json_object_set_new(jf, "timing_comparable", json_boolean(!how));
		if (how) {
			c->timing_off[f] = true;
			snprintf(c->timing_why[f], sizeof c->timing_why[f], "machine %s: timing not comparable", how);
			add_note(warnings, "%s: machine %s: timing not comparable (%s; --max-drift %.2g)", w, how, src,
				 max);
		}
	}
}

static json_t *jfiles_at(json_t *jfiles, size_t f)
{
	return json_array_get(jfiles, f);
}

void zc_cmp_opts_defaults(struct zc_cmp_opts *o)
{
	memset(o, 0, sizeof *o);
	o->threshold = ZC_COMPARE_THRESHOLD;
	o->alpha = ZC_COMPARE_ALPHA;
	o->drift = ZC_DRIFT_BASELINE;
	snprintf(o->baseline, sizeof o->baseline, "%s", ZC_COMPARE_BASELINE);
	o->min_count_diff = ZC_COMPARE_MIN_COUNT_DIFF;
	o->max_drift = ZC_COMPARE_MAX_DRIFT;
	o->nmetrics = zc_metric_defaults(o->metrics);
}

static const char *drift_name(enum zc_drift_ref d)
{
	return d == ZC_DRIFT_BASELINE ? "baseline" : d == ZC_DRIFT_MEMCPY ? "memcpy" : "none";
}

/* A cell's entry for one metric. One measured nowhere (a count-free file's
 * counts) is the same for every such cell: shared, like not_comparable's
 * judgements, so that 100,000 cells do not make 100,000 copies. */
static json_t *metric_entry(json_t *cache, json_t *values, json_t *vs, size_t ref)
{
	bool measured = false;
	for (size_t f = 0; f < json_array_size(values); f++)
		measured |= !json_is_null(json_array_get(values, f));
	json_t *m = json_pack("{s:o,s:o,s:I}", "values", values, "vs_first", vs, "reference", (json_int_t)ref);
	if (measured)
		return m;
	char *key = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
	if (!key)
		return m;
	json_t *shared = json_object_get(cache, key);
	if (shared) {
		json_decref(m);
		m = json_incref(shared);
	} else {
		json_object_set(cache, key, m);
	}
	free(key);
	return m;
}

/* Host fields that, when they differ, make the files' cells differ in more
 * than the compared side. */
static void host_differences(const struct zc_cmp_file *files, size_t nfiles, json_t *notes)
{
	static const char *const keys[] = {"machine", "cpu_model", "cpus", "mem_bytes"};
	const json_t *h0 = json_object_get(files[0].doc, "host");
	for (size_t f = 1; f < nfiles; f++) {
		const json_t *hf = json_object_get(files[f].doc, "host");
		char d[256] = "";
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			if (same_value(json_object_get(h0, keys[i]), json_object_get(hf, keys[i])))
				continue;
			size_t l = strlen(d);
			snprintf(d + l, sizeof d - l, "%s%s", l ? ", " : "", keys[i]);
		}
		if (!d[0])
			continue;
		char w[200];
		who(files, f, nfiles, w, sizeof w);
		add_note(notes,
			 "base and %s ran on different machines (host %s differ): their cells differ in more "
			 "than the compared side",
			 w, d);
	}
}

json_t *zc_compare_stream(const struct zc_cmp_file *files, size_t nfiles, const struct zc_cmp_opts *opts,
			  const struct zc_cmp_sink *sink)
{
	/* Callers that filled the options before the gate's fields existed
	 * (zeroed) get their defaults, not a max drift of 0. */
	struct zc_cmp_opts oo = *opts;
	if (!oo.baseline[0])
		snprintf(oo.baseline, sizeof oo.baseline, "%s", ZC_COMPARE_BASELINE);
	if (!(oo.max_drift >= 1))
		oo.max_drift = ZC_COMPARE_MAX_DRIFT;
	const struct zc_cmp_opts *o = &oo;
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
	json_object_set_new(out, "test", json_string("welch"));
	json_object_set_new(out, "correction", json_string("benjamini-hochberg"));
	json_object_set_new(out, "min_count_diff", json_real(o->min_count_diff));
	json_object_set_new(out, "drift",
			    json_pack("{s:s,s:s,s:f}", "method", drift_name(o->drift), "baseline", o->baseline,
				      "max_drift", o->max_drift));

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
	host_differences(files, nfiles, notes);

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

	/* Counters present? A base without them does not hide the count
	 * columns: the files after it are compared with the first that has. */
	bool probe_metric = false;
	for (size_t i = 0; i < nmetrics; i++)
		probe_metric |= metrics[i].probe;
	size_t count_ref = 0;
	bool ref_found = false;
	for (size_t f = 0; f < nfiles && probe_metric; f++) {
		if (has_counters(files[f].doc)) {
			if (!ref_found)
				count_ref = f;
			ref_found = true;
			continue;
		}
		char w[200];
		who(files, f, nfiles, w, sizeof w);
		const json_t *ebpf = json_object_get(json_object_get(files[f].doc, "probes"), "ebpf");
		const char *why = json_string_value(json_object_get(ebpf, "reason"));
		if (f == 0 && nfiles > 2)
			add_note(notes,
				 "%s has no probe counters (%s): count metrics compare the files after it with "
				 "the first that has them instead",
				 w, why ? why : "no counters in its runs");
		else
			add_note(notes, "%s has no probe counters (%s): count metrics are not comparable against it", w,
				 why ? why : "no counters in its runs");
	}
	if (count_ref > 0) {
		if (count_ref + 1 < nfiles)
			add_note(notes, "count metrics: every file is compared with %s, the first with probe counters",
				 files[count_ref].label);
		else
			count_ref = 0; /* only the last has counters: nothing to compare them with */
	}
	json_object_set_new(out, "count_reference", json_integer((json_int_t)count_ref));

	/* The union of the cells, in the order they first appear. */
	struct table t = {.index = json_object(), .groups = json_object()};
	for (size_t f = 0; f < nfiles; f++) {
		const json_t *results = json_object_get(files[f].doc, "results");
		for (size_t i = 0; i < json_array_size(results); i++) {
			const json_t *cj = json_array_get(results, i);
			bool created;
			struct entry *e = table_find(&t, cj, &created);
			if (!created && e->cell[f]) {
				char w[200];
				who(files, f, nfiles, w, sizeof w);
				add_note(notes, "%s holds cell %s/%s twice (results[%zu]); the first is compared", w,
					 e->strategy, e->workload, i);
				continue;
			}
			e->cell[f] = cj;
		}
	}
	make_labels(&t);

	/* Run counts. */
	size_t nruns_max = 1;
	for (size_t f = 0; f < nfiles; f++) {
		size_t few = 0, fewest = (size_t)-1, ok = 0;
		for (size_t k = 0; k < t.n; k++) {
			const json_t *cj = t.e[k].cell[f];
			if (cj && json_array_size(json_object_get(cj, "runs")) > nruns_max)
				nruns_max = json_array_size(json_object_get(cj, "runs"));
			if (!is_ok(cj))
				continue;
			ok++;
			const json_t *runs = json_object_get(cj, "runs");
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
					 "cells with fewer than %d are not compared, the others' tests are weak",
					 ZC_COMPARE_MIN_RUNS);
			else
				snprintf(why, sizeof why,
					 "tests are weak with %zu runs a side; deterministic counts are still judged",
					 fewest);
			add_note(warnings, "%s: %zu of %zu cells have fewer than %d measured runs (fewest: %zu): %s", w,
				 few, ok, ZC_COMPARE_WARN_RUNS, fewest, why);
		}
	}

	struct ctx c = {.files = files,
			.nfiles = nfiles,
			.o = o,
			.t = &t,
			.metrics = metrics,
			.nmetrics = nmetrics,
			.count_ref = count_ref};
	size_t nj = t.n * nmetrics * nfiles;
	c.speed = calloc(nfiles, sizeof *c.speed);
	c.timing_off = calloc(nfiles, sizeof *c.timing_off);
	c.timing_why = calloc(nfiles, sizeof *c.timing_why);
	c.judged = calloc(nj ? nj : 1, sizeof *c.judged);
	c.q = calloc(nj ? nj : 1, sizeof *c.q);
	c.how = calloc(nj ? nj : 1, sizeof *c.how);
	c.how_keys = json_array();
	c.how_index = json_object();
	c.ref = calloc(t.n * nfiles + 1, sizeof *c.ref);
	c.nc_cache = json_object();
	c.ref_done = calloc(t.n * nfiles + 1, sizeof *c.ref_done);
	c.p = calloc(nj ? nj : 1, sizeof *c.p);
	for (size_t q = 0; q < 4; q++)
		c.buf[q] = malloc(nruns_max * sizeof *c.buf[q]);
	for (size_t q = 0; q < 2; q++)
		c.ibuf[q] = malloc(nruns_max * sizeof *c.ibuf[q]);
	if (!c.speed || !c.timing_off || !c.timing_why || !c.judged || !c.q || !c.how || !c.p || !c.ref ||
	    !c.ref_done || !c.buf[0] || !c.buf[1] || !c.buf[2] || !c.buf[3] || !c.ibuf[0] || !c.ibuf[1])
		abort();
	machine_state(&c, notes, warnings, jfiles);

	/* Judge everything, then adjust each column's p-values together: the
	 * family is every test of that file against its reference. */
	double *fam = malloc((nj ? nj : 1) * sizeof *fam);
	size_t *fam_at = malloc((nj ? nj : 1) * sizeof *fam_at);
	if (!fam || !fam_at)
		abort();
	json_t *tests = json_array();
	for (size_t f = 0; f < nfiles; f++) {
		size_t m = 0;
		for (size_t k = 0; k < t.n; k++)
			for (size_t i = 0; i < nmetrics; i++) {
				size_t at = AT(&c, k, i, f);
				if (!c.judged[at])
					judge_first(&c, k, i, f);
				if (!isnan(c.p[at])) {
					fam[m] = c.p[at];
					fam_at[m++] = at;
				}
			}
		json_array_append_new(tests, json_integer((json_int_t)m));
		/* Say how the timings of this column were referenced. */
		json_t *how = json_object();
		for (size_t k = 0; k < t.n; k++)
			for (size_t i = 0; i < nmetrics; i++) {
				int h = c.how[AT(&c, k, i, f)];
				if (h < 0)
					continue;
				const char *key = json_string_value(json_array_get(c.how_keys, (size_t)h));
				json_object_set_new(how, key,
						    json_integer(json_integer_value(json_object_get(how, key)) + 1));
			}
		if (f > 0 && json_object_size(how)) {
			char w[200], text[900] = "";
			who(files, f, nfiles, w, sizeof w);
			const char *key;
			json_t *val;
			json_object_foreach(how, key, val)
			{
				size_t l = strlen(text);
				snprintf(text + l, sizeof text - l, "%s%" JSON_INTEGER_FORMAT " against %s",
					 l ? "; " : "", json_integer_value(val), key);
			}
			add_note(notes, "%s: timing judgements: %s", w, text);
		}
		json_object_set_new(jfiles_at(jfiles, f), "references", how);
		if (zc_bh_adjust(fam, m, fam) != 0)
			abort();
		for (size_t q = 0; q < m; q++)
			c.q[fam_at[q]] = fam[q];
	}
	free(fam);
	free(fam_at);
	json_object_set_new(out, "tests", tests);

	/* The cells, in order, each judged again (the same judgement: every
	 * baseline's drift check is decided) and given to the sink, with the
	 * counts and the regressions. */
	json_object_set_new(out, "notes", notes);
	json_object_set_new(out, "warnings", warnings);
	sink->head(sink->arg, out);
	json_t *regressions = json_array();
	size_t counts[5] = {0}, cells_not_compared = 0;
	static const char *const verdicts[] = {"regression", "improvement", "unchanged", "not_significant",
					       "not_comparable"};
	json_t *missing = json_array();
	for (size_t f = 0; f < nfiles; f++)
		json_array_append_new(missing, json_integer(0));
	json_t *metric_cache = json_object();
	for (size_t k = 0; k < t.n; k++) {
		const struct entry *e = &t.e[k];
		json_t *jc = json_pack("{s:s,s:s,s:s,s:O}", "label", e->label, "strategy", e->strategy, "workload",
				       e->workload, "params", e->params ? (json_t *)e->params : json_null());
		const json_t *ch = json_object_get(e->params, "chunk_bytes"),
			     *sz = json_object_get(e->params, "size_bytes");
		json_object_set_new(jc, "chunk_bytes", json_is_integer(ch) ? json_incref((json_t *)ch) : json_null());
		json_object_set_new(jc, "size_bytes", json_is_integer(sz) ? json_incref((json_t *)sz) : json_null());
		json_t *status = json_array(), *reasons = json_array();
		for (size_t f = 0; f < nfiles; f++) {
			const json_t *cf = e->cell[f];
			json_array_append_new(status, cf ? json_string(status_of(cf)) : json_null());
			const json_t *r = json_object_get(cf, "reason");
			json_array_append_new(reasons, json_is_string(r) ? json_incref((json_t *)r) : json_null());
			if (!cf)
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
			if (v || !is_ok(b) || !is_ok(x))
				cells_not_compared++;
			if (!v && is_ok(b) && strcmp(status_of(x), "failed") == 0) {
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
			size_t rf = m->kind == ZC_METRIC_COUNT ? count_ref : 0;
			json_t *values = json_array(), *vs = json_array();
			for (size_t f = 0; f < nfiles; f++) {
				const json_t *cf = e->cell[f];
				long n = is_ok(cf) ? zc_metric_samples(cf, m, c.buf[0]) : -1;
				json_array_append_new(values, n > 0 ? json_pack("{s:f,s:I}", "median",
										zc_median(c.buf[0], (size_t)n), "runs",
										(json_int_t)n)
								    : json_null());
				json_t *j = judge(&c, k, i, f);
				bool tested = json_is_number(json_object_get(j, "p"));
				decide(j, tested ? c.q[AT(&c, k, i, f)] : NAN, o->alpha);
				const char *v = json_string_value(json_object_get(j, "verdict"));
				/* Cells not compared at all are counted once, above, not per metric. */
				bool both = is_ok(e->cell[rf]) && is_ok(cf) && f != rf;
				for (size_t q = 0; q < 5 && v && both; q++)
					if (strcmp(v, verdicts[q]) == 0)
						counts[q]++;
				if (v && strcmp(v, "regression") == 0) {
					json_t *r = json_pack("{s:s,s:s,s:s}", "cell", e->label, "metric", m->name,
							      "file", files[f].label);
					json_object_set(r, "change", json_object_get(j, "change"));
					json_object_set(r, "p", json_object_get(j, "p"));
					json_object_set(r, "p_adjusted", json_object_get(j, "p_adjusted"));
					json_array_append_new(regressions, r);
				}
				json_array_append_new(vs, j ? j : json_null());
			}
			json_object_set_new(jm, m->name, metric_entry(metric_cache, values, vs, rf));
		}
		json_object_set_new(jc, "metrics", jm);
		sink->cell(sink->arg, jc);
		json_decref(jc);
	}
	for (size_t q = 0; q < 4; q++)
		free(c.buf[q]);
	for (size_t q = 0; q < 2; q++)
		free(c.ibuf[q]);
	free(c.speed);
	free(c.timing_off);
	free(c.timing_why);
	free(c.judged);
	free(c.q);
	free(c.how);
	json_decref(c.how_keys);
	json_decref(c.how_index);
	free(c.p);
	free(c.ref);
	free(c.ref_done);
	json_decref(c.nc_cache);
	json_decref(metric_cache);
	table_free(&t);
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

/* zc_compare's sink: the cells kept in the document, where they stand. */
static void keep_head(void *arg, json_t *doc)
{
	json_t *cells = json_array();
	json_object_set_new(doc, "cells", cells);
	*(json_t **)arg = cells;
}

static void keep_cell(void *arg, json_t *cell)
{
	json_array_append(*(json_t **)arg, cell);
}

json_t *zc_compare(const struct zc_cmp_file *files, size_t nfiles, const struct zc_cmp_opts *o)
{
	json_t *cells = NULL;
	struct zc_cmp_sink keep = {keep_head, keep_cell, &cells};
	return zc_compare_stream(files, nfiles, o, &keep);
}
