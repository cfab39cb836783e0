/* fault.c: deterministic fault injection. Request number n (counting only
 * requests that may get a fault) gets a fault when mix(seed, n) falls under
 * the rate, so a client that sends its requests one after the other sees
 * the same faults on every run with the same --seed. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sandbox.h"

#define FAULT_NAME(name, text) text,
static const char *const fault_names[] = {FAULT_LIST(FAULT_NAME)};
#undef FAULT_NAME

const char *fault_name(enum fault_kind kind)
{
	if (kind < 0 || kind >= FAULT_COUNT)
		return "none";
	return fault_names[kind];
}

/* "all" or a comma-separated list of names. */
int fault_parse_list(const char *list, unsigned int *mask)
{
	const char *p = list;

	if (strcmp(list, "all") == 0) {
		*mask = (1u << FAULT_COUNT) - 1;
		return 0;
	}
	*mask = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		int found = -1;

		for (int k = 0; k < FAULT_COUNT; k++)
			if (strlen(fault_names[k]) == n &&
			    strncmp(p, fault_names[k], n) == 0)
				found = k;
		if (found < 0)
			return -1;
		*mask |= 1u << found;
		p += n;
		if (*p == ',')
			p++;
	}
	return *mask ? 0 : -1;
}

static enum fault_kind pick_kind(unsigned int mask, uint64_t r)
{
	int enabled[FAULT_COUNT];
	int n = 0;

	for (int k = 0; k < FAULT_COUNT; k++)
		if (mask & (1u << k))
			enabled[n++] = k;
	if (n == 0)
		return FAULT_NONE;
	return (enum fault_kind)enabled[r % (uint64_t)n];
}

/* Decides the fault of one request; takes the lock. */
enum fault_kind fault_draw(struct sandbox *sb, bool bulk)
{
	const struct sandbox_config *cfg = &sb->cfg;
	enum fault_kind kind = FAULT_NONE;
	uint64_t r;
	double u;

	if (cfg->fault_rate <= 0.0 || (cfg->fault_bulk_only && !bulk))
		return FAULT_NONE;
	pthread_mutex_lock(&sb->lock);
	if (cfg->fault_count && sb->faults_injected >= cfg->fault_count)
		goto out;
	r = util_mix64(cfg->seed * 0x100000001b3ULL + sb->fault_draws++);
	u = (double)(r >> 11) * 0x1.0p-53;
	if (u >= cfg->fault_rate)
		goto out;
	kind = pick_kind(cfg->fault_mask, util_mix64(r));
	if (kind != FAULT_NONE) {
		sb->faults_injected++;
		sb->stats.faults[kind]++;
	}
out:
	pthread_mutex_unlock(&sb->lock);
	return kind;
}

/* Strings a careless client would print raw: terminal escapes that clear
 * the screen and retitle the window, a bidi override that reverses what
 * follows, and text far longer than any column. Returns a malloc'd copy. */
char *fault_hostile_string(uint64_t n)
{
	static const char *const hostile[] = {
	    "\x1b[2J\x1b[H\x1b]0;pwned\x07 card",
	    "\xe2\x80\xae"
	    "dracer\xe2\x80\xac evil \xe2\x80\x8f",
	    NULL, /* long text */
	    "\x1b[31mRED\x1b[0m\r\nline two\tTAB\x08\x7f",
	    "\x1b]8;;https://evil.example/\x07" "click me\x1b]8;;\x07",
	};
	const char *s = hostile[n % (sizeof(hostile) / sizeof(hostile[0]))];
	const size_t long_len = 4096;
	char *text;

	if (s)
		return strdup(s);
	text = malloc(long_len + 1);
	if (!text)
		return NULL;
	for (size_t i = 0; i < long_len; i++)
		text[i] = "WIDE-"[i % 5];
	text[long_len] = '\0';
	return text;
}

/* Damages a response body in place: truncate halves it, invalid-json
 * turns it into something no strict parser accepts. */
void fault_corrupt(struct reply *r, enum fault_kind kind)
{
	static const char tail[] = ",\"broken\": NaN,}";
	char *grown;

	if (kind == FAULT_TRUNCATE) {
		r->len = r->len > 1 ? r->len / 2 : 0;
		return;
	}
	if (kind != FAULT_INVALID_JSON)
		return;
	grown = realloc(r->body, r->len + sizeof(tail));
	if (!grown)
		return;
	r->body = grown;
	if (r->len > 0 && r->body[r->len - 1] == '}')
		r->len--;
	memcpy(r->body + r->len, tail, sizeof(tail));
	r->len += sizeof(tail) - 1;
}

void fault_sleep_ms(unsigned int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000,
			      .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
