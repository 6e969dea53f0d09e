//! What an export is asked for: the format, the rule names, and the values templates may
//! need (settings, the account and region, parameter overrides).

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What the export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// PutRemediationConfigurations request bodies, at most 25 configurations each.
    Config,
    /// A CloudFormation template: per control its Config rule and remediation.
    CloudFormation,
    /// The same as an AWS Config conformance pack template.
    ConformancePack,
}

impl Format {
    pub const ALL: [Format; 3] = [
        Format::Config,
        Format::CloudFormation,
        Format::ConformancePack,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Config => "config",
            Format::CloudFormation => "cloudformation",
            Format::ConformancePack => "conformance-pack",
        }
    }

    pub fn parse(text: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == text)
    }

    /// A template (CloudFormation or conformance pack), not API requests.
    pub fn is_template(self) -> bool {
        self != Format::Config
    }
}

/// The prefix of every exported rule's name (`regent-s3-5` for S3.5).
pub const DEFAULT_RULE_PREFIX: &str = "regent-";

/// How often periodic rules run unless told otherwise.
pub const DEFAULT_FREQUENCY: &str = "TwentyFour_Hours";

/// The values Config's `MaximumExecutionFrequency` takes.
pub const FREQUENCIES: &[&str] = &[
    "One_Hour",
    "Three_Hours",
    "Six_Hours",
    "Twelve_Hours",
    "TwentyFour_Hours",
];

/// How an export is made.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    pub format: Format,
    /// `--rule-prefix`: a rule's name is this and the control id in lower case with `.`
    /// as `-` (`regent-s3-5`). The config format names rules so too: they must exist
    /// under those names (deployed from the cloudformation format, or by hand).
    pub rule_prefix: String,
    /// `--custom-rule`: every control as a custom rule backed by regent's Lambda handler,
    /// even one that mirrors a managed rule (whose logic or parameters may differ).
    pub custom_rule: bool,
    /// The account and region the config format is for (`{{awsAccountId}}`,
    /// `{{awsRegion}}`); templates use the stack's own.
    pub account: Option<String>,
    pub region: Option<String>,
    /// Settings for `{{settings.NAME}}` (regent.toml `[settings]` and `--set`).
    pub settings: BTreeMap<String, Value>,
    /// Parameter overrides by control id (regent.toml `[controls."ID"] parameters`).
    pub parameters: BTreeMap<String, Map<String, Value>>,
    /// `MaximumExecutionFrequency` of periodic rules (account-level controls).
    pub frequency: String,
}

impl ExportOptions {
    pub fn new(format: Format) -> Self {
        ExportOptions {
            format,
            rule_prefix: DEFAULT_RULE_PREFIX.to_string(),
            custom_rule: false,
            account: None,
            region: None,
            settings: BTreeMap::new(),
            parameters: BTreeMap::new(),
            frequency: DEFAULT_FREQUENCY.to_string(),
        }
    }

    /// The Config rule name of a control: the prefix, then the id in lower case with `.`
    /// as `-`.
    pub fn rule_name(&self, control_id: &str) -> String {
        format!(
            "{}{}",
            self.rule_prefix,
            control_id.to_lowercase().replace('.', "-")
        )
    }
}
