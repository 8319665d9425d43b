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

/* printf-style checking of a format argument, where the compiler has it. */
#if defined(__GNUC__) || defined(__clang__)
#define CV_FORMAT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CV_FORMAT_PRINTF(fmt, args)
#endif

#endif
