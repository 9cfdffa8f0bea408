/* vm_assist (#21): the valid PV64 types, and invalid types and commands. */
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>

static const unsigned int valid_types[] = {
	VMASST_TYPE_4gb_segments,
	VMASST_TYPE_4gb_segments_notify,
	VMASST_TYPE_writable_pagetables,
	VMASST_TYPE_pae_extended_cr3,
	VMASST_TYPE_architectural_iopl,
	VMASST_TYPE_runstate_update_flag,
	VMASST_TYPE_m2p_strict,
};

TEST(vm_assist, enable_disable_valid)
{
	char what[48];

	for (unsigned int i = 0; i < ARRAY_SIZE(valid_types); i++) {
		unsigned int t = valid_types[i];

		snprintf(what, sizeof(what), "enable type %u", t);
		CHECK_RC(what, 0, HYPERVISOR_vm_assist(VMASST_CMD_enable, t));
		snprintf(what, sizeof(what), "disable type %u", t);
		CHECK_RC(what, 0, HYPERVISOR_vm_assist(VMASST_CMD_disable, t));
	}
	/* Disabling what is off is fine too. */
	CHECK_RC("disable type 2 twice", 0,
		 HYPERVISOR_vm_assist(VMASST_CMD_disable, VMASST_TYPE_writable_pagetables));
}

TEST(vm_assist, invalid_type)
{
	CHECK_RC("enable type 6", -XEN_EINVAL, HYPERVISOR_vm_assist(VMASST_CMD_enable, 6));
	CHECK_RC("enable type 31", -XEN_EINVAL, HYPERVISOR_vm_assist(VMASST_CMD_enable, 31));
	CHECK_RC("enable type 33", -XEN_EINVAL, HYPERVISOR_vm_assist(VMASST_CMD_enable, 33));
	CHECK_RC("enable type 64", -XEN_EINVAL, HYPERVISOR_vm_assist(VMASST_CMD_enable, 64));
	CHECK_RC("disable type 1000", -XEN_EINVAL, HYPERVISOR_vm_assist(VMASST_CMD_disable, 1000));
	/* An invalid type is refused before the command is looked at. */
	CHECK_RC("cmd 7 on type 6", -XEN_EINVAL, HYPERVISOR_vm_assist(7, 6));
}

TEST(vm_assist, invalid_cmd)
{
	/* Xen: a valid type with an unknown command is -ENOSYS. */
	CHECK_RC("cmd 2 on type 2", -XEN_ENOSYS, HYPERVISOR_vm_assist(2, VMASST_TYPE_writable_pagetables));
	CHECK_RC("cmd ~0 on type 0", -XEN_ENOSYS, HYPERVISOR_vm_assist(~0U, VMASST_TYPE_4gb_segments));
}
