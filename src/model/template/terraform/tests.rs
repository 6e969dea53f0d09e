//! Mapping tests: one small plan per case, the item's fields asserted. The plans are
//! built as `terraform show -json` writes them: `resource_changes` with `after`,
//! `after_unknown` and `after_sensitive`, the configuration's expressions and provider.

use super::*;
use serde_json::json;

/// One resource of a test plan.
struct R {
    address: &'static str,
    actions: &'static [&'static str],
    after: Value,
    unknown: Value,
    expressions: Value,
}

fn r(address: &'static str, after: Value) -> R {
    R {
        address,
        actions: &["create"],
        after,
        unknown: json!({}),
        expressions: json!({}),
    }
}

impl R {
    fn unknown(mut self, unknown: Value) -> R {
        self.unknown = unknown;
        self
    }
    fn refs(mut self, expressions: Value) -> R {
        self.expressions = expressions;
        self
    }
    fn keep(mut self) -> R {
        self.actions = &["update"];
        self
    }
}

fn plan_text(resources: &[R]) -> String {
    let changes: Vec<Value> = resources
        .iter()
        .map(|r| {
            let parts = address::parse(r.address).expect("an address");
            json!({
                "address": r.address,
                "mode": "managed",
                "type": parts.resource_type,
                "name": parts.name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {
                    "actions": r.actions,
                    "before": null,
                    "after": r.after,
                    "after_unknown": r.unknown,
                    "before_sensitive": false,
                    "after_sensitive": {},
                },
            })
        })
        .collect();
    let config: Vec<Value> = resources
        .iter()
        .map(|r| {
            let parts = address::parse(r.address).expect("an address");
            json!({
                "address": format!("{}.{}", parts.resource_type, parts.name),
                "mode": "managed",
                "type": parts.resource_type,
                "name": parts.name,
                "provider_config_key": "aws",
                "expressions": r.expressions,
            })
        })
        .collect();
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "resource_changes": changes,
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}},
            "root_module": {"resources": config},
        },
    })
    .to_string()
}

fn convert_plan(resources: &[R], account: Option<&str>) -> Converted {
    let mut options = TemplateOptions::default();
    if let Some(account) = account {
        options
            .parameters
            .insert("AWS::AccountId".into(), account.into());
    }
    let converted = convert("plan.json", &plan_text(resources), &options);
    assert!(converted.problems.is_empty(), "{:?}", converted.problems);
    converted
}

fn one(resources: &[R]) -> Resource {
    item(resources, resources[0].address)
}

