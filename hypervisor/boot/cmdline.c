/*
 * Command-line parsing against the option descriptors of <hv/cmdline.h>.
 * Pure: it only calls printk, so the unit tests compile it unchanged.
 */
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lib.h>

#define MAX_TOKEN 256
#define MAX_UNKNOWN 16

int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "yes", "true", "on", "enable" };
	static const char *const no[] = { "0", "no", "false", "off", "disable" };

	for (unsigned int i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

int parse_size(const char *s, const char **end, uint64_t *out)
{
	uint64_t v, shift = 10;		/* Xen: a bare number is in KiB */
	size_t n = parse_u64(s, &v);

	if (!n)
		return -EINVAL;
	s += n;
	switch (*s) {
	case 'T': case 't': shift = 40; s++; break;
	case 'G': case 'g': shift = 30; s++; break;
	case 'M': case 'm': shift = 20; s++; break;
	case 'K': case 'k': shift = 10; s++; break;
	case 'B': case 'b': shift = 0; s++; break;
	default: break;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	if (end)
		*end = s;
	else if (*s)
		return -EINVAL;
	return 0;
}

static const struct hv_param *find_param(const char *name, const struct hv_param *first,
					 const struct hv_param *last)
{
	for (const struct hv_param *p = first; p < last; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* Report an unknown option only the first time it is seen. */
static void report_unknown(const char *name)
{
	static char seen[MAX_UNKNOWN][32];
	static unsigned int nr_seen;

	for (unsigned int i = 0; i < nr_seen; i++)
		if (!strncmp(seen[i], name, sizeof(seen[i]) - 1))
			return;
	if (nr_seen < MAX_UNKNOWN)
		strlcpy(seen[nr_seen++], name, sizeof(seen[0]));
	pr_warn("cmdline: unknown option '%s' ignored\n", name);
}

static int apply(const struct hv_param *p, const char *value, bool negated)
{
	uint64_t v;
	bool b;

	switch (p->type) {
	case PARAM_BOOL:
		if (!value) {
			*(bool *)p->var = !negated;
			return 0;
		}
		if (negated || parse_bool(value, &b))
			return -EINVAL;
		*(bool *)p->var = b;
		return 0;
	case PARAM_UINT:
		if (!value || negated || !*value || parse_u64(value, &v) != strlen(value))
			return -EINVAL;
		*(uint64_t *)p->var = v;
		return 0;
	case PARAM_STRING:
		if (!value || negated || strlen(value) >= p->len)
			return -EINVAL;
		strlcpy(p->var, value, p->len);
		return 0;
	case PARAM_CUSTOM:
		if (negated)
			return -EINVAL;
		return p->parse(value ? value : "");
	}
	return -EINVAL;
}

static void parse_token(char *tok, const struct hv_param *first, const struct hv_param *last)
{
	char *value = strchr(tok, '=');
	const struct hv_param *p;
	bool negated = false;

	if (value)
		*value++ = '\0';
	p = find_param(tok, first, last);
	if (!p && !strncmp(tok, "no-", 3)) {
		p = find_param(tok + 3, first, last);
		negated = p && p->type == PARAM_BOOL;
		if (!negated)
			p = NULL;
	}
	if (!p) {
		report_unknown(tok);
		return;
	}
	if (apply(p, value, negated))
		pr_warn("cmdline: bad value '%s' for option '%s'; keeping the default\n",
			value ? value : "", tok);
}

void cmdline_parse(const char *cmdline, const struct hv_param *first,
		   const struct hv_param *last)
{
	const char *s = cmdline;

	while (*s) {
		char tok[MAX_TOKEN];
		size_t n = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		while (*s && *s != ' ' && *s != '\t') {
			if (n < sizeof(tok) - 1)
				tok[n] = *s;
			n++;
			s++;
		}
		if (n >= sizeof(tok)) {
			tok[sizeof(tok) - 1] = '\0';
			pr_warn("cmdline: option '%.32s...' longer than %d characters ignored\n",
				tok, MAX_TOKEN - 1);
			continue;
		}
		tok[n] = '\0';
		parse_token(tok, first, last);
	}
}
