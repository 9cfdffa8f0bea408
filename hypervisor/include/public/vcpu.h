/*
 * hv public ABI: vcpu_op (#24). Command in rdi, vCPU id in rsi, argument
 * pointer in rdx.
 */
#ifndef HV_PUBLIC_VCPU_H
#define HV_PUBLIC_VCPU_H

#include "xen.h"

#define VCPUOP_initialise                   0   /* arg: struct vcpu_guest_context; -EEXIST if done */
#define VCPUOP_up                           1   /* arg: NULL */
#define VCPUOP_down                         2   /* arg: NULL */
#define VCPUOP_is_up                        3   /* arg: NULL; returns 1 up, 0 down */
#define VCPUOP_get_runstate_info            4   /* arg: struct vcpu_runstate_info */
#define VCPUOP_register_runstate_memory_area 5  /* arg: struct vcpu_register_runstate_memory_area */
#define VCPUOP_set_periodic_timer           6   /* arg: struct vcpu_set_periodic_timer */
#define VCPUOP_stop_periodic_timer          7   /* arg: NULL */
#define VCPUOP_set_singleshot_timer         8   /* arg: struct vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer        9   /* arg: NULL */
#define VCPUOP_register_vcpu_info           10  /* arg: struct vcpu_register_vcpu_info */
#define VCPUOP_send_nmi                     11  /* arg: NULL */
#define VCPUOP_get_physid                   12  /* arg: struct vcpu_get_physid */
#define VCPUOP_register_vcpu_time_memory_area 13 /* arg: struct vcpu_register_time_memory_area */

/* vcpu_runstate_info.state */
#define RUNSTATE_running    0
#define RUNSTATE_runnable   1
#define RUNSTATE_blocked    2
#define RUNSTATE_offline    3

/* Bit 63 of state_entry_time while hv updates (VMASST_TYPE_runstate_update_flag). */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

struct vcpu_runstate_info {
	int32_t  state;             /* OUT: RUNSTATE_* */
	uint32_t _pad0;             /* zero */
	uint64_t state_entry_time;  /* OUT: system time of the last state change */
	uint64_t time[4];           /* OUT: ns spent in each RUNSTATE_* */
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;

struct vcpu_register_runstate_memory_area {
	XEN_GUEST_HANDLE(vcpu_runstate_info_t) addr;    /* IN: guest VA */
};
typedef struct vcpu_register_runstate_memory_area vcpu_register_runstate_memory_area_t;

struct vcpu_set_periodic_timer {
	uint64_t period_ns;         /* IN */
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;

#define _VCPU_SSHOTTMR_future   0
#define VCPU_SSHOTTMR_future    (1U << _VCPU_SSHOTTMR_future)

struct vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns;    /* IN: system time */
	uint32_t flags;             /* IN: VCPU_SSHOTTMR_* */
	uint32_t _pad0;             /* IN: zero */
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;

/* Move this vCPU's vcpu_info into a guest frame. */
struct vcpu_register_vcpu_info {
	uint64_t mfn;               /* IN: frame holding the new vcpu_info */
	uint32_t offset;            /* IN: byte offset in it (must not cross the page) */
	uint32_t rsvd;              /* IN: zero */
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;

struct vcpu_get_physid {
	uint64_t phys_id;           /* OUT */
};
typedef struct vcpu_get_physid vcpu_get_physid_t;

struct vcpu_register_time_memory_area {
	XEN_GUEST_HANDLE(vcpu_time_info_t) addr;        /* IN: guest VA */
};
typedef struct vcpu_register_time_memory_area vcpu_register_time_memory_area_t;

#endif /* HV_PUBLIC_VCPU_H */
