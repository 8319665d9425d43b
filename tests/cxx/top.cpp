// A C++ program using libcallviz.so through the public API only: read a
// profile, print its top table (go tool pprof -top) to standard output.
// Built with the C++ compiler against the shared library, it checks that
// every public header compiles as C++ and links through extern "C".
#include <callviz/callviz.h>

#include <cstdio>
#include <memory>
#include <string>

namespace {

struct profile_deleter {
	void operator()(cv_profile *p) const { cv_profile_free(p); }
};
using profile_ptr = std::unique_ptr<cv_profile, profile_deleter>;

int fail(const std::string &what)
{
	std::fprintf(stderr, "cxx_top: %s: %s\n", what.c_str(), cv_error_last());
	return 1;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: cxx_top PROFILE\n");
		return 2;
	}
	std::string path = argv[1];
	cv_profile *raw = nullptr;
	if (cv_profile_read(&raw, path.c_str()) != CV_OK)
		return fail(path);
	profile_ptr p(raw);

	cv_report_options o;
	cv_report_options_init(&o);
	int si = cv_profile_sample_index(p.get(), "");
	if (si < 0)
		return fail("sample index");
	o.sample_index = si;
	if (cv_report_top(stdout, p.get(), &o) != CV_OK)
		return fail("top");
	return std::fflush(stdout) == 0 ? 0 : 1;
}
