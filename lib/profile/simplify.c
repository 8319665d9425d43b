/* Function names as pprof's frame pruning matches them (see simplify.h). */
#include <string.h>

#include "profile/simplify.h"

const char *cv_simplify_func_name(const char *name, size_t *len)
{
	static const char anon[] = "(anonymous namespace)";
	static const char call_op[] = "operator()";
	const char *s = name[0] == '.' ? name + 1 : name;
	const char *q = s;
	while (*q) {
		if (strncmp(q, anon, sizeof(anon) - 1) == 0)
			q += sizeof(anon) - 1;
		else if (strncmp(q, call_op, sizeof(call_op) - 1) == 0)
			q += sizeof(call_op) - 1;
		else if (*q == '(')
			break;
		else
			q++;
	}
	*len = (size_t)(q - s);
	return s;
}
