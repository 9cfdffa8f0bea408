/*
 * handlers.h - the request handlers wired into core.c's table.
 *
 * Each takes the request, validates every argument and permission first,
 * then changes state and replies. Returns 0 after replying, or a negative
 * errno for core.c to send as XS_ERROR.
 */
#ifndef XS_HANDLERS_H
#define XS_HANDLERS_H

#include <stdbool.h>

struct request;
struct txn;

/* node_ops.c */
int do_read(struct request *r);
int do_write(struct request *r);
int do_mkdir(struct request *r);
int do_rm(struct request *r);
int do_directory(struct request *r);
int do_directory_part(struct request *r);
int do_get_perms(struct request *r);
int do_set_perms(struct request *r);
/* Delete path and its subtree in view t, firing watches. */
int node_rm_tree(struct txn *t, const char *path);

/* session_ops.c */
int do_watch(struct request *r);
int do_unwatch(struct request *r);
int do_transaction_start(struct request *r);
int do_transaction_end(struct request *r);
int do_reset_watches(struct request *r);

/* domain_ops.c */
int do_introduce(struct request *r);
int do_release(struct request *r);
int do_resume(struct request *r);
int do_get_domain_path(struct request *r);
int do_is_domain_introduced(struct request *r);
int do_set_target(struct request *r);
int do_get_feature(struct request *r);
int do_set_feature(struct request *r);
int do_get_quota(struct request *r);
int do_set_quota(struct request *r);

/* control.c */
int do_control(struct request *r);
extern bool control_allow_files;

#endif /* XS_HANDLERS_H */
