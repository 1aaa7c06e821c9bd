/* Reading result files for the report: checks that each is a zcbench result
 * file, then pulls out every figure the report shows. Anything missing, null
 * or of the wrong type is "not measured", never a crash and never 0. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../calibrate.h"
#include "report.h"
#include "report_model.h"

/* Cells and verdicts measured against a remote peer (--peer) are their own
 * rows: their workload reads "file-tcp (remote)" in every table and figure,
 * never mixed with loopback ones. */
static void label_remote(json_t *doc)
{
	const char *keys[] = {"results", "verdicts"};
	for (size_t k = 0; k < 2; k++) {
		json_t *arr = json_object_get(doc, keys[k]);
		for (size_t i = 0; i < json_array_size(arr); i++) {
			json_t *c = json_array_get(arr, i);
			const char *net = zc_jstr(c, "params.network"), *wl = zc_jstr(c, "workload");
			if (!net || strcmp(net, "remote") != 0 || !wl)
				continue;
			char label[160];
			snprintf(label, sizeof label, "%s (remote)", wl);
			json_object_set_new(c, "workload", json_string(label));
		}
	}
}

static int load_one(struct zc_rfile *f, const char *path, char *err, size_t err_len)
{
	memset(f, 0, sizeof *f);
	f->path = path;
	const char *slash = strrchr(path, '/');
	f->base = slash ? slash + 1 : path;
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
		return ZC_REPORT_BAD_INPUT;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, err_len, "%s is not a regular file", path);
		return ZC_REPORT_BAD_INPUT;
	}
	json_error_t je;
	f->doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!f->doc) {
		snprintf(err, err_len, "%s is not valid JSON: %s (line %d, column %d)", path, je.text, je.line,
			 je.column);
		return ZC_REPORT_BAD_INPUT;
	}
	const char *schema = zc_jstr(f->doc, "schema");
	if (!json_is_object(f->doc) || !schema) {
		snprintf(err, err_len,
			 "%s is not a zcbench result file (no \"schema\": \"zcbench/...\" at the top level)", path);
		return ZC_REPORT_BAD_INPUT;
	}
	if (strncmp(schema, "zcbench/", 8) != 0) {
		snprintf(err, err_len,
			 "%s is not a zcbench result file (schema is \"%.64s\", expected \"zcbench/...\")", path,
			 schema);
		return ZC_REPORT_BAD_INPUT;
	}
	const json_t *results = json_object_get(f->doc, "results");
	if (!json_is_array(results)) {
		snprintf(err, err_len, "%s has no \"results\" array (schema %.64s)", path, schema);
		return ZC_REPORT_BAD_INPUT;
	}
	for (size_t i = 0; i < json_array_size(results); i++) {
		if (!json_is_object(json_array_get(results, i))) {
			snprintf(err, err_len, "%s: results[%zu] is not an object", path, i);
			return ZC_REPORT_BAD_INPUT;
		}
	}
	label_remote(f->doc);
	const json_t *host = json_object_get(f->doc, "host");
	f->host = json_is_object(host) ? host : NULL;
	const json_t *probes = json_object_get(f->doc, "probes");
	f->probes = json_is_object(probes) ? probes : NULL;
	const json_t *cal = f->host ? json_object_get(f->host, "calibration") : NULL;
	f->calibration = json_is_object(cal) ? cal : NULL;
	const json_t *hf = json_object_get(f->doc, "hyperfine");
	f->hyperfine = json_is_object(hf) ? hf : NULL;
	f->kernel = zc_jstr(f->doc, "host.kernel_release");
	if (!f->kernel)
		f->kernel = "unknown kernel";
	f->interrupted = json_is_true(json_object_get(f->doc, "interrupted"));
	f->has_verdicts = json_is_array(json_object_get(f->doc, "verdicts"));
	const json_t *warn = json_object_get(f->doc, "warnings");
	f->warnings = json_is_array(warn) ? warn : NULL;
	zc_shutdown_opts_parse(json_object_get(f->doc, "command"), &f->shutdown);
	if (f->calibration) {
		f->memcpy_bps.ok = zc_calibrate_memcpy_bps(f->calibration, &f->memcpy_bps.v) == 0;
		f->syscall_ns.ok = zc_calibrate_syscall_ns(f->calibration, &f->syscall_ns.v) == 0;
		f->pipe_bps.ok = zc_calibrate_pipe_bps(f->calibration, &f->pipe_bps.v) == 0;
	}
	return ZC_REPORT_OK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median over the measured runs of a getrusage count per GiB moved. */
