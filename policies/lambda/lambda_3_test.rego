package regent.lambda_3_test

import data.regent.lambda_3

_fn(subnets) := {"configuration": {"functionName": "f", "vpcConfig": {"subnetIds": subnets}}}

test_subnets_in_parameter_list if {
	count(lambda_3.violation) == 0 with input as _fn(["subnet-a", "subnet-b"])
		with data.parameters as {"Lambda.3": {"subnetIds": "subnet-a,subnet-b,subnet-c"}}
}

test_subnet_outside_parameter_list if {
	lambda_3.violation == {"function is attached to subnet subnet-x, which is not one of subnetIds (subnet-a, subnet-b)"} with input as _fn(["subnet-a", "subnet-x"])
		with data.parameters as {"Lambda.3": {"subnetIds": ["subnet-a", "subnet-b"]}}
}
