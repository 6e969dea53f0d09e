package regent.acm_1

import data.regent.lib.edge_helpers
import data.regent.lib.values

metadata := {
	"id": "ACM.1",
	"title": "Imported and ACM-issued certificates should be renewed after a specified time period",
	"description": "Compares an ACM certificate's expiry (configuration.notAfter, an ISO-8601 timestamp) with the evaluation time (data.context.as_of_ns, from --as-of or the newest capture time in the input). NON_COMPLIANT when the certificate expires in fewer than daysToExpiration days (default 30) or has already expired; both imported and ACM-issued (AMAZON_ISSUED, PRIVATE) certificates are checked. Certificates without a notAfter (not yet issued: PENDING_VALIDATION, FAILED, VALIDATION_TIMED_OUT) are NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::ACM::Certificate"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ACM.1"],
	},
	"config_rule": "ACM_CERTIFICATE_EXPIRATION_CHECK",
	"parameters": {
		"daysToExpiration": {
			"default": 30,
			"description": "A certificate must remain valid for at least this many days after the evaluation time (Security Hub sets 30; the Config rule's own default is 14).",
			"type": "integer",
			"minimum": 1,
		},
	},
}

_day_ns := ((24 * 60) * 60) * 1000000000

_not_after := edge_helpers.timestamp_ns(input.configuration.notAfter)

_days := values.number(data.parameters["ACM.1"].daysToExpiration)

default applicable := false

applicable if _not_after

_remaining_ns := _not_after - data.context.as_of_ns

violation contains msg if {
	_remaining_ns <= 0
	msg := sprintf("certificate expired on %v, %d day(s) before the evaluation time %v", [edge_helpers.timestamp_text(input.configuration.notAfter), floor((0 - _remaining_ns) / _day_ns), data.context.as_of])
}

violation contains msg if {
	_remaining_ns > 0
	_remaining_ns < _days * _day_ns
	msg := sprintf("certificate expires on %v, in %d day(s) from the evaluation time %v (less than daysToExpiration %v)", [edge_helpers.timestamp_text(input.configuration.notAfter), floor(_remaining_ns / _day_ns), data.context.as_of, _days])
}
