//! Links between the resources of a template: which resource a value points at (a `Ref`
//! or `GetAtt` to it, its name or its ARN), and how many resources name one.

use super::context::Cx;
use super::intrinsics::name_property;
use super::template::Decl;
use super::values::list;
use crate::model::template::unknown_what;
use serde_json::Value;

/// The resource of the template, of one of `types`, that a value points at: a `Ref` or
/// `GetAtt` to it, its physical name, or its ARN.
pub fn target<'t>(cx: &mut Cx<'t>, value: &Value, types: &[&str]) -> Option<&'t Decl<'t>> {
    let tpl = cx.tpl;
    if value.is_null() {
        return None;
    }
    if let Some(what) = value.as_str().and_then(unknown_what) {
        let id = what.strip_prefix("!Ref ").or_else(|| {
            what.strip_prefix("!GetAtt ")
                .map(|r| r.split('.').next().unwrap_or(r))
        });
        if let Some(decl) = id.and_then(|id| tpl.resource(id)) {
            if types.contains(&decl.resource_type) {
                return Some(decl);
            }
        }
    }
    for decl in &tpl.resources {
        if !types.contains(&decl.resource_type) || cx.created(decl) == Some(false) {
            continue;
        }
        if &cx.ref_value(decl.id) == value {
            return Some(decl);
        }
        if let Some(property) = name_property(decl.resource_type) {
            if cx.props(decl.id).get(property) == Some(value) {
                return Some(decl);
            }
        }
        if matches!(cx.attribute(decl.id, "Arn"), Value::String(ref arn) if Some(arn.as_str()) == value.as_str())
        {
            return Some(decl);
        }
    }
    None
}

/// How many resources of `types` name `id` in `property` (one value or a list).
pub fn count_links(cx: &mut Cx<'_>, id: &str, types: &[&str], property: &str) -> usize {
    let tpl = cx.tpl;
    let Some(wanted) = tpl.resource(id).map(|d| d.resource_type) else {
        return 0;
    };
    let mut count = 0;
    for decl in &tpl.resources {
        if !types.contains(&decl.resource_type) || cx.created(decl) == Some(false) {
            continue;
        }
        let props = cx.props(decl.id);
        for value in list(props.get(property)) {
            if target(cx, &value, &[wanted]).is_some_and(|d| d.id == id) {
                count += 1;
            }
        }
    }
    count
}

/// How many resources of one type name `id` in `property`.
pub fn targets_of(cx: &mut Cx<'_>, id: &str, resource_type: &str, property: &str) -> usize {
    count_links(cx, id, &[resource_type], property)
}
