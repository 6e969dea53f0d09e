//! EC2 and VPC resources: VPC, Subnet, SecurityGroup, Instance, NetworkInterface, Volume.

use super::{ci, rel, Ctx, Head, Tags, MULTI_AZ, NOT_APPLICABLE};
use crate::json::{arr, obj, J};
use crate::plan::{Eni, EniOwner, Instance, Mode, SgRole};
use crate::rng::{mix, Rng};
use crate::time::{gmt, iso_s, DAY, HOUR};
use crate::world::{HIGH_RISK_PORTS, INSTANCE_TYPES};

pub fn vpc(ctx: &Ctx, i: usize) -> J {
    let v = &ctx.f.vpcs[i];
    let mut r = v.m.rng();
    let tags = if v.is_default {
        Tags::none()
    } else {
        Tags::standard(&mut r, &v.m, v.name.as_deref())
    };
    let conf = obj! {
        "cidrBlock" => &v.cidr,
        "dhcpOptionsId" => &v.dopt,
        "state" => "available",
        "vpcId" => &v.id,
        "ownerId" => ctx.account(),
        "instanceTenancy" => "default",
        "ipv6CidrBlockAssociationSet" => arr![],
        "cidrBlockAssociationSet" => arr![obj! {
            "associationId" => format!("vpc-cidr-assoc-{}", r.hex(17)),
            "cidrBlock" => &v.cidr,
            "cidrBlockState" => obj! { "state" => "associated", "statusMessage" => J::Null },
        }],
        "isDefault" => v.is_default,
        "tags" => tags.list(),
    };
    let mut rels = vec![
        rel(
            "AWS::EC2::InternetGateway",
            Some(&v.igw),
            None,
            "Is attached to InternetGateway",
        ),
        rel(
            "AWS::EC2::NetworkAcl",
            Some(&v.acl),
            None,
            "Contains NetworkAcl",
        ),
        rel(
            "AWS::EC2::RouteTable",
            Some(&v.rtb),
            None,
            "Contains RouteTable",
        ),
    ];
    rels.extend(v.sgs.iter().map(|&g| {
        rel(
            "AWS::EC2::SecurityGroup",
            Some(&ctx.f.sgs[g].id),
            None,
            "Contains SecurityGroup",
        )
    }));
    rels.extend(v.subnets.iter().map(|&s| {
        rel(
            "AWS::EC2::Subnet",
            Some(&ctx.f.subnets[s].id),
            None,
            "Contains Subnet",
        )
    }));
    let head =
        Head::new("AWS::EC2::VPC", &v.id, MULTI_AZ).arn(ctx.arn("ec2", &format!("vpc/{}", v.id)));
    ci(ctx, &v.m, head, rels, conf, obj! {}, tags.map())
}

pub fn subnet(ctx: &Ctx, i: usize) -> J {
    let s = &ctx.f.subnets[i];
    let v = &ctx.f.vpcs[s.vpc];
    let mut r = s.m.rng();
    let tags = if v.is_default {
        Tags::none()
    } else {
        Tags::standard(&mut r, &s.m, s.name.as_deref())
    };
    let capacity = (1i64 << (32 - i64::from(s.prefix))) - 5;
    let used = (s.enis.len() as i64).min(capacity);
    let arn = ctx.arn("ec2", &format!("subnet/{}", s.id));
    let conf = obj! {
        "availabilityZone" => ctx.f.region.az(s.az),
        "availabilityZoneId" => ctx.f.region.az_id(s.az),
        "availableIpAddressCount" => capacity - used,
        "cidrBlock" => s.cidr(),
        "defaultForAz" => s.default_for_az,
        "enableLniAtDeviceIndex" => J::Null,
        "mapPublicIpOnLaunch" => s.m.has(Mode::SubnetMapPublicIp),
        "mapCustomerOwnedIpOnLaunch" => false,
        "customerOwnedIpv4Pool" => J::Null,
        "state" => "available",
        "subnetId" => &s.id,
        "vpcId" => &v.id,
        "ownerId" => ctx.account(),
        "assignIpv6AddressOnCreation" => false,
        "ipv6CidrBlockAssociationSet" => arr![],
        "tags" => tags.list(),
        "subnetArn" => &arn,
        "outpostArn" => J::Null,
        "enableDns64" => false,
        "ipv6Native" => false,
        "privateDnsNameOptionsOnLaunch" => obj! {
            "hostnameType" => "ip-name",
            "enableResourceNameDnsARecord" => false,
            "enableResourceNameDnsAAAARecord" => false,
        },
    };
    let mut rels: Vec<J> = s
        .instances
        .iter()
        .map(|&x| {
            rel(
                "AWS::EC2::Instance",
                Some(&ctx.f.instances[x].id),
                None,
                "Contains Instance",
            )
        })
        .collect();
    rels.push(rel(
        "AWS::EC2::NetworkAcl",
        Some(&v.acl),
        None,
        "Is attached to NetworkAcl",
    ));
    rels.extend(s.enis.iter().map(|&e| {
        rel(
            "AWS::EC2::NetworkInterface",
            Some(&ctx.f.enis[e].id),
            None,
            "Contains NetworkInterface",
        )
    }));
    rels.push(rel(
        "AWS::EC2::VPC",
        Some(&v.id),
        None,
        "Is contained in Vpc",
    ));
    let head = Head::new("AWS::EC2::Subnet", &s.id, ctx.f.region.az(s.az)).arn(arn);
    ci(ctx, &s.m, head, rels, conf, obj! {}, tags.map())
}

