#include "callviz/callviz.h"

const char *cv_version(void)
{
	return CALLVIZ_VERSION;
}
