//! `AWS::EC2::SecurityGroup`, `AWS::EC2::Instance` and `AWS::EC2::Volume`.

use super::context::Cx;
use super::links::target;
use super::template::Decl;
use super::values::{boolean, boolean_or, integer, known, list, tags, text, Built};
use serde_json::{json, Map, Value};

pub fn security_group(cx: &mut Cx<'_>, _decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::EC2::SecurityGroup");
    if let Some(name) = known(props.get("GroupName")) {
        b.resource.name = Some(name.to_string());
    }
    b.resource.tags = tags(props);
    // AWS generates the name when the template gives none (never `default`).
    b.set_some("groupName", props.get("GroupName").cloned());
    b.set_some("description", props.get("GroupDescription").cloned());
    b.set_some("vpcId", props.get("VpcId").cloned());
    if let Some(account) = cx.account() {
        b.set("ownerId", json!(account));
    }
    let ingress: Vec<Value> = list(props.get("SecurityGroupIngress"))
        .iter()
        .map(|rule| permission(rule, false))
        .collect();
    b.set("ipPermissions", Value::Array(merge(ingress)));
    // Without egress rules in the template, EC2 adds one allowing all outbound traffic.
    let egress = match props.get("SecurityGroupEgress") {
        Some(rules) => list(Some(rules))
            .iter()
            .map(|rule| permission(rule, true))
            .collect(),
        None => vec![default_egress()],
    };
    b.set("ipPermissionsEgress", Value::Array(merge(egress)));
    b
}

/// The rule EC2 gives a VPC security group created without egress rules.
fn default_egress() -> Value {
    json!({
        "ipProtocol": "-1",
        "ipv6Ranges": [],
        "prefixListIds": [],
        "userIdGroupPairs": [],
        "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}],
        "ipRanges": ["0.0.0.0/0"],
    })
}

/// One template rule (inline, or an `AWS::EC2::SecurityGroupIngress`/`Egress`) as the
/// `ipPermissions` entry AWS Config records for it.
pub fn permission(rule: &Value, egress: bool) -> Value {
    let protocol = protocol(rule.get("IpProtocol"));
    let mut entry = Map::new();
    entry.insert("ipProtocol".into(), protocol.clone());
    if protocol != json!("-1") {
        entry.insert(
            "fromPort".into(),
            integer(rule.get("FromPort")).unwrap_or(Value::Null),
        );
        entry.insert(
            "toPort".into(),
            integer(rule.get("ToPort")).unwrap_or(Value::Null),
        );
    }
    let described = |mut range: Map<String, Value>| {
        if let Some(d) = rule.get("Description") {
            range.insert("description".into(), d.clone());
        }
        Value::Object(range)
    };
    let mut v4 = Vec::new();
    let mut plain = Vec::new();
    if let Some(cidr) = rule.get("CidrIp") {
        v4.push(described(Map::from_iter([(
            "cidrIp".to_string(),
            cidr.clone(),
        )])));
        plain.push(cidr.clone());
    }
    let v6: Vec<Value> = rule
        .get("CidrIpv6")
        .map(|c| described(Map::from_iter([("cidrIpv6".to_string(), c.clone())])))
        .into_iter()
        .collect();
    let (group_key, prefix_key) = if egress {
        ("DestinationSecurityGroupId", "DestinationPrefixListId")
    } else {
        ("SourceSecurityGroupId", "SourcePrefixListId")
    };
    let prefixes: Vec<Value> = rule
        .get(prefix_key)
        .map(|p| described(Map::from_iter([("prefixListId".to_string(), p.clone())])))
        .into_iter()
        .collect();
    let mut pairs = Vec::new();
    if let Some(group) = rule
        .get(group_key)
        .or_else(|| rule.get("SourceSecurityGroupName"))
    {
        let key = if rule.get(group_key).is_some() {
            "groupId"
        } else {
            "groupName"
        };
        let mut pair = Map::from_iter([(key.to_string(), group.clone())]);
        if let Some(owner) = rule.get("SourceSecurityGroupOwnerId") {
            pair.insert("userId".into(), owner.clone());
        }
        pairs.push(described(pair));
    }
    entry.insert("ipv6Ranges".into(), Value::Array(v6));
    entry.insert("prefixListIds".into(), Value::Array(prefixes));
    entry.insert("userIdGroupPairs".into(), Value::Array(pairs));
    entry.insert("ipv4Ranges".into(), Value::Array(v4));
    entry.insert("ipRanges".into(), Value::Array(plain));
    Value::Object(entry)
}

