#!/bin/bash
# cmake --install lays out binary, libraries, headers, callviz.pc and the man
# page, and a program built only from pkg-config's flags links and runs.
. "$(dirname "$0")/lib.sh" "$@"
BUILD=$(dirname "$CALLVIZ")
P=$TMP/prefix

cmake --install "$BUILD" --prefix "$P" >/dev/null && ok || bad "cmake --install failed"
for f in bin/callviz include/callviz/callviz.h include/callviz/graph.h share/man/man1/callviz.1; do
	[ -e "$P/$f" ] && ok || bad "missing $f"
done
pc=$(find "$P" -name callviz.pc | head -1)
[ -n "$pc" ] && ok || bad "missing callviz.pc"
ls "$P"/lib*/libcallviz.a >/dev/null 2>&1 && ok || bad "missing static library"
ls "$P"/lib*/libcallviz.so >/dev/null 2>&1 && ok || bad "missing shared library"

cat >"$TMP/use.c" <<'C'
#include <callviz/callviz.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	cv_profile *p;
	if (cv_profile_read(&p, argv[1]) != 0) {
		fprintf(stderr, "%s\n", cv_error_last());
		return 1;
	}
	cv_report_options o;
	cv_report_options_init(&o);
	o.sample_index = cv_profile_sample_index(p, NULL);
	char *dot, *svg;
	size_t n;
	if (cv_report_dot_string(&dot, &n, p, &o) || cv_render_layout(&svg, &n, dot, "svg"))
		return 1;
	printf("%s %zu\n", cv_version(), n);
	free(dot);
	free(svg);
	cv_profile_free(p);
	return 0;
}
C
export PKG_CONFIG_PATH=$(dirname "$pc")
# A sanitizer build's library needs the sanitizer runtime in the program too.
extra=""
grep -q "CALLVIZ_SANITIZE:BOOL=ON" "$BUILD/CMakeCache.txt" 2>/dev/null && extra="-fsanitize=address,undefined"
libdir=$(pkg-config --variable=libdir callviz)
if cc $extra -o "$TMP/use" "$TMP/use.c" $(pkg-config --cflags --libs callviz) 2>"$TMP/cc.err"; then
	ok
	LD_LIBRARY_PATH=$libdir "$TMP/use" "$DATA/go-cpu.pb.gz" | grep -Eq '^[0-9.]+ [0-9]+$' && ok || bad "program linked via pkg-config failed"
else
	bad "compiling against callviz.pc failed: $(cat "$TMP/cc.err")"
fi
finish
