/*
 * cv_shorten_function_name against go tool pprof 1.19's ShortenFunctionName.
 * The cases follow pprof's own graph_test.go; the expectations are what the
 * vendored 1.19 code returns (it drops a /vN module suffix entirely, where
 * later pprof releases keep "bar/v4").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "callviz/graph.h"

static const char *shorten(const char *name)
{
	static char buf[1024];
	const char *r = cv_shorten_function_name(name, buf, sizeof(buf));
	assert_ptr_equal(r, buf);
	return r;
}

static void check(const char *name, const char *want)
{
	const char *got = shorten(name);
	if (strcmp(got, want) != 0)
		fail_msg("shorten(\"%s\") = \"%s\", want \"%s\"", name, got, want);
}

static void test_plain_names_unchanged(void **state)
{
	check("root", "root");
	check("foo", "foo");
	check("syscall.Syscall", "syscall.Syscall");
	check("", "");
}

static void test_go_package_paths(void **state)
{
	check("net/http.(*conn).serve", "http.(*conn).serve");
	check("github.com/blahBlah/foo.Foo", "foo.Foo");
	check("github.com/BlahBlah/foo.Foo", "foo.Foo");
	check("github.com/blah-blah/foo_bar.(*FooBar).Foo", "foo_bar.(*FooBar).Foo");
	check("encoding/json.(*structEncoder).(encoding/json.encode)-fm",
	      "json.(*structEncoder).(encoding/json.encode)-fm");
	check("github.com/blah/blah/vendor/gopkg.in/redis.v3.(*baseClient)."
	      "(github.com/blah/blah/vendor/gopkg.in/redis.v3.process)-fm",
	      "redis.v3.(*baseClient).(github.com/blah/blah/vendor/gopkg.in/"
	      "redis.v3.process)-fm");
	/* Go elides type parameters as [...]; the name stays as it is */
	check("main.(*T[...]).M", "main.(*T[...]).M");
}

static void test_go_module_versions(void **state)
{
	check("github.com/foo/bar/v4.(*Foo).Bar", "bar.(*Foo).Bar");
	check("github.com/foo/bar/v4/baz.Foo.Bar", "baz.Foo.Bar");
	check("github.com/foo/bar/v123.(*Foo).Bar", "bar.(*Foo).Bar");
	/* v0, v1 and v2xyz are not major-version suffixes */
	check("github.com/foobar/v0.(*Foo).Bar", "v0.(*Foo).Bar");
	check("github.com/foobar/v1.(*Foo).Bar", "v1.(*Foo).Bar");
	check("example.org/v2xyz.Foo", "v2xyz.Foo");
}

static void test_java(void **state)
{
	check("java.util.concurrent.ThreadPoolExecutor$Worker.run",
	      "ThreadPoolExecutor$Worker.run");
	check("java.bar.foo.FooBar.run(java.lang.Runnable)", "FooBar.run");
	check("com.google.perftools.gwp.benchmark.FloatBench.lambda$run$0",
	      "FloatBench.lambda$run$0");
	check("java.bar.foo.FooBar.run$0", "FooBar.run$0");
	check("java.lang.Thread.<init>", "Thread.<init>");
}

static void test_cpp(void **state)
{
	check("(anonymous namespace)::Bar::Foo", "Bar::Foo");
	check("(anonymous namespace)::foo", "foo");
	check("cpp::namespace::Class::method()::$_100::operator()", "Class::method");
	check("foo_bar::Foo::bar", "Foo::bar");
	check("cpp::namespace::Class::method<float, long, int>()",
	      "Class::method<float, long, int>");
}

/* Go's `$` is end of text only and `.` stops at newlines, as here. */
static void test_newlines_as_in_go(void **state)
{
	check("Foo.bar\n", "Foo.bar\n");
	check("a.B.c(\n", "B.c");
	check("x/v2\n.Foo", "v2");
}

static void test_small_buffer_truncates(void **state)
{
	char buf[5];
	assert_string_equal(cv_shorten_function_name("net/http.(*conn).serve", buf,
						     sizeof(buf)), "http");
	char one[1] = {'x'};
	cv_shorten_function_name("foo", one, 1);
	assert_int_equal(one[0], '\0');
	/* the buffer may be the input itself */
	char same[] = "github.com/blahBlah/foo.Foo";
	assert_string_equal(cv_shorten_function_name(same, same, sizeof(same)),
			    "foo.Foo");
}

static void test_long_hostile_name(void **state)
{
	size_t n = 200000;
	char *name = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		name[i] = i % 3 == 2 ? ':' : 'a';
	name[n] = '\0';
	char *buf = malloc(n + 1);
	cv_shorten_function_name(name, buf, n + 1);
	assert_int_equal(strlen(buf), n);
	free(buf);
	free(name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_names_unchanged),
		cmocka_unit_test(test_go_package_paths),
		cmocka_unit_test(test_go_module_versions),
		cmocka_unit_test(test_java),
		cmocka_unit_test(test_cpp),
		cmocka_unit_test(test_newlines_as_in_go),
		cmocka_unit_test(test_small_buffer_truncates),
		cmocka_unit_test(test_long_hostile_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
