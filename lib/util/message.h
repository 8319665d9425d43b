#ifndef CV_UTIL_MESSAGE_H
#define CV_UTIL_MESSAGE_H

#include "callviz/view.h"

/* Format a message and hand it to fn (nothing when fn is NULL). */
void cv_message(cv_message_fn fn, void *data, cv_message_kind kind, const char *subject,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