fn item(resources: &[R], id: &str) -> Resource {
    convert_plan(resources, Some("111122223333"))
        .resources
        .into_iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

fn later(what: &str) -> Value {
    super::unknowns::after_apply(what)
}

fn refs(target: &str) -> Value {
    let resource = target.rsplit_once('.').map_or(target, |(r, _)| r);
    json!({"references": [target, resource]})
}

// --- S3

#[test]
fn a_new_bucket_gets_what_aws_gives_a_new_bucket() {
    let b = one(&[r("aws_s3_bucket.b", json!({"bucket": "acme-b", "tags": {"team": "x"}}))
        .unknown(json!({"versioning": true, "server_side_encryption_configuration": true, "policy": true, "grant": true, "acl": true, "logging": true, "object_lock_enabled": true, "arn": true}))]);
    assert_eq!(b.resource_type, "AWS::S3::Bucket");
    assert_eq!(
        (b.name.as_deref(), b.arn.as_deref()),
        (Some("acme-b"), Some("arn:aws:s3:::acme-b"))
    );
    assert_eq!(b.region.as_deref(), Some("eu-west-1"));
    assert_eq!(b.tags.get("team").map(String::as_str), Some("x"));
    let s = &b.supplementary;
    assert_eq!(
        s["BucketVersioningConfiguration"],
        json!({"status": "Off", "isMfaDeleteEnabled": null})
    );
    assert_eq!(
        s["ServerSideEncryptionConfiguration"]["rules"][0]["applyServerSideEncryptionByDefault"]
            ["sseAlgorithm"],
        "AES256"
    );
    assert_eq!(
        s["PublicAccessBlockConfiguration"]["restrictPublicBuckets"],
        true
    );
    assert_eq!(s["BucketPolicy"], json!({"policyText": null}));
    assert_eq!(
        s["BucketLoggingConfiguration"]["destinationBucketName"],
        Value::Null
    );
    assert_eq!(
        s["BucketNotificationConfiguration"],
        json!({"configurations": {}})
    );
    assert_eq!(s["IsRequesterPaysEnabled"], false);
    let acl = &s["AccessControlList"];
    assert_eq!(acl["grantList"].as_array().map(Vec::len), Some(1));
    assert_eq!(acl["grantList"][0]["grantee"]["id"], acl["owner"]["id"]);
    assert!(!s.contains_key("BucketLifecycleConfiguration"));
    assert!(!s.contains_key("ObjectLockConfiguration"));
}

#[test]
fn an_existing_bucket_keeps_its_own_settings_and_what_it_cannot_say_is_unknown() {
    let b = one(&[r("aws_s3_bucket.b", json!({
        "bucket": "acme-b", "arn": "arn:aws:s3:::acme-b",
        "versioning": [{"enabled": true, "mfa_delete": false}],
        "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": "k"}], "bucket_key_enabled": true}]}],
        "logging": [{"target_bucket": "logs", "target_prefix": "b/"}],
        "policy": "{\"Statement\":[]}",
        "grant": [
            {"id": "owner-id", "type": "CanonicalUser", "uri": "", "permissions": ["FULL_CONTROL"]},
            {"id": "", "type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers", "permissions": ["READ", "READ_ACP"]}
        ],
        "lifecycle_rule": [{"id": "x", "enabled": true, "prefix": "", "expiration": [{"days": 30, "date": "", "expired_object_delete_marker": false}], "transition": [], "noncurrent_version_expiration": [], "abort_incomplete_multipart_upload_days": 0}],
        "object_lock_enabled": false
    })).keep()]);
    let s = &b.supplementary;
    assert_eq!(s["BucketVersioningConfiguration"]["status"], "Enabled");
    assert_eq!(
        s["ServerSideEncryptionConfiguration"]["rules"][0]["bucketKeyEnabled"],
        true
    );
    assert_eq!(
        s["BucketLoggingConfiguration"],
        json!({"destinationBucketName": "logs", "logFilePrefix": "b/"})
    );
    assert_eq!(s["BucketPolicy"]["policyText"], "{\"Statement\":[]}");
    let grants = s["AccessControlList"]["grantList"]
        .as_array()
        .expect("grants");
    assert_eq!(s["AccessControlList"]["owner"]["id"], "owner-id");
    assert!(grants.contains(&json!({"grantee": "AllUsers", "permission": "ReadAcp"})));
    assert_eq!(
        s["BucketLifecycleConfiguration"]["rules"][0]["expirationInDays"],
        30
    );
    assert_eq!(
        s["BucketLifecycleConfiguration"]["rules"][0]["status"],
        "Enabled"
    );
    for key in [
        "PublicAccessBlockConfiguration",
        "BucketNotificationConfiguration",
    ] {
        let text = s[key].as_str().unwrap_or_default();
        assert!(
            text.starts_with("{unknown: not in the plan: "),
            "{key}: {text}"
        );
    }
    assert!(b.unknowns.iter().any(|u| u.starts_with(
        "supplementaryConfiguration.PublicAccessBlockConfiguration: not in the plan"
    )));
}