/// One `ipPermissions` entry. `ports` is `None` for protocol "-1".
fn perm(
    proto: &str,
    ports: Option<(i64, i64)>,
    v4: &[(&str, Option<&str>)],
    v6: &[&str],
    pairs: &[(&str, &str)],
) -> J {
    let mut p = obj! {};
    if let Some((from, _)) = ports {
        p.push("fromPort", from);
    }
    p.push("ipProtocol", proto);
    p.push(
        "ipv6Ranges",
        J::Arr(v6.iter().map(|c| obj! { "cidrIpv6" => *c }).collect()),
    );
    p.push("prefixListIds", arr![]);
    if let Some((_, to)) = ports {
        p.push("toPort", to);
    }
    p.push(
        "userIdGroupPairs",
        J::Arr(
            pairs
                .iter()
                .map(|(g, u)| obj! { "groupId" => *g, "userId" => *u })
                .collect(),
        ),
    );
    p.push(
        "ipv4Ranges",
        J::Arr(
            v4.iter()
                .map(|(c, d)| obj! { "cidrIp" => *c }.with_opt("description", *d))
                .collect(),
        ),
    );
    p.push(
        "ipRanges",
        J::Arr(v4.iter().map(|(c, _)| J::from(*c)).collect()),
    );
    p
}

fn tcp(port: i64, v4: &[(&str, Option<&str>)]) -> J {
    perm("tcp", Some((port, port)), v4, &[], &[])
}

const WORLD: &str = "0.0.0.0/0";
const WORLD6: &str = "::/0";

