/*
 * A second domain that only burns CPU, for tests that need the
 * hypervisor to switch dom0's vCPU out and back in (a vCPU alone on its
 * pCPU is never really switched: blocking only idles). dom0 builds it
 * with the toolstack (guest/control.h), so it works on hv and on Xen
 * 4.17 alike: a kernel image of a few bytes made here, `pause; jmp` at
 * its entry, events masked, no hypercall ever.
 */
#ifndef GUEST_TESTS_SPINNER_H
#define GUEST_TESTS_SPINNER_H

#include <stddef.h>
#include <public/xen.h>

/*
 * Create and build the spinner, paused: its domain id, or 0 with the
 * reason in why (the control interface refused, the builder failed).
 */
domid_t spinner_build(char *why, size_t whylen);
/* Let it run (it is runnable from then on): 0 or -errno. */
long spinner_start(domid_t dom);
/* Destroy it: 0 or -errno. */
long spinner_destroy(domid_t dom);

#endif /* GUEST_TESTS_SPINNER_H */
