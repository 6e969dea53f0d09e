//! `AWS::ElasticLoadBalancingV2::LoadBalancer` and its listeners. AWS Config records each
//! listener as an item of its own (`AWS::ElasticLoadBalancingV2::Listener`, properties in
//! the API's PascalCase) naming its load balancer; a listener of a load balancer in the
//! template names it by the load balancer's logical id, the id its item has.

use super::context::Cx;
use super::links::target;
use super::template::Decl;
use super::values::{integer, known, list, tags, text, Built};
use serde_json::{json, Value};

pub fn load_balancer(cx: &mut Cx<'_>, decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::ElasticLoadBalancingV2::LoadBalancer");
    b.resource.tags = tags(props);
    if let Some(name) = known(props.get("Name")) {
        b.resource.name = Some(name.to_string());
        b.set("loadBalancerName", json!(name));
    }
    let kind = props
        .get("Type")
        .cloned()
        .unwrap_or_else(|| json!("application"));
    b.set("type", kind.clone());
    b.set(
        "scheme",
        props
            .get("Scheme")
            .cloned()
            .unwrap_or_else(|| json!("internet-facing")),
    );
    b.set(
        "ipAddressType",
        props
            .get("IpAddressType")
            .cloned()
            .unwrap_or_else(|| json!("ipv4")),
    );
    b.set(
        "securityGroups",
        Value::Array(list(props.get("SecurityGroups"))),
    );
    b.set("state", json!({"code": "active"}));
    let subnets: Vec<Value> = list(props.get("Subnets"))
        .into_iter()
        .chain(
            list(props.get("SubnetMappings"))
                .iter()
                .filter_map(|m| m.get("SubnetId").cloned()),
        )
        .collect();
    let zones: Vec<Value> = subnets
        .into_iter()
        .map(|subnet| {
            let zone = subnet_zone(cx, &mut b, decl, &subnet);
            json!({"zoneName": zone, "subnetId": subnet})
        })
        .collect();
    b.set("availabilityZones", Value::Array(zones));
    b.supplementary(
        "LoadBalancerAttributes",
        attributes(props, kind.as_str().unwrap_or("application")),
    );
    b
}

/// The zone of a subnet: its `AvailabilityZone` when it is in the template, else unknown.
fn subnet_zone(cx: &mut Cx<'_>, b: &mut Built, decl: &Decl<'_>, subnet: &Value) -> Value {
    if let Some(found) = target(cx, subnet, &["AWS::EC2::Subnet"]) {
        let id = found.id;
        if let Some(zone) = cx.props(id).get("AvailabilityZone").cloned() {
            return zone;
        }
    }
    let shown = match subnet {
        Value::String(s) => crate::model::template::unknown_what(s)
            .unwrap_or(s)
            .to_string(),
        other => other.to_string(),
    };
    b.unknown(
        cx,
        &format!("{}.Properties.Subnets", decl.id),
        &format!("Availability Zone of subnet {shown}"),
        "the subnet is not in the template (or does not say)",
    )
}

/// `LoadBalancerAttributes` as AWS Config lists them (`{key, value}`, values as text): the
/// template's, over the defaults ELB gives the attributes the controls read.
fn attributes(props: &Value, kind: &str) -> Value {
    let mut attributes: Vec<(String, Value)> = vec![
        ("deletion_protection.enabled".into(), json!("false")),
        ("access_logs.s3.enabled".into(), json!("false")),
    ];
    if kind == "application" {
        attributes.push((
            "routing.http.drop_invalid_header_fields.enabled".into(),
            json!("false"),
        ));
        attributes.push((
            "routing.http.desync_mitigation_mode".into(),
            json!("defensive"),
        ));
        attributes.push(("idle_timeout.timeout_seconds".into(), json!("60")));
    }
    for attribute in list(props.get("LoadBalancerAttributes")) {
        let (Some(Value::String(key)), Some(value)) =
            (text(attribute.get("Key")), text(attribute.get("Value")))
        else {
            continue;
        };
        match attributes.iter_mut().find(|(k, _)| *k == key) {
            Some(existing) => existing.1 = value,
            None => attributes.push((key, value)),
        }
    }
    Value::Array(
        attributes
            .into_iter()
            .map(|(key, value)| json!({"key": key, "value": value}))
            .collect(),
    )
}

pub fn listener(cx: &mut Cx<'_>, _decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::ElasticLoadBalancingV2::Listener");
    b.resource.tags = tags(props);
    let balancer = props.get("LoadBalancerArn").cloned().unwrap_or(Value::Null);
    let balancer = match target(
        cx,
        &balancer,
        &["AWS::ElasticLoadBalancingV2::LoadBalancer"],
    ) {
        Some(decl) => json!(decl.id),
        None => balancer,
    };
    b.set("LoadBalancerArn", balancer);
    b.set_some("Port", integer(props.get("Port")));
    b.set_some("Protocol", props.get("Protocol").cloned());
    b.set_some("SslPolicy", props.get("SslPolicy").cloned());
    b.set_some("Certificates", props.get("Certificates").cloned());
    let actions: Vec<Value> = list(props.get("DefaultActions"))
        .into_iter()
        .map(|mut action| {
            if let Some(port) = action.pointer("/RedirectConfig/Port").cloned() {
                action["RedirectConfig"]["Port"] = text(Some(&port)).unwrap_or(port);
            }
            action
        })
        .collect();
    b.set("DefaultActions", Value::Array(actions));
    b
}
