#ifndef CALLVIZ_COMMON_H
#define CALLVIZ_COMMON_H

/*
 * What every public header includes: the export macro. (Each header also
 * wraps its declarations in extern "C" for C++ programs.)
 *
 * CV_EXTERN marks a function of the public API. libcallviz.so is built
 * with hidden visibility (-fvisibility=hidden), so a function is exported
 * exactly when its declaration in include/callviz/ carries CV_EXTERN;
 * everything else in the library, the protobuf-c code included, stays
 * internal. tests/abi/check_exports.sh checks that the exported symbols
 * and the CV_EXTERN declarations are the same set.
 */
#if defined(__GNUC__) || defined(__clang__)
#define CV_EXTERN extern __attribute__((visibility("default")))
#else
#define CV_EXTERN extern
#endif

/*
 * Options structs (cv_*_options) follow one rule, so that fields can be
 * added without breaking programs built against an older header:
 *
 * - The first field is `unsigned int version`. cv_X_options_init(&o)
 *   sets every field to its default and version to CV_X_OPTIONS_VERSION,
 *   the layout the program was compiled with.
 * - A zeroed struct (`cv_X_options o = {0};`, or designated initialisers)
 *   is valid too: version 0 reads as version 1, and each header says what
 *   its struct's zeroed fields mean (often the defaults, not always).
 *   Exceptions: cv_load_options and cv_view_options (view.h) refuse
 *   version 0, since their zeroed fields cannot mean a usable default.
 * - New fields are only ever appended, with a new version number. The
 *   library reads a field only if the caller's version has it, and every
 *   function taking the struct that returns an error code refuses a
 *   version newer than its own with CV_EINVAL, so a program built against
 *   a newer header fails loudly on an older library.
 * - Where a function takes a NULL options pointer, NULL means the init
 *   defaults.
 *
 * Other structs the API takes (cv_dot_config, the cv_html_* pages,
 * cv_frame_spec, ...) describe data rather than options and have no
 * version: their layout changes only with the library's major version
 * (the SONAME, libcallviz.so.N).
 */

/* printf-style checking of a format argument, where the compiler has it. */
#if defined(__GNUC__) || defined(__clang__)
#define CV_FORMAT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CV_FORMAT_PRINTF(fmt, args)
#endif

#endif
