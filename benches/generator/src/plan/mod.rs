//! The estate plan: which resources exist in which (account, region) file, how they refer to
//! each other, and which of them are deliberately non-compliant.
//!
//! Planning is cheap and single-threaded; rendering (the expensive part) reads the plan only,
//! and each resource renders from its own seed, so files can be written in parallel and the
//! bytes never depend on scheduling.

mod budget;
mod build;
mod coverage;

use std::collections::BTreeSet;

use crate::rng::{mix, Rng};
use crate::time::{epoch_ms, DAY, HOUR, MINUTE};
use crate::world::{self, Region, APPS, ENVS, ORGS, REGIONS};
use budget::{apportion, split, Counts, IAM_WEIGHTS};
use build::Planner;
use coverage::ensure_coverage;
#[cfg(test)]
pub use coverage::{count, holds, REQUIRED};

/// What the user asked for.
#[derive(Clone, Debug)]
pub struct Spec {
    pub items: usize,
    pub accounts: usize,
    pub regions: usize,
    pub seed: u64,
    pub fail_rate: f64,
    pub shape: Shape,
}

/// The mix of resource types (`--shape`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shape {
    /// Enterprise proportions (the default).
    #[default]
    Enterprise,
    /// A quarter security groups, half of them default groups, half of those with rules.
    SgHeavy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    Discovered,
    Deleted,
}

/// Every deliberate misconfiguration the generator knows. A resource carries a set of them
/// (a bitmask over the discriminants); an empty set means compliant with every check below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Mode {
    // S3 bucket
    S3NoSslPolicy,
    S3NoPublicAccessBlock,
    S3PartialPublicAccessBlock,
    S3NoLogging,
    S3VersioningOff,
    S3PublicAcl,
    S3PublicReadPolicy,
    S3SseS3Only,
    // S3 account public access block
    ApabMissing,
    ApabFlagFalse,
    // security groups
    DefaultSgRules,
    SgSshWorld,
    SgRdpWorld,
    SgSshIpv6World,
    SgHighRiskPort,
    SgPortRange,
    SgAllTraffic,
    // EC2
    VolUnencrypted,
    InstImdsV1,
    InstPublicIp,
    InstStopped,
    SubnetMapPublicIp,
    // RDS
    RdsPublic,
    RdsUnencrypted,
    RdsSingleAz,
    RdsShortBackup,
    RdsNoDeletionProtection,
    RdsNoIamAuth,
    RdsNoAutoMinorUpgrade,
    RdsDefaultMasterUser,
    // CloudTrail
    TrailNoKms,
    TrailNoValidation,
    TrailNoCloudWatch,
    TrailSingleRegion,
    // KMS
    KeyRotationOff,
    KeyPendingDeletion,
    // Lambda
    LambdaDeprecatedRuntime,
    LambdaPublicPolicy,
    LambdaNoVpc,
    // SNS / SQS
    TopicNoKms,
    TopicPublicPolicy,
    QueueNoSse,
    // ELBv2
    ElbNoAccessLogs,
    ElbNoDeletionProtection,
    ElbNoDropInvalidHeaders,
    // DynamoDB
    TableNoPitr,
    TableNoDeletionProtection,
    // IAM
    RoleInlineKmsDecryptAll,
    RoleInlineAdmin,
    PolicyAdminStar,
    PolicyServiceWildcard,
    PolicyKmsDecryptAll,
    UserDirectPolicy,
    UserInlinePolicy,
}

impl Mode {
    pub fn bit(self) -> u64 {
        1u64 << (self as u8)
    }
}

/// Resource families as far as compliance goes (default and other security groups differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Apab,
    Vpc,
    Subnet,
    DefaultSg,
    Sg,
    Instance,
    Eni,
    Volume,
    Bucket,
    Rds,
    Trail,
    Key,
    Lambda,
    Topic,
    Queue,
    Elb,
    Table,
    Role,
    Policy,
    User,
}

impl Kind {
    pub const ALL: [Kind; 20] = [
        Kind::Apab,
        Kind::Vpc,
        Kind::Subnet,
        Kind::DefaultSg,
        Kind::Sg,
        Kind::Instance,
        Kind::Eni,
        Kind::Volume,
        Kind::Bucket,
        Kind::Rds,
        Kind::Trail,
        Kind::Key,
        Kind::Lambda,
        Kind::Topic,
        Kind::Queue,
        Kind::Elb,
        Kind::Table,
        Kind::Role,
        Kind::Policy,
        Kind::User,
    ];

