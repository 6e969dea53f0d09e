//! `aws_lb`/`aws_alb` as `AWS::ElasticLoadBalancingV2::LoadBalancer` (its attributes as
//! the `[{key, value}]` list of text values AWS Config records) and
//! `aws_lb_listener`/`aws_alb_listener` as `AWS::ElasticLoadBalancingV2::Listener`
//! (PascalCase, as the ELB controls read it from the inventory).

use super::attrs::{
    self, as_text, block, blocks, get, is_placeholder, known_str, later, name_str, tag_list, Block,
};
use super::link;
use super::plan::Instance;
use super::Ctx;
use crate::model::template::{unknown, Resource};
use serde_json::{json, Value};

const LOAD_BALANCERS: &[&str] = &["aws_lb", "aws_alb"];

/// An attribute: its key, the plan attribute, and the default (AWS's and the provider's).
type Attribute = (&'static str, &'static str, fn() -> Value);

/// Every load balancer type's attributes.
const COMMON: &[Attribute] = &[(
    "deletion_protection.enabled",
    "enable_deletion_protection",
    || json!(false),
)];

/// Application load balancers' attributes.
const APPLICATION: &[Attribute] = &[
    ("idle_timeout.timeout_seconds", "idle_timeout", || json!(60)),
    ("routing.http2.enabled", "enable_http2", || json!(true)),
    (
        "routing.http.drop_invalid_header_fields.enabled",
        "drop_invalid_header_fields",
        || json!(false),
    ),
    (
        "routing.http.desync_mitigation_mode",
        "desync_mitigation_mode",
        || json!("defensive"),
    ),
    (
        "routing.http.preserve_host_header.enabled",
        "preserve_host_header",
        || json!(false),
    ),
    (
        "routing.http.x_amzn_tls_version_and_cipher_suite.enabled",
        "enable_tls_version_and_cipher_suite_headers",
        || json!(false),
    ),
    (
        "routing.http.xff_client_port.enabled",
        "enable_xff_client_port",
        || json!(false),
    ),
    (
        "routing.http.xff_header_processing.mode",
        "xff_header_processing_mode",
        || json!("append"),
    ),
    ("waf.fail_open.enabled", "enable_waf_fail_open", || {
        json!(false)
    }),
    ("client_keep_alive.seconds", "client_keep_alive", || {
        json!(3600)
    }),
];

/// A load balancer (application unless `load_balancer_type` says otherwise). Terraform
/// waits for a new one to be active.
pub(crate) fn load_balancer(ctx: &Ctx, lb: &Instance, _: &[&Instance]) -> Vec<Resource> {
    let v = &lb.values;
    let mut resource = ctx.resource(lb, "AWS::ElasticLoadBalancingV2::LoadBalancer");
    resource.name = name_str(v, "name").map(str::to_string);
    resource.arn = known_str(v, "arn").map(str::to_string);
    let kind = attrs::or(v, "load_balancer_type", json!("application"));
    resource.configuration = json!({
        "loadBalancerArn": attrs::or_later(lb, "arn"),
        "loadBalancerName": attrs::or_later(lb, "name"),
        "dNSName": attrs::or_later(lb, "dns_name"),
        "scheme": attrs::map_known(attrs::or(v, "internal", json!(false)), |i| {
            json!(if i.as_bool() == Some(true) { "internal" } else { "internet-facing" })
        }),
        "type": kind,
        "vpcId": attrs::or_later(lb, "vpc_id"),
        "state": {"code": "active"},
        "availabilityZones": zones(ctx, lb),
        "securityGroups": attrs::list(v, "security_groups"),
        "ipAddressType": attrs::or(v, "ip_address_type", json!("ipv4")),
    });
    resource.supplementary.insert(
        "LoadBalancerAttributes".into(),
        attributes(lb, kind.as_str()),
    );
    resource
        .supplementary
        .insert("Tags".into(), tag_list(&attrs::tags(v)));
    vec![resource]
}

