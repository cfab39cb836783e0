/* bench_tty.c: the terminal front end as a person meets it (issue 8):
 * cardorder runs in a pseudo-terminal of 100x30 (forkpty), and this
 * program reads every byte it writes, with the time it arrives.
 *
 *   bench_tty [--runs R] [--keys K] --rows N --state DIR -- CMD ARGS...
 *
 * CMD opens an order of N cards. Prints one Markdown row:
 *   - from the start to the first key bar (whatever the screen) and to the
 *     order screen's, the medians of R starts (each with a fresh
 *     XDG_STATE_HOME);
 *   - then, in one more session: r (review), S, y (send), Enter once the
 *     order is sent; the time the review and the results take to appear,
 *     and the bytes of the results' first frame;
 *   - on the results table, K presses of j and K of PgDn: the median time
 *     from writing the key to the last byte of the screen's update (the
 *     update is over when the terminal has been quiet for QUIET_MS, which
 *     is not counted), and the median bytes written per key.
 * With --review, one session only (issue 11): the order screen, then r;
 * the time the review takes to appear, the time G (its end) takes, and
 * the program's peak memory (VmHWM) at the order screen and after the
 * review, in MB.
 * Figures only: nothing here passes or fails on time. */
#include "config.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define COLS 100
#define LINES 30
#define PAGE (LINES - 6) /* rows of the results table */
#define QUIET_MS 20.0
#define MAX_KEYS 200

/* What the terminal showed since the last mark: the text without escape
 * sequences (a cursor motion becomes a newline), to look for words. */
