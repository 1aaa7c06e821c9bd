#include "verdicts.h"

#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "result_json.h"
#include "stats.h"

/* Everything but the strategy (and the chunk really used, which follows from
 * the strategy when no chunk was asked for). */
bool zc_same_group(const struct zc_cell_params *a, const struct zc_cell_params *b)
{
	return a->workload == b->workload && a->size == b->size && a->streams == b->streams &&
	       a->transfers == b->transfers && a->chunk == b->chunk && a->pipe_size == b->pipe_size && a->qd == b->qd &&
	       a->iovecs == b->iovecs && a->populate == b->populate && a->madv_sequential == b->madv_sequential &&
	       a->alloc == b->alloc && a->inspect == b->inspect && a->dest_fresh == b->dest_fresh &&
	       a->cache_cold == b->cache_cold && a->drain == b->drain && a->checkpoint_ms == b->checkpoint_ms &&
	       a->deadlines == b->deadlines && a->shutdown_after_ns == b->shutdown_after_ns &&
	       a->stall_after == b->stall_after && a->kill_after_ns == b->kill_after_ns &&
	       a->victim_bytes == b->victim_bytes && a->ktls == b->ktls && a->net_path == b->net_path &&
	       a->mtu == b->mtu && a->udp_rcvbuf == b->udp_rcvbuf && a->udp_gro == b->udp_gro;
}

static double run_bps(const struct zc_run *r)
{
	return (double)r->bytes * 1e9 / (double)r->w.elapsed_ns;
}

static bool counts(const struct zc_run *r)
{
	return !r->warmup && r->measured && r->w.elapsed_ns > 0 && r->bytes > 0;
}

static bool has_runs(const struct zc_cell *c)
{
	if (c->status != ZC_OK)
		return false;
	for (size_t i = 0; i < c->nruns; i++)
		if (counts(&c->runs[i]))
			return true;
	return false;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void zc_paired_interval(const double *ratios, size_t n, struct zc_verdict *v)
{
	double *s = malloc((n ? n : 1) * sizeof *s);
	if (!s)
		abort();
	memcpy(s, ratios, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_double);
	v->rounds = n;
	v->ratio = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
	size_t j;
	v->ci_level = zc_median_ci_rank(n, ZC_VERDICT_LEVEL, &j);
	v->ci_low = s[j];
	v->ci_high = s[n - 1 - j];
	/* Too few rounds: even [min, max] covers less than the level asked. */
	v->decided = v->ci_level >= ZC_VERDICT_LEVEL && (v->ci_low > 1.0 || v->ci_high < 1.0);
	v->faster = v->decided && v->ci_low > 1.0;
	free(s);
}

size_t zc_paired_ratios(const struct zc_cell *c, const struct zc_cell *b, double *out)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nruns; i++) {
		const struct zc_run *r = &c->runs[i];
		if (!counts(r))
			continue;
		for (size_t k = 0; k < b->nruns; k++) {
			const struct zc_run *q = &b->runs[k];
			if (counts(q) && q->round == r->round) {
				out[n++] = run_bps(r) / run_bps(q);
				break;
			}
		}
	}
	return n;
}

static size_t pick_baseline(const struct zc_cell *cells, const size_t *members, size_t nm, const char *asked,
			    bool *asked_found)
{
	*asked_found = true;
	for (size_t i = 0; i < nm; i++)
		if (strcmp(cells[members[i]].p.strategy->name, asked) == 0)
			return members[i];
	*asked_found = false;
	for (size_t i = 0; i < nm; i++)
		if (cells[members[i]].p.strategy->sees_data)
			return members[i];
	return members[0];
}

static int cmp_rank(const void *a, const void *b)
{
	const struct zc_verdict *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	/* Decided ones by ratio; an undecided one sits at its median too. */
	return (x->ratio < y->ratio) - (x->ratio > y->ratio);
}

