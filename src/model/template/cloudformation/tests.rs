//! One mapping test per covered type: a small template, and the item fields AWS Config
//! would record for it (docs/templates/cloudformation.md lists them all).

use super::convert;
use crate::model::template::{Converted, Resource, TemplateOptions};
use serde_json::{json, Value};

fn converted(text: &str, parameters: &[(&str, &str)]) -> Converted {
    let options = TemplateOptions {
        parameters: parameters
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    };
    let converted = convert("t.yaml", text, &options);
    assert!(converted.problems.is_empty(), "{:?}", converted.problems);
    converted
}

/// The resource `id` of a template.
fn mapped(text: &str, id: &str) -> Resource {
    mapped_with(
        text,
        id,
        &[
            ("AWS::AccountId", "111122223333"),
            ("AWS::Region", "eu-west-1"),
        ],
    )
}

fn mapped_with(text: &str, id: &str, parameters: &[(&str, &str)]) -> Resource {
    let converted = converted(text, parameters);
    converted
        .resources
        .into_iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

/// A policy document held as text (JSON, or URL-encoded JSON for IAM).
fn document(text: &Value) -> Value {
    let text = text.as_str().expect("a document as text");
    let decoded = percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .unwrap();
    serde_json::from_str(&decoded).unwrap()
}

#[test]
fn s3_bucket() {
    let bucket = mapped(
        "
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: acme-logs
      AccessControl: LogDeliveryWrite
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: 'aws:kms', KMSMasterKeyID: alias/logs}
            BucketKeyEnabled: true
      PublicAccessBlockConfiguration: {BlockPublicAcls: true, RestrictPublicBuckets: 'true'}
      VersioningConfiguration: {Status: Enabled}
      LoggingConfiguration: {LogFilePrefix: self/}
      LifecycleConfiguration:
        Rules:
          - {Id: expire, Status: Enabled, ExpirationInDays: 30, Transitions: [{StorageClass: GLACIER, TransitionInDays: 7}]}
      NotificationConfiguration:
        TopicConfigurations: [{Event: 's3:ObjectCreated:*', Topic: 'arn:aws:sns:eu-west-1:111122223333:t'}]
      ReplicationConfiguration:
        Role: arn:aws:iam::111122223333:role/r
        Rules: [{Id: crr, Status: Enabled, Destination: {Bucket: 'arn:aws:s3:::dr'}}]
      ObjectLockEnabled: true
      ObjectLockConfiguration:
        ObjectLockEnabled: Enabled
        Rule: {DefaultRetention: {Mode: GOVERNANCE, Days: 30}}
      Tags: [{Key: team, Value: ops}]
",
        "Logs",
    );
    assert_eq!(bucket.resource_type, "AWS::S3::Bucket");
    assert_eq!(bucket.name.as_deref(), Some("acme-logs"));
    assert_eq!(bucket.arn.as_deref(), Some("arn:aws:s3:::acme-logs"));
    assert_eq!(bucket.line, 3);
    assert_eq!(bucket.tags["team"], "ops");
    assert_eq!(bucket.configuration, json!({"name": "acme-logs"}));
    let s = &bucket.supplementary;
    assert_eq!(
        s["ServerSideEncryptionConfiguration"],
        json!({"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyID": "alias/logs"}, "bucketKeyEnabled": true}]})
    );
    assert_eq!(
        s["PublicAccessBlockConfiguration"],
        json!({"blockPublicAcls": true, "ignorePublicAcls": false, "blockPublicPolicy": false, "restrictPublicBuckets": true})
    );
    assert_eq!(
        s["BucketVersioningConfiguration"],
        json!({"status": "Enabled", "isMfaDeleteEnabled": null})
    );
    // No destination: the bucket logs to itself.
    assert_eq!(
        s["BucketLoggingConfiguration"],
        json!({"destinationBucketName": "acme-logs", "logFilePrefix": "self/"})
    );
    let rule = &s["BucketLifecycleConfiguration"]["rules"][0];
    assert_eq!(
        (&rule["status"], &rule["expirationInDays"]),
        (&json!("Enabled"), &json!(30))
    );
    assert_eq!(
        rule["transitions"],
        json!([{"days": 7, "storageClass": "GLACIER"}])
    );
    let topic = &s["BucketNotificationConfiguration"]["configurations"]["TopicConfiguration-1"];
    assert_eq!(topic["events"], json!(["s3:ObjectCreated:*"]));
    assert_eq!(topic["topicARN"], "arn:aws:sns:eu-west-1:111122223333:t");
    assert_eq!(
        s["BucketReplicationConfiguration"]["rules"]["crr"]["destinationConfig"]["bucketARN"],
        "arn:aws:s3:::dr"
    );
    assert_eq!(
        s["ObjectLockConfiguration"],
        json!({"objectLockEnabled": "Enabled", "rule": {"defaultRetention": {"mode": "GOVERNANCE", "days": 30, "years": null}}})
    );
    assert_eq!(s["BucketPolicy"], json!({"policyText": null}));
    // The canned ACL as grants, as JSON text; the owner's canonical id is unknown.
    let acl = document(&s["AccessControlList"]);
    assert_eq!(
        acl["grantList"][1],
        json!({"grantee": "LogDelivery", "permission": "Write"})
    );
    assert_eq!(acl["owner"]["id"], acl["grantList"][0]["grantee"]["id"]);
    assert!(
        bucket.unknowns[0].starts_with("Properties.AccessControl: canonical user id"),
        "{:?}",
        bucket.unknowns
    );
}

