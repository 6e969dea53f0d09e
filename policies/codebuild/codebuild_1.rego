package regent.codebuild_1

import data.regent.lib.container_helpers

metadata := {
	"id": "CodeBuild.1",
	"title": "CodeBuild Bitbucket source repository URLs should not contain sensitive credentials",
	"description": "Checks the Bitbucket sources of a CodeBuild project (configuration.source and every configuration.secondarySources[] entry whose type is \"BITBUCKET\"): NON_COMPLIANT when a source location URL carries sign-in information before the host (\"https://user:password@bitbucket.org/...\", \"https://x-token-auth:token@...\", \"https://user@...\"); the reason shows the URL with the credentials masked. Projects without a Bitbucket source are NOT_APPLICABLE.",
	"severity": "critical",
	"resource_types": ["AWS::CodeBuild::Project"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["CodeBuild.1"],
	},
	"config_rule": "CODEBUILD_PROJECT_SOURCE_REPO_URL_CHECK",
	"parameters": {},
}

_conf := input.configuration

_sources := array.concat(
	[{"label": "source", "src": s} | some s in container_helpers.as_array(container_helpers.get(_conf, "source"))],
	[{"label": sprintf("secondarySources[%d]", [i]), "src": s} |
		some i, s in container_helpers.as_array(container_helpers.get(_conf, "secondarySources"))
	],
)

_bitbucket := [s | some s in _sources; container_helpers.upper_string(s.src.type) == "BITBUCKET"]

default applicable := false

applicable if count(_bitbucket) > 0

violation contains msg if {
	some s in _bitbucket
	location := s.src.location
	is_string(location)
	regex.match(`^[A-Za-z][A-Za-z0-9+.-]*://[^/@\s]+@`, location)
	masked := regex.replace(location, `^([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@`, "${1}****@")
	msg := sprintf("%s Bitbucket URL contains sign-in credentials (%s)", [s.label, masked])
}