    pub fn modes(self) -> &'static [Mode] {
        use Mode::*;
        match self {
            Kind::Apab => &[ApabMissing, ApabFlagFalse],
            Kind::Vpc | Kind::Eni => &[],
            Kind::Subnet => &[SubnetMapPublicIp],
            Kind::DefaultSg => &[DefaultSgRules],
            Kind::Sg => &[
                SgSshWorld,
                SgRdpWorld,
                SgSshIpv6World,
                SgHighRiskPort,
                SgPortRange,
                SgAllTraffic,
            ],
            Kind::Instance => &[InstImdsV1, InstPublicIp, InstStopped],
            Kind::Volume => &[VolUnencrypted],
            Kind::Bucket => &[
                S3NoSslPolicy,
                S3NoPublicAccessBlock,
                S3PartialPublicAccessBlock,
                S3NoLogging,
                S3VersioningOff,
                S3PublicAcl,
                S3PublicReadPolicy,
                S3SseS3Only,
            ],
            Kind::Rds => &[
                RdsPublic,
                RdsUnencrypted,
                RdsSingleAz,
                RdsShortBackup,
                RdsNoDeletionProtection,
                RdsNoIamAuth,
                RdsNoAutoMinorUpgrade,
                RdsDefaultMasterUser,
            ],
            Kind::Trail => &[
                TrailNoKms,
                TrailNoValidation,
                TrailNoCloudWatch,
                TrailSingleRegion,
            ],
            Kind::Key => &[KeyRotationOff, KeyPendingDeletion],
            Kind::Lambda => &[LambdaDeprecatedRuntime, LambdaPublicPolicy, LambdaNoVpc],
            Kind::Topic => &[TopicNoKms, TopicPublicPolicy],
            Kind::Queue => &[QueueNoSse],
            Kind::Elb => &[
                ElbNoAccessLogs,
                ElbNoDeletionProtection,
                ElbNoDropInvalidHeaders,
            ],
            Kind::Table => &[TableNoPitr, TableNoDeletionProtection],
            Kind::Role => &[RoleInlineKmsDecryptAll, RoleInlineAdmin],
            Kind::Policy => &[PolicyAdminStar, PolicyServiceWildcard, PolicyKmsDecryptAll],
            Kind::User => &[UserDirectPolicy, UserInlinePolicy],
        }
    }

    /// Whether a resource of this kind may appear as `ResourceDeleted` (only kinds nothing
    /// else in the plan points at).
    fn deletable(self) -> bool {
        matches!(
            self,
            Kind::Bucket | Kind::Queue | Kind::Topic | Kind::Table | Kind::User | Kind::Lambda
        )
    }
}

/// Per-resource facts decided at planning time.
#[derive(Clone, Debug)]
pub struct Meta {
    /// Seed of the resource's own random stream (cosmetic details at render time).
    pub seed: u64,
    /// Bitmask of [`Mode`]s.
    pub fails: u64,
    pub status: Status,
    pub created: i64,
    pub captured: i64,
    /// Index into [`APPS`].
    pub app: usize,
    /// Index into [`ENVS`].
    pub env: usize,
}

impl Meta {
    pub fn has(&self, m: Mode) -> bool {
        self.fails & m.bit() != 0
    }

    pub fn compliant(&self) -> bool {
        self.fails == 0
    }

    pub fn deleted(&self) -> bool {
        self.status == Status::Deleted
    }

    pub fn app(&self) -> &'static str {
        APPS[self.app]
    }

    pub fn env(&self) -> &'static str {
        ENVS[self.env]
    }

    pub fn rng(&self) -> Rng {
        Rng::new(self.seed)
    }
}

pub struct Estate {
    pub org: &'static str,
    pub accounts: Vec<Account>,
    pub files: Vec<FilePlan>,
}

pub struct Account {
    pub id: String,
    pub env: usize,
    /// S3 canonical user id of the account.
    pub canonical: String,
    /// Account that holds the central log buckets (the first one of the estate).
    pub log_archive: String,
    /// The account-level S3 Block Public Access setting (the same in every region).
    pub apab: Meta,
    pub lambda_roles: Vec<String>,
    pub ec2_roles: Vec<String>,
    pub sso_saml_suffix: String,
}

