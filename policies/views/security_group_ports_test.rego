package regent.views.security_group_ports_test

import data.regent.views.security_group_ports

test_ec2_18_ranges_by_protocol if {
	params := {"EC2.18": {"authorizedTcpPorts": "80, 443,1020-1025", "authorizedUdpPorts": [500]}}
	security_group_ports.ec2_18_authorized == {"tcp": [[80, 80], [443, 443], [1020, 1025]], "udp": [[500, 500]]} with data.parameters as params
	security_group_ports.ec2_18_authorized == {"tcp": [], "udp": []} with data.parameters as {}
}

test_ec2_19_blocked_ports_from_a_list_or_a_string if {
	security_group_ports.ec2_19_blocked == {22, 3389} with data.parameters as {"EC2.19": {"blockedPorts": [22, "3389"]}}
	security_group_ports.ec2_19_blocked == {20, 21} with data.parameters as {"EC2.19": {"blockedPorts": "20, 21,x"}}
	security_group_ports.ec2_19_blocked == set() with data.parameters as {"EC2.19": {"blockedPorts": null}}
}

test_ec2_53_ports_and_sources if {
	params := {"EC2.53": {"restrictPorts": "3389,22,1000-1001", "ipType": "IPv6"}}
	security_group_ports.ec2_53_ports == [22, 3389] with data.parameters as params
	security_group_ports.ec2_53_sources == {"::/0"} with data.parameters as params
	security_group_ports.ec2_53_sources == {"0.0.0.0/0"} with data.parameters as {"EC2.53": {"ipType": "ipv4"}}
	security_group_ports.ec2_53_sources == {"0.0.0.0/0", "::/0"} with data.parameters as {"EC2.53": {}}
}