pub fn security_group(ctx: &Ctx, i: usize) -> J {
    let g = &ctx.f.sgs[i];
    let v = &ctx.f.vpcs[g.vpc];
    let m = &g.m;
    let mut r = m.rng();
    let acct = ctx.account();
    let peer = |role: SgRole| {
        v.sgs
            .iter()
            .map(|&x| &ctx.f.sgs[x])
            .find(|x| !x.is_default && x.role == role)
            .map(|x| x.id.as_str())
    };
    let all_out = perm("-1", None, &[(WORLD, None)], &[], &[]);
    let (description, mut ingress, mut egress) = if g.is_default {
        let rules = if m.has(Mode::DefaultSgRules) {
            (
                vec![perm("-1", None, &[], &[], &[(&g.id, acct)])],
                vec![all_out],
            )
        } else {
            (Vec::new(), Vec::new())
        };
        ("default VPC security group".to_string(), rules.0, rules.1)
    } else {
        let vpc_cidr = v.cidr.as_str();
        let ingress = match g.role {
            SgRole::Web | SgRole::Elb => {
                let mut rules = vec![perm(
                    "tcp",
                    Some((443, 443)),
                    &[(WORLD, Some("HTTPS from anywhere"))],
                    if r.chance(0.3) { &[WORLD6] } else { &[] },
                    &[],
                )];
                if r.chance(0.6) {
                    rules.push(tcp(80, &[(WORLD, Some("HTTP redirect to HTTPS"))]));
                }
                rules
            }
            SgRole::App => {
                let port = *r.pick(&[8080, 8443, 3000, 9000]);
                match peer(SgRole::Elb) {
                    Some(elb) => vec![perm("tcp", Some((port, port)), &[], &[], &[(elb, acct)])],
                    None => vec![tcp(port, &[(vpc_cidr, Some("from VPC"))])],
                }
            }
            SgRole::Db => {
                let port = *r.pick(&[5432, 3306, 1433]);
                match peer(SgRole::App) {
                    Some(app) if r.chance(0.6) => {
                        vec![perm("tcp", Some((port, port)), &[], &[], &[(app, acct)])]
                    }
                    _ => vec![tcp(port, &[(vpc_cidr, None)])],
                }
            }
            SgRole::Cache => vec![tcp(6379, &[(vpc_cidr, Some("Redis from VPC"))])],
            SgRole::Bastion => vec![tcp(
                22,
                &[
                    ("10.0.0.0/8", Some("internal")),
                    ("198.51.100.0/24", Some("Corporate VPN")),
                ],
            )],
            SgRole::Endpoint => vec![tcp(443, &[(vpc_cidr, Some("VPC endpoint HTTPS"))])],
            SgRole::Lambda => Vec::new(),
            SgRole::Misc => vec![
                tcp(22, &[("203.0.113.45/32", Some("admin workstation"))]),
                perm("icmp", Some((-1, -1)), &[("10.0.0.0/8", None)], &[], &[]),
            ],
        };
        let egress = if g.role == SgRole::Db && r.chance(0.5) {
            Vec::new()
        } else {
            vec![all_out]
        };
        let desc = match g.role {
            SgRole::Misc if g.name.starts_with("launch-wizard") => {
                format!(
                    "{} created {}",
                    g.name,
                    iso_s(m.created).replace('T', " ").trim_end_matches(".000Z")
                )
            }
            SgRole::Misc => format!("{} {} security group", m.app(), m.env()),
            role => format!("{} {} {:?} tier", m.app(), m.env(), role).to_lowercase(),
        };
        (desc, ingress, egress)
    };
    // Deliberate misconfigurations.
    if m.has(Mode::SgSshWorld) {
        ingress.push(tcp(22, &[(WORLD, Some("temporary access"))]));
    }
    if m.has(Mode::SgRdpWorld) {
        let v6: &[&str] = if r.chance(0.5) { &[WORLD6] } else { &[] };
        ingress.push(perm("tcp", Some((3389, 3389)), &[(WORLD, None)], v6, &[]));
    }
    if m.has(Mode::SgSshIpv6World) {
        ingress.push(perm("tcp", Some((22, 22)), &[], &[WORLD6], &[]));
    }
    if m.has(Mode::SgHighRiskPort) {
        let port = *r.pick(HIGH_RISK_PORTS);
        ingress.push(tcp(port, &[(WORLD, None)]));
    }
    if m.has(Mode::SgPortRange) {
        let range = *r.pick(&[(0, 65535), (20, 25), (1024, 65535), (8000, 9000)]);
        ingress.push(perm("tcp", Some(range), &[(WORLD, None)], &[], &[]));
    }
    if m.has(Mode::SgAllTraffic) {
        ingress.push(perm("-1", None, &[(WORLD, None)], &[], &[]));
    }
    if g.is_default && m.has(Mode::DefaultSgRules) && egress.is_empty() {
        egress.push(perm("-1", None, &[(WORLD, None)], &[], &[]));
    }
    let tags = if g.is_default {
        Tags::none()
    } else {
        Tags::standard(&mut r, m, None)
    };
    let conf = obj! {
        "description" => description,
        "groupName" => &g.name,
        "ipPermissions" => ingress,
        "ownerId" => acct,
        "groupId" => &g.id,
        "ipPermissionsEgress" => egress,
        "tags" => tags.list(),
        "vpcId" => &v.id,
    };
    let mut rels: Vec<J> = g
        .instances
        .iter()
        .map(|&x| {
            rel(
                "AWS::EC2::Instance",
                Some(&ctx.f.instances[x].id),
                None,
                "Is associated with Instance",
            )
        })
        .collect();
    rels.extend(g.enis.iter().map(|&e| {
        rel(
            "AWS::EC2::NetworkInterface",
            Some(&ctx.f.enis[e].id),
            None,
            "Is associated with NetworkInterface",
        )
    }));
    rels.push(rel(
        "AWS::EC2::VPC",
        Some(&v.id),
        None,
        "Is contained in Vpc",
    ));
    let head = Head::new("AWS::EC2::SecurityGroup", &g.id, NOT_APPLICABLE)
        .name(&g.name)
        .arn(ctx.arn("ec2", &format!("security-group/{}", g.id)));
    ci(ctx, m, head, rels, conf, obj! {}, tags.map())
}

