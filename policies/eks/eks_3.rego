package regent.eks_3

import data.regent.lib.container_helpers

metadata := {
	"id": "EKS.3",
	"title": "EKS clusters should use encrypted Kubernetes secrets",
	"description": "Checks configuration.EncryptionConfig[] of an EKS cluster (a list, or a single object): some entry must list \"secrets\" (any letter case) in Resources and name a KMS key in Provider.KeyArn. NON_COMPLIANT when EncryptionConfig is missing, empty or covers no secrets. With kmsKeyArns set, the key encrypting secrets must also be one of those ARNs.",
	"severity": "medium",
	"resource_types": ["AWS::EKS::Cluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EKS.3"],
	},
	"config_rule": "EKS_SECRETS_ENCRYPTED",
	"parameters": {
		"kmsKeyArns": {
			"default": null,
			"description": "ARNs of the KMS keys allowed to encrypt Kubernetes secrets (a list, or a comma-separated string); null accepts any key.",
			"type": "list(string)|csv(string)",
		},
	},
}

_allowed := {k | some k in container_helpers.string_list(data.parameters["EKS.3"].kmsKeyArns)}

# The KMS key ARNs of the encryption configurations that cover secrets.
_secret_keys := {key |
	some cfg in container_helpers.as_array(container_helpers.get(input.configuration, "EncryptionConfig"))
	some r in container_helpers.as_array(container_helpers.get(cfg, "Resources"))
	container_helpers.upper_string(r) == "SECRETS"
	key := cfg.Provider.KeyArn
	container_helpers.non_empty_string(key)
}

violation contains "Kubernetes secrets are not encrypted with a KMS key (no EncryptionConfig entry with Resources \"secrets\" and a Provider.KeyArn)" if {
	count(_secret_keys) == 0
}

violation contains msg if {
	count(_allowed) > 0
	some key in _secret_keys
	not key in _allowed
	msg := sprintf("Kubernetes secrets are encrypted with KMS key %s, which is not in kmsKeyArns", [key])
}
