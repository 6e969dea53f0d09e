# Lambda runtimes still supported at the evaluation time, computed once per run (see
# "Views" in policies/README.md): every function compares its runtime with the same list,
# so the end-of-support dates are parsed once instead of once per function.
package regent.views.lambda_runtimes

import data.regent.lib.edge_helpers

# supported: the runtimes of data.reference.lambda_runtimes.supported whose end of support
# (end_of_support[runtime], when recorded) is later than data.context.as_of_ns.
supported contains runtime if {
	some runtime in data.reference.lambda_runtimes.supported
	not _ended(runtime)
}

_ended(runtime) if {
	ends := edge_helpers.timestamp_ns(data.reference.lambda_runtimes.end_of_support[runtime])
	data.context.as_of_ns >= ends
}
