/*
 * hv public ABI: sched_op (#29). Command in rdi, argument pointer in rsi.
 */
#ifndef HV_PUBLIC_SCHED_H
#define HV_PUBLIC_SCHED_H

#include "event_channel.h"

/* Give up the CPU; arg ignored. */
#define SCHEDOP_yield           0
/* Clear the upcall mask and sleep until an event is pending; arg ignored. */
#define SCHEDOP_block           1
/* Stop this domain; arg: struct sched_shutdown. */
#define SCHEDOP_shutdown        2
/* Sleep until one of the ports is pending or the timeout passes. */
#define SCHEDOP_poll            3
/* Stop another domain (privileged); arg: struct sched_remote_shutdown. */
#define SCHEDOP_remote_shutdown 4
/* Record the reason for a later shutdown; arg: struct sched_shutdown. */
#define SCHEDOP_shutdown_code   5
/* Arm/disarm a watchdog; arg: struct sched_watchdog. */
#define SCHEDOP_watchdog        6
/* Pin the caller's vCPU to a physical CPU (dom0); arg: struct sched_pin_override. */
#define SCHEDOP_pin_override    7

/* Shutdown reasons. */
#define SHUTDOWN_poweroff       0
#define SHUTDOWN_reboot         1
#define SHUTDOWN_suspend        2
#define SHUTDOWN_crash          3
#define SHUTDOWN_watchdog       4
#define SHUTDOWN_soft_reset     5
#define SHUTDOWN_MAX            5

struct sched_shutdown {
	uint32_t reason;            /* IN: SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;

struct sched_poll {
	XEN_GUEST_HANDLE(evtchn_port_t) ports;  /* IN: array of ports */
	uint32_t nr_ports;          /* IN */
	uint32_t _pad0;             /* IN: zero */
	uint64_t timeout;           /* IN: absolute system time in ns, 0 = none */
};
typedef struct sched_poll sched_poll_t;

struct sched_remote_shutdown {
	domid_t  domain_id;         /* IN */
	uint16_t _pad0;             /* IN: zero */
	uint32_t reason;            /* IN: SHUTDOWN_* */
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;

struct sched_watchdog {
	uint32_t id;                /* IN: 0 = new watchdog; OUT: its id */
	uint32_t timeout;           /* IN: seconds, 0 = destroy */
};
typedef struct sched_watchdog sched_watchdog_t;

struct sched_pin_override {
	int32_t pcpu;               /* IN: physical CPU, negative = undo */
};
typedef struct sched_pin_override sched_pin_override_t;

#endif /* HV_PUBLIC_SCHED_H */