fn public_ip(r: &mut Rng) -> String {
    let first = *r.pick(&[3, 18, 34, 35, 44, 52, 54]);
    format!(
        "{first}.{}.{}.{}",
        r.range(1, 254),
        r.range(0, 255),
        r.range(1, 254)
    )
}

/// The public address an instance shows (only with the `InstPublicIp` misconfiguration).
fn instance_public_ip(inst: &Instance) -> Option<String> {
    (inst.m.has(Mode::InstPublicIp) && !inst.m.has(Mode::InstStopped))
        .then(|| public_ip(&mut Rng::new(mix(inst.m.seed, 0x1B))))
}

/// The public address an interface carries, and whether it is an Elastic IP.
fn eni_public_ip(ctx: &Ctx, eni: &Eni) -> Option<(String, bool)> {
    let mut r = Rng::new(mix(eni.m.seed, 0x1C));
    match eni.owner {
        EniOwner::Instance(i, 0) => instance_public_ip(&ctx.f.instances[i]).map(|ip| (ip, false)),
        EniOwner::Elb(l) if !ctx.f.elbs[l].internal => Some((public_ip(&mut r), false)),
        EniOwner::Rds(d) if ctx.f.rds[d].m.has(Mode::RdsPublic) => Some((public_ip(&mut r), false)),
        EniOwner::Nat => Some((public_ip(&mut r), true)),
        _ => None,
    }
}

fn mac(eni: &Eni) -> String {
    let mut r = Rng::new(mix(eni.m.seed, 0x3AC));
    let b: Vec<String> = (0..5).map(|_| r.hex(2)).collect();
    format!("02:{}", b.join(":"))
}

fn attachment_id(eni: &Eni) -> String {
    let mut r = Rng::new(mix(eni.m.seed, 0xA77));
    let prefix = if matches!(eni.owner, EniOwner::Instance(..)) {
        "eni-attach"
    } else {
        "ela-attach"
    };
    format!("{prefix}-{}", r.hex(17))
}

fn group_refs(ctx: &Ctx, sgs: &[usize]) -> J {
    J::Arr(
        sgs.iter()
            .map(|&g| obj! { "groupName" => &ctx.f.sgs[g].name, "groupId" => &ctx.f.sgs[g].id })
            .collect(),
    )
}

fn association(ctx: &Ctx, ip: &str, elastic: bool, r: &mut Rng) -> J {
    let mut a = obj! {};
    if elastic {
        a.push("allocationId", format!("eipalloc-{}", r.hex(17)));
        a.push("associationId", format!("eipassoc-{}", r.hex(17)));
    }
    a.with("carrierIp", J::Null)
        .with("customerOwnedIp", J::Null)
        .with(
            "ipOwnerId",
            if elastic {
                ctx.account().to_string()
            } else {
                "amazon".to_string()
            },
        )
        .with("publicDnsName", ctx.f.region.public_dns(ip))
        .with("publicIp", ip)
}