static struct zc_val runs_median_per_gib(const json_t *runs, const char *key)
{
	struct zc_val out = {false, 0};
	size_t n = json_array_size(runs), m = 0;
	if (n == 0)
		return out;
	double *v = calloc(n, sizeof *v);
	if (!v)
		return out;
	for (size_t i = 0; i < n; i++) {
		const json_t *run = json_array_get(runs, i);
		if (json_is_true(json_object_get(run, "warmup")))
			continue;
		struct zc_val x = zc_jnum(run, key), bytes = zc_jnum(run, "bytes");
		if (x.ok && bytes.ok && bytes.v > 0)
			v[m++] = x.v * GIB_BYTES / bytes.v;
	}
	if (m) {
		qsort(v, m, sizeof *v, cmp_double);
		out.ok = true;
		out.v = m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
	}
	free(v);
	return out;
}

static void extract_cell(struct zc_rcell *c)
{
	const json_t *j = c->j;
	c->strategy = zc_jstr(j, "strategy");
	if (!c->strategy)
		c->strategy = "(unnamed strategy)";
	c->workload_name = zc_jstr(j, "workload_label"); /* off loopback: a row of its own */
	if (!c->workload_name)
		c->workload_name = zc_jstr(j, "workload");
	if (!c->workload_name)
		c->workload_name = "(unnamed workload)";
	c->status = zc_jstr(j, "status");
	if (!c->status)
		c->status = "unknown";
	c->reason = zc_jstr(j, "reason");
	c->path = zc_jstr(j, "path");
	const json_t *sees = json_object_get(j, "sees_data");
	c->sees_data = json_is_boolean(sees) ? json_is_true(sees) : -1;
	c->chunk = zc_jnum(j, "params.chunk_bytes");
	c->size = zc_jnum(j, "params.size_bytes");

	const json_t *s = json_object_get(j, "summary");
	c->runs = zc_jnum(s, "runs");
	c->outliers = zc_jnum(s, "outliers");
	c->tput = zc_jnum(s, "throughput_bps.median");
	c->tput_lo = zc_jnum(s, "throughput_bps.ci95_low");
	c->tput_hi = zc_jnum(s, "throughput_bps.ci95_high");
	c->ci_level = zc_jnum(s, "throughput_bps.ci_level");
	c->ok = strcmp(c->status, "ok") == 0 && c->tput.ok;
	c->cpu_user = zc_jnum(s, "cpu_ns_per_gib.user");
	c->cpu_sys = zc_jnum(s, "cpu_ns_per_gib.sys");
	c->task_clock = zc_jnum(s, "perf_per_gib.task_clock");
	c->syscalls = zc_jnum(s, "syscalls_per_gib");
	c->csw_vol = zc_jnum(s, "context_switches_per_gib.voluntary");
	c->csw_invol = zc_jnum(s, "context_switches_per_gib.involuntary");
	c->csw_from_probe = c->csw_vol.ok && c->csw_invol.ok;
	if (!c->csw_from_probe) {
		const json_t *runs = json_object_get(j, "runs");
		c->csw_vol = runs_median_per_gib(runs, "voluntary_ctxt_switches");
		c->csw_invol = runs_median_per_gib(runs, "involuntary_ctxt_switches");
	}
	c->verdict = -1;
	/* Why the bytes crossing are null: the first measured run's reason. */
	const json_t *runs_arr = json_object_get(j, "runs");
	for (size_t i = 0; i < json_array_size(runs_arr) && !c->bytes_reason; i++)
		c->bytes_reason = zc_jstr(json_array_get(runs_arr, i), "counters.bytes.reason");
	c->to_user = zc_jnum(s, "bytes_to_user_per_gib");
	c->from_user = zc_jnum(s, "bytes_from_user_per_gib");
	c->in_kernel = zc_jnum(s, "bytes_in_kernel_per_gib");
	const json_t *perf = json_object_get(s, "perf_per_gib");
	c->perf = json_is_object(perf) ? perf : NULL;
	c->victim_ratio = zc_jnum(s, "victim.ratio");
	c->victim_ns = zc_jnum(s, "victim.ns_per_line");
	c->victim_base = zc_jnum(s, "victim.baseline_ns_per_line");

	const json_t *hf = json_object_get(j, "hyperfine");
	if (json_is_object(hf)) {
		const char *st = zc_jstr(hf, "status");
		c->hf_median = zc_jnum(hf, "median_ns");
		c->hf = (!st || strcmp(st, "ok") == 0) && c->hf_median.ok;
		c->hf_reason = zc_jstr(hf, "reason");
		c->hf_runs = zc_jnum(hf, "runs");
		c->hf_mean = zc_jnum(hf, "mean_ns");
		c->hf_stddev = zc_jnum(hf, "stddev_ns");
		c->hf_min = zc_jnum(hf, "min_ns");
		c->hf_max = zc_jnum(hf, "max_ns");
	}
	zc_shutdown_extract(c);
}

