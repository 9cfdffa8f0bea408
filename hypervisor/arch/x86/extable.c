/* The exception table: where hv expects faults, and where to go then. */
#include <hv/guest_access.h>

struct ex_entry {
	uint64_t fault, fixup;
};

extern const struct ex_entry __start_ex_table[], __stop_ex_table[];

bool fixup_exception(uint64_t *rip)
{
	for (const struct ex_entry *e = __start_ex_table; e < __stop_ex_table; e++) {
		if (e->fault == *rip) {
			*rip = e->fixup;
			return true;
		}
	}
	return false;
}
