/* Result files the report tests make from the checked-in samples
 * (report_fixture.h). */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "report_fixture.h"

/* A result file with the top-level verdicts and warnings (the contract in
 * results/SCHEMA.md) made from sample-all.json: per workload every ok cell
 * against readwrite, ratio = median over readwrite's median, interval
 * +-10%, rank by ratio, and a warning for the file and for one cell.
 * kernel: the release to write. */
int zc_fixture_verdicts(const char *samples, const char *path, const char *kernel)
{
	char file[512];
	snprintf(file, sizeof file, "%s/sample-all.json", samples);
	json_t *doc = json_load_file(file, 0, NULL);
	if (!doc)
		return -1;
	json_object_set_new(json_object_get(doc, "host"), "kernel_release", json_string(kernel));
	json_t *results = json_object_get(doc, "results"), *verdicts = json_array();
	static const char *const wls[] = {"file-tcp", "file-file"};
	for (size_t w = 0; w < 2; w++) {
		double base = 0;
		for (size_t i = 0; i < json_array_size(results); i++) {
			json_t *c = json_array_get(results, i);
			if (strcmp(json_string_value(json_object_get(c, "workload")), wls[w]) == 0 &&
			    strcmp(json_string_value(json_object_get(c, "strategy")), "readwrite") == 0)
				base = json_number_value(json_object_get(
					json_object_get(json_object_get(c, "summary"), "throughput_bps"), "median"));
		}
		size_t first = json_array_size(verdicts);
		for (size_t i = 0; i < json_array_size(results); i++) {
			json_t *c = json_array_get(results, i);
			const char *st = json_string_value(json_object_get(c, "strategy"));
			if (strcmp(json_string_value(json_object_get(c, "workload")), wls[w]) != 0)
				continue;
			double m = json_number_value(json_object_get(
				json_object_get(json_object_get(c, "summary"), "throughput_bps"), "median"));
			double ratio = m / base;
			bool self = strcmp(st, "readwrite") == 0;
			double lo = self ? 1 : ratio * 0.9, hi = self ? 1 : ratio * 1.1;
			bool decided = !self && !(lo <= 1 && hi >= 1);
			json_t *params = json_deep_copy(json_object_get(c, "params"));
			json_t *v = json_pack("{s:s,s:s,s:s,s:s,s:O,s:O,s:o,s:O,s:f,s:f,s:f,s:f,s:s,s:b,s:o,s:i}",
					      "workload", wls[w], "strategy", st, "baseline", "readwrite", "metric",
					      "throughput", "chunk_bytes", json_object_get(params, "chunk_bytes"),
					      "size_bytes", json_object_get(params, "size_bytes"), "params", params,
					      "sees_data", json_object_get(c, "sees_data"), "ratio", ratio, "ci_low",
					      lo, "ci_high", hi, "ci_level", 0.9609, "ci_method", "sign-exact",
					      "decided", decided, "faster",
					      decided ? json_boolean(ratio > 1) : json_null(), "rounds", 9);
			json_array_append_new(verdicts, v);
		}
		/* Ranks by ratio within the workload. */
		for (size_t i = first; i < json_array_size(verdicts); i++) {
			json_t *v = json_array_get(verdicts, i);
			double me = json_number_value(json_object_get(v, "ratio"));
			int rank = 1;
			for (size_t k = first; k < json_array_size(verdicts); k++)
				rank += json_number_value(json_object_get(json_array_get(verdicts, k), "ratio")) > me;
			json_object_set_new(v, "rank", json_integer(rank));
		}
	}
	json_object_set_new(doc, "verdicts", verdicts);
	json_object_set_new(
		doc, "warnings",
		json_pack("[{s:s,s:s}]", "code", "bimodal", "message", "test: runs fall into two clusters"));
	json_object_set_new(json_array_get(results, 3), "warnings",
			    json_pack("[{s:s,s:s}]", "code", "drift", "message", "test: rounds drifted"));
	int rc = json_dump_file(doc, path, 0);
	json_decref(doc);
	return rc;
}

/* The median throughput of a strategy in a workload of sample-all.json. */
double zc_fixture_median(const char *samples, const char *workload, const char *strategy)
{
	char file[512];
	snprintf(file, sizeof file, "%s/sample-all.json", samples);
	json_t *doc = json_load_file(file, 0, NULL);
	double m = 0;
	json_t *results = json_object_get(doc, "results");
	for (size_t i = 0; i < json_array_size(results); i++) {
		json_t *c = json_array_get(results, i);
		if (strcmp(json_string_value(json_object_get(c, "workload")), workload) == 0 &&
		    strcmp(json_string_value(json_object_get(c, "strategy")), strategy) == 0)
			m = json_number_value(json_object_get(
				json_object_get(json_object_get(c, "summary"), "throughput_bps"), "median"));
	}
	json_decref(doc);
	return m;
}
