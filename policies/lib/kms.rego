package regent.lib.kms

# key_matches(actual, wanted): the KMS key recorded on a resource (usually a key ARN,
# "arn:aws:kms:<region>:<account>:key/<key-id>") is the key a parameter asks for, given either
# as the same ARN or as the bare key id. Aliases cannot be resolved from a CI and never match.
key_matches(actual, wanted) if {
	is_string(actual)
	actual == wanted
}

key_matches(actual, wanted) if {
	is_string(actual)
	is_string(wanted)
	not contains(wanted, ":")
	endswith(actual, concat("", [":key/", wanted]))
}

key_matches(actual, wanted) if {
	is_string(actual)
	is_string(wanted)
	not contains(actual, ":")
	endswith(wanted, concat("", [":key/", actual]))
}
