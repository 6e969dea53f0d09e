package regent.ec2_53_test

import data.regent.ec2_53

# Only the world CIDRs that ipType selects are named, each with the ports worked out once per rule.
test_named_cidrs_follow_ip_type if {
	perm := {"ipProtocol": "-1", "ipRanges": ["0.0.0.0/0"], "ipv6Ranges": [{"cidrIpv6": "::/0"}]}
	conf := {"configuration": {"ipPermissions": [perm]}}
	ec2_53.violation == {"ingress all traffic from ::/0 includes remote administration ports 22, 3389"} with input as conf
		with data.views.security_group_ports.ec2_53_ports as [22, 3389]
		with data.views.security_group_ports.ec2_53_sources as {"::/0"}
	ec2_53.violation == {
		"ingress all traffic from 0.0.0.0/0 includes remote administration port 22",
		"ingress all traffic from ::/0 includes remote administration port 22",
	} with input as conf
		with data.views.security_group_ports.ec2_53_ports as [22]
		with data.views.security_group_ports.ec2_53_sources as {"0.0.0.0/0", "::/0"}
	count(ec2_53.violation) == 0 with input as {"configuration": {"ipPermissions": [object.remove(perm, ["ipv6Ranges"])]}}
		with data.views.security_group_ports.ec2_53_sources as {"::/0"}
}
