//! EC2: `aws_security_group` (its inline rules and the rule resources folded in),
//! `aws_instance` (and the volumes its block devices create), `aws_ebs_volume` (with its
//! `aws_volume_attachment`s), as the items AWS Config records.

use super::attrs::{
    self, block, blocks, get, is_placeholder, known_bool, known_str, known_strings, later,
    name_str, tag_list, Block,
};
use super::plan::{Action, Instance};
use super::Ctx;
use crate::model::template::{unknown, Resource};
use serde_json::{json, Map, Value};

// ---------------------------------------------------------------------------------------
// Security groups

/// One security group: its inline `ingress`/`egress` blocks and every
/// `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule` and `_egress_rule` of
/// the plan that names it, grouped by protocol and ports as EC2 (and so AWS Config)
/// groups permissions.
///
/// On create, inline rules the configuration leaves unset are unknown in the plan (the
/// provider reads them back); a new group then has no ingress and, since Terraform removes
/// the allow-all egress rule AWS adds to a new VPC group, no egress but what the plan adds.
pub(crate) fn security_group(
    ctx: &Ctx,
    group: &Instance,
    companions: &[&Instance],
) -> Vec<Resource> {
    let v = &group.values;
    let mut resource = ctx.resource(group, "AWS::EC2::SecurityGroup");
    resource.name = name_str(v, "name").map(str::to_string);
    resource.arn = known_str(v, "arn").map(str::to_string);
    let group_id = attrs::or_later(group, "id");
    let owner = match get(v, "owner_id").filter(|o| !is_placeholder(o)) {
        Some(owner) => owner.clone(),
        None => ctx
            .account()
            .map_or_else(|| later(group, "owner_id"), |a| json!(a)),
    };
    let mut ingress = Permissions::default();
    let mut egress = Permissions::default();
    inline_rules(group, "ingress", &group_id, &mut ingress);
    inline_rules(group, "egress", &group_id, &mut egress);
    for rule in companions {
        let (direction, permission) = match rule.resource_type() {
            "aws_security_group_rule" => rule_resource(rule, &group_id),
            kind => vpc_rule(rule, kind),
        };
        match direction.as_deref() {
            Some("ingress") => ingress.add(permission),
            Some("egress") => egress.add(permission),
            // A rule whose direction is unknown: unknown which list it joins.
            _ => {
                let p = later(rule, "type");
                ingress.unknown = Some(p.clone());
                egress.unknown = Some(p);
            }
        }
    }
    resource.configuration = json!({
        "description": attrs::copy(v, "description"),
        "groupName": attrs::or_later(group, "name"),
        "groupId": group_id,
        "ownerId": owner,
        "vpcId": attrs::or_later(group, "vpc_id"),
        "ipPermissions": ingress.into_value(),
        "ipPermissionsEgress": egress.into_value(),
        "tags": tag_list(&attrs::tags(v)),
    });
    resource.relationships = users_of_group(ctx, group);
    vec![resource]
}

/// Permissions keyed by (protocol, from port, to port).
#[derive(Default)]
struct Permissions {
    list: Vec<(String, Value)>,
    /// The whole list is unknown (an existing group's rules the plan does not know).
    unknown: Option<Value>,
}

impl Permissions {
    fn add(&mut self, permission: Value) {
        let key = json!([
            permission["ipProtocol"],
            permission.get("fromPort"),
            permission.get("toPort")
        ])
        .to_string();
        match self.list.iter_mut().find(|(k, _)| *k == key) {
            Some((_, existing)) => {
                for field in [
                    "ipv4Ranges",
                    "ipRanges",
                    "ipv6Ranges",
                    "prefixListIds",
                    "userIdGroupPairs",
                ] {
                    let add = permission[field].as_array().cloned().unwrap_or_default();
                    if let Some(list) = existing[field].as_array_mut() {
                        for item in add {
                            if !list.contains(&item) {
                                list.push(item);
                            }
                        }
                    }
                }
            }
            None => self.list.push((key, permission)),
        }
    }

    fn into_value(self) -> Value {
        match self.unknown {
            Some(p) => p,
            None => Value::Array(self.list.into_iter().map(|(_, p)| p).collect()),
        }
    }
}

