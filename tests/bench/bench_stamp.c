/* bench_stamp.c: runs a command and writes each line of its stderr to OUT
 * with the milliseconds since the command started, as the line arrives;
 * then "MS exit STATUS". Its stdout goes to /dev/null. Used by
 * tests/bench/run.sh to time `cardorder submit` from its progress lines
 * (issue 8).
 *
 *   bench_stamp OUT -- CMD ARGS... */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static pid_t spawn(char **argv, int err_fd)
{
	pid_t pid = fork();
	int null;

	if (pid != 0)
		return pid;
	null = open("/dev/null", O_RDWR);
	if (null < 0 || dup2(null, STDOUT_FILENO) < 0 ||
	    dup2(err_fd, STDERR_FILENO) < 0)
		_exit(127);
	execvp(argv[0], argv);
	perror("bench_stamp: exec");
	_exit(127);
}

int main(int argc, char **argv)
{
	FILE *out, *in;
	char *line = NULL;
	size_t cap = 0;
	int fds[2], status = 0;
	double t0;
	ssize_t n;
	pid_t pid;

	if (argc < 4 || strcmp(argv[2], "--") != 0) {
		fprintf(stderr, "usage: bench_stamp OUT -- CMD ARGS...\n");
		return 2;
	}
	out = fopen(argv[1], "w");
	if (!out || pipe(fds) != 0) {
		perror("bench_stamp");
		return 2;
	}
	t0 = now_ms();
	pid = spawn(argv + 3, fds[1]);
	close(fds[1]);
	in = fdopen(fds[0], "r");
	while (pid > 0 && in && (n = getline(&line, &cap, in)) > 0)
		fprintf(out, "%.1f %s%s", now_ms() - t0, line,
			line[n - 1] == '\n' ? "" : "\n");
	if (pid > 0)
		waitpid(pid, &status, 0);
	fprintf(out, "%.1f exit %d\n", now_ms() - t0,
		WIFEXITED(status) ? WEXITSTATUS(status)
				  : 128 + WTERMSIG(status));
	free(line);
	if (in)
		fclose(in);
	return fclose(out) == 0 && pid > 0 ? 0 : 2;
}
