#include "hyperfine_import.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Seconds (a JSON number) to integer nanoseconds; -1 when not a usable number. */
static json_int_t ns_of(const json_t *secs)
{
	if (!json_is_number(secs))
		return -1;
	double s = json_number_value(secs);
	if (!isfinite(s) || s < 0 || s > 1e9)
		return -1;
	return (json_int_t)llround(s * 1e9);
}

static json_t *argv_json(char *const argv[])
{
	json_t *a = json_array();
	for (size_t i = 0; argv && argv[i]; i++)
		json_array_append_new(a, json_string(argv[i]));
	return a;
}

json_t *zc_hyperfine_not_timed(const char *status, const char *reason, const char *command, char *const argv[])
{
	json_t *j = json_object();
	json_object_set_new(j, "status", json_string(status));
	json_object_set_new(j, "reason", json_string(reason));
	json_object_set_new(j, "command", command ? json_string(command) : json_null());
	json_object_set_new(j, "argv", argv ? argv_json(argv) : json_null());
	return j;
}

json_t *zc_hyperfine_cell(const json_t *entry, double size_bytes, const char *command, char *const argv[], char *err,
			  size_t err_len)
{
	static const char *const keys[] = {"mean", "median", "min", "max", "user", "system"};
	json_int_t v[6];
	for (size_t i = 0; i < 6; i++) {
		v[i] = ns_of(json_object_get(entry, keys[i]));
		if (v[i] < 0) {
			snprintf(err, err_len, "hyperfine's JSON has no usable \"%s\"", keys[i]);
			return NULL;
		}
	}
	const json_t *times = json_object_get(entry, "times");
	if (!json_is_array(times) || json_array_size(times) == 0) {
		snprintf(err, err_len, "hyperfine's JSON has no \"times\"");
		return NULL;
	}
	json_t *t = json_array();
	for (size_t i = 0; i < json_array_size(times); i++) {
		json_int_t ns = ns_of(json_array_get(times, i));
		if (ns < 0) {
			json_decref(t);
			snprintf(err, err_len, "hyperfine's JSON has a time that is not a number (times[%zu])", i);
			return NULL;
		}
		json_array_append_new(t, json_integer(ns));
	}
	json_t *j = json_object();
	json_object_set_new(j, "status", json_string("ok"));
	json_object_set_new(j, "reason", json_null());
	json_object_set_new(j, "command", json_string(command ? command : ""));
	json_object_set_new(j, "argv", argv_json(argv));
	json_object_set_new(j, "runs", json_integer((json_int_t)json_array_size(times)));
	json_object_set_new(j, "mean_ns", json_integer(v[0]));
	/* hyperfine gives no standard deviation for a single run. */
	json_int_t sd = ns_of(json_object_get(entry, "stddev"));
	json_object_set_new(j, "stddev_ns", sd < 0 ? json_null() : json_integer(sd));
	json_object_set_new(j, "median_ns", json_integer(v[1]));
	json_object_set_new(j, "min_ns", json_integer(v[2]));
	json_object_set_new(j, "max_ns", json_integer(v[3]));
	json_object_set_new(j, "user_mean_ns", json_integer(v[4]));
	json_object_set_new(j, "system_mean_ns", json_integer(v[5]));
	json_object_set_new(j, "times_ns", t);
	const json_t *codes = json_object_get(entry, "exit_codes");
	json_object_set_new(j, "exit_codes", json_is_array(codes) ? json_deep_copy(codes) : json_null());
	if (size_bytes > 0 && v[1] > 0 && v[2] > 0 && v[3] > 0) {
		json_object_set_new(j, "throughput_bps",
				    json_pack("{s:f,s:f,s:f,s:f}", "median", size_bytes * 1e9 / (double)v[1], "mean",
					      size_bytes * 1e9 / (double)v[0], "min", size_bytes * 1e9 / (double)v[3],
					      "max", size_bytes * 1e9 / (double)v[2]));
	} else {
		json_object_set_new(j, "throughput_bps", json_null());
	}
	return j;
}

json_t *zc_hyperfine_import_file(const char *path, double size_bytes, const char *command, char *const argv[],
				 char *err, size_t err_len)
{
	json_error_t je;
	json_t *doc = json_load_file(path, 0, &je);
	if (!doc) {
		snprintf(err, err_len, "cannot read hyperfine's JSON %s: %s", path, je.text);
		return NULL;
	}
	const json_t *results = json_object_get(doc, "results");
	json_t *cell = NULL;
	if (!json_is_array(results) || json_array_size(results) != 1)
		snprintf(err, err_len, "hyperfine's JSON %s does not hold exactly one result", path);
	else
		cell = zc_hyperfine_cell(json_array_get(results, 0), size_bytes, command, argv, err, err_len);
	json_decref(doc);
	return cell;
}