/// EC2's protocol names: numbers for all but tcp, udp, icmp, icmpv6; `-1` for all.
fn protocol(value: Value) -> Value {
    attrs::map_known(value, |p| {
        let text = match p {
            Value::Number(n) => n.to_string(),
            other => other.as_str().unwrap_or_default().to_ascii_lowercase(),
        };
        json!(match text.as_str() {
            "6" => "tcp",
            "17" => "udp",
            "1" => "icmp",
            "58" => "icmpv6",
            "all" => "-1",
            other => other,
        })
    })
}

/// One permission; `ranges` holds the sources (`cidr_ipv4`, ...) already as item values.
struct Sources {
    v4: Vec<Value>,
    v6: Vec<Value>,
    prefix_lists: Vec<Value>,
    groups: Vec<Value>,
}

fn permission(
    proto: Value,
    from: Value,
    to: Value,
    sources: Sources,
    description: &Value,
) -> Value {
    let proto = protocol(proto);
    let described = |mut entry: Value| {
        if !description.is_null() && description.as_str() != Some("") {
            entry["description"] = description.clone();
        }
        entry
    };
    let mut p = json!({
        "ipProtocol": proto,
        "ipv4Ranges": sources.v4.iter().map(|c| described(json!({"cidrIp": c}))).collect::<Vec<_>>(),
        "ipRanges": sources.v4,
        "ipv6Ranges": sources.v6.iter().map(|c| described(json!({"cidrIpv6": c}))).collect::<Vec<_>>(),
        "prefixListIds": sources.prefix_lists.iter().map(|id| described(json!({"prefixListId": id}))).collect::<Vec<_>>(),
        "userIdGroupPairs": sources.groups.iter().map(|g| described(json!({"groupId": g}))).collect::<Vec<_>>(),
    });
    // EC2 records no ports for all traffic.
    if p["ipProtocol"] != "-1" {
        p["fromPort"] = from;
        p["toPort"] = to;
    }
    p
}

/// The items of a list attribute: each element, or the whole placeholder as one element
/// (some sources unknown).
fn items(values: &Value, key: &str) -> Vec<Value> {
    match attrs::list(values, key) {
        Value::Array(items) => items.into_iter().filter(|i| !i.is_null()).collect(),
        other => vec![other],
    }
}

fn one(values: &Value, key: &str) -> Vec<Value> {
    match get(values, key) {
        Some(Value::String(s)) if s.is_empty() => Vec::new(),
        Some(v) => vec![v.clone()],
        None => Vec::new(),
    }
}

fn inline_rules(group: &Instance, key: &str, group_id: &Value, into: &mut Permissions) {
    match blocks(&group.values, key) {
        Ok(rules) => {
            for rule in rules {
                if is_placeholder(rule) {
                    into.unknown = Some(rule.clone());
                    continue;
                }
                let mut groups = items(rule, "security_groups");
                if self_rule(rule) {
                    groups.push(group_id.clone());
                }
                let sources = Sources {
                    v4: items(rule, "cidr_blocks"),
                    v6: items(rule, "ipv6_cidr_blocks"),
                    prefix_lists: items(rule, "prefix_list_ids"),
                    groups,
                };
                into.add(permission(
                    attrs::copy(rule, "protocol"),
                    attrs::copy(rule, "from_port"),
                    attrs::copy(rule, "to_port"),
                    sources,
                    &attrs::copy(rule, "description"),
                ));
            }
        }
        Err(p) => {
            if group.action == Action::Keep {
                into.unknown = Some(p.clone());
            }
        }
    }
}

fn self_rule(rule: &Value) -> bool {
    known_bool(rule, "self") == Some(true)
}

/// An `aws_security_group_rule`: its direction (`type`) and permission.
fn rule_resource(rule: &Instance, group_id: &Value) -> (Option<String>, Value) {
    let v = &rule.values;
    // `self` and `source_security_group_id` exclude each other; with `self` the provider
    // computes the latter as the group itself.
    let groups = if self_rule(v) {
        vec![group_id.clone()]
    } else {
        one(v, "source_security_group_id")
    };
    let sources = Sources {
        v4: items(v, "cidr_blocks"),
        v6: items(v, "ipv6_cidr_blocks"),
        prefix_lists: items(v, "prefix_list_ids"),
        groups,
    };
    let permission = permission(
        attrs::copy(v, "protocol"),
        attrs::copy(v, "from_port"),
        attrs::copy(v, "to_port"),
        sources,
        &attrs::copy(v, "description"),
    );
    (known_str(v, "type").map(str::to_string), permission)
}

