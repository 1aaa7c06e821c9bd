/* The price of control (issue 16): on one workload, a blind copy (sendfile),
 * the same with the kernel encrypting (kTLS), and a program that sees the
 * data (readwrite) encrypting with AES-GCM, checksumming or redacting it;
 * each against the blind copy in the same round, so drift cancels. */
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "stats.h"
#include "verdicts.h"

static const char *const inspect_words[] = {"none", "checksum", "redact", "encrypt"};

static int variant_of(const struct zc_cell *c)
{
	for (int i = 0; i < ZC_PRICE_VARIANTS; i++) {
		const struct zc_price_variant *v = &zc_price_variants[i];
		if (strcmp(c->p.strategy->name, v->strategy) == 0 && c->p.inspect == v->inspect && c->p.ktls == v->ktls)
			return i;
	}
	return -1;
}

/* Two cells of one table: equal in everything a variant does not set. */
static bool same_table(const struct zc_cell_params *a, const struct zc_cell_params *b)
{
	struct zc_cell_params x = *b;
	x.strategy = a->strategy;
	x.inspect = a->inspect;
	x.ktls = a->ktls;
	return zc_same_group(a, &x);
}

static bool counted(const struct zc_run *r)
{
	return !r->warmup && r->measured && r->w.elapsed_ns > 0 && r->bytes > 0;
}

static json_t *row_json(const struct zc_cell *cells, size_t i, const struct zc_cell *blind, int variant)
{
	const struct zc_price_variant *v = &zc_price_variants[variant];
	json_t *row = json_pack("{s:s,s:s,s:s,s:b}", "variant", v->label, "strategy", v->strategy, "inspect",
				inspect_words[v->inspect], "ktls", v->ktls);
	if (i == SIZE_MAX) {
		json_object_set_new(row, "status", json_string("not run"));
		return row;
	}
	const struct zc_cell *c = &cells[i];
	static const char *const status[] = {"ok", "skipped", "failed", "interrupted", "not run"};
	json_object_set_new(row, "status", json_string(status[c->status]));
	json_object_set_new(row, "reason", c->status == ZC_OK ? json_null() : json_string(c->reason));
	double *bps = malloc((c->nruns ? c->nruns : 1) * sizeof *bps);
	if (!bps)
		abort();
	size_t n = 0;
	uint64_t wire = 0, payload = 0;
	for (size_t k = 0; k < c->nruns; k++) {
		const struct zc_run *r = &c->runs[k];
		if (!counted(r))
			continue;
		bps[n++] = (double)r->bytes * 1e9 / (double)r->w.elapsed_ns;
		if (r->have_wire) {
			wire += r->wire_bytes;
			payload += r->bytes;
		}
	}
	json_object_set_new(row, "median_bytes_per_s",
			    c->status == ZC_OK && n ? json_real(zc_median(bps, n)) : json_null());
	json_object_set_new(row, "wire_per_payload", payload ? json_real((double)wire / (double)payload) : json_null());
	json_t *ratio = json_null(), *lo = json_null(), *hi = json_null();
	size_t rounds = 0;
	bool decided = false;
	if (c->status == ZC_OK && blind && blind->status == ZC_OK && n) {
		if (c == blind) {
			ratio = json_real(1.0);
		} else if ((rounds = zc_paired_ratios(c, blind, bps)) > 0) {
			struct zc_verdict pv = {0};
			zc_paired_interval(bps, rounds, &pv);
			ratio = json_real(pv.ratio);
			lo = json_real(pv.ci_low);
			hi = json_real(pv.ci_high);
			decided = pv.decided;
		}
	}
	free(bps);
	json_object_set_new(row, "ratio_to_blind", ratio);
	json_object_set_new(row, "ci_low", lo);
	json_object_set_new(row, "ci_high", hi);
	json_object_set_new(row, "paired_rounds", json_integer((json_int_t)rounds));
	json_object_set_new(row, "decided", json_boolean(decided));
	return row;
}

json_t *zc_price_json(const struct zc_cell *cells, size_t ncells)
{
	json_t *tables = json_array();
	bool *used = calloc(ncells ? ncells : 1, sizeof *used);
	if (!used)
		abort();
	for (size_t i = 0; i < ncells; i++) {
		if (used[i] || variant_of(&cells[i]) < 0)
			continue;
		size_t row[ZC_PRICE_VARIANTS];
		for (int v = 0; v < ZC_PRICE_VARIANTS; v++)
			row[v] = SIZE_MAX;
		for (size_t k = i; k < ncells; k++) {
			int v = variant_of(&cells[k]);
			if (!used[k] && v >= 0 && row[v] == SIZE_MAX && same_table(&cells[i].p, &cells[k].p)) {
				row[v] = k;
				used[k] = true;
			}
		}
		const struct zc_cell *blind = row[0] == SIZE_MAX ? NULL : &cells[row[0]];
		json_t *rows = json_array();
		for (int v = 0; v < ZC_PRICE_VARIANTS; v++)
			json_array_append_new(rows, row_json(cells, row[v], blind, v));
		json_array_append_new(tables, json_pack("{s:s,s:I,s:I,s:o}", "workload", cells[i].p.workload->name,
							"size_bytes", (json_int_t)cells[i].p.size, "streams",
							(json_int_t)cells[i].p.streams, "rows", rows));
	}
	free(used);
	return tables;
}

void zc_price_print(FILE *out, const json_t *price)
{
	for (size_t t = 0; t < json_array_size(price); t++) {
		const json_t *tab = json_array_get(price, t);
		fprintf(out, "\nPrice of control on %s, %.0f MiB (paired by round against the blind copy):\n",
			json_string_value(json_object_get(tab, "workload")),
			(double)json_integer_value(json_object_get(tab, "size_bytes")) / (1 << 20));
		const json_t *rows = json_object_get(tab, "rows");
		for (size_t i = 0; i < json_array_size(rows); i++) {
			const json_t *r = json_array_get(rows, i);
			fprintf(out, "  %-18s %-10s ", json_string_value(json_object_get(r, "variant")),
				json_string_value(json_object_get(r, "strategy")));
			const char *st = json_string_value(json_object_get(r, "status"));
			if (strcmp(st, "ok") != 0) {
				const char *why = json_string_value(json_object_get(r, "reason"));
				fprintf(out, "%s%s%s\n", st, why ? ": " : "", why ? why : "");
				continue;
			}
			const json_t *bps = json_object_get(r, "median_bytes_per_s");
			if (json_is_number(bps))
				fprintf(out, "%7.2f GB/s", json_number_value(bps) / 1e9);
			else
				fprintf(out, "%12s", "-");
			const json_t *ratio = json_object_get(r, "ratio_to_blind");
			if (json_is_number(ratio)) {
				fprintf(out, "  %5.2fx", json_number_value(ratio));
				const json_t *lo = json_object_get(r, "ci_low"), *hi = json_object_get(r, "ci_high");
				if (json_is_number(lo))
					fprintf(out, " [%.2f, %.2f]%s", json_number_value(lo), json_number_value(hi),
						json_is_true(json_object_get(r, "decided")) ? "" : " undecided");
			}
			const json_t *wire = json_object_get(r, "wire_per_payload");
			if (json_is_number(wire))
				fprintf(out, "  wire +%.2f%%", (json_number_value(wire) - 1) * 100);
			fputc('\n', out);
		}
	}
}
