//! One template resource as the configuration item AWS Config would record for it, and
//! the placeholder for a value not known before deploy.

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// How a placeholder for an unknown value starts: `{unknown: !GetAtt Key.Arn}`. Only the
/// items of templates are searched for it (`ConfigurationItem::unknowns`), so a recorded
/// value that happens to read the same is never taken for one.
pub const UNKNOWN_PREFIX: &str = "{unknown: ";

/// The placeholder for a value not known before deploy; `what` says why (`!GetAtt
/// Key.Arn`, `parameter VpcCidr has no default`, `known after apply`). A string with an
/// unknown part (`!Sub arn:aws:s3:::${Bucket}/*` of a generated name) is wholly unknown.
pub fn unknown(what: &str) -> Value {
    Value::String(format!("{UNKNOWN_PREFIX}{what}}}"))
}

/// How a placeholder for an identifier starts: `{unknown id: !GetAtt Key.Arn}`.
pub const UNKNOWN_ID_PREFIX: &str = "{unknown id: ";

/// The placeholder for an identifier AWS assigns at deploy (an ARN, a generated name or
/// id: `!GetAtt Key.Arn`, `!Ref` of a resource, Terraform's `arn` known after apply). It
/// is a non-empty string whatever it turns out to be, so a control that only asks whether
/// one is set still gets its verdict.
pub fn unknown_id(what: &str) -> Value {
    Value::String(format!("{UNKNOWN_ID_PREFIX}{what}}}"))
}

/// Whether a string is a placeholder, `unknown` or `unknown_id`.
pub fn is_unknown(text: &str) -> bool {
    unknown_what(text).is_some()
}

/// What a placeholder says is unknown (`!GetAtt Key.Arn`), if the text is one.
pub fn unknown_what(text: &str) -> Option<&str> {
    text.strip_prefix(UNKNOWN_PREFIX)
        .or_else(|| text.strip_prefix(UNKNOWN_ID_PREFIX))
        .and_then(|rest| rest.strip_suffix('}'))
}

/// Whether a string is an `unknown_id` placeholder.
pub fn is_unknown_id(text: &str) -> bool {
    text.starts_with(UNKNOWN_ID_PREFIX) && text.ends_with('}')
}

/// What a run knows of the templates' deployment (`--parameter`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateOptions {
    /// `--parameter Key=Value`: template parameters (and the pseudo parameters
    /// `AWS::AccountId`, `AWS::Region`, `AWS::Partition`, ...), overriding defaults.
    pub parameters: BTreeMap<String, String>,
}

/// One resource of a covered type, its companions folded in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resource {
    /// The AWS Config resource type (`AWS::S3::Bucket`).
    pub resource_type: String,
    /// The logical id (CloudFormation) or address (Terraform): the item's `resourceId`,
    /// so results name it.
    pub id: String,
    /// The resource's physical name when the template fixes it (`BucketName`), else `None`
    /// (the item's `resourceName` is then the id).
    pub name: Option<String>,
    /// The ARN when it can be known before deploy.
    pub arn: Option<String>,
    /// The account and region when known (`--parameter AWS::AccountId=...`, a plan's
    /// provider region); `unknown` otherwise.
    pub account: Option<String>,
    pub region: Option<String>,
    /// The line (1-based) of the resource's definition in its file.
    pub line: usize,
    /// `configuration`, as AWS Config records it for this type.
    pub configuration: Value,
    /// `supplementaryConfiguration` (a bucket's policy, versioning, logging, ...).
    pub supplementary: Map<String, Value>,
    pub tags: BTreeMap<String, String>,
    /// `relationships`, as AWS Config records them (`{resourceType, resourceId, name}`):
    /// what else in the template or plan uses this resource (a security group's instances).
    pub relationships: Vec<Value>,
    /// Why each `unknown` placeholder in the values is there, one description each
    /// (`Properties.KmsKeyId: !GetAtt Key.Arn`).
    pub unknowns: Vec<String>,
}

/// The account or region of a resource that does not say (and no `--parameter` told).
const UNKNOWN_PLACE: &str = "unknown";

impl Resource {
    /// The item AWS Config would record, in its snapshot-file form.
    pub fn item(&self, options: &TemplateOptions) -> Value {
        let pseudo = |name: &str| options.parameters.get(name).cloned();
        let account = self
            .account
            .clone()
            .or_else(|| pseudo("AWS::AccountId"))
            .unwrap_or_else(|| UNKNOWN_PLACE.into());
        let region = self
            .region
            .clone()
            .or_else(|| pseudo("AWS::Region"))
            .unwrap_or_else(|| UNKNOWN_PLACE.into());
        json!({
            "configurationItemVersion": "1.3",
            "configurationItemStatus": "ResourceDiscovered",
            "resourceType": self.resource_type,
            "resourceId": self.id,
            "resourceName": self.name.clone().unwrap_or_else(|| self.id.clone()),
            "ARN": self.arn,
            "awsAccountId": account,
            "awsRegion": region,
            "configuration": self.configuration,
            "supplementaryConfiguration": self.supplementary,
            "tags": self.tags,
            "relationships": self.relationships,
        })
    }
}
