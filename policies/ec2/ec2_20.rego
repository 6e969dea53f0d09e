package regent.ec2_20

import data.regent.lib.ec2_helpers
import data.regent.lib.values

metadata := {
	"id": "EC2.20",
	"title": "Both VPN tunnels for an AWS Site-to-Site VPN connection should be up",
	"description": "Checks the tunnel telemetry of a Site-to-Site VPN connection (configuration.vgwTelemetry, every entry): NON_COMPLIANT when any tunnel's status is not UP (DOWN, or missing), or when fewer than two tunnels report UP. Status is compared case-insensitively. Connections whose configuration.state is deleting or deleted are NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::EC2::VPNConnection"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.20"],
	},
	"config_rule": "VPC_VPN_2_TUNNELS_UP",
	"parameters": {},
}

_conf := object.get(input, "configuration", null)

default applicable := true

applicable := false if ec2_helpers.lower_text(ec2_helpers.get(_conf, "state")) in {"deleting", "deleted"}

_tunnels := ec2_helpers.array(ec2_helpers.get(_conf, "vgwTelemetry"))

_up(t) if ec2_helpers.lower_text(ec2_helpers.get(t, "status")) == "up"

_name(t) := n if n := ec2_helpers.text(ec2_helpers.get(t, "outsideIpAddress"))

_name(t) := "tunnel" if not ec2_helpers.text(ec2_helpers.get(t, "outsideIpAddress"))

violation contains msg if {
	some t in _tunnels
	not _up(t)
	msg := sprintf("VPN tunnel %s is %v (statusMessage %v)", [_name(t), values.show(t, "status"), values.show(t, "statusMessage")])
}

violation contains msg if {
	count(_tunnels) < 2
	msg := sprintf("only %d VPN tunnel(s) reported in vgwTelemetry; both tunnels must be UP", [count(_tunnels)])
}
