/* check_sandbox_oauth.c: the OAuth endpoints (authorization code + PKCE
 * S256, refresh, expiry, scopes) and the /_sandbox control endpoints. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "check_sandbox.h"

#define VERIFIER "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-sandbox-test"
#define REDIRECT "http://127.0.0.1:53683/callback"
#define REDIRECT_ENC "http%3A%2F%2F127.0.0.1%3A53683%2Fcallback"
#define SCOPES "card.read%20card.write%20organization.read%20offline_access"

static void challenge_of(const char *verifier, char out[64])
{
	unsigned char hash[32];
	unsigned char b64[64];
	unsigned int n = 0;
	size_t len;

	EVP_Digest(verifier, strlen(verifier), hash, &n, EVP_sha256(), NULL);
	EVP_EncodeBlock(b64, hash, 32);
	len = strcspn((char *)b64, "=");
	for (size_t i = 0; i < len; i++)
		out[i] = b64[i] == '+'	 ? '-'
			 : b64[i] == '/' ? '_'
					 : (char)b64[i];
	out[len] = '\0';
}

/* GET /oauth2/auth; returns the status, Location in loc. */
static long authorize(const char *query, char *loc, size_t size)
{
	char path[2048];
	struct sbt_resp r;
	long status;

	snprintf(path, sizeof(path), "/oauth2/auth?%s", query);
	sbt_request(&r, "GET", path, NULL, NULL);
	status = r.status;
	snprintf(loc, size, "%s", r.location);
	sbt_resp_free(&r);
	return status;
}

/* A code for VERIFIER through the normal flow. */
static void get_code(char *code, size_t size, const char *scopes)
{
	char query[1024], challenge[64], loc[2048];
	const char *p;

	challenge_of(VERIFIER, challenge);
	snprintf(query, sizeof(query),
		 "client_id=cardorder&redirect_uri=%s"
		 "&scope=%s&response_type=code&state=xyz%%20state"
		 "&code_challenge=%s&code_challenge_method=S256",
		 REDIRECT_ENC, scopes, challenge);
	ck_assert_int_eq(authorize(query, loc, sizeof(loc)), 302);
	ck_assert_msg(strncmp(loc, REDIRECT "?", strlen(REDIRECT) + 1) == 0,
		      "%s", loc);
	ck_assert_ptr_nonnull(strstr(loc, "state=xyz%20state"));
	p = strstr(loc, "code=");
	ck_assert_ptr_nonnull(p);
	snprintf(code, size, "%.*s", (int)strcspn(p + 5, "&"), p + 5);
}

static void token_request(struct sbt_resp *r, const char *form)
{
	sbt_request(
	    r, "POST", "/oauth2/token", form,
	    (const char *const[]){
		"Content-Type: application/x-www-form-urlencoded", NULL});
}

static void exchange_code(struct sbt_resp *r, const char *code,
			  const char *verifier)
{
	char form[1024];

	snprintf(form, sizeof(form),
		 "grant_type=authorization_code&code=%s&redirect_uri=%s"
		 "&client_id=cardorder&code_verifier=%s",
		 code, REDIRECT_ENC, verifier);
	token_request(r, form);
}

static long get_with(const char *token, const char *path)
{
	char header[512];
	const char *h[] = {header, NULL};
	struct sbt_resp r;
	long status;

	snprintf(header, sizeof(header), "Authorization: Bearer %s", token);
	sbt_request(&r, "GET", path, NULL, h);
	status = r.status;
	sbt_resp_free(&r);
	return status;
}

