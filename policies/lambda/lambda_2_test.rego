package regent.lambda_2_test

import data.regent.lambda_2
import data.regent.views.lambda_runtimes

_fn(runtime) := {"configuration": {"functionName": "f", "runtime": runtime, "packageType": "Zip"}}

_reference := {"lambda_runtimes": {"supported": ["python3.12", "nodejs20.x"], "end_of_support": {"nodejs20.x": "2026-04-30T00:00:00Z"}}}

test_runtime_parameter_replaces_reference_list if {
	count(lambda_2.violation) == 0 with input as _fn("python3.8")
		with data.parameters as {"Lambda.2": {"runtime": "python3.8, python3.9"}}
		with data.reference as _reference
	count(lambda_2.violation) == 1 with input as _fn("python3.12")
		with data.parameters as {"Lambda.2": {"runtime": ["python3.8"]}}
		with data.reference as _reference
}

# The view is computed under the same reference data and evaluation time, then passed on.
_supported_at(at) := supported if {
	supported := lambda_runtimes.supported with data.reference as _reference
		with data.context.as_of_ns as time.parse_rfc3339_ns(at)
}

test_end_of_support_is_compared_with_evaluation_time if {
	before := _supported_at("2026-04-29T23:59:59Z")
	count(lambda_2.violation) == 0 with input as _fn("nodejs20.x")
		with data.parameters as {"Lambda.2": {"runtime": null}}
		with data.reference as _reference
		with data.views.lambda_runtimes.supported as before
	after := _supported_at("2026-04-30T00:00:00Z")
	lambda_2.violation == {"function runtime nodejs20.x is not a supported runtime (end of support 2026-04-30T00:00:00Z)"} with input as _fn("nodejs20.x")
		with data.parameters as {"Lambda.2": {"runtime": null}}
		with data.reference as _reference
		with data.views.lambda_runtimes.supported as after
}
