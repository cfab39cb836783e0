/* options.c: the command line of qonto-sandbox. */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

#ifndef SANDBOX_SEED_DIR
#define SANDBOX_SEED_DIR "assets/sandbox"
#endif

enum option_id {
	OPT_PORT = 256,
	OPT_PORT_FILE,
	OPT_SEED_DIR,
	OPT_CALLER,
	OPT_CLOSED_ACCOUNT,
	OPT_CATALOG_DIR,
	OPT_STAGING_TOKEN,
	OPT_ACCESS_TOKEN,
	OPT_REFRESH_TOKEN,
	OPT_API_KEY,
	OPT_TOKEN_LIFETIME,
	OPT_CODE_LIFETIME,
	OPT_CLIENT_ID,
	OPT_CLIENT_SECRET,
	OPT_REDIRECT_URI,
	OPT_VALIDATION,
	OPT_SCA,
	OPT_SCA_POLLS,
	OPT_SCA_LIFETIME,
	OPT_IDEM_TTL,
	OPT_IDEM_MODE,
	OPT_RATE_LIMIT,
	OPT_FAULT_RATE,
	OPT_FAULTS,
	OPT_FAULT_COUNT,
	OPT_FAULT_SCOPE,
	OPT_SEED,
	OPT_LATENCY,
	OPT_DRIP_BYTES,
	OPT_DRIP_MS,
};

