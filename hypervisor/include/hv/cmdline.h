/*
 * hv's command line. Options are declared next to the code they configure
 * with the HV_PARAM_* macros, which place a descriptor in the hv_params
 * section; cmdline_parse() walks it. Syntax follows Xen's: `name`,
 * `name=value`, `no-name` for booleans; unknown options are reported once
 * and ignored; a malformed value is reported and the default kept.
 */
#ifndef HV_CMDLINE_H
#define HV_CMDLINE_H

#include <hv/types.h>

enum param_type { PARAM_BOOL, PARAM_UINT, PARAM_STRING, PARAM_CUSTOM };

struct hv_param {
	const char *name;
	enum param_type type;
	void *var;		/* bool *, uint64_t *, char[len] */
	size_t len;		/* PARAM_STRING: size of the buffer */
	/* PARAM_CUSTOM: returns 0, or -EINVAL and leaves its state alone. */
	int (*parse)(const char *value);
};

#define HV_PARAM_(n, t, id, v, l, p) \
	static const struct hv_param __param_##id __used \
	__section("hv_params") __aligned(8) = { n, t, v, l, p }
#define HV_PARAM_BOOL(name, var) HV_PARAM_(name, PARAM_BOOL, var, &var, 0, NULL)
#define HV_PARAM_UINT(name, var) HV_PARAM_(name, PARAM_UINT, var, &var, 0, NULL)
#define HV_PARAM_STRING(name, var) HV_PARAM_(name, PARAM_STRING, var, var, sizeof(var), NULL)
#define HV_PARAM_CUSTOM(name, fn) HV_PARAM_(name, PARAM_CUSTOM, fn, NULL, 0, fn)

/* Parse `cmdline` against the descriptors in [first, last). */
/* Descriptors of every option linked in (the linker names the bounds). */
extern const struct hv_param __start_hv_params[], __stop_hv_params[];

void cmdline_parse(const char *cmdline, const struct hv_param *first,
		   const struct hv_param *last);

/* Helpers custom parsers share. */
int parse_bool(const char *s, bool *out);
/* A size such as 512M, 1G, 4096K, 1048576B; no suffix means KiB (Xen's rule). */
int parse_size(const char *s, const char **end, uint64_t *out);

#endif
