/* bench_core.c: what every card of an order costs in the core: validating
 * it, building its request body and parsing Qonto's answer, and the memory
 * an order of growing size takes (issue 8). Prints figures; never passes
 * or fails on time.
 *
 *   bench_core gen N SEED_DIR OUT.csv
 *       a valid order of N cards (every level, the sandbox's holders and
 *       bank accounts), also used by the round-trip and terminal benchmarks
 *   bench_core table SEED_DIR TMP_DIR RUNS N...
 *       the table: each size RUNS times, each run in a fresh child process
 *       so that its peak resident memory is its own; medians printed
 *
 * A run streams the order (reader_stream_csv, 50 cards a batch) and, for
 * each batch, validates every card, builds the body, and parses a 200
 * answer built here with json-c in the shape of Qonto's documented
 * response (one card entry per card sent). Building that answer stands in
 * for the network and is not counted in any column. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "fields.h"
#include "order.h"
#include "payload.h"
#include "problems.h"
#include "reader.h"
#include "response.h"
#include "validate.h"

#define MAX_SIZES 8
#define MAX_RUNS 128

/* ---- a realistic order ---- */

struct seed_ids {
	char **holders;
	size_t n_holders;
	char *accounts[8];
	size_t n_accounts;
	char *org;
};

static const char *const people[] = {
    "Hélène Dubois-Ferrière",
    "Björn Nguyễn",
    "Zoë Martin",
    "José Álvarez",
    "Anaïs Lefèvre",
    "Łukasz Kowalski",
    "Chloé Bernard",
    "Søren Jensen",
    "Mathis Rousseau",
    "Inès Benali",
    "Giulia Conti",
    "Théo Garnier",
};

/* A street: the house number goes between before and after. */
struct place {
	const char *before, *after, *line2, *zip, *city, *country;
};

static const struct place places[] = {
    {"", " rue des Écoles", "Bâtiment B, 3e étage", "75005", "Paris", "FR"},
    {"Calle Mayor ", "", "", "28013", "Madrid", "ES"},
    {"Friedrichstraße ", "", "Hinterhaus", "10117", "Berlin", "DE"},
    {"Via Roma ", "", "Scala C", "20121", "Milano", "IT"},
    {"", " quai Saint-Vincent", "", "69001", "Lyon", "FR"},
    {"Rua Augusta ", "", "2º andar", "1100-053", "Lisboa", "PT"},
    {"Keizersgracht ", "", "", "1015 CJ", "Amsterdam", "NL"},
    {"", " avenue Jean Jaurès", "", "31000", "Toulouse", "FR"},
};

static const char *const category_sets[] = {
    "transport;restaurant_and_bar",
    "it_and_electronics",
    "office_supply;transport",
    "restaurant_and_bar;food_and_grocery",
    "",
};

static const char *const day_sets[] = {"mon;tue;wed;thu;fri", "", "1;3;5", ""};

