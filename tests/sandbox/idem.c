/* idem.c: the idempotency cache. A successful bulk answer is kept under its
 * X-Qonto-Idempotency-Key for --idempotency-ttl; a repeat gets it back and
 * creates nothing; after the lifetime the key is free again (as Qonto).
 * Callers hold sb->lock. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

static void purge_expired(struct sandbox *sb)
{
	int64_t now = util_now_ms();
	size_t i = 0;

	while (i < sb->n_idem) {
		if (now < sb->idem[i].expires_ms) {
			i++;
			continue;
		}
		free(sb->idem[i].response);
		sb->idem[i] = sb->idem[--sb->n_idem];
	}
}

/* Borrowed entry for key, NULL when unknown or expired. */
struct idem_entry *idem_find(struct sandbox *sb, const char *key)
{
	purge_expired(sb);
	for (size_t i = 0; i < sb->n_idem; i++)
		if (strcmp(sb->idem[i].key, key) == 0)
			return &sb->idem[i];
	return NULL;
}

/* Copies response. */
int idem_store(struct sandbox *sb, const char *key,
	       const unsigned char hash[32], const char *response, size_t len)
{
	struct idem_entry *grown, *e;
	char *copy;

	if (sb->cfg.idem_off)
		return 0;
	copy = malloc(len + 1);

	grown = util_grow(sb->idem, &sb->cap_idem, sb->n_idem + 1,
			  sizeof(*sb->idem));
	if (!copy || !grown) {
		free(copy);
		return -1;
	}
	sb->idem = grown;
	e = &sb->idem[sb->n_idem++];
	memset(e, 0, sizeof(*e));
	snprintf(e->key, sizeof(e->key), "%s", key);
	memcpy(e->body_hash, hash, 32);
	e->expires_ms = util_now_ms() + sb->cfg.idem_ttl_ms;
	memcpy(copy, response, len);
	copy[len] = '\0';
	e->response = copy;
	e->len = len;
	return 0;
}

void idem_clear(struct sandbox *sb)
{
	for (size_t i = 0; i < sb->n_idem; i++)
		free(sb->idem[i].response);
	free(sb->idem);
	sb->idem = NULL;
	sb->n_idem = sb->cap_idem = 0;
}
