/* main.c: qonto-sandbox, a loopback fake of Qonto's Business API for the
 * tests and `make demo` (see --help). */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

/* Writes the port to path through a temporary file and rename(), so that
 * a test polling for the file never reads it half-written. */
static int write_port_file(const char *path, uint16_t port)
{
	char tmp[4096];
	FILE *f;
	int rc = -1;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp))
		return -1;
	f = fopen(tmp, "w");
	if (!f)
		goto out;
	if (fprintf(f, "%u\n", (unsigned int)port) < 0) {
		fclose(f);
		goto out;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		fprintf(stderr, "qonto-sandbox: %s: %s\n", path,
			strerror(errno));
		unlink(tmp);
	}
	return rc;
}

static int sandbox_init(struct sandbox *sb)
{
	int rc;

	if (pthread_mutex_init(&sb->lock, NULL) != 0)
		return -1;
	if (seed_load(&sb->seed, sb->cfg.seed_dir, sb->cfg.catalog_dir) < 0 ||
	    (sb->cfg.caller && seed_set_caller(&sb->seed, sb->cfg.caller) < 0) ||
	    (sb->cfg.closed_account &&
	     seed_close_account(&sb->seed, sb->cfg.closed_account) < 0))
		return -1;
	pthread_mutex_lock(&sb->lock);
	rc = oauth_preregister(sb);
	if (rc == 0)
		rc = bulk_seed_existing(sb);
	pthread_mutex_unlock(&sb->lock);
	return rc;
}

static void sandbox_free(struct sandbox *sb)
{
	admin_clear(sb);
	pthread_mutex_lock(&sb->lock);
	oauth_clear(sb);
	pthread_mutex_unlock(&sb->lock);
	seed_free(&sb->seed);
	pthread_mutex_destroy(&sb->lock);
}

/* Blocks the stop signals in every thread (MHD's inherit the mask) so that
 * the main thread can sigwait() for them. */
static void block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int serve(struct sandbox *sb)
{
	struct MHD_Daemon *d;
	uint16_t port = 0;
	sigset_t set;
	int sig = 0;

	block_signals(&set);
	d = http_start(sb, &port);
	if (!d || port == 0) {
		fprintf(stderr,
			"qonto-sandbox: cannot listen on 127.0.0.1:%u\n",
			sb->cfg.port);
		if (d)
			MHD_stop_daemon(d);
		return -1;
	}
	if (sb->cfg.port_file && write_port_file(sb->cfg.port_file, port) < 0) {
		MHD_stop_daemon(d);
		return -1;
	}
	printf("qonto-sandbox listening on http://127.0.0.1:%u\n",
	       (unsigned int)port);
	fflush(stdout);
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	return 0;
}

int main(int argc, char **argv)
{
	static struct sandbox sb;
	int rc;

	rc = options_parse(&sb.cfg, argc, argv);
	if (rc != 0)
		return rc > 0 ? EXIT_SUCCESS : 2;
	/* Upper-casing embossed names needs a UTF-8 LC_CTYPE. */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "");
	if (sandbox_init(&sb) < 0) {
		sandbox_free(&sb);
		return EXIT_FAILURE;
	}
	rc = serve(&sb);
	sandbox_free(&sb);
	return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
