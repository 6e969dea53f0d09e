package regent.s3_19_test

import data.regent.s3_19

_ap := {
	"resourceType": "AWS::S3::AccessPoint", "resourceId": "partner-ap", "resourceName": "partner-ap", "awsAccountId": "111122223333", "awsRegion": "eu-west-1",
	"configuration": {"Name": "partner-ap", "PublicAccessBlockConfiguration": {"BlockPublicAcls": false}},
}

test_excluded_access_points if {
	count(s3_19.violation) == 0 with input as _ap with data.parameters as {"S3.19": {"excludedAccessPoints": "other-ap, partner-ap"}}
	count(s3_19.violation) == 4 with input as _ap with data.parameters as {"S3.19": {"excludedAccessPoints": ["other-ap"]}}
}
