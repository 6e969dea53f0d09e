//! The planner: lays out one file's resources and the account's IAM entities.

use std::collections::BTreeSet;

use super::budget::Counts;
use super::*;
use crate::rng::Rng;
use crate::time::{DAY, HOUR, MINUTE};
use crate::world::{self, Region, APPS, ENVS};

const P_DISCOVERED: f64 = 0.04;
/// Share of deletable resources recorded as deleted (about 1% of all CIs).
const P_DELETED: f64 = 0.05;
const ALNUM_UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const IAM_ID: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub(super) struct Planner<'r> {
    pub(super) rng: &'r mut Rng,
    fail_rate: f64,
    now: i64,
    account_env: usize,
    names: BTreeSet<String>,
    /// `--shape sg-heavy`: the share of default security groups given rules (EC2.2 fails).
    pub(super) default_sg_rules: Option<f64>,
}

impl<'r> Planner<'r> {
    pub(super) fn new(rng: &'r mut Rng, fail_rate: f64, now: i64, account_env: usize) -> Self {
        Planner {
            rng,
            fail_rate,
            now,
            account_env,
            names: BTreeSet::new(),
            default_sg_rules: None,
        }
    }

    /// Returns `base`, or `base-2`, `base-3`... whichever is still free in this file.
    fn unique(&mut self, base: String) -> String {
        if self.names.insert(base.clone()) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|n| self.names.insert(n.clone()))
            .expect("an unused suffix exists")
    }

    fn env(&mut self) -> usize {
        if self.rng.chance(0.8) {
            self.account_env
        } else {
            self.rng.index(ENVS.len())
        }
    }

    /// A fresh resource: creation time, status, failure modes.
    fn meta(&mut self, kind: Kind) -> Meta {
        let seed = self.rng.next_u64();
        let discovered = self.rng.chance(P_DISCOVERED);
        let created = if discovered {
            self.now - self.rng.range(2 * HOUR, 20 * DAY)
        } else {
            // Skewed towards recent resources, up to about four years old.
            let u = self.rng.unit();
            self.now - 2 * HOUR - (u * u * (1460 * DAY) as f64) as i64
        };
        let mut m = Meta {
            seed,
            fails: 0,
            status: if discovered {
                Status::Discovered
            } else {
                Status::Ok
            },
            created,
            captured: 0,
            app: self.rng.index(APPS.len()),
            env: self.env(),
        };
        self.set_captured(&mut m);
        if kind.deletable() && self.rng.chance(P_DELETED) {
            m.status = Status::Deleted;
        }
        self.roll(&mut m, kind);
        m
    }

    /// A resource created together with a parent (an instance's interface or root volume).
    fn child(&mut self, kind: Kind, parent: &Meta) -> Meta {
        let mut m = self.meta(kind);
        m.created = parent.created;
        m.app = parent.app;
        m.env = parent.env;
        m.status = if parent.status == Status::Discovered {
            Status::Discovered
        } else {
            Status::Ok
        };
        self.set_captured(&mut m);
        m
    }

    fn set_captured(&mut self, m: &mut Meta) {
        m.captured = if m.status == Status::Discovered {
            m.created + self.rng.range(MINUTE, 2 * HOUR)
        } else {
            let span = (self.now - m.created).clamp(MINUTE, 150 * DAY);
            self.now - self.rng.range(MINUTE / 2, span)
        }
        .min(self.now - 1000)
        .max(m.created + 1000);
    }

    fn roll(&mut self, m: &mut Meta, kind: Kind) {
        let modes = kind.modes();
        if !modes.is_empty() && self.rng.chance(self.fail_rate) {
            m.fails |= self.rng.pick(modes).bit();
            // A quarter of the failing resources get a second problem.
            if modes.len() > 1 && self.rng.chance(0.25) {
                m.fails |= self.rng.pick(modes).bit();
            }
        }
    }

    fn hexid(&mut self, prefix: &str) -> String {
        format!("{prefix}-{}", self.rng.hex(17))
    }

    fn iam_id(&mut self, prefix: &str) -> String {
        format!("{prefix}{}", self.rng.string(IAM_ID, 17))
    }

    pub(super) fn regional(
        &mut self,
        c: &Counts,
        n_trails: usize,
        account: &Account,
        org: &str,
        region: &'static Region,
        region_idx: usize,
    ) -> FilePlan {
        let mut f = FilePlan {
            account: 0,
            region,
            first_region: false,
            snapshot_ms: 0,
            snapshot_id: String::new(),
            seed: 0,
            keys: Vec::new(),
            vpcs: Vec::new(),
            subnets: Vec::new(),
            sgs: Vec::new(),
            instances: Vec::new(),
            enis: Vec::new(),
            volumes: Vec::new(),
            buckets: Vec::new(),
            rds: Vec::new(),
            trails: Vec::new(),
            lambdas: Vec::new(),
            topics: Vec::new(),
            queues: Vec::new(),
            elbs: Vec::new(),
            tables: Vec::new(),
            roles: Vec::new(),
            policies: Vec::new(),
            users: Vec::new(),
        };
        let n_az = region.zones.len();

        // KMS keys: a few AWS-managed service keys, the rest customer-managed.
        const AWS_KEYS: [&str; 6] = ["ebs", "s3", "rds", "lambda", "sns", "sqs"];
        let n_aws = (c.key / 2).min(AWS_KEYS.len());
        for k in 0..c.key {
            let mut m = self.meta(Kind::Key);
            let (alias, aws_managed) = if let Some(service) = AWS_KEYS.get(k).filter(|_| k < n_aws)
            {
                m.fails = 0;
                (format!("alias/aws/{service}"), true)
            } else {
                let base = format!("alias/{}-{}", m.app(), m.env());
                (self.unique(base), false)
            };
            let id = self.rng.uuid();
            f.keys.push(Key {
                m,
                id,
                alias,
                aws_managed,
            });
        }

        // VPCs and subnets.
        let dopt = self.hexid("dopt");
        let has_default = self.rng.chance(0.55);
        for k in 0..c.vpc {
            let mut m = self.meta(Kind::Vpc);
            let is_default = k == 0 && has_default;
            let cidr = if is_default {
                "172.31.0.0/16".to_string()
            } else {
                format!("10.{}.0.0/16", 10 + (region_idx * 40 + k) % 240)
            };
            let name = if is_default {
                None
            } else {
                let base = format!(
                    "{org}-{}-{}-vpc",
                    m.env(),
                    if k == 0 { "core" } else { m.app() }
                );
                Some(self.unique(base))
            };
            if is_default {
                m.created = self.now - self.rng.range(900, 2500) * DAY;
            }
            let (id, igw, acl, rtb) = (
                self.hexid("vpc"),
                self.hexid("igw"),
                self.hexid("acl"),
                self.hexid("rtb"),
            );
            f.vpcs.push(Vpc {
                m,
                id,
                cidr,
                is_default,
                name,
                igw,
                acl,
                rtb,
                dopt: dopt.clone(),
                subnets: Vec::new(),
                sgs: Vec::new(),
                default_sg: 0,
            });
        }
        for s in 0..c.subnet {
            let v = s % c.vpc;
            let j = f.vpcs[v].subnets.len();
            let vpc = &f.vpcs[v];
            let m = self.child(Kind::Subnet, &vpc.m.clone());
            let (base, prefix, tier) = if vpc.is_default {
                ([172, 31, ((16 * j) % 256) as u8], 20, Tier::Public)
            } else {
                let second = vpc.cidr.split('.').nth(1).unwrap().parse::<u8>().unwrap();
                let tier = match j / n_az {
                    0 => Tier::Public,
                    1 => Tier::Private,
                    n if n % 2 == 0 => Tier::Data,
                    _ => Tier::Private,
                };
                ([10, second, ((4 * j) % 256) as u8], 22, tier)
            };
            let name = vpc.name.as_ref().map(|vn| {
                let t = match tier {
                    Tier::Public => "public",
                    Tier::Private => "private",
                    Tier::Data => "data",
                };
                format!("{}-{t}-{}", vn.trim_end_matches("-vpc"), region.az(j))
            });
            let id = self.hexid("subnet");
            let next_host = 4 + self.rng.below(40) as u32;
            f.vpcs[v].subnets.push(f.subnets.len());
            f.subnets.push(Subnet {
                m,
                id,
                vpc: v,
                az: j % n_az,
                base,
                prefix,
                tier,
                default_for_az: f.vpcs[v].is_default && j < n_az,
                next_host,
                name,
                enis: Vec::new(),
                instances: Vec::new(),
            });
        }

        // Security groups: the default one of every VPC, then workload groups.
        for v in 0..c.vpc {
            let mut m = self.child(Kind::DefaultSg, &f.vpcs[v].m.clone());
            if let Some(share) = self.default_sg_rules {
                if self.rng.chance(share) {
                    m.fails |= Mode::DefaultSgRules.bit();
                }
            }
            let id = self.hexid("sg");
            f.vpcs[v].default_sg = f.sgs.len();
            f.vpcs[v].sgs.push(f.sgs.len());
            f.sgs.push(Sg {
                m,
                id,
                name: "default".into(),
                vpc: v,
                is_default: true,
                role: SgRole::Misc,
                enis: Vec::new(),
                instances: Vec::new(),
            });
        }
        const ROLES: [(u32, SgRole); 9] = [
            (12, SgRole::Web),
            (22, SgRole::App),
            (14, SgRole::Db),
            (6, SgRole::Bastion),
            (12, SgRole::Lambda),
            (10, SgRole::Elb),
            (8, SgRole::Endpoint),
            (5, SgRole::Cache),
            (11, SgRole::Misc),
        ];
        let mut wizard = 1;
        for _ in c.vpc..c.sg {
            let v = self.pick_vpc(&f);
            let role = *self.rng.pick_weighted(&ROLES);
            let m = self.meta(Kind::Sg);
            let name = match role {
                SgRole::Misc if self.rng.chance(0.5) => {
                    wizard += 1;
                    format!("launch-wizard-{}", wizard - 1)
                }
                SgRole::Misc => format!("{}-{}-sg", m.app(), m.env()),
                r => {
                    let tier = match r {
                        SgRole::Web => "web",
                        SgRole::App => "app",
                        SgRole::Db => "db",
                        SgRole::Bastion => "bastion",
                        SgRole::Lambda => "lambda",
                        SgRole::Elb => "alb",
                        SgRole::Endpoint => "vpce",
                        _ => "cache",
                    };
                    format!("{}-{}-{tier}-sg", m.app(), m.env())
                }
            };
            let name = self.unique(name);
            let id = self.hexid("sg");
            f.vpcs[v].sgs.push(f.sgs.len());
            f.sgs.push(Sg {
                m,
                id,
                name,
                vpc: v,
                is_default: false,
                role,
                enis: Vec::new(),
                instances: Vec::new(),
            });
        }

        // Instances.
        for i in 0..c.instance {
            let v = self.pick_vpc(&f);
            let subnet = self.pick_subnet(&f, v, &[Tier::Private, Tier::Private, Tier::Public]);
            let sgs = self.pick_sgs(
                &f,
                v,
                &[SgRole::Web, SgRole::App, SgRole::Bastion, SgRole::Misc],
            );
            let m = self.meta(Kind::Instance);
            let windows = self.rng.chance(0.12);
            let profile_role = if self.rng.chance(0.85) {
                Some(match account.ec2_roles.as_slice() {
                    [] => format!("{}-{}-ec2-role", m.app(), m.env()),
                    roles => self.rng.pick(roles).clone(),
                })
            } else {
                None
            };
            let name = format!(
                "{}-{}-{}",
                m.app(),
                m.env(),
                if windows { "win" } else { "app" }
            );
            let name = self.unique(name);
            let id = self.hexid("i");
            for &g in &sgs {
                f.sgs[g].instances.push(i);
            }
            f.subnets[subnet].instances.push(i);
            f.instances.push(Instance {
                m,
                id,
                subnet,
                vpc: v,
                sgs,
                enis: Vec::new(),
                volumes: Vec::new(),
                windows,
                profile_role,
                name,
            });
        }

        // Load balancers and databases (before interfaces, which they own).
        for _ in 0..c.elb {
            let v = self.pick_vpc(&f);
            let m = self.meta(Kind::Elb);
            let internal = self.rng.chance(0.3);
            let network = self.rng.chance(0.25);
            let tiers: &[Tier] = if internal {
                &[Tier::Private]
            } else {
                &[Tier::Public]
            };
            let subnets = self.pick_subnets(&f, v, 2, tiers);
            let sgs = if network {
                Vec::new()
            } else {
                self.pick_sgs(&f, v, &[SgRole::Elb, SgRole::Web])
            };
            let name = self.unique(format!(
                "{}-{}-{}",
                m.app(),
                m.env(),
                if network { "nlb" } else { "alb" }
            ));
            let hex = self.rng.hex(16);
            f.elbs.push(Elb {
                m,
                name,
                hex,
                vpc: v,
                subnets,
                sgs,
                enis: Vec::new(),
                internal,
                network,
            });
        }
        let engine_weights: Vec<u32> = world::ENGINES.iter().map(|(w, _)| *w).collect();
        for _ in 0..c.rds {
            let v = self.pick_vpc(&f);
            let m = self.meta(Kind::Rds);
            let subnets = self.pick_subnets(&f, v, 3, &[Tier::Data, Tier::Private]);
            let sgs = self.pick_sgs(&f, v, &[SgRole::Db]);
            let name = self.unique(format!("{}-{}-db", m.app(), m.env()));
            let dbi = format!("db-{}", self.rng.string(ALNUM_UPPER, 26));
            let engine = self.rng.weighted(&engine_weights);
            f.rds.push(Rds {
                m,
                name,
                dbi,
                vpc: v,
                subnets,
                sgs,
                eni: None,
                engine,
            });
        }
        for _ in 0..c.lambda {
            let m = self.meta(Kind::Lambda);
            let v = self.pick_vpc(&f);
            let subnets = self.pick_subnets(&f, v, 2, &[Tier::Private]);
            let sgs = self.pick_sgs(&f, v, &[SgRole::Lambda]);
            let verb = *self.rng.pick(world::FUNCTION_VERBS);
            let name = self.unique(format!("{}-{}-{verb}", m.app(), m.env()));
            let role = match account.lambda_roles.as_slice() {
                [] => format!("{name}-role"),
                roles => self.rng.pick(roles).clone(),
            };
            f.lambdas.push(Lambda {
                m,
                name,
                subnets,
                sgs,
                role,
            });
        }

        // Network interfaces: one per instance, one per load balancer subnet, one per
        // database; the rest are secondary, Lambda, endpoint, NAT and stray interfaces.
        let mut owners: Vec<EniOwner> = Vec::with_capacity(c.eni);
        owners.extend((0..c.instance).map(|i| EniOwner::Instance(i, 0)));
        for (e, elb) in f.elbs.iter().enumerate() {
            owners.extend(elb.subnets.iter().map(|_| EniOwner::Elb(e)));
        }
        owners.extend((0..c.rds).map(EniOwner::Rds));
        let vpc_lambdas: Vec<usize> = (0..f.lambdas.len())
            .filter(|&l| !f.lambdas[l].m.has(Mode::LambdaNoVpc) && !f.lambdas[l].m.deleted())
            .collect();
        while owners.len() < c.eni {
            let w = [
                if c.instance > 0 { 20 } else { 0 },
                if vpc_lambdas.is_empty() { 0 } else { 35 },
                20,
                10,
                15,
            ];
            owners.push(match self.rng.weighted(&w) {
                0 => EniOwner::Instance(self.rng.index(c.instance), 1),
                1 => EniOwner::Lambda(*self.rng.pick(&vpc_lambdas)),
                2 => EniOwner::Endpoint,
                3 => EniOwner::Nat,
                _ => EniOwner::Unattached,
            });
        }
        let mut elb_next = vec![0usize; f.elbs.len()];
        for owner in owners.into_iter().take(c.eni) {
            let e = f.enis.len();
            let (subnet, sgs, m) = match owner {
                EniOwner::Instance(i, _) => {
                    let inst = &f.instances[i];
                    (
                        inst.subnet,
                        inst.sgs.clone(),
                        self.child(Kind::Eni, &inst.m.clone()),
                    )
                }
                EniOwner::Elb(l) => {
                    let elb = &f.elbs[l];
                    let s = elb.subnets[elb_next[l] % elb.subnets.len()];
                    elb_next[l] += 1;
                    (s, elb.sgs.clone(), self.child(Kind::Eni, &elb.m.clone()))
                }
                EniOwner::Rds(d) => {
                    let db = &f.rds[d];
                    (
                        db.subnets[0],
                        db.sgs.clone(),
                        self.child(Kind::Eni, &db.m.clone()),
                    )
                }
                EniOwner::Lambda(l) => {
                    let fun = &f.lambdas[l];
                    let s = *self.rng.pick(&fun.subnets);
                    (s, fun.sgs.clone(), self.meta(Kind::Eni))
                }
                EniOwner::Endpoint => {
                    let v = self.pick_vpc(&f);
                    let s = self.pick_subnet(&f, v, &[Tier::Private]);
                    let sgs = self.pick_sgs(&f, v, &[SgRole::Endpoint]);
                    (s, sgs, self.meta(Kind::Eni))
                }
                EniOwner::Nat => {
                    let v = self.pick_vpc(&f);
                    (
                        self.pick_subnet(&f, v, &[Tier::Public]),
                        Vec::new(),
                        self.meta(Kind::Eni),
                    )
                }
                EniOwner::Unattached => {
                    let v = self.pick_vpc(&f);
                    let s = self.pick_subnet(&f, v, &[Tier::Private, Tier::Public]);
                    (s, vec![f.vpcs[v].default_sg], self.meta(Kind::Eni))
                }
            };
            let owner = match owner {
                EniOwner::Instance(i, _) => {
                    let idx = f.instances[i].enis.len() as u32;
                    f.instances[i].enis.push(e);
                    EniOwner::Instance(i, idx)
                }
                EniOwner::Elb(l) => {
                    f.elbs[l].enis.push(e);
                    owner
                }
                EniOwner::Rds(d) => {
                    f.rds[d].eni = Some(e);
                    owner
                }
                other => other,
            };
            let ip = self.next_ip(&mut f.subnets[subnet]);
            for &g in &sgs {
                f.sgs[g].enis.push(e);
            }
            f.subnets[subnet].enis.push(e);
            let id = self.hexid("eni");
            f.enis.push(Eni {
                m,
                id,
                subnet,
                sgs,
                owner,
                ip,
            });
        }

        // Volumes: a root volume per instance, then data volumes and a few strays.
        let mut next_dev = vec![0u8; f.instances.len()];
        for k in 0..c.volume {
            let v = f.volumes.len();
            let id = self.hexid("vol");
            let target = if k < f.instances.len() {
                Some((k, true))
            } else if f.instances.is_empty() || self.rng.chance(0.12) {
                None
            } else {
                Some((self.rng.index(f.instances.len()), false))
            };
            let vol = match target {
                Some((i, root)) => {
                    let inst = &f.instances[i];
                    let mut m = self.child(Kind::Volume, &inst.m.clone());
                    if !root {
                        m.created += self.rng.range(0, (self.now - m.created) / 2);
                        self.set_captured(&mut m);
                    }
                    let device = if root {
                        if inst.windows {
                            "/dev/sda1".to_string()
                        } else {
                            "/dev/xvda".to_string()
                        }
                    } else {
                        let d = next_dev[i];
                        next_dev[i] += 1;
                        format!("/dev/sd{}", char::from(b'f' + d % 16))
                    };
                    let az = f.subnets[inst.subnet].az;
                    f.instances[i].volumes.push((v, device.clone()));
                    Volume {
                        m,
                        id,
                        az,
                        attachment: Some((i, device, root)),
                    }
                }
                None => {
                    let mut m = self.meta(Kind::Volume);
                    if self.rng.chance(P_DELETED) {
                        m.status = Status::Deleted;
                    }
                    Volume {
                        m,
                        id,
                        az: self.rng.index(n_az),
                        attachment: None,
                    }
                }
            };
            f.volumes.push(vol);
        }

        // Buckets.
        let short_acct = &account.id[8..];
        for _ in 0..c.bucket {
            let m = self.meta(Kind::Bucket);
            let purpose = *self.rng.pick(world::BUCKET_PURPOSES);
            let name = if self.rng.chance(0.06) {
                format!(
                    "cf-templates-{}-{}",
                    self.rng.string(b"abcdefghijklmnopqrstuvwxyz0123456789", 13),
                    region.name
                )
            } else {
                format!(
                    "{org}-{}-{}-{purpose}-{short_acct}-{}",
                    m.app(),
                    m.env(),
                    region.short
                )
            };
            let name = self.unique(name);
            f.buckets.push(Bucket { m, name, purpose });
        }

        for t in 0..n_trails {
            let m = self.meta(Kind::Trail);
            let (name, organization) = if t == 0 {
                if self.rng.chance(0.5) {
                    (format!("{org}-org-trail"), true)
                } else {
                    (format!("{org}-management-events"), false)
                }
            } else {
                (format!("{}-{}-data-events", m.app(), m.env()), false)
            };
            let name = self.unique(name);
            f.trails.push(Trail {
                m,
                name,
                organization,
            });
        }
        for _ in 0..c.topic {
            let m = self.meta(Kind::Topic);
            let topic = *self.rng.pick(world::QUEUE_TOPICS);
            let fifo = if self.rng.chance(0.05) { ".fifo" } else { "" };
            let name = self.unique(format!("{}-{}-{topic}{fifo}", m.app(), m.env()));
            f.topics.push(Named { m, name });
        }
        for _ in 0..c.queue {
            let m = self.meta(Kind::Queue);
            let topic = *self.rng.pick(world::QUEUE_TOPICS);
            let suffix = match self.rng.below(100) {
                0..=7 => ".fifo",
                8..=32 => "-dlq",
                _ => "",
            };
            let name = self.unique(format!("{}-{}-{topic}{suffix}", m.app(), m.env()));
            f.queues.push(Named { m, name });
        }
        for _ in 0..c.table {
            let m = self.meta(Kind::Table);
            let entity = *self.rng.pick(world::TABLE_ENTITIES);
            let name = self.unique(format!("{}-{}-{entity}", m.app(), m.env()));
            f.tables.push(Named { m, name });
        }
        f
    }

    /// A VPC index, weighted by subnet count (the default VPC counts little).
    fn pick_vpc(&mut self, f: &FilePlan) -> usize {
        let w: Vec<u32> = f
            .vpcs
            .iter()
            .map(|v| {
                if v.is_default {
                    1
                } else {
                    1 + v.subnets.len() as u32
                }
            })
            .collect();
        self.rng.weighted(&w)
    }

    /// A subnet of VPC `v`, preferring the given tiers in order of the slice's multiplicity.
    fn pick_subnet(&mut self, f: &FilePlan, v: usize, tiers: &[Tier]) -> usize {
        let tier = *self.rng.pick(tiers);
        let all = &f.vpcs[v].subnets;
        let matching: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&s| f.subnets[s].tier == tier)
            .collect();
        if matching.is_empty() {
            *self.rng.pick(all)
        } else {
            *self.rng.pick(&matching)
        }
    }

    /// Up to `n` subnets of VPC `v` in distinct zones where possible.
    fn pick_subnets(&mut self, f: &FilePlan, v: usize, n: usize, tiers: &[Tier]) -> Vec<usize> {
        let mut cands: Vec<usize> = f.vpcs[v]
            .subnets
            .iter()
            .copied()
            .filter(|&s| tiers.contains(&f.subnets[s].tier))
            .collect();
        if cands.len() < n {
            cands = f.vpcs[v].subnets.clone();
        }
        self.rng.shuffle(&mut cands);
        let mut out: Vec<usize> = Vec::new();
        for &s in &cands {
            if out.len() < n && !out.iter().any(|&o| f.subnets[o].az == f.subnets[s].az) {
                out.push(s);
            }
        }
        for &s in &cands {
            if out.len() < n && !out.contains(&s) {
                out.push(s);
            }
        }
        out.sort_unstable();
        out
    }

    /// One to three security groups of VPC `v` with one of the wanted roles (the VPC's
    /// default group when there is none).
    fn pick_sgs(&mut self, f: &FilePlan, v: usize, roles: &[SgRole]) -> Vec<usize> {
        let cands: Vec<usize> = f.vpcs[v]
            .sgs
            .iter()
            .copied()
            .filter(|&g| !f.sgs[g].is_default && roles.contains(&f.sgs[g].role))
            .collect();
        if cands.is_empty() {
            return vec![f.vpcs[v].default_sg];
        }
        let n = match self.rng.below(100) {
            0..=69 => 1,
            70..=94 => 2,
            _ => 3,
        }
        .min(cands.len());
        let mut picked: Vec<usize> = Vec::with_capacity(n);
        while picked.len() < n {
            let g = *self.rng.pick(&cands);
            if !picked.contains(&g) {
                picked.push(g);
            }
        }
        picked
    }

    fn next_ip(&mut self, s: &mut Subnet) -> String {
        let capacity = 1u32 << (32 - u32::from(s.prefix));
        let host = 4 + (s.next_host - 4) % (capacity - 5);
        s.next_host += 1 + self.rng.below(3) as u32;
        let third = u32::from(s.base[2]) + host / 256;
        format!("{}.{}.{}.{}", s.base[0], s.base[1], third % 256, host % 256)
    }

    pub(super) fn roles(&mut self, n: usize, account: &mut Account) -> Vec<Role> {
        let mut roles = Vec::with_capacity(n);
        let mut linked: Vec<usize> = (0..SERVICE_LINKED.len()).collect();
        let mut sso: Vec<usize> = (0..SSO_SETS.len()).collect();
        self.rng.shuffle(&mut linked);
        self.rng.shuffle(&mut sso);
        for k in 0..n {
            let mut m = self.meta(Kind::Role);
            let kind = if k == 4 {
                RoleKind::Support
            } else {
                let w = [
                    if linked.is_empty() { 0 } else { 25 },
                    if sso.is_empty() { 0 } else { 14 },
                    22,
                    12,
                    9,
                    10,
                    5,
                ];
                match self.rng.weighted(&w) {
                    0 => RoleKind::ServiceLinked(linked.pop().unwrap()),
                    1 => RoleKind::Sso(sso.pop().unwrap()),
                    2 => RoleKind::LambdaExec,
                    3 => RoleKind::Ec2,
                    4 => RoleKind::EcsTask,
                    5 => RoleKind::CrossAccount,
                    _ => RoleKind::GithubOidc,
                }
            };
            let (app, env) = (m.app(), m.env());
            let name = match kind {
                RoleKind::ServiceLinked(i) => SERVICE_LINKED[i].0.to_string(),
                RoleKind::Sso(i) => {
                    format!("AWSReservedSSO_{}_{}", SSO_SETS[i].0, self.rng.hex(16))
                }
                RoleKind::LambdaExec => {
                    format!("{app}-{env}-{}-role", self.rng.pick(world::FUNCTION_VERBS))
                }
                RoleKind::Ec2 => format!("{app}-{env}-ec2-role"),
                RoleKind::EcsTask => format!("{app}-{env}-task-role"),
                RoleKind::CrossAccount => {
                    if self.names.contains("OrganizationAccountAccessRole") {
                        let purpose = self.rng.pick(&[
                            "audit",
                            "deploy",
                            "backup",
                            "monitoring",
                            "readonly",
                            "terraform",
                        ]);
                        format!("{purpose}-cross-account")
                    } else {
                        "OrganizationAccountAccessRole".to_string()
                    }
                }
                RoleKind::GithubOidc => format!("github-actions-{app}-deploy"),
                RoleKind::Support => "SupportRole".to_string(),
            };
            let name = self.unique(name);
            if matches!(
                kind,
                RoleKind::ServiceLinked(_) | RoleKind::Sso(_) | RoleKind::Support
            ) {
                // AWS-owned roles: changing them is not the account owner's misconfiguration.
                m.fails = 0;
            }
            match kind {
                RoleKind::LambdaExec => account.lambda_roles.push(name.clone()),
                RoleKind::Ec2 => account.ec2_roles.push(name.clone()),
                _ => {}
            }
            let id = self.iam_id("AROA");
            roles.push(Role {
                m,
                name,
                id,
                kind,
                policies: Vec::new(),
            });
        }
        roles
    }

    pub(super) fn policies(&mut self, n: usize, mut roles: Vec<Role>) -> (Vec<Policy>, Vec<Role>) {
        let attachable: Vec<usize> = (0..roles.len())
            .filter(|&r| {
                matches!(
                    roles[r].kind,
                    RoleKind::LambdaExec
                        | RoleKind::Ec2
                        | RoleKind::EcsTask
                        | RoleKind::GithubOidc
                        | RoleKind::CrossAccount
                )
            })
            .collect();
        let mut policies = Vec::with_capacity(n);
        for p in 0..n {
            let m = self.meta(Kind::Policy);
            let access = self.rng.index(ACCESS.len());
            let name = self.unique(format!("{}-{}-{}", m.app(), m.env(), ACCESS[access].1));
            let id = self.iam_id("ANPA");
            let mut attached = Vec::new();
            if !attachable.is_empty() {
                for _ in 0..self.rng.below(4) {
                    let r = *self.rng.pick(&attachable);
                    if !attached.contains(&r) {
                        attached.push(r);
                        roles[r].policies.push(p);
                    }
                }
            }
            attached.sort_unstable();
            policies.push(Policy {
                m,
                name,
                id,
                access,
                roles: attached,
            });
        }
        (policies, roles)
    }

    pub(super) fn users(&mut self, n: usize) -> Vec<User> {
        let mut users = Vec::with_capacity(n);
        for _ in 0..n {
            let m = self.meta(Kind::User);
            let name = if self.rng.chance(0.6) {
                self.rng.pick(world::SERVICE_USERS).to_string()
            } else {
                format!(
                    "{}.{}",
                    self.rng.pick(world::FIRST_NAMES),
                    self.rng.pick(world::LAST_NAMES)
                )
            };
            let name = self.unique(name);
            let id = self.iam_id("AIDA");
            let mut groups = vec![*self.rng.pick(world::GROUPS)];
            if self.rng.chance(0.3) {
                let g = *self.rng.pick(world::GROUPS);
                if !groups.contains(&g) {
                    groups.push(g);
                }
            }
            users.push(User {
                m,
                name,
                id,
                groups,
            });
        }
        users
    }
}