#[test]
fn bucket_companions_fold_as_config_records_them() {
    let bucket = || r("aws_s3_bucket.b", json!({"bucket": "acme-b"}));
    let b = item(
        &[
            bucket(),
            r(
                "aws_s3_bucket_acl.b",
                json!({"bucket": "acme-b", "acl": "public-read"}),
            ),
            r(
                "aws_s3_bucket_notification.b",
                json!({"bucket": "acme-b", "topic": [{"id": "t", "topic_arn": "arn:aws:sns:eu-west-1:1:t", "events": ["s3:ObjectCreated:*"], "filter_prefix": "in/", "filter_suffix": ""}]}),
            ),
            r(
                "aws_s3_bucket_replication_configuration.b",
                json!({"bucket": "acme-b", "role": "arn:aws:iam::1:role/r", "rule": [{"id": "crr", "status": "Enabled", "destination": [{"bucket": "arn:aws:s3:::replica", "storage_class": "STANDARD_IA"}]}]}),
            ),
            r(
                "aws_s3_bucket_object_lock_configuration.b",
                json!({"bucket": "acme-b", "object_lock_enabled": "Enabled", "rule": [{"default_retention": [{"mode": "GOVERNANCE", "days": 30, "years": null}]}]}),
            ),
            r(
                "aws_s3_bucket_versioning.b",
                json!({"bucket": "acme-b", "versioning_configuration": [{"status": "Enabled", "mfa_delete": "Enabled"}]}),
            ),
            r(
                "aws_s3_bucket_ownership_controls.b",
                json!({"bucket": "acme-b", "rule": [{"object_ownership": "ObjectWriter"}]}),
            ),
        ],
        "aws_s3_bucket.b",
    );
    let s = &b.supplementary;
    assert!(s["AccessControlList"]["grantList"]
        .as_array()
        .expect("grants")
        .contains(&json!({"grantee": "AllUsers", "permission": "Read"})));
    assert_eq!(
        s["BucketNotificationConfiguration"]["configurations"]["t"]["topicARN"],
        "arn:aws:sns:eu-west-1:1:t"
    );
    assert_eq!(
        s["BucketNotificationConfiguration"]["configurations"]["t"]["filter"],
        json!({"s3KeyFilter": {"filterRules": [{"name": "prefix", "value": "in/"}]}})
    );
    assert_eq!(
        s["BucketReplicationConfiguration"]["rules"]["crr"]["destinationConfig"]["bucketARN"],
        "arn:aws:s3:::replica"
    );
    assert_eq!(
        s["ObjectLockConfiguration"]["rule"]["defaultRetention"]["mode"],
        "GOVERNANCE"
    );
    assert_eq!(
        s["BucketVersioningConfiguration"],
        json!({"status": "Enabled", "isMfaDeleteEnabled": true})
    );
    // Companions are folded, never items or skipped ones.
    let converted = convert_plan(
        &[
            bucket(),
            r(
                "aws_s3_bucket_ownership_controls.b",
                json!({"bucket": "acme-b"}),
            ),
        ],
        None,
    );
    assert_eq!(converted.resources.len(), 1);
    assert!(converted.uncovered.is_empty());
}

// --- EC2

