package regent.cloudfront_1

metadata := {
	"id": "CloudFront.1",
	"title": "CloudFront distributions should have a default root object configured",
	"description": "Checks configuration.distributionConfig.defaultRootObject of a CloudFront distribution: it must be a non-empty string (an object such as index.html that CloudFront returns for requests to the root URL). NON_COMPLIANT when it is empty (\"\", the value CloudFront records when none is set), blank, null or missing.",
	"severity": "critical",
	"resource_types": ["AWS::CloudFront::Distribution"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["CloudFront.1"],
	},
	"config_rule": "CLOUDFRONT_DEFAULT_ROOT_OBJECT_CONFIGURED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableCloudFrontDefaultRootObject",
		"parameters": {
			"CloudFrontDistribution": "{{ARN}}",
			"DefaultRootObject": "index.html",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# index.html may not exist at the origin; a wrong root object turns "/" into an error.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_root := input.configuration.distributionConfig.defaultRootObject

_configured if {
	is_string(_root)
	trim_space(_root) != ""
}

violation contains msg if {
	not _configured
	msg := sprintf("distribution has no default root object (distributionConfig.defaultRootObject is %v)", [_shown])
}

_shown := sprintf("%q", [_root]) if is_string(_root)

_shown := sprintf("%v", [_root]) if {
	_recorded
	not is_string(_root)
}

_shown := "not set" if not _recorded

_recorded if _root == _root
