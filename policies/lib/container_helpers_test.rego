package regent.lib.container_helpers_test

import data.regent.lib.container_helpers
import data.regent.codebuild_3
import data.regent.codebuild_4
import data.regent.codebuild_5
import data.regent.ecs_1
import data.regent.ecs_10
import data.regent.ecs_2
import data.regent.ecs_4
import data.regent.eks_2
import data.regent.eks_3
import data.regent.opensearch_4
import data.regent.opensearch_5

test_as_array if {
	container_helpers.as_array([1, 2]) == [1, 2]
	container_helpers.as_array({"a": 1}) == [{"a": 1}]
	container_helpers.as_array(null) == []
	container_helpers.as_array("x") == []
}

test_string_list_reads_lists_and_csv if {
	container_helpers.string_list(["a", " b ", "", 3]) == ["a", "b"]
	container_helpers.string_list("a, b,,c ") == ["a", "b", "c"]
	container_helpers.string_list(null) == []
	container_helpers.string_list(7) == []
}

test_version_number_and_less if {
	container_helpers.version_number("1.29") == 1029000
	container_helpers.version_number("v1.4.0") == 1004000
	container_helpers.version_number("1.30.2") == 1030002
	not container_helpers.version_number("LATEST")
	not container_helpers.version_number(null)
	container_helpers.version_less("1.9", "1.29")
	not container_helpers.version_less("1.30", "1.29")
	not container_helpers.version_less("x", "1.29")
}

test_containers_and_labels if {
	container_helpers.containers({"ContainerDefinitions": [{"Name": "a"}]}) == [{"Name": "a"}]
	container_helpers.containers({"ContainerDefinitions": null}) == []
	container_helpers.containers(null) == []
	container_helpers.container_label({"Name": "web"}, 0) == `container "web"`
	container_helpers.container_label({}, 1) == "container #2"
}

test_family_and_revision_from_arn if {
	ci := {"configuration": {"TaskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web-api:12"}}
	container_helpers.task_family(ci) == "web-api"
	container_helpers.task_revision(ci) == 12
}

test_family_and_revision_from_ci_arn_or_fields if {
	by_arn := {"ARN": "arn:aws:ecs:us-east-1:123456789012:task-definition/batch:3", "configuration": {}}
	container_helpers.task_family(by_arn) == "batch"
	container_helpers.task_revision(by_arn) == 3
	by_fields := {"configuration": {"Family": "worker", "Revision": "4"}}
	container_helpers.task_family(by_fields) == "worker"
	container_helpers.task_revision(by_fields) == 4
}

test_root_user if {
	container_helpers.root_user({})
	container_helpers.root_user({"User": null})
	container_helpers.root_user({"User": ""})
	container_helpers.root_user({"User": "root"})
	container_helpers.root_user({"User": "0:0"})
	container_helpers.root_user({"User": "ROOT:wheel"})
	not container_helpers.root_user({"User": "1000"})
	not container_helpers.root_user({"User": "app:app"})
}

_rev(n, status) := {
	"awsAccountId": "123456789012",
	"awsRegion": "us-east-1",
	"configuration": {
		"TaskDefinitionArn": sprintf("arn:aws:ecs:us-east-1:123456789012:task-definition/web:%d", [n]),
		"Status": status,
	},
}

_inventory := {"AWS::ECS::TaskDefinition": {"123456789012": {"us-east-1": {
	"web:1": _rev(1, "ACTIVE"),
	"web:2": _rev(2, "ACTIVE"),
	"web:3": _rev(3, "INACTIVE"),
}}}}

test_latest_active_revision_is_the_newest_active_one if {
	container_helpers.latest_active_revision(_rev(2, "ACTIVE")) with data.inventory as _inventory
	not container_helpers.latest_active_revision(_rev(1, "ACTIVE")) with data.inventory as _inventory
	not container_helpers.latest_active_revision(_rev(3, "INACTIVE")) with data.inventory as _inventory
	container_helpers.inactive(_rev(3, "inactive"))
	not container_helpers.inactive({"configuration": {}})
}

