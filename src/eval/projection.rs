//! What `data.inventory` keeps of an item whose controls declared the fields they read.

use std::collections::BTreeMap;

/// The parts of an item `data.inventory` keeps when every control that requires its type
/// declared the fields it reads: those paths and the identity keys. At organisation scale
/// the inventory's items are the largest thing a run holds as values, and the views and
/// cross-resource controls read a handful of fields of each.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Projection {
    /// Keep the whole value.
    whole: bool,
    children: BTreeMap<String, Projection>,
}

/// The keys that say which resource an item is: always kept. (Its type, account, region
/// and id are also the entry's path in `data.inventory`.)
const IDENTITY_KEYS: &[&str] = &[
    "ARN",
    "awsAccountId",
    "awsRegion",
    "resourceId",
    "resourceName",
    "resourceType",
];

impl Projection {
    /// The identity keys and `paths` (dotted; a path that reaches an array or a scalar keeps
    /// it whole).
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a str>) -> Self {
        let mut root = Projection::default();
        for path in IDENTITY_KEYS.iter().copied().chain(paths) {
            let mut node = &mut root;
            for key in path.split('.') {
                node = node.children.entry(key.to_string()).or_default();
            }
            node.whole = true;
            node.children.clear();
        }
        root
    }

    /// Whether the whole value is kept.
    pub fn keeps_all(&self) -> bool {
        self.whole
    }

    /// What is kept of the object key `key`, if anything.
    pub fn part(&self, key: &str) -> Option<&Projection> {
        self.children.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::decode::{item_value, item_value_projected};

    #[test]
    fn a_projection_keeps_the_declared_paths_and_the_identity() {
        let json = serde_json::json!({
            "resourceType": "AWS::EC2::NetworkInterface", "resourceId": "eni-1",
            "awsAccountId": "111122223333", "awsRegion": "us-east-1",
            "configuration": {
                "groups": [{"groupId": "sg-1", "groupName": "web"}],
                "status": "in-use",
                "attachment": {"instanceId": "i-1", "status": "attached"},
                "description": "a long text no view reads",
            },
            "relationships": [{"resourceId": "i-1"}],
            "tags": {"Name": "web"},
        });
        let document = crate::model::ci::Document::from_value(&json);
        let parse = |projection: &Projection| item_value_projected(&document, projection);
        let item = item_value(&document);
        let projection = Projection::new([
            "configuration.groups",
            "configuration.attachment.instanceId",
            "configuration.missing",
        ]);
        let kept = regorus::Value::from(serde_json::json!({
            "resourceType": "AWS::EC2::NetworkInterface", "resourceId": "eni-1",
            "awsAccountId": "111122223333", "awsRegion": "us-east-1",
            "configuration": {
                "groups": [{"groupId": "sg-1", "groupName": "web"}],
                "attachment": {"instanceId": "i-1"},
            },
        }));
        assert_eq!(parse(&projection), kept);
        // A path through a scalar keeps the scalar; a shorter path covers a longer one.
        let broad = Projection::new([
            "configuration.status.code",
            "configuration",
            "configuration.groups",
        ]);
        assert_eq!(parse(&broad)["configuration"], item["configuration"]);
        assert_eq!(
            parse(&Projection::new(["configuration.status.code"]))["configuration"]["status"],
            item["configuration"]["status"]
        );
        // Every key kept is the whole item.
        let all = Projection::new(["ARN", "configuration", "relationships", "tags"]);
        assert_eq!(parse(&all), item);
    }
}
