/*
 * Robustness limits: the wire scan that runs while a profile inflates
 * (lib/profile/scan.c), the checks on a decoded profile (limits.c), and
 * the DOT text passes for hostile names (lib/render/dot_text.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "profile/limits.h"
#include "render/dot_text.h"
#include "util/utf8.h"

static int scan(const void *data, size_t len)
{
	cv_scan s;
	cv_scan_init(&s, (size_t)1 << 20);
	return cv_scan_feed(&s, data, len);
}

static void test_scan_structure(void **state)
{
	/* field 0, a group, wire type 7: protobuf-c refuses them, so does the scan */
	assert_int_equal(scan("\x00\x01", 2), CV_EFORMAT);
	assert_non_null(strstr(cv_error_last(), "not a profile.proto"));
	assert_int_equal(scan("\xa3\x01", 2), CV_EFORMAT);
	assert_int_equal(scan("\x0f", 1), CV_EFORMAT);
	/* a tag over 5 bytes, a length over INT_MAX */
	assert_int_equal(scan("\x80\x80\x80\x80\x80\x01", 6), CV_EFORMAT);
	assert_int_equal(scan("\x32\xff\xff\xff\xff\x0f", 6), CV_EFORMAT);
	/* protobuf-c's quirks are accepted: a 5-byte tag with a field number
	 * over 2^29, and field 0 spelt in two bytes */
	assert_int_equal(scan("\xe8\x92\xb5\xaf\x22\x05", 6), 0);
	assert_int_equal(scan("\x80\x00\x05", 3), 0);
	/* a field cut short is left for the next feed */
	assert_int_equal(scan("\x32\x05" "ab", 4), 0);
	/* an empty string table entry and an unknown varint field */
	assert_int_equal(scan("\x32\x00\xa0\x01\x05", 5), 0);
}

static void test_scan_incremental(void **state)
{
	/* string "abc" then an empty sample, fed a byte at a time */
	const uint8_t msg[] = {0x32, 0x03, 'a', 'b', 'c', 0x12, 0x00};
	cv_scan s;
	cv_scan_init(&s, 1000);
	for (size_t n = 0; n <= sizeof(msg); n++)
		assert_int_equal(cv_scan_feed(&s, msg, n), 0);
	assert_int_equal(s.pos, sizeof(msg));
	assert_int_equal(s.strings, 1);
	assert_int_equal(s.messages, 2);
}

static void test_scan_claims(void **state)
{
	/* a sample claiming 2000 bytes can never fit under -max_bytes 1000 */
	cv_scan s;
	cv_scan_init(&s, 1000);
	assert_int_equal(cv_scan_feed(&s, (const uint8_t *)"\x12\xd0\x0f", 3), CV_EFORMAT);
	assert_non_null(strstr(cv_error_last(), "exceeds -max_bytes (1000 bytes)"));
	/* a string claiming more than 1 MiB is refused before it arrives */
	cv_scan_init(&s, (size_t)1 << 30);
	assert_int_equal(cv_scan_feed(&s, (const uint8_t *)"\x32\x81\x80\x40", 4), CV_EFORMAT);
	assert_non_null(strstr(cv_error_last(), "string table entry 0 is 1048577 bytes long, over the 1 MiB limit"));
}

static void test_scan_counts(void **state)
{
	/* a sample whose packed location ids hold 5 numbers, 2 values, a label */
	const uint8_t sample[] = {0x12, 0x0e, 0x0a, 0x06, 1, 2, 0x83, 0x01, 4, 5,
				  0x12, 0x02, 7, 8, 0x1a, 0x00};
	cv_scan s;
	cv_scan_init(&s, 1000);
	assert_int_equal(cv_scan_feed(&s, sample, sizeof(sample)), 0);
	assert_int_equal(s.numbers, 7);
	assert_int_equal(s.messages, 2);
}

