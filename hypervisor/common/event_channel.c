/*
 * Event channels, 2-level ABI (pv-abi.md §9). Each domain has a table of
 * ports; a port is free, unbound (waiting for a named remote domain to
 * bind), interdomain (connected to a peer port), bound to a VIRQ, or an
 * IPI. Raising a port sets its bit in the domain's shared pending bitmap
 * and, unless the guest masked it, the vCPU's selector and upcall flag;
 * the upcall itself happens on the vCPU's next return to the guest.
 *
 * A domain binds another's port only where that port names it as the
 * remote (the consent), and touches other domains' tables only when it is
 * privileged.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <public/event_channel.h>

#define ECS_FREE 0
#define ECS_UNBOUND 1
#define ECS_INTERDOMAIN 2
#define ECS_VIRQ 3
#define ECS_IPI 4

struct evtchn {
	uint8_t state;		/* ECS_* */
	uint8_t pad;
	uint16_t virq;		/* ECS_VIRQ */
	uint32_t notify_vcpu;
	domid_t remote_domid;	/* ECS_UNBOUND: the domain that may bind */
	uint32_t peer_port;	/* ECS_INTERDOMAIN */
	struct domain *peer;	/* ECS_INTERDOMAIN */
};

/* VIRQs delivered per vCPU; the others are global, bound on vCPU 0. */
static bool virq_is_per_vcpu(unsigned int virq)
{
	return virq == VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_XENOPROF ||
	       virq == VIRQ_XENPMU;
}

int evtchn_domain_init(struct domain *d, unsigned int max_ports)
{
	if (max_ports > EVTCHN_2L_NR_CHANNELS)
		max_ports = EVTCHN_2L_NR_CHANNELS;
	d->evtchn = xzalloc(max_ports * sizeof(struct evtchn));
	if (!d->evtchn)
		return -ENOMEM;
	d->max_evtchns = max_ports;
	return 0;
}

static struct evtchn *port_of(struct domain *d, uint32_t port)
{
	return port && port < d->max_evtchns ? &d->evtchn[port] : NULL;
}

/*
 * A free port of d. A dying domain gets none (-EINVAL, as Xen's
 * get_free_port): its ports were closed when it was destroyed, and one
 * opened after that would never be, its peer left pointing at the domain
 * once it is freed.
 */
static long alloc_port(struct domain *d, uint32_t avoid)
{
	if (domain_is_dying(d))
		return -EINVAL;
	for (uint32_t p = 1; p < d->max_evtchns; p++)
		if (d->evtchn[p].state == ECS_FREE && p != avoid)
			return p;
	return -ENOSPC;
}

static void vcpu_mark_upcall(struct vcpu *v, uint32_t port)
{
	struct vcpu_info *vi = v->vcpu_info;

	if (__atomic_fetch_or(&vi->evtchn_pending_sel, 1UL << (port / 64), __ATOMIC_SEQ_CST) &
	    (1UL << (port / 64)))
		return;
	vi->evtchn_upcall_pending = 1;
	vcpu_kick(v);
}

/* Raise `port` of domain d on its notify vCPU (pv-abi.md §9.1). */
static void set_pending(struct domain *d, uint32_t port)
{
	struct shared_info *s = d->shared_info;
	uint64_t bit = 1UL << (port % 64);
	struct vcpu *v;

	if (__atomic_fetch_or(&s->evtchn_pending[port / 64], bit, __ATOMIC_SEQ_CST) & bit)
		return;
	if (__atomic_load_n(&s->evtchn_mask[port / 64], __ATOMIC_SEQ_CST) & bit)
		return;
	v = d->vcpus[d->evtchn[port].notify_vcpu];
	if (v)
		vcpu_mark_upcall(v, port);
}

void send_virq(struct vcpu *v, unsigned int virq)
{
	uint32_t port = v->virq_to_port[virq];

	if (port)
		set_pending(v->domain, port);
}

void send_global_virq(struct domain *d, unsigned int virq)
{
	if (d->vcpus[0])
		send_virq(d->vcpus[0], virq);
}

static long evtchn_alloc_unbound(struct evtchn_alloc_unbound *a)
{
	struct domain *d;
	long rc = domain_lookup_target(a->dom, 0, &d), port;

	if (rc)
		return rc;
	port = alloc_port(d, 0);
	if (port < 0)
		return port;
	d->evtchn[port] = (struct evtchn){
		.state = ECS_UNBOUND,
		.remote_domid = a->remote_dom == DOMID_SELF ? current->domain->id : a->remote_dom,
	};
	a->port = (uint32_t)port;
	return 0;
}

