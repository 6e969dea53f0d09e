//! A failing result's runbook: the control's parameter templates filled from the item (its
//! identity, and the values the evaluator captured) and the run's settings.

use crate::eval::Captured;
use crate::model::Subject;
use crate::policy::metadata::{template_variables, Remediation};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A remediation with its parameters filled from the item. Every finding has one, so the
/// runbook and parameter names are shared with the control's metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedRemediation {
    pub runbook: Arc<str>,
    pub parameters: Parameters,
}

/// Runbook parameters, in name order; serialised as a JSON object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parameters(Vec<(Arc<str>, Value)>);

impl Parameters {
    /// From (name, value) pairs in name order.
    pub fn from_sorted(pairs: Vec<(Arc<str>, Value)>) -> Self {
        debug_assert!(pairs.windows(2).all(|w| w[0].0 < w[1].0));
        Parameters(pairs)
    }

    /// (name, value) in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(name, value)| (name.as_ref(), value))
    }
}

impl Serialize for Parameters {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name.as_ref(), value)?;
        }
        map.end()
    }
}

/// Resolve every parameter; a template that cannot be filled (a setting not given) is
/// kept as written so the plan shows what still has to be supplied.
pub fn resolve(
    remediation: &Remediation,
    subject: &Subject,
    captured: Option<&Captured>,
    settings: &BTreeMap<String, Value>,
) -> ResolvedRemediation {
    let values = Values {
        subject,
        captured,
        settings,
    };
    let parameters = remediation
        .parameters
        .iter()
        .map(|(name, template)| {
            let value = match template {
                Value::String(text) => values.fill(text),
                other => other.clone(),
            };
            (name.clone(), value)
        })
        .collect();
    ResolvedRemediation {
        runbook: remediation.runbook.clone(),
        // The metadata's map iterates in name order.
        parameters: Parameters::from_sorted(parameters),
    }
}

/// What a template's variables are filled from.
struct Values<'a> {
    subject: &'a Subject,
    captured: Option<&'a Captured>,
    settings: &'a BTreeMap<String, Value>,
}

impl Values<'_> {
    /// The value of one template variable, if the item (or the settings) has it.
    fn lookup(&self, variable: &str) -> Option<Value> {
        let subject = self.subject;
        let text = |s: &str| Some(Value::String(s.to_string()));
        match variable {
            "resourceId" => text(&subject.resource_id),
            "resourceName" => text(
                subject
                    .resource_name
                    .as_deref()
                    .unwrap_or(&subject.resource_id),
            ),
            "resourceType" => text(&subject.resource_type),
            "ARN" => subject.arn.as_deref().and_then(text),
            "awsAccountId" => text(&subject.account),
            "awsRegion" => text(&subject.region),
            other => {
                if let Some(name) = other.strip_prefix("settings.") {
                    return self.settings.get(name).cloned();
                }
                let path = other.strip_prefix("configuration.")?;
                self.captured?
                    .iter()
                    .find(|(captured, _)| captured.as_ref() == path)
                    .map(|(_, value)| value.clone())
            }
        }
    }

    fn fill(&self, text: &str) -> Value {
        let variables = template_variables(text);
        // A template that is exactly one variable keeps the variable's type (a number, a list).
        if variables.len() == 1 && text.trim() == format!("{{{{{}}}}}", variables[0]) {
            return self
                .lookup(variables[0])
                .unwrap_or_else(|| Value::String(text.to_string()));
        }
        let mut out = text.to_string();
        for variable in variables {
            if let Some(value) = self.lookup(variable) {
                let replacement = match value {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                out = out.replace(&format!("{{{{{variable}}}}}"), &replacement);
            }
        }
        Value::String(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remediation(parameters: Value) -> Remediation {
        Remediation {
            runbook: Arc::from("AWS-Fix"),
            parameters: serde_json::from_value(parameters).expect("a map"),
            automatic: false,
            maximum_automatic_attempts: 5,
            retry_attempt_seconds: 60,
            concurrent_execution_rate_percentage: 10,
            error_percentage: 10,
        }
    }

    #[test]
    fn templates_are_filled_from_the_item_the_captured_values_and_the_settings() {
        let subject = Subject {
            resource_type: Arc::from("AWS::EC2::SecurityGroup"),
            resource_id: Arc::from("sg-1"),
            resource_name: None,
            arn: None,
            account: Arc::from("111122223333"),
            region: Arc::from("eu-west-1"),
            capture_time: None,
            state_id: None,
            origin: None,
        };
        let captured: Captured = vec![(Arc::from("ports"), serde_json::json!([22, 3389]))];
        let settings = BTreeMap::from([("role".to_string(), serde_json::json!("arn:role"))]);
        let resolved = resolve(
            &remediation(serde_json::json!({
                "GroupId": "{{resourceId}}",
                "Name": "{{resourceName}}",
                "Ports": "{{configuration.ports}}",
                "Where": "{{awsAccountId}}/{{awsRegion}}",
                "Role": "{{settings.role}}",
                "Missing": "{{settings.nope}}",
                "Arn": "{{ARN}}",
                "Fixed": 3,
            })),
            &subject,
            Some(&captured),
            &settings,
        );
        let filled = serde_json::to_value(&resolved.parameters).expect("serialises");
        assert_eq!(
            filled,
            serde_json::json!({
                "GroupId": "sg-1", "Name": "sg-1", "Ports": [22, 3389],
                "Where": "111122223333/eu-west-1", "Role": "arn:role",
                "Missing": "{{settings.nope}}", "Arn": "{{ARN}}", "Fixed": 3,
            })
        );
        assert_eq!(resolved.runbook.as_ref(), "AWS-Fix");
    }
}