/* Params that tell cells apart, in the order labels show them. */
static const struct {
	const char *key, *shown;
	bool bytes;
} known_params[] = {
	{"chunk_bytes", "chunk", true}, {"size_bytes", "size", true},	   {"transfers", "transfers", false},
	{"alloc", "alloc", false},	{"pipe_size_bytes", "pipe", true}, {"dest", "dest", false},
	{"drain", "drain", false},
};

static void param_text(const json_t *v, bool bytes, char *buf, size_t len)
{
	if (json_is_string(v))
		snprintf(buf, len, "%.40s", json_string_value(v));
	else if (json_is_number(v) && bytes)
		zc_fmt_bytes_short(json_number_value(v), buf, len);
	else if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "yes" : "no");
	else
		snprintf(buf, len, "none");
}

/* Whether param key differs among the cells sharing c's workload and strategy. */
static bool param_varies(const struct zc_report *r, const struct zc_rcell *c, const char *key)
{
	const json_t *mine = json_object_get(json_object_get(c->j, "params"), key);
	for (size_t i = 0; i < r->ncells; i++) {
		const struct zc_rcell *o = &r->cells[i];
		if (o == c || o->workload != c->workload || strcmp(o->strategy, c->strategy) != 0)
			continue;
		const json_t *theirs = json_object_get(json_object_get(o->j, "params"), key);
		if (!mine != !theirs || (mine && !json_equal(mine, theirs)))
			return true;
	}
	return false;
}

static bool is_known_param(const char *key)
{
	for (size_t i = 0; i < sizeof known_params / sizeof known_params[0]; i++)
		if (strcmp(key, known_params[i].key) == 0)
			return true;
	return false;
}

static void label_cell(const struct zc_report *r, struct zc_rcell *c)
{
	snprintf(c->label, sizeof c->label, "%s", c->strategy);
	snprintf(c->series, sizeof c->series, "%s", c->strategy);
	const json_t *params = json_object_get(c->j, "params");
	char val[64];
	for (size_t i = 0; i < sizeof known_params / sizeof known_params[0]; i++) {
		if (!param_varies(r, c, known_params[i].key))
			continue;
		param_text(json_object_get(params, known_params[i].key), known_params[i].bytes, val, sizeof val);
		size_t n = strlen(c->label);
		snprintf(c->label + n, sizeof c->label - n, " %s=%s", known_params[i].shown, val);
		if (i == 0)
			continue; /* the chunk size is the sweep's x axis, not part of its line */
		n = strlen(c->series);
		snprintf(c->series + n, sizeof c->series - n, " %s=%s", known_params[i].shown, val);
	}
	/* Params this version does not know, so such cells still read apart. */
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)params, key, v)
	{
		if (is_known_param(key) || !param_varies(r, c, key))
			continue;
		param_text(v, strstr(key, "bytes") != NULL, val, sizeof val);
		size_t n = strlen(c->label);
		snprintf(c->label + n, sizeof c->label - n, " %.24s=%s", key, val);
		n = strlen(c->series);
		snprintf(c->series + n, sizeof c->series - n, " %.24s=%s", key, val);
	}
}

