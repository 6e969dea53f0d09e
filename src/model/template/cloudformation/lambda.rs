//! `AWS::Lambda::Function`; its resource policy is folded in from `AWS::Lambda::Permission`
//! (`fold`).

use super::context::Cx;
use super::template::Decl;
use super::values::{integer, known, list, tags, Built};
use serde_json::{json, Value};

pub fn function(cx: &mut Cx<'_>, _decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::Lambda::Function");
    b.resource.tags = tags(props);
    if let Some(name) = known(props.get("FunctionName")) {
        b.resource.name = Some(name.to_string());
        b.resource.arn = cx.regional_arn("lambda", &format!("function:{name}"));
        b.set("functionName", json!(name));
        if let Some(arn) = &b.resource.arn {
            b.set("functionArn", json!(arn));
        }
    }
    let package = props
        .get("PackageType")
        .cloned()
        .unwrap_or_else(|| json!("Zip"));
    b.set("packageType", package);
    b.set_some("runtime", props.get("Runtime").cloned());
    b.set_some("handler", props.get("Handler").cloned());
    b.set_some("role", props.get("Role").cloned());
    b.set(
        "timeout",
        integer(props.get("Timeout")).unwrap_or_else(|| json!(3)),
    );
    b.set(
        "memorySize",
        integer(props.get("MemorySize")).unwrap_or_else(|| json!(128)),
    );
    b.set_some("kmsKeyArn", props.get("KmsKeyArn").cloned());
    if let Some(vpc) = props.get("VpcConfig") {
        b.set(
            "vpcConfig",
            json!({
                "subnetIds": list(vpc.get("SubnetIds")),
                "securityGroupIds": list(vpc.get("SecurityGroupIds")),
            }),
        );
    }
    if let Some(mode) = props.pointer("/TracingConfig/Mode") {
        b.set("tracingConfig", json!({"mode": mode}));
    }
    b
}