/// One snapshot file: one account in one region.
pub struct FilePlan {
    pub account: usize,
    pub region: &'static Region,
    pub first_region: bool,
    pub snapshot_ms: i64,
    pub snapshot_id: String,
    pub seed: u64,
    pub keys: Vec<Key>,
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub sgs: Vec<Sg>,
    pub instances: Vec<Instance>,
    pub enis: Vec<Eni>,
    pub volumes: Vec<Volume>,
    pub buckets: Vec<Bucket>,
    pub rds: Vec<Rds>,
    pub trails: Vec<Trail>,
    pub lambdas: Vec<Lambda>,
    pub topics: Vec<Named>,
    pub queues: Vec<Named>,
    pub elbs: Vec<Elb>,
    pub tables: Vec<Named>,
    pub roles: Vec<Role>,
    pub policies: Vec<Policy>,
    pub users: Vec<User>,
}

pub struct Key {
    pub m: Meta,
    pub id: String,
    pub alias: String,
    /// AWS-managed key (`alias/aws/<service>`), rotated by AWS and out of scope for KMS.4.
    pub aws_managed: bool,
}

pub struct Vpc {
    pub m: Meta,
    pub id: String,
    pub cidr: String,
    pub is_default: bool,
    pub name: Option<String>,
    pub igw: String,
    pub acl: String,
    pub rtb: String,
    pub dopt: String,
    pub subnets: Vec<usize>,
    pub sgs: Vec<usize>,
    pub default_sg: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    Public,
    Private,
    Data,
}

pub struct Subnet {
    pub m: Meta,
    pub id: String,
    pub vpc: usize,
    pub az: usize,
    pub base: [u8; 3],
    pub prefix: u8,
    pub tier: Tier,
    pub default_for_az: bool,
    pub next_host: u32,
    pub name: Option<String>,
    pub enis: Vec<usize>,
    pub instances: Vec<usize>,
}

