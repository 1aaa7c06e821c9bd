/* The pieces every figure is made of (report_figdata.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_figdata.h"

static void put_label(struct zc_sbuf *b, const char *s, bool tic)
{
	zc_sb_puts(b, "\"");
	for (; s && *s; s++) {
		char ch = *s;
		if (ch == '"')
			ch = '\'';
		else if ((unsigned char)ch < 0x20 || ch == 0x7f || ch == '\\')
			ch = ch == '\\' ? '/' : ' ';
		else if (ch == '%' && tic)
			zc_sb_puts(b, "%");
		zc_sb_printf(b, "%c", ch);
	}
	zc_sb_puts(b, "\"");
}

void zc_fig_label(struct zc_sbuf *b, const char *s)
{
	put_label(b, s, false);
}

void zc_fig_tic_label(struct zc_sbuf *b, const char *s)
{
	put_label(b, s, true);
}

void zc_fig_num(struct zc_sbuf *b, struct zc_val v, double scale)
{
	if (v.ok)
		zc_sb_printf(b, " %.6g", v.v * scale);
	else
		zc_sb_puts(b, " NaN");
}

void zc_fig_header(struct zc_sbuf *b, const struct zc_report *r, const char *title, const char *columns)
{
	/* Titles and paths come from result files: a newline there would end
	 * the comment and make the rest of it data. */
	char clean[1024];
	zc_text_clean(title, clean, sizeof clean);
	zc_sb_puts(b, "# zcbench report data: ");
	zc_sb_puts(b, clean);
	zc_sb_puts(b, "\n# Written by `zcbench report` from:\n");
	for (size_t i = 0; i < r->nfiles; i++) {
		char path[1024], label[256];
		zc_text_clean(r->files[i].path, path, sizeof path);
		zc_text_clean(r->files[i].label, label, sizeof label);
		zc_sb_printf(b, "#   %s (%s)\n", path, label);
	}
	zc_sb_puts(b, columns);
}

static struct zc_figure *add_fig(struct zc_report *r, const char *stem, size_t w, const char *title)
{
	if (r->nfigs == r->capfigs) {
		size_t cap = r->capfigs ? r->capfigs * 2 : 16;
		struct zc_figure *f = realloc(r->figs, cap * sizeof *f);
		if (!f)
			return NULL;
		r->figs = f;
		r->capfigs = cap;
	}
	struct zc_figure *fig = &r->figs[r->nfigs++];
	memset(fig, 0, sizeof *fig);
	snprintf(fig->stem, sizeof fig->stem, "%s", stem);
	fig->workload = w;
	/* gnuplot gets the title as an argument: one line, no control characters. */
	zc_text_clean(title, fig->title, sizeof fig->title);
	fig->width = ZC_REPORT_FIG_WIDTH;
	fig->height = ZC_REPORT_FIG_HEIGHT;
	return fig;
}

struct zc_figure *zc_fig_add(struct zc_report *r, const char *stem, const char *script, size_t w, const char *title)
{
	struct zc_figure *fig = add_fig(r, stem, w, title);
	if (fig) {
		fig->kind = ZC_FIG_DATA;
		snprintf(fig->script, sizeof fig->script, "%s", script);
	}
	return fig;
}

int zc_fig_note(struct zc_report *r, const char *out_dir, const char *stem, size_t w, const char *title,
		const char *text, char *err, size_t err_len)
{
	(void)out_dir;
	struct zc_figure *fig = add_fig(r, stem, w, title);
	if (!fig) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	fig->kind = ZC_FIG_LEFT_OUT;
	snprintf(fig->caption, sizeof fig->caption, "%s", text);
	return 0;
}

/* Break a note into lines of at most about 110 characters, at spaces: gnuplot
 * shows a newline in a label as a line break. Control characters from result
 * files become spaces first. */
static void wrap_note(char *s)
{
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	size_t line = 0;
	char *last_space = NULL;
	for (char *p = s; *p; p++, line++) {
		if (*p == ' ')
			last_space = p;
		if (line >= 110 && last_space) {
			*last_space = '\n';
			line = (size_t)(p - last_space);
			last_space = NULL;
		}
	}
}

int zc_fig_write(const char *out_dir, struct zc_figure *fig, struct zc_sbuf *b, char *err, size_t err_len)
{
	wrap_note(fig->note);
	if (b->oom) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/data/%s.dat", out_dir, fig->stem);
	return zc_write_file(path, b->s ? b->s : "", b->len, err, err_len);
}
