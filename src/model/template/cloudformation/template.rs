//! The sections of a template as read (`Parameters`, `Mappings`, `Conditions`,
//! `Resources`), each resource with its place.

use super::yaml::{Key, Node};
use std::collections::HashMap;

/// One entry of `Resources`.
#[derive(Debug)]
pub struct Decl<'t> {
    pub id: &'t str,
    /// `Type`, or empty when it is missing or not a string (a problem is reported).
    pub resource_type: &'t str,
    /// The line of the logical id.
    pub line: usize,
    pub properties: Option<&'t Node>,
    /// The `Condition` name, when the resource has one.
    pub condition: Option<&'t Node>,
}

/// What `read_sections` found wrong, located.
pub struct Flaw {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

pub struct Template<'t> {
    pub parameters: Vec<(&'t Key, &'t Node)>,
    pub mappings: Option<&'t Node>,
    pub conditions: HashMap<&'t str, &'t Node>,
    pub resources: Vec<Decl<'t>>,
    /// The template has a `Transform` (SAM, a macro): it may define names itself.
    pub transformed: bool,
    index: HashMap<&'t str, usize>,
}

impl<'t> Template<'t> {
    /// The sections of `root`, whose `Resources` is a mapping; the flaws of single entries.
    pub fn read(root: &'t Node, resources: &'t [(Key, Node)]) -> (Self, Vec<Flaw>) {
        let mut flaws = Vec::new();
        let entries = |name: &str| root.get(name).and_then(Node::map).unwrap_or_default();
        let parameters = entries("Parameters").iter().map(|(k, v)| (k, v)).collect();
        let conditions = entries("Conditions")
            .iter()
            .map(|(k, v)| (k.text.as_str(), v))
            .collect();
        let mut decls = Vec::new();
        let mut index = HashMap::new();
        for (key, node) in resources {
            let Some(_) = node.map() else {
                flaws.push(Flaw {
                    message: format!("resource {} is not a mapping", key.text),
                    line: key.line,
                    column: key.column,
                });
                continue;
            };
            let resource_type = match node.get("Type") {
                Some(t) if t.str().is_some_and(|s| !s.is_empty()) => t.str().unwrap_or_default(),
                Some(t) => {
                    flaws.push(Flaw {
                        message: format!("resource {}: Type is not a string", key.text),
                        line: t.line,
                        column: t.column,
                    });
                    ""
                }
                None => {
                    flaws.push(Flaw {
                        message: format!("resource {} has no Type", key.text),
                        line: key.line,
                        column: key.column,
                    });
                    ""
                }
            };
            let properties = node.get("Properties");
            if let Some(p) = properties.filter(|p| p.map().is_none() && p.tag.is_none()) {
                if !matches!(p.value, super::yaml::Value::Null) {
                    flaws.push(Flaw {
                        message: format!("resource {}: Properties is not a mapping", key.text),
                        line: p.line,
                        column: p.column,
                    });
                }
            }
            index.insert(key.text.as_str(), decls.len());
            decls.push(Decl {
                id: &key.text,
                resource_type,
                line: key.line,
                properties,
                condition: node.get("Condition"),
            });
        }
        let template = Template {
            parameters,
            mappings: root.get("Mappings"),
            conditions,
            resources: decls,
            transformed: root.get("Transform").is_some(),
            index,
        };
        (template, flaws)
    }

    pub fn resource(&self, id: &str) -> Option<&Decl<'t>> {
        self.index.get(id).map(|&i| &self.resources[i])
    }

    pub fn parameter(&self, name: &str) -> Option<&'t Node> {
        self.parameters
            .iter()
            .find(|(k, _)| k.text == name)
            .map(|(_, v)| *v)
    }
}