test_newer_revision_exists_counts_inactive_ones if {
	container_helpers.newer_revision_exists(_rev(2, "ACTIVE")) with data.inventory as _inventory
	not container_helpers.newer_revision_exists(_rev(3, "INACTIVE")) with data.inventory as _inventory
}

# ---------------------------------------------------------------------------------------
# Control paths the fixture folders cannot reach: non-default parameters, and superseded
# task definition revisions (a snapshot holding both revisions yields two verdicts).

_host_root(n, status) := object.union(_rev(n, status), {"configuration": {
	"NetworkMode": "host",
	"ContainerDefinitions": [{"Name": "gw", "Privileged": true}],
}})

test_ecs_4_superseded_revision_is_not_applicable if {
	not ecs_4.applicable with input as _rev(1, "ACTIVE") with data.inventory as _inventory
	ecs_4.applicable with input as _rev(2, "ACTIVE") with data.inventory as _inventory
	not ecs_4.applicable with input as _rev(3, "INACTIVE") with data.inventory as _inventory
}

test_ecs_1_evaluates_latest_inactive_revision_when_not_skipping if {
	params := {"ECS.1": {"SkipInactiveTaskDefinitions": "false"}}
	ecs_1.applicable with input as _host_root(3, "INACTIVE") with data.inventory as _inventory with data.parameters as params
	not ecs_1.applicable with input as _host_root(3, "INACTIVE") with data.inventory as _inventory with data.parameters as {"ECS.1": {"SkipInactiveTaskDefinitions": true}}
	inventory := {"AWS::ECS::TaskDefinition": {"123456789012": {"us-east-1": {"web:3": _rev(3, "INACTIVE"), "web:4": _rev(4, "INACTIVE")}}}}
	not ecs_1.applicable with input as _host_root(3, "INACTIVE") with data.inventory as inventory with data.parameters as params
}

