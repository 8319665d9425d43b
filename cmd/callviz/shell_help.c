/* The shell's `help`: pprof's command list and usage lines, callviz's reports. */
#include <stdio.h>
#include <string.h>

#include "shell.h"

typedef struct help_entry {
	const char *name;
	const char *description;
	const char *usage;         /* NULL: takes only redirection */
} help_entry;

#define REPORT(c) c " [n] [focus_regex]* [-ignore_regex]* [name=value]* >f"
#define REPORT_CUM(c) c " [n] [focus_regex]* [-ignore_regex]* [-cum] [name=value]* >f"
#define LIST(c) c " <func_regex> [focus_regex]* [-ignore_regex]* [name=value]* >f"

static const help_entry entries[] = {
	{"callgrind", "Outputs a graph in callgrind format", REPORT("callgrind")},
	{"comments", "Output all profile comments", NULL},
	{"dot", "Outputs a graph in DOT format", REPORT("dot")},
	{"flame", "Outputs an interactive flame graph in SVG format", REPORT("flame")},
	{"folded", "Outputs collapsed stacks (root;caller;leaf value)", REPORT("folded")},
	{"gif", "Outputs a graph image in GIF format", REPORT("gif")},
	{"hotspots", "Outputs each hotspot class's share and top functions", REPORT("hotspots")},
	{"html", "Outputs one self-contained HTML report", REPORT("html")},
	{"icicle", "Outputs an interactive flame graph with the roots at the top", REPORT("icicle")},
	{"list", "Output annotated source for functions matching regexp", LIST("list")},
	{"pdf", "Outputs a graph in PDF format", REPORT("pdf")},
	{"peek", "Output callers/callees of functions matching regexp", LIST("peek")},
	{"png", "Outputs a graph image in PNG format", REPORT("png")},
	{"proto", "Outputs the profile in compressed protobuf format", NULL},
	{"ps", "Outputs a graph in PS format", REPORT("ps")},
	{"raw", "Outputs a text representation of the raw profile", NULL},
	{"svg", "Outputs a graph in SVG format", REPORT("svg")},
	{"tags", "Outputs all tags in the profile",
	 "tags [tag_regex]* [-ignore_regex]* >f\n"
	 "List tags with key:value matching tag_regex and exclude ignore_regex."},
	{"text", "Outputs top entries in text form", REPORT_CUM("text")},
	{"top", "Outputs top entries in text form", REPORT_CUM("top")},
	{"traces", "Outputs all profile samples in text form", NULL},
	{"tree", "Outputs a text rendering of call graph", REPORT_CUM("tree")},
	{"web", "Visualize graph through web browser ($BROWSER), else print the SVG's path",
	 REPORT("web")},
};

#define N_ENTRIES (sizeof(entries) / sizeof(entries[0]))

static const char usage_notes[] =
	"    n limits the report to n nodes (top shows 10 unless told).\n"
	"    Words are focus regexes, -words ignore regexes; name=value sets an\n"
	"    option for this command only. >f writes the report to file f.\n";

void shell_command_help(const char *name)
{
	for (size_t i = 0; i < N_ENTRIES; i++) {
		if (strcmp(entries[i].name, name))
			continue;
		printf("%s\n", entries[i].description);
		if (entries[i].usage)
			printf("  Usage:\n    %s\n%s", entries[i].usage,
			       strchr(entries[i].usage, '\n') ? "" : usage_notes);
		printf("\n");
		return;
	}
	const char *help = shell_option_help(name);
	if (help) {
		printf("%s\n\n", help);
		return;
	}
	shell_error("Unknown command: %s", name);
}

void shell_help(const char *topic)
{
	if (topic && *topic) {
		shell_command_help(topic);
		fflush(stdout);
		return;
	}
	printf("  Commands:\n");
	for (size_t i = 0; i < N_ENTRIES; i++)
		printf("    %-16s %s\n", entries[i].name, entries[i].description);
	printf("    %-16s %s\n", "o/options", "List options and their current values");
	printf("    %-16s %s\n\n  Options:\n", "q/quit/exit/^D", "Exit callviz");
	for (const char *const *n = shell_option_names(); *n; n++)
		printf("    %-16s %s\n", *n, shell_option_help(*n));
	printf("\n"
	       "  name=value sets an option, name= puts its default back, a bare\n"
	       "  boolean name sets it to true; a sample type's name selects it.\n"
	       "  :   Clear focus/ignore/hide/tagfocus/tagignore\n\n"
	       "  type \"help <cmd|option>\" for more information\n");
	fflush(stdout);
}
