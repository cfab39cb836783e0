/* help.c: `cardorder --help`, the summary of every command and option
 * (assets/cardorder.1 says the same at length; tests/man.sh compares). */
#include "config.h"

#include "cli.h"
#include "i18n.h"

void cli_usage(FILE *out)
{
	/* One message per part, so that each can be laid out on its own;
	 * the blank lines between them are not part of any. */
	/* TRANSLATORS: the usage lines. Keep the command names and the
	   options (--sandbox...) as they are; the words in capitals (URL,
	   FILE, ORDER_FILE, ORDER_ID, OPTIONS) may be translated, the same way
	   everywhere; long lines may be wrapped. */
	fputs(_("Usage: cardorder [--sandbox] [--base-url URL] [--config FILE] [--no-color] [ORDER_FILE]\n"
		  "       cardorder validate ORDER_FILE\n"
		  "       cardorder check [--json] [--sandbox] [--base-url URL] [--config FILE] ORDER_FILE\n"
		  "       cardorder payload [--pretty] ORDER_FILE\n"
		  "       cardorder submit [OPTIONS] ORDER_FILE\n"
		  "       cardorder resume [OPTIONS] [ORDER_ID]\n"
		  "       cardorder status [--json] [--offline] [--export FILE] [ORDER_ID]\n"
		  "       cardorder login [--sandbox] [--base-url URL] [--config FILE] [--manual] [--no-browser]\n"
		  "       cardorder logout\n"
		  "       cardorder --help | --version\n"),
	      out);
	putc('\n', out);
	fputs(_("Order many Qonto payment cards at once. Without a command, the screens\n"
		  "open: the order, the card editor, the review, sending and the results.\n"),
	      out);
	putc('\n', out);
	/* TRANSLATORS: keep the command names (validate, check...) and
	   "PATH:ROW:FIELD: message" as they are; align the descriptions in
	   one column, lines at most 80 columns. */
	fputs(_("Commands:\n"
		  "  validate ORDER_FILE   check a .csv or .json order offline; one line per\n"
		  "                        problem as PATH:ROW:FIELD: message\n"
		  "  check ORDER_FILE      validate, then read Qonto: your role, each holder's\n"
		  "                        membership and team, the cards they already have,\n"
		  "                        the bank accounts; then what the order may spend,\n"
		  "                        its fees and approvals. Creates nothing\n"
		  "  payload ORDER_FILE    print the request bodies that would be sent, one\n"
		  "                        compact JSON body (at most 50 cards) per line\n"
		  "  submit ORDER_FILE     send the order: progress on stderr, one line per\n"
		  "                        card on stdout\n"
		  "  resume [ORDER_ID]     finish an interrupted order (the latest by default)\n"
		  "  status [ORDER_ID]     where an order's cards stand now (the latest order by\n"
		  "                        default): status, PIN set, shipped; who has not set\n"
		  "                        a PIN. Each reading is kept with the order\n"
		  "  login                 log in to Qonto (OAuth 2.0 with PKCE) and save the tokens\n"
		  "  logout                remove the saved tokens\n"),
	      out);
	putc('\n', out);
	/* TRANSLATORS: keep the options (--sandbox...) as they are; align
	   the descriptions in one column, lines at most 80 columns. */
	fputs(_("Options:\n"
		  "  --sandbox             use Qonto's sandbox (and its staging token)\n"
		  "  --base-url URL        the API address (https, or http to this machine)\n"
		  "  --config FILE         read this config file instead of the default one\n"
		  "  --export FILE         (submit, resume, status) write the results to FILE,\n"
		  "                        .csv or .json\n"
		  "  --csv-format FORMAT   (with --export) standard, or excel-fr for French\n"
		  "                        Excel (';' between cells, a byte order mark)\n"
		  "  --yes                 (submit) do not ask for confirmation\n"
		  "  --again               (submit) send even when an unfinished order holds\n"
		  "                        the same cards (they are ordered twice, on purpose)\n"
		  "  --pretty              (payload) indent the JSON bodies\n"
		  "  --json                (check, status) the outcome as one JSON object\n"
		  "  --offline             (status) the last reading kept, without asking Qonto\n"
		  "  --manual              (login) paste the browser's address instead of\n"
		  "                        listening for it on 127.0.0.1\n"
		  "  --no-browser          (login) print the address, do not open a browser\n"
		  "  --no-color            no colours (also when NO_COLOR is set)\n"
		  "  -h, --help            show this help and exit\n"
		  "  -V, --version         show the version and exit\n"),
	      out);
	putc('\n', out);
	/* TRANSLATORS: keep the variable names as they are. */
	fputs(_("Environment:\n"
		  "  QONTO_ACCESS_TOKEN    an OAuth access token (instead of cardorder login)\n"
		  "  QONTO_API_KEY         login:secret-key, enough for the lists of members\n"
		  "  QONTO_STAGING_TOKEN   the staging token of Qonto's sandbox\n"
		  "  QONTO_API_BASE        the API address\n"
		  "  QONTO_CLIENT_SECRET   the OAuth client's secret, when it has one\n"
		  "  NO_COLOR              no colours\n"
		  "  CARDORDER_DEBUG       (check, submit, resume, status) print the HTTP exchanges on stderr,\n"
		  "                        secrets redacted, bodies left out\n"
		  "  CARDORDER_RECONCILE_GRACE  seconds to wait after an unanswered attempt\n"
		  "                        before listing Qonto's cards (default 120)\n"
		  "  LANGUAGE, LC_ALL, LC_MESSAGES, LANG   the language of the messages (fr:\n"
		  "                        French); with none named, the screens speak your\n"
		  "                        language in Qonto\n"
		  "  XDG_CONFIG_HOME, XDG_STATE_HOME   where the files below live\n"),
	      out);
	putc('\n', out);
	/* TRANSLATORS: keep the paths and the config keys (base_url...) as
	   they are. */
	fputs(_("Files:\n"
		  "  $XDG_CONFIG_HOME/cardorder/config        key = value: base_url, sandbox,\n"
		  "      organization_id, initiator_id, bank_account_id, client_id,\n"
		  "      redirect_port, 2fa_preference, fees_file (the card fee table),\n"
		  "      csv_format (standard or excel-fr, as --csv-format)\n"
		  "  $XDG_CONFIG_HOME/cardorder/credentials   tokens saved by login (mode 0600)\n"
		  "  $XDG_STATE_HOME/cardorder/orders/        the journal of every order\n"
		  "  $XDG_STATE_HOME/cardorder/audit.log      who sent what, and when\n"
		  "  $XDG_STATE_HOME/cardorder/draft.json     the order being edited\n"),
	      out);
	putc('\n', out);
	fputs(_("Exit status:\n"
		  "  0  success: every card created (validate, check: no errors)\n"
		  "  1  some cards failed (each is reported)\n"
		  "  2  usage or validation error; nothing was sent\n"
		  "  3  authentication, network or server error before any card was created\n"
		  "     (check, status: Qonto could not be read)\n"
		  "  4  interrupted with the outcome unknown: run cardorder resume\n"),
	      out);
}