#[test]
fn s3_bucket_defaults_are_those_of_a_new_bucket() {
    let bucket = mapped("Resources:\n  B:\n    Type: AWS::S3::Bucket\n", "B");
    assert_eq!(bucket.name, None);
    assert_eq!(bucket.configuration, json!({}));
    let s = &bucket.supplementary;
    assert_eq!(
        s["ServerSideEncryptionConfiguration"]["rules"][0]["applyServerSideEncryptionByDefault"]
            ["sseAlgorithm"],
        "AES256"
    );
    assert!(s["PublicAccessBlockConfiguration"]
        .as_object()
        .unwrap()
        .values()
        .all(|v| v == true));
    assert_eq!(s["BucketVersioningConfiguration"]["status"], "Off");
    assert_eq!(
        s["BucketLoggingConfiguration"]["destinationBucketName"],
        Value::Null
    );
    assert!(
        s.get("AccessControlList").is_none() && s.get("BucketLifecycleConfiguration").is_none()
    );
    assert!(bucket.unknowns.is_empty());
}

#[test]
fn security_group_with_companions() {
    let text = "
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: web
      GroupDescription: web
      VpcId: vpc-1
      SecurityGroupIngress:
        - {IpProtocol: 6, FromPort: '80', ToPort: 80, CidrIp: 0.0.0.0/0}
        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIpv6: '::/0', Description: v6}
      SecurityGroupEgress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, DestinationPrefixListId: pl-1}
  FromLb:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Group.GroupId
      IpProtocol: -1
      SourceSecurityGroupId: sg-lb
  ExtraEgress:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !Ref Group
      IpProtocol: udp
      FromPort: 53
      ToPort: 53
      CidrIp: 10.0.0.2/32
";
    let converted = converted(text, &[("AWS::AccountId", "111122223333")]);
    assert_eq!(converted.resources.len(), 1, "companions are not items");
    let group = &converted.resources[0];
    assert_eq!(group.name.as_deref(), Some("web"));
    let c = &group.configuration;
    assert_eq!(
        (&c["groupName"], &c["vpcId"], &c["ownerId"]),
        (&json!("web"), &json!("vpc-1"), &json!("111122223333"))
    );
    // One permission per protocol and port range, the ranges together.
    assert_eq!(
        c["ipPermissions"][0],
        json!({
            "ipProtocol": "tcp", "fromPort": 80, "toPort": 80,
            "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}], "ipRanges": ["0.0.0.0/0"],
            "ipv6Ranges": [{"cidrIpv6": "::/0", "description": "v6"}],
            "prefixListIds": [], "userIdGroupPairs": [],
        })
    );
    assert_eq!(
        c["ipPermissions"][1],
        json!({"ipProtocol": "-1", "ipv4Ranges": [], "ipRanges": [], "ipv6Ranges": [], "prefixListIds": [], "userIdGroupPairs": [{"groupId": "sg-lb"}]})
    );
    // Inline egress replaces EC2's default rule; a companion egress adds to it.
    let egress = c["ipPermissionsEgress"].as_array().unwrap();
    assert_eq!(egress.len(), 2);
    assert_eq!(
        egress[0]["prefixListIds"],
        json!([{"prefixListId": "pl-1"}])
    );
    assert_eq!(
        (&egress[1]["ipProtocol"], &egress[1]["fromPort"]),
        (&json!("udp"), &json!(53))
    );
}