/// `IpProtocol` as EC2 records it: names for the usual numbers, `-1` for all.
fn protocol(value: Option<&Value>) -> Value {
    let Some(Value::String(raw)) = text(value) else {
        return json!("-1");
    };
    let name = match raw.to_lowercase().as_str() {
        "6" => "tcp".to_string(),
        "17" => "udp".to_string(),
        "1" => "icmp".to_string(),
        "58" => "icmpv6".to_string(),
        "all" => "-1".to_string(),
        other => other.to_string(),
    };
    Value::String(name)
}

/// Rules of the same protocol and ports in one entry, their ranges together (EC2 keeps
/// one permission per protocol and port range).
pub fn merge(permissions: Vec<Value>) -> Vec<Value> {
    let mut merged: Vec<Value> = Vec::new();
    for permission in permissions {
        let key = |p: &Value| {
            (
                p.get("ipProtocol").cloned(),
                p.get("fromPort").cloned(),
                p.get("toPort").cloned(),
            )
        };
        match merged.iter_mut().find(|m| key(m) == key(&permission)) {
            Some(existing) => {
                for field in [
                    "ipv6Ranges",
                    "prefixListIds",
                    "userIdGroupPairs",
                    "ipv4Ranges",
                    "ipRanges",
                ] {
                    let extra = list(permission.get(field));
                    if let Some(Value::Array(items)) = existing.get_mut(field) {
                        for item in extra {
                            if !items.contains(&item) {
                                items.push(item);
                            }
                        }
                    }
                }
            }
            None => merged.push(permission),
        }
    }
    merged
}

/// Instance families that may run paravirtual AMIs; every other family is HVM only.
const PARAVIRTUAL_FAMILIES: &[&str] = &[
    "t1", "m1", "m2", "m3", "c1", "c3", "hs1", "cc2", "cg1", "cr1", "hi1",
];

pub fn instance(cx: &mut Cx<'_>, decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::EC2::Instance");
    b.resource.tags = tags(props);
    // CloudFormation's default instance type.
    let instance_type = props
        .get("InstanceType")
        .cloned()
        .unwrap_or_else(|| json!("m1.small"));
    b.set("instanceType", instance_type.clone());
    b.set_some("imageId", props.get("ImageId").cloned());
    b.set_some("keyName", props.get("KeyName").cloned());
    b.set_some("subnetId", props.get("SubnetId").cloned());
    // CloudFormation waits for the instance to run.
    b.set("state", json!({"code": 16, "name": "running"}));
    let groups: Vec<Value> = list(props.get("SecurityGroupIds"))
        .into_iter()
        .map(|g| json!({"groupId": g}))
        .chain(
            list(props.get("SecurityGroups"))
                .into_iter()
                .map(|g| json!({"groupName": g})),
        )
        .collect();
    b.set("securityGroups", Value::Array(groups));
    let virtualization = match known(Some(&instance_type)) {
        Some(t) if !PARAVIRTUAL_FAMILIES.contains(&t.split('.').next().unwrap_or_default()) => {
            json!("hvm")
        }
        _ => b.unknown(
            cx,
            "Properties.InstanceType",
            &format!("virtualization type of {}", decl.id),
            "the AMI decides between hvm and paravirtual on this instance type",
        ),
    };
    b.set("virtualizationType", virtualization);
    let metadata = metadata_options(cx, &mut b, decl, props);
    b.set("metadataOptions", metadata);
    b.set("networkInterfaces", Value::Array(network_interfaces(props)));
    if let Some(ip) = public_ip(cx, &mut b, decl, props) {
        b.set("publicIpAddress", ip);
    }
    b
}

/// `MetadataOptions`, or those of the launch template the instance names when it is in the
/// template; `HttpTokens` unset is decided by the AMI and the account's defaults.
fn metadata_options(cx: &mut Cx<'_>, b: &mut Built, decl: &Decl<'_>, props: &Value) -> Value {
    let from_launch_template = props.get("LaunchTemplate").and_then(|lt| {
        let reference = lt
            .get("LaunchTemplateId")
            .or_else(|| lt.get("LaunchTemplateName"))?;
        let template = target(cx, reference, &["AWS::EC2::LaunchTemplate"])?;
        let id = template.id;
        cx.props(id)
            .pointer("/LaunchTemplateData/MetadataOptions")
            .cloned()
    });
    let options = props
        .get("MetadataOptions")
        .cloned()
        .or(from_launch_template);
    let options = options.as_ref();
    let tokens = match options.and_then(|o| o.get("HttpTokens")) {
        Some(t) => t.clone(),
        None => b.unknown(
            cx,
            "Properties.MetadataOptions.HttpTokens",
            &format!("IMDS httpTokens of {}", decl.id),
            "unset: the AMI's ImdsSupport and the account's IMDS defaults decide between optional and required",
        ),
    };
    json!({
        "state": "applied",
        "httpTokens": tokens,
        "httpEndpoint": options.and_then(|o| o.get("HttpEndpoint")).cloned().unwrap_or_else(|| json!("enabled")),
        "httpPutResponseHopLimit": integer(options.and_then(|o| o.get("HttpPutResponseHopLimit"))).unwrap_or_else(|| json!(1)),
    })
}