/// An `aws_vpc_security_group_ingress_rule` or `_egress_rule`: one source each.
fn vpc_rule(rule: &Instance, kind: &str) -> (Option<String>, Value) {
    let v = &rule.values;
    let sources = Sources {
        v4: one(v, "cidr_ipv4"),
        v6: one(v, "cidr_ipv6"),
        prefix_lists: one(v, "prefix_list_id"),
        groups: one(v, "referenced_security_group_id"),
    };
    let permission = permission(
        attrs::copy(v, "ip_protocol"),
        attrs::copy(v, "from_port"),
        attrs::copy(v, "to_port"),
        sources,
        &attrs::copy(v, "description"),
    );
    let direction = if kind.ends_with("_ingress_rule") {
        "ingress"
    } else {
        "egress"
    };
    (Some(direction.to_string()), permission)
}

/// Where other resources of the plan name a security group: instances (directly) and what
/// attaches through a network interface AWS creates for it (load balancers, functions in a
/// VPC, databases, ...). AWS Config relates the group to those.
const GROUP_USERS: &[(&str, &[&str])] = &[
    ("aws_instance", &["vpc_security_group_ids"]),
    ("aws_instance", &["security_groups"]),
    ("aws_network_interface", &["security_groups"]),
    ("aws_lb", &["security_groups"]),
    ("aws_alb", &["security_groups"]),
    ("aws_lambda_function", &["vpc_config", "security_group_ids"]),
    ("aws_db_instance", &["vpc_security_group_ids"]),
    ("aws_rds_cluster", &["vpc_security_group_ids"]),
    ("aws_elasticache_cluster", &["security_group_ids"]),
    ("aws_elasticache_replication_group", &["security_group_ids"]),
    ("aws_efs_mount_target", &["security_groups"]),
    ("aws_vpc_endpoint", &["security_group_ids"]),
    (
        "aws_ecs_service",
        &["network_configuration", "security_groups"],
    ),
    ("aws_eks_cluster", &["vpc_config", "security_group_ids"]),
    ("aws_redshift_cluster", &["vpc_security_group_ids"]),
    (
        "aws_opensearch_domain",
        &["vpc_options", "security_group_ids"],
    ),
    (
        "aws_elasticsearch_domain",
        &["vpc_options", "security_group_ids"],
    ),
    ("aws_mq_broker", &["security_groups"]),
];

fn users_of_group(ctx: &Ctx, group: &Instance) -> Vec<Value> {
    let id = known_str(&group.values, "id");
    let mut relationships = Vec::new();
    for user in ctx.instances {
        let uses = GROUP_USERS.iter().any(|(kind, path)| {
            *kind == user.resource_type()
                && (id.is_some_and(|id| holds(&user.values, path, id))
                    || ctx
                        .referenced(user, path, &["aws_security_group"])
                        .iter()
                        .any(|g| g.address == group.address))
        });
        if !uses {
            continue;
        }
        let relationship = match user.resource_type() {
            "aws_instance" => json!({
                "resourceType": "AWS::EC2::Instance",
                "resourceId": user.address,
                "resourceName": null,
                "name": "Is associated with Instance",
            }),
            "aws_network_interface" => json!({
                "resourceType": "AWS::EC2::NetworkInterface",
                "resourceId": known_str(&user.values, "id").map_or_else(|| json!(user.address), |id| json!(id)),
                "resourceName": null,
                "name": "Is associated with NetworkInterface",
            }),
            _ => json!({
                "resourceType": "AWS::EC2::NetworkInterface",
                "resourceId": unknown(&format!("known after apply: the network interface {} attaches", user.address)),
                "resourceName": null,
                "name": "Is associated with NetworkInterface",
            }),
        };
        if !relationships.contains(&relationship) {
            relationships.push(relationship);
        }
    }
    relationships
}

/// Whether the known strings at `path` (through nested blocks) include `id`.
fn holds(values: &Value, path: &[&str], id: &str) -> bool {
    match path {
        [] => false,
        [last] => known_strings(values, last).contains(&id),
        [first, rest @ ..] => match blocks(values, first) {
            Ok(list) => list.iter().any(|b| holds(b, rest, id)),
            Err(_) => false,
        },
    }
}

// ---------------------------------------------------------------------------------------
// Instances

/// Instance types that can run paravirtual AMIs (previous generation); every other type
/// runs HVM AMIs only (EC2 User Guide, "Linux AMI virtualization types").
const PARAVIRTUAL_FAMILIES: &[&str] = &[
    "t1", "m1", "m2", "m3", "c1", "c3", "hi1", "hs1", "cc2", "cr1", "cg1",
];

