package regent.ec2_23

import data.regent.lib.ec2_helpers

metadata := {
	"id": "EC2.23",
	"title": "Amazon EC2 Transit Gateways should not automatically accept VPC attachment requests",
	"description": "Checks a transit gateway's configuration.AutoAcceptSharedAttachments (the CI uses PascalCase for this type; the EC2 API spelling options.autoAcceptSharedAttachments is read when that is all there is): NON_COMPLIANT when it is \"enable\" (any letter case), so cross-account VPC attachment requests are accepted without review. \"disable\" or a missing value (the AWS default, disable) is COMPLIANT.",
	"severity": "high",
	"resource_types": ["AWS::EC2::TransitGateway"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.23"],
	},
	"config_rule": "EC2_TRANSIT_GATEWAY_AUTO_VPC_ATTACH_DISABLED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-DisableTGWAutoAcceptSharedAttachments",
		"parameters": {
			"TransitGatewayId": "{{resourceId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: existing attachments are untouched, but account-vending or network
		# pipelines that rely on auto-acceptance would then wait for a manual accept.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

_setting := v if v := ec2_helpers.text(ec2_helpers.get(_conf, "AutoAcceptSharedAttachments"))

_setting := v if {
	not ec2_helpers.text(ec2_helpers.get(_conf, "AutoAcceptSharedAttachments"))
	v := ec2_helpers.text(ec2_helpers.get(ec2_helpers.get(_conf, "options"), "autoAcceptSharedAttachments"))
}

violation contains msg if {
	lower(_setting) == "enable"
	msg := sprintf("transit gateway automatically accepts shared VPC attachments (AutoAcceptSharedAttachments is %s)", [_setting])
}