static long evtchn_bind_interdomain(struct evtchn_bind_interdomain *b)
{
	struct domain *ld = current->domain, *rd;
	struct evtchn *rchn;
	long lport, rc;

	/*
	 * Any domain may name the remote: its port must be waiting for us. A
	 * dying one has no port left (on Xen too: -EINVAL).
	 */
	rc = domain_lookup_target(b->remote_dom, DOMAIN_LOOKUP_ANY_CALLER, &rd);
	if (rc)
		return rc;
	rchn = port_of(rd, b->remote_port);
	/* The remote port must be waiting for exactly us: that is its consent. */
	if (!rchn || rchn->state != ECS_UNBOUND || rchn->remote_domid != ld->id)
		return -EINVAL;
	lport = alloc_port(ld, rd == ld ? b->remote_port : 0);
	if (lport < 0)
		return lport;
	ld->evtchn[lport] = (struct evtchn){
		.state = ECS_INTERDOMAIN, .peer = rd, .peer_port = b->remote_port,
	};
	rchn->state = ECS_INTERDOMAIN;
	rchn->peer = ld;
	rchn->peer_port = (uint32_t)lport;
	b->local_port = (uint32_t)lport;
	/* Like Xen, the new local end starts pending, so no notify is lost. */
	set_pending(ld, (uint32_t)lport);
	return 0;
}

static long evtchn_bind_virq(struct evtchn_bind_virq *b)
{
	struct domain *d = current->domain;
	struct vcpu *v;
	long port;

	if (b->virq >= NR_VIRQS)
		return -EINVAL;
	if (!virq_is_per_vcpu(b->virq) && b->vcpu != 0)
		return -EINVAL;
	if (b->vcpu >= MAX_VIRT_CPUS || !(v = d->vcpus[b->vcpu]))
		return -ENOENT;
	if (v->virq_to_port[b->virq])
		return -EEXIST;
	port = alloc_port(d, 0);
	if (port < 0)
		return port;
	d->evtchn[port] = (struct evtchn){
		.state = ECS_VIRQ, .virq = (uint16_t)b->virq, .notify_vcpu = b->vcpu,
	};
	v->virq_to_port[b->virq] = (uint32_t)port;
	b->port = (uint32_t)port;
	return 0;
}

static long evtchn_bind_ipi(struct evtchn_bind_ipi *b)
{
	struct domain *d = current->domain;
	long port;

	if (b->vcpu >= MAX_VIRT_CPUS || !d->vcpus[b->vcpu])
		return -ENOENT;
	port = alloc_port(d, 0);
	if (port < 0)
		return port;
	d->evtchn[port] = (struct evtchn){ .state = ECS_IPI, .notify_vcpu = b->vcpu };
	b->port = (uint32_t)port;
	return 0;
}

