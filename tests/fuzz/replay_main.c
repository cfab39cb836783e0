/* replay_main.c: runs a libFuzzer target over every file of a corpus
 * directory, so that `make check` replays the corpora with any compiler
 * and an input that once crashed keeps being tried. */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len > 0 ? (size_t)len : 1);
	if (!buf || (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len)) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	struct dirent *de;
	char path[4096];
	unsigned n = 0;
	DIR *d;

	const char *dir = argc == 2 ? argv[1] : CORPUS_DIR;

	if (argc > 2 || !(d = opendir(dir))) {
		fprintf(stderr, "usage: %s [CORPUS_DIR]\n", argv[0]);
		return 99;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (replay_file(path) == 0)
			printf("ok %u - %s\n", ++n, de->d_name);
		else
			printf("not ok %u - %s unreadable\n", ++n, de->d_name);
	}
	closedir(d);
	printf("1..%u\n", n);
	return 0;
}