test_ecs_2_exempt_service_is_not_applicable if {
	arn := "arn:aws:ecs:us-east-1:123456789012:service/prod/public-landing"
	svc := {"ARN": arn, "configuration": {"NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "ENABLED"}}}}
	not ecs_2.applicable with input as svc with data.parameters as {"ECS.2": {"exemptEcsServiceArns": sprintf("arn:aws:ecs:us-east-1:123456789012:service/prod/other, %s", [arn])}}
	ecs_2.applicable with input as svc with data.parameters as {"ECS.2": {"exemptEcsServiceArns": null}}
}

test_ecs_10_parameters_override_reference_versions if {
	params := {"ECS.10": {"latestLinuxVersion": "1.5.0", "latestWindowsVersion": null}}
	linux := {"configuration": {"LaunchType": "FARGATE", "PlatformVersion": "1.4.0", "PlatformFamily": "LINUX"}}
	count(ecs_10.violation) == 1 with input as linux with data.parameters as params
	windows := {"configuration": {"LaunchType": "FARGATE", "PlatformVersion": "1.0.0", "PlatformFamily": "WINDOWS_SERVER_2022_CORE"}}
	count(ecs_10.violation) == 0 with input as windows with data.parameters as params
}

_ns(t) := time.parse_rfc3339_ns(t)

test_eks_2_fixed_oldest_version_parameter if {
	params := {"EKS.2": {"oldestVersionSupported": "1.30"}}
	count(eks_2.violation) == 1 with input as {"configuration": {"Version": "1.29"}} with data.parameters as params
	count(eks_2.violation) == 0 with input as {"configuration": {"Version": "1.31"}} with data.parameters as params
	count(eks_2.violation) == 1 with input as {"configuration": {"Version": null}} with data.parameters as params
}

test_eks_2_after_the_whole_calendar if {
	ctx := {"as_of": "2030-01-01T00:00:00.000Z", "as_of_ns": _ns("2030-01-01T00:00:00Z")}
	params := {"EKS.2": {"oldestVersionSupported": null}}
	eks_2.violation == {"Kubernetes version 1.35 left EKS standard support on 2027-03-27 (oldest supported version as of 2030-01-01: one newer than the calendar)"} with input as {"configuration": {"Version": "1.35"}} with data.parameters as params with data.context as ctx
	count(eks_2.violation) == 0 with input as {"configuration": {"Version": "1.40"}} with data.parameters as params with data.context as ctx
}

test_eks_3_key_must_be_listed if {
	key := "arn:aws:kms:us-east-1:123456789012:key/7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
	cluster := {"configuration": {"EncryptionConfig": [{"Provider": {"KeyArn": key}, "Resources": ["secrets"]}]}}
	count(eks_3.violation) == 1 with input as cluster with data.parameters as {"EKS.3": {"kmsKeyArns": "arn:aws:kms:us-east-1:123456789012:key/other"}}
	count(eks_3.violation) == 0 with input as cluster with data.parameters as {"EKS.3": {"kmsKeyArns": [key]}}
}

_project(name, logs) := {"configuration": {"name": name, "logsConfig": logs, "environment": {"privilegedMode": true}}}

test_codebuild_exempted_projects if {
	logs := {"s3Logs": {"status": "ENABLED", "location": "acme-build-logs/reports", "encryptionDisabled": true}}
	not codebuild_3.applicable with input as _project("reports", logs) with data.parameters as {"CodeBuild.3": {"exemptedProjects": "scratch,reports"}}
	codebuild_3.applicable with input as _project("billing", logs) with data.parameters as {"CodeBuild.3": {"exemptedProjects": "scratch,reports"}}
	not codebuild_5.applicable with input as _project("image-builder", logs) with data.parameters as {"CodeBuild.5": {"exemptedProjects": ["image-builder"]}}
	codebuild_5.applicable with input as _project("web", logs) with data.parameters as {"CodeBuild.5": {"exemptedProjects": ["image-builder"]}}
}

test_codebuild_4_log_destinations if {
	params := {"CodeBuild.4": {"s3BucketNames": "acme-build-logs", "cloudWatchGroupNames": ["/ci/builds"]}}
	good := {"s3Logs": {"status": "ENABLED", "location": "arn:aws:s3:::acme-build-logs/web"}, "cloudWatchLogs": {"status": "ENABLED", "groupName": "/ci/builds"}}
	count(codebuild_4.violation) == 0 with input as _project("web", good) with data.parameters as params
	bad := {"s3Logs": {"status": "ENABLED", "location": "other-bucket/web"}, "cloudWatchLogs": {"status": "ENABLED"}}
	codebuild_4.violation == {
		"CloudWatch build logs go to log group not set (the default group), which is not one of cloudWatchGroupNames",
		"S3 build logs go to other-bucket/web, which is not one of s3BucketNames",
	} with input as _project("web", bad) with data.parameters as params
}

test_opensearch_4_several_log_types if {
	domain := {"configuration": {"LogPublishingOptions": {
		"ES_APPLICATION_LOGS": {"Enabled": true, "CloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:app"},
		"SEARCH_SLOW_LOGS": {"Enabled": false},
	}}}
	opensearch_4.violation == {
		"search logs are not published to CloudWatch Logs (LogPublishingOptions.SEARCH_SLOW_LOGS.Enabled is false)",
		"logTypes names \"bogus\", which is not one of error, search, index, audit",
	} with input as domain with data.parameters as {"Opensearch.4": {"logTypes": "Error, search, bogus"}}
}

test_opensearch_5_log_group_list if {
	group := "arn:aws:logs:us-east-1:123456789012:log-group:/aws/opensearch/audit"
	domain := {"configuration": {"AdvancedSecurityOptions": {"Enabled": true}, "LogPublishingOptions": {"AUDIT_LOGS": {"Enabled": true, "CloudWatchLogsLogGroupArn": group}}}}
	count(opensearch_5.violation) == 0 with input as domain with data.parameters as {"Opensearch.5": {"cloudWatchLogsLogGroupArnList": sprintf("%s:*", [group])}}
	count(opensearch_5.violation) == 1 with input as domain with data.parameters as {"Opensearch.5": {"cloudWatchLogsLogGroupArnList": ["arn:aws:logs:us-east-1:123456789012:log-group:other"]}}
}
