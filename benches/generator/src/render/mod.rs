//! Turns the plan into configuration items (snapshot-file "N" dialect, config-format.md §2/§5).

mod data;
mod ec2;
mod iam;
mod s3;
mod services;

use crate::json::{obj, J};
use crate::plan::{Account, Estate, FilePlan, Meta, Mode, Status};
use crate::rng::{mix, Rng};
use crate::time::iso;
use crate::world::TEAMS;

/// Everything a renderer needs to know about the file it writes into.
pub struct Ctx<'a> {
    pub estate: &'a Estate,
    pub f: &'a FilePlan,
    pub acct: &'a Account,
}

impl<'a> Ctx<'a> {
    pub fn new(estate: &'a Estate, f: &'a FilePlan) -> Self {
        Ctx {
            estate,
            f,
            acct: &estate.accounts[f.account],
        }
    }

    pub fn region(&self) -> &'static str {
        self.f.region.name
    }

    pub fn account(&self) -> &str {
        &self.acct.id
    }

    /// `arn:aws:<service>:<region>:<account>:<resource>`
    pub fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:aws:{service}:{}:{}:{resource}",
            self.region(),
            self.acct.id
        )
    }

    pub fn key_arn(&self, key_id: &str) -> String {
        self.arn("kms", &format!("key/{key_id}"))
    }

    /// The ARN of the AWS-managed key for `service` if the file has it, else of a
    /// customer key chosen by `salt`, else of a key that is not recorded.
    pub fn kms_key(&self, service: &str, salt: u64, prefer_cmk: bool) -> String {
        let aws = self
            .f
            .keys
            .iter()
            .find(|k| k.alias == format!("alias/aws/{service}"));
        let cmks: Vec<&str> = self
            .f
            .keys
            .iter()
            .filter(|k| !k.aws_managed)
            .map(|k| k.id.as_str())
            .collect();
        match (aws, cmks.is_empty()) {
            (Some(k), true) => self.key_arn(&k.id),
            (Some(k), false) if !prefer_cmk => self.key_arn(&k.id),
            (_, false) => self.key_arn(cmks[(salt % cmks.len() as u64) as usize]),
            (None, true) => self.key_arn(&Rng::new(mix(self.f.seed, 0xC3C3)).uuid()),
        }
    }
}

/// The top-level identity of a CI.
pub struct Head {
    pub rtype: &'static str,
    pub id: String,
    pub name: Option<String>,
    pub arn: Option<String>,
    /// `None` for the file's region; `Some("global")` for IAM.
    pub region: Option<&'static str>,
    pub az: String,
    pub with_creation_time: bool,
}

impl Head {
    pub fn new(rtype: &'static str, id: impl Into<String>, az: impl Into<String>) -> Head {
        Head {
            rtype,
            id: id.into(),
            name: None,
            arn: None,
            region: None,
            az: az.into(),
            with_creation_time: true,
        }
    }

    pub fn name(mut self, n: impl Into<String>) -> Head {
        self.name = Some(n.into());
        self
    }

    pub fn arn(mut self, a: impl Into<String>) -> Head {
        self.arn = Some(a.into());
        self
    }
}

pub const NOT_APPLICABLE: &str = "Not Applicable";
pub const REGIONAL: &str = "Regional";
pub const MULTI_AZ: &str = "Multiple Availability Zones";

/// One relationship entry (`name` is the N-dialect spelling of the label).
pub fn rel(rtype: &str, id: Option<&str>, name: Option<&str>, label: &str) -> J {
    obj! {
        "resourceId" => id,
        "resourceName" => name,
        "resourceType" => rtype,
        "name" => label,
    }
}

/// Assembles a CI in the key order AWS uses in its notifications.
pub fn ci(ctx: &Ctx, m: &Meta, head: Head, rels: Vec<J>, conf: J, supp: J, tags: J) -> J {
    let deleted = m.status == Status::Deleted;
    let status = match m.status {
        Status::Ok => "OK",
        Status::Discovered => "ResourceDiscovered",
        Status::Deleted => "ResourceDeleted",
    };
    let mut ci = obj! {
        "relatedEvents" => J::Arr(Vec::new()),
        "relationships" => if deleted { J::Arr(Vec::new()) } else { J::Arr(rels) },
        "configuration" => if deleted { J::Null } else { conf },
        "supplementaryConfiguration" => if deleted { obj! {} } else { supp },
        "tags" => if deleted { obj! {} } else { tags },
        "configurationItemVersion" => "1.3",
        "configurationItemCaptureTime" => iso(m.captured),
        "configurationStateId" => m.captured,
        "awsAccountId" => ctx.account(),
        "configurationItemStatus" => status,
        "resourceType" => head.rtype,
        "resourceId" => head.id,
    };
    if let Some(n) = head.name {
        ci.push("resourceName", n);
    }
    if let Some(a) = head.arn {
        ci.push("ARN", a);
    }
    ci.push("awsRegion", head.region.unwrap_or(ctx.region()));
    ci.push("availabilityZone", head.az);
    ci.push("configurationStateMd5Hash", "");
    if head.with_creation_time {
        ci.push(
            "resourceCreationTime",
            iso(m.created - m.created.rem_euclid(1000)),
        );
    }
    ci
}