#[test]
fn ec2_instance() {
    let text = "
Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24, MapPublicIpOnLaunch: false}
  PublicSubnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-1, CidrBlock: 10.0.1.0/24, MapPublicIpOnLaunch: true}
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {MetadataOptions: {HttpTokens: required}}
  Private:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      InstanceType: m5.large
      SubnetId: !Ref Subnet
      LaunchTemplate: {LaunchTemplateId: !Ref Template, Version: '1'}
  Public:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      InstanceType: t1.micro
      NetworkInterfaces:
        - {DeviceIndex: '0', SubnetId: !Ref PublicSubnet}
        - {DeviceIndex: '1', SubnetId: !Ref Subnet}
";
    let private = mapped(text, "Private");
    let c = &private.configuration;
    assert_eq!(c["state"], json!({"code": 16, "name": "running"}));
    assert_eq!(c["instanceType"], "m5.large");
    assert_eq!(c["virtualizationType"], "hvm");
    assert_eq!(c["metadataOptions"]["httpTokens"], "required");
    assert!(c.get("publicIpAddress").is_none(), "{c}");
    assert_eq!(c["networkInterfaces"].as_array().unwrap().len(), 1);

    let public = mapped(text, "Public");
    let c = &public.configuration;
    assert_eq!(
        c["publicIpAddress"],
        "{unknown id: public IPv4 address of Public}"
    );
    assert_eq!(c["networkInterfaces"].as_array().unwrap().len(), 2);
    // t1 may run a paravirtual AMI; the AMI decides. No HttpTokens: the AMI decides too.
    assert_eq!(
        c["virtualizationType"],
        "{unknown: virtualization type of Public}"
    );
    assert_eq!(
        c["metadataOptions"]["httpTokens"],
        "{unknown: IMDS httpTokens of Public}"
    );
    // And the ids of the template's subnets are generated.
    assert_eq!(public.unknowns.len(), 5, "{:?}", public.unknowns);
}

#[test]
fn ec2_volume_and_its_attachments() {
    let text = "
Resources:
  Volume:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: '100', KmsKeyId: alias/ebs}
  Loose:
    Type: AWS::EC2::Volume
    Properties: {AvailabilityZone: eu-west-1a, Size: 8}
  Server:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      Volumes: [{Device: /dev/sdf, VolumeId: !Ref Volume}]
";
    let volume = mapped(text, "Volume");
    let c = &volume.configuration;
    assert_eq!(
        (&c["encrypted"], &c["kmsKeyId"], &c["size"]),
        (&json!(true), &json!("alias/ebs"), &json!(100))
    );
    assert_eq!(c["attachments"][0]["device"], "/dev/sdf");
    assert_eq!(
        c["attachments"][0]["instanceId"],
        "{unknown id: !Ref Server}"
    );
    let loose = mapped(text, "Loose");
    assert_eq!(loose.configuration["encrypted"], false);
    assert_eq!(loose.configuration["attachments"], json!([]));
}

