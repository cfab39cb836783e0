/* fuzz_config.c: the config and credentials file parser. */
#include "config.h"

#include "settings.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	struct credentials cred;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	config_parse_text(&cfg, text, "fuzz");
	config_free(&cfg);
	memcpy(text, data, size);
	credentials_parse_text(&cred, text, "fuzz");
	credentials_free(&cred);
	free(text);
	return 0;
}