static const int64_t monthly_choices[] = {800,	1000, 1500, 2000,
					  3000, 5000, 8000};

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* CSV text cell: always quoted, quotes doubled. */
static void cell(FILE *out, const char *text)
{
	fputc('"', out);
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

static const char csv_header[] =
    "holder_id,organization_id,bank_account_id,card_level,card_design,"
    "type_of_print,atm_option,nfc_option,online_option,foreign_option,"
    "payment_monthly_limit,payment_daily_limit_option,payment_daily_limit,"
    "payment_transaction_limit_option,payment_transaction_limit,"
    "atm_monthly_limit,atm_daily_limit_option,atm_daily_limit,"
    "payment_lifespan_limit,pre_expires_at,categories,active_days,"
    "ship_to_business,address.contact_name,address.first_line,"
    "address.second_line,address.zipcode,address.city,address.country\n";

/* Limits: monthly, then daily and per-transaction below it. */
static void write_limits(FILE *out, bool physical)
{
	int64_t monthly = monthly_choices[rnd(7)], daily = monthly / 4,
		tx = daily / 2, atm = monthly / 2;

	fprintf(out, "%" PRId64 ",true,%" PRId64 ",", monthly, daily);
	if (rnd(3))
		fprintf(out, "true,%" PRId64 ",", tx);
	else
		fputs(",,", out);
	if (physical)
		fprintf(out, "%" PRId64 ",true,%" PRId64 ",", atm, atm / 5);
	else
		fputs(",,,", out);
}

static void write_address(FILE *out, bool to_business)
{
	const struct place *p =
	    &places[rnd(sizeof(places) / sizeof(places[0]))];
	char line1[128];

	/* Each person's own address, as when cards go to people's homes. */
	snprintf(line1, sizeof(line1), "%s%u%s", p->before, 1 + rnd(400),
		 p->after);
	if (to_business) {
		fputs("true,,,,,,\n", out);
		return;
	}
	fputs("false,", out);
	cell(out, people[rnd(sizeof(people) / sizeof(people[0]))]);
	fputc(',', out);
	cell(out, line1);
	fputc(',', out);
	cell(out, p->line2);
	fprintf(out, ",%s,", p->zip);
	cell(out, p->city);
	fprintf(out, ",%s\n", p->country);
}

static const char *const designs[] = {
    "standard.recycled.plastic.2023",
    "plus.recycled.plastic.lilac.2023",
    "metal.sand.gold.2024",
    "virtual.default.2017",
    "",
    "flash.default.2021",
    "advertising.default.2023",
};

/* One card; levels in the proportions of a real order (mostly standard
 * and virtual cards, some of every other level). */
static void write_card(FILE *out, const struct seed_ids *ids, size_t i)
{
	static const int mix[] = {0, 0, 0, 3, 3, 3, 1, 1, 2, 4, 5, 6};
	int level = mix[rnd(sizeof(mix) / sizeof(mix[0]))];
	bool physical = level <= LEVEL_METAL;

	fprintf(out, "%s,%s,%s,%s,%s,%s,", ids->holders[i % ids->n_holders],
		ids->org, ids->accounts[rnd((unsigned)ids->n_accounts)],
		level_name((enum card_level)level), designs[level],
		level == LEVEL_PLUS ? "embossed" : "");
	if (level == LEVEL_FLASH) {
		/* a budget and an end date; no monthly limit, no options */
		fprintf(out, ",,,,,,,,,,,,%u,2030-12-31T23:59:59Z,",
			50 + 25 * rnd(20));
		cell(out, category_sets[rnd(4)]);
		fputs(",,,,,,,,\n", out);
		return;
	}
	fprintf(out, "%s,%s,true,%s,", physical ? "true" : "",
		physical ? "true" : "", rnd(2) ? "true" : "false");
	write_limits(out, physical);
	fputs(",,", out);
	cell(out, category_sets[rnd(5)]);
	fputc(',', out);
	cell(out, day_sets[rnd(4)]);
	fputc(',', out);
	if (physical)
		write_address(out, level == LEVEL_STANDARD && rnd(2));
	else
		fputs(",,,,,,\n", out);
}

static json_object *read_seed(const char *dir, const char *name,
			      const char *key)
{
	char path[4096];
	json_object *root, *v = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	root = json_object_from_file(path);
	if (root && json_object_object_get_ex(root, key, &v))
		json_object_get(v);
	json_object_put(root);
	if (!v)
		fprintf(stderr, "bench_core: %s has no \"%s\"\n", path, key);
	return v;
}

static char *string_member(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return strdup(json_object_get_string(v));
}

/* The ids the sandbox knows, so that generated orders can be sent. */
static int seed_load(struct seed_ids *ids, const char *dir)
{
	json_object *members =
	    read_seed(dir, "memberships.json", "memberships");
	json_object *accounts =
	    read_seed(dir, "bank_accounts.json", "bank_accounts");
	json_object *org = read_seed(dir, "organization.json", "organization");
	int rc = -1;

	memset(ids, 0, sizeof(*ids));
	if (!members || !accounts || !org)
		goto out;
	ids->holders =
	    calloc(json_object_array_length(members), sizeof(char *));
	/* the active members: Qonto makes cards for no one else */
	for (size_t i = 0;
	     ids->holders && i < json_object_array_length(members); i++) {
		json_object *m = json_object_array_get_idx(members, i);
		char *status = string_member(m, "status");

		if (status && strcmp(status, "active") == 0)
			ids->holders[ids->n_holders++] = string_member(m, "id");
		free(status);
	}
	for (size_t i = 0; i < json_object_array_length(accounts) && i < 8; i++)
		ids->accounts[ids->n_accounts++] =
		    string_member(json_object_array_get_idx(accounts, i), "id");
	ids->org = string_member(org, "id");
	rc = ids->n_holders && ids->n_accounts && ids->org ? 0 : -1;
out:
	json_object_put(members);
	json_object_put(accounts);
	json_object_put(org);
	return rc;
}

static void seed_free(struct seed_ids *ids)
{
	for (size_t i = 0; i < ids->n_holders; i++)
		free(ids->holders[i]);
	free(ids->holders);
	for (size_t i = 0; i < ids->n_accounts; i++)
		free(ids->accounts[i]);
	free(ids->org);
}

static int generate(size_t n, const struct seed_ids *ids, const char *path)
{
	FILE *out = fopen(path, "w");

	if (!out) {
		fprintf(stderr, "bench_core: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rng_state = 0x9e3779b97f4a7c15u;
	fputs(csv_header, out);
	for (size_t i = 0; i < n; i++)
		write_card(out, ids, i);
	if (fclose(out) != 0) {
		fprintf(stderr, "bench_core: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- Qonto's answer, as documented ---- */

static void add_str(json_object *o, const char *key, const char *value)
{
	json_object_object_add(o, key,
			       value ? json_object_new_string(value) : NULL);
}

static void add_bool(json_object *o, const char *key, bool value)
{
	json_object_object_add(o, key, json_object_new_boolean(value));
}

static void add_int(json_object *o, const char *key, int64_t value)
{
	json_object_object_add(o, key, json_object_new_int64(value));
}

static int64_t euros_or(const struct card *c, enum field_id id, int64_t dflt)
{
	return card_has(c, id) ? card_euros(c, id) : dflt;
}

static const char *text_or(const struct card *c, enum field_id id,
			   const char *dflt)
{
	return card_has(c, id) ? card_text(c, id) : dflt;
}

static void add_lists(json_object *o, const struct card *c)
{
	json_object *days = json_object_new_array(),
		    *cats = json_object_new_array();

	for (unsigned i = 0; i < c->n_days; i++)
		json_object_array_add(days, json_object_new_int(c->days[i]));
	for (unsigned i = 0; i < c->n_categories; i++)
		json_object_array_add(
		    cats,
		    json_object_new_string(catalog_category(c->categories[i])));
	json_object_object_add(o, "active_days", days);
	json_object_object_add(o, "categories", cats);
}

static void add_limits(json_object *o, const struct card *c)
{
	add_int(o, "atm_monthly_limit",
		euros_or(c, FIELD_ATM_MONTHLY_LIMIT, 1000));
	add_int(o, "atm_monthly_spent", 0);
	add_int(o, "atm_daily_limit", euros_or(c, FIELD_ATM_DAILY_LIMIT, 1000));
	add_int(o, "atm_daily_spent", 0);
	add_bool(o, "atm_daily_limit_option",
		 card_has(c, FIELD_ATM_DAILY_LIMIT));
	add_int(o, "payment_monthly_limit",
		euros_or(c, FIELD_PAYMENT_MONTHLY_LIMIT, 0));
	add_int(o, "payment_monthly_spent", 0);
	add_int(o, "payment_daily_limit",
		euros_or(c, FIELD_PAYMENT_DAILY_LIMIT, 0));
	add_int(o, "payment_daily_spent", 0);
	add_bool(o, "payment_daily_limit_option",
		 card_has(c, FIELD_PAYMENT_DAILY_LIMIT));
	add_int(o, "payment_transaction_limit",
		euros_or(c, FIELD_PAYMENT_TRANSACTION_LIMIT, 0));
	add_bool(o, "payment_transaction_limit_option",
		 card_has(c, FIELD_PAYMENT_TRANSACTION_LIMIT));
	add_int(o, "payment_lifespan_limit",
		euros_or(c, FIELD_PAYMENT_LIFESPAN_LIMIT, 0));
	add_int(o, "payment_lifespan_spent", 0);
}

/* Every member of the documented card object, from the card sent. */
static json_object *card_answer(const struct card *c, size_t n)
{
	json_object *o = json_object_new_object(),
		    *parent = json_object_new_object();
	char id[40], pan[20], digits[8], nick[40];

	snprintf(id, sizeof(id), "3c90c3cc-0d44-4b50-8888-%012zx", n);
	snprintf(digits, sizeof(digits), "%04zu", n % 10000);
	snprintf(pan, sizeof(pan), "511768******%s", digits);
	snprintf(nick, sizeof(nick), "💳 for 🍗 %zu", n);
	add_str(o, "id", id);
	add_str(o, "nickname", nick);
	add_str(o, "embossed_name", "DOLORES KOULECHOV");
	add_str(o, "status", "pending");
	add_bool(o, "pin_set", true);
	add_str(o, "mask_pan", pan);
	add_str(o, "exp_month", "3");
	add_str(o, "exp_year", "2029");
	add_str(o, "last_activity_at", "2023-11-07T05:31:56Z");
	add_str(o, "last_digits", digits);
	add_bool(o, "ship_to_business", card_bool(c, FIELD_SHIP_TO_BUSINESS));
	add_bool(o, "atm_option", card_bool(c, FIELD_ATM_OPTION));
	add_bool(o, "nfc_option", card_bool(c, FIELD_NFC_OPTION));
	add_bool(o, "online_option", card_bool(c, FIELD_ONLINE_OPTION));
	add_bool(o, "foreign_option", card_bool(c, FIELD_FOREIGN_OPTION));
	add_limits(o, c);
	add_lists(o, c);
	add_str(o, "holder_id", card_text(c, FIELD_HOLDER_ID));
	add_str(o, "bank_account_id", card_text(c, FIELD_BANK_ACCOUNT_ID));
	add_str(o, "organization_id", card_text(c, FIELD_ORGANIZATION_ID));
	add_str(o, "updated_at", "2023-11-07T05:31:56Z");
	add_str(o, "created_at", "2023-11-07T05:31:56Z");
	add_str(o, "shipped_at", NULL);
	add_str(o, "card_type", "debit");
	add_str(o, "card_level", level_name((enum card_level)c->level));
	add_str(o, "pre_expires_at", text_or(c, FIELD_PRE_EXPIRES_AT, NULL));
	add_bool(o, "renewed", false);
	add_bool(o, "renewal", false);
	add_str(parent, "id", id);
	add_str(parent, "last_digits", digits);
	json_object_object_add(o, "parent_card_summary", parent);
	add_bool(o, "had_operation", false);
	add_bool(o, "had_pin_operation", false);
	add_str(
	    o, "card_design",
	    text_or(c, FIELD_CARD_DESIGN, "standard.recycled.plastic.2023"));
	add_str(o, "type_of_print", text_or(c, FIELD_TYPE_OF_PRINT, NULL));
	add_bool(o, "upsold", false);
	add_bool(o, "upsell", false);
	add_str(o, "discard_on", "2022-11-31");
	add_bool(o, "reordered", false);
	return o;
}

/* {"cards":[{"card":{...}}, ...]} for the batch; owned by the caller. */
static char *batch_answer(const struct order *batch, size_t first, size_t *len)
{
	json_object *root = json_object_new_object(),
		    *list = json_object_new_array();
	char *text;

	for (size_t i = 0; i < batch->n_cards; i++) {
		json_object *entry = json_object_new_object();

		json_object_object_add(
		    entry, "card", card_answer(&batch->cards[i], first + i));
		json_object_array_add(list, entry);
	}
	json_object_object_add(root, "cards", list);
	text = strdup(
	    json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
	json_object_put(root);
	*len = text ? strlen(text) : 0;
	return text;
}

/* ---- one run, in a child ---- */

struct figures {
	double read_ns, validate_ns, payload_ns, parse_ns;
	long maxrss_kb;
	size_t cards;
	int failed; /* the order or the answers were not what the run needs */
};

struct run {
	struct figures f;
	struct validate_options vopts;
	struct problem_list problems;
	double callback_ns;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static bool parse_answer(const struct order *batch, size_t first, struct run *r)
{
	struct bulk_response resp;
	struct status_error err = {0};
	size_t len;
	char *answer = batch_answer(batch, first, &len);
	double t0 = now_ns();
	bool ok = answer && response_parse(200, answer, len, batch->n_cards,
					   &resp, &err) == STATUS_OK;

	ok = ok && resp.kind == RESPONSE_CARDS &&
	     resp.n_entries == batch->n_cards;
	for (size_t i = 0; ok && i < resp.n_entries; i++)
		ok = resp.entries[i].kind == ENTRY_CARD;
	if (answer)
		response_free(&resp);
	r->f.parse_ns += now_ns() - t0;
	free(answer);
	return ok;
}

static int on_batch(struct order *batch, size_t first, void *user)
{
	struct run *r = user;
	struct status_error err = {0};
	double start = now_ns(), t0;
	char *body = NULL;
	size_t len;

	t0 = now_ns();
	for (size_t i = 0; i < batch->n_cards; i++)
		if (validate_card(&batch->cards[i], first + i, &r->vopts,
				  &r->problems) != 0)
			r->f.failed = 1;
	r->f.validate_ns += now_ns() - t0;
	t0 = now_ns();
	if (payload_build(batch->cards, batch->n_cards, false, &body, &len,
			  &err) != STATUS_OK)
		r->f.failed = 1;
	free(body);
	r->f.payload_ns += now_ns() - t0;
	if (!parse_answer(batch, first, r))
		r->f.failed = 1;
	r->f.cards += batch->n_cards;
	r->callback_ns += now_ns() - start;
	return r->f.failed ? -1 : 0;
}

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void report_problems(const struct problem_list *problems,
			    const char *path)
{
	char *line;

	if (!problems->n)
		return;
	line = problem_format(&problems->items[0], path);
	fprintf(
	    stderr,
	    "bench_core: %zu problem(s) in the generated order, first: %s\n",
	    problems->n, line ? line : "?");
	free(line);
}

static void run_stream(const char *path, struct figures *out)
{
	struct run r = {0};
	struct status_error err = {0};
	FILE *in = fopen(path, "r");
	double t0 = now_ns();

	problems_init(&r.problems);
	r.vopts.now = time(NULL);
	if (!in || reader_stream_csv(in, PAYLOAD_MAX_CARDS, on_batch, &r,
				     &r.problems, &err) != STATUS_OK)
		r.f.failed = 1;
	r.f.read_ns = now_ns() - t0 - r.callback_ns;
	if (in)
		fclose(in);
	report_problems(&r.problems, path);
	if (r.problems.n)
		r.f.failed = 1;
	problems_free(&r.problems);
	r.f.maxrss_kb = maxrss_kb();
	*out = r.f;
}

static void run_whole(const char *path, struct figures *out)
{
	struct order order;
	struct problem_list problems;
	struct status_error err = {0};

	memset(out, 0, sizeof(*out));
	order_init(&order);
	problems_init(&problems);
	if (reader_read_file(path, &order, &problems, &err) != STATUS_OK ||
	    problems.n_errors)
		out->failed = 1;
	out->cards = order.n_cards;
	out->maxrss_kb = maxrss_kb(); /* while the order is still held */
	order_free(&order);
	problems_free(&problems);
}

enum mode { MODE_STREAM, MODE_WHOLE, MODE_NOTHING };

/* One run in a fresh child; its figures come back through a pipe. */
static int run_child(enum mode mode, const char *path, struct figures *f)
{
	int fds[2], status;
	pid_t pid;
	ssize_t got;

	memset(f, 0, sizeof(*f));
	if (pipe(fds) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (mode == MODE_STREAM)
			run_stream(path, f);
		else if (mode == MODE_WHOLE)
			run_whole(path, f);
		else
			f->maxrss_kb = maxrss_kb();
		_exit(write(fds[1], f, sizeof(*f)) == (ssize_t)sizeof(*f) ? 0
									  : 1);
	}
	close(fds[1]);
	got = pid > 0 ? read(fds[0], f, sizeof(*f)) : -1;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	return got == (ssize_t)sizeof(*f) && !f->failed ? 0 : -1;
}

/* ---- the table ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct row {
	double read[MAX_RUNS], validate[MAX_RUNS], payload[MAX_RUNS],
	    parse[MAX_RUNS];
	double rss_stream[MAX_RUNS], rss_whole[MAX_RUNS];
};

/* A small order is over in a few milliseconds, where one preemption
 * shows: it gets more runs, so that every size's median covers at least
 * 2 000 cards per run slot. */
static int runs_for(size_t n, int runs)
{
	size_t scaled = (size_t)runs * (n < 2000 ? 2000 / n : 1);

	return scaled > MAX_RUNS ? MAX_RUNS : (int)scaled;
}

static int measure_size(const char *path, size_t n, int runs, struct row *row)
{
	struct figures f;

	for (int k = 0; k < runs; k++) {
		if (run_child(MODE_STREAM, path, &f) != 0 || f.cards != n) {
			fprintf(stderr,
				"bench_core: the streamed run on %s failed\n",
				path);
			return -1;
		}
		row->read[k] = f.read_ns / 1e3 / (double)n;
		row->validate[k] = f.validate_ns / 1e3 / (double)n;
		row->payload[k] = f.payload_ns / 1e3 / (double)n;
		row->parse[k] = f.parse_ns / 1e3 / (double)n;
		row->rss_stream[k] = (double)f.maxrss_kb / 1024.0;
		if (run_child(MODE_WHOLE, path, &f) != 0 || f.cards != n) {
			fprintf(stderr, "bench_core: reading %s whole failed\n",
				path);
			return -1;
		}
		row->rss_whole[k] = (double)f.maxrss_kb / 1024.0;
	}
	return 0;
}

static void print_row(size_t n, struct row *row, int runs)
{
	double read = median(row->read, runs),
	       validate = median(row->validate, runs);
	double payload = median(row->payload, runs),
	       parse = median(row->parse, runs);

	printf("| %7zu | %6.2f | %6.2f | %6.2f | %6.2f | %6.2f | %6.1f MiB | "
	       "%6.1f MiB |\n",
	       n, read, validate, payload, parse, validate + payload + parse,
	       median(row->rss_stream, runs), median(row->rss_whole, runs));
	fflush(stdout);
}

static int table(const char *seed_dir, const char *tmp, int runs, int argc,
		 char **argv)
{
	struct seed_ids ids;
	struct figures base;
	char path[4096];
	int rc = 1;

	if (seed_load(&ids, seed_dir) != 0) {
		fprintf(stderr, "bench_core: cannot read the seed data in %s\n",
			seed_dir);
		return 1;
	}
	if (run_child(MODE_NOTHING, NULL, &base) != 0)
		goto out;
	printf(
	    "| cards | read | validate | build body | parse answer | "
	    "the three | peak RSS, streamed | peak RSS, whole file read |\n");
	printf("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (int i = 0; i < argc; i++) {
		size_t n = strtoul(argv[i], NULL, 10);
		struct row row;

		snprintf(path, sizeof(path), "%s/order-%zu.csv", tmp, n);
		if (generate(n, &ids, path) != 0 ||
		    measure_size(path, n, runs_for(n, runs), &row) != 0)
			goto out;
		print_row(n, &row, runs_for(n, runs));
	}
	printf("\nTimes in microseconds per card, medians of %d runs (%d for "
	       "100 cards and "
	       "%d for 1 000, too short to time alone); a fresh process alone "
	       "peaks at "
	       "%.1f MiB.\n",
	       runs, runs_for(100, runs), runs_for(1000, runs),
	       (double)base.maxrss_kb / 1024.0);
	rc = 0;
out:
	seed_free(&ids);
	return rc;
}

int main(int argc, char **argv)
{
	struct seed_ids ids;
	int rc;

	if (argc == 5 && strcmp(argv[1], "gen") == 0) {
		if (seed_load(&ids, argv[3]) != 0)
			return 1;
		rc = generate(strtoul(argv[2], NULL, 10), &ids, argv[4]) == 0
			 ? 0
			 : 1;
		seed_free(&ids);
		return rc;
	}
	if (argc >= 6 && argc - 5 <= MAX_SIZES &&
	    strcmp(argv[1], "table") == 0) {
		int runs = atoi(argv[4]);

		if (runs < 1 || runs > 25)
			runs = 5;
		return table(argv[2], argv[3], runs, argc - 5, argv + 5);
	}
	fprintf(stderr, "usage: bench_core gen N SEED_DIR OUT.csv\n"
			"       bench_core table SEED_DIR TMP_DIR RUNS N...\n");
	return 2;
}