#[test]
fn security_group_protocols_ports_and_unknown_rules() {
    let g = one(&[r("aws_security_group.g", json!({
        "name": "g", "description": "d", "vpc_id": "vpc-1",
        "ingress": [
            {"protocol": "6", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": [], "prefix_list_ids": ["pl-1"], "security_groups": [], "self": false, "description": ""},
            {"protocol": "all", "from_port": 0, "to_port": 0, "cidr_blocks": [], "ipv6_cidr_blocks": ["::/0"], "prefix_list_ids": [], "security_groups": ["sg-2"], "self": false, "description": ""}
        ]
    })).unknown(json!({"id": true, "egress": true, "owner_id": true}))]);
    let c = &g.configuration;
    assert_eq!(c["groupName"], "g");
    assert_eq!(c["groupId"], later("aws_security_group.g.id"));
    assert_eq!(c["ownerId"], "111122223333");
    assert_eq!(c["ipPermissions"][0]["ipProtocol"], "tcp");
    assert_eq!(
        c["ipPermissions"][0]["prefixListIds"],
        json!([{"prefixListId": "pl-1"}])
    );
    let all = &c["ipPermissions"][1];
    assert_eq!(all["ipProtocol"], "-1");
    assert!(all.get("fromPort").is_none(), "{all}");
    assert_eq!(all["userIdGroupPairs"], json!([{"groupId": "sg-2"}]));
    // Unset on create: Terraform leaves a new group without the default egress rule.
    assert_eq!(c["ipPermissionsEgress"], json!([]));
    // An existing group whose rules the plan does not know.
    let kept = one(&[
        r("aws_security_group.g", json!({"name": "g", "id": "sg-1"}))
            .unknown(json!({"ingress": true}))
            .keep(),
    ]);
    assert_eq!(
        kept.configuration["ipPermissions"],
        later("aws_security_group.g.ingress")
    );
}

#[test]
fn an_instance_is_running_with_hvm_and_its_unknowns_and_root_volume() {
    let plan = [r("aws_instance.i", json!({"ami": "ami-1", "instance_type": "m5.large", "tags": {"Name": "i"}}))
        .unknown(json!({"id": true, "public_ip": true, "metadata_options": true, "root_block_device": true, "instance_state": true}))];
    let i = one(&plan);
    let c = &i.configuration;
    assert_eq!(c["state"], json!({"code": 16, "name": "running"}));
    assert_eq!(c["virtualizationType"], "hvm");
    assert_eq!(c["publicIpAddress"], later("aws_instance.i.public_ip"));
    assert_eq!(
        c["metadataOptions"]["httpTokens"],
        later("aws_instance.i.metadata_options")
    );
    assert_eq!(c["tags"], json!([{"key": "Name", "value": "i"}]));
    assert!(i.unknowns.contains(
        &"configuration.publicIpAddress: known after apply: aws_instance.i.public_ip".to_string()
    ));
    let root = item(&plan, "aws_instance.i.root_block_device[0]");
    assert_eq!(root.resource_type, "AWS::EC2::Volume");
    assert_eq!(
        root.configuration["encrypted"],
        later("aws_instance.i.root_block_device[0].encrypted")
    );
    assert_eq!(
        root.configuration["attachments"][0]["instanceId"],
        later("aws_instance.i.id")
    );
    // No public address when the plan says so; a stopped instance stays stopped.
    let private = one(&[r("aws_instance.i", json!({"instance_type": "t1.micro", "associate_public_ip_address": false, "instance_state": "stopped", "metadata_options": [{"http_tokens": "required"}]})).keep()]);
    assert_eq!(private.configuration["publicIpAddress"], Value::Null);
    assert_eq!(
        private.configuration["state"],
        json!({"code": 80, "name": "stopped"})
    );
    assert_eq!(
        private.configuration["metadataOptions"]["httpTokens"],
        "required"
    );
    // A type that may run paravirtual AMIs: unknown.
    assert_eq!(
        private.configuration["virtualizationType"],
        later("aws_instance.i.virtualization_type")
    );
}

#[test]
fn a_volume_with_its_attachment() {
    let plan = [
        r(
            "aws_ebs_volume.v",
            json!({"availability_zone": "eu-west-1a", "size": 10, "type": "gp3"}),
        )
        .unknown(json!({"id": true, "encrypted": true})),
        r(
            "aws_volume_attachment.a",
            json!({"device_name": "/dev/sdf", "instance_id": "i-1"}),
        )
        .unknown(json!({"volume_id": true}))
        .refs(json!({"volume_id": refs("aws_ebs_volume.v.id")})),
    ];
    let v = one(&plan);
    let c = &v.configuration;
    assert_eq!(c["encrypted"], later("aws_ebs_volume.v.encrypted"));
    assert_eq!(c["state"], "in-use");
    assert_eq!(c["attachments"][0]["instanceId"], "i-1");
    assert_eq!(
        c["attachments"][0]["volumeId"],
        later("aws_ebs_volume.v.id")
    );
    let alone = one(&[r("aws_ebs_volume.v", json!({"encrypted": true}))]);
    assert_eq!(alone.configuration["attachments"], json!([]));
    assert_eq!(alone.configuration["state"], "available");
}

// --- RDS

#[test]
fn a_db_instance_gets_the_engine_port_and_api_defaults() {
    let db = one(&[r("aws_db_instance.d", json!({"identifier": "d", "engine": "mysql", "username": "admin", "password": "pw-value"}))
        .unknown(json!({"port": true, "backup_retention_period": true, "storage_encrypted": true, "multi_az": true, "kms_key_id": true, "snapshot_identifier": true}))]);
    let c = &db.configuration;
    assert_eq!(db.name.as_deref(), Some("d"));
    assert_eq!(c["endpoint"]["port"], 3306);
    assert_eq!(c["backupRetentionPeriod"], 1);
    assert_eq!(c["storageEncrypted"], false);
    assert_eq!(c["kmsKeyId"], Value::Null);
    assert_eq!(c["multiAZ"], false);
    assert_eq!(c["publiclyAccessible"], false);
    assert_eq!(c["autoMinorVersionUpgrade"], true);
    assert_eq!(c["dBInstanceStatus"], "available");
    assert_eq!(c["masterUsername"], "admin");
    assert!(!serde_json::to_string(&db.configuration)
        .expect("JSON")
        .contains("pw-value"));
    // A replica takes its source's settings: unknown here.
    let replica = one(&[r(
        "aws_db_instance.d",
        json!({"engine": "mysql", "replicate_source_db": "src"}),
    )
    .unknown(json!({"backup_retention_period": true, "storage_encrypted": true}))]);
    assert_eq!(
        replica.configuration["backupRetentionPeriod"],
        later("aws_db_instance.d.backup_retention_period")
    );
    assert_eq!(
        replica.configuration["storageEncrypted"],
        later("aws_db_instance.d.storage_encrypted")
    );
}

#[test]
fn a_cluster_is_multi_az_when_its_instances_are() {
    let cluster = || {
        r(
            "aws_rds_cluster.c",
            json!({"cluster_identifier": "c", "engine": "aurora-postgresql"}),
        )
        .unknown(json!({"storage_encrypted": true, "port": true}))
    };
    let member = |address: &'static str, zone: Value| {
        r(
            address,
            json!({"engine": "aurora-postgresql", "availability_zone": zone}),
        )
        .unknown(json!({"cluster_identifier": true}))
        .refs(json!({"cluster_identifier": refs("aws_rds_cluster.c.id")}))
    };
    let two = [
        cluster(),
        member("aws_rds_cluster_instance.a", json!("eu-west-1a")),
        member("aws_rds_cluster_instance.b", json!("eu-west-1b")),
    ];
    let c = item(&two, "aws_rds_cluster.c");
    assert_eq!(c.configuration["multiAZ"], true);
    assert_eq!(c.configuration["port"], 5432);
    assert_eq!(c.configuration["storageEncrypted"], false);
    assert_eq!(c.configuration["dbclusterIdentifier"], "c");
    let member_item = item(&two, "aws_rds_cluster_instance.a");
    assert_eq!(member_item.resource_type, "AWS::RDS::DBInstance");
    assert_eq!(
        member_item.configuration["dBClusterIdentifier"],
        later("aws_rds_cluster_instance.a.cluster_identifier")
    );
    let alone = item(&[cluster()], "aws_rds_cluster.c");
    assert_eq!(alone.configuration["multiAZ"], false);
    let unplaced = [
        cluster(),
        member("aws_rds_cluster_instance.a", Value::Null),
        member("aws_rds_cluster_instance.b", Value::Null),
    ];
    assert_eq!(
        item(&unplaced, "aws_rds_cluster.c").configuration["multiAZ"],
        later("aws_rds_cluster.c.multi_az")
    );
    let serverless = one(&[r(
        "aws_rds_cluster.c",
        json!({"engine": "aurora-mysql", "engine_mode": "serverless"}),
    )
    .unknown(json!({"storage_encrypted": true}))]);
    assert_eq!(serverless.configuration["storageEncrypted"], true);
}

