/*
 * index.html of a batch: a row per source, a column per sample index (so
 * inuse and alloc sit side by side), each cell listing its renders, the
 * images shown inline; comparison pages listed below. Links are relative,
 * so the directory can be moved or attached whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

static bool is_image(const char *format)
{
	return format && (!strcmp(format, "svg") || !strcmp(format, "png") ||
			  !strcmp(format, "gif"));
}

static cv_html_link link_of(const batch_job *j)
{
	return (cv_html_link){j->file, j->file, is_image(j->format), j->failed};
}

int batch_write_index(const batch *b)
{
	size_t n_cells = (size_t)b->n_src * (size_t)b->n_si;
	cv_html_links *cells = calloc(n_cells + 1, sizeof(*cells));
	cv_html_link *links = calloc(b->n_jobs + 1, sizeof(*links));
	const char **rows = calloc((size_t)b->n_src + 1, sizeof(*rows));
	const char **cols = calloc((size_t)b->n_si + 1, sizeof(*cols));
	char *html = NULL;
	size_t len = 0;
	int rc = -1;
	if (!cells || !links || !rows || !cols)
		goto out;
	/* Jobs are planned source by source, index by index: each cell's
	 * renders are one run of the job list, comparisons come last. */
	size_t used = 0;
	for (size_t c = 0; c < n_cells; c++) {
		cells[c].links = links + used;
		for (size_t i = 0; i < b->n_jobs; i++) {
			const batch_job *j = &b->jobs[i];
			if (j->format && (size_t)j->src * (size_t)b->n_si + (size_t)j->si == c) {
				links[used++] = link_of(j);
				cells[c].n++;
			}
		}
	}
	cv_html_links extra = {links + used, 0};
	for (size_t i = 0; i < b->n_jobs; i++)
		if (!b->jobs[i].format) {
			links[used++] = link_of(&b->jobs[i]);
			extra.n++;
		}
	for (int s = 0; s < b->n_src; s++)
		rows[s] = b->src[s].name;
	for (int i = 0; i < b->n_si; i++)
		cols[i] = b->si[i] ? b->si[i] : "default sample index";
	cv_html_index ix = {"callviz batch", rows, (size_t)b->n_src, cols, (size_t)b->n_si,
			    cells, extra};
	if (cv_render_html_index(&html, &len, &ix))
		goto out;
	char path[4096];
	snprintf(path, sizeof(path), "%s/index.html", b->o->outdir);
	rc = cli_write_file(path, html, len);
	if (rc)
		fprintf(stderr, "callviz: %s: %s\n", path, cv_error_last());
out:
	if (rc && !html)
		fprintf(stderr, "callviz: index.html: out of memory\n");
	free(html);
	free(cells);
	free(links);
	free(rows);
	free(cols);
	return rc;
}
