//! Resource addresses (`module.net["a"].aws_security_group.web[0]`) and the references of
//! configuration expressions (`aws_s3_bucket.logs.id`), split into their steps so a
//! companion can find the resource it names.

/// One step of an address: a name and, when the step is an instance, its key as written
/// (`0`, `"a"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub name: String,
    pub key: Option<String>,
}

/// Split `a.b[0].c["x.y"]` into steps; `None` when the text is not an address.
pub(crate) fn steps(text: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i] != b'.' && bytes[i] != b'[' {
            i += 1;
        }
        let name = &text[start..i];
        if name.is_empty() {
            return None;
        }
        let mut key = None;
        if i < bytes.len() && bytes[i] == b'[' {
            let open = i;
            i += 1;
            let mut quoted = false;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' if quoted => i += 1,
                    b'"' => quoted = !quoted,
                    b']' if !quoted => break,
                    _ => {}
                }
                i += 1;
            }
            if i >= bytes.len() {
                return None;
            }
            key = Some(text[open + 1..i].to_string());
            i += 1;
        }
        steps.push(Step {
            name: name.to_string(),
            key,
        });
        if i < bytes.len() {
            if bytes[i] != b'.' {
                return None;
            }
            i += 1;
            if i == bytes.len() {
                return None;
            }
        }
    }
    (!steps.is_empty()).then_some(steps)
}

/// A resource instance's address, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Address {
    /// The module instance (`module.net["a"]`), empty in the root module.
    pub module: String,
    /// The module calls on the way (`["net"]`), instance keys left out: the configuration
    /// describes calls, not their instances.
    pub calls: Vec<String>,
    pub data: bool,
    pub resource_type: String,
    pub name: String,
    /// The instance key as written (`0`, `"a"`), for `count` and `for_each`.
    pub key: Option<String>,
}

pub(crate) fn parse(text: &str) -> Option<Address> {
    let steps = steps(text)?;
    let mut i = 0;
    let mut module = Vec::new();
    let mut calls = Vec::new();
    while i + 1 < steps.len() && steps[i].name == "module" && steps[i].key.is_none() {
        let call = &steps[i + 1];
        calls.push(call.name.clone());
        module.push(format!("module.{}", render(call)));
        i += 2;
    }
    let data = steps
        .get(i)
        .is_some_and(|s| s.name == "data" && s.key.is_none());
    if data {
        i += 1;
    }
    let [resource_type, name] = steps.get(i..)? else {
        return None;
    };
    if resource_type.key.is_some() {
        return None;
    }
    Some(Address {
        module: module.join("."),
        calls,
        data,
        resource_type: resource_type.name.clone(),
        name: name.name.clone(),
        key: name.key.clone(),
    })
}

fn render(step: &Step) -> String {
    match &step.key {
        Some(key) => format!("{}[{key}]", step.name),
        None => step.name.clone(),
    }
}

/// A reference to a managed resource in an expression (`aws_lb.web[0].arn`), relative to
/// the module it is written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference {
    pub resource_type: String,
    pub name: String,
    pub key: Option<String>,
    /// The attribute read (`arn`), when the reference reads one.
    pub attribute: Option<String>,
}

/// Names that start references to things other than managed resources.
const NOT_RESOURCES: &[&str] = &[
    "var",
    "local",
    "module",
    "data",
    "each",
    "count",
    "path",
    "terraform",
    "self",
    "resource",
    "ephemeral",
];

pub(crate) fn reference(text: &str) -> Option<Reference> {
    let steps = steps(text)?;
    let [resource_type, name, rest @ ..] = steps.as_slice() else {
        return None;
    };
    if NOT_RESOURCES.contains(&resource_type.name.as_str()) || resource_type.key.is_some() {
        return None;
    }
    Some(Reference {
        resource_type: resource_type.name.clone(),
        name: name.name.clone(),
        key: name.key.clone(),
        attribute: rest.first().map(|s| s.name.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_with_modules_and_keys() {
        let a = parse(r#"module.net["a.b"].module.sub[0].aws_security_group.web["x"]"#).unwrap();
        assert_eq!(a.module, r#"module.net["a.b"].module.sub[0]"#);
        assert_eq!(a.calls, ["net", "sub"]);
        assert_eq!(a.resource_type, "aws_security_group");
        assert_eq!(a.name, "web");
        assert_eq!(a.key.as_deref(), Some(r#""x""#));
        let d = parse("data.aws_iam_policy_document.p").unwrap();
        assert!(d.data);
        assert!(parse("aws_s3_bucket").is_none());
        assert!(parse("aws_s3_bucket.b.c").is_none());
    }

    #[test]
    fn references_to_resources_only() {
        let r = reference("aws_lb.web[0].arn").unwrap();
        assert_eq!(
            (r.resource_type.as_str(), r.name.as_str()),
            ("aws_lb", "web")
        );
        assert_eq!(r.key.as_deref(), Some("0"));
        assert_eq!(r.attribute.as_deref(), Some("arn"));
        assert_eq!(reference("aws_s3_bucket.logs").unwrap().attribute, None);
        for other in [
            "var.x",
            "module.m.out",
            "each.value.id",
            "data.a.b.c",
            "local.x",
        ] {
            assert!(reference(other).is_none(), "{other}");
        }
    }
}
