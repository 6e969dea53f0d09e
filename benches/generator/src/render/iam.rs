//! IAM roles, customer-managed policies and users (global: `awsRegion` "global").
//!
//! Policy documents are percent-encoded JSON strings, as IAM returns them and Config records
//! them (config-format.md §8.3).

use super::{ci, rel, Ctx, Head, Tags, NOT_APPLICABLE};
use crate::json::{arr, obj, percent_encode, strs, J};
use crate::plan::{Access, Mode, RoleKind, ACCESS, SERVICE_LINKED, SSO_SETS};
use crate::rng::{mix, Rng};
use crate::time::{iso_s, DAY};

const IAM_ID: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn encode(doc: &J, pretty: bool) -> String {
    percent_encode(&if pretty { doc.pretty() } else { doc.compact() })
}

fn document(statements: Vec<J>) -> J {
    obj! { "Version" => "2012-10-17", "Statement" => statements }
}

fn allow(actions: &[&str], resource: J) -> J {
    let action = if actions.len() == 1 {
        J::from(actions[0])
    } else {
        strs(actions)
    };
    obj! { "Effect" => "Allow", "Action" => action, "Resource" => resource }
}

fn trust(principal: J, action: J, condition: Option<J>) -> J {
    let st = obj! { "Effect" => "Allow", "Principal" => principal, "Action" => action };
    document(vec![st.with_opt("Condition", condition)])
}

fn service_trust(service: &str) -> J {
    trust(
        obj! { "Service" => service },
        J::from("sts:AssumeRole"),
        None,
    )
}

fn aws_policy(path: &str) -> (String, String) {
    let name = path.rsplit('/').next().unwrap_or(path).to_string();
    (name, format!("arn:aws:iam::aws:policy/{path}"))
}

/// An id that is stable for a name within an account (IAM groups are referenced, not planned).
fn stable_id(ctx: &Ctx, prefix: &str, name: &str) -> String {
    let h = name
        .bytes()
        .fold(mix(ctx.f.seed, 0x6A), |acc, b| mix(acc, u64::from(b)));
    format!("{prefix}{}", Rng::new(h).string(IAM_ID, 17))
}