// --- KMS, CloudTrail

#[test]
fn a_key_gets_the_default_policy_or_its_companion() {
    let k = one(&[r(
        "aws_kms_key.k",
        json!({"is_enabled": false, "enable_key_rotation": true}),
    )
    .unknown(json!({"policy": true, "arn": true}))]);
    assert_eq!(k.configuration["keyState"], "Disabled");
    assert_eq!(k.configuration["keyManager"], "CUSTOMER");
    assert_eq!(k.supplementary["KeyRotationStatus"], true);
    let policy: Value =
        serde_json::from_str(k.supplementary["Policy"].as_str().expect("text")).expect("JSON");
    assert_eq!(
        policy["Statement"][0]["Principal"]["AWS"],
        "arn:aws:iam::111122223333:root"
    );
    let with = item(
        &[
            r("aws_kms_key.k", json!({})).unknown(json!({"policy": true, "key_id": true})),
            r(
                "aws_kms_key_policy.p",
                json!({"policy": "{\"Statement\":[]}"}),
            )
            .unknown(json!({"key_id": true}))
            .refs(json!({"key_id": refs("aws_kms_key.k.id")})),
        ],
        "aws_kms_key.k",
    );
    assert_eq!(with.supplementary["Policy"], "{\"Statement\":[]}");
}

#[test]
fn a_trail_with_selectors_and_logging_stopped() {
    let t = one(&[r(
        "aws_cloudtrail.t",
        json!({
            "name": "t", "s3_bucket_name": "logs", "enable_logging": false,
            "event_selector": [{"read_write_type": "WriteOnly", "include_management_events": true, "data_resource": [], "exclude_management_event_sources": []}]
        }),
    )]);
    let c = &t.configuration;
    assert_eq!(c["isMultiRegionTrail"], false);
    assert_eq!(c["includeGlobalServiceEvents"], true);
    assert_eq!(c["logFileValidationEnabled"], false);
    assert_eq!(c["homeRegion"], "eu-west-1");
    assert_eq!(c["hasCustomEventSelectors"], true);
    assert_eq!(t.supplementary["TrailStatus"], json!({"isLogging": false}));
    assert_eq!(
        t.supplementary["EventSelectors"][0]["readWriteType"],
        "WriteOnly"
    );
}

// --- Lambda, DynamoDB, SQS, SNS

