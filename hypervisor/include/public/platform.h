/*
 * hv public ABI: platform_op (#7), dom0 only. One argument: a pointer to
 * struct xen_platform_op. hv answers the commands below with -ENOSYS until
 * it implements them; Linux tolerates that at boot.
 */
#ifndef HV_PUBLIC_PLATFORM_H
#define HV_PUBLIC_PLATFORM_H

#include "xen.h"

#define XENPF_INTERFACE_VERSION     0x03000001U

#define XENPF_settime32             17
#define XENPF_add_memtype           31
#define XENPF_del_memtype           32
#define XENPF_read_memtype          33
#define XENPF_microcode_update      35
#define XENPF_platform_quirk        39
#define XENPF_get_cpu_version       48
#define XENPF_efi_runtime_call      49
#define XENPF_firmware_info         50
#define XENPF_enter_acpi_sleep      51
#define XENPF_change_freq           52
#define XENPF_getidletime           53
#define XENPF_set_processor_pminfo  54
#define XENPF_get_cpuinfo           55
#define XENPF_cpu_online            56
#define XENPF_cpu_offline           57
#define XENPF_cpu_hotadd            58
#define XENPF_mem_hotadd            59
#define XENPF_core_parking          60
#define XENPF_resource_op           61
#define XENPF_settime64             62
#define XENPF_get_symbol            63

/* firmware_info types */
#define XEN_FW_DISK_INFO            1
#define XEN_FW_DISK_MBR_SIGNATURE   2
#define XEN_FW_VBEDDC_INFO          3
#define XEN_FW_EFI_INFO             4
#define XEN_FW_KBD_SHIFT_FLAGS      5

struct xenpf_settime64 {
	uint64_t secs;              /* IN */
	uint32_t nsecs;             /* IN */
	uint32_t mbz;               /* IN: zero */
	uint64_t system_time;       /* IN */
};
typedef struct xenpf_settime64 xenpf_settime64_t;

struct xen_platform_op {
	uint32_t cmd;               /* IN: XENPF_* */
	uint32_t interface_version; /* IN: XENPF_INTERFACE_VERSION */
	union {
		struct xenpf_settime64 settime64;   /* IN */
		uint8_t pad[128];                   /* INOUT: per-command payload */
	} u;
};
typedef struct xen_platform_op xen_platform_op_t;

#endif /* HV_PUBLIC_PLATFORM_H */