/// An instance, and a volume item for each block device it creates.
pub(crate) fn instance(ctx: &Ctx, instance: &Instance, _: &[&Instance]) -> Vec<Resource> {
    let v = &instance.values;
    let mut resource = ctx.resource(instance, "AWS::EC2::Instance");
    resource.name = known_str(v, "id").map(str::to_string);
    resource.arn = known_str(v, "arn").map(str::to_string);
    let security_groups = match attrs::list(v, "vpc_security_group_ids") {
        Value::Array(ids) => {
            Value::Array(ids.into_iter().map(|id| json!({"groupId": id})).collect())
        }
        p => p,
    };
    resource.configuration = json!({
        "instanceId": attrs::or_later(instance, "id"),
        "imageId": attrs::copy(v, "ami"),
        "instanceType": attrs::copy(v, "instance_type"),
        "state": state(instance),
        "metadataOptions": metadata_options(instance),
        "publicIpAddress": public_ip(instance),
        "privateIpAddress": attrs::or_later(instance, "private_ip"),
        "subnetId": attrs::or_later(instance, "subnet_id"),
        "securityGroups": security_groups,
        "networkInterfaces": network_interfaces(instance),
        "virtualizationType": virtualization(instance),
        "monitoring": {"state": attrs::map_known(attrs::or(v, "monitoring", json!(false)), |m| {
            json!(if m.as_bool() == Some(true) { "enabled" } else { "disabled" })
        })},
        "ebsOptimized": attrs::copy(v, "ebs_optimized"),
        "tags": tag_list(&attrs::tags(v)),
    });
    let mut resources = vec![resource];
    resources.extend(block_device_volumes(ctx, instance));
    resources
}

/// Terraform waits for a new instance to be running; an existing one is as its state says.
fn state(instance: &Instance) -> Value {
    let name = match instance.action {
        Action::Create => json!("running"),
        Action::Keep => attrs::or_later(instance, "instance_state"),
    };
    attrs::map_known(name, |n| {
        let code = match n.as_str().unwrap_or_default() {
            "pending" => 0,
            "running" => 16,
            "shutting-down" => 32,
            "terminated" => 48,
            "stopping" => 64,
            "stopped" => 80,
            _ => return json!({"name": n}),
        };
        json!({"code": code, "name": n})
    })
}

/// `metadata_options`: unset settings are unknown, since the AMI and the account's
/// instance metadata defaults decide them.
fn metadata_options(instance: &Instance) -> Value {
    match block(&instance.values, "metadata_options") {
        Block::Set(o) => json!({
            "state": "applied",
            "httpTokens": get(o, "http_tokens")
                .cloned()
                .unwrap_or_else(|| later(instance, "metadata_options[0].http_tokens")),
            "httpEndpoint": attrs::copy(o, "http_endpoint"),
            "httpPutResponseHopLimit": attrs::copy(o, "http_put_response_hop_limit"),
            "instanceMetadataTags": attrs::copy(o, "instance_metadata_tags"),
        }),
        Block::Unknown(p) => json!({"httpTokens": p}),
        Block::Unset => json!({"httpTokens": later(instance, "metadata_options[0].http_tokens")}),
    }
}

/// No public IPv4 address when the plan says not to associate one; else the one AWS
/// assigns (or not, as the subnet decides) is known after apply.
fn public_ip(instance: &Instance) -> Value {
    if known_bool(&instance.values, "associate_public_ip_address") == Some(false) {
        return Value::Null;
    }
    match get(&instance.values, "public_ip") {
        Some(Value::String(ip)) if ip.is_empty() => Value::Null,
        Some(ip) => ip.clone(),
        None => match instance.action {
            Action::Keep => Value::Null,
            Action::Create => later(instance, "public_ip"),
        },
    }
}

fn network_interfaces(instance: &Instance) -> Value {
    match blocks(&instance.values, "network_interface") {
        Ok(list) if !list.is_empty() => Value::Array(
            list.into_iter()
                .map(|eni| {
                    json!({
                        "networkInterfaceId": attrs::copy(eni, "network_interface_id"),
                        "attachment": {"deviceIndex": attrs::copy(eni, "device_index")},
                    })
                })
                .collect(),
        ),
        _ => json!([{
            "networkInterfaceId": attrs::or_later(instance, "primary_network_interface_id"),
            "attachment": {"deviceIndex": 0},
        }]),
    }
}

