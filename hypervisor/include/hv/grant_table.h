/*
 * Grant tables (common/grant_table.c: the table, its queries and copies;
 * common/grant_map.c: mappings of granted frames). hv-internal.
 */
#ifndef HV_GRANT_TABLE_H
#define HV_GRANT_TABLE_H

#include <hv/types.h>
#include <public/grant_table.h>

#define GRANT_MAX_FRAMES 64		/* Xen's default max_grant_frames */
#define GRANT_ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))
#define MAPTRACK_CHUNK 256		/* handles per allocation */
#define MAPTRACK_MAX_CHUNKS 256		/* at most 65536 mappings per domain */

struct domain;

/*
 * What hv knows of one of the granter's entries while it is pinned: by a
 * mapping, for as long as it exists, or by a copy, while it copies.
 */
struct active_grant {
	uint32_t pins_ro, pins_rw;	/* uses of the entry, read-only / writable */
	domid_t grantee;		/* who uses it (fixed while pinned) */
	mfn_t frame;			/* the frame, as read at the first pin */
};

/* One mapping the domain made of another's grant (a grant handle). */
struct maptrack {
	uint32_t flags;			/* GNTMAP_host_map | device_map | readonly; 0: free */
	grant_ref_t ref;
	domid_t granter;
	uint32_t next_free;		/* free: the next free handle, or MAPTRACK_NONE */
	uint64_t host_addr;		/* as given, to find the PTE again */
};

#define MAPTRACK_NONE (~0u)

/*
 * The maptrack grows a chunk at a time and never shrinks; its free
 * handles form a list through next_free (the last one freed first), so
 * that finding one costs the same however many are in use.
 */
struct grant_table {
	unsigned int nr_frames, max_frames;
	mfn_t frames[GRANT_MAX_FRAMES];
	struct active_grant *active[GRANT_MAX_FRAMES];	/* one array per table frame */
	struct maptrack *maptrack[MAPTRACK_MAX_CHUNKS];
	unsigned int maptrack_chunks, maptrack_used;
	uint32_t maptrack_free;		/* the first free handle, or MAPTRACK_NONE */
};

/* A table that may grow to max_frames (1..GRANT_MAX_FRAMES) frames. */
int grant_table_init(struct domain *d, unsigned int max_frames);
/* Domain destruction: its mappings of others' grants go; its own table stays. */
void grant_release_mappings(struct domain *d);
/* How many of the table's frames nothing but the table holds. */
unsigned int grant_table_idle_frames(const struct domain *d);
/* The domain is freed, with no frame of its table held by anyone else. */
void grant_table_free(struct domain *d);
/* Grant maps d holds of others' (or its own) grants (physinfo, for leak checks). */
unsigned int grant_mappings_held(const struct domain *d);
/* Entry `ref` of d's table, or NULL past its end. */
struct grant_entry_v1 *grant_entry(struct domain *d, grant_ref_t ref);
struct active_grant *grant_active(struct domain *d, grant_ref_t ref);
/* How grant_pin() uses an entry. */
#define GRANT_PIN_WRITE	1u		/* writes to the frame: the grant must allow them */
#define GRANT_PIN_MAP	2u		/* a mapping: a GTF_sub_page entry is refused */

/*
 * Pin entry `ref` of rd's table for one use by `grantee` (GNTTABOP_copy
 * and the maps share it): GNTST_okay and the frame in *mfn, the one the
 * first pin read, or a GNTST_* error with nothing changed. Each pin is
 * undone by one grant_unpin() with the same write-ness.
 */
int16_t grant_pin(struct domain *rd, grant_ref_t ref, domid_t grantee, unsigned int how,
		  mfn_t *mfn);
void grant_unpin(struct domain *rd, grant_ref_t ref, bool write);
/* A domain_lookup_target() error as Xen's grant status for it. */
int16_t grant_lookup_status(int rc);
/*
 * Whether a batch that did `done` ops should stop here, to be continued
 * (every GRANT_PREEMPT_EVERY ops, when hypercall_preempt_check() says so).
 */
#define GRANT_PREEMPT_EVERY 64
bool grant_batch_preempt(unsigned int done);
/*
 * GNTTABOP_map_grant_ref, unmap_grant_ref, unmap_and_replace (grant_map.c):
 * how many of the `count` ops were done (fewer if preempted), or -EFAULT.
 */
long grant_map_batch(uint64_t arg, unsigned int count);
long grant_unmap_batch(uint64_t arg, unsigned int count);
long grant_unmap_and_replace_batch(uint64_t arg, unsigned int count);

#endif