void zc_verdicts_compute(const struct zc_cell *cells, size_t ncells, const char *asked, struct zc_verdicts *out)
{
	if (!asked)
		asked = ZC_VERDICT_DEFAULT_BASELINE;
	*out = (struct zc_verdicts){0};
	out->v = calloc(ncells ? ncells : 1, sizeof *out->v);
	size_t *group = malloc((ncells ? ncells : 1) * sizeof *group);
	size_t *members = malloc((ncells ? ncells : 1) * sizeof *members);
	if (!out->v || !group || !members)
		abort();
	for (size_t i = 0; i < ncells; i++)
		group[i] = SIZE_MAX;
	for (size_t i = 0; i < ncells; i++) {
		if (group[i] != SIZE_MAX || !has_runs(&cells[i]))
			continue;
		size_t g = out->ngroups++, nm = 0;
		for (size_t k = i; k < ncells; k++)
			if (group[k] == SIZE_MAX && has_runs(&cells[k]) && zc_same_group(&cells[i].p, &cells[k].p)) {
				group[k] = g;
				members[nm++] = k;
			}
		bool found;
		size_t b = pick_baseline(cells, members, nm, asked, &found);
		const struct zc_cell *bc = &cells[b];
		size_t cap = bc->nruns ? bc->nruns : 1;
		double *ratios = malloc(cap * sizeof *ratios);
		if (!ratios)
			abort();
		for (size_t m = 0; m < nm; m++) {
			const struct zc_cell *c = &cells[members[m]];
			struct zc_verdict *v = &out->v[out->n];
			*v = (struct zc_verdict){
				.cell = members[m], .baseline = b, .group = g, .baseline_asked = found};
			if (members[m] == b) {
				v->ratio = v->ci_low = v->ci_high = 1.0;
				v->ci_level = 0;
				for (size_t k = 0; k < bc->nruns; k++)
					v->rounds += counts(&bc->runs[k]);
			} else {
				if (c->nruns > cap) {
					cap = c->nruns;
					double *more = realloc(ratios, cap * sizeof *ratios);
					if (!more)
						abort();
					ratios = more;
				}
				size_t n = zc_paired_ratios(c, bc, ratios);
				if (n == 0)
					continue; /* no round in common: nothing to say */
				zc_paired_interval(ratios, n, v);
			}
			if (c->chunk != bc->chunk)
				snprintf(v->unequal, sizeof v->unequal, "chunk");
			out->n++;
		}
		free(ratios);
	}
	qsort(out->v, out->n, sizeof *out->v, cmp_rank);
	for (size_t i = 0; i < out->n; i++)
		out->v[i].rank = i > 0 && out->v[i - 1].group == out->v[i].group ? out->v[i - 1].rank + 1 : 1;
	free(group);
	free(members);
}

void zc_verdicts_free(struct zc_verdicts *vs)
{
	free(vs->v);
	*vs = (struct zc_verdicts){0};
}

bool zc_verdicts_all_decided(const struct zc_verdicts *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		if (vs->v[i].cell != vs->v[i].baseline && !vs->v[i].decided)
			return false;
	return true;
}