#[test]
fn rds_instance_and_cluster() {
    let text = "
Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties: {DBClusterIdentifier: Orders, Engine: aurora-postgresql, StorageEncrypted: true, BacktrackWindow: 0}
  Writer:
    Type: AWS::RDS::DBInstance
    Properties: {DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.r6g.large, Engine: aurora-postgresql}
  Reader:
    Type: AWS::RDS::DBInstance
    Properties: {DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.r6g.large, Engine: aurora-postgresql}
  Solo:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: Solo-DB
      DBInstanceClass: db.t3.micro
      Engine: MySQL
      MasterUsername: admin
      PubliclyAccessible: false
      EnableCloudwatchLogsExports: [error]
";
    let solo = mapped(text, "Solo");
    assert_eq!(solo.name.as_deref(), Some("solo-db"));
    assert_eq!(
        solo.arn.as_deref(),
        Some("arn:aws:rds:eu-west-1:111122223333:db:solo-db")
    );
    let c = &solo.configuration;
    assert_eq!(c["engine"], "mysql");
    assert_eq!(c["dBInstanceStatus"], "available");
    for (key, value) in [
        ("storageEncrypted", json!(false)),
        ("publiclyAccessible", json!(false)),
        ("multiAZ", json!(false)),
        ("autoMinorVersionUpgrade", json!(true)),
        ("backupRetentionPeriod", json!(1)),
        ("copyTagsToSnapshot", json!(false)),
        ("deletionProtection", json!(false)),
        ("iAMDatabaseAuthenticationEnabled", json!(false)),
        ("monitoringInterval", json!(0)),
        ("enabledCloudwatchLogsExports", json!(["error"])),
        ("endpoint", json!({"port": 3306})),
        ("masterUsername", json!("admin")),
    ] {
        assert_eq!(c[key], value, "{key}");
    }
    // A cluster member takes the cluster's encryption; PubliclyAccessible unset is unknown.
    let writer = mapped(text, "Writer");
    assert_eq!(writer.configuration["storageEncrypted"], true);
    assert_eq!(
        writer.configuration["publiclyAccessible"],
        "{unknown: PubliclyAccessible of Writer}"
    );
    assert_eq!(writer.configuration["endpoint"]["port"], 5432);

    let cluster = mapped(text, "Cluster");
    assert_eq!(cluster.resource_type, "AWS::RDS::DBCluster");
    let c = &cluster.configuration;
    assert_eq!(c["dbclusterIdentifier"], "orders");
    assert_eq!(
        (&c["storageEncrypted"], &c["deletionProtection"]),
        (&json!(true), &json!(false))
    );
    assert_eq!(c["iamdatabaseAuthenticationEnabled"], false);
    // Two instances: RDS spreads them over zones.
    assert_eq!(c["multiAZ"], true);
    assert_eq!(c["backtrackWindow"], 0);
}

#[test]
fn kms_key() {
    let key = mapped(
        "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties: {EnableKeyRotation: true, Description: data}\n",
        "Key",
    );
    let c = &key.configuration;
    assert_eq!(
        (
            &c["keyManager"],
            &c["keySpec"],
            &c["origin"],
            &c["keyState"]
        ),
        (
            &json!("CUSTOMER"),
            &json!("SYMMETRIC_DEFAULT"),
            &json!("AWS_KMS"),
            &json!("Enabled")
        )
    );
    assert_eq!(key.supplementary["KeyRotationStatus"], true);
    // No KeyPolicy: KMS's default, the account's root.
    let policy = document(&key.supplementary["Policy"]);
    assert_eq!(
        policy["Statement"][0]["Principal"]["AWS"],
        "arn:aws:iam::111122223333:root"
    );
    let unrotated = mapped_with("Resources:\n  Key:\n    Type: AWS::KMS::Key\n", "Key", &[]);
    assert_eq!(unrotated.supplementary["KeyRotationStatus"], false);
    assert!(
        unrotated.unknowns[0].contains("AWS::AccountId"),
        "{:?}",
        unrotated.unknowns
    );
}

#[test]
fn cloudtrail_trail() {
    let trail = mapped(
        "
Resources:
  Logs:
    Type: AWS::S3::Bucket
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: main
      S3BucketName: !Ref Logs
      IsLogging: false
      IsMultiRegionTrail: true
      EventSelectors: [{ReadWriteType: WriteOnly, IncludeManagementEvents: true}]
",
        "Trail",
    );
    assert_eq!(
        trail.arn.as_deref(),
        Some("arn:aws:cloudtrail:eu-west-1:111122223333:trail/main")
    );
    let c = &trail.configuration;
    // The log bucket's name is generated: the trail names it by its logical id, its item's id.
    assert_eq!(c["s3BucketName"], "Logs");
    assert_eq!(
        (
            &c["isMultiRegionTrail"],
            &c["logFileValidationEnabled"],
            &c["includeGlobalServiceEvents"]
        ),
        (&json!(true), &json!(false), &json!(true))
    );
    assert_eq!(c["homeRegion"], "eu-west-1");
    assert_eq!(
        c["eventSelectors"],
        json!([{"readWriteType": "WriteOnly", "includeManagementEvents": true}])
    );
    assert_eq!(
        trail.supplementary["TrailStatus"],
        json!({"isLogging": false})
    );
    assert!(c.get("kmsKeyId").is_none());
}

