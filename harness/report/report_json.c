/* Reading numbers and strings out of a result file's JSON, and formatting
 * them short: the helpers every part of the report shares. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_model.h"

struct zc_val zc_jnum(const json_t *obj, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	const json_t *at = obj;
	char *save = NULL;
	for (char *k = strtok_r(buf, ".", &save); k && at; k = strtok_r(NULL, ".", &save))
		at = json_is_object(at) ? json_object_get(at, k) : NULL;
	struct zc_val v = {false, 0};
	if (at && json_is_number(at) && isfinite(json_number_value(at))) {
		v.ok = true;
		v.v = json_number_value(at);
	}
	return v;
}

const char *zc_jstr(const json_t *obj, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	const json_t *at = obj;
	char *save = NULL;
	for (char *k = strtok_r(buf, ".", &save); k && at; k = strtok_r(NULL, ".", &save))
		at = json_is_object(at) ? json_object_get(at, k) : NULL;
	return json_is_string(at) ? json_string_value(at) : NULL;
}

void zc_fmt_si(double v, char *buf, size_t len)
{
	static const char *const suffix[] = {"", "k", "M", "G", "T", "P"};
	double a = fabs(v);
	size_t i = 0;
	while (a >= 999.5 && i + 1 < sizeof suffix / sizeof suffix[0]) {
		a /= 1000;
		v /= 1000;
		i++;
	}
	if (i == 0 && a != floor(a))
		snprintf(buf, len, a < 10 ? "%.2f" : "%.1f", v);
	else if (i == 0)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, a < 10 ? "%.2f%s" : a < 100 ? "%.1f%s" : "%.0f%s", v, suffix[i]);
}

const struct zc_cell_style zc_cell_html = {"<td class=\"n\">", "</td>", "<td class=\"n na\">&ndash;</td>",
					   "<br><span class=\"small\">max ", "</span>"};
const struct zc_cell_style zc_cell_md = {" ", " |", " – |", " / ", ""};

void zc_sb_cell(struct zc_sbuf *b, const struct zc_cell_style *s, struct zc_val v, const char *fmt, double scale)
{
	if (!v.ok) {
		zc_sb_puts(b, s->none);
		return;
	}
	char t[64];
	snprintf(t, sizeof t, fmt, v.v * scale);
	zc_sb_printf(b, "%s%s%s", s->open, t, s->close);
}

void zc_sb_cell_si(struct zc_sbuf *b, const struct zc_cell_style *s, struct zc_val v)
{
	if (!v.ok) {
		zc_sb_puts(b, s->none);
		return;
	}
	char t[32];
	zc_fmt_si(v.v, t, sizeof t);
	zc_sb_printf(b, "%s%s%s", s->open, t, s->close);
}

void zc_sb_cell_pair(struct zc_sbuf *b, const struct zc_cell_style *s, struct zc_val med, struct zc_val max,
		     void (*fmt)(double v, char *buf, size_t len))
{
	if (!med.ok) {
		zc_sb_puts(b, s->none);
		return;
	}
	char m[32], x[32];
	fmt(med.v, m, sizeof m);
	zc_sb_printf(b, "%s%s", s->open, m);
	if (max.ok) {
		fmt(max.v, x, sizeof x);
		zc_sb_printf(b, "%s%s%s", s->also_open, x, s->also_close);
	}
	zc_sb_puts(b, s->close);
}

void zc_fmt_bytes_short(double v, char *buf, size_t len)
{
	static const char *const suffix[] = {"", "K", "M", "G", "T"};
	size_t i = 0;
	while (v >= 1024 && fmod(v, 1024) == 0 && i + 1 < sizeof suffix / sizeof suffix[0]) {
		v /= 1024;
		i++;
	}
	snprintf(buf, len, "%.0f%s", v, suffix[i]);
}

void zc_text_clean(const char *s, char *buf, size_t len)
{
	size_t n = 0;
	for (; s && *s && n + 1 < len; s++)
		buf[n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? ' ' : *s;
	if (len)
		buf[n] = 0;
}