pub fn instance(ctx: &Ctx, i: usize) -> J {
    let inst = &ctx.f.instances[i];
    let m = &inst.m;
    let mut r = m.rng();
    let region = ctx.f.region;
    let subnet = &ctx.f.subnets[inst.subnet];
    let vpc = &ctx.f.vpcs[inst.vpc];
    let az = region.az(subnet.az);
    let &(itype, vcpus, arm) = r.pick_weighted(INSTANCE_TYPES);
    let primary_ip = inst
        .enis
        .first()
        .map(|&e| ctx.f.enis[e].ip.clone())
        .unwrap_or_default();
    let stopped = m.has(Mode::InstStopped);
    let public = instance_public_ip(inst);
    let launch = iso_s(m.created);
    let tags = Tags::standard(&mut r, m, Some(&inst.name));
    let (state, reason, state_reason) = if stopped {
        let when = ctx.f.snapshot_ms - r.range(35, 300) * DAY - r.range(0, 23) * HOUR;
        (
            obj! { "code" => 80, "name" => "stopped" },
            format!("User initiated ({})", gmt(when)),
            obj! { "code" => "Client.UserInitiatedShutdown", "message" => "Client.UserInitiatedShutdown: User initiated shutdown" },
        )
    } else {
        (
            obj! { "code" => 16, "name" => "running" },
            String::new(),
            J::Null,
        )
    };
    let mut nis = Vec::new();
    for &e in &inst.enis {
        let eni = &ctx.f.enis[e];
        let EniOwner::Instance(_, dev) = eni.owner else {
            continue;
        };
        let pub_ip = eni_public_ip(ctx, eni);
        let assoc = pub_ip
            .as_ref()
            .map(|(ip, el)| association(ctx, ip, *el, &mut r));
        let dns = region.private_dns(&eni.ip);
        nis.push(
            obj! {}
                .with_opt("association", assoc.clone())
                .with(
                    "attachment",
                    obj! {
                        "attachTime" => iso_s(eni.m.created),
                        "attachmentId" => attachment_id(eni),
                        "deleteOnTermination" => dev == 0,
                        "deviceIndex" => dev,
                        "status" => "attached",
                        "networkCardIndex" => 0,
                    },
                )
                .with(
                    "description",
                    if dev == 0 { "" } else { "secondary interface" },
                )
                .with("groups", group_refs(ctx, &eni.sgs))
                .with("ipv6Addresses", arr![])
                .with("macAddress", mac(eni))
                .with("networkInterfaceId", &eni.id)
                .with("ownerId", ctx.account())
                .with("privateDnsName", dns.clone())
                .with("privateIpAddress", &eni.ip)
                .with(
                    "privateIpAddresses",
                    arr![obj! {}
                        .with_opt("association", assoc)
                        .with("primary", true)
                        .with("privateDnsName", dns)
                        .with("privateIpAddress", &eni.ip)],
                )
                .with("sourceDestCheck", true)
                .with("status", "in-use")
                .with("subnetId", &ctx.f.subnets[eni.subnet].id)
                .with("vpcId", &vpc.id)
                .with("interfaceType", "interface")
                .with("ipv4Prefixes", arr![])
                .with("ipv6Prefixes", arr![]),
        );
    }
    let bdm: Vec<J> = inst
        .volumes
        .iter()
        .map(|(v, dev)| {
            let vol = &ctx.f.volumes[*v];
            let root = vol.attachment.as_ref().is_some_and(|a| a.2);
            obj! {
                "deviceName" => dev,
                "ebs" => obj! {
                    "attachTime" => iso_s(vol.m.created),
                    "deleteOnTermination" => root,
                    "status" => "attached",
                    "volumeId" => &vol.id,
                },
            }
        })
        .collect();
    let sgs = group_refs(ctx, &inst.sgs);
    let imds_required = !m.has(Mode::InstImdsV1);
    let root_dev = if inst.windows {
        "/dev/sda1"
    } else {
        "/dev/xvda"
    };
    let profile = inst.profile_role.as_ref().map(|role| {
        obj! {
            "arn" => format!("arn:aws:iam::{}:instance-profile/{role}", ctx.account()),
            "id" => format!("AIPA{}", r.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 17)),
        }
    });
    let conf = obj! {
        "amiLaunchIndex" => 0,
        "imageId" => format!("ami-{}", r.hex(17)),
        "instanceId" => &inst.id,
        "instanceType" => itype,
        "kernelId" => J::Null,
        "keyName" => if r.chance(0.6) { J::from(format!("{}-{}-key", m.app(), m.env())) } else { J::Null },
        "launchTime" => &launch,
        "monitoring" => obj! { "state" => if r.chance(0.3) { "enabled" } else { "disabled" } },
        "placement" => obj! {
            "availabilityZone" => &az,
            "affinity" => J::Null,
            "groupName" => "",
            "partitionNumber" => J::Null,
            "hostId" => J::Null,
            "tenancy" => "default",
            "spreadDomain" => J::Null,
            "hostResourceGroupArn" => J::Null,
        },
        "platform" => if inst.windows { J::from("windows") } else { J::Null },
        "privateDnsName" => region.private_dns(&primary_ip),
        "privateIpAddress" => &primary_ip,
        "productCodes" => arr![],
        "publicDnsName" => public.as_ref().map(|ip| region.public_dns(ip)).unwrap_or_default(),
    };
    let conf = conf
        .with_opt("publicIpAddress", public.clone())
        .with("ramdiskId", J::Null)
        .with("state", state)
        .with("stateTransitionReason", reason)
        .with("subnetId", &subnet.id)
        .with("vpcId", &vpc.id)
        .with("architecture", if arm { "arm64" } else { "x86_64" })
        .with("blockDeviceMappings", bdm)
        .with("clientToken", r.uuid())
        .with("ebsOptimized", true)
        .with("enaSupport", true)
        .with("hypervisor", "xen")
        .with_opt("iamInstanceProfile", profile)
        .with("instanceLifecycle", J::Null)
        .with("elasticGpuAssociations", arr![])
        .with("elasticInferenceAcceleratorAssociations", arr![])
        .with("networkInterfaces", nis)
        .with("outpostArn", J::Null)
        .with("rootDeviceName", root_dev)
        .with("rootDeviceType", "ebs")
        .with("securityGroups", sgs)
        .with("sourceDestCheck", true)
        .with("spotInstanceRequestId", J::Null)
        .with("sriovNetSupport", J::Null)
        .with("stateReason", state_reason)
        .with("tags", tags.list())
        .with("virtualizationType", "hvm")
        .with("cpuOptions", obj! { "coreCount" => vcpus / 2, "threadsPerCore" => if arm { 1 } else { 2 } })
        .with("capacityReservationId", J::Null)
        .with(
            "capacityReservationSpecification",
            obj! { "capacityReservationPreference" => "open", "capacityReservationTarget" => J::Null },
        )
        .with("hibernationOptions", obj! { "configured" => false })
        .with("licenses", arr![])
        .with(
            "metadataOptions",
            obj! {
                "state" => "applied",
                "httpTokens" => if imds_required { "required" } else { "optional" },
                "httpPutResponseHopLimit" => if imds_required { 2 } else { 1 },
                "httpEndpoint" => "enabled",
                "httpProtocolIpv6" => "disabled",
                "instanceMetadataTags" => "disabled",
            },
        )
        .with("enclaveOptions", obj! { "enabled" => false })
        .with("bootMode", J::Null)
        .with("platformDetails", if inst.windows { "Windows" } else { "Linux/UNIX" })
        .with("usageOperation", if inst.windows { "RunInstances:0002" } else { "RunInstances" })
        .with("usageOperationUpdateTime", &launch)
        .with(
            "privateDnsNameOptions",
            obj! {
                "hostnameType" => "ip-name",
                "enableResourceNameDnsARecord" => false,
                "enableResourceNameDnsAAAARecord" => false,
            },
        )
        .with("ipv6Address", J::Null)
        .with("tpmSupport", J::Null)
        .with("maintenanceOptions", obj! { "autoRecovery" => "default" })
        .with("currentInstanceBootMode", if arm { "uefi" } else { "legacy-bios" });
    let mut rels: Vec<J> = inst
        .enis
        .iter()
        .map(|&e| {
            rel(
                "AWS::EC2::NetworkInterface",
                Some(&ctx.f.enis[e].id),
                None,
                "Contains NetworkInterface",
            )
        })
        .collect();
    rels.extend(inst.sgs.iter().map(|&g| {
        rel(
            "AWS::EC2::SecurityGroup",
            Some(&ctx.f.sgs[g].id),
            None,
            "Is associated with SecurityGroup",
        )
    }));
    rels.push(rel(
        "AWS::EC2::Subnet",
        Some(&subnet.id),
        None,
        "Is contained in Subnet",
    ));
    rels.extend(inst.volumes.iter().map(|(v, _)| {
        rel(
            "AWS::EC2::Volume",
            Some(&ctx.f.volumes[*v].id),
            None,
            "Is attached to Volume",
        )
    }));
    rels.push(rel(
        "AWS::EC2::VPC",
        Some(&vpc.id),
        None,
        "Is contained in Vpc",
    ));
    let head = Head::new("AWS::EC2::Instance", &inst.id, az)
        .arn(ctx.arn("ec2", &format!("instance/{}", inst.id)));
    ci(ctx, m, head, rels, conf, obj! {}, tags.map())
}