static void test_format_size(void **state)
{
	char buf[32];
	assert_string_equal(cv_format_size(buf, sizeof(buf), (size_t)2 << 30), "2 GiB");
	assert_string_equal(cv_format_size(buf, sizeof(buf), 30 * 1024), "30 KiB");
	assert_string_equal(cv_format_size(buf, sizeof(buf), 1000), "1000 bytes");
	assert_string_equal(cv_format_size(buf, sizeof(buf), 1536 * 1024), "1536 KiB");
}

/* A decoded-looking profile with one sample type and n samples. */
typedef struct tiny {
	cv_profile p;
	cv_value_type st;
	cv_sample s[4];
	int64_t v[4];
	cv_location loc;
	uint32_t locs[4];
} tiny;

static void make_tiny(tiny *t, const int64_t *vals, size_t n)
{
	memset(t, 0, sizeof(*t));
	t->st = (cv_value_type){"samples", "count"};
	t->p.sample_types = &t->st;
	t->p.n_sample_types = 1;
	t->p.locations = &t->loc;
	t->p.n_locations = 1;
	for (size_t i = 0; i < n; i++) {
		t->v[i] = vals[i];
		t->s[i] = (cv_sample){.locs = &t->locs[i], .n_locs = 1, .values = &t->v[i]};
	}
	t->p.samples = t->s;
	t->p.n_samples = n;
}

static void test_value_sums(void **state)
{
	tiny t;
	make_tiny(&t, (int64_t[]){INT64_MAX}, 1);
	assert_int_equal(cv_profile_check_limits(&t.p), 0);
	make_tiny(&t, (int64_t[]){INT64_MAX - 5, -5}, 2);
	assert_int_equal(cv_profile_check_limits(&t.p), 0);
	make_tiny(&t, (int64_t[]){INT64_MAX, 1}, 2);
	assert_int_equal(cv_profile_check_limits(&t.p), CV_EFORMAT);
	assert_non_null(strstr(cv_error_last(), "overflow 64 bits when summed (at sample 1)"));
	make_tiny(&t, (int64_t[]){INT64_MIN}, 1);
	assert_int_equal(cv_profile_check_limits(&t.p), CV_EFORMAT);
	make_tiny(&t, (int64_t[]){-INT64_MAX, -1}, 2);
	assert_int_equal(cv_profile_check_limits(&t.p), CV_EFORMAT);
}

static void test_frames(void **state)
{
	tiny t;
	make_tiny(&t, (int64_t[]){1}, 1);
	cv_line lines[2];
	t.loc.lines = lines;
	t.loc.n_lines = 2;
	/* one location with 2 lines, named 2^19 times: exactly 2^20 frames */
	uint32_t *locs = calloc((size_t)1 << 19, sizeof(*locs));
	t.s[0].locs = locs;
	t.s[0].n_locs = (size_t)1 << 19;
	assert_int_equal(cv_profile_check_limits(&t.p), 0);
	t.loc.n_lines = 3;
	assert_int_equal(cv_profile_check_limits(&t.p), CV_EFORMAT);
	assert_non_null(strstr(cv_error_last(), "sample 0 has a stack of 1572864 frames, over the 1048576 limit"));
	free(locs);
}

/* tame: the DOT text after cv_dot_tame_strings, as a C string */
static char *tame(const char *text)
{
	cv_strbuf sb = CV_STRBUF_INIT;
	cv_strbuf_puts(&sb, text);
	assert_int_equal(cv_dot_tame_strings(&sb), 0);
	return cv_strbuf_detach(&sb, NULL);
}