/// The instance's network interfaces: those the template lists, else its primary one.
fn network_interfaces(props: &Value) -> Vec<Value> {
    let listed = list(props.get("NetworkInterfaces"));
    if listed.is_empty() {
        let mut primary = json!({"attachment": {"deviceIndex": 0}});
        if let Some(subnet) = props.get("SubnetId") {
            primary["subnetId"] = subnet.clone();
        }
        return vec![primary];
    }
    listed
        .iter()
        .map(|eni| {
            let mut entry = json!({"attachment": {"deviceIndex": integer(eni.get("DeviceIndex"))}});
            for (from, to) in [
                ("SubnetId", "subnetId"),
                ("PrivateIpAddress", "privateIpAddress"),
                ("NetworkInterfaceId", "networkInterfaceId"),
            ] {
                if let Some(v) = eni.get(from) {
                    entry[to] = v.clone();
                }
            }
            entry
        })
        .collect()
}

/// Whether the instance gets a public IPv4 address: its primary interface's
/// `AssociatePublicIpAddress`, else its subnet's `MapPublicIpOnLaunch` (a subnet of the
/// template: false unless set; no subnet: the default subnet, which maps them). The
/// address itself is only known after launch.
fn public_ip(cx: &mut Cx<'_>, b: &mut Built, decl: &Decl<'_>, props: &Value) -> Option<Value> {
    let interfaces = list(props.get("NetworkInterfaces"));
    let primary = interfaces
        .iter()
        .find(|e| integer(e.get("DeviceIndex")) == Some(json!(0)))
        .or(interfaces.first());
    let (associate, subnet) = match primary {
        Some(eni) => (
            boolean(eni.get("AssociatePublicIpAddress")),
            eni.get("SubnetId"),
        ),
        None => (None, props.get("SubnetId")),
    };
    let what = format!("public IPv4 address of {}", decl.id);
    // An address AWS will assign is a non-empty string whatever it is; one that may or
    // may not be assigned is any value.
    let mut assigned = false;
    let why = match associate {
        Some(Value::Bool(false)) => return None,
        Some(Value::Bool(true)) => {
            assigned = true;
            "AssociatePublicIpAddress is true; the address is assigned at launch".to_string()
        }
        Some(_) => "AssociatePublicIpAddress is not known before deploy".to_string(),
        None => match subnet {
            None => "no SubnetId: the default subnet assigns public IPv4 addresses at launch".to_string(),
            Some(subnet) => match target(cx, subnet, &["AWS::EC2::Subnet"]) {
                Some(decl) => {
                    let id = decl.id;
                    match boolean(cx.props(id).get("MapPublicIpOnLaunch")) {
                        Some(Value::Bool(true)) => {
                            assigned = true;
                            format!("subnet {id} maps public IPv4 addresses on launch")
                        }
                        None | Some(Value::Bool(false)) => return None,
                        Some(_) => format!("whether subnet {id} maps public IPv4 addresses is not known before deploy"),
                    }
                }
                None => "its subnet is not in the template: whether it maps public IPv4 addresses on launch is not known".to_string(),
            },
        },
    };
    let path = "Properties.NetworkInterfaces/SubnetId";
    Some(if assigned {
        b.unknown_id(cx, path, &what, &why)
    } else {
        b.unknown(cx, path, &what, &why)
    })
}

pub fn volume(_cx: &mut Cx<'_>, _decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::EC2::Volume");
    b.resource.tags = tags(props);
    // Unset, EBS encrypts only when the account turned on encryption by default (off
    // unless changed): regent assumes the default.
    let encrypted = if props.get("KmsKeyId").is_some() && props.get("Encrypted").is_none() {
        Value::Bool(true)
    } else {
        boolean_or(props.get("Encrypted"), false)
    };
    b.set("encrypted", encrypted);
    b.set_some("kmsKeyId", props.get("KmsKeyId").cloned());
    b.set_some("size", integer(props.get("Size")));
    b.set(
        "volumeType",
        props
            .get("VolumeType")
            .cloned()
            .unwrap_or_else(|| json!("gp2")),
    );
    b.set_some("iops", integer(props.get("Iops")));
    b.set_some("availabilityZone", props.get("AvailabilityZone").cloned());
    b.set_some("snapshotId", props.get("SnapshotId").cloned());
    b.set(
        "multiAttachEnabled",
        boolean_or(props.get("MultiAttachEnabled"), false),
    );
    // Filled by AWS::EC2::VolumeAttachment and instances' Volumes (`fold`).
    b.set("attachments", json!([]));
    b
}
