/* retry.h: the one retry policy of every request cardorder makes: how
 * long to wait before trying again (exponential backoff with full jitter,
 * or the server's Retry-After), and which failures of a read are worth
 * another try. The submission, the directory and the other readers of
 * Qonto all ask here, so that they behave alike. */
#ifndef CARDORDER_RETRY_H
#define CARDORDER_RETRY_H

#include <stdbool.h>

#include "http.h"

#define RETRY_BASE_MS 500
#define RETRY_MAX_MS 30000
#define RETRY_READ_ATTEMPTS 6 /* a GET: tries before the person is told */
#define RETRY_AFTER_MAX_S 600 /* a longer Retry-After is taken as this */

struct retry_policy {
	long base_ms; /* 0: RETRY_BASE_MS */
	long max_ms;  /* 0: RETRY_MAX_MS */
};

/* The wait before the next attempt, after `failures` failed ones (0 for
 * the first retry). A Retry-After of retry_after_s seconds (> 0) wins
 * (at most RETRY_AFTER_MAX_S: a hostile server cannot park the order);
 * otherwise a random wait between base/2 and
 * min(base << failures, max) + base/2. seed is the caller's rand_r state. */
long long retry_delay_ms(const struct retry_policy *p, unsigned failures,
			 long retry_after_s, unsigned *seed);

/* A seed for retry_delay_ms that differs between processes. */
unsigned retry_seed(void);

/* Whether a failed read (a GET, which creates nothing) is worth another
 * try: a transfer that failed (but was not cancelled), a 429, a 5xx, or a
 * 200 whose body could not be read (unreadable). */
bool retry_read_worth(const struct http_request *h, bool unreadable);

#endif
