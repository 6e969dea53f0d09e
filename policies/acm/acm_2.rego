package regent.acm_2

metadata := {
	"id": "ACM.2",
	"title": "RSA certificates managed by ACM should use a key length of at least 2,048 bits",
	"description": "Checks the key algorithm of an ACM certificate (configuration.keyAlgorithm, RSA_1024 / RSA-2048 / EC_prime256v1 ...; underscore or hyphen, any letter case). NON_COMPLIANT when it is an RSA key shorter than 2048 bits (RSA_1024). Certificates with elliptic-curve keys, or with no key algorithm recorded, are NOT_APPLICABLE.",
	"severity": "high",
	"resource_types": ["AWS::ACM::Certificate"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ACM.2"],
	},
	"config_rule": "ACM_CERTIFICATE_RSA_CHECK",
	"parameters": {},
}

_algorithm := input.configuration.keyAlgorithm

_rsa_bits := to_number(m[0][1]) if {
	is_string(_algorithm)
	m := regex.find_all_string_submatch_n(`^(?i)RSA[-_]([0-9]+)$`, trim_space(_algorithm), 1)
	count(m) == 1
}

default applicable := false

applicable if _rsa_bits

violation contains msg if {
	_rsa_bits < 2048
	msg := sprintf("certificate uses an RSA key of %d bits (keyAlgorithm %s), shorter than 2048", [_rsa_bits, _algorithm])
}
