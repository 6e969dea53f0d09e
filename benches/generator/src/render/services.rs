//! CloudTrail, KMS, Lambda, SNS, SQS and Elastic Load Balancing v2.

use super::{ci, rel, Ctx, Head, Tags, MULTI_AZ, NOT_APPLICABLE, REGIONAL};
use crate::json::{arr, obj, strs, J};
use crate::plan::Mode;
use crate::time::{offset_form, DAY, SECOND};
use crate::world::{RUNTIMES_DEPRECATED, RUNTIMES_OK};

pub fn trail(ctx: &Ctx, i: usize) -> J {
    let t = &ctx.f.trails[i];
    let m = &t.m;
    let mut r = m.rng();
    let arn = ctx.arn("cloudtrail", &format!("trail/{}", t.name));
    let org = ctx.estate.org;
    let management = i == 0;
    let mut conf = obj! {
        "name" => &t.name,
        "s3BucketName" => format!("{org}-cloudtrail-logs-{}", ctx.acct.log_archive),
        "s3KeyPrefix" => if t.organization { J::Null } else { J::from(ctx.account()) },
        "includeGlobalServiceEvents" => management,
        "isMultiRegionTrail" => management && !m.has(Mode::TrailSingleRegion),
        "homeRegion" => ctx.region(),
        "trailARN" => &arn,
        "logFileValidationEnabled" => !m.has(Mode::TrailNoValidation),
    };
    if !m.has(Mode::TrailNoCloudWatch) {
        let group = format!("aws-cloudtrail-logs-{}-{}", ctx.account(), t.name);
        conf.push(
            "cloudWatchLogsLogGroupArn",
            ctx.arn("logs", &format!("log-group:{group}:*")),
        );
        conf.push(
            "cloudWatchLogsRoleArn",
            format!(
                "arn:aws:iam::{}:role/CloudTrail-CloudWatchLogs-Role",
                ctx.account()
            ),
        );
    }
    if !m.has(Mode::TrailNoKms) {
        conf.push("kmsKeyId", ctx.kms_key("cloudtrail", r.next_u64(), true));
    }
    let conf = conf
        .with("hasCustomEventSelectors", !management || r.chance(0.3))
        .with("hasInsightSelectors", management && r.chance(0.2))
        .with("isOrganizationTrail", t.organization);
    let head = Head::new("AWS::CloudTrail::Trail", &t.name, REGIONAL)
        .name(&t.name)
        .arn(arn);
    ci(
        ctx,
        m,
        head,
        Vec::new(),
        conf,
        obj! { "Tags" => arr![] },
        obj! {},
    )
}

