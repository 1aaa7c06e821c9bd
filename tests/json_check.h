/* Reading a result file in the end-to-end tests: a key's string or
 * integer (a missing integer counts as a failure), and a run's first cell
 * when it ran ok. */
#ifndef ZC_JSON_CHECK_H
#define ZC_JSON_CHECK_H

#include <jansson.h>
#include <stdint.h>

#include "check.h"

static inline const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "(none)";
}

static inline uint64_t jnum(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_integer(v)) {
		fprintf(stderr, "%s missing or not an integer\n", k);
		check_failures++;
	}
	return (uint64_t)json_integer_value(v);
}

/* The document's first cell when zcbench exited 0 and it is ok; else NULL,
 * a failure noted with what. */
static inline json_t *ok_cell(json_t *doc, int st, const char *what)
{
	json_t *cell = json_array_get(json_object_get(doc, "results"), 0);
	if (!doc || st != 0 || strcmp(jstr(cell, "status"), "ok") != 0) {
		fprintf(stderr, "%s: exit %d, status %s, reason %s\n", what, st, jstr(cell, "status"),
			jstr(cell, "reason"));
		check_failures++;
		return NULL;
	}
	return cell;
}

#endif
