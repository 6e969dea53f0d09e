# The port parameters of the security-group port controls, parsed once per run (see "Views"
# in policies/README.md): every rule of every security group is checked against the same
# ports, and parsing a port list on the VM for each group cost more than the checks
# themselves (EC2.19: 43 % of its instructions).
package regent.views.security_group_ports

import data.regent.lib.ec2_helpers
import data.regent.lib.values

# EC2.18: the [low, high] ranges of authorizedTcpPorts and authorizedUdpPorts, by protocol.
ec2_18_authorized := {
	"tcp": ec2_helpers.port_ranges(object.get(_ec2_18, "authorizedTcpPorts", null)),
	"udp": ec2_helpers.port_ranges(object.get(_ec2_18, "authorizedUdpPorts", null)),
}

_ec2_18 := object.get(data.parameters, "EC2.18", {})

# EC2.19: blockedPorts (a list, or a comma-separated string) as a set of numbers.
ec2_19_blocked := {n | some p in ec2_helpers.csv(object.get(_ec2_19, "blockedPorts", null)); n := values.number(p)}

_ec2_19 := object.get(data.parameters, "EC2.19", {})

# EC2.53: the single ports of restrictPorts, sorted, and the open CIDRs ipType selects.
ec2_53_ports := sort({p | some r in ec2_helpers.port_ranges(object.get(_ec2_53, "restrictPorts", null)); r[0] == r[1]; p := r[0]})

ec2_53_sources := {"0.0.0.0/0"} if _ec2_53_ip_type == "ipv4"
else := {"::/0"} if _ec2_53_ip_type == "ipv6"
else := {"0.0.0.0/0", "::/0"}

_ec2_53 := object.get(data.parameters, "EC2.53", {})

_ec2_53_ip_type := lower(t) if {
	t := object.get(_ec2_53, "ipType", null)
	is_string(t)
}