fn attributes(lb: &Instance, kind: Option<&str>) -> Value {
    let v = &lb.values;
    let entry = |key: &str, value: Value| json!({"key": key, "value": as_text(value)});
    let mut list: Vec<Value> = COMMON
        .iter()
        .map(|(key, attr, default)| entry(key, attrs::or(v, attr, default())))
        .collect();
    let logs = block(v, "access_logs");
    let log = |attr: &str, default: Value| match logs {
        Block::Set(l) => attrs::or(l, attr, default),
        Block::Unknown(p) => p.clone(),
        Block::Unset => default,
    };
    list.push(entry(
        "access_logs.s3.enabled",
        log("enabled", json!(false)),
    ));
    list.push(entry("access_logs.s3.bucket", log("bucket", json!(""))));
    list.push(entry("access_logs.s3.prefix", log("prefix", json!(""))));
    match kind {
        Some("application") => {
            list.extend(
                APPLICATION
                    .iter()
                    .map(|(key, attr, default)| entry(key, attrs::or(v, attr, default()))),
            );
            // Always on for application load balancers.
            list.push(entry("load_balancing.cross_zone.enabled", json!(true)));
        }
        Some(_) => list.push(entry(
            "load_balancing.cross_zone.enabled",
            attrs::or(v, "enable_cross_zone_load_balancing", json!(false)),
        )),
        None => {}
    }
    Value::Array(list)
}

/// `availabilityZones`: a zone for each subnet, from the subnets of the plan (by id, or
/// referenced); an existing subnet the plan does not hold has an unknown zone.
fn zones(ctx: &Ctx, lb: &Instance) -> Value {
    let v = &lb.values;
    let mut subnets: Vec<Value> = match attrs::list(v, "subnets") {
        Value::Array(ids) => ids,
        _ => Vec::new(),
    };
    if let Ok(mappings) = blocks(v, "subnet_mapping") {
        for m in mappings {
            let id = attrs::copy(m, "subnet_id");
            if !subnets.contains(&id) {
                subnets.push(id);
            }
        }
    }
    let known: Vec<&Value> = subnets.iter().filter(|s| !is_placeholder(s)).collect();
    let referenced = ctx.referenced(lb, &["subnets"], &["aws_subnet"]);
    let mut referenced_mapped =
        ctx.referenced(lb, &["subnet_mapping", "subnet_id"], &["aws_subnet"]);
    let mut plan_subnets = referenced;
    plan_subnets.append(&mut referenced_mapped);
    if subnets.len() > known.len() && plan_subnets.is_empty() {
        // Subnets known only after apply, from outside the plan.
        return later(lb, "subnets");
    }
    let mut zones = Vec::new();
    for id in known {
        let subnet = ctx
            .instances
            .iter()
            .find(|i| i.resource_type() == "aws_subnet" && i.values.get("id") == Some(id));
        let zone = match subnet {
            Some(s) => attrs::or_later(s, "availability_zone"),
            None => unknown(&format!(
                "not in the plan: the availability zone of subnet {}",
                id.as_str().unwrap_or_default()
            )),
        };
        zones.push(json!({"zoneName": zone, "subnetId": id}));
    }
    for subnet in plan_subnets {
        let id = attrs::or_later(subnet, "id");
        if zones.iter().any(|z| z["subnetId"] == id) {
            continue;
        }
        zones.push(
            json!({"zoneName": attrs::or_later(subnet, "availability_zone"), "subnetId": id}),
        );
    }
    Value::Array(zones)
}

