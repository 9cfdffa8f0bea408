/*
 * hv public ABI: XenBus device states, written as decimal strings to the
 * `state` key of a frontend or backend directory in xenstore.
 */
#ifndef HV_PUBLIC_IO_XENBUS_H
#define HV_PUBLIC_IO_XENBUS_H

enum xenbus_state {
	XenbusStateUnknown       = 0,
	XenbusStateInitialising  = 1,
	XenbusStateInitWait      = 2,   /* backend: waiting for the frontend's details */
	XenbusStateInitialised   = 3,   /* frontend: rings and ports published */
	XenbusStateConnected     = 4,
	XenbusStateClosing       = 5,
	XenbusStateClosed        = 6,
	XenbusStateReconfiguring = 7,
	XenbusStateReconfigured  = 8
};
typedef enum xenbus_state XenbusState;

#endif /* HV_PUBLIC_IO_XENBUS_H */
