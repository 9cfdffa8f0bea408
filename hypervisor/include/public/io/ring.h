/*
 * hv public ABI: shared I/O rings between a frontend and a backend.
 *
 * A ring is one (or 2^order) shared page(s): a 64-byte header holding the
 * producer and event indices, then an array of slots, each a union of one
 * request and one response. The number of slots is the largest power of
 * two that fits. Indices are free-running 32-bit counters; slot = index &
 * (slots - 1). Each side keeps private copies: the frontend its private
 * request producer and its response consumer, the backend its private
 * response producer and its request consumer.
 *
 * Publishing: write the slots, write barrier, store the new producer index,
 * full barrier, then notify the peer only if the peer's event index lies in
 * (old, new]. Before sleeping, a consumer sets its event index to
 * consumer + 1, issues a full barrier and checks for work once more.
 *
 * DEFINE_RING_TYPES(name, request_t, response_t) declares
 *   union name##_sring_entry, struct name##_sring (shared),
 *   struct name##_front_ring and struct name##_back_ring (private),
 * with the usual typedefs. Barriers: define xen_mb/xen_rmb/xen_wmb before
 * including this header to override the x86 defaults below.
 */
#ifndef HV_PUBLIC_IO_RING_H
#define HV_PUBLIC_IO_RING_H

#include <stdint.h>

typedef uint32_t RING_IDX;

#ifndef xen_mb
#define xen_mb()    __sync_synchronize()
#endif
#ifndef xen_rmb
#define xen_rmb()   __asm__ __volatile__("" ::: "memory")   /* x86: loads are ordered */
#endif
#ifndef xen_wmb
#define xen_wmb()   __asm__ __volatile__("" ::: "memory")   /* x86: stores are ordered */
#endif

/* Bytes before the first slot. */
#define RING_HEADER_BYTES       64

/* Largest power of two <= x, for x < 2^32, as a constant expression. */
#define RING_P2_1_(x)   ((x) & 0x1U)
#define RING_P2_2_(x)   (((x) & 0x2U) ? 0x2U : RING_P2_1_(x))
#define RING_P2_4_(x)   (((x) & 0xcU) ? (RING_P2_2_((x) >> 2) << 2) : RING_P2_2_(x))
#define RING_P2_8_(x)   (((x) & 0xf0U) ? (RING_P2_4_((x) >> 4) << 4) : RING_P2_4_(x))
#define RING_P2_16_(x)  (((x) & 0xff00U) ? (RING_P2_8_((x) >> 8) << 8) : RING_P2_8_(x))
#define RING_P2_32_(x)  (((x) & 0xffff0000U) ? (RING_P2_16_((x) >> 16) << 16) : RING_P2_16_(x))
#define RING_POW2_FLOOR(x)  RING_P2_32_((uint32_t)(x))

/* Slots in a ring of `bytes` bytes for ring type `name`. */
#define __CONST_RING_SIZE(name, bytes) \
	RING_POW2_FLOOR(((bytes) - RING_HEADER_BYTES) / sizeof(union name##_sring_entry))
#define __RING_SIZE(sring, bytes) \
	RING_POW2_FLOOR(((bytes) - RING_HEADER_BYTES) / sizeof((sring)->ring[0]))

#define DEFINE_RING_TYPES(name, req_t, rsp_t)                                   \
union name##_sring_entry {                                                      \
	req_t req;      /* IN (frontend) */                                     \
	rsp_t rsp;      /* OUT (backend) */                                     \
};                                                                              \
struct name##_sring {                                                           \
	RING_IDX req_prod;      /* frontend writes */                           \
	RING_IDX req_event;     /* backend writes: notify when req_prod passes */ \
	RING_IDX rsp_prod;      /* backend writes */                            \
	RING_IDX rsp_event;     /* frontend writes: notify when rsp_prod passes */ \
	union {                                                                 \
		struct {                                                        \
			uint8_t smartpoll_active;                               \
		} netif;                                                        \
		struct {                                                        \
			uint8_t msg;                                            \
		} tapif_user;                                                   \
		uint8_t pvt_pad[4];                                             \
	} pvt;          /* per-protocol private byte(s) */                      \
	uint8_t __pad[44];                                                      \
	union name##_sring_entry ring[1];   /* really [slots] */                \
};                                                                              \
struct name##_front_ring {                                                      \
	RING_IDX req_prod_pvt;  /* requests produced, not yet published */     \
	RING_IDX rsp_cons;      /* responses consumed */                        \
	uint32_t nr_ents;       /* slots */                                     \
	uint32_t _pad0;                                                         \
	struct name##_sring *sring;                                             \
};                                                                              \
struct name##_back_ring {                                                       \
	RING_IDX rsp_prod_pvt;  /* responses produced, not yet published */    \
	RING_IDX req_cons;      /* requests consumed */                         \
	uint32_t nr_ents;       /* slots */                                     \
	uint32_t _pad0;                                                         \
	struct name##_sring *sring;                                             \
};                                                                              \
typedef struct name##_sring name##_sring_t;                                     \
typedef struct name##_front_ring name##_front_ring_t;                           \
typedef struct name##_back_ring name##_back_ring_t

/* Initialise the shared header (the frontend does this once). */
#define SHARED_RING_INIT(s) do {                                                \
	(s)->req_prod = (s)->rsp_prod = 0;                                      \
	(s)->req_event = (s)->rsp_event = 1;                                    \
	for (unsigned int ring_i_ = 0; ring_i_ < sizeof((s)->pvt.pvt_pad); ring_i_++) \
		(s)->pvt.pvt_pad[ring_i_] = 0;                                  \
	for (unsigned int ring_i_ = 0; ring_i_ < sizeof((s)->__pad); ring_i_++) \
		(s)->__pad[ring_i_] = 0;                                        \
} while (0)

