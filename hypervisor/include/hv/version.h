/* hv's version. Guests see Xen's version numbers through xen_version. */
#ifndef HV_VERSION_H
#define HV_VERSION_H

#define HV_VERSION_MAJOR 0
#define HV_VERSION_MINOR 1
#define HV_VERSION_STRING "0.1"

#endif