static const struct option long_options[] = {
    {"port", required_argument, NULL, OPT_PORT},
    {"port-file", required_argument, NULL, OPT_PORT_FILE},
    {"seed-dir", required_argument, NULL, OPT_SEED_DIR},
    {"caller", required_argument, NULL, OPT_CALLER},
    {"closed-account", required_argument, NULL, OPT_CLOSED_ACCOUNT},
    {"catalog-dir", required_argument, NULL, OPT_CATALOG_DIR},
    {"staging-token", required_argument, NULL, OPT_STAGING_TOKEN},
    {"access-token", required_argument, NULL, OPT_ACCESS_TOKEN},
    {"refresh-token", required_argument, NULL, OPT_REFRESH_TOKEN},
    {"api-key", required_argument, NULL, OPT_API_KEY},
    {"token-lifetime", required_argument, NULL, OPT_TOKEN_LIFETIME},
    {"code-lifetime", required_argument, NULL, OPT_CODE_LIFETIME},
    {"oauth-client-id", required_argument, NULL, OPT_CLIENT_ID},
    {"oauth-client-secret", required_argument, NULL, OPT_CLIENT_SECRET},
    {"redirect-uri", required_argument, NULL, OPT_REDIRECT_URI},
    {"validation", required_argument, NULL, OPT_VALIDATION},
    {"sca", required_argument, NULL, OPT_SCA},
    {"sca-polls", required_argument, NULL, OPT_SCA_POLLS},
    {"sca-lifetime", required_argument, NULL, OPT_SCA_LIFETIME},
    {"idempotency-ttl", required_argument, NULL, OPT_IDEM_TTL},
    {"idempotency", required_argument, NULL, OPT_IDEM_MODE},
    {"rate-limit", required_argument, NULL, OPT_RATE_LIMIT},
    {"fault-rate", required_argument, NULL, OPT_FAULT_RATE},
    {"faults", required_argument, NULL, OPT_FAULTS},
    {"fault-count", required_argument, NULL, OPT_FAULT_COUNT},
    {"fault-scope", required_argument, NULL, OPT_FAULT_SCOPE},
    {"seed", required_argument, NULL, OPT_SEED},
    {"latency-ms", required_argument, NULL, OPT_LATENCY},
    {"drip-bytes", required_argument, NULL, OPT_DRIP_BYTES},
    {"drip-ms", required_argument, NULL, OPT_DRIP_MS},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

void options_usage(FILE *out)
{
	static const char *const lines[] = {
	    "Usage: qonto-sandbox [OPTION]...",
	    "A loopback fake of Qonto's Business API and OAuth server "
	    "(qonto-api.md) for",
	    "tests and demos. Listens on 127.0.0.1 only, prints its URL on "
	    "stdout and runs",
	    "until SIGINT or SIGTERM. Durations: N (seconds), Ns, Nms, Nm or "
	    "Nh.",
	    "",
	    "Network:",
	    "  --port N                 port; 0 picks a free one (default 0)",
	    "  --port-file PATH         write the chosen port there "
	    "(atomically)",
	    "Data:",
	    "  --seed-dir DIR           seed JSON files (cards.json: the cards "
	    "the",
	    "                           organisation already has, put back on "
	    "each reset)",
	    "                           (default " SANDBOX_SEED_DIR ")",
	    "  --caller MEMBERSHIP_ID   whose token it is (default: the owner of",
	    "                           membership.json); an employee or "
	    "reporting caller",
	    "                           gets 403 on the bulk endpoint, a manager "
	    "orders",
	    "                           for their own team only",
	    "  --closed-account ID      that bank account is closed: listed so, and",
	    "                           cards on it are refused",
	    "  --catalog-dir DIR        where categories.txt and countries.tsv "
	    "are",
	    "                           (default SEED-DIR/..)",
	    "Authentication:",
	    "  --staging-token TOKEN    require X-Qonto-Staging-Token: TOKEN "
	    "on /v2/...;",
	    "                           without it the answer is an HTML login "
	    "page (200)",
	    "  --access-token TOKEN     accept this bearer token (all scopes, "
	    "no expiry);",
	    "                           repeatable",
	    "  --refresh-token TOKEN    accept this refresh token; repeatable",
	    "  --api-key LOGIN:SECRET   accept this API key (read endpoints "
	    "only; card",
	    "                           creation gets 403); repeatable",
	    "  --token-lifetime DUR     lifetime of issued access tokens "
	    "(default 1h)",
	    "  --code-lifetime DUR      lifetime of authorization codes "
	    "(default 10m)",
	    "  --oauth-client-id ID     the OAuth client id (default "
	    "cardorder)",
	    "  --oauth-client-secret S  the client must send this secret "
	    "(default: none,",
	    "                           a public client)",
	    "  --redirect-uri URI       an allowed redirect URI, repeatable; a "
	    "loopback",
	    "                           URI may use another port (RFC 8252); "
	    "default: any",
	    "                           http loopback URI",
	    "Cards:",
	    "  --validation MODE        per-card: invalid cards become error "
	    "entries in a",
	    "                           200 (default); whole: one invalid card "
	    "refuses the",
	    "                           whole request with 422",
	    "  --idempotency-ttl DUR    how long an idempotency key is kept "
	    "(default 30m)",
	    "  --idempotency MODE       on (default): a repeated key gets the "
	    "cached answer;",
	    "                           off: keys are checked but never kept, "
	    "as Qonto",
	    "                           might do for the bulk endpoint, which "
	    "documents none",
	    "SCA (card creation):",
	    "  --sca MODE               mock: a session waits for a decision "
	    "through",
	    "                           /v2/mocked_sca_sessions or /_sandbox "
	    "(default);",
	    "                           auto: allow after --sca-polls polls; "
	    "auto-deny:",
	    "                           deny after them; not-enrolled: always "
	    "answer 428",
	    "                           sca_not_enrolled; off: no SCA",
	    "  --sca-polls N            polls before an auto decision (default "
	    "2)",
	    "  --sca-lifetime DUR       a waiting session turns to deny "
	    "(default 15m)",
	    "Rate limiting:",
	    "  --rate-limit N/DUR       at most N requests per DUR window; "
	    "repeatable;",
	    "                           'off' removes the limits (default "
	    "1000/10s and",
	    "                           10000/10m); the excess gets 429 and "
	    "Retry-After",
	    "Fault injection (/v2 and /oauth2; deterministic for a seed):",
	    "  --fault-rate R           probability 0..1 that a request gets "
	    "one (default 0)",
	    "  --faults LIST            comma-separated kinds, or all "
	    "(default):",
	    "                           latency, 500, 503, 429, drop-before "
	    "(nothing is",
	    "                           created), drop-after (created, no "
	    "answer),",
	    "                           truncate, invalid-json, drip (slow "
	    "answer),",
	    "                           hostile (escapes, bidi, long text in "
	    "card names",
	    "                           and membership last names)",
	    "  --fault-count N          inject at most N faults (default: no "
	    "cap)",
	    "  --fault-scope SCOPE      all (default) or bulk (POST "
	    "/v2/cards/bulk only)",
	    "  --seed N                 seed of fault draws and card digits "
	    "(default 1)",
	    "  --latency-ms N           delay of the latency fault (default "
	    "2000)",
	    "  --drip-bytes N           bytes per drip step (default 16)",
	    "  --drip-ms N              milliseconds between drip steps "
	    "(default 100)",
	    "Other:",
	    "  -v, --verbose            log every request on stderr",
	    "  -h, --help               show this help and exit",
	    "",
	    "Control endpoints for tests (no authentication, no faults):",
	    "  GET  /_sandbox/cards     created cards with holder_id, counts "
	    "per holder",
	    "  GET  /_sandbox/stats     requests, replays, SCA challenges, "
	    "faults, statuses",
	    "  POST /_sandbox/cards/life {\"ids\": [...], \"status\": \"live\", "
	    "\"pin_set\": true,",
	    "                           \"shipped\": true}: cards move along their "
	    "life",
	    "  POST /_sandbox/reset     forget cards, keys, sessions and "
	    "issued tokens",
	    "  GET  /_sandbox/sca_sessions, POST "
	    "/_sandbox/sca_sessions/TOKEN/allow|deny,",
	    "  POST /_sandbox/sca/allow|deny (every waiting session),",
	    "  POST /_sandbox/expire_tokens (every access token expires now)",
	    "  POST /_sandbox/faults {\"rate\": R, \"faults\": LIST, \"count\": N, \"bulk\": B}"
	    " (from now on)",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		fputs(lines[i], out);
		fputc('\n', out);
	}
}

static void defaults(struct sandbox_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->seed_dir = SANDBOX_SEED_DIR;
	cfg->client_id = "cardorder";
	cfg->token_lifetime_ms = 3600 * 1000;
	cfg->code_lifetime_ms = 600 * 1000;
	cfg->sca_lifetime_ms = 900 * 1000;
	cfg->idem_ttl_ms = 1800 * 1000;
	cfg->sca_polls = 2;
	cfg->limits[0] = (struct rate_limit){1000, 10 * 1000};
	cfg->limits[1] = (struct rate_limit){10000, 600 * 1000};
	cfg->n_limits = 2;
	cfg->fault_mask = (1u << FAULT_COUNT) - 1;
	cfg->seed = 1;
	cfg->latency_ms = 2000;
	cfg->drip_bytes = 16;
	cfg->drip_ms = 100;
}

static int add_list(const char **list, size_t *n, const char *value)
{
	if (*n >= SANDBOX_MAX_LIST)
		return -1;
	list[(*n)++] = value;
	return 0;
}

static int parse_rate_limit(struct sandbox_config *cfg, const char *arg,
			    bool *first)
{
	const char *slash = strchr(arg, '/');
	char num[32];
	struct rate_limit lim;

	if (*first) {
		cfg->n_limits = 0;
		*first = false;
	}
	if (strcmp(arg, "off") == 0)
		return 0;
	if (!slash || (size_t)(slash - arg) >= sizeof(num) ||
	    cfg->n_limits >= SANDBOX_MAX_LIST)
		return -1;
	memcpy(num, arg, (size_t)(slash - arg));
	num[slash - arg] = '\0';
	if (!util_parse_ulong(num, 100000000UL, &lim.max) || lim.max == 0 ||
	    !util_parse_duration(slash + 1, &lim.window_ms) ||
	    lim.window_ms <= 0)
		return -1;
	cfg->limits[cfg->n_limits++] = lim;
	return 0;
}

static int parse_enum(const char *arg, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(arg, names[i]) == 0)
			return i;
	return -1;
}

