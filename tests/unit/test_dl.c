/*
 * lib/util/dl.c: a library opened on first use, its functions by name
 * into a table; every failure is a reason, never a crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/dl.h"

/* zlib, which every build links, stands in for libcurl. */
typedef struct zlib_api {
	const char *(*version)(void);
	unsigned long (*crc)(unsigned long crc, const unsigned char *buf, unsigned len);
} zlib_api;

static void test_loads_by_name(void **state)
{
	static const cv_dl_symbol syms[] = {
		{"zlibVersion", offsetof(zlib_api, version)},
		{"crc32", offsetof(zlib_api, crc)},
	};
	zlib_api api = {0};
	char why[256] = "";
	assert_true(cv_dl_load("libz.so.1", syms, 2, &api, why, sizeof(why)));
	assert_non_null(api.version);
	assert_int_equal(api.version()[0], '1');
	assert_int_equal(api.crc(0, (const unsigned char *)"a", 1), 0xe8b7be43UL);
}

static void test_says_why(void **state)
{
	static const cv_dl_symbol missing[] = {{"no_such_function_anywhere", 0}};
	void *table[1] = {NULL};
	char why[256] = "";
	assert_false(cv_dl_load("libz.so.1", missing, 1, table, why, sizeof(why)));
	assert_non_null(strstr(why, "no_such_function_anywhere"));
	assert_null(table[0]);
	assert_false(cv_dl_load("libcallviz-no-such.so.9", missing, 1, table, why, sizeof(why)));
	assert_non_null(strstr(why, "libcallviz-no-such.so.9"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_by_name),
		cmocka_unit_test(test_says_why),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
