# Facts about the recorded network interfaces, computed once per run (see "Views" in
# policies/README.md) so that a security group control looks its group up instead of
# scanning every interface of the region for every group.
package regent.views.network_interfaces

import data.regent.lib.ec2_helpers

# [account, region, group id] for every security group that a recorded
# AWS::EC2::NetworkInterface lists in configuration.groups[].groupId.
security_groups contains [account, region, group_id] if {
	some account, regions in data.inventory["AWS::EC2::NetworkInterface"]
	some region, interfaces in regions
	some interface in interfaces
	# Plain references rather than the get/array helpers: this runs once per interface of
	# the organisation, on the interpreter, where every function call counts.
	groups := interface.configuration.groups
	is_array(groups)
	some group in groups
	group_id := ec2_helpers.text(group.groupId)
}
