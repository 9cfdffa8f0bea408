/*
 * hv's bzImage unpacking on a real kernel, against xz(1):
 *
 *   bzimage-check VMLINUZ [RUNS]
 *
 * finds the payload with bzimage_parse(), unpacks it RUNS times with
 * bzimage_unpack() and RUNS times with `xz -dc` (taking turns, so that a
 * busy machine slows both alike), checks that both give the same bytes (an
 * ELF file), and prints the median CPU times (user + system; for xz, of
 * the child) and speeds in MB/s of output. hv's sources are compiled here
 * with hv's code-generation flags (no SSE, no builtins), so the figure is
 * what hv gets on this CPU.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <hv/bzimage.h>
#include <hv/console.h>
#include <hv/xz.h>

/* printk for bzimage.c's messages. */
void printk(const char *fmt, ...)
{
	va_list ap;

	if (fmt[0] == '\001' && fmt[1])
		fmt += 2;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* CPU seconds used so far by this process, or by its finished children. */
static double cpu(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long len;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0) {
		perror(path);
		exit(2);
	}
	rewind(f);
	buf = malloc((size_t)len + 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		perror(path);
		exit(2);
	}
	fclose(f);
	*n = (size_t)len;
	return buf;
}

int main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[2]) : 1;
	double *t_hv, *t_xz;
	char tmp[] = "/tmp/hv-bzimage-check.XXXXXX", out_path[64], cmd[256];
	unsigned char *img, *out, *ref;
	size_t size, ref_size;
	struct bzimage bz;
	void *scratch;
	FILE *f;
	int fd;

	if (argc < 2 || runs < 1) {
		fprintf(stderr, "usage: %s VMLINUZ [RUNS]\n", argv[0]);
		return 2;
	}
	img = slurp(argv[1], &size);
	if (bzimage_parse("vmlinuz", img, size, &bz))
		return 1;
	out = malloc(bz.unpacked_size);
	scratch = malloc(XZ_SCRATCH_SIZE);
	t_hv = calloc((size_t)runs, sizeof(double));
	t_xz = calloc((size_t)runs, sizeof(double));

	fd = mkstemp(tmp);
	f = fdopen(fd, "wb");
	if (!f || fwrite(bz.payload, 1, bz.payload_size, f) != bz.payload_size)
		return 2;
	fclose(f);
	snprintf(out_path, sizeof(out_path), "%s.out", tmp);
	snprintf(cmd, sizeof(cmd), "xz -dc <%s >%s", tmp, out_path);
	for (int r = 0; r < runs; r++) {
		double t0 = cpu(RUSAGE_SELF);

		if (bzimage_unpack("vmlinuz", &bz, out, scratch))
			return 1;
		t_hv[r] = cpu(RUSAGE_SELF) - t0;
		t0 = cpu(RUSAGE_CHILDREN);
		if (system(cmd))
			return 2;
		t_xz[r] = cpu(RUSAGE_CHILDREN) - t0;
	}
	ref = slurp(out_path, &ref_size);
	unlink(tmp);
	unlink(out_path);

	if (ref_size != bz.unpacked_size || memcmp(ref, out, ref_size)) {
		fprintf(stderr, "bzimage-check: hv's output differs from xz -dc's (%zu vs %zu bytes)\n",
			bz.unpacked_size, ref_size);
		return 1;
	}
	if (memcmp(out, "\177ELF", 4)) {
		fprintf(stderr, "bzimage-check: the payload is not an ELF file\n");
		return 1;
	}
	{
		double mh = median(t_hv, runs), mx = median(t_xz, runs);
		double mb = (double)bz.unpacked_size / 1e6;

		printf("bzimage-check: %s: XZ payload %zu -> %zu bytes ELF, identical to xz -dc\n",
		       argv[1], bz.payload_size, bz.unpacked_size);
		printf("bzimage-check: median CPU time of %d: hv %.0f ms (%.1f MB/s), "
		       "xz -dc %.0f ms (%.1f MB/s)\n",
		       runs, mh * 1e3, mb / mh, mx * 1e3, mb / mx);
	}
	free(ref);
	free(out);
	free(img);
	free(scratch);
	free(t_hv);
	free(t_xz);
	return 0;
}
