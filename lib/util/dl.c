#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "util/dl.h"

/* dlsym returns a function's address as a void * (POSIX allows it). */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
	       "function addresses must fit a void *");

/* dlerror's reason for the last call; `name` when it has none. */
static void remember_failure(const char *name, char *why, size_t why_size)
{
	const char *reason = dlerror();
	if (reason)
		snprintf(why, why_size, "%s", reason);
	else
		snprintf(why, why_size, "%s not found", name);
}

static bool resolve_symbols(void *lib, const cv_dl_symbol *symbols, size_t n, void *table,
			    char *why, size_t why_size)
{
	for (size_t i = 0; i < n; i++) {
		void *address = dlsym(lib, symbols[i].name);
		if (!address) {
			remember_failure(symbols[i].name, why, why_size);
			return false;
		}
		memcpy((char *)table + symbols[i].offset, &address, sizeof(address));
	}
	return true;
}

bool cv_dl_load(const char *soname, const cv_dl_symbol *symbols, size_t n, void *table,
		char *why, size_t why_size)
{
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		remember_failure(soname, why, why_size);
		return false;
	}
	if (resolve_symbols(lib, symbols, n, table, why, why_size))
		return true;
	dlclose(lib);
	return false;
}