pub fn network_interface(ctx: &Ctx, i: usize) -> J {
    let eni = &ctx.f.enis[i];
    let m = &eni.m;
    let mut r = m.rng();
    let region = ctx.f.region;
    let subnet = &ctx.f.subnets[eni.subnet];
    let vpc = &ctx.f.vpcs[subnet.vpc];
    let az = region.az(subnet.az);
    let attach = |owner_id: &str, instance: Option<&str>, dev: u32, dot: bool| {
        obj! {
            "attachTime" => iso_s(m.created),
            "attachmentId" => attachment_id(eni),
            "deleteOnTermination" => dot,
            "deviceIndex" => dev,
            "networkCardIndex" => 0,
        }
        .with_opt("instanceId", instance)
        .with("instanceOwnerId", owner_id)
        .with("status", "attached")
    };
    let (description, itype, requester, attachment, status) = match eni.owner {
        EniOwner::Instance(x, dev) => (
            if dev == 0 {
                String::new()
            } else {
                "secondary interface".into()
            },
            "interface",
            None,
            Some(attach(
                ctx.account(),
                Some(&ctx.f.instances[x].id),
                dev,
                dev == 0,
            )),
            "in-use",
        ),
        EniOwner::Elb(l) => {
            let elb = &ctx.f.elbs[l];
            let kind = if elb.network { "net" } else { "app" };
            (
                format!("ELB {kind}/{}/{}", elb.name, elb.hex),
                if elb.network {
                    "network_load_balancer"
                } else {
                    "interface"
                },
                Some("amazon-elb".to_string()),
                Some(attach("amazon-elb", None, 1, false)),
                "in-use",
            )
        }
        EniOwner::Rds(_) => (
            "RDSNetworkInterface".into(),
            "interface",
            Some("amazon-rds".to_string()),
            Some(attach("amazon-rds", None, 1, false)),
            "in-use",
        ),
        EniOwner::Lambda(l) => {
            let fun = &ctx.f.lambdas[l];
            (
                format!("AWS Lambda VPC ENI-{}-{}", fun.name, r.uuid()),
                "lambda",
                Some(format!(
                    "AROA{}:{}",
                    r.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 17),
                    fun.name
                )),
                Some(attach("amazon-aws", None, 1, false)),
                "in-use",
            )
        }
        EniOwner::Endpoint => (
            format!("VPC Endpoint Interface vpce-{}", r.hex(17)),
            "vpc_endpoint",
            Some(format!("{}", r.range(100_000_000_000, 999_999_999_999))),
            None,
            "in-use",
        ),
        EniOwner::Nat => (
            format!("Interface for NAT Gateway nat-{}", r.hex(17)),
            "nat_gateway",
            Some(format!("{}", r.range(100_000_000_000, 999_999_999_999))),
            None,
            "in-use",
        ),
        EniOwner::Unattached => (
            format!("{} {} spare interface", m.app(), m.env()),
            "interface",
            None,
            None,
            "available",
        ),
    };
    let pub_ip = eni_public_ip(ctx, eni);
    let assoc = pub_ip
        .as_ref()
        .map(|(ip, el)| association(ctx, ip, *el, &mut r));
    let dns = region.private_dns(&eni.ip);
    let conf = obj! {}
        .with_opt("association", assoc.clone())
        .with_opt("attachment", attachment)
        .with("availabilityZone", &az)
        .with("description", description)
        .with("groups", group_refs(ctx, &eni.sgs))
        .with("interfaceType", itype)
        .with("ipv6Addresses", arr![])
        .with("macAddress", mac(eni))
        .with("networkInterfaceId", &eni.id)
        .with("outpostArn", J::Null)
        .with("ownerId", ctx.account())
        .with("privateDnsName", dns.clone())
        .with("privateIpAddress", &eni.ip)
        .with(
            "privateIpAddresses",
            arr![obj! {}
                .with_opt("association", assoc)
                .with("primary", true)
                .with("privateDnsName", dns)
                .with("privateIpAddress", &eni.ip)],
        )
        .with("ipv4Prefixes", arr![])
        .with("ipv6Prefixes", arr![])
        .with("requesterId", requester.clone())
        .with("requesterManaged", requester.is_some())
        .with("sourceDestCheck", !matches!(eni.owner, EniOwner::Nat))
        .with("status", status)
        .with("subnetId", &subnet.id)
        .with("tagSet", arr![])
        .with("vpcId", &vpc.id)
        .with("ipv6Native", false);
    let mut rels = Vec::new();
    if let EniOwner::Instance(x, _) = eni.owner {
        rels.push(rel(
            "AWS::EC2::Instance",
            Some(&ctx.f.instances[x].id),
            None,
            "Is attached to Instance",
        ));
    }
    rels.extend(eni.sgs.iter().map(|&g| {
        rel(
            "AWS::EC2::SecurityGroup",
            Some(&ctx.f.sgs[g].id),
            None,
            "Is associated with SecurityGroup",
        )
    }));
    rels.push(rel(
        "AWS::EC2::Subnet",
        Some(&subnet.id),
        None,
        "Is contained in Subnet",
    ));
    rels.push(rel(
        "AWS::EC2::VPC",
        Some(&vpc.id),
        None,
        "Is contained in Vpc",
    ));
    let head = Head::new("AWS::EC2::NetworkInterface", &eni.id, az)
        .arn(ctx.arn("ec2", &format!("network-interface/{}", eni.id)));
    ci(ctx, m, head, rels, conf, obj! {}, obj! {})
}

