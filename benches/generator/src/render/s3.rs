//! S3: buckets and the account-level Block Public Access setting.

use super::{ci, Ctx, Head, Tags, NOT_APPLICABLE, REGIONAL};
use crate::json::{arr, obj, strs, J};
use crate::plan::{Meta, Mode};
use crate::rng::mix;
use crate::time::{iso_s, DAY};

/// Four flags; with `ApabFlagFalse` one or two of them are off (the same ones in every
/// region of the account, as the setting is account-wide).
fn flags(m: &Meta, fail: bool) -> [bool; 4] {
    let mut f = [true; 4];
    if fail {
        let mut r = crate::rng::Rng::new(mix(m.seed, 0xF1A6));
        f[r.index(4)] = false;
        if r.chance(0.4) {
            f[r.index(4)] = false;
        }
    }
    f
}

fn block(f: [bool; 4]) -> J {
    obj! {
        "blockPublicAcls" => f[0],
        "ignorePublicAcls" => f[1],
        "blockPublicPolicy" => f[2],
        "restrictPublicBuckets" => f[3],
    }
}

pub fn account_public_access_block(ctx: &Ctx) -> J {
    let account = &ctx.acct.apab;
    // Same configuration everywhere; capture time differs per region.
    let mut m = account.clone();
    let mut r = crate::rng::Rng::new(mix(ctx.f.seed, 0xAB));
    m.captured = ctx.f.snapshot_ms - r.range(1, 60) * DAY - r.range(0, 86_399_999);
    m.captured = m.captured.max(m.created + 1000);
    let conf = block(flags(account, account.has(Mode::ApabFlagFalse)));
    let mut head = Head::new(
        "AWS::S3::AccountPublicAccessBlock",
        ctx.account(),
        NOT_APPLICABLE,
    );
    head.with_creation_time = false;
    ci(ctx, &m, head, Vec::new(), conf, obj! {}, obj! {})
}

fn canonical_grant(id: &str, permission: &str) -> J {
    obj! { "grantee" => obj! { "id" => id, "displayName" => J::Null }, "permission" => permission }
}

fn group_grant(group: &str, permission: &str) -> J {
    obj! { "grantee" => group, "permission" => permission }
}