static void test_tame_strings(void **state)
{
	/* ordinary text, even long, is untouched */
	cv_strbuf big = CV_STRBUF_INIT;
	for (int i = 0; i < 2000; i++)
		cv_strbuf_printf(&big, "N%d [label=\"a\\\\b \\\"q\\\" \\l\" tooltip=\"x\"]\n", i);
	char *want = cv_strbuf_detach(&big, NULL);
	char *got = tame(want);
	assert_string_equal(got, want);
	free(got);
	free(want);

	/* a 3000-character line is cut at 1000 with an ellipsis, the next
	 * line of the label kept; an escape pair is never split */
	char *line = malloc(8000);
	strcpy(line, "N1 [label=\"");
	for (int i = 0; i < 1500; i++)
		strcat(line, "\\\"");
	strcat(line, "\\nnext\"]\n");
	got = tame(line);
	const char *cut = strstr(got, "\xe2\x80\xa6\\nnext\"]");
	assert_non_null(cut);
	assert_int_equal(cut - got, strlen("N1 [label=\"") + 2000);
	free(got);
	free(line);

	/* a string of many short lines over 16 KB is split, DOT-joined */
	cv_strbuf sb = CV_STRBUF_INIT;
	cv_strbuf_puts(&sb, "a [label=\"");
	for (int i = 0; i < 3000; i++)
		cv_strbuf_puts(&sb, "abcdefgh\\l");
	cv_strbuf_puts(&sb, "\"]\n");
	assert_int_equal(cv_dot_tame_strings(&sb), 0);
	char *s = cv_strbuf_detach(&sb, NULL);
	char *join = strstr(s, "\" + \"");
	assert_non_null(join);
	assert_true(join - s < 16100);
	assert_true(join[-1] != '\\');
	free(s);
}

static void test_clean_for_graphviz(void **state)
{
	char *s = cv_dot_clean_for_graphviz("a\xff" "b\x01\tc\n\xc3\xa9\xed\xa0\x80\xef\xbf\xbf");
	assert_string_equal(s, "a\xef\xbf\xbd" "b\xef\xbf\xbd\tc\n\xc3\xa9"
			       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	s = cv_dot_clean_for_graphviz("digraph { \"\xe2\x82\xac\" }");
	assert_string_equal(s, "digraph { \"\xe2\x82\xac\" }");
	free(s);
}

static void test_utf8_len(void **state)
{
	(void)state;
	assert_int_equal(cv_utf8_len("a", 1), 1);
	assert_int_equal(cv_utf8_len("\xc3\xa9", 2), 2);
	assert_int_equal(cv_utf8_len("\xe2\x82\xac", 3), 3);
	assert_int_equal(cv_utf8_len("\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(cv_utf8_len("\xe2\x82\xac", 2), 0);  /* cut short */
	assert_int_equal(cv_utf8_len("\xff", 1), 0);
	assert_int_equal(cv_utf8_len("\xc0\x80", 2), 0);      /* overlong NUL */
	assert_int_equal(cv_utf8_len("\xed\xa0\x80", 3), 0);  /* surrogate */
	assert_int_equal(cv_utf8_len("\xf4\x90\x80\x80", 4), 0);  /* beyond U+10FFFF */
	assert_int_equal(cv_utf8_len("\xef\xbf\xbe", 3), 0);  /* U+FFFE */
	assert_int_equal(cv_utf8_len("", 0), 0);
}

/* -dot's text gets the replacements graphviz's copy gets; clean text stays. */
static void test_clean_strings(void **state)
{
	(void)state;
	cv_strbuf sb = CV_STRBUF_INIT;
	cv_strbuf_puts(&sb, "N1 [label=\"a\xff\x01\xc3\xa9\"]\n");
	assert_int_equal(cv_dot_clean_strings(&sb), 0);
	assert_string_equal(sb.buf, "N1 [label=\"a\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9\"]\n");
	char *before = sb.buf;
	assert_int_equal(cv_dot_clean_strings(&sb), 0);
	assert_ptr_equal(sb.buf, before);
	cv_strbuf_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_structure),
		cmocka_unit_test(test_scan_incremental),
		cmocka_unit_test(test_scan_claims),
		cmocka_unit_test(test_scan_counts),
		cmocka_unit_test(test_format_size),
		cmocka_unit_test(test_value_sums),
		cmocka_unit_test(test_frames),
		cmocka_unit_test(test_tame_strings),
		cmocka_unit_test(test_clean_for_graphviz),
		cmocka_unit_test(test_utf8_len),
		cmocka_unit_test(test_clean_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
