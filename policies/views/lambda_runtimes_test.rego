package regent.views.lambda_runtimes_test

import data.regent.views.lambda_runtimes

_reference := {"lambda_runtimes": {
	"supported": ["python3.12", "nodejs20.x", "java21"],
	"end_of_support": {"nodejs20.x": "2026-04-30T00:00:00Z", "java21": "not a date"},
}}

test_a_runtime_is_supported_until_its_end_of_support if {
	lambda_runtimes.supported == {"python3.12", "nodejs20.x", "java21"} with data.reference as _reference
		with data.context.as_of_ns as time.parse_rfc3339_ns("2026-04-29T23:59:59Z")
	lambda_runtimes.supported == {"python3.12", "java21"} with data.reference as _reference
		with data.context.as_of_ns as time.parse_rfc3339_ns("2026-04-30T00:00:00Z")
}