impl Subnet {
    pub fn cidr(&self) -> String {
        format!(
            "{}.{}.{}.0/{}",
            self.base[0], self.base[1], self.base[2], self.prefix
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SgRole {
    Web,
    App,
    Db,
    Bastion,
    Lambda,
    Elb,
    Endpoint,
    Cache,
    Misc,
}

pub struct Sg {
    pub m: Meta,
    pub id: String,
    pub name: String,
    pub vpc: usize,
    pub is_default: bool,
    pub role: SgRole,
    pub enis: Vec<usize>,
    pub instances: Vec<usize>,
}

pub struct Instance {
    pub m: Meta,
    pub id: String,
    pub subnet: usize,
    pub vpc: usize,
    pub sgs: Vec<usize>,
    pub enis: Vec<usize>,
    /// (volume, device name)
    pub volumes: Vec<(usize, String)>,
    pub windows: bool,
    pub profile_role: Option<String>,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EniOwner {
    Instance(usize, u32),
    Elb(usize),
    Rds(usize),
    Lambda(usize),
    Endpoint,
    Nat,
    Unattached,
}

pub struct Eni {
    pub m: Meta,
    pub id: String,
    pub subnet: usize,
    pub sgs: Vec<usize>,
    pub owner: EniOwner,
    pub ip: String,
}

pub struct Volume {
    pub m: Meta,
    pub id: String,
    pub az: usize,
    /// (instance, device, root volume)
    pub attachment: Option<(usize, String, bool)>,
}

pub struct Bucket {
    pub m: Meta,
    pub name: String,
    pub purpose: &'static str,
}

pub struct Rds {
    pub m: Meta,
    pub name: String,
    pub dbi: String,
    pub vpc: usize,
    pub subnets: Vec<usize>,
    pub sgs: Vec<usize>,
    pub eni: Option<usize>,
    pub engine: usize,
}

pub struct Trail {
    pub m: Meta,
    pub name: String,
    pub organization: bool,
}

pub struct Lambda {
    pub m: Meta,
    pub name: String,
    pub subnets: Vec<usize>,
    pub sgs: Vec<usize>,
    pub role: String,
}

/// Resources that need nothing but a name (SNS topics, SQS queues, DynamoDB tables).
pub struct Named {
    pub m: Meta,
    pub name: String,
}

pub struct Elb {
    pub m: Meta,
    pub name: String,
    pub hex: String,
    pub vpc: usize,
    pub subnets: Vec<usize>,
    pub sgs: Vec<usize>,
    pub enis: Vec<usize>,
    pub internal: bool,
    pub network: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleKind {
    ServiceLinked(usize),
    Sso(usize),
    LambdaExec,
    Ec2,
    EcsTask,
    CrossAccount,
    GithubOidc,
    Support,
}

pub struct Role {
    pub m: Meta,
    pub name: String,
    pub id: String,
    pub kind: RoleKind,
    pub policies: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    S3Read,
    S3Write,
    DynamoRw,
    SqsConsume,
    SnsPublish,
    KmsUse,
    SecretsRead,
    LogsWrite,
    SsmRead,
    EcrPull,
}

pub const ACCESS: &[(Access, &str)] = &[
    (Access::S3Read, "s3-read"),
    (Access::S3Write, "s3-write"),
    (Access::DynamoRw, "dynamodb-rw"),
    (Access::SqsConsume, "sqs-consume"),
    (Access::SnsPublish, "sns-publish"),
    (Access::KmsUse, "kms-use"),
    (Access::SecretsRead, "secrets-read"),
    (Access::LogsWrite, "logs-write"),
    (Access::SsmRead, "ssm-read"),
    (Access::EcrPull, "ecr-pull"),
];

pub struct Policy {
    pub m: Meta,
    pub name: String,
    pub id: String,
    pub access: usize,
    pub roles: Vec<usize>,
}

pub struct User {
    pub m: Meta,
    pub name: String,
    pub id: String,
    pub groups: Vec<&'static str>,
}

/// (role name, service principal, managed policy name)
pub const SERVICE_LINKED: &[(&str, &str, &str)] = &[
    (
        "AWSServiceRoleForSupport",
        "support.amazonaws.com",
        "AWSSupportServiceRolePolicy",
    ),
    (
        "AWSServiceRoleForTrustedAdvisor",
        "trustedadvisor.amazonaws.com",
        "AWSTrustedAdvisorServiceRolePolicy",
    ),
    (
        "AWSServiceRoleForConfig",
        "config.amazonaws.com",
        "AWSConfigServiceRolePolicy",
    ),
    (
        "AWSServiceRoleForOrganizations",
        "organizations.amazonaws.com",
        "AWSOrganizationsServiceTrustPolicy",
    ),
    (
        "AWSServiceRoleForSSO",
        "sso.amazonaws.com",
        "AWSSSOServiceRolePolicy",
    ),
    (
        "AWSServiceRoleForElasticLoadBalancing",
        "elasticloadbalancing.amazonaws.com",
        "AWSElasticLoadBalancingServiceRolePolicy",
    ),
    (
        "AWSServiceRoleForRDS",
        "rds.amazonaws.com",
        "AmazonRDSServiceRolePolicy",
    ),
    (
        "AWSServiceRoleForAutoScaling",
        "autoscaling.amazonaws.com",
        "AutoScalingServiceRolePolicy",
    ),
    (
        "AWSServiceRoleForAmazonGuardDuty",
        "guardduty.amazonaws.com",
        "AmazonGuardDutyServiceRolePolicy",
    ),
    (
        "AWSServiceRoleForSecurityHub",
        "securityhub.amazonaws.com",
        "AWSSecurityHubServiceRolePolicy",
    ),
    (
        "AWSServiceRoleForCloudTrail",
        "cloudtrail.amazonaws.com",
        "CloudTrailServiceRolePolicy",
    ),
    (
        "AWSServiceRoleForAmazonSSM",
        "ssm.amazonaws.com",
        "AmazonSSMServiceRolePolicy",
    ),
    (
        "AWSServiceRoleForECS",
        "ecs.amazonaws.com",
        "AmazonECSServiceRolePolicy",
    ),
    (
        "AWSServiceRoleForAPIGateway",
        "ops.apigateway.amazonaws.com",
        "APIGatewayServiceRolePolicy",
    ),
    (
        "AWSServiceRoleForAccessAnalyzer",
        "access-analyzer.amazonaws.com",
        "AccessAnalyzerServiceRolePolicy",
    ),
    (
        "AWSServiceRoleForCloudWatchEvents",
        "events.amazonaws.com",
        "CloudWatchEventsServiceRolePolicy",
    ),
];

/// (permission set, AWS managed policy it grants)
pub const SSO_SETS: &[(&str, &str)] = &[
    ("AdministratorAccess", "AdministratorAccess"),
    ("ReadOnlyAccess", "ReadOnlyAccess"),
    ("PowerUserAccess", "PowerUserAccess"),
    ("ViewOnlyAccess", "job-function/ViewOnlyAccess"),
    ("Billing", "job-function/Billing"),
    ("SecurityAudit", "SecurityAudit"),
    ("DataEngineer", "AmazonAthenaFullAccess"),
    ("NetworkAdministrator", "job-function/NetworkAdministrator"),
];

/// Builds the whole estate plan.
pub fn plan(spec: &Spec) -> Estate {
    let mut root = Rng::new(mix(spec.seed, 0x5EED));
    let org = *root.pick(ORGS);
    // Snapshot day: 2026-11-01 plus up to four weeks, all from the seed.
    let base = epoch_ms(2026, 11, 1) + root.range(0, 27) * DAY + root.range(1, 22) * HOUR;

    let mut accounts = Vec::with_capacity(spec.accounts);
    let mut used_ids = BTreeSet::new();
    for a in 0..spec.accounts {
        let mut r = Rng::new(mix(spec.seed, 0xACC0_0000 + a as u64));
        let id = loop {
            let id = format!("{:012}", r.range(100_000_000_000, 999_999_999_999));
            // Bucket names carry the last four digits: keep those distinct too.
            if used_ids.insert(id[8..].to_string()) || spec.accounts > 10_000 {
                break id;
            }
        };
        let env = world::ACCOUNT_ENVS[a % world::ACCOUNT_ENVS.len()];
        let mut apab = Meta {
            seed: r.next_u64(),
            fails: 0,
            status: Status::Ok,
            created: base - r.range(200, 1500) * DAY,
            captured: base - r.range(1, 90) * DAY,
            app: 0,
            env,
        };
        if r.chance(spec.fail_rate) {
            apab.fails = r.pick(Kind::Apab.modes()).bit();
        }
        accounts.push(Account {
            log_archive: String::new(),
            canonical: r.hex(64),
            sso_saml_suffix: r.hex(16),
            id,
            env,
            apab,
            lambda_roles: Vec::new(),
            ec2_roles: Vec::new(),
        });
    }
    let log_archive = accounts[0].id.clone();
    for a in &mut accounts {
        a.log_archive = log_archive.clone();
    }

    // Budgets: per account, IAM (global) takes its share in the first region's file.
    let account_budgets = split(spec.items, spec.accounts);
    let mut files = Vec::with_capacity(spec.accounts * spec.regions);
    for (a, &budget) in account_budgets.iter().enumerate() {
        let iam_total = (budget as u64 * 150).div_ceil(1000) as usize;
        let iam_w: Vec<u32> = IAM_WEIGHTS.iter().map(|(_, w)| *w).collect();
        let iam = apportion(iam_total, &iam_w);
        let regional = split(budget - iam_total.min(budget), spec.regions);
        let mut iam_rng = Rng::new(mix(spec.seed, 0x1A30_0000 + a as u64));
        let (roles, policies, users) = {
            let acct = &mut accounts[a];
            let mut p = Planner::new(&mut iam_rng, spec.fail_rate, base, acct.env);
            let roles = p.roles(iam[0], acct);
            let (policies, roles) = p.policies(iam[1], roles);
            let users = p.users(iam[2]);
            (roles, policies, users)
        };
        let mut iam = Some((roles, policies, users));
        for (r, &rbudget) in regional.iter().enumerate() {
            let file_seed = mix(spec.seed, ((a as u64) << 16) | r as u64);
            let mut rng = Rng::new(file_seed);
            let snapshot_ms = base + a as i64 * 7 * MINUTE + rng.range(0, 6 * MINUTE / 1000) * 1000;
            let snapshot_id = rng.uuid();
            let apab_present = !accounts[a].apab.has(Mode::ApabMissing);
            let mut p = Planner::new(&mut rng, spec.fail_rate, snapshot_ms, accounts[a].env);
            p.default_sg_rules = (spec.shape == Shape::SgHeavy).then_some(0.5);
            let trails = if rbudget >= 40 && p.rng.chance(0.3) {
                2
            } else {
                1
            };
            let budget = rbudget.saturating_sub(trails + usize::from(apab_present));
            let counts = Counts::from_budget(budget, spec.shape);
            let mut f = p.regional(&counts, trails, &accounts[a], org, &REGIONS[r], r);
            f.account = a;
            f.first_region = r == 0;
            f.snapshot_ms = snapshot_ms;
            f.snapshot_id = snapshot_id;
            f.seed = file_seed;
            if let Some((roles, policies, users)) = iam.take() {
                f.roles = roles;
                f.policies = policies;
                f.users = users;
            }
            files.push(f);
        }
    }
    let mut estate = Estate {
        org,
        accounts,
        files,
    };
    // With --fail-rate 0 (or 1) the user asked for an all-compliant (all-failing) estate.
    if spec.fail_rate > 0.0 && spec.fail_rate < 1.0 {
        ensure_coverage(&mut estate, spec.seed);
    }
    estate
}