pub fn kms_key(ctx: &Ctx, i: usize) -> J {
    let k = &ctx.f.keys[i];
    let m = &k.m;
    let mut r = m.rng();
    let acct = ctx.account();
    let arn = ctx.key_arn(&k.id);
    let root = format!("arn:aws:iam::{acct}:root");
    let (policy, description, manager) = if k.aws_managed {
        let service = k.alias.trim_start_matches("alias/aws/");
        let via = format!("{service}.{}.amazonaws.com", ctx.region());
        let policy = obj! {
            "Version" => "2012-10-17",
            "Id" => format!("auto-{service}"),
            "Statement" => arr![
                obj! {
                    "Sid" => format!("Allow access through {} for all principals in the account that are authorized to use it", service.to_uppercase()),
                    "Effect" => "Allow",
                    "Principal" => obj! { "AWS" => "*" },
                    "Action" => strs(&["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"]),
                    "Resource" => "*",
                    "Condition" => obj! { "StringEquals" => obj! { "kms:CallerAccount" => acct, "kms:ViaService" => via } },
                },
                obj! {
                    "Sid" => "Allow direct access to key metadata to the account",
                    "Effect" => "Allow",
                    "Principal" => obj! { "AWS" => root.as_str() },
                    "Action" => strs(&["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"]),
                    "Resource" => "*",
                },
            ],
        };
        let desc = format!(
            "Default key that protects my {} data when no other key is defined",
            service.to_uppercase()
        );
        (policy, desc, "AWS")
    } else {
        let admin = format!("arn:aws:iam::{acct}:role/{}-{}-kms-admin", m.app(), m.env());
        let users = format!("arn:aws:iam::{acct}:role/{}-{}-app-role", m.app(), m.env());
        let policy = obj! {
            "Version" => "2012-10-17",
            "Id" => "key-consolepolicy-3",
            "Statement" => arr![
                obj! {
                    "Sid" => "Enable IAM User Permissions",
                    "Effect" => "Allow",
                    "Principal" => obj! { "AWS" => root.as_str() },
                    "Action" => "kms:*",
                    "Resource" => "*",
                },
                obj! {
                    "Sid" => "Allow access for Key Administrators",
                    "Effect" => "Allow",
                    "Principal" => obj! { "AWS" => admin },
                    "Action" => strs(&["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"]),
                    "Resource" => "*",
                },
                obj! {
                    "Sid" => "Allow use of the key",
                    "Effect" => "Allow",
                    "Principal" => obj! { "AWS" => users },
                    "Action" => strs(&["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]),
                    "Resource" => "*",
                },
            ],
        };
        (
            policy,
            format!("{} {} data key", m.app(), m.env()),
            "CUSTOMER",
        )
    };
    let pending = m.has(Mode::KeyPendingDeletion);
    let conf = obj! {
        "keyId" => &k.id,
        "arn" => &arn,
        "creationDate" => m.created,
        "enabled" => !pending,
        "description" => description,
        "keyUsage" => "ENCRYPT_DECRYPT",
        "keyState" => if pending { "PendingDeletion" } else { "Enabled" },
    };
    let conf = conf
        .with_opt(
            "deletionDate",
            pending.then(|| ctx.f.snapshot_ms + r.range(3, 29) * DAY),
        )
        .with_opt("pendingDeletionWindowInDays", pending.then_some(30))
        .with("origin", "AWS_KMS")
        .with("keyManager", manager)
        .with("customerMasterKeySpec", "SYMMETRIC_DEFAULT")
        .with("keySpec", "SYMMETRIC_DEFAULT")
        .with("encryptionAlgorithms", strs(&["SYMMETRIC_DEFAULT"]))
        .with("signingAlgorithms", arr![])
        .with("multiRegion", false)
        .with("awsaccountId", acct);
    let tags = if k.aws_managed {
        super::Tags::none()
    } else {
        Tags::standard(&mut r, m, None)
    };
    let supp = obj! {
        "Policy" => policy.jackson(),
        "KeyRotationStatus" => k.aws_managed || !m.has(Mode::KeyRotationOff),
    };
    let head = Head::new("AWS::KMS::Key", &k.id, NOT_APPLICABLE).arn(arn);
    ci(ctx, m, head, Vec::new(), conf, supp, tags.map())
}

pub fn lambda(ctx: &Ctx, i: usize) -> J {
    let l = &ctx.f.lambdas[i];
    let m = &l.m;
    let mut r = m.rng();
    let arn = ctx.arn("lambda", &format!("function:{}", l.name));
    let runtime = if m.has(Mode::LambdaDeprecatedRuntime) {
        *r.pick(RUNTIMES_DEPRECATED)
    } else {
        *r.pick(RUNTIMES_OK)
    };
    let handler = match runtime {
        r if r.starts_with("python") => "app.handler",
        r if r.starts_with("nodejs") => "index.handler",
        r if r.starts_with("java") => "com.example.Handler::handleRequest",
        r if r.starts_with("dotnet") => "Function::Function.Handler::FunctionHandler",
        r if r.starts_with("ruby") => "function.handler",
        _ => "bootstrap",
    };
    let role = format!("arn:aws:iam::{}:role/{}", ctx.account(), l.role);
    let in_vpc = !m.has(Mode::LambdaNoVpc) && !l.subnets.is_empty();
    let tags = Tags::standard(&mut r, m, None);
    let modified = m.created + r.range(0, (ctx.f.snapshot_ms - m.created).max(1));
    let sha: String = {
        const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        format!("{}=", r.string(B64, 43))
    };
    let mut conf = obj! {
        "functionName" => &l.name,
        "functionArn" => &arn,
        "runtime" => runtime,
        "role" => &role,
        "handler" => handler,
        "codeSize" => r.range(900, 48_000_000),
        "description" => format!("{} {} function", m.app(), m.env()),
        "timeout" => *r.pick(&[3i64, 15, 30, 60, 300, 900]),
        "memorySize" => *r.pick(&[128i64, 256, 512, 1024, 2048]),
        "lastModified" => offset_form(modified),
        "codeSha256" => sha,
        "version" => "$LATEST",
    };
    if in_vpc {
        conf.push(
            "vpcConfig",
            obj! {
                "subnetIds" => J::Arr(l.subnets.iter().map(|&s| J::from(&ctx.f.subnets[s].id)).collect()),
                "securityGroupIds" => J::Arr(l.sgs.iter().map(|&g| J::from(&ctx.f.sgs[g].id)).collect()),
                "ipv6AllowedForDualStack" => false,
            },
        );
    }
    let conf = conf
        .with(
            "tracingConfig",
            obj! { "mode" => if r.chance(0.3) { "Active" } else { "PassThrough" } },
        )
        .with("revisionId", r.uuid())
        .with("layers", arr![])
        .with("state", "Active")
        .with("lastUpdateStatus", "Successful")
        .with("packageType", "Zip")
        .with(
            "architectures",
            strs(&[if r.chance(0.3) { "arm64" } else { "x86_64" }]),
        )
        .with("ephemeralStorage", obj! { "size" => 512 })
        .with(
            "snapStart",
            obj! { "applyOn" => "None", "optimizationStatus" => "Off" },
        )
        .with(
            "loggingConfig",
            obj! { "logFormat" => "Text", "logGroup" => format!("/aws/lambda/{}", l.name) },
        );
    // Resource-based policy: invoked by a service with a source condition, or open.
    let mut supp = obj! { "Tags" => tags.map() };
    if m.has(Mode::LambdaPublicPolicy) {
        let doc = obj! {
            "Version" => "2012-10-17",
            "Id" => "default",
            "Statement" => arr![obj! {
                "Sid" => "public-invoke",
                "Effect" => "Allow",
                "Principal" => "*",
                "Action" => "lambda:InvokeFunction",
                "Resource" => &arn,
            }],
        };
        supp.push("Policy", doc.compact());
    } else if r.chance(0.4) {
        let doc = obj! {
            "Version" => "2012-10-17",
            "Id" => "default",
            "Statement" => arr![obj! {
                "Sid" => format!("s3-invoke-{}", r.hex(8)),
                "Effect" => "Allow",
                "Principal" => obj! { "Service" => "s3.amazonaws.com" },
                "Action" => "lambda:InvokeFunction",
                "Resource" => &arn,
                "Condition" => obj! {
                    "StringEquals" => obj! { "AWS:SourceAccount" => ctx.account() },
                    "ArnLike" => obj! { "AWS:SourceArn" => format!("arn:aws:s3:::{}-{}-uploads", m.app(), m.env()) },
                },
            }],
        };
        supp.push("Policy", doc.compact());
    }
    let mut rels = vec![rel(
        "AWS::IAM::Role",
        None,
        Some(&l.role),
        "Is associated with Role",
    )];
    if in_vpc {
        rels.extend(l.sgs.iter().map(|&g| {
            rel(
                "AWS::EC2::SecurityGroup",
                Some(&ctx.f.sgs[g].id),
                None,
                "Is associated with SecurityGroup",
            )
        }));
        rels.extend(l.subnets.iter().map(|&s| {
            rel(
                "AWS::EC2::Subnet",
                Some(&ctx.f.subnets[s].id),
                None,
                "Is contained in Subnet",
            )
        }));
    }
    let mut head = Head::new("AWS::Lambda::Function", &l.name, NOT_APPLICABLE)
        .name(&l.name)
        .arn(arn);
    head.with_creation_time = false;
    ci(ctx, m, head, rels, conf, supp, tags.map())
}

pub fn topic(ctx: &Ctx, i: usize) -> J {
    let t = &ctx.f.topics[i];
    let m = &t.m;
    let mut r = m.rng();
    let acct = ctx.account();
    let arn = ctx.arn("sns", &t.name);
    let all_actions = strs(&[
        "SNS:GetTopicAttributes",
        "SNS:SetTopicAttributes",
        "SNS:AddPermission",
        "SNS:RemovePermission",
        "SNS:DeleteTopic",
        "SNS:Subscribe",
        "SNS:ListSubscriptionsByTopic",
        "SNS:Publish",
    ]);
    let mut statements = vec![obj! {
        "Sid" => "__default_statement_ID",
        "Effect" => "Allow",
        "Principal" => obj! { "AWS" => "*" },
        "Action" => all_actions,
        "Resource" => &arn,
        "Condition" => obj! { "StringEquals" => obj! { "AWS:SourceOwner" => acct } },
    }];
    if m.has(Mode::TopicPublicPolicy) {
        statements.push(obj! {
            "Sid" => "__console_pub_0",
            "Effect" => "Allow",
            "Principal" => obj! { "AWS" => "*" },
            "Action" => "SNS:Publish",
            "Resource" => &arn,
        });
    } else if r.chance(0.3) {
        statements.push(obj! {
            "Sid" => "AllowEventBridge",
            "Effect" => "Allow",
            "Principal" => obj! { "Service" => "events.amazonaws.com" },
            "Action" => "sns:Publish",
            "Resource" => &arn,
        });
    }
    let policy = obj! { "Version" => "2008-10-17", "Id" => "__default_policy_ID", "Statement" => statements };
    let delivery = obj! { "http" => obj! {
        "defaultHealthyRetryPolicy" => obj! {
            "minDelayTarget" => 20, "maxDelayTarget" => 20, "numRetries" => 3,
            "numMaxDelayRetries" => 0, "numNoDelayRetries" => 0, "numMinDelayRetries" => 0,
            "backoffFunction" => "linear",
        },
        "disableSubscriptionOverrides" => false,
        "defaultRequestPolicy" => obj! { "headerContentType" => "text/plain; charset=UTF-8" },
    } };
    let mut conf = obj! {
        "Policy" => policy.compact(),
        "Owner" => acct,
        "SubscriptionsPending" => "0",
        "TopicArn" => &arn,
        "EffectiveDeliveryPolicy" => delivery.compact(),
        "SubscriptionsConfirmed" => r.range(0, 6).to_string(),
        "DisplayName" => "",
        "SubscriptionsDeleted" => "0",
    };
    if !m.has(Mode::TopicNoKms) {
        let key = if r.chance(0.5) {
            "alias/aws/sns".to_string()
        } else {
            ctx.kms_key("sns", r.next_u64(), true)
        };
        conf.push("KmsMasterKeyId", key);
    }
    if t.name.ends_with(".fifo") {
        conf.push("FifoTopic", "true");
        conf.push("ContentBasedDeduplication", "false");
    }
    let tags = Tags::standard(&mut r, m, None);
    let head = Head::new("AWS::SNS::Topic", &arn, NOT_APPLICABLE)
        .name(&t.name)
        .arn(&arn);
    let mut head = head;
    head.with_creation_time = false;
    ci(
        ctx,
        m,
        head,
        Vec::new(),
        conf,
        obj! { "Tags" => tags.list() },
        tags.map(),
    )
}

pub fn queue(ctx: &Ctx, i: usize) -> J {
    let q = &ctx.f.queues[i];
    let m = &q.m;
    let mut r = m.rng();
    let arn = ctx.arn("sqs", &q.name);
    let url = format!(
        "https://sqs.{}.amazonaws.com/{}/{}",
        ctx.region(),
        ctx.account(),
        q.name
    );
    let created = (m.created / SECOND).to_string();
    let fifo = q.name.ends_with(".fifo");
    let dlq = q.name.ends_with("-dlq");
    let mut conf = obj! {
        "QueueArn" => &arn,
        "ApproximateNumberOfMessages" => r.range(0, if dlq { 40 } else { 2000 }).to_string(),
        "ApproximateNumberOfMessagesNotVisible" => r.range(0, 20).to_string(),
        "ApproximateNumberOfMessagesDelayed" => "0",
        "CreatedTimestamp" => &created,
        "LastModifiedTimestamp" => (m.captured / SECOND).to_string(),
        "VisibilityTimeout" => r.pick(&["30", "60", "300", "900"]).to_string(),
        "MaximumMessageSize" => "262144",
        "MessageRetentionPeriod" => if dlq { "1209600" } else { "345600" },
        "DelaySeconds" => "0",
        "ReceiveMessageWaitTimeSeconds" => if r.chance(0.5) { "20" } else { "0" },
    };
    if m.has(Mode::QueueNoSse) {
        conf.push("SqsManagedSseEnabled", "false");
    } else if r.chance(0.6) {
        conf.push("SqsManagedSseEnabled", "true");
    } else {
        conf.push("SqsManagedSseEnabled", "false");
        let key = if r.chance(0.4) {
            "alias/aws/sqs".to_string()
        } else {
            ctx.kms_key("sqs", r.next_u64(), true)
        };
        conf.push("KmsMasterKeyId", key);
        conf.push("KmsDataKeyReusePeriodSeconds", "300");
    }
    if !dlq && r.chance(0.6) {
        let target = format!("{}-dlq", q.name.trim_end_matches(".fifo"));
        let redrive =
            obj! { "deadLetterTargetArn" => ctx.arn("sqs", &target), "maxReceiveCount" => 5 };
        conf.push("RedrivePolicy", redrive.compact());
    }
    if r.chance(0.4) {
        let topic = ctx.arn("sns", &format!("{}-{}-events", m.app(), m.env()));
        let policy = obj! {
            "Version" => "2012-10-17",
            "Id" => format!("{arn}/SQSDefaultPolicy"),
            "Statement" => arr![obj! {
                "Sid" => "AllowSnsSend",
                "Effect" => "Allow",
                "Principal" => obj! { "Service" => "sns.amazonaws.com" },
                "Action" => "SQS:SendMessage",
                "Resource" => &arn,
                "Condition" => obj! { "ArnEquals" => obj! { "aws:SourceArn" => topic } },
            }],
        };
        conf.push("Policy", policy.compact());
    }
    if fifo {
        conf.push("FifoQueue", "true");
        conf.push(
            "ContentBasedDeduplication",
            if r.chance(0.5) { "true" } else { "false" },
        );
        conf.push("DeduplicationScope", "queue");
        conf.push("FifoThroughputLimit", "perQueue");
    }
    let tags = Tags::standard(&mut r, m, None);
    let mut head = Head::new("AWS::SQS::Queue", url, NOT_APPLICABLE)
        .name(&q.name)
        .arn(arn);
    head.with_creation_time = false;
    ci(ctx, m, head, Vec::new(), conf, obj! {}, tags.map())
}

pub fn load_balancer(ctx: &Ctx, i: usize) -> J {
    let lb = &ctx.f.elbs[i];
    let m = &lb.m;
    let mut r = m.rng();
    let region = ctx.f.region;
    let kind = if lb.network { "net" } else { "app" };
    let arn = ctx.arn(
        "elasticloadbalancing",
        &format!("loadbalancer/{kind}/{}/{}", lb.name, lb.hex),
    );
    let vpc = &ctx.f.vpcs[lb.vpc];
    let scheme = if lb.internal {
        "internal"
    } else {
        "internet-facing"
    };
    let dns_prefix = if lb.internal {
        format!("internal-{}", lb.name)
    } else {
        lb.name.clone()
    };
    let dns = if lb.network {
        format!(
            "{dns_prefix}-{}.elb.{}.amazonaws.com",
            r.hex(16),
            region.name
        )
    } else {
        format!(
            "{dns_prefix}-{}.{}.elb.amazonaws.com",
            r.range(100_000_000, 2_099_999_999),
            region.name
        )
    };
    let zones: Vec<J> = lb
        .subnets
        .iter()
        .map(|&s| {
            obj! {
                "zoneName" => region.az(ctx.f.subnets[s].az),
                "subnetId" => &ctx.f.subnets[s].id,
                "loadBalancerAddresses" => arr![],
            }
        })
        .collect();
    let conf = obj! {
        "loadBalancerArn" => &arn,
        "dNSName" => dns,
        "canonicalHostedZoneId" => format!("Z{}", r.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 13)),
        "createdTime" => crate::time::iso(m.created),
        "loadBalancerName" => &lb.name,
        "scheme" => scheme,
        "vpcId" => &vpc.id,
        "state" => obj! { "code" => "active" },
        "type" => if lb.network { "network" } else { "application" },
        "availabilityZones" => zones,
        "securityGroups" => J::Arr(lb.sgs.iter().map(|&g| J::from(&ctx.f.sgs[g].id)).collect()),
        "ipAddressType" => "ipv4",
    };
    let logs = !m.has(Mode::ElbNoAccessLogs);
    let log_bucket = format!(
        "{}-elb-access-logs-{}-{}",
        ctx.estate.org,
        ctx.account(),
        region.name
    );
    let s = |b: bool| if b { "true" } else { "false" };
    let mut attrs: Vec<(&str, String)> = vec![
        ("access_logs.s3.enabled", s(logs).into()),
        (
            "access_logs.s3.bucket",
            if logs { log_bucket } else { String::new() },
        ),
        (
            "access_logs.s3.prefix",
            if logs { lb.name.clone() } else { String::new() },
        ),
        (
            "deletion_protection.enabled",
            s(!m.has(Mode::ElbNoDeletionProtection)).into(),
        ),
    ];
    if lb.network {
        attrs.push(("load_balancing.cross_zone.enabled", s(r.chance(0.5)).into()));
        attrs.push((
            "dns_record.client_routing_policy",
            "any_availability_zone".into(),
        ));
    } else {
        attrs.push((
            "idle_timeout.timeout_seconds",
            r.pick(&["60", "120", "300"]).to_string(),
        ));
        attrs.push(("routing.http.desync_mitigation_mode", "defensive".into()));
        attrs.push((
            "routing.http.drop_invalid_header_fields.enabled",
            s(!m.has(Mode::ElbNoDropInvalidHeaders)).into(),
        ));
        attrs.push(("routing.http.preserve_host_header.enabled", "false".into()));
        attrs.push((
            "routing.http.x_amzn_tls_version_and_cipher_suite.enabled",
            "false".into(),
        ));
        attrs.push(("routing.http.xff_client_port.enabled", "false".into()));
        attrs.push(("routing.http.xff_header_processing.mode", "append".into()));
        attrs.push(("routing.http2.enabled", "true".into()));
        attrs.push(("waf.fail_open.enabled", "false".into()));
        attrs.push(("load_balancing.cross_zone.enabled", "true".into()));
    }
    let tags = Tags::standard(&mut r, m, None);
    let supp = obj! {
        "LoadBalancerAttributes" => J::Arr(attrs.into_iter().map(|(k, v)| obj! { "key" => k, "value" => v }).collect()),
        "Tags" => tags.list(),
    };
    let mut rels: Vec<J> = lb
        .sgs
        .iter()
        .map(|&g| {
            rel(
                "AWS::EC2::SecurityGroup",
                Some(&ctx.f.sgs[g].id),
                None,
                "Is associated with SecurityGroup",
            )
        })
        .collect();
    rels.extend(lb.subnets.iter().map(|&s| {
        rel(
            "AWS::EC2::Subnet",
            Some(&ctx.f.subnets[s].id),
            None,
            "Is attached to Subnet",
        )
    }));
    rels.push(rel(
        "AWS::EC2::VPC",
        Some(&vpc.id),
        None,
        "Is contained in Vpc",
    ));
    let head = Head::new("AWS::ElasticLoadBalancingV2::LoadBalancer", &arn, MULTI_AZ)
        .name(&lb.name)
        .arn(&arn);
    ci(ctx, m, head, rels, conf, supp, tags.map())
}
