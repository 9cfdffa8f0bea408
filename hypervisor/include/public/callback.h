/*
 * hv public ABI: callback_op (#30) and the callback types also used by
 * the older set_callbacks (#4).
 */
#ifndef HV_PUBLIC_CALLBACK_H
#define HV_PUBLIC_CALLBACK_H

#include "xen.h"

#define CALLBACKTYPE_event              0   /* event-channel upcall */
#define CALLBACKTYPE_failsafe           1   /* segment reload failed on return */
#define CALLBACKTYPE_syscall            2   /* 64-bit syscall from guest user */
#define CALLBACKTYPE_sysenter_deprecated 3  /* old alias of sysenter */
#define CALLBACKTYPE_nmi                4   /* NMI (dom0) */
#define CALLBACKTYPE_sysenter           5   /* sysenter from guest user */
#define CALLBACKTYPE_syscall32          7   /* syscall from 32-bit guest user */

/* callback_register.flags */
#define _CALLBACKF_mask_events          0
#define CALLBACKF_mask_events           (1U << _CALLBACKF_mask_events)

#define CALLBACKOP_register             0   /* arg: struct callback_register */
#define CALLBACKOP_unregister           1   /* arg: struct callback_unregister */

struct callback_register {
	uint16_t type;              /* IN: CALLBACKTYPE_* */
	uint16_t flags;             /* IN: CALLBACKF_* */
	uint32_t _pad0;             /* IN: zero */
	uint64_t address;           /* IN: handler VA (canonical) */
};
typedef struct callback_register callback_register_t;

struct callback_unregister {
	uint16_t type;              /* IN: CALLBACKTYPE_* */
	uint16_t _unused;           /* IN: zero */
};
typedef struct callback_unregister callback_unregister_t;

#endif /* HV_PUBLIC_CALLBACK_H */
