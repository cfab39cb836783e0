# Sandbox server rules live here (issue 3): tests/sandbox/qonto-sandbox, the
# loopback fake of Qonto's API, and its Check tests over real HTTP.

SANDBOX_SEED_DEFS = -DSANDBOX_SEED_DIR='"$(abs_top_srcdir)/assets/sandbox"'
SANDBOX_SEED_FILES = assets/sandbox/organization.json \
	assets/sandbox/bank_accounts.json assets/sandbox/memberships.json \
	assets/sandbox/membership.json assets/sandbox/appearances.json \
	assets/sandbox/teams.json assets/sandbox/cards.json
EXTRA_DIST += $(SANDBOX_SEED_FILES)

noinst_PROGRAMS += tests/sandbox/qonto-sandbox
tests_sandbox_qonto_sandbox_SOURCES = tests/sandbox/sandbox.h \
	tests/sandbox/main.c tests/sandbox/options.c tests/sandbox/util.c \
	tests/sandbox/seed.c tests/sandbox/reply.c tests/sandbox/http.c \
	tests/sandbox/auth.c tests/sandbox/fault.c tests/sandbox/lists.c \
	tests/sandbox/cardcheck.c tests/sandbox/bulk.c tests/sandbox/idem.c \
	tests/sandbox/sca.c tests/sandbox/oauth.c tests/sandbox/admin.c
tests_sandbox_qonto_sandbox_CPPFLAGS = $(AM_CPPFLAGS) $(SANDBOX_SEED_DEFS)
tests_sandbox_qonto_sandbox_CFLAGS = $(AM_CFLAGS) -pthread $(MHD_CFLAGS) \
	$(JSONC_CFLAGS) $(UUID_CFLAGS) $(CRYPTO_CFLAGS)
tests_sandbox_qonto_sandbox_LDFLAGS = $(AM_LDFLAGS) -pthread
tests_sandbox_qonto_sandbox_LDADD = $(MHD_LIBS) $(JSONC_LIBS) $(UUID_LIBS) \
	$(CRYPTO_LIBS)

check_PROGRAMS += tests/sandbox/check_sandbox
tests_sandbox_check_sandbox_SOURCES = tests/sandbox/check_sandbox.h \
	tests/sandbox/check_sandbox.c tests/sandbox/check_sandbox_util.c \
	tests/sandbox/check_sandbox_bulk.c tests/sandbox/check_sandbox_sca.c \
	tests/sandbox/check_sandbox_faults.c \
	tests/sandbox/check_sandbox_oauth.c
tests_sandbox_check_sandbox_CPPFLAGS = $(AM_CPPFLAGS) $(SANDBOX_SEED_DEFS) \
	-DSANDBOX_BIN='"$(abs_top_builddir)/tests/sandbox/qonto-sandbox"'
tests_sandbox_check_sandbox_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) \
	$(JSONC_CFLAGS) $(CURL_CFLAGS) $(UUID_CFLAGS) $(CRYPTO_CFLAGS)
tests_sandbox_check_sandbox_LDADD = $(CHECK_LIBS) $(JSONC_LIBS) \
	$(CURL_LIBS) $(UUID_LIBS) $(CRYPTO_LIBS)
TESTS += tests/sandbox/check_sandbox

# The test starts the server binary: build it first even with `make -j
# check` on a fresh tree.
EXTRA_tests_sandbox_check_sandbox_DEPENDENCIES = \
	tests/sandbox/qonto-sandbox$(EXEEXT)

# Both processes under valgrind: the test (no fork, so that valgrind sees
# it) and every sandbox it starts (SANDBOX_WRAPPER).
SANDBOX_VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect
check-sandbox-valgrind: tests/sandbox/check_sandbox$(EXEEXT) \
		tests/sandbox/qonto-sandbox$(EXEEXT)
	CK_FORK=no CK_DEFAULT_TIMEOUT=120 \
	SANDBOX_WRAPPER='$(SANDBOX_VALGRIND)' \
	$(SANDBOX_VALGRIND) tests/sandbox/check_sandbox$(EXEEXT)

.PHONY: check-sandbox-valgrind