json_t *zc_verdicts_json(const struct zc_cell *cells, const struct zc_verdicts *vs)
{
	json_t *a = json_array();
	for (size_t i = 0; i < vs->n; i++) {
		const struct zc_verdict *v = &vs->v[i];
		const struct zc_cell *c = &cells[v->cell];
		bool self = v->cell == v->baseline;
		json_t *unequal = json_array();
		if (v->unequal[0])
			json_array_append_new(unequal, json_string(v->unequal));
		json_t *o = json_pack(
			"{s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:b,s:f,s:f,s:f,s:f,s:s,s:b,s:o,s:I,s:I,s:o,s:b}", "workload",
			c->p.workload->name, "strategy", c->p.strategy->name, "baseline",
			cells[v->baseline].p.strategy->name, "metric", "throughput", "chunk_bytes",
			(json_int_t)c->chunk, "baseline_chunk_bytes", (json_int_t)cells[v->baseline].chunk,
			"size_bytes", (json_int_t)c->p.size, "sees_data", c->p.strategy->sees_data, "ratio", v->ratio,
			"ci_low", v->ci_low, "ci_high", v->ci_high, "ci_level", v->ci_level, "ci_method", "sign-exact",
			"decided", !self && v->decided, "faster",
			!self && v->decided ? json_boolean(v->faster) : json_null(), "rounds", (json_int_t)v->rounds,
			"rank", (json_int_t)v->rank, "unequal", unequal, "baseline_asked", v->baseline_asked);
		json_object_set_new(o, "params", zc_cell_params_json(c));
		if (c->p.net_path != ZC_NET_LOOPBACK || c->p.remote) {
			char label[96];
			zc_workload_label(&c->p, label, sizeof label);
			json_object_set_new(o, "workload_label", json_string(label));
		}
		json_array_append_new(a, o);
	}
	return a;
}

void zc_verdict_words(const struct zc_cell *cells, const struct zc_verdict *v, char *buf, size_t len)
{
	const char *base = cells[v->baseline].p.strategy->name;
	if (v->cell == v->baseline)
		snprintf(buf, len, "the baseline");
	else if (v->decided && v->faster)
		snprintf(buf, len, "ran %.2fx [%.2f, %.2f] faster than %s", v->ratio, v->ci_low, v->ci_high, base);
	else if (v->decided)
		snprintf(buf, len, "ran %.2fx [%.2f, %.2f] slower than %s", 1.0 / v->ratio, 1.0 / v->ci_high,
			 1.0 / v->ci_low, base);
	else if (v->ci_level < ZC_VERDICT_LEVEL)
		snprintf(buf, len, "undecided against %s: %zu rounds reach only %.0f%%", base, v->rounds,
			 v->ci_level * 100);
	else
		snprintf(buf, len, "undecided against %s: %.2fx [%.2f, %.2f] holds 1", base, v->ratio, v->ci_low,
			 v->ci_high);
}

void zc_verdicts_print(FILE *out, const struct zc_cell *cells, const struct zc_verdicts *vs)
{
	for (size_t i = 0; i < vs->n;) {
		size_t end = i;
		while (end < vs->n && vs->v[end].group == vs->v[i].group)
			end++;
		const struct zc_verdict *first = &vs->v[i];
		const struct zc_cell *b = &cells[first->baseline];
		char size[32], chunk[48] = "chunks differ";
		zc_format_bytes(b->p.size, size, sizeof size);
		bool equal = true;
		for (size_t k = i; k < end; k++)
			equal &= !vs->v[k].unequal[0];
		if (equal) {
			strcpy(chunk, "chunk ");
			zc_format_bytes(b->chunk, chunk + 6, sizeof chunk - 6);
		}
		char label[96];
		zc_workload_label(&b->p, label, sizeof label);
		fprintf(out, "%s: %s per run, %s, %u stream%s; same-round ratios, %.0f%% sign-exact CI\n", label, size,
			chunk, b->p.streams, b->p.streams == 1 ? "" : "s", ZC_VERDICT_LEVEL * 100);
		if (!first->baseline_asked)
			fprintf(out, "  (the baseline asked for does not run here: %s instead)\n", b->p.strategy->name);
		size_t undecided = 0;
		for (size_t k = i; k < end; k++) {
			const struct zc_verdict *v = &vs->v[k];
			const struct zc_cell *c = &cells[v->cell];
			char words[160];
			zc_verdict_words(cells, v, words, sizeof words);
			undecided += v->cell != v->baseline && !v->decided;
			fprintf(out, "  %2u. %-16s %-5s %s\n", v->rank, c->p.strategy->name,
				c->p.strategy->sees_data ? "sees" : "blind", words);
			if (v->unequal[0]) {
				char a[32], bb[32];
				zc_format_bytes(c->chunk, a, sizeof a);
				zc_format_bytes(b->chunk, bb, sizeof bb);
				fprintf(out, "      (not only the strategy differs: chunk %s against %s)\n", a, bb);
			}
			if ((c->p.strategy->uses & ZC_USES_IOVECS) && c->p.iovecs > 1) {
				/* Same chunk, but N chunks per call: fewer syscalls by
				 * design, which is the strategy's point; say so. */
				char a[32];
				zc_format_bytes((uint64_t)c->chunk * c->p.iovecs, a, sizeof a);
				fprintf(out, "      (%u buffers of the chunk per call: %s per readv/writev)\n",
					c->p.iovecs, a);
			}
		}
		if (undecided)
			fprintf(out,
				"  %zu pair%s undecided: more rounds (--max-runs, --max-time) or a quieter machine\n",
				undecided, undecided == 1 ? "" : "s");
		fputc('\n', out);
		i = end;
	}
}