/// The scoped statements a customer-managed policy of this access type grants.
fn access_statements(ctx: &Ctx, access: Access, app: &str, env: &str) -> Vec<J> {
    let acct = ctx.account();
    let org = ctx.estate.org;
    match access {
        Access::S3Read => vec![allow(
            &["s3:GetObject", "s3:ListBucket"],
            strs(&[format!("arn:aws:s3:::{org}-{app}-{env}-*"), format!("arn:aws:s3:::{org}-{app}-{env}-*/*")]),
        )],
        Access::S3Write => vec![allow(
            &["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
            J::from(format!("arn:aws:s3:::{org}-{app}-{env}-*/*")),
        )],
        Access::DynamoRw => vec![allow(
            &["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"],
            J::from(format!("arn:aws:dynamodb:*:{acct}:table/{app}-{env}-*")),
        )],
        Access::SqsConsume => vec![allow(
            &["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
            J::from(format!("arn:aws:sqs:*:{acct}:{app}-{env}-*")),
        )],
        Access::SnsPublish => vec![allow(&["sns:Publish"], J::from(format!("arn:aws:sns:*:{acct}:{app}-{env}-*")))],
        Access::KmsUse => vec![allow(
            &["kms:Decrypt", "kms:GenerateDataKey"],
            J::from(format!("arn:aws:kms:*:{acct}:key/*")),
        )
        .with(
            "Condition",
            obj! { "ForAnyValue:StringLike" => obj! { "kms:ResourceAliases" => format!("alias/{app}-*") } },
        )],
        Access::SecretsRead => vec![allow(
            &["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            J::from(format!("arn:aws:secretsmanager:*:{acct}:secret:{app}/{env}/*")),
        )],
        Access::LogsWrite => vec![allow(
            &["logs:CreateLogStream", "logs:PutLogEvents"],
            J::from(format!("arn:aws:logs:*:{acct}:log-group:/{app}/*")),
        )],
        Access::SsmRead => vec![allow(
            &["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
            J::from(format!("arn:aws:ssm:*:{acct}:parameter/{app}/{env}/*")),
        )],
        Access::EcrPull => vec![
            allow(&["ecr:GetAuthorizationToken"], J::from("*")),
            allow(
                &["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                J::from(format!("arn:aws:ecr:*:{acct}:repository/{app}/*")),
            ),
        ],
    }
}

pub fn role(ctx: &Ctx, i: usize) -> J {
    let role = &ctx.f.roles[i];
    let m = &role.m;
    let mut r = m.rng();
    let acct = ctx.account();
    let (app, env) = (m.app(), m.env());
    let mut managed: Vec<(String, String)> = Vec::new();
    let mut profile = false;
    let mut inline: Vec<(String, J)> = Vec::new();
    let (path, trust_doc, description) = match role.kind {
        RoleKind::ServiceLinked(k) => {
            let (_, service, policy) = SERVICE_LINKED[k];
            managed.push(aws_policy(&format!("aws-service-role/{policy}")));
            (
                format!("/aws-service-role/{service}/"),
                service_trust(service),
                J::from(format!("Service-linked role for {service}")),
            )
        }
        RoleKind::Sso(k) => {
            managed.push(aws_policy(SSO_SETS[k].1));
            let provider = format!(
                "arn:aws:iam::{acct}:saml-provider/AWSSSO_{}_DO_NOT_DELETE",
                ctx.acct.sso_saml_suffix
            );
            (
                "/aws-reserved/sso.amazonaws.com/".to_string(),
                trust(
                    obj! { "Federated" => provider },
                    strs(&["sts:AssumeRoleWithSAML", "sts:TagSession"]),
                    Some(
                        obj! { "StringEquals" => obj! { "SAML:aud" => "https://signin.aws.amazon.com/saml" } },
                    ),
                ),
                J::Null,
            )
        }
        RoleKind::LambdaExec => {
            managed.push(aws_policy("service-role/AWSLambdaBasicExecutionRole"));
            if r.chance(0.6) {
                managed.push(aws_policy("service-role/AWSLambdaVPCAccessExecutionRole"));
            }
            (
                "/".to_string(),
                service_trust("lambda.amazonaws.com"),
                J::from(format!("Execution role for {app} {env} functions")),
            )
        }
        RoleKind::Ec2 => {
            profile = true;
            managed.push(aws_policy("AmazonSSMManagedInstanceCore"));
            if r.chance(0.5) {
                managed.push(aws_policy("CloudWatchAgentServerPolicy"));
            }
            (
                "/".to_string(),
                service_trust("ec2.amazonaws.com"),
                J::from(format!("{app} {env} instance role")),
            )
        }
        RoleKind::EcsTask => (
            "/".to_string(),
            service_trust("ecs-tasks.amazonaws.com"),
            J::from(format!("{app} {env} ECS task role")),
        ),
        RoleKind::CrossAccount => {
            let peer = format!(
                "{:012}",
                Rng::new(mix(ctx.f.seed, 0x9EE7)).range(100_000_000_000, 999_999_999_999)
            );
            if role.name == "OrganizationAccountAccessRole" {
                managed.push(aws_policy("AdministratorAccess"));
                (
                    "/".to_string(),
                    trust(
                        obj! { "AWS" => format!("arn:aws:iam::{peer}:root") },
                        J::from("sts:AssumeRole"),
                        None,
                    ),
                    J::Null,
                )
            } else {
                managed.push(aws_policy("ReadOnlyAccess"));
                let cond = obj! { "StringEquals" => obj! { "sts:ExternalId" => r.uuid() } };
                (
                    "/".to_string(),
                    trust(
                        obj! { "AWS" => format!("arn:aws:iam::{peer}:root") },
                        J::from("sts:AssumeRole"),
                        Some(cond),
                    ),
                    J::from("Cross-account access"),
                )
            }
        }
        RoleKind::GithubOidc => {
            let provider =
                format!("arn:aws:iam::{acct}:oidc-provider/token.actions.githubusercontent.com");
            let cond = obj! {
                "StringEquals" => obj! { "token.actions.githubusercontent.com:aud" => "sts.amazonaws.com" },
                "StringLike" => obj! { "token.actions.githubusercontent.com:sub" => format!("repo:{}/{app}:ref:refs/heads/main", ctx.estate.org) },
            };
            (
                "/".to_string(),
                trust(
                    obj! { "Federated" => provider },
                    J::from("sts:AssumeRoleWithWebIdentity"),
                    Some(cond),
                ),
                J::from(format!("GitHub Actions deployment role for {app}")),
            )
        }
        RoleKind::Support => {
            managed.push(aws_policy("AWSSupportAccess"));
            (
                "/".to_string(),
                trust(
                    obj! { "AWS" => format!("arn:aws:iam::{acct}:root") },
                    J::from("sts:AssumeRole"),
                    None,
                ),
                J::from("AWS Support access for incident management"),
            )
        }
    };
    for &p in &role.policies {
        let pol = &ctx.f.policies[p];
        managed.push((
            pol.name.clone(),
            format!("arn:aws:iam::{acct}:policy/{}", pol.name),
        ));
    }
    if matches!(
        role.kind,
        RoleKind::LambdaExec | RoleKind::Ec2 | RoleKind::EcsTask
    ) && r.chance(0.5)
    {
        let access = ACCESS[r.index(ACCESS.len())].0;
        inline.push((
            format!("{app}-{env}-inline"),
            document(access_statements(ctx, access, app, env)),
        ));
    }
    if m.has(Mode::RoleInlineKmsDecryptAll) {
        inline.push((
            "kms-decrypt".to_string(),
            document(vec![allow(
                &["kms:Decrypt", "kms:GenerateDataKey"],
                J::from("*"),
            )]),
        ));
    }
    if m.has(Mode::RoleInlineAdmin) {
        inline.push((
            "full-access".to_string(),
            document(vec![allow(&["*"], J::from("*"))]),
        ));
    }
    let pretty = r.chance(0.4);
    let trust_enc = encode(&trust_doc, pretty);
    let arn = format!("arn:aws:iam::{acct}:role{path}{}", role.name);
    let created = iso_s(m.created);
    let profiles = if profile {
        let pname = role.name.clone();
        arr![obj! {
            "path" => "/",
            "instanceProfileName" => &pname,
            "instanceProfileId" => format!("AIPA{}", r.string(IAM_ID, 17)),
            "arn" => format!("arn:aws:iam::{acct}:instance-profile/{pname}"),
            "createDate" => &created,
            "roles" => arr![obj! {
                "path" => &path,
                "roleName" => &role.name,
                "roleId" => &role.id,
                "arn" => &arn,
                "createDate" => &created,
                "assumeRolePolicyDocument" => &trust_enc,
                "description" => J::Null,
                "maxSessionDuration" => J::Null,
                "permissionsBoundary" => J::Null,
                "tags" => arr![],
                "roleLastUsed" => J::Null,
            }],
            "tags" => arr![],
        }]
    } else {
        arr![]
    };
    let tags = match role.kind {
        RoleKind::ServiceLinked(_) | RoleKind::Sso(_) => Tags::none(),
        _ => Tags::standard(&mut r, m, None),
    };
    let last_used = if r.chance(0.8) {
        obj! {
            "lastUsedDate" => iso_s(ctx.f.snapshot_ms - r.range(0, 90) * DAY - r.range(0, DAY)),
            "region" => ctx.region(),
        }
    } else {
        obj! { "lastUsedDate" => J::Null, "region" => J::Null }
    };
    let conf = obj! {
        "path" => &path,
        "roleName" => &role.name,
        "roleId" => &role.id,
        "arn" => &arn,
        "createDate" => &created,
        "assumeRolePolicyDocument" => trust_enc,
        "instanceProfileList" => profiles,
        "rolePolicyList" => J::Arr(inline.iter().map(|(n, d)| obj! {
            "policyName" => n,
            "policyDocument" => encode(d, pretty),
        }).collect()),
        "attachedManagedPolicies" => J::Arr(managed.iter().map(|(n, a)| obj! {
            "policyName" => n,
            "policyArn" => a,
        }).collect()),
        "permissionsBoundary" => J::Null,
        "tags" => tags.list(),
        "roleLastUsed" => last_used,
        "description" => description,
        "maxSessionDuration" => if matches!(role.kind, RoleKind::Sso(_)) { 43_200 } else { 3_600 },
    };
    let rels: Vec<J> = role
        .policies
        .iter()
        .map(|&p| {
            let pol = &ctx.f.policies[p];
            rel(
                "AWS::IAM::Policy",
                Some(&pol.id),
                Some(&pol.name),
                "Is attached to CustomerManagedPolicy",
            )
        })
        .collect();
    let mut head = Head::new("AWS::IAM::Role", &role.id, NOT_APPLICABLE)
        .name(&role.name)
        .arn(arn);
    head.region = Some("global");
    ci(ctx, m, head, rels, conf, obj! {}, tags.map())
}

pub fn policy(ctx: &Ctx, i: usize) -> J {
    let p = &ctx.f.policies[i];
    let m = &p.m;
    let mut r = m.rng();
    let acct = ctx.account();
    let (access, label) = ACCESS[p.access];
    let base = access_statements(ctx, access, m.app(), m.env());
    let mut current = base.clone();
    if m.has(Mode::PolicyAdminStar) {
        current.push(allow(&["*"], J::from("*")));
    }
    if m.has(Mode::PolicyServiceWildcard) {
        let service = *r.pick(&["s3:*", "dynamodb:*", "ec2:*", "iam:*", "sqs:*"]);
        current.push(allow(&[service], J::from("*")));
    }
    if m.has(Mode::PolicyKmsDecryptAll) {
        current.push(allow(&["kms:Decrypt", "kms:ReEncryptFrom"], J::from("*")));
    }
    let n_versions = r.range(1, 3) as usize;
    let span = (ctx.f.snapshot_ms - m.created).max(DAY);
    let pretty = r.chance(0.3);
    let mut versions = Vec::with_capacity(n_versions);
    let mut updated = m.created;
    for v in 1..=n_versions {
        let is_default = v == n_versions;
        let when = if v == 1 {
            m.created
        } else {
            m.created + span * v as i64 / (n_versions as i64 + 1)
        };
        updated = when;
        let doc = if is_default {
            document(current.clone())
        } else {
            document(base[..1].to_vec())
        };
        versions.push(obj! {
            "document" => encode(&doc, pretty),
            "versionId" => format!("v{v}"),
            "isDefaultVersion" => is_default,
            "createDate" => iso_s(when),
        });
    }
    let arn = format!("arn:aws:iam::{acct}:policy/{}", p.name);
    let conf = obj! {
        "policyName" => &p.name,
        "policyId" => &p.id,
        "arn" => &arn,
        "path" => "/",
        "defaultVersionId" => format!("v{n_versions}"),
        "attachmentCount" => p.roles.len(),
        "permissionsBoundaryUsageCount" => 0,
        "isAttachable" => true,
        "description" => format!("{label} access for {} {}", m.app(), m.env()),
        "createDate" => iso_s(m.created),
        "updateDate" => iso_s(updated),
        "tags" => arr![],
        "policyVersionList" => versions,
    };
    let rels: Vec<J> = p
        .roles
        .iter()
        .map(|&x| {
            let role = &ctx.f.roles[x];
            rel(
                "AWS::IAM::Role",
                Some(&role.id),
                Some(&role.name),
                "Is attached to Role",
            )
        })
        .collect();
    let mut head = Head::new("AWS::IAM::Policy", &p.id, NOT_APPLICABLE)
        .name(&p.name)
        .arn(arn);
    head.region = Some("global");
    ci(ctx, m, head, rels, conf, obj! {}, obj! {})
}

pub fn user(ctx: &Ctx, i: usize) -> J {
    let u = &ctx.f.users[i];
    let m = &u.m;
    let mut r = m.rng();
    let acct = ctx.account();
    let arn = format!("arn:aws:iam::{acct}:user/{}", u.name);
    let mut inline = Vec::new();
    if m.has(Mode::UserInlinePolicy) {
        let access = ACCESS[r.index(ACCESS.len())].0;
        let doc = document(access_statements(ctx, access, m.app(), m.env()));
        inline.push(obj! {
            "policyName" => format!("policygen-{}-{}", u.name, r.range(202_001_010_000, 202_610_012_359)),
            "policyDocument" => encode(&doc, false),
        });
    }
    let mut managed = Vec::new();
    if m.has(Mode::UserDirectPolicy) {
        let path = *r.pick(&[
            "AdministratorAccess",
            "AmazonS3FullAccess",
            "ReadOnlyAccess",
            "PowerUserAccess",
        ]);
        let (name, parn) = aws_policy(path);
        managed.push(obj! { "policyName" => name, "policyArn" => parn });
    }
    let tags = Tags::standard(&mut r, m, None);
    let conf = obj! {
        "path" => "/",
        "userName" => &u.name,
        "userId" => &u.id,
        "arn" => &arn,
        "createDate" => iso_s(m.created),
        "userPolicyList" => inline,
        "groupList" => strs(&u.groups),
        "attachedManagedPolicies" => managed,
        "permissionsBoundary" => J::Null,
        "tags" => tags.list(),
    };
    let rels: Vec<J> = u
        .groups
        .iter()
        .map(|g| {
            rel(
                "AWS::IAM::Group",
                Some(&stable_id(ctx, "AGPA", g)),
                Some(g),
                "Is attached to Group",
            )
        })
        .collect();
    let mut head = Head::new("AWS::IAM::User", &u.id, NOT_APPLICABLE)
        .name(&u.name)
        .arn(arn);
    head.region = Some("global");
    ci(ctx, m, head, rels, conf, obj! {}, tags.map())
}
