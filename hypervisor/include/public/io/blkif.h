/*
 * hv public ABI: the block device ring protocol (blkif), x86_64 layout.
 * One ring page holds 32 slots of 112 bytes.
 */
#ifndef HV_PUBLIC_IO_BLKIF_H
#define HV_PUBLIC_IO_BLKIF_H

#include <stdint.h>
#include "ring.h"
#include "../grant_table.h"

typedef uint16_t blkif_vdev_t;
typedef uint64_t blkif_sector_t;    /* always 512-byte units */

#define BLKIF_OP_READ               0
#define BLKIF_OP_WRITE              1
#define BLKIF_OP_WRITE_BARRIER      2   /* only with feature-barrier */
#define BLKIF_OP_FLUSH_DISKCACHE    3   /* only with feature-flush-cache */
#define BLKIF_OP_RESERVED_1         4
#define BLKIF_OP_DISCARD            5   /* only with feature-discard */
#define BLKIF_OP_INDIRECT           6   /* only with feature-max-indirect-segments */

#define BLKIF_MAX_SEGMENTS_PER_REQUEST          11
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST    8
#define BLKIF_SEGS_PER_INDIRECT_FRAME           512

#define BLKIF_RSP_EOPNOTSUPP        (-2)
#define BLKIF_RSP_ERROR             (-1)
#define BLKIF_RSP_OKAY              0

/* `info` key bits. */
#define VDISK_CDROM                 0x1
#define VDISK_REMOVABLE             0x2
#define VDISK_READONLY              0x4

/* One granted page and the inclusive sector range used in it. */
struct blkif_request_segment {
	grant_ref_t gref;           /* IN: grant of the data page */
	uint8_t first_sect;         /* IN: first 512-byte sector in the page (0..7) */
	uint8_t last_sect;          /* IN: last sector, inclusive */
	uint16_t _pad0;             /* IN: zero */
};

struct blkif_request {
	uint8_t operation;          /* IN: BLKIF_OP_* */
	uint8_t nr_segments;        /* IN: 1..11 (0 allowed for flush) */
	blkif_vdev_t handle;        /* IN: virtual device */
	uint32_t _pad0;             /* IN: zero */
	uint64_t id;                /* IN: echoed in the response */
	blkif_sector_t sector_number; /* IN: start sector */
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST]; /* IN */
};
typedef struct blkif_request blkif_request_t;

#define BLKIF_DISCARD_SECURE        (1U << 0)

struct blkif_request_discard {
	uint8_t operation;          /* IN: BLKIF_OP_DISCARD */
	uint8_t flag;               /* IN: BLKIF_DISCARD_* */
	blkif_vdev_t handle;        /* IN */
	uint32_t _pad0;             /* IN: zero */
	uint64_t id;                /* IN */
	blkif_sector_t sector_number; /* IN */
	uint64_t nr_sectors;        /* IN */
};
typedef struct blkif_request_discard blkif_request_discard_t;

struct blkif_request_indirect {
	uint8_t operation;          /* IN: BLKIF_OP_INDIRECT */
	uint8_t indirect_op;        /* IN: BLKIF_OP_READ or BLKIF_OP_WRITE */
	uint16_t nr_segments;       /* IN */
	uint32_t _pad0;             /* IN: zero */
	uint64_t id;                /* IN */
	blkif_sector_t sector_number; /* IN */
	blkif_vdev_t handle;        /* IN */
	uint16_t _pad1;             /* IN: zero */
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST]; /* IN: pages of segments */
	uint32_t _pad2;             /* IN: zero */
};
typedef struct blkif_request_indirect blkif_request_indirect_t;

struct blkif_response {
	uint64_t id;                /* OUT: the request's id */
	uint8_t operation;          /* OUT: the request's operation */
	uint8_t _pad0;              /* zero */
	int16_t status;             /* OUT: BLKIF_RSP_* */
	uint32_t _pad1;             /* zero */
};
typedef struct blkif_response blkif_response_t;

DEFINE_RING_TYPES(blkif, struct blkif_request, struct blkif_response);

#endif /* HV_PUBLIC_IO_BLKIF_H */