static double median_bps(const struct zc_cell *c)
{
	double *t = malloc((c->nruns ? c->nruns : 1) * sizeof *t);
	if (!t)
		abort();
	size_t n = 0;
	for (size_t i = 0; i < c->nruns; i++)
		if (counts(&c->runs[i]))
			t[n++] = run_bps(&c->runs[i]);
	double m = n ? zc_median(t, n) : 0;
	free(t);
	return m;
}

/* Same cell but for the strategy and the chunk. */
static bool same_but_chunk(const struct zc_cell_params *a, const struct zc_cell_params *b)
{
	struct zc_cell_params x = *b;
	x.chunk = a->chunk;
	return zc_same_group(a, &x);
}

void zc_best_chunks_print(FILE *out, const struct zc_cell *cells, size_t ncells, const char *asked)
{
	if (!asked)
		asked = ZC_VERDICT_DEFAULT_BASELINE;
	bool *seen = calloc(ncells ? ncells : 1, sizeof *seen);
	struct zc_cell *best = calloc(ncells ? ncells : 1, sizeof *best);
	if (!seen || !best)
		abort();
	for (size_t i = 0; i < ncells; i++) {
		if (seen[i] || !has_runs(&cells[i]))
			continue;
		/* The sweep's cells for this workload and everything else. */
		size_t nb = 0, chunks = 0;
		for (size_t k = i; k < ncells; k++) {
			if (seen[k] || !has_runs(&cells[k]) || !same_but_chunk(&cells[i].p, &cells[k].p))
				continue;
			seen[k] = true;
			chunks += cells[k].p.strategy == cells[i].p.strategy;
			size_t b = 0;
			while (b < nb && best[b].p.strategy != cells[k].p.strategy)
				b++;
			if (b == nb)
				best[nb++] = cells[k];
			else if (median_bps(&cells[k]) > median_bps(&best[b]))
				best[b] = cells[k];
		}
		if (chunks < 2 || nb < 2)
			continue; /* no sweep of chunks here */
		/* The best cells as a group of their own: every strategy's
		 * rounds are the same rounds, so the ratios still pair. */
		for (size_t b = 0; b < nb; b++)
			best[b].p.chunk = 0;
		struct zc_verdicts vs;
		zc_verdicts_compute(best, nb, asked, &vs);
		fprintf(out, "%s, each strategy at its best chunk (best by median GB/s, which flatters a little):\n",
			cells[i].p.workload->name);
		for (size_t k = 0; k < vs.n; k++) {
			const struct zc_verdict *v = &vs.v[k];
			char words[160], chunk[32];
			zc_verdict_words(best, v, words, sizeof words);
			zc_format_bytes(best[v->cell].chunk, chunk, sizeof chunk);
			fprintf(out, "  %2u. %-16s %-8s %s\n", v->rank, best[v->cell].p.strategy->name, chunk, words);
		}
		fputc('\n', out);
		zc_verdicts_free(&vs);
	}
	free(seen);
	free(best);
}