pub fn volume(ctx: &Ctx, i: usize) -> J {
    let vol = &ctx.f.volumes[i];
    let m = &vol.m;
    let mut r = m.rng();
    let az = ctx.f.region.az(vol.az);
    let root = vol.attachment.as_ref().is_some_and(|a| a.2);
    let windows = vol
        .attachment
        .as_ref()
        .is_some_and(|a| ctx.f.instances[a.0].windows);
    let size: i64 = if root {
        if windows {
            *r.pick(&[50, 60, 100])
        } else {
            *r.pick(&[8, 8, 20, 30, 50])
        }
    } else {
        *r.pick(&[50, 100, 100, 200, 250, 500, 1000, 2000])
    };
    let vtype = *r.pick_weighted(&[(14, "gp3"), (4, "gp2"), (1, "io2"), (1, "st1")]);
    let iops: J = match vtype {
        "gp3" => J::Int(3000),
        "gp2" => J::Int((size * 3).clamp(100, 16_000)),
        "io2" => J::Int(*r.pick(&[4000, 8000, 16_000])),
        _ => J::Null,
    };
    let encrypted = !m.has(Mode::VolUnencrypted);
    let attachments: Vec<J> = vol
        .attachment
        .iter()
        .map(|(x, dev, root)| {
            obj! {
                "attachTime" => iso_s(m.created),
                "device" => dev,
                "instanceId" => &ctx.f.instances[*x].id,
                "state" => "attached",
                "volumeId" => &vol.id,
                "deleteOnTermination" => *root,
            }
        })
        .collect();
    let tags = match &vol.attachment {
        Some((x, _, _)) => Tags::standard(&mut r, m, Some(&ctx.f.instances[*x].name)),
        None => Tags::standard(&mut r, m, None),
    };
    let mut conf = obj! {
        "attachments" => attachments,
        "availabilityZone" => &az,
        "createTime" => iso_s(m.created),
        "encrypted" => encrypted,
    };
    if encrypted {
        let prefer_cmk = r.chance(0.4);
        conf.push("kmsKeyId", ctx.kms_key("ebs", r.next_u64(), prefer_cmk));
    }
    let conf = conf
        .with("outpostArn", J::Null)
        .with("size", size)
        .with(
            "snapshotId",
            if root {
                format!("snap-{}", r.hex(17))
            } else {
                String::new()
            },
        )
        .with(
            "state",
            if vol.attachment.is_some() {
                "in-use"
            } else {
                "available"
            },
        )
        .with("volumeId", &vol.id)
        .with("iops", iops)
        .with("tags", tags.list())
        .with("volumeType", vtype)
        .with("fastRestored", J::Null)
        .with("multiAttachEnabled", false)
        .with(
            "throughput",
            if vtype == "gp3" { J::Int(125) } else { J::Null },
        )
        .with("sseType", J::Null);
    let rels: Vec<J> = vol
        .attachment
        .iter()
        .map(|(x, _, _)| {
            rel(
                "AWS::EC2::Instance",
                Some(&ctx.f.instances[*x].id),
                None,
                "Is attached to Instance",
            )
        })
        .collect();
    let head = Head::new("AWS::EC2::Volume", &vol.id, az)
        .arn(ctx.arn("ec2", &format!("volume/{}", vol.id)));
    ci(ctx, m, head, rels, conf, obj! {}, tags.map())
}
