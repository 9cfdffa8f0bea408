/* The freestanding guest's <stdbool.h>. */
#ifndef GUEST_STDBOOL_H
#define GUEST_STDBOOL_H

#define bool  _Bool
#define true  1
#define false 0

#endif