/// A listener. Its load balancer's ARN, when known only after apply, is the same
/// placeholder as the load balancer's own, so ELB.1 still finds the listeners of a new
/// load balancer.
pub(crate) fn listener(ctx: &Ctx, listener: &Instance, _: &[&Instance]) -> Vec<Resource> {
    let v = &listener.values;
    let mut resource = ctx.resource(listener, "AWS::ElasticLoadBalancingV2::Listener");
    resource.arn = known_str(v, "arn").map(str::to_string);
    resource.name = resource.arn.clone();
    let lb = load_balancer_of(ctx, listener);
    let lb_arn = match get(v, "load_balancer_arn") {
        Some(a) if !is_placeholder(a) => a.clone(),
        other => link::referenced_attribute(ctx.instances, listener, "load_balancer_arn")
            .or_else(|| other.cloned())
            .unwrap_or_else(|| later(listener, "load_balancer_arn")),
    };
    let lb_kind =
        lb.and_then(|lb| known_str(&lb.values, "load_balancer_type").or(Some("application")));
    let protocol = match get(v, "protocol") {
        Some(p) if !is_placeholder(p) => p.clone(),
        other => match lb_kind {
            // The provider's default for application load balancers.
            Some("application") => json!("HTTP"),
            _ => other
                .cloned()
                .unwrap_or_else(|| later(listener, "protocol")),
        },
    };
    let actions = match blocks(v, "default_action") {
        Ok(list) => Value::Array(
            list.into_iter()
                .enumerate()
                .map(|(n, a)| action(n, a))
                .collect(),
        ),
        Err(p) => p.clone(),
    };
    let mut configuration = json!({
        "ListenerArn": attrs::or_later(listener, "arn"),
        "LoadBalancerArn": lb_arn,
        "Port": attrs::or_later(listener, "port"),
        "Protocol": protocol,
        "DefaultActions": actions,
    });
    if let Some(policy) = get(v, "ssl_policy").filter(|p| p.as_str() != Some("")) {
        configuration["SslPolicy"] = policy.clone();
    }
    if let Some(cert) = get(v, "certificate_arn").filter(|c| c.as_str() != Some("")) {
        configuration["Certificates"] = json!([{"CertificateArn": cert}]);
    }
    resource.configuration = configuration;
    vec![resource]
}

fn load_balancer_of<'a>(ctx: &'a Ctx, listener: &Instance) -> Option<&'a Instance> {
    if let Some(arn) = known_str(&listener.values, "load_balancer_arn") {
        if let Some(lb) = ctx.instances.iter().find(|i| {
            LOAD_BALANCERS.contains(&i.resource_type()) && known_str(&i.values, "arn") == Some(arn)
        }) {
            return Some(lb);
        }
    }
    ctx.referenced(listener, &["load_balancer_arn"], LOAD_BALANCERS)
        .into_iter()
        .next()
}

/// One default action, as ELB describes it.
fn action(n: usize, a: &Value) -> Value {
    if is_placeholder(a) {
        return a.clone();
    }
    let kind = attrs::copy(a, "type");
    let order = match get(a, "order") {
        Some(o) if !is_placeholder(o) => o.clone(),
        // ELB numbers actions given no order in their order.
        _ => json!(n + 1),
    };
    let mut out = json!({"Type": kind, "Order": order});
    if let Some(tg) = get(a, "target_group_arn").filter(|t| t.as_str() != Some("")) {
        out["TargetGroupArn"] = tg.clone();
    }
    match block(a, "redirect") {
        Block::Set(r) => {
            out["RedirectConfig"] = json!({
                "Protocol": attrs::or(r, "protocol", json!("#{protocol}")),
                "Port": attrs::or(r, "port", json!("#{port}")),
                "Host": attrs::or(r, "host", json!("#{host}")),
                "Path": attrs::or(r, "path", json!("/#{path}")),
                "Query": attrs::or(r, "query", json!("#{query}")),
                "StatusCode": attrs::copy(r, "status_code"),
            })
        }
        Block::Unknown(p) => out["RedirectConfig"] = p.clone(),
        Block::Unset => {}
    }
    match block(a, "fixed_response") {
        Block::Set(f) => {
            out["FixedResponseConfig"] = json!({
                "ContentType": attrs::copy(f, "content_type"),
                "MessageBody": attrs::copy(f, "message_body"),
                "StatusCode": attrs::copy(f, "status_code"),
            })
        }
        Block::Unknown(p) => out["FixedResponseConfig"] = p.clone(),
        Block::Unset => {}
    }
    if let Block::Set(f) = block(a, "forward") {
        let groups = match blocks(f, "target_group") {
            Ok(list) => Value::Array(
                list.into_iter()
                    .map(|g| json!({"TargetGroupArn": attrs::copy(g, "arn"), "Weight": attrs::or(g, "weight", json!(1))}))
                    .collect(),
            ),
            Err(p) => p.clone(),
        };
        out["ForwardConfig"] = json!({"TargetGroups": groups});
    }
    out
}