#[test]
fn a_function_and_its_permissions() {
    let plan = [
        r("aws_lambda_function.f", json!({"function_name": "f", "runtime": "python3.12", "environment": [{"variables": {"K": "v"}}]})).unknown(json!({"arn": true})),
        r("aws_lambda_permission.s3", json!({"action": "lambda:InvokeFunction", "function_name": "f", "principal": "s3.amazonaws.com", "source_arn": "arn:aws:s3:::b", "source_account": "111122223333", "statement_id": "s3"})),
        r("aws_lambda_permission.any", json!({"action": "lambda:InvokeFunction", "principal": "*", "statement_id": "any"})).unknown(json!({"function_name": true})).refs(json!({"function_name": refs("aws_lambda_function.f.function_name")})),
    ];
    let f = one(&plan);
    let c = &f.configuration;
    assert_eq!(
        (
            c["timeout"].clone(),
            c["memorySize"].clone(),
            c["packageType"].clone()
        ),
        (json!(3), json!(128), json!("Zip"))
    );
    assert_eq!(
        c["vpcConfig"],
        json!({"subnetIds": [], "securityGroupIds": []})
    );
    assert_eq!(c["tracingConfig"]["mode"], "PassThrough");
    assert!(c.get("environment").is_none());
    // The function's ARN is unknown: the policy stays a document, its Resource a placeholder.
    let policy = &f.supplementary["Policy"];
    let statements = policy["Statement"].as_array().expect("statements");
    assert_eq!(statements.len(), 2);
    assert_eq!(
        statements[0]["Principal"],
        json!({"Service": "s3.amazonaws.com"})
    );
    assert_eq!(
        statements[0]["Condition"],
        json!({"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::b"}, "StringEquals": {"AWS:SourceAccount": "111122223333"}})
    );
    assert_eq!(statements[1]["Principal"], "*");
    assert_eq!(
        statements[1]["Resource"],
        later("aws_lambda_function.f.arn")
    );
    assert!(f
        .unknowns
        .iter()
        .any(|u| u.starts_with("supplementaryConfiguration.Policy.Statement[1].Resource: ")));
}

#[test]
fn a_table_with_recovery_and_a_key() {
    let t = one(&[r(
        "aws_dynamodb_table.t",
        json!({"name": "t", "hash_key": "id", "point_in_time_recovery": [{"enabled": true}], "server_side_encryption": [{"enabled": true, "kms_key_arn": ""}]}),
    )]);
    assert_eq!(
        t.supplementary["ContinuousBackupsDescription"]["pointInTimeRecoveryDescription"]
            ["pointInTimeRecoveryStatus"],
        "ENABLED"
    );
    assert_eq!(
        t.configuration["sseDescription"]["kmsMasterKeyArn"],
        later("aws_dynamodb_table.t.server_side_encryption[0].kms_key_arn")
    );
    assert_eq!(
        t.configuration["keySchema"],
        json!([{"attributeName": "id", "keyType": "HASH"}])
    );
    assert_eq!(t.configuration["deletionProtectionEnabled"], false);
}

#[test]
fn queues_record_text_attributes() {
    let q = one(&[r(
        "aws_sqs_queue.q",
        json!({"name": "q", "fifo_queue": true, "kms_master_key_id": "alias/aws/sqs"}),
    )
    .unknown(json!({"sqs_managed_sse_enabled": true, "policy": true}))]);
    let c = &q.configuration;
    assert_eq!(c["VisibilityTimeout"], "30");
    assert_eq!(c["SqsManagedSseEnabled"], "false");
    assert_eq!(c["KmsMasterKeyId"], "alias/aws/sqs");
    assert_eq!(c["FifoQueue"], "true");
    assert!(
        c.get("Policy").is_none(),
        "a new queue given no policy has none"
    );
    let plain = one(&[r("aws_sqs_queue.q", json!({"name": "q"}))
        .unknown(json!({"sqs_managed_sse_enabled": true}))]);
    assert_eq!(plain.configuration["SqsManagedSseEnabled"], "true");
    let with = item(
        &[
            r("aws_sqs_queue.q", json!({"name": "q"})).unknown(json!({"url": true})),
            r(
                "aws_sqs_queue_policy.p",
                json!({"policy": "{\"Statement\":[]}"}),
            )
            .unknown(json!({"queue_url": true}))
            .refs(json!({"queue_url": refs("aws_sqs_queue.q.url")})),
        ],
        "aws_sqs_queue.q",
    );
    assert_eq!(with.configuration["Policy"], "{\"Statement\":[]}");
}

