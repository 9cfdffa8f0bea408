/*
 * hv public ABI: the network device ring protocol (netif). Two rings per
 * queue: tx (guest to backend, 256 slots of 12 bytes) and rx (backend to
 * guest, 256 slots of 8 bytes).
 */
#ifndef HV_PUBLIC_IO_NETIF_H
#define HV_PUBLIC_IO_NETIF_H

#include <stdint.h>
#include "ring.h"
#include "../grant_table.h"

/* Slots per packet every backend must accept. */
#define XEN_NETIF_NR_SLOTS_MIN      18
#define XEN_NETIF_MAX_TX_SIZE       0xffff

/* netif_tx_request.flags */
#define _NETTXF_csum_blank          0   /* checksum not computed yet */
#define NETTXF_csum_blank           (1U << _NETTXF_csum_blank)
#define _NETTXF_data_validated      1
#define NETTXF_data_validated       (1U << _NETTXF_data_validated)
#define _NETTXF_more_data           2   /* packet continues in the next slot */
#define NETTXF_more_data            (1U << _NETTXF_more_data)
#define _NETTXF_extra_info          3   /* extra-info slot(s) follow */
#define NETTXF_extra_info           (1U << _NETTXF_extra_info)

struct netif_tx_request {
	grant_ref_t gref;           /* IN: grant of the data page (read-only) */
	uint16_t offset;            /* IN: data offset in the page */
	uint16_t flags;             /* IN: NETTXF_* */
	uint16_t id;                /* IN: echoed in the response */
	uint16_t size;              /* IN: first slot: packet size; others: slot bytes */
};
typedef struct netif_tx_request netif_tx_request_t;

#define XEN_NETIF_EXTRA_TYPE_NONE       0
#define XEN_NETIF_EXTRA_TYPE_GSO        1
#define XEN_NETIF_EXTRA_TYPE_MCAST_ADD  2
#define XEN_NETIF_EXTRA_TYPE_MCAST_DEL  3
#define XEN_NETIF_EXTRA_TYPE_HASH       4
#define XEN_NETIF_EXTRA_TYPE_MAX        5

#define _XEN_NETIF_EXTRA_FLAG_MORE      0
#define XEN_NETIF_EXTRA_FLAG_MORE       (1U << _XEN_NETIF_EXTRA_FLAG_MORE)

#define XEN_NETIF_GSO_TYPE_NONE         0
#define XEN_NETIF_GSO_TYPE_TCPV4        1
#define XEN_NETIF_GSO_TYPE_TCPV6        2

/* An extra-info slot (8 bytes), in either ring. */
struct netif_extra_info {
	uint8_t type;               /* INOUT: XEN_NETIF_EXTRA_TYPE_* */
	uint8_t flags;              /* INOUT: XEN_NETIF_EXTRA_FLAG_* */
	union {
		struct {
			uint16_t size;      /* INOUT: MSS */
			uint8_t type;       /* INOUT: XEN_NETIF_GSO_TYPE_* */
			uint8_t pad;        /* zero */
			uint16_t features;  /* INOUT */
		} gso;
		struct {
			uint8_t addr[6];    /* IN: multicast MAC */
		} mcast;
		struct {
			uint8_t type;       /* INOUT */
			uint8_t algorithm;  /* INOUT */
			uint8_t value[4];   /* INOUT */
		} hash;
		uint16_t pad[3];
	} u;
};
typedef struct netif_extra_info netif_extra_info_t;

#define NETIF_RSP_DROPPED           (-2)
#define NETIF_RSP_ERROR             (-1)
#define NETIF_RSP_OKAY              0
#define NETIF_RSP_NULL              1   /* answer to an extra-info slot */

struct netif_tx_response {
	uint16_t id;                /* OUT: the request's id */
	int16_t status;             /* OUT: NETIF_RSP_* */
};
typedef struct netif_tx_response netif_tx_response_t;

struct netif_rx_request {
	uint16_t id;                /* IN: echoed in the response */
	uint16_t _pad0;             /* IN: zero */
	grant_ref_t gref;           /* IN: grant of an empty page (read-write) */
};
typedef struct netif_rx_request netif_rx_request_t;

/* netif_rx_response.flags */
#define _NETRXF_data_validated      0
#define NETRXF_data_validated       (1U << _NETRXF_data_validated)
#define _NETRXF_csum_blank          1
#define NETRXF_csum_blank           (1U << _NETRXF_csum_blank)
#define _NETRXF_more_data           2
#define NETRXF_more_data            (1U << _NETRXF_more_data)
#define _NETRXF_extra_info          3
#define NETRXF_extra_info           (1U << _NETRXF_extra_info)
#define _NETRXF_gso_prefix          4
#define NETRXF_gso_prefix           (1U << _NETRXF_gso_prefix)

struct netif_rx_response {
	uint16_t id;                /* OUT: the request's id */
	uint16_t offset;            /* OUT: data offset in the page */
	uint16_t flags;             /* OUT: NETRXF_* */
	int16_t status;             /* OUT: bytes in this slot (>= 0) or NETIF_RSP_* */
};
typedef struct netif_rx_response netif_rx_response_t;

DEFINE_RING_TYPES(netif_tx, struct netif_tx_request, struct netif_tx_response);
DEFINE_RING_TYPES(netif_rx, struct netif_rx_request, struct netif_rx_response);

#endif /* HV_PUBLIC_IO_NETIF_H */