#[test]
fn lambda_function_and_its_permissions() {
    let text = "
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: thumbs
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::111122223333:role/r
      Code: {ZipFile: 'def handler(e, c): pass'}
  FromS3:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !GetAtt Fn.Arn, Action: 'lambda:InvokeFunction', Principal: s3.amazonaws.com, SourceArn: 'arn:aws:s3:::uploads'}
  Anyone:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !Ref Fn, Action: 'lambda:InvokeFunction', Principal: '*'}
";
    let function = mapped(text, "Fn");
    let c = &function.configuration;
    assert_eq!(
        (&c["functionName"], &c["runtime"], &c["packageType"]),
        (&json!("thumbs"), &json!("python3.12"), &json!("Zip"))
    );
    assert!(c.get("vpcConfig").is_none());
    let policy = document(&function.supplementary["Policy"]);
    let statements = policy["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 2);
    assert_eq!(
        statements[0]["Principal"],
        json!({"Service": "s3.amazonaws.com"})
    );
    assert_eq!(
        statements[0]["Condition"],
        json!({"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"}})
    );
    assert_eq!(
        statements[0]["Resource"],
        "arn:aws:lambda:eu-west-1:111122223333:function:thumbs"
    );
    assert_eq!(statements[1]["Principal"], "*");
}

#[test]
fn dynamodb_table() {
    let text = "
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
      DeletionProtectionEnabled: true
";
    let table = mapped(text, "Table");
    assert_eq!(
        table.arn.as_deref(),
        Some("arn:aws:dynamodb:eu-west-1:111122223333:table/orders")
    );
    assert_eq!(table.configuration["deletionProtectionEnabled"], true);
    assert_eq!(
        table.supplementary["ContinuousBackupsDescription"]["pointInTimeRecoveryDescription"]
            ["pointInTimeRecoveryStatus"],
        "ENABLED"
    );
    let plain = mapped("Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n", "T");
    assert_eq!(plain.configuration["deletionProtectionEnabled"], false);
    assert_eq!(
        plain.supplementary["ContinuousBackupsDescription"]["pointInTimeRecoveryDescription"]
            ["pointInTimeRecoveryStatus"],
        "DISABLED"
    );
}

#[test]
fn sqs_queue_and_its_policy() {
    let text = "
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: {QueueName: jobs, FifoQueue: false, VisibilityTimeout: 60}
  Keyed:
    Type: AWS::SQS::Queue
    Properties: {KmsMasterKeyId: alias/sqs}
  Policy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue, !Ref Keyed]
      PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: 'sqs:SendMessage', Resource: '*'}]}
";
    let queue = mapped(text, "Queue");
    let c = &queue.configuration;
    assert_eq!(
        c["QueueUrl"],
        "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs"
    );
    assert_eq!(c["QueueArn"], "arn:aws:sqs:eu-west-1:111122223333:jobs");
    // Attribute values as text; SSE-SQS unless a KMS key is given.
    assert_eq!(
        (
            &c["SqsManagedSseEnabled"],
            &c["FifoQueue"],
            &c["VisibilityTimeout"]
        ),
        (&json!("true"), &json!("false"), &json!("60"))
    );
    assert_eq!(
        document(&c["Policy"])["Statement"][0]["Action"],
        "sqs:SendMessage"
    );
    let keyed = mapped(text, "Keyed");
    assert_eq!(
        (
            &keyed.configuration["SqsManagedSseEnabled"],
            &keyed.configuration["KmsMasterKeyId"]
        ),
        (&json!("false"), &json!("alias/sqs"))
    );
    assert!(keyed.configuration.get("Policy").is_some());
}