static size_t workload_index(struct zc_report *r, const char *name)
{
	for (size_t i = 0; i < r->nworkloads; i++)
		if (strcmp(r->workloads[i], name) == 0)
			return i;
	r->workloads[r->nworkloads] = name;
	return r->nworkloads++;
}

static int add_perf_name(struct zc_report *r, const char *name)
{
	for (size_t i = 0; i < r->nperf; i++)
		if (strcmp(r->perf_names[i], name) == 0)
			return 0;
	char **p = realloc(r->perf_names, (r->nperf + 1) * sizeof *p);
	if (!p)
		return -1;
	r->perf_names = p;
	if (!(p[r->nperf] = strdup(name)))
		return -1;
	r->nperf++;
	return 0;
}

int zc_report_load(struct zc_report *r, const char *const *files, size_t nfiles, char *err, size_t err_len)
{
	memset(r, 0, sizeof *r);
	if (nfiles == 0) {
		snprintf(err, err_len, "no result files given");
		return ZC_REPORT_BAD_INPUT;
	}
	if (nfiles > ZC_REPORT_MAX_FILES) {
		snprintf(err, err_len, "%zu result files given; a report takes at most %d", nfiles,
			 ZC_REPORT_MAX_FILES);
		return ZC_REPORT_BAD_INPUT;
	}
	r->files = calloc(nfiles, sizeof *r->files);
	if (!r->files)
		goto oom;
	size_t total = 0;
	for (size_t i = 0; i < nfiles; i++) {
		int rc = load_one(&r->files[i], files[i], err, err_len);
		r->nfiles = i + 1;
		if (rc != ZC_REPORT_OK)
			return rc;
		total += json_array_size(json_object_get(r->files[i].doc, "results"));
	}
	/* Labels: the kernel release, numbered where files share one. */
	for (size_t i = 0; i < nfiles; i++) {
		struct zc_rfile *f = &r->files[i];
		bool shared = false;
		for (size_t k = 0; k < nfiles; k++)
			shared |= k != i && strcmp(r->files[k].kernel, f->kernel) == 0;
		if (shared)
			snprintf(f->label, sizeof f->label, "%.100s #%zu", f->kernel, i + 1);
		else
			snprintf(f->label, sizeof f->label, "%.120s", f->kernel);
	}
	r->cells = calloc(total ? total : 1, sizeof *r->cells);
	r->workloads = calloc(total ? total : 1, sizeof *r->workloads);
	if (!r->cells || !r->workloads)
		goto oom;
	for (size_t i = 0; i < nfiles; i++) {
		const json_t *results = json_object_get(r->files[i].doc, "results");
		for (size_t k = 0; k < json_array_size(results); k++) {
			struct zc_rcell *c = &r->cells[r->ncells++];
			c->file = i;
			c->j = json_array_get(results, k);
			extract_cell(c);
			c->workload = workload_index(r, c->workload_name);
			r->files[i].any_hyperfine |= c->hf;
			const char *name;
			const json_t *v;
			if (c->perf)
				json_object_foreach((json_t *)c->perf, name, v)
				{
					if (json_is_number(v) && add_perf_name(r, name) != 0)
						goto oom;
				}
		}
	}
	for (size_t i = 0; i < r->ncells; i++)
		label_cell(r, &r->cells[i]);
	if (zc_verdicts_load(r) != 0)
		goto oom;
	return ZC_REPORT_OK;
oom:
	snprintf(err, err_len, "out of memory");
	return ZC_REPORT_FAILED;
}

void zc_report_free(struct zc_report *r)
{
	for (size_t i = 0; i < r->nfiles; i++)
		json_decref(r->files[i].doc);
	for (size_t i = 0; i < r->nperf; i++)
		free(r->perf_names[i]);
	free(r->perf_names);
	free(r->files);
	free(r->cells);
	free(r->workloads);
	free(r->figs);
	free(r->verdicts);
	json_decref(r->compare);
	memset(r, 0, sizeof *r);
}