#define FRONT_RING_ATTACH(r, s, i, bytes) do {                                  \
	(r)->req_prod_pvt = (i);                                                \
	(r)->rsp_cons = (i);                                                    \
	(r)->nr_ents = __RING_SIZE(s, bytes);                                   \
	(r)->sring = (s);                                                       \
} while (0)
#define FRONT_RING_INIT(r, s, bytes)    FRONT_RING_ATTACH(r, s, 0, bytes)

#define BACK_RING_ATTACH(r, s, i, bytes) do {                                   \
	(r)->rsp_prod_pvt = (i);                                                \
	(r)->req_cons = (i);                                                    \
	(r)->nr_ents = __RING_SIZE(s, bytes);                                   \
	(r)->sring = (s);                                                       \
} while (0)
#define BACK_RING_INIT(r, s, bytes)     BACK_RING_ATTACH(r, s, 0, bytes)

#define RING_SIZE(r)                ((r)->nr_ents)
#define RING_FREE_REQUESTS(r)       (RING_SIZE(r) - ((r)->req_prod_pvt - (r)->rsp_cons))
#define RING_FULL(r)                (RING_FREE_REQUESTS(r) == 0)

#define RING_HAS_UNCONSUMED_RESPONSES(r) ((r)->sring->rsp_prod - (r)->rsp_cons)

/* Unconsumed requests, never more than the ring could legitimately hold. */
#define RING_HAS_UNCONSUMED_REQUESTS(r) ({                                      \
	RING_IDX ring_req_ = (r)->sring->req_prod - (r)->req_cons;              \
	RING_IDX ring_rsp_ = RING_SIZE(r) - ((r)->req_cons - (r)->rsp_prod_pvt); \
	ring_req_ < ring_rsp_ ? ring_req_ : ring_rsp_;                          \
})

/* True if the peer claims more requests in flight than slots. */
#define RING_REQUEST_PROD_OVERFLOW(r, prod) (((prod) - (r)->rsp_prod_pvt) > RING_SIZE(r))
#define RING_REQUEST_CONS_OVERFLOW(r, cons) (((cons) - (r)->rsp_prod_pvt) >= RING_SIZE(r))
#define RING_RESPONSE_PROD_OVERFLOW(r, prod) (((prod) - (r)->rsp_cons) > RING_SIZE(r))

#define RING_GET_REQUEST(r, idx)    (&((r)->sring->ring[(idx) & (RING_SIZE(r) - 1)].req))
#define RING_GET_RESPONSE(r, idx)   (&((r)->sring->ring[(idx) & (RING_SIZE(r) - 1)].rsp))
/* Copy a request out of the shared page once, so the peer cannot change it under us. */
#define RING_COPY_REQUEST(r, idx, dst) do {                                     \
	*(dst) = *(volatile __typeof__(dst))RING_GET_REQUEST(r, idx);           \
} while (0)
#define RING_COPY_RESPONSE(r, idx, dst) do {                                    \
	*(dst) = *(volatile __typeof__(dst))RING_GET_RESPONSE(r, idx);          \
} while (0)

#define RING_PUSH_REQUESTS(r) do {                                              \
	xen_wmb();                                                              \
	(r)->sring->req_prod = (r)->req_prod_pvt;                               \
} while (0)

#define RING_PUSH_RESPONSES(r) do {                                             \
	xen_wmb();                                                              \
	(r)->sring->rsp_prod = (r)->rsp_prod_pvt;                               \
} while (0)

/* notify = peer's event index in (old, new]. */
#define RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(r, notify) do {                     \
	RING_IDX ring_old_ = (r)->sring->req_prod;                              \
	RING_IDX ring_new_ = (r)->req_prod_pvt;                                 \
	xen_wmb();                                                              \
	(r)->sring->req_prod = ring_new_;                                       \
	xen_mb();                                                               \
	(notify) = (RING_IDX)(ring_new_ - (r)->sring->req_event) <              \
		   (RING_IDX)(ring_new_ - ring_old_);                           \
} while (0)

#define RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(r, notify) do {                    \
	RING_IDX ring_old_ = (r)->sring->rsp_prod;                              \
	RING_IDX ring_new_ = (r)->rsp_prod_pvt;                                 \
	xen_wmb();                                                              \
	(r)->sring->rsp_prod = ring_new_;                                       \
	xen_mb();                                                               \
	(notify) = (RING_IDX)(ring_new_ - (r)->sring->rsp_event) <              \
		   (RING_IDX)(ring_new_ - ring_old_);                           \
} while (0)

/* Re-arm the event index and look once more before sleeping. */
#define RING_FINAL_CHECK_FOR_REQUESTS(r, work) do {                             \
	(work) = RING_HAS_UNCONSUMED_REQUESTS(r);                               \
	if (work)                                                               \
		break;                                                          \
	(r)->sring->req_event = (r)->req_cons + 1;                              \
	xen_mb();                                                               \
	(work) = RING_HAS_UNCONSUMED_REQUESTS(r);                               \
} while (0)

#define RING_FINAL_CHECK_FOR_RESPONSES(r, work) do {                            \
	(work) = RING_HAS_UNCONSUMED_RESPONSES(r);                              \
	if (work)                                                               \
		break;                                                          \
	(r)->sring->rsp_event = (r)->rsp_cons + 1;                              \
	xen_mb();                                                               \
	(work) = RING_HAS_UNCONSUMED_RESPONSES(r);                              \
} while (0)

#endif /* HV_PUBLIC_IO_RING_H */