#[test]
fn sns_topic_and_its_policy() {
    let text = "
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: alerts
      KmsMasterKeyId: alias/aws/sns
      DeliveryStatusLogging:
        - {Protocol: sqs, SuccessFeedbackRoleArn: 'arn:aws:iam::111122223333:role/ok', FailureFeedbackRoleArn: 'arn:aws:iam::111122223333:role/ko'}
  Policy:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [!Ref Topic]
      PolicyDocument: {Statement: [{Effect: Allow, Principal: {AWS: '*'}, Action: 'sns:Publish', Resource: !Ref Topic}]}
";
    let topic = mapped(text, "Topic");
    assert_eq!(
        topic.arn.as_deref(),
        Some("arn:aws:sns:eu-west-1:111122223333:alerts")
    );
    let c = &topic.configuration;
    assert_eq!(c["KmsMasterKeyId"], "alias/aws/sns");
    assert_eq!(
        c["SQSSuccessFeedbackRoleArn"],
        "arn:aws:iam::111122223333:role/ok"
    );
    assert_eq!(
        c["SQSFailureFeedbackRoleArn"],
        "arn:aws:iam::111122223333:role/ko"
    );
    assert_eq!(
        document(&c["Policy"])["Statement"][0]["Resource"],
        "arn:aws:sns:eu-west-1:111122223333:alerts"
    );
}

#[test]
fn load_balancer_and_listeners() {
    let text = "
Resources:
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24, AvailabilityZone: eu-west-1a}
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Name: web
      Subnets: [!Ref SubnetA, subnet-external]
      LoadBalancerAttributes: [{Key: deletion_protection.enabled, Value: true}, {Key: idle_timeout.timeout_seconds, Value: 120}]
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 80
      Protocol: HTTP
      DefaultActions: [{Type: redirect, RedirectConfig: {Protocol: HTTPS, Port: 443, StatusCode: HTTP_301}}]
";
    let alb = mapped(text, "Alb");
    let c = &alb.configuration;
    assert_eq!(
        (&c["type"], &c["scheme"], &c["loadBalancerName"]),
        (
            &json!("application"),
            &json!("internet-facing"),
            &json!("web")
        )
    );
    assert_eq!(c["availabilityZones"][0]["zoneName"], "eu-west-1a");
    assert_eq!(
        c["availabilityZones"][1]["zoneName"],
        "{unknown: Availability Zone of subnet subnet-external}"
    );
    let attributes = alb.supplementary["LoadBalancerAttributes"]
        .as_array()
        .unwrap();
    let attribute = |key: &str| {
        attributes
            .iter()
            .find(|a| a["key"] == key)
            .map(|a| a["value"].clone())
    };
    assert_eq!(
        attribute("deletion_protection.enabled"),
        Some(json!("true"))
    );
    assert_eq!(
        attribute("idle_timeout.timeout_seconds"),
        Some(json!("120"))
    );
    assert_eq!(
        attribute("routing.http.drop_invalid_header_fields.enabled"),
        Some(json!("false"))
    );
    assert_eq!(attribute("access_logs.s3.enabled"), Some(json!("false")));

    // A listener is an item of its own, naming its load balancer by the id of its item.
    let http = mapped(text, "Http");
    assert_eq!(http.resource_type, "AWS::ElasticLoadBalancingV2::Listener");
    let c = &http.configuration;
    assert_eq!(
        (&c["LoadBalancerArn"], &c["Port"], &c["Protocol"]),
        (&json!("Alb"), &json!(80), &json!("HTTP"))
    );
    assert_eq!(c["DefaultActions"][0]["RedirectConfig"]["Port"], "443");
}