struct tty {
	pid_t pid;
	int fd;
	char *text;
	size_t len, cap;
	size_t bytes;	  /* raw bytes since the mark */
	double last_byte; /* when the last byte arrived, ms */
	int esc;	  /* escape-sequence state */
	bool eof;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void append(struct tty *t, char c)
{
	if (t->len + 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 65536;
		char *p = realloc(t->text, cap);

		if (!p) {
			perror("bench_tty");
			exit(1);
		}
		t->text = p;
		t->cap = cap;
	}
	t->text[t->len++] = c;
	t->text[t->len] = '\0';
}

/* BENCH_TTY_DUMP=FILE keeps every byte, to see what a wait missed. */
static FILE *dump;

enum { ES_TEXT, ES_ESC, ES_CSI, ES_OSC, ES_CHARSET };

static void feed(struct tty *t, unsigned char c)
{
	switch (t->esc) {
	case ES_ESC:
		t->esc = c == '['		? ES_CSI
			 : c == ']'		? ES_OSC
			 : c == '(' || c == ')' ? ES_CHARSET
						: ES_TEXT;
		return;
	case ES_CSI:
		if (c >= 0x40 && c <= 0x7e) {
			t->esc = ES_TEXT;
			if (c != 'm') /* attributes do not break a word */
				append(t, '\n');
		}
		return;
	case ES_OSC:
		if (c == 7 || c == 0x1b)
			t->esc = c == 0x1b ? ES_ESC : ES_TEXT;
		return;
	case ES_CHARSET:
		t->esc = ES_TEXT;
		return;
	default:
		break;
	}
	if (c == 0x1b)
		t->esc = ES_ESC;
	else if (c == '\r' || c == '\n' || c == '\b')
		append(t, '\n');
	else if (c >= 0x20)
		append(t, (char)c);
}

static void mark(struct tty *t)
{
	t->len = t->bytes = 0;
	if (t->text)
		t->text[0] = '\0';
}

/* Reads what is there, waiting at most timeout_ms for the first byte.
 * Returns the bytes read (0: nothing came). */
static size_t pump(struct tty *t, double timeout_ms)
{
	struct pollfd p = {.fd = t->fd, .events = POLLIN};
	unsigned char buf[16384];
	ssize_t n;

	if (t->eof ||
	    poll(&p, 1, timeout_ms < 0 ? 0 : (int)(timeout_ms + 0.999)) <= 0)
		return 0;
	n = read(t->fd, buf, sizeof(buf));
	if (n <= 0) {
		t->eof = true; /* EIO once the program has gone */
		return 0;
	}
	t->last_byte = now_ms();
	t->bytes += (size_t)n;
	if (dump)
		fwrite(buf, 1, (size_t)n, dump);
	for (ssize_t i = 0; i < n; i++)
		feed(t, buf[i]);
	return (size_t)n;
}

/* Waits until the text since the mark shows one of what[] (a NULL-ended
 * list); returns when it was seen, or -1. */
static double wait_any(struct tty *t, const char *const *what,
		       double timeout_ms)
{
	double deadline = now_ms() + timeout_ms;
	size_t from = 0;

	for (;;) {
		for (size_t i = 0; t->text && what[i]; i++)
			if (strstr(t->text + from, what[i]))
				return t->last_byte;
		from = t->len > 64 ? t->len - 64 : 0; /* markers are shorter */
		if (t->eof || now_ms() >= deadline)
			return -1;
		pump(t, deadline - now_ms());
	}
}

static double wait_text(struct tty *t, const char *what, double timeout_ms)
{
	const char *const list[] = {what, NULL};

	return wait_any(t, list, timeout_ms);
}

/* Reads until nothing has come for quiet_ms (or until limit_ms). */
static void wait_quiet(struct tty *t, double quiet_ms, double limit_ms)
{
	double deadline = now_ms() + limit_ms, since = now_ms();

	while (!t->eof && now_ms() < deadline) {
		if (pump(t, quiet_ms))
			since = now_ms();
		else if (now_ms() - since >= quiet_ms)
			return;
	}
}

static int start(struct tty *t, char **argv, const char *state)
{
	struct winsize ws = {.ws_row = LINES, .ws_col = COLS};

	memset(t, 0, sizeof(*t));
	t->pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (t->pid < 0) {
		perror("bench_tty: forkpty");
		return -1;
	}
	if (t->pid == 0) {
		mkdir(state, 0700);
		setenv("XDG_STATE_HOME", state, 1);
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		unsetenv("NO_COLOR");
		execvp(argv[0], argv);
		perror("bench_tty: exec");
		_exit(127);
	}
	return 0;
}

static void stop(struct tty *t)
{
	int status;

	kill(t->pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		pump(t, 10); /* drain, so that it is never blocked writing */
		if (waitpid(t->pid, &status, WNOHANG) == t->pid)
			goto out;
	}
	kill(t->pid, SIGKILL);
	waitpid(t->pid, &status, 0);
out:
	close(t->fd);
	free(t->text);
	t->text = NULL;
}

/* A key, and how long the screen took to show what it did. */
static double press(struct tty *t, const char *key, size_t *bytes)
{
	double t0;

	mark(t);
	t0 = now_ms();
	if (write(t->fd, key, strlen(key)) < 0)
		return -1;
	t->last_byte = t0;
	if (pump(t, 3000))
		wait_quiet(t, QUIET_MS, 10000);
	*bytes = t->bytes;
	return t->last_byte - t0;
}

/* A key that opens a screen: the time until the screen shows expect and
 * then goes quiet, or -1. */
static double open_screen(struct tty *t, const char *key, const char *expect,
			  double limit_ms, size_t *bytes)
{
	double t0;

	mark(t);
	t0 = now_ms();
	if (write(t->fd, key, strlen(key)) < 0 ||
	    wait_text(t, expect, limit_ms) < 0) {
		fprintf(stderr, "bench_tty: after %s, no \"%s\"\n", key,
			expect);
		return -1;
	}
	wait_quiet(t, QUIET_MS, 10000);
	*bytes = t->bytes;
	return t->last_byte - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	if (n <= 0)
		return -1;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct opts {
	int runs, keys;
	bool review_only;
	long rows;
	const char *state;
	char **argv;
};

static const char order_bar[] = "review & send";

/* Starts o->runs times: the median time to the first frame (whatever the
 * screen: "connecting" while the organisation loads) and to the order
 * screen's key bar. */
static int first_screen(const struct opts *o, double *first_ms,
			double *order_ms)
{
	static const char *const any_bar[] = {"? help", order_bar, NULL};
	double v[32], w[32];
	char dir[4096];
	int n = 0;

	for (int k = 0; k < o->runs && k < 32; k++) {
		struct tty t;
		double t0 = now_ms();

		snprintf(dir, sizeof(dir), "%s/start-%d", o->state, k);
		if (start(&t, o->argv, dir) != 0)
			return -1;
		v[n] = wait_any(&t, any_bar, 30000) - t0;
		w[n] = wait_text(&t, order_bar, 30000) - t0;
		stop(&t);
		if (v[n] < 0 || w[n] < 0) {
			fprintf(stderr,
				"bench_tty: no order screen within 30 s\n");
			return -1;
		}
		n++;
	}
	*first_ms = median(v, n);
	*order_ms = median(w, n);
	return 0;
}

/* Presses key o->keys times; every `wrap` presses, g goes back to the
 * top (not measured), so that every measured press moves. */
static void scroll(struct tty *t, const struct opts *o, const char *key,
		   long wrap, double *ms, double *bytes)
{
	double v[MAX_KEYS], b[MAX_KEYS];
	size_t n;
	int k;

	for (k = 0; k < o->keys && k < MAX_KEYS; k++) {
		if (wrap > 0 && k > 0 && k % wrap == 0)
			press(t, "g", &n);
		v[k] = press(t, key, &n);
		b[k] = (double)n;
	}
	press(t, "g", &n);
	*ms = median(v, k);
	*bytes = median(b, k);
}

struct session {
	double review_ms, results_ms, results_bytes;
	double j_ms, j_bytes, pg_ms, pg_bytes;
};

static int step(struct tty *t, const char *key, const char *expect,
		double limit_ms)
{
	mark(t);
	if (write(t->fd, key, strlen(key)) < 0 ||
	    wait_text(t, expect, limit_ms) < 0) {
		fprintf(stderr, "bench_tty: after %s, no \"%s\"\n", key,
			expect);
		return -1;
	}
	return 0;
}

static int session(const struct opts *o, struct session *s)
{
	struct tty t;
	char dir[4096], confirm[64];
	size_t n;
	int rc = -1;

	snprintf(dir, sizeof(dir), "%s/session", o->state);
	snprintf(confirm, sizeof(confirm), "Order %ld card(s)", o->rows);
	if (start(&t, o->argv, dir) != 0)
		return -1;
	if (wait_text(&t, order_bar, 30000) < 0 ||
	    wait_text(&t, "Atelier Lumi", 30000) < 0) {
		fprintf(stderr,
			"bench_tty: the order screen did not connect\n");
		goto out;
	}
	wait_quiet(&t, 300, 5000);
	s->review_ms =
	    open_screen(&t, "r", "exactly what will be sent", 600000, &n);
	if (s->review_ms < 0)
		goto out;
	if (step(&t, "S", confirm, 10000) ||
	    step(&t, "y", "press Enter for the results", 600000))
		goto out;
	wait_quiet(&t, 300, 5000);
	s->results_ms = open_screen(&t, "\r", "results:", 60000, &n);
	s->results_bytes = (double)n;
	if (s->results_ms < 0)
		goto out;
	scroll(&t, o, "j", o->rows - 1, &s->j_ms, &s->j_bytes);
	scroll(&t, o, "\033[6~", (o->rows - 1) / PAGE, &s->pg_ms, &s->pg_bytes);
	rc = 0;
out:
	stop(&t);
	return rc;
}

/* The peak resident memory of pid so far, in MB (-1 when unknown). */
static double peak_mb(pid_t pid)
{
	char path[64], line[256];
	double kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %lf kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

/* --review: the review's cost in time and memory. */
static int review_session(const struct opts *o)
{
	double order_mb, review_mb, review_ms, end_ms;
	char dir[4096], draft[4200];
	struct stat sb;
	struct tty t;
	size_t n;
	int rc = -1;

	snprintf(dir, sizeof(dir), "%s/review", o->state);
	if (start(&t, o->argv, dir) != 0)
		return -1;
	if (wait_text(&t, order_bar, 120000) < 0 ||
	    wait_text(&t, "Atelier Lumi", 120000) < 0) {
		fprintf(stderr, "bench_tty: the order screen did not connect\n");
		goto out;
	}
	/* The baseline once the draft of the imported order is saved (300 ms
	 * after the last change), so that the save is not counted as the
	 * review's. */
	snprintf(draft, sizeof(draft), "%s/cardorder/draft.json", dir);
	for (int i = 0; i < 600 && stat(draft, &sb) != 0; i++)
		pump(&t, 100);
	wait_quiet(&t, 300, 10000);
	order_mb = peak_mb(t.pid);
	review_ms = open_screen(&t, "r", "exactly what will be sent", 600000, &n);
	if (review_ms < 0)
		goto out;
	end_ms = press(&t, "G", &n);
	review_mb = peak_mb(t.pid);
	printf("| %6ld | %7.1f | %7.1f | %7.1f | %7.1f | %+5.1f %% |\n", o->rows,
	       review_ms, end_ms, order_mb, review_mb,
	       order_mb > 0 ? (review_mb - order_mb) * 100 / order_mb : 0);
	rc = 0;
out:
	stop(&t);
	return rc;
}

static int parse(int argc, char **argv, struct opts *o)
{
	o->runs = 5;
	o->keys = 60;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0 && i + 1 < argc) {
			o->argv = argv + i + 1;
			return o->rows > 0 && o->state ? 0 : -1;
		}
		if (strcmp(argv[i], "--review") == 0) {
			o->review_only = true;
			continue;
		}
		if (i + 1 >= argc)
			return -1;
		if (strcmp(argv[i], "--runs") == 0)
			o->runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--keys") == 0)
			o->keys = atoi(argv[++i]);
		else if (strcmp(argv[i], "--rows") == 0)
			o->rows = atol(argv[++i]);
		else if (strcmp(argv[i], "--state") == 0)
			o->state = argv[++i];
		else
			return -1;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	struct session s = {0};
	double first, order;

	if (parse(argc, argv, &o) != 0) {
		fprintf(stderr,
			"usage: bench_tty [--runs R] [--keys K] [--review] "
			"--rows N --state DIR -- CMD ARGS...\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (getenv("BENCH_TTY_DUMP"))
		dump = fopen(getenv("BENCH_TTY_DUMP"), "w");
	if (o.review_only)
		return review_session(&o) == 0 ? 0 : 1;
	if (first_screen(&o, &first, &order) != 0 || session(&o, &s) != 0)
		return 1;
	printf("| %6ld | %6.1f | %6.1f | %7.1f | %7.1f | %7.0f | %5.2f | %5.0f "
	       "| %5.2f | %5.0f |\n",
	       o.rows, first, order, s.review_ms, s.results_ms, s.results_bytes,
	       s.j_ms, s.j_bytes, s.pg_ms, s.pg_bytes);
	return 0;
}
