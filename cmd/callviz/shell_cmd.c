/*
 * The shell's report commands, parsed as go tool pprof's shell parses them
 * (`top 20 json -runtime -cum >out.txt`), each run in a child process: the
 * child filters its own copy of the profile (fork's copy-on-write keeps
 * the session's untouched), and Ctrl-C stops the child, not the shell.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pipeline.h"
#include "shell.h"

typedef struct command {
	const char *name;
	const char *format;        /* cli_produce's format */
	bool has_param;            /* list and peek take a regex first */
	const char *ext;           /* written to profileNNN.<ext> unless redirected */
} command;

static const command commands[] = {
	{"top", "top", false, NULL},
	{"text", "top", false, NULL},
	{"tree", "tree", false, NULL},
	{"traces", "traces", false, NULL},
	{"peek", "peek", true, NULL},
	{"list", "list", true, NULL},
	{"tags", "tags", false, NULL},
	{"comments", "comments", false, NULL},
	{"raw", "raw", false, NULL},
	{"dot", "dot", false, NULL},
	{"folded", "folded", false, NULL},
	{"hotspots", "hotspots", false, NULL},
	{"callgrind", "callgrind", false, "callgraph.out"},
	{"proto", "proto", false, "pb.gz"},
	{"svg", "svg", false, "svg"},
	{"pdf", "pdf", false, "pdf"},
	{"png", "png", false, "png"},
	{"gif", "gif", false, "gif"},
	{"ps", "ps", false, "ps"},
	{"flame", "flame", false, "svg"},
	{"icicle", "icicle", false, "svg"},
	{"html", "html", false, "html"},
	{"web", "svg", false, "svg"},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

const char *const *shell_command_names(void)
{
	static const char *names[N_COMMANDS + 1];
	for (size_t i = 0; i < N_COMMANDS; i++)
		names[i] = commands[i].name;
	return names;
}

static const command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* pprof joins several focus (or ignore) words into one alternation. */
static const char *cat_regex(shell *sh, const char *a, const char *b)
{
	if (!a || !*a)
		return b;
	char *s;
	if (asprintf(&s, "%s|%s", a, b) < 0)
		return a;
	const char *kept = shell_keep(sh, s);
	free(s);
	return kept ? kept : a;
}

static bool is_count(const char *t, int *n)
{
	char *end;
	errno = 0;
	long v = strtol(t, &end, 10);
	if (errno || *end || end == t || !isdigit((unsigned char)t[strspn(t, "+-")]) ||
	    v < INT32_MIN || v > INT32_MAX)
		return false;
	*n = (int)v;
	return true;
}

/* The words after the command (and its regex): pprof's parseCommandLine. */
static int parse_args(shell *sh, cli_options *o, const command *c, char **args, int n)
{
	const char *focus = NULL, *ignore = NULL;
	for (int i = 0; i < n; i++) {
		const char *t = args[i];
		int count;
		if (is_count(t, &count)) {
			o->node_count = count;
			continue;
		}
		if (t[0] == '>') {
			const char *file = t + 1;
			if (!*file && (++i >= n || !*(file = args[i])))
				return shell_error("unexpected end of line after >"), -1;
			o->output = file;
		} else if (!strcmp(t, "-cum") || !strcmp(t, "--cum")) {
			o->cum = true;
			o->flat = false;
		} else if (t[0] == '-') {
			ignore = cat_regex(sh, ignore, t + 1);
		} else {
			/* callviz also takes a one-shot option: top focus=json. */
			int rc = shell_assign_once(sh, o, t);
			if (rc < 0)
				return -1;
			if (rc == 0)
				focus = cat_regex(sh, focus, t);
		}
	}
	bool tags = !strcmp(c->name, "tags");
	if (focus)
		*(tags ? &o->tagfocus : &o->focus) = focus;
	if (ignore)
		*(tags ? &o->tagignore : &o->ignore) = ignore;
	/* The shell's top shows 10 lines unless told otherwise. */
	if (o->node_count == -1 && !strcmp(c->format, "top"))
		o->node_count = 10;
	return 0;
}

/* profile001.svg, profile002.svg, ...: the first name free, created empty. */
static char *free_name(const char *ext)
{
	for (int i = 1; i < 10000; i++) {
		char *path;
		if (asprintf(&path, "profile%03d.%s", i, ext) < 0)
			return NULL;
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd >= 0) {
			close(fd);
			return path;
		}
		free(path);
		if (errno != EEXIST)
			break;
	}
	cv_error_set(CV_EIO, "could not create file of the form profile001.%s: %s", ext,
		     strerror(errno));
	return NULL;
}

