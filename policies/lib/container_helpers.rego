package regent.lib.container_helpers

import data.regent.lib.values

# Helpers for the container, EKS, CodeBuild and OpenSearch controls.
#
# AWS::ECS::TaskDefinition CIs use the CloudFormation-registry (PascalCase) shape:
# configuration.{TaskDefinitionArn, Family, Status, NetworkMode, PidMode,
# ContainerDefinitions[].{Name, Privileged, User, ReadonlyRootFilesystem, Environment[]}}.
# Config records every revision of a family as its own CI; the AWS Config managed rules for
# task definitions only evaluate the latest ACTIVE revision of each family.

_td_type := "AWS::ECS::TaskDefinition"

# ---------------------------------------------------------------------------------------
# Generic readers

# get(obj, key): obj[key], or null when obj is not an object or has no such key (never an
# error, unlike object.get on null).
get(obj, key) := object.get(obj, key, null) if is_object(obj)
else := null

# as_array(x): x when it is an array, [x] for a single object, [] for anything else
# (null; pass possibly missing values through get()).
as_array(x) := x if is_array(x)
else := [x] if is_object(x)
else := []

# string_list(param): the non-empty, trimmed strings of a parameter given as a list or as a
# comma-separated string (the AWS Config "CSV" type); [] for null, "" or anything else.
string_list(param) := [s |
	some item in param
	is_string(item)
	s := trim_space(item)
	s != ""
] if is_array(param)
else := [s |
	some item in split(param, ",")
	s := trim_space(item)
	s != ""
] if is_string(param)
else := []

# non_empty_string(x): x is a string with something other than blanks in it.
non_empty_string(x) if {
	is_string(x)
	trim_space(x) != ""
}

# upper_string(x): x upper-cased and trimmed when it is a string; undefined otherwise.
upper_string(x) := upper(trim_space(x)) if is_string(x)

# version_number(v): a dotted numeric version ("1.29", "v1.4.0", "1.30.2") as one comparable
# number (major * 1e6 + minor * 1e3 + patch); undefined when v is not such a version.
version_number(v) := n if {
	is_string(v)
	s := trim_prefix(lower(trim_space(v)), "v")
	regex.match(`^[0-9]+(\.[0-9]+){0,2}$`, s)
	parts := [to_number(p) | some p in split(s, ".")]
	n := ((_part(parts, 0) * 1000000) + (_part(parts, 1) * 1000)) + _part(parts, 2)
}

_part(parts, i) := parts[i] if count(parts) > i

_part(parts, i) := 0 if count(parts) <= i

# version_less(a, b): version a is older than version b (both dotted numeric versions).
version_less(a, b) if version_number(a) < version_number(b)

# ---------------------------------------------------------------------------------------
# ECS task definitions

# containers(conf): the container definitions of a task definition configuration, [] when
# absent or not a list.
containers(conf) := conf.ContainerDefinitions if {
	is_object(conf)
	is_array(conf.ContainerDefinitions)
}

containers(conf) := [] if not _has_containers(conf)

_has_containers(conf) if {
	is_object(conf)
	is_array(conf.ContainerDefinitions)
}

# container_label(c, i): how a container is named in messages: its Name, else its position.
container_label(c, i) := sprintf("container %q", [c.Name]) if non_empty_string(c.Name)

container_label(c, i) := sprintf("container #%d", [i + 1]) if not non_empty_string(c.Name)

# task_family(ci) / task_revision(ci): the family and revision number of a task definition
# CI, read from configuration.TaskDefinitionArn (or the CI's ARN) ".../task-definition/<family>:<revision>",
# else from configuration.Family / configuration.Revision.
task_family(ci) := f if {
	parts := _arn_parts(ci)
	f := parts[1]
}

task_family(ci) := ci.configuration.Family if {
	not _arn_parts(ci)
	non_empty_string(ci.configuration.Family)
}

task_revision(ci) := r if {
	parts := _arn_parts(ci)
	r := to_number(parts[2])
}

task_revision(ci) := r if {
	not _arn_parts(ci)
	r := values.number(ci.configuration.Revision)
}

_arn_parts(ci) := parts if {
	arn := _task_arn(ci)
	matches := regex.find_all_string_submatch_n(`task-definition/([A-Za-z0-9_-]+):([0-9]+)$`, arn, 1)
	count(matches) == 1
	parts := matches[0]
}

_task_arn(ci) := ci.configuration.TaskDefinitionArn if non_empty_string(ci.configuration.TaskDefinitionArn)

_task_arn(ci) := ci.ARN if {
	not non_empty_string(ci.configuration.TaskDefinitionArn)
	non_empty_string(ci.ARN)
}

# inactive(ci): the revision has been deregistered (Status INACTIVE or DELETE_IN_PROGRESS).
# A missing Status counts as ACTIVE.
inactive(ci) if upper_string(ci.configuration.Status) in {"INACTIVE", "DELETE_IN_PROGRESS"}

# revisions(ci): every recorded task definition CI of the same account and region (the
# control must list AWS::ECS::TaskDefinition in `requires`).
revisions(ci) := [other |
	some id
	other := data.inventory[_td_type][ci.awsAccountId][ci.awsRegion][id]
]

# newer_active_revision(ci): the ACTIVE revision of ci's family that supersedes it, if any.
newer_active_revision(ci) := other if {
	some other in revisions(ci)
	not inactive(other)
	task_family(other) == task_family(ci)
	task_revision(other) > task_revision(ci)
}

# newer_revision_exists(ci): a later revision of the family (of any status) is recorded.
newer_revision_exists(ci) if {
	some other in revisions(ci)
	task_family(other) == task_family(ci)
	task_revision(other) > task_revision(ci)
}

# latest_active_revision(ci): ci is ACTIVE and no later ACTIVE revision of its family is
# recorded in the same account and region; this is the scope of the ECS task-definition rules.
latest_active_revision(ci) if {
	not inactive(ci)
	not newer_active_revision(ci)
}

# root_user(c): the container runs as root: User missing, null, empty, "root" or UID 0,
# alone or with a group ("root:root", "0:0").
root_user(c) if not is_string(get(c, "User"))

root_user(c) if {
	is_string(c.User)
	lower(trim_space(split(c.User, ":")[0])) in {"", "root", "0"}
}