#[test]
fn topics_get_the_default_policy_and_their_feedback_roles() {
    let t = one(&[r("aws_sns_topic.t", json!({"name": "t", "sqs_failure_feedback_role_arn": "arn:aws:iam::1:role/f", "kms_master_key_id": "alias/aws/sns"})).unknown(json!({"policy": true, "arn": true}))]);
    let c = &t.configuration;
    assert_eq!(c["TopicArn"], "arn:aws:sns:eu-west-1:111122223333:t");
    assert_eq!(
        t.arn.as_deref(),
        Some("arn:aws:sns:eu-west-1:111122223333:t")
    );
    assert_eq!(c["SQSFailureFeedbackRoleArn"], "arn:aws:iam::1:role/f");
    assert_eq!(c["KmsMasterKeyId"], "alias/aws/sns");
    let policy: Value = serde_json::from_str(c["Policy"].as_str().expect("text")).expect("JSON");
    assert_eq!(
        policy["Statement"][0]["Condition"]["StringEquals"]["AWS:SourceOwner"],
        "111122223333"
    );
    // Without the account, the default policy keeps its unknown parts as placeholders.
    let converted = convert_plan(
        &[r("aws_sns_topic.t", json!({"name": "t"})).unknown(json!({"policy": true}))],
        None,
    );
    let policy = &converted.resources[0].configuration["Policy"];
    assert_eq!(
        policy["Statement"][0]["Condition"]["StringEquals"]["AWS:SourceOwner"],
        later("aws_sns_topic.t.owner")
    );
}

// --- ELBv2