struct zc_val zc_cell_memcpy_fraction(const struct zc_report *r, const struct zc_rcell *c)
{
	const struct zc_rfile *f = &r->files[c->file];
	struct zc_val v = {false, 0};
	if (c->ok && f->memcpy_bps.ok) {
		v.ok = true;
		v.v = c->tput.v / f->memcpy_bps.v;
	}
	return v;
}

struct zc_val zc_cell_cpu_ns(const struct zc_rcell *c, bool *from_task_clock)
{
	struct zc_val v = {false, 0};
	*from_task_clock = false;
	if (c->task_clock.ok && c->task_clock.v > 0) {
		*from_task_clock = true;
		v = c->task_clock;
	} else if (c->cpu_user.ok && c->cpu_sys.ok && c->cpu_user.v + c->cpu_sys.v > 0) {
		v.ok = true;
		v.v = c->cpu_user.v + c->cpu_sys.v;
	}
	return v;
}

struct zc_val zc_cell_syscall_share(const struct zc_report *r, const struct zc_rcell *c)
{
	const struct zc_rfile *f = &r->files[c->file];
	bool tc;
	struct zc_val cpu = zc_cell_cpu_ns(c, &tc), v = {false, 0};
	if (c->ok && f->syscall_ns.ok && c->syscalls.ok && cpu.ok) {
		v.ok = true;
		v.v = c->syscalls.v * f->syscall_ns.v / cpu.v;
	}
	return v;
}

struct zc_val zc_cell_hf_bps(const struct zc_rcell *c)
{
	struct zc_val v = {false, 0};
	if (c->hf && c->size.ok && c->hf_median.v > 0) {
		v.ok = true;
		v.v = c->size.v * 1e9 / c->hf_median.v;
	}
	return v;
}

void zc_probe_note(const struct zc_rfile *f, char *buf, size_t len)
{
	const char *st = zc_jstr(f->probes, "ebpf.status");
	const char *why = zc_jstr(f->probes, "ebpf.reason");
	if (!f->probes)
		snprintf(buf, len, "no probes recorded in this file");
	else if (!st)
		snprintf(buf, len, "eBPF status not recorded");
	else if (strcmp(st, "ok") == 0)
		snprintf(buf, len, "ok");
	else
		snprintf(buf, len, "%s%s%s", st, why ? ": " : "", why ? why : "");
}

/* Perf counters the report treats as hardware ones (the PMU), as named by
 * the probes. */
static bool is_hw_counter(const char *name)
{
	static const char *const hw[] = {"cycles",
					 "instructions",
					 "cache_references",
					 "cache_misses",
					 "l1d_read_misses",
					 "llc_read_misses",
					 "branches",
					 "branch_misses",
					 "stalled_cycles_frontend",
					 "stalled_cycles_backend",
					 "ref_cycles"};
	for (size_t i = 0; i < sizeof hw / sizeof hw[0]; i++)
		if (strcmp(name, hw[i]) == 0)
			return true;
	return false;
}

void zc_perf_missing_note(const struct zc_report *r, char *buf, size_t len)
{
	buf[0] = 0;
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct zc_rfile *f = &r->files[i];
		const json_t *perf = f->probes ? json_object_get(f->probes, "perf") : NULL;
		char names[256] = "", why[160] = "";
		if (!json_is_object(perf)) {
			snprintf(names, sizeof names, "all perf counters");
			snprintf(why, sizeof why, "no perf probe in this file");
		} else {
			const char *name;
			const json_t *v;
			json_object_foreach((json_t *)perf, name, v)
			{
				const char *st = zc_jstr(v, "status");
				if (!is_hw_counter(name) || (st && strcmp(st, "ok") == 0))
					continue;
				size_t n = strlen(names);
				snprintf(names + n, sizeof names - n, "%s%s", n ? ", " : "", name);
				const char *reason = zc_jstr(v, "reason");
				if (!why[0])
					snprintf(why, sizeof why, "%s", reason ? reason : st ? st : "no status");
			}
		}
		if (!names[0])
			continue;
		size_t n = strlen(buf);
		if (r->nfiles > 1)
			snprintf(buf + n, len - n, "%s%s: %s not measured (%s)", n ? "; " : "", f->label, names, why);
		else
			snprintf(buf + n, len - n, "%s not measured on this machine (%s)", names, why);
	}
}