/// Resource tags in a fixed order.
pub struct Tags(pub Vec<(String, String)>);

impl Tags {
    pub fn none() -> Tags {
        Tags(Vec::new())
    }

    /// The enterprise tagging scheme; about one resource in fourteen is untagged.
    pub fn standard(rng: &mut Rng, m: &Meta, name: Option<&str>) -> Tags {
        let mut t = Vec::new();
        if let Some(n) = name {
            t.push(("Name".to_string(), n.to_string()));
        }
        if rng.chance(0.07) {
            return Tags(t);
        }
        t.push(("Environment".into(), m.env().into()));
        t.push(("Application".into(), m.app().into()));
        if rng.chance(0.8) {
            t.push(("Owner".into(), TEAMS[m.app % TEAMS.len()].into()));
        }
        if rng.chance(0.5) {
            t.push((
                "CostCenter".into(),
                format!("CC-{}", 1000 + (m.app * 379) % 9000),
            ));
        }
        match rng.below(20) {
            0..=11 => t.push(("ManagedBy".into(), "terraform".into())),
            12..=14 => t.push((
                "aws:cloudformation:stack-name".into(),
                format!("{}-{}-stack", m.app(), m.env()),
            )),
            _ => {}
        }
        Tags(t)
    }

    pub fn with(mut self, k: &str, v: &str) -> Tags {
        if !self.0.is_empty() {
            self.0.push((k.to_string(), v.to_string()));
        }
        self
    }

    /// `{"k": "v"}`, the top-level `tags` form.
    pub fn map(&self) -> J {
        J::Obj(
            self.0
                .iter()
                .map(|(k, v)| (k.clone().into(), J::from(v)))
                .collect(),
        )
    }

    /// `[{"key": k, "value": v}]`, the form inside most `configuration`s.
    pub fn list(&self) -> J {
        J::Arr(
            self.0
                .iter()
                .map(|(k, v)| obj! { "key" => k, "value" => v })
                .collect(),
        )
    }
}

/// Renders every CI of a file, in a stable order, handing each to `emit`.
pub fn render_file(estate: &Estate, f: &FilePlan, emit: &mut dyn FnMut(&J)) {
    let ctx = Ctx::new(estate, f);
    let n = |len: usize| 0..len;
    for i in n(f.vpcs.len()) {
        emit(&ec2::vpc(&ctx, i));
    }
    for i in n(f.subnets.len()) {
        emit(&ec2::subnet(&ctx, i));
    }
    for i in n(f.sgs.len()) {
        emit(&ec2::security_group(&ctx, i));
    }
    for i in n(f.instances.len()) {
        emit(&ec2::instance(&ctx, i));
    }
    for i in n(f.enis.len()) {
        emit(&ec2::network_interface(&ctx, i));
    }
    for i in n(f.volumes.len()) {
        emit(&ec2::volume(&ctx, i));
    }
    if !ctx.acct.apab.has(Mode::ApabMissing) {
        emit(&s3::account_public_access_block(&ctx));
    }
    for i in n(f.buckets.len()) {
        emit(&s3::bucket(&ctx, i));
    }
    for i in n(f.rds.len()) {
        emit(&data::db_instance(&ctx, i));
    }
    for i in n(f.tables.len()) {
        emit(&data::table(&ctx, i));
    }
    for i in n(f.trails.len()) {
        emit(&services::trail(&ctx, i));
    }
    for i in n(f.keys.len()) {
        emit(&services::kms_key(&ctx, i));
    }
    for i in n(f.lambdas.len()) {
        emit(&services::lambda(&ctx, i));
    }
    for i in n(f.topics.len()) {
        emit(&services::topic(&ctx, i));
    }
    for i in n(f.queues.len()) {
        emit(&services::queue(&ctx, i));
    }
    for i in n(f.elbs.len()) {
        emit(&services::load_balancer(&ctx, i));
    }
    for i in n(f.roles.len()) {
        emit(&iam::role(&ctx, i));
    }
    for i in n(f.policies.len()) {
        emit(&iam::policy(&ctx, i));
    }
    for i in n(f.users.len()) {
        emit(&iam::user(&ctx, i));
    }
}