fn virtualization(instance: &Instance) -> Value {
    let family = known_str(&instance.values, "instance_type")
        .and_then(|t| t.split('.').next())
        .map(str::to_ascii_lowercase);
    match family {
        Some(f) if !PARAVIRTUAL_FAMILIES.contains(&f.as_str()) => json!("hvm"),
        _ => later(instance, "virtualization_type"),
    }
}

/// The volumes an instance's `root_block_device` and `ebs_block_device`s create, each an
/// `AWS::EC2::Volume` attached to the instance (named `ADDRESS.root_block_device[0]`).
fn block_device_volumes(ctx: &Ctx, instance: &Instance) -> Vec<Resource> {
    let mut volumes = Vec::new();
    for key in ["root_block_device", "ebs_block_device"] {
        let devices = match blocks(&instance.values, key) {
            Ok(list) => list.into_iter().cloned().collect(),
            // The root device AWS makes from the AMI, its settings all unknown.
            Err(p) if key == "root_block_device" => vec![p.clone()],
            Err(_) => Vec::new(),
        };
        for (n, device) in devices.iter().enumerate() {
            let path = format!("{key}[{n}]");
            let mut resource = ctx.resource(instance, "AWS::EC2::Volume");
            resource.id = format!("{}.{path}", instance.address);
            let tags = attrs::tags(device);
            resource.tags = tags
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect();
            let field = |name: &str| match get(device, name) {
                Some(v) => v.clone(),
                None => later(instance, &format!("{path}.{name}")),
            };
            resource.name = known_str(device, "volume_id").map(str::to_string);
            resource.configuration = json!({
                "volumeId": field("volume_id"),
                "size": field("volume_size"),
                "volumeType": field("volume_type"),
                "encrypted": field("encrypted"),
                "kmsKeyId": attrs::text_or_null(device, "kms_key_id"),
                "iops": field("iops"),
                "throughput": field("throughput"),
                "state": "in-use",
                "attachments": [{
                    "volumeId": field("volume_id"),
                    "instanceId": attrs::or_later(instance, "id"),
                    "device": field("device_name"),
                    "state": "attached",
                    "deleteOnTermination": attrs::or(device, "delete_on_termination", json!(true)),
                }],
                "tags": tag_list(&tags),
            });
            volumes.push(resource);
        }
    }
    volumes
}

// ---------------------------------------------------------------------------------------
// Volumes

/// A volume; each `aws_volume_attachment` naming it is one of its `attachments`. An unset
/// `encrypted` is unknown: the account's EBS encryption by default decides it.
pub(crate) fn volume(ctx: &Ctx, volume: &Instance, companions: &[&Instance]) -> Vec<Resource> {
    let v = &volume.values;
    let mut resource = ctx.resource(volume, "AWS::EC2::Volume");
    resource.name = known_str(v, "id").map(str::to_string);
    resource.arn = known_str(v, "arn").map(str::to_string);
    let volume_id = attrs::or_later(volume, "id");
    let attachments: Vec<Value> = companions
        .iter()
        .map(|a| {
            json!({
                "volumeId": volume_id,
                "instanceId": attrs::copy(&a.values, "instance_id"),
                "device": attrs::copy(&a.values, "device_name"),
                "state": "attached",
                "deleteOnTermination": false,
            })
        })
        .collect();
    let mut configuration = json!({
        "volumeId": volume_id,
        "size": attrs::or_later(volume, "size"),
        "availabilityZone": attrs::copy(v, "availability_zone"),
        "encrypted": attrs::or_later(volume, "encrypted"),
        "kmsKeyId": attrs::text_or_null(v, "kms_key_id"),
        "volumeType": attrs::or_later(volume, "type"),
        "iops": attrs::copy(v, "iops"),
        "throughput": attrs::copy(v, "throughput"),
        "snapshotId": attrs::text_or_null(v, "snapshot_id"),
        "multiAttachEnabled": attrs::or(v, "multi_attach_enabled", json!(false)),
        "state": if attachments.is_empty() { "available" } else { "in-use" },
        "attachments": attachments,
        "tags": tag_list(&attrs::tags(v)),
    });
    if let Some(map) = configuration.as_object_mut() {
        drop_nulls(map, &["iops", "throughput"]);
    }
    resource.configuration = configuration;
    vec![resource]
}

fn drop_nulls(map: &mut Map<String, Value>, keys: &[&str]) {
    for key in keys {
        if map.get(*key).is_some_and(Value::is_null) {
            map.remove(*key);
        }
    }
}
