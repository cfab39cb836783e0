/* fuzz_sanitize.c: the terminal-string sanitiser. Whatever goes in, what
 * comes out is valid UTF-8 without a control character or a bidi
 * override; folding never breaks. */
#include "config.h"

#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1), *out, *folded;

	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	out = text_sanitize(in);
	if (out && (!text_utf8_valid(out, strlen(out)) || text_has_controls(out)))
		abort();
	folded = text_fold(in);
	if (folded && !text_utf8_valid(folded, strlen(folded)))
		abort();
	free(folded);
	free(out);
	free(in);
	return 0;
}