#[test]
fn iam_role_user_group_and_policies() {
    let text = "
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app
      Path: /svc/
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
      PermissionsBoundary: !Ref Boundary
      Policies: [{PolicyName: inline, PolicyDocument: {Statement: [{Effect: Allow, Action: 's3:*', Resource: '*'}]}}]
  User:
    Type: AWS::IAM::User
    Properties: {UserName: bob, Groups: [devs]}
  Group:
    Type: AWS::IAM::Group
    Properties: {GroupName: ops}
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref Role]
      Users: [bob]
      Groups: [!Ref Group, external-group]
      PolicyDocument: {Statement: [{Effect: Allow, Action: 'kms:Decrypt', Resource: '*'}]}
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: boundary
      Users: [!Ref User]
      PolicyDocument: {Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}
  Membership:
    Type: AWS::IAM::UserToGroupAddition
    Properties: {GroupName: !Ref Group, Users: [!Ref User]}
";
    let role = mapped(text, "Role");
    assert_eq!(role.region.as_deref(), Some("global"));
    assert_eq!(
        role.arn.as_deref(),
        Some("arn:aws:iam::111122223333:role/svc/app")
    );
    let c = &role.configuration;
    assert_eq!(c["roleName"], "app");
    // Documents URL-encoded, as IAM keeps them.
    assert!(c["assumeRolePolicyDocument"]
        .as_str()
        .unwrap()
        .starts_with("%7B%22Statement%22"));
    assert_eq!(
        document(&c["assumeRolePolicyDocument"])["Statement"][0]["Principal"]["Service"],
        "ec2.amazonaws.com"
    );
    let inline: Vec<&Value> = c["rolePolicyList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["policyName"])
        .collect();
    assert_eq!(inline, [&json!("inline"), &json!("extra")]);
    assert_eq!(
        c["attachedManagedPolicies"],
        json!([{"policyName": "ReadOnlyAccess", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}])
    );
    assert_eq!(
        c["permissionsBoundary"]["permissionsBoundaryArn"],
        "arn:aws:iam::111122223333:policy/boundary"
    );

    let user = mapped(text, "User");
    let c = &user.configuration;
    assert_eq!(c["userPolicyList"][0]["policyName"], "extra");
    assert_eq!(c["groupList"], json!(["devs", "ops"]));
    assert_eq!(
        c["attachedManagedPolicies"],
        json!([{"policyName": "boundary", "policyArn": "arn:aws:iam::111122223333:policy/boundary"}])
    );

    let group = mapped(text, "Group");
    assert_eq!(
        group.configuration["groupPolicyList"][0]["policyName"],
        "extra"
    );

    // AWS Config's AWS::IAM::Policy is a managed policy.
    let boundary = mapped(text, "Boundary");
    assert_eq!(boundary.resource_type, "AWS::IAM::Policy");
    let c = &boundary.configuration;
    assert_eq!(
        (
            &c["policyName"],
            &c["defaultVersionId"],
            &c["attachmentCount"],
            &c["permissionsBoundaryUsageCount"]
        ),
        (&json!("boundary"), &json!("v1"), &json!(1), &json!(1))
    );
    let version = &c["policyVersionList"][0];
    assert_eq!(
        (&version["versionId"], &version["isDefaultVersion"]),
        (&json!("v1"), &json!(true))
    );
    assert_eq!(
        document(&version["document"])["Statement"][0]["Action"],
        "*"
    );
    // Companions are not items.
    let converted = converted(text, &[]);
    let ids: Vec<&str> = converted.resources.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["Role", "User", "Group", "Boundary"]);
}

#[test]
fn unmapped_types_are_uncovered_with_their_line() {
    let converted = converted(
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n",
        &[],
    );
    assert!(converted.resources.is_empty());
    assert_eq!(converted.uncovered[0].resource_type, "AWS::EC2::VPC");
    assert_eq!(converted.uncovered[0].line, 2);
    assert_eq!(converted.uncovered[0].reason, None);
}

#[test]
fn uncovered_resources_are_still_checked_unless_a_transform_may_define_names() {
    let text =
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: !Ref Missing}\n";
    let plain = convert("t.yaml", text, &TemplateOptions::default());
    assert_eq!(plain.problems.len(), 1, "{:?}", plain.problems);
    assert_eq!(plain.problems[0].location().map(|l| l.line), Some(4));
    let sam = format!("Transform: AWS::Serverless-2016-10-31\n{text}");
    assert!(convert("t.yaml", &sam, &TemplateOptions::default())
        .problems
        .is_empty());
}
