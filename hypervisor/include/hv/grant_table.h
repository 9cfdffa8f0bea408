/* Grant tables (common/grant_table.c); struct grant_table is private there. */
#ifndef HV_GRANT_TABLE_H
#define HV_GRANT_TABLE_H

struct domain;
struct grant_table;

int grant_table_init(struct domain *d);

#endif
