/*
 * hv public ABI: the PV console ring page shared by a domU and its console
 * backend. Indices are free-running; byte at index & (sizeof(buf) - 1).
 */
#ifndef HV_PUBLIC_IO_CONSOLE_H
#define HV_PUBLIC_IO_CONSOLE_H

#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

#define XENCONS_IN_SIZE     1024
#define XENCONS_OUT_SIZE    2048
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

/* xencons_interface.connection */
#define XENCONSOLE_CONNECTED    0
#define XENCONSOLE_DISCONNECTED 1

struct xencons_interface {
	char in[XENCONS_IN_SIZE];   /* OUT (backend): input to the guest */
	char out[XENCONS_OUT_SIZE]; /* IN (guest): guest output */
	XENCONS_RING_IDX in_cons;   /* IN (guest) */
	XENCONS_RING_IDX in_prod;   /* OUT (backend) */
	XENCONS_RING_IDX out_cons;  /* OUT (backend) */
	XENCONS_RING_IDX out_prod;  /* IN (guest) */
	uint8_t connection;         /* OUT (backend): XENCONSOLE_* */
	uint8_t _pad0[3];           /* zero */
};

#endif /* HV_PUBLIC_IO_CONSOLE_H */