static int parse_uint(const char *arg, unsigned long max, unsigned int *out)
{
	unsigned long v;

	if (!util_parse_ulong(arg, max, &v))
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static int parse_rate(const char *arg, double *out)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end != '\0' || !(v >= 0.0 && v <= 1.0))
		return -1;
	*out = v;
	return 0;
}

static int parse_modes(struct sandbox_config *cfg, int id, const char *arg)
{
	static const char *const validation[] = {"per-card", "whole"};
	static const char *const sca[] = {"mock", "auto", "auto-deny",
					  "not-enrolled", "off"};
	static const char *const scope[] = {"all", "bulk"};
	static const char *const on_off[] = {"on", "off"};
	int v;

	switch (id) {
	case OPT_IDEM_MODE:
		v = parse_enum(arg, on_off, 2);
		cfg->idem_off = v == 1;
		break;
	case OPT_VALIDATION:
		v = parse_enum(arg, validation, 2);
		cfg->validation = (enum validation_mode)v;
		break;
	case OPT_SCA:
		v = parse_enum(arg, sca, 5);
		cfg->sca = (enum sca_mode)v;
		break;
	default:
		v = parse_enum(arg, scope, 2);
		cfg->fault_bulk_only = v == 1;
		break;
	}
	return v < 0 ? -1 : 0;
}

