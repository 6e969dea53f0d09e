package regent.elb_2

import data.regent.lib.edge_helpers

metadata := {
	"id": "ELB.2",
	"title": "Classic Load Balancers with SSL/HTTPS listeners should use a certificate provided by AWS Certificate Manager",
	"description": "Checks every HTTPS or SSL listener of a Classic Load Balancer (configuration.listenerDescriptions[].listener with protocol HTTPS or SSL, any letter case): its certificate (listener.sslcertificateId, as AWS Config spells SSLCertificateId) must be an ACM certificate ARN (arn:<partition>:acm:...). NON_COMPLIANT when a secure listener uses an IAM server certificate (arn:aws:iam::...:server-certificate/...) or records no certificate. Load balancers without an HTTPS or SSL listener are NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::ElasticLoadBalancing::LoadBalancer"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ELB.2"],
	},
	"config_rule": "ELB_ACM_CERTIFICATE_REQUIRED",
	"parameters": {},
}

_secure_listeners := [l | some l in edge_helpers.clb_listeners(input); edge_helpers.clb_secure_protocol(l)]

default applicable := false

applicable if count(_secure_listeners) > 0

_certificate_names := ["sslcertificateId", "sSLCertificateId", "sslCertificateId", "SSLCertificateId"]

_acm_certificate(listener) if {
	cert := edge_helpers.field(listener, _certificate_names)
	is_string(cert)
	regex.match(`^arn:aws[a-z-]*:acm:`, cert)
}

violation contains msg if {
	some listener in _secure_listeners
	not _acm_certificate(listener)
	msg := sprintf("listener %s uses certificate %v, which is not an ACM certificate", [
		edge_helpers.describe_clb_listener(listener),
		edge_helpers.show_field(listener, _certificate_names),
	])
}