#[test]
fn load_balancers_and_their_listeners() {
    let plan = [
        r("aws_lb.n", json!({"name": "n", "load_balancer_type": "network", "internal": true, "enable_cross_zone_load_balancing": true, "subnets": ["subnet-1"]})).unknown(json!({"arn": true})),
        r("aws_lb.a", json!({"name": "a", "drop_invalid_header_fields": true})).unknown(json!({"arn": true, "subnets": true})).refs(json!({"subnets": {"references": ["aws_subnet.x.id", "aws_subnet.x"]}})),
        r("aws_subnet.x", json!({"availability_zone": "eu-west-1c"})).unknown(json!({"id": true})),
        r("aws_lb_listener.redirect", json!({"port": 80, "default_action": [{"type": "redirect", "redirect": [{"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}]}]}))
            .unknown(json!({"load_balancer_arn": true, "protocol": true, "arn": true})).refs(json!({"load_balancer_arn": refs("aws_lb.a.arn")})),
    ];
    let n = one(&plan);
    assert_eq!(n.configuration["scheme"], "internal");
    assert_eq!(n.configuration["type"], "network");
    let attributes = n.supplementary["LoadBalancerAttributes"]
        .as_array()
        .expect("attributes");
    assert!(
        attributes.contains(&json!({"key": "load_balancing.cross_zone.enabled", "value": "true"}))
    );
    assert!(!attributes
        .iter()
        .any(|a| a["key"] == "routing.http2.enabled"));
    assert_eq!(
        n.configuration["availabilityZones"][0]["zoneName"],
        json!("{unknown: not in the plan: the availability zone of subnet subnet-1}")
    );
    let a = item(&plan, "aws_lb.a");
    let attributes = a.supplementary["LoadBalancerAttributes"]
        .as_array()
        .expect("attributes");
    assert!(attributes.contains(
        &json!({"key": "routing.http.drop_invalid_header_fields.enabled", "value": "true"})
    ));
    assert!(attributes.contains(&json!({"key": "deletion_protection.enabled", "value": "false"})));
    assert_eq!(
        a.configuration["availabilityZones"],
        json!([{"zoneName": "eu-west-1c", "subnetId": later("aws_subnet.x.id")}])
    );
    let l = item(&plan, "aws_lb_listener.redirect");
    assert_eq!(l.resource_type, "AWS::ElasticLoadBalancingV2::Listener");
    // The same placeholder as the load balancer's own ARN.
    assert_eq!(
        l.configuration["LoadBalancerArn"],
        a.configuration["loadBalancerArn"]
    );
    assert_eq!(l.configuration["Protocol"], "HTTP");
    assert_eq!(
        l.configuration["DefaultActions"][0]["RedirectConfig"]["Protocol"],
        "HTTPS"
    );
    assert_eq!(
        l.configuration["DefaultActions"][0]["RedirectConfig"]["Host"],
        "#{host}"
    );
    assert_eq!(l.configuration["DefaultActions"][0]["Order"], 1);
}

// --- IAM

#[test]
fn roles_users_and_policies_with_their_attachments() {
    let doc = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}";
    let plan = [
        r(
            "aws_iam_role.r",
            json!({"name": "r", "assume_role_policy": doc}),
        )
        .unknown(json!({"inline_policy": true, "managed_policy_arns": true})),
        r("aws_iam_policy.p", json!({"name": "p", "policy": doc})).unknown(json!({"arn": true})),
        r("aws_iam_role_policy_attachment.a", json!({"role": "r"}))
            .unknown(json!({"policy_arn": true}))
            .refs(json!({"policy_arn": refs("aws_iam_policy.p.arn")})),
        r(
            "aws_iam_role_policy.i",
            json!({"name": "inline", "role": "r", "policy": doc}),
        ),
        r(
            "aws_iam_user.u",
            json!({"name": "u", "permissions_boundary": null}),
        )
        .unknown(json!({"arn": true})),
        r(
            "aws_iam_policy_attachment.both",
            json!({"name": "both", "policy_arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "roles": ["r"], "users": ["u"]}),
        ),
        r(
            "aws_iam_role.bounded",
            json!({"name": "bounded", "assume_role_policy": doc}),
        )
        .unknown(json!({"permissions_boundary": true}))
        .refs(json!({"permissions_boundary": refs("aws_iam_policy.p.arn")})),
    ];
    let role = one(&plan);
    assert_eq!(role.region.as_deref(), Some("global"));
    let c = &role.configuration;
    assert!(c["assumeRolePolicyDocument"]
        .as_str()
        .expect("text")
        .starts_with("%7B"));
    assert_eq!(c["rolePolicyList"][0]["policyName"], "inline");
    let managed = c["attachedManagedPolicies"].as_array().expect("managed");
    assert_eq!(
        managed[0],
        json!({"policyName": "p", "policyArn": later("aws_iam_role_policy_attachment.a.policy_arn")})
    );
    assert_eq!(
        managed[1],
        json!({"policyName": "ReadOnlyAccess", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"})
    );
    let user = item(&plan, "aws_iam_user.u");
    assert_eq!(
        user.configuration["attachedManagedPolicies"][0]["policyName"],
        "ReadOnlyAccess"
    );
    assert_eq!(user.configuration["userPolicyList"], json!([]));
    let policy = item(&plan, "aws_iam_policy.p");
    let c = &policy.configuration;
    assert_eq!(c["defaultVersionId"], "v1");
    assert_eq!(c["policyVersionList"][0]["isDefaultVersion"], true);
    assert_eq!(c["permissionsBoundaryUsageCount"], 1);
    // An existing role: its own lists say what is attached (unknown here).
    let kept = one(&[r("aws_iam_role.r", json!({"name": "r"}))
        .unknown(json!({"inline_policy": true, "managed_policy_arns": true}))
        .keep()]);
    assert_eq!(
        kept.configuration["rolePolicyList"],
        later("aws_iam_role.r.inline_policy")
    );
}

// --- The plan as a whole

#[test]
fn every_covered_type_and_companion_is_listed_once() {
    let covered: Vec<&str> = covered_types().collect();
    let companions = companion_types();
    for t in &covered {
        assert!(!companions.contains(t), "{t} is both");
    }
    let mut sorted = companions.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), companions.len(), "{companions:?}");
}

#[test]
fn region_comes_from_the_resource_then_the_provider_then_the_parameter() {
    let own = one(&[r(
        "aws_sqs_queue.q",
        json!({"name": "q", "region": "ap-south-1"}),
    )]);
    assert_eq!(own.region.as_deref(), Some("ap-south-1"));
    let provider = one(&[r("aws_sqs_queue.q", json!({"name": "q"}))]);
    assert_eq!(provider.region.as_deref(), Some("eu-west-1"));
    let text = json!({"format_version": "1.2", "terraform_version": "1.9.5", "resource_changes": [
        {"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "name": "q", "change": {"actions": ["create"], "after": {"name": "q"}}}
    ]}).to_string();
    let none = convert("plan.json", &text, &TemplateOptions::default());
    assert_eq!(none.resources[0].region, None);
    let mut options = TemplateOptions::default();
    options
        .parameters
        .insert("AWS::Region".into(), "sa-east-1".into());
    assert_eq!(none.resources[0].item(&options)["awsRegion"], "sa-east-1");
}