static void clear_bit_shared(uint64_t *words, uint32_t port)
{
	__atomic_fetch_and(&words[port / 64], ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
}

static long close_port(struct domain *d, uint32_t port)
{
	struct evtchn *chn = port_of(d, port);

	if (!chn || chn->state == ECS_FREE)
		return -EINVAL;
	switch (chn->state) {
	case ECS_INTERDOMAIN: {
		struct evtchn *peer = &chn->peer->evtchn[chn->peer_port];

		/* The peer goes back to waiting for us. */
		peer->state = ECS_UNBOUND;
		peer->remote_domid = d->id;
		peer->peer = NULL;
		break;
	}
	case ECS_VIRQ:
		d->vcpus[chn->notify_vcpu]->virq_to_port[chn->virq] = 0;
		break;
	default:
		break;
	}
	clear_bit_shared(d->shared_info->evtchn_pending, port);
	memset(chn, 0, sizeof(*chn));
	return 0;
}

static long evtchn_send(uint32_t port)
{
	struct domain *d = current->domain;
	struct evtchn *chn = port_of(d, port);

	if (!chn)
		return -EINVAL;
	switch (chn->state) {
	case ECS_INTERDOMAIN:
		set_pending(chn->peer, chn->peer_port);
		return 0;
	case ECS_IPI:
		set_pending(d, port);
		return 0;
	case ECS_UNBOUND:
		return 0;		/* nobody listens yet: dropped, as on Xen */
	default:
		return -EINVAL;
	}
}

static long evtchn_status(struct evtchn_status *st)
{
	struct domain *d;
	struct evtchn *chn;
	long rc = domain_lookup_target(st->dom, DOMAIN_LOOKUP_DYING, &d);

	if (rc)
		return rc;
	chn = port_of(d, st->port);
	if (!chn)
		return -EINVAL;
	memset(&st->u, 0, sizeof(st->u));
	st->vcpu = chn->notify_vcpu;
	switch (chn->state) {
	case ECS_FREE:
		st->status = EVTCHNSTAT_closed;
		break;
	case ECS_UNBOUND:
		st->status = EVTCHNSTAT_unbound;
		st->u.unbound.dom = chn->remote_domid;
		break;
	case ECS_INTERDOMAIN:
		st->status = EVTCHNSTAT_interdomain;
		st->u.interdomain.dom = chn->peer->id;
		st->u.interdomain.port = chn->peer_port;
		break;
	case ECS_VIRQ:
		st->status = EVTCHNSTAT_virq;
		st->u.virq = chn->virq;
		break;
	case ECS_IPI:
		st->status = EVTCHNSTAT_ipi;
		break;
	}
	return 0;
}

/* As on Xen, a vCPU the domain lacks is -ENOENT before the port is looked at. */
static long evtchn_bind_vcpu(const struct evtchn_bind_vcpu *b)
{
	struct domain *d = current->domain;
	struct evtchn *chn;

	if (b->vcpu >= MAX_VIRT_CPUS || !d->vcpus[b->vcpu])
		return -ENOENT;
	chn = port_of(d, b->port);
	if (!chn || chn->state == ECS_FREE || chn->state == ECS_IPI ||
	    (chn->state == ECS_VIRQ && virq_is_per_vcpu(chn->virq)))
		return -EINVAL;
	chn->notify_vcpu = b->vcpu;
	return 0;
}

static long evtchn_unmask(uint32_t port)
{
	struct domain *d = current->domain;
	struct shared_info *s = d->shared_info;
	uint64_t bit = 1UL << (port % 64);
	struct vcpu *v;

	if (!port_of(d, port))
		return -EINVAL;
	clear_bit_shared(s->evtchn_mask, port);
	/* A port that became pending while masked is raised now. */
	if ((__atomic_load_n(&s->evtchn_pending[port / 64], __ATOMIC_SEQ_CST) & bit) &&
	    (v = d->vcpus[d->evtchn[port].notify_vcpu]))
		vcpu_mark_upcall(v, port);
	return 0;
}

void evtchn_domain_release(struct domain *d)
{
	for (uint32_t p = 1; p < d->max_evtchns; p++)
		if (d->evtchn[p].state != ECS_FREE)
			close_port(d, p);
}

unsigned int evtchn_open_count(const struct domain *d)
{
	unsigned int n = 0;

	for (uint32_t p = 1; p < d->max_evtchns; p++)
		n += d->evtchn[p].state != ECS_FREE;
	return n;
}

long evtchn_alloc_unbound_for(struct domain *d, domid_t remote, uint32_t *port)
{
	long p = alloc_port(d, 0);

	if (p < 0)
		return p;
	d->evtchn[p] = (struct evtchn){ .state = ECS_UNBOUND, .remote_domid = remote };
	*port = (uint32_t)p;
	return 0;
}

static long evtchn_reset(domid_t dom)
{
	struct domain *d;
	long rc = domain_lookup_target(dom, DOMAIN_LOOKUP_DYING, &d);

	if (rc)
		return rc;
	for (uint32_t p = 1; p < d->max_evtchns; p++)
		if (d->evtchn[p].state != ECS_FREE)
			close_port(d, p);
	return 0;
}

/* Copy the argument in, run op, copy it back out when the op succeeded. */
#define WITH_ARG(type, call) do { \
	type a; \
	long rc; \
	if (copy_from_guest(&a, arg, sizeof(a))) \
		return -EFAULT; \
	rc = call; \
	if (!rc && copy_to_guest(arg, &a, sizeof(a))) \
		return -EFAULT; \
	return rc; \
} while (0)

long do_event_channel_op(unsigned int cmd, uint64_t arg)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		WITH_ARG(struct evtchn_alloc_unbound, evtchn_alloc_unbound(&a));
	case EVTCHNOP_bind_interdomain:
		WITH_ARG(struct evtchn_bind_interdomain, evtchn_bind_interdomain(&a));
	case EVTCHNOP_bind_virq:
		WITH_ARG(struct evtchn_bind_virq, evtchn_bind_virq(&a));
	case EVTCHNOP_bind_ipi:
		WITH_ARG(struct evtchn_bind_ipi, evtchn_bind_ipi(&a));
	case EVTCHNOP_close:
		WITH_ARG(struct evtchn_close, close_port(current->domain, a.port));
	case EVTCHNOP_send:
		WITH_ARG(struct evtchn_send, evtchn_send(a.port));
	case EVTCHNOP_status:
		WITH_ARG(struct evtchn_status, evtchn_status(&a));
	case EVTCHNOP_bind_vcpu:
		WITH_ARG(struct evtchn_bind_vcpu, evtchn_bind_vcpu(&a));
	case EVTCHNOP_unmask:
		WITH_ARG(struct evtchn_unmask, evtchn_unmask(a.port));
	case EVTCHNOP_reset:
		WITH_ARG(struct evtchn_reset, evtchn_reset(a.dom));
	default:
		return -ENOSYS;		/* bind_pirq (dom0 devices) and the FIFO ABI */
	}
}