static int parse_numbers(struct sandbox_config *cfg, int id, const char *arg)
{
	unsigned long v;

	switch (id) {
	case OPT_PORT:
		return parse_uint(arg, 65535, &cfg->port);
	case OPT_SCA_POLLS:
		return parse_uint(arg, 1000000, &cfg->sca_polls);
	case OPT_LATENCY:
		return parse_uint(arg, 600000, &cfg->latency_ms);
	case OPT_DRIP_MS:
		return parse_uint(arg, 60000, &cfg->drip_ms);
	case OPT_DRIP_BYTES:
		if (parse_uint(arg, 1 << 20, &cfg->drip_bytes) < 0)
			return -1;
		return cfg->drip_bytes ? 0 : -1;
	case OPT_FAULT_COUNT:
		return util_parse_ulong(arg, ~0UL, &cfg->fault_count) ? 0 : -1;
	case OPT_SEED:
		if (!util_parse_ulong(arg, ~0UL, &v))
			return -1;
		cfg->seed = v;
		return 0;
	default:
		return parse_rate(arg, &cfg->fault_rate);
	}
}

static int parse_durations(struct sandbox_config *cfg, int id, const char *arg)
{
	int64_t *target;

	switch (id) {
	case OPT_TOKEN_LIFETIME:
		target = &cfg->token_lifetime_ms;
		break;
	case OPT_CODE_LIFETIME:
		target = &cfg->code_lifetime_ms;
		break;
	case OPT_SCA_LIFETIME:
		target = &cfg->sca_lifetime_ms;
		break;
	default:
		target = &cfg->idem_ttl_ms;
		break;
	}
	return util_parse_duration(arg, target) ? 0 : -1;
}

static int parse_one(struct sandbox_config *cfg, int id, const char *arg,
		     bool *first_limit)
{
	switch (id) {
	case OPT_PORT_FILE:
		cfg->port_file = arg;
		return 0;
	case OPT_SEED_DIR:
		cfg->seed_dir = arg;
		return 0;
	case OPT_CALLER:
		cfg->caller = arg;
		return 0;
	case OPT_CLOSED_ACCOUNT:
		cfg->closed_account = arg;
		return 0;
	case OPT_CATALOG_DIR:
		cfg->catalog_dir = arg;
		return 0;
	case OPT_STAGING_TOKEN:
		cfg->staging_token = arg;
		return 0;
	case OPT_CLIENT_ID:
		cfg->client_id = arg;
		return 0;
	case OPT_CLIENT_SECRET:
		cfg->client_secret = arg;
		return 0;
	case OPT_ACCESS_TOKEN:
		return add_list(cfg->access_tokens, &cfg->n_access_tokens, arg);
	case OPT_REFRESH_TOKEN:
		return add_list(cfg->refresh_tokens, &cfg->n_refresh_tokens,
				arg);
	case OPT_API_KEY:
		if (!strchr(arg, ':'))
			return -1;
		return add_list(cfg->api_keys, &cfg->n_api_keys, arg);
	case OPT_REDIRECT_URI:
		return add_list(cfg->redirect_uris, &cfg->n_redirect_uris, arg);
	case OPT_TOKEN_LIFETIME:
	case OPT_CODE_LIFETIME:
	case OPT_SCA_LIFETIME:
	case OPT_IDEM_TTL:
		return parse_durations(cfg, id, arg);
	case OPT_VALIDATION:
	case OPT_SCA:
	case OPT_FAULT_SCOPE:
	case OPT_IDEM_MODE:
		return parse_modes(cfg, id, arg);
	case OPT_RATE_LIMIT:
		return parse_rate_limit(cfg, arg, first_limit);
	case OPT_FAULTS:
		return fault_parse_list(arg, &cfg->fault_mask);
	default:
		return parse_numbers(cfg, id, arg);
	}
}

/* Returns 0 to run, 1 when --help was shown, -1 on a usage error (already
 * reported on stderr). */
int options_parse(struct sandbox_config *cfg, int argc, char **argv)
{
	bool first_limit = true;
	int c;

	defaults(cfg);
	while ((c = getopt_long(argc, argv, "hv", long_options, NULL)) != -1) {
		if (c == 'h') {
			options_usage(stdout);
			return 1;
		}
		if (c == 'v') {
			cfg->verbose = true;
			continue;
		}
		if (c == '?' || parse_one(cfg, c, optarg, &first_limit) < 0) {
			if (c != '?')
				fprintf(stderr,
					"qonto-sandbox: invalid value for "
					"--%s: %s\n",
					long_options[c - OPT_PORT].name,
					optarg);
			fputs("Try 'qonto-sandbox --help'.\n", stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "qonto-sandbox: unexpected argument: %s\n",
			argv[optind]);
		return -1;
	}
	return 0;
}
