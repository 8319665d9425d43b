/*
 * Free-form comments on a profile (pprof's -add_comment). They live in the
 * profile's arena like every other string, so they are shown in report
 * legends and written out again when the profile is re-encoded.
 */
#include <string.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "util/alloc.h"
#include "util/arena.h"

int cv_profile_add_comment(cv_profile *p, const char *comment)
{
	if (!p || !comment)
		return cv_error_set(CV_EINVAL, "add comment: no profile or comment");
	const char **list = cv_arena_calloc(p->arena, p->n_comments + 1, sizeof(*list));
	char *copy = cv_arena_strdup(p->arena, comment);
	if (!list || !copy)
		return cv_error_nomem();
	if (p->n_comments)
		memcpy(list, p->comments, p->n_comments * sizeof(*list));
	list[p->n_comments++] = copy;
	p->comments = list;
	return 0;
}
