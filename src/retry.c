/* retry.c: backoff and retry decisions (see retry.h). */
#include "config.h"

#include "retry.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

long long retry_delay_ms(const struct retry_policy *p, unsigned failures,
			 long retry_after_s, unsigned *seed)
{
	long long base = p && p->base_ms > 0 ? p->base_ms : RETRY_BASE_MS;
	long long max = p && p->max_ms > 0 ? p->max_ms : RETRY_MAX_MS;
	long long cap = base << (failures > 10 ? 10 : failures);

	if (retry_after_s > 0)
		return (retry_after_s < RETRY_AFTER_MAX_S ? retry_after_s
							  : RETRY_AFTER_MAX_S) * 1000LL;
	if (cap > max)
		cap = max;
	/* Full jitter, at least half the base so that retries never spin. */
	return base / 2 + (long long)(rand_r(seed) % (cap + 1));
}

unsigned retry_seed(void)
{
	return (unsigned)time(NULL) ^ ((unsigned)getpid() << 16);
}

bool retry_read_worth(const struct http_request *h, bool unreadable)
{
	if (h->outcome != HTTP_ANSWERED)
		return h->outcome != HTTP_CANCELLED;
	if (h->status == 429 || h->status >= 500)
		return true;
	return h->status == 200 && unreadable;
}
