/*
 * floor: the cost below which no profile reader can go, for BENCHMARKS.md.
 *
 *   floor inflate FILE.pb.gz   gunzip the file into memory (zlib)
 *   floor unpack FILE.pb.gz    gunzip, then protobuf-c unpack it (malloc)
 *
 * Prints the inflated size and the number of samples so a run can be
 * checked against the file it timed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "profile.pb-c.h"

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0)
		return NULL;
	long n = ftell(f);
	uint8_t *buf = malloc((size_t)n + 1);
	rewind(f);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		return NULL;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* One gzip member; its trailer gives the size (mod 2^32) to allocate up front. */
static uint8_t *gunzip(const uint8_t *in, size_t in_len, size_t *out_len)
{
	size_t cap = in_len >= 4 ? (size_t)in[in_len - 4] | (size_t)in[in_len - 3] << 8 |
					   (size_t)in[in_len - 2] << 16 |
					   (size_t)in[in_len - 1] << 24
				 : 0;
	cap = cap ? cap : 1 << 20;
	uint8_t *out = malloc(cap);
	z_stream z = {0};
	if (!out || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return NULL;
	z.next_in = (uint8_t *)in;
	z.avail_in = (uInt)in_len;
	int rc;
	do {
		if (z.total_out == cap) {
			cap *= 2;
			if (!(out = realloc(out, cap)))
				return NULL;
		}
		z.next_out = out + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		rc = inflate(&z, Z_NO_FLUSH);
	} while (rc == Z_OK || (rc == Z_BUF_ERROR && z.avail_out == 0));
	*out_len = z.total_out;
	inflateEnd(&z);
	return rc == Z_STREAM_END ? out : NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "inflate") && strcmp(argv[1], "unpack"))) {
		fprintf(stderr, "usage: floor inflate|unpack FILE.pb.gz\n");
		return 2;
	}
	size_t len, raw_len;
	uint8_t *gz = slurp(argv[2], &len);
	uint8_t *raw = gz ? gunzip(gz, len, &raw_len) : NULL;
	if (!raw) {
		fprintf(stderr, "floor: %s: cannot read or inflate\n", argv[2]);
		return 1;
	}
	free(gz);
	if (!strcmp(argv[1], "inflate")) {
		printf("%zu bytes\n", raw_len);
		free(raw);
		return 0;
	}
	Perftools__Profiles__Profile *pb =
		perftools__profiles__profile__unpack(NULL, raw_len, raw);
	if (!pb) {
		fprintf(stderr, "floor: %s: not a profile.proto\n", argv[2]);
		return 1;
	}
	printf("%zu bytes, %zu samples\n", raw_len, pb->n_sample);
	perftools__profiles__profile__free_unpacked(pb, NULL);
	free(raw);
	return 0;
}
