#include "report_price.h"

#include <string.h>

#include "../util.h"

/* One row's cells as text: throughput, the ratio to the blind copy with its
 * interval, the wire's overhead; or the status and reason. */
static void row_text(const json_t *row, char *gbs, size_t gl, char *ratio, size_t rl, char *wire, size_t wl)
{
	const json_t *bps = json_object_get(row, "median_bytes_per_s"), *x = json_object_get(row, "ratio_to_blind"),
		     *lo = json_object_get(row, "ci_low"), *hi = json_object_get(row, "ci_high"),
		     *w = json_object_get(row, "wire_per_payload");
	snprintf(gbs, gl, json_is_number(bps) ? "%.2f" : "–", json_is_number(bps) ? json_number_value(bps) / 1e9 : 0);
	if (!json_is_number(x))
		snprintf(ratio, rl, "–");
	else if (json_is_number(lo))
		snprintf(ratio, rl, "%.2fx [%.2f, %.2f]%s", json_number_value(x), json_number_value(lo),
			 json_number_value(hi), json_is_true(json_object_get(row, "decided")) ? "" : " undecided");
	else
		snprintf(ratio, rl, "%.2fx", json_number_value(x));
	snprintf(wire, wl, json_is_number(w) ? "+%.2f%%" : "–",
		 json_is_number(w) ? (json_number_value(w) - 1) * 100 : 0);
}

static void tables(struct zc_sbuf *b, const struct zc_report *r, bool html)
{
	for (size_t f = 0; f < r->nfiles; f++) {
		const json_t *price = json_object_get(r->files[f].doc, "price_of_control");
		for (size_t t = 0; t < json_array_size(price); t++) {
			const json_t *tab = json_array_get(price, t);
			const char *w = json_string_value(json_object_get(tab, "workload"));
			double mib = (double)json_integer_value(json_object_get(tab, "size_bytes")) / (1 << 20);
			void (*esc)(struct zc_sbuf *, const char *) = html ? zc_sb_html : zc_sb_md;
			zc_sb_puts(b, html ? "<h3>" : "\n**");
			esc(b, w ? w : "?");
			zc_sb_printf(b, ", %.0f MiB", mib);
			if (r->nfiles > 1) {
				zc_sb_puts(b, " (");
				esc(b, r->files[f].label);
				zc_sb_puts(b, ")");
			}
			zc_sb_puts(b, html ? "</h3>\n<table><tr><th>variant</th><th>strategy</th><th>GB/s</th>"
					     "<th>against blind, paired</th><th>wire</th></tr>\n"
					   : "**\n\n| variant | strategy | GB/s | against blind, paired | wire |\n"
					     "|---|---|--:|--:|--:|\n");
			const json_t *rows = json_object_get(tab, "rows");
			for (size_t i = 0; i < json_array_size(rows); i++) {
				const json_t *row = json_array_get(rows, i);
				const char *variant = json_string_value(json_object_get(row, "variant"));
				const char *strategy = json_string_value(json_object_get(row, "strategy"));
				const char *status = json_string_value(json_object_get(row, "status"));
				const char *reason = json_string_value(json_object_get(row, "reason"));
				zc_sb_puts(b, html ? "<tr><td>" : "| ");
				esc(b, variant ? variant : "?");
				zc_sb_puts(b, html ? "</td><td>" : " | ");
				esc(b, strategy ? strategy : "?");
				zc_sb_puts(b, html ? "</td>" : " |");
				if (!status || strcmp(status, "ok") != 0) {
					zc_sb_puts(b, html ? "<td colspan=\"3\">" : " ");
					esc(b, status ? status : "?");
					if (reason) {
						zc_sb_puts(b, ": ");
						esc(b, reason);
					}
					zc_sb_puts(b, html ? "</td></tr>\n" : " | | |\n");
					continue;
				}
				char gbs[32], ratio[96], wire[32];
				row_text(row, gbs, sizeof gbs, ratio, sizeof ratio, wire, sizeof wire);
				if (html)
					zc_sb_printf(b, "<td>%s</td><td>%s</td><td>%s</td></tr>\n", gbs, ratio, wire);
				else
					zc_sb_printf(b, " %s | %s | %s |\n", gbs, ratio, wire);
			}
			if (html)
				zc_sb_puts(b, "</table>\n");
		}
	}
}

static bool any(const struct zc_report *r)
{
	for (size_t f = 0; f < r->nfiles; f++)
		if (json_array_size(json_object_get(r->files[f].doc, "price_of_control")))
			return true;
	return false;
}

static const char intro[] = "A blind copy (sendfile), the same with the kernel encrypting (kTLS), and a program "
			    "that sees the data (readwrite) encrypting it (AES-128-GCM, TLS 1.3 records), "
			    "checksumming it (CRC32C) or redacting it; each against the blind copy in the same "
			    "round. Throughput is payload; the wire column is what the records added.";

void zc_price_html(struct zc_sbuf *b, const struct zc_report *r)
{
	if (!any(r))
		return;
	zc_sb_puts(b, "<section id=\"price-of-control\"><h2>The price of control</h2>\n<p>");
	zc_sb_html(b, intro);
	zc_sb_puts(b, "</p>\n");
	tables(b, r, true);
	zc_sb_puts(b, "</section>\n");
}

void zc_price_md(struct zc_sbuf *b, const struct zc_report *r)
{
	if (!any(r))
		return;
	zc_sb_puts(b, "\n### The price of control\n\n");
	zc_sb_md(b, intro);
	zc_sb_puts(b, "\n");
	tables(b, r, false);
}