pub fn bucket(ctx: &Ctx, i: usize) -> J {
    let b = &ctx.f.buckets[i];
    let m = &b.m;
    let mut r = m.rng();
    let arn = format!("arn:aws:s3:::{}", b.name);
    let owner = &ctx.acct.canonical;
    let class = *r.pick(&["internal", "confidential", "public", "restricted"]);
    let tags = Tags::standard(&mut r, m, None).with("DataClassification", class);

    // ACL: owner full control, log delivery for access-log buckets, AllUsers when public.
    let mut grants = vec![canonical_grant(owner, "FullControl")];
    if b.purpose == "logs" {
        grants.push(group_grant("LogDelivery", "Write"));
        grants.push(group_grant("LogDelivery", "ReadAcp"));
    }
    if m.has(Mode::S3PublicAcl) {
        grants.push(group_grant("AllUsers", "Read"));
    }
    let acl = obj! {
        "grantSet" => J::Null,
        "grantList" => grants,
        "owner" => obj! { "displayName" => J::Null, "id" => owner.as_str() },
        "isRequesterCharged" => false,
    };

    // Bucket policy.
    let mut statements = Vec::new();
    if !m.has(Mode::S3NoSslPolicy) {
        statements.push(obj! {
            "Sid" => "DenyInsecureTransport",
            "Effect" => "Deny",
            "Principal" => "*",
            "Action" => "s3:*",
            "Resource" => strs(&[arn.clone(), format!("{arn}/*")]),
            "Condition" => obj! { "Bool" => obj! { "aws:SecureTransport" => "false" } },
        });
    }
    if b.purpose == "static-assets" || r.chance(0.3) {
        statements.push(obj! {
            "Sid" => "AllowCloudFrontServicePrincipal",
            "Effect" => "Allow",
            "Principal" => obj! { "Service" => "cloudfront.amazonaws.com" },
            "Action" => "s3:GetObject",
            "Resource" => format!("{arn}/*"),
            "Condition" => obj! { "StringEquals" => obj! {
                "AWS:SourceArn" => format!("arn:aws:cloudfront::{}:distribution/E{}", ctx.account(), r.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 13)),
            } },
        });
    }
    if m.has(Mode::S3PublicReadPolicy) {
        statements.push(obj! {
            "Sid" => "PublicRead",
            "Effect" => "Allow",
            "Principal" => "*",
            "Action" => "s3:GetObject",
            "Resource" => format!("{arn}/*"),
        });
    }
    let policy_text = if statements.is_empty() {
        J::Null
    } else {
        let doc = obj! { "Version" => "2012-10-17", "Id" => format!("{}-policy", b.name), "Statement" => statements };
        J::from(doc.compact())
    };

    let logging = if m.has(Mode::S3NoLogging) {
        obj! { "destinationBucketName" => J::Null, "logFilePrefix" => J::Null }
    } else {
        obj! {
            "destinationBucketName" => format!("{}-central-s3-access-logs-{}-{}", ctx.estate.org, ctx.acct.log_archive, ctx.region()),
            "logFilePrefix" => format!("{}/{}/", ctx.account(), b.name),
        }
    };
    let versioning = if m.has(Mode::S3VersioningOff) {
        *r.pick(&["Off", "Suspended"])
    } else {
        "Enabled"
    };
    let sse = if m.has(Mode::S3SseS3Only) {
        obj! {
            "applyServerSideEncryptionByDefault" => obj! { "sseAlgorithm" => "AES256", "kmsMasterKeyID" => J::Null },
            "bucketKeyEnabled" => false,
        }
    } else {
        obj! {
            "applyServerSideEncryptionByDefault" => obj! {
                "sseAlgorithm" => "aws:kms",
                "kmsMasterKeyID" => ctx.kms_key("s3", r.next_u64(), true),
            },
            "bucketKeyEnabled" => true,
        }
    };

    let mut supp = obj! {
        "AccessControlList" => acl.compact(),
        "BucketAccelerateConfiguration" => obj! { "status" => J::Null },
        "BucketLoggingConfiguration" => logging,
    };
    if matches!(b.purpose, "raw" | "uploads") && r.chance(0.5) {
        let queue = ctx.arn("sqs", &format!("{}-{}-ingest", m.app(), m.env()));
        let mut cfgs = obj! {};
        cfgs.push(
            r.uuid(),
            obj! {
                "events" => strs(&["s3:ObjectCreated:*"]),
                "filter" => J::Null,
                "queueARN" => queue,
                "type" => "QueueConfiguration",
            },
        );
        supp.push(
            "BucketNotificationConfiguration",
            obj! { "configurations" => cfgs },
        );
    } else {
        supp.push(
            "BucketNotificationConfiguration",
            obj! { "configurations" => obj! {} },
        );
    }
    supp.push("BucketPolicy", obj! { "policyText" => policy_text });
    if !tags.0.is_empty() {
        supp.push(
            "BucketTaggingConfiguration",
            obj! { "tagSets" => arr![obj! { "tags" => tags.map() }] },
        );
    }
    supp.push(
        "BucketVersioningConfiguration",
        obj! { "status" => versioning, "isMfaDeleteEnabled" => J::Null },
    );
    supp.push("IsRequesterPaysEnabled", false);
    if matches!(
        b.purpose,
        "logs" | "backups" | "raw" | "athena-results" | "exports"
    ) || r.chance(0.3)
    {
        let days = *r.pick(&[30i64, 60, 90]);
        supp.push(
            "BucketLifecycleConfiguration",
            obj! { "rules" => arr![obj! {
                "id" => format!("{}-lifecycle", b.purpose),
                "expirationInDays" => if b.purpose == "athena-results" { 30 } else { -1 },
                "expiredObjectDeleteMarker" => false,
                "noncurrentVersionExpirationInDays" => 90,
                "transitions" => arr![obj! { "days" => days, "storageClass" => "STANDARD_IA" }],
                "noncurrentVersionTransitions" => J::Null,
                "filter" => obj! { "predicate" => obj! { "type" => "LifecyclePrefixPredicate", "prefix" => "" } },
                "status" => "Enabled",
                "abortIncompleteMultipartUpload" => obj! { "daysAfterInitiation" => 7 },
            }] },
        );
    }
    if b.purpose == "backups" {
        supp.push(
            "ObjectLockConfiguration",
            obj! {
                "objectLockEnabled" => "Enabled",
                "rule" => obj! { "defaultRetention" => obj! { "mode" => "GOVERNANCE", "days" => 35, "years" => J::Null } },
            },
        );
    }
    if !m.has(Mode::S3NoPublicAccessBlock) {
        let mut f = [true; 4];
        if m.has(Mode::S3PartialPublicAccessBlock) {
            let k = (mix(m.seed, 0xB10C) % 4) as usize;
            f[k] = false;
            f[(k + 2) % 4] = false;
        }
        supp.push("PublicAccessBlockConfiguration", block(f));
    }
    supp.push(
        "ServerSideEncryptionConfiguration",
        obj! { "rules" => arr![sse] },
    );

    let conf = obj! {
        "name" => &b.name,
        "owner" => obj! { "displayName" => J::Null, "id" => owner.as_str() },
        "creationDate" => iso_s(m.created),
    };
    let head = Head::new("AWS::S3::Bucket", &b.name, REGIONAL)
        .name(&b.name)
        .arn(arn);
    ci(ctx, m, head, Vec::new(), conf, supp, tags.map())
}
