//! SSM Automation for `regent remediate apply`: StartAutomationExecution and
//! GetAutomationExecution in each resource's account and region, as the identity
//! `--assume-role` names there (`arn:aws:iam::{account}:role/NAME`, `{region}` too), or as
//! the caller's own when no role is given. A client per account and region, made once.
//! Throttling and 5xx answers are retried by the SDK's policy with the same idempotency
//! token, so a retried call never makes a second execution.

use super::Aws;
use crate::diagnostics::{Code, Problem};
use crate::remediation::apply::{Automation, Execution, Place, Start};
use aws_config::Region;
use aws_sdk_ssm::Client;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Automation over the SDK.
pub struct Ssm {
    aws: Arc<Aws>,
    /// `--assume-role`, with `{account}` and `{region}` to fill.
    role: Option<String>,
    external_id: Option<String>,
    clients: Mutex<BTreeMap<Place, aws_config::SdkConfig>>,
}

impl Ssm {
    pub fn new(aws: Arc<Aws>, role: Option<String>, external_id: Option<String>) -> Self {
        Ssm {
            aws,
            role,
            external_id,
            clients: Mutex::new(BTreeMap::new()),
        }
    }

    /// The configuration calls for `place` are made with: its region, and the role of
    /// its account when one is given.
    fn config(&self, place: &Place) -> aws_config::SdkConfig {
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        clients
            .entry(place.clone())
            .or_insert_with(|| {
                let base = self
                    .aws
                    .sdk()
                    .clone()
                    .into_builder()
                    .region(Region::new(place.region.clone()))
                    .build();
                let Some(template) = &self.role else {
                    return base;
                };
                let role = role_for(template, place);
                let mut provider = aws_config::sts::AssumeRoleProvider::builder(role)
                    .session_name("regent-remediation")
                    .region(Region::new(place.region.clone()))
                    .configure(&base);
                if let Some(external_id) = &self.external_id {
                    provider = provider.external_id(external_id.clone());
                }
                let provider = self.aws.block_on(provider.build());
                base.into_builder()
                    .credentials_provider(
                        aws_credential_types::provider::SharedCredentialsProvider::new(provider),
                    )
                    .build()
            })
            .clone()
    }
}

/// `template` with the place's account and region filled in.
pub fn role_for(template: &str, place: &Place) -> String {
    template
        .replace("{account}", &place.account)
        .replace("{region}", &place.region)
}

fn where_(place: &Place) -> String {
    format!("{} / {}", place.account, place.region)
}

impl Automation for Ssm {
    fn identity(&self, place: &Place) -> Result<String, Problem> {
        let sts = aws_sdk_sts::Client::new(&self.config(place));
        let answer = self.aws.call(
            "GetCallerIdentity",
            &where_(place),
            sts.get_caller_identity().send(),
        )?;
        let arn = answer.arn().unwrap_or_default().to_string();
        let account = answer.account().unwrap_or_default();
        // A role that lands in another account would change another account's resources.
        if account != place.account {
            return Err(Problem::new(
                Code::RemediationExecution,
                where_(place),
                format!(
                    "the credentials for account {} act as account {account} ({arn}); nothing is started there",
                    place.account
                ),
            )
            .with_help("give --assume-role 'arn:aws:iam::{account}:role/NAME' to act in each resource's account, or run with credentials of that account"));
        }
        Ok(arn)
    }

    fn start(&self, place: &Place, start: &Start) -> Result<String, Problem> {
        let client = Client::new(&self.config(place));
        let mut request = client
            .start_automation_execution()
            .document_name(&start.document)
            .client_token(&start.client_token);
        for (name, values) in &start.parameters {
            request = request.parameters(name, values.clone());
        }
        let answer = self.aws.call(
            "StartAutomationExecution",
            &format!("{} in {}", start.document, where_(place)),
            request.send(),
        )?;
        answer
            .automation_execution_id()
            .map(str::to_string)
            .ok_or_else(|| {
                Problem::new(
                    Code::RemediationExecution,
                    where_(place),
                    "StartAutomationExecution answered without an execution id",
                )
            })
    }

    fn execution(&self, place: &Place, execution_id: &str) -> Result<Execution, Problem> {
        let client = Client::new(&self.config(place));
        let answer = self.aws.call(
            "GetAutomationExecution",
            &format!("execution {execution_id} in {}", where_(place)),
            client
                .get_automation_execution()
                .automation_execution_id(execution_id)
                .send(),
        )?;
        let execution = answer.automation_execution();
        Ok(Execution {
            status: execution
                .and_then(|e| e.automation_execution_status())
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "Pending".to_string()),
            failure: execution
                .and_then(|e| e.failure_message())
                .map(str::to_string),
        })
    }
}