/* $BROWSER's words, then the file; the shell does not wait for it. */
static void open_browser(const char *path)
{
	const char *browser = getenv("BROWSER");
	if (!browser || !*browser)
		return;
	pid_t pid = fork();
	if (pid != 0)
		return;
	/* A grandchild, so nobody waits for the browser. */
	if (fork() != 0)
		_exit(0);
	char *copy = strdup(browser);
	char *argv[64];
	int n = 0;
	for (char *w = strtok(copy, " "); w && n < 62; w = strtok(NULL, " "))
		argv[n++] = w;
	argv[n++] = (char *)path;
	argv[n] = NULL;
	execvp(argv[0], argv);
	fprintf(stderr, "callviz: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int write_out(const command *c, const cli_options *o, const char *data, size_t len)
{
	char *path = o->output ? strdup(o->output) : c->ext ? free_name(c->ext) : NULL;
	if (!o->output && !c->ext) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout))
			return cv_error_set(CV_EIO, "writing standard output failed");
		return 0;
	}
	if (!path)
		return -1;
	fprintf(stderr, "Generating report in %s\n", path);
	int rc = cli_write_file(path, data, len);
	if (rc == 0 && !strcmp(c->name, "web")) {
		if (getenv("BROWSER") && *getenv("BROWSER"))
			open_browser(path);
		else
			printf("%s\n", path);
	}
	free(path);
	return rc;
}

/* In the child: the report from the session's profile, written out. */
static int run_report(shell *sh, const command *c, const cli_options *o)
{
	char *data;
	size_t len;
	int rc = cli_render(&data, &len, o, sh->p, sh->name);
	if (rc == 0 && write_out(c, o, data, len)) {
		shell_error("%s", cv_error_last());
		rc = EXIT_FAILED;
	}
	free(data);
	fflush(stdout);
	return rc;
}

static void run_child(shell *sh, const command *c, const cli_options *o)
{
	fflush(stdout);
	fflush(stderr);
	/* Ctrl-C reaches the child (same process group); the shell carries on. */
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	sigaction(SIGINT, &ign, &old);
	pid_t pid = fork();
	if (pid < 0) {
		sigaction(SIGINT, &old, NULL);
		shell_error("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		_exit(run_report(sh, c, o));
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old, NULL);
	if (WIFSIGNALED(status))
		shell_error("%s: %s", c->name, WTERMSIG(status) == SIGINT ? "interrupted" :
			    strsignal(WTERMSIG(status)));
}

/* "top20" is "top 20", as in pprof: *digits gets "20" (kept by the session). */
static const command *split_digits(shell *sh, const char *name, const char **digits)
{
	const command *c = find_command(name);
	*digits = NULL;
	if (c)
		return c;
	size_t len = strlen(name), k = len;
	while (k > 0 && isdigit((unsigned char)name[k - 1]))
		k--;
	if (k == 0 || k == len)
		return NULL;
	char *head = strndup(name, k);
	c = head ? find_command(head) : NULL;
	free(head);
	if (c)
		*digits = shell_keep(sh, name + k);
	return c;
}

void shell_command(shell *sh, char **tokens, int n)
{
	const char *name = tokens[0], *digits;
	const command *c = split_digits(sh, name, &digits);
	if (!c) {
		if (shell_option_help(name))
			shell_error("did you mean: %s=%s", name, n > 1 ? tokens[1] : "<val>");
		else
			shell_error("unrecognized command: \"%s\"", name);
		return;
	}
	char **args = tokens + 1;
	int n_args = n - 1;
	if (digits) {
		/* The digits come first, before the other words. */
		args = tokens;
		args[0] = (char *)digits;
		n_args = n;
	}
	cli_options o = sh->o;
	o.format = c->format;
	if (c->has_param) {
		if (n_args == 0) {
			shell_error("command %s requires an argument", c->name);
			return;
		}
		o.symbol = args[0];
		args++;
		n_args--;
	}
	if (parse_args(sh, &o, c, args, n_args) == 0)
		run_child(sh, c, &o);
}