START_TEST(test_oauth_flow)
{
	char code[128], access[256], refresh[256], form[512];
	struct sbt_resp r;

	sbt_start(NULL);
	get_code(code, sizeof(code), SCOPES);
	exchange_code(&r, code, VERIFIER);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(sbt_str(r.json, "token_type"), "bearer");
	ck_assert_int_eq(sbt_int(r.json, "expires_in"), 3600);
	snprintf(access, sizeof(access), "%s", sbt_str(r.json, "access_token"));
	snprintf(refresh, sizeof(refresh), "%s",
		 sbt_str(r.json, "refresh_token"));
	sbt_resp_free(&r);
	ck_assert_int_eq(get_with(access, "/v2/organization"), 200);
	ck_assert_int_eq(get_with(access, "/v2/membership"), 403); /* scope */
	/* a code works once */
	exchange_code(&r, code, VERIFIER);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(sbt_str(r.json, "error"), "invalid_grant");
	sbt_resp_free(&r);
	/* refresh: a new access token; the refresh token rotates */
	snprintf(
	    form, sizeof(form),
	    "grant_type=refresh_token&refresh_token=%s&client_id=cardorder",
	    refresh);
	token_request(&r, form);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_ne(sbt_str(r.json, "access_token"), access);
	ck_assert_int_eq(get_with(sbt_str(r.json, "access_token"), "/v2/cards"),
			 200);
	sbt_resp_free(&r);
	token_request(&r, form);
	ck_assert_int_eq(r.status, 400);
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

START_TEST(test_oauth_pkce_mismatch)
{
	char code[128];
	struct sbt_resp r;

	sbt_start(NULL);
	get_code(code, sizeof(code), SCOPES);
	exchange_code(&r, code,
		      "wrong-verifier-wrong-verifier-wrong-verifier-00");
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(sbt_str(r.json, "error"), "invalid_grant");
	sbt_resp_free(&r);
	exchange_code(&r, code, "short");
	ck_assert_int_eq(r.status, 400);
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

START_TEST(test_oauth_authorize_errors)
{
	char loc[2048];

	sbt_start("--redirect-uri", "http://127.0.0.1:9/callback", NULL);
	/* unknown client or redirect: no redirect at all */
	ck_assert_int_eq(authorize("client_id=evil&redirect_uri=" REDIRECT_ENC
				   "&response_type=code",
				   loc, sizeof(loc)),
			 400);
	ck_assert_int_eq(authorize("client_id=cardorder&redirect_uri="
				   "https%3A%2F%2Fevil.example%2Fcb"
				   "&response_type=code",
				   loc, sizeof(loc)),
			 400);
	ck_assert_int_eq(authorize("client_id=cardorder&redirect_uri="
				   "http%3A%2F%2F127.0.0.1%3A5000%2Fother"
				   "&response_type=code",
				   loc, sizeof(loc)),
			 400);
	ck_assert_str_eq(loc, "");
	/* the registered URI with another loopback port; no PKCE */
	ck_assert_int_eq(
	    authorize("client_id=cardorder&redirect_uri=" REDIRECT_ENC
		      "&response_type=code&scope=" SCOPES "&state=s1",
		      loc, sizeof(loc)),
	    302);
	ck_assert_ptr_nonnull(strstr(loc, "error=invalid_request"));
	ck_assert_ptr_nonnull(strstr(loc, "state=s1"));
	ck_assert_int_eq(
	    authorize("client_id=cardorder&redirect_uri=" REDIRECT_ENC
		      "&response_type=token",
		      loc, sizeof(loc)),
	    302);
	ck_assert_ptr_nonnull(strstr(loc, "error=unsupported_response_type"));
	sbt_finish();
}
END_TEST

START_TEST(test_oauth_client_secret_and_scope)
{
	char code[128], form[1024], header[512];
	struct sbt_resp r;
	json_object *card = sbt_card("virtual", 1);
	char *body = sbt_body(&card, 1);

	sbt_start("--oauth-client-secret", "s3", "--sca", "off", NULL);
	get_code(code, sizeof(code), "card.read%20offline_access");
	exchange_code(&r, code, VERIFIER);
	ck_assert_int_eq(r.status, 401);
	ck_assert_str_eq(sbt_str(r.json, "error"), "invalid_client");
	sbt_resp_free(&r);
	snprintf(form, sizeof(form),
		 "grant_type=authorization_code&code=%s&redirect_uri=%s"
		 "&client_id=cardorder&client_secret=s3"
		 "&code_verifier=" VERIFIER,
		 code, REDIRECT_ENC);
	token_request(&r, form);
	ck_assert_int_eq(r.status, 200);
	snprintf(header, sizeof(header), "Authorization: Bearer %s",
		 sbt_str(r.json, "access_token"));
	sbt_resp_free(&r);
	sbt_request(
	    &r, "POST", "/v2/cards/bulk", body,
	    (const char *const[]){header,
				  "X-Qonto-Idempotency-Key: "
				  "0b6c4a5e-3a51-4f4c-9a57-4bc4e8f0a004",
				  NULL});
	ck_assert_int_eq(r.status, 403); /* no card.write */
	sbt_resp_free(&r);
	free(body);
	sbt_finish();
}
END_TEST

START_TEST(test_oauth_expiry)
{
	struct timespec pause = {0, 900 * 1000000L};
	char code[128], access[256];
	struct sbt_resp r;

	sbt_start("--token-lifetime", "800ms", NULL);
	get_code(code, sizeof(code), SCOPES);
	exchange_code(&r, code, VERIFIER);
	ck_assert_int_eq(r.status, 200);
	snprintf(access, sizeof(access), "%s", sbt_str(r.json, "access_token"));
	sbt_resp_free(&r);
	ck_assert_int_eq(get_with(access, "/v2/organization"), 200);
	nanosleep(&pause, NULL);
	ck_assert_int_eq(get_with(access, "/v2/organization"), 401);
	sbt_finish();
}
END_TEST

START_TEST(test_refresh_token_option)
{
	struct sbt_resp r;

	sbt_start("--refresh-token", "rt-fixed", NULL);
	token_request(&r, "grant_type=refresh_token&refresh_token=rt-fixed"
			  "&client_id=cardorder");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(
	    get_with(sbt_str(r.json, "access_token"), "/v2/membership"), 200);
	sbt_resp_free(&r);
	token_request(&r, "grant_type=password&client_id=cardorder");
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(sbt_str(r.json, "error"), "unsupported_grant_type");
	sbt_resp_free(&r);
	sbt_finish();
}
END_TEST

START_TEST(test_sandbox_reset_and_counts)
{
	json_object *cards[3] = {sbt_card("virtual", 1), sbt_card("virtual", 1),
				 sbt_card("flash", 2)};
	char key[37], *body = sbt_body(cards, 3);
	struct sbt_resp r;
	char path[128];

	sbt_start("--sca", "off", NULL);
	sbt_uuid(key);
	sbt_bulk(&r, key, body, NULL);
	sbt_resp_free(&r);
	sbt_bulk(&r, key, body, NULL);
	sbt_resp_free(&r);
	sbt_request(&r, "GET", "/_sandbox/cards", NULL, NULL);
	ck_assert_int_eq(sbt_int(r.json, "count"), 3);
	snprintf(path, sizeof(path), "by_holder/%s", sbt_member_id(1));
	ck_assert_int_eq(sbt_int(r.json, path), 2);
	snprintf(path, sizeof(path), "by_holder/%s", sbt_member_id(2));
	ck_assert_int_eq(sbt_int(r.json, path), 1);
	ck_assert_str_eq(sbt_str(r.json, "cards/2/holder_id"),
			 sbt_member_id(2));
	ck_assert_str_eq(sbt_str(r.json, "cards/0/idempotency_key"), key);
	ck_assert_int_eq(sbt_int(r.json, "stats/bulk_requests"), 2);
	ck_assert_int_eq(sbt_int(r.json, "stats/idempotent_replays"), 1);
	ck_assert_int_eq(sbt_int(r.json, "stats/requests"), 2);
	sbt_resp_free(&r);
	/* expired tokens give 401 until a reset restores --access-token */
	sbt_request(&r, "POST", "/_sandbox/expire_tokens", NULL, NULL);
	ck_assert_int_eq(sbt_int(r.json, "expired"), 1);
	sbt_resp_free(&r);
	ck_assert_int_eq(get_with(SBT_TOKEN, "/v2/organization"), 401);
	sbt_request(&r, "POST", "/_sandbox/reset", NULL, NULL);
	ck_assert_int_eq(r.status, 200);
	sbt_resp_free(&r);
	ck_assert_int_eq(get_with(SBT_TOKEN, "/v2/organization"), 200);
	ck_assert_int_eq(sbt_created(), 0);
	/* after the reset the key is free again */
	sbt_bulk(&r, key, body, NULL);
	ck_assert_int_eq(r.status, 200);
	sbt_resp_free(&r);
	ck_assert_int_eq(sbt_created(), 3);
	sbt_request(&r, "GET", "/_sandbox/nothing", NULL, NULL);
	ck_assert_int_eq(r.status, 404);
	sbt_resp_free(&r);
	free(body);
	sbt_finish();
}
END_TEST

Suite *sandbox_oauth_suite(void)
{
	Suite *s = suite_create("sandbox_oauth");
	TCase *tc = sbt_tcase("oauth", 30);

	tcase_add_test(tc, test_oauth_flow);
	tcase_add_test(tc, test_oauth_pkce_mismatch);
	tcase_add_test(tc, test_oauth_authorize_errors);
	tcase_add_test(tc, test_oauth_client_secret_and_scope);
	tcase_add_test(tc, test_oauth_expiry);
	tcase_add_test(tc, test_refresh_token_option);
	suite_add_tcase(s, tc);
	tc = sbt_tcase("control", 30);
	tcase_add_test(tc, test_sandbox_reset_and_counts);
	suite_add_tcase(s, tc);
	return s;
}
