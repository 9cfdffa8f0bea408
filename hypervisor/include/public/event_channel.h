/*
 * hv public ABI: event_channel_op (#32). Command in rdi, argument pointer
 * in rsi. Invalid or unbound ports fail with -EINVAL, exhaustion with
 * -ENOSPC.
 */
#ifndef HV_PUBLIC_EVENT_CHANNEL_H
#define HV_PUBLIC_EVENT_CHANNEL_H

#include "xen.h"

typedef uint32_t evtchn_port_t;

#define EVTCHNOP_bind_interdomain   0
#define EVTCHNOP_bind_virq          1
#define EVTCHNOP_bind_pirq          2
#define EVTCHNOP_close              3
#define EVTCHNOP_send               4
#define EVTCHNOP_status             5
#define EVTCHNOP_alloc_unbound      6
#define EVTCHNOP_bind_ipi           7
#define EVTCHNOP_bind_vcpu          8
#define EVTCHNOP_unmask             9
#define EVTCHNOP_reset              10
#define EVTCHNOP_init_control       11  /* FIFO ABI */
#define EVTCHNOP_expand_array       12  /* FIFO ABI */
#define EVTCHNOP_set_priority       13  /* FIFO ABI */

/* A fresh port in `dom` that `remote_dom` may bind to. */
struct evtchn_alloc_unbound {
	domid_t dom;                /* IN: DOMID_SELF unless privileged */
	domid_t remote_dom;         /* IN: may be DOMID_SELF */
	evtchn_port_t port;         /* OUT */
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;

/* Connect to an unbound port of another domain. */
struct evtchn_bind_interdomain {
	domid_t remote_dom;         /* IN */
	uint16_t _pad0;             /* IN: zero */
	evtchn_port_t remote_port;  /* IN */
	evtchn_port_t local_port;   /* OUT */
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;

/* Bind a virtual IRQ (VIRQ_*) to a port notified on `vcpu`. */
struct evtchn_bind_virq {
	uint32_t virq;              /* IN: VIRQ_* */
	uint32_t vcpu;              /* IN */
	evtchn_port_t port;         /* OUT */
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;

/* Bind a physical IRQ (dom0 / I/O domains). */
#define BIND_PIRQ__WILL_SHARE       1
struct evtchn_bind_pirq {
	uint32_t pirq;              /* IN */
	uint32_t flags;             /* IN: BIND_PIRQ__* */
	evtchn_port_t port;         /* OUT */
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;

/* An intra-domain port fixed to one vCPU. */
struct evtchn_bind_ipi {
	uint32_t vcpu;              /* IN */
	evtchn_port_t port;         /* OUT */
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;

struct evtchn_close {
	evtchn_port_t port;         /* IN */
};
typedef struct evtchn_close evtchn_close_t;

struct evtchn_send {
	evtchn_port_t port;         /* IN */
};
typedef struct evtchn_send evtchn_send_t;

/* evtchn_status.status */
#define EVTCHNSTAT_closed           0
#define EVTCHNSTAT_unbound          1
#define EVTCHNSTAT_interdomain      2
#define EVTCHNSTAT_pirq             3
#define EVTCHNSTAT_virq             4
#define EVTCHNSTAT_ipi              5

struct evtchn_status {
	domid_t dom;                /* IN */
	uint16_t _pad0;             /* IN: zero */
	evtchn_port_t port;         /* IN */
	uint32_t status;            /* OUT: EVTCHNSTAT_* */
	uint32_t vcpu;              /* OUT: vCPU notified */
	union {
		struct {
			domid_t dom;            /* OUT: who may bind */
		} unbound;
		struct {
			domid_t dom;            /* OUT: peer domain */
			uint16_t _pad1;
			evtchn_port_t port;     /* OUT: peer port */
		} interdomain;
		uint32_t pirq;              /* OUT */
		uint32_t virq;              /* OUT */
	} u;
};
typedef struct evtchn_status evtchn_status_t;

/* Change the vCPU a port notifies. */
struct evtchn_bind_vcpu {
	evtchn_port_t port;         /* IN */
	uint32_t vcpu;              /* IN */
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;

struct evtchn_unmask {
	evtchn_port_t port;         /* IN */
};
typedef struct evtchn_unmask evtchn_unmask_t;

/* Close every port of a domain. */
struct evtchn_reset {
	domid_t dom;                /* IN */
};
typedef struct evtchn_reset evtchn_reset_t;

/* FIFO ABI (hv answers -ENOSYS; guests fall back to 2-level). */
struct evtchn_init_control {
	uint64_t control_gfn;       /* IN */
	uint32_t offset;            /* IN */
	uint32_t vcpu;              /* IN */
	uint8_t link_bits;          /* OUT */
	uint8_t _pad0[7];           /* zero */
};
typedef struct evtchn_init_control evtchn_init_control_t;

struct evtchn_expand_array {
	uint64_t array_gfn;         /* IN */
};
typedef struct evtchn_expand_array evtchn_expand_array_t;

struct evtchn_set_priority {
	evtchn_port_t port;         /* IN */
	uint32_t priority;          /* IN */
};
typedef struct evtchn_set_priority evtchn_set_priority_t;

#endif /* HV_PUBLIC_EVENT_CHANNEL_H */
