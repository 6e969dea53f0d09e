//! The only module that talks to AWS: it alone imports the SDK. What the rest of regent
//! needs from AWS is a small trait where it is needed (a source's object store, a sink's
//! destination); the implementations here call the SDK, and tests point them at local
//! endpoints on 127.0.0.1 (`--endpoint-url`). Calls run on a tokio runtime of their own;
//! the pipeline stays synchronous and parallel on rayon.

pub mod config;
pub mod s3;
pub mod securityhub;
pub mod ssm;
pub mod webhook;

use crate::diagnostics::{Code, Problem};
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::sync::Arc;
use std::time::Duration;

/// How to reach AWS: the standard credential, profile and region chain, with what the
/// command line overrides, and the retry and timeout policy every call follows.
#[derive(Debug, Clone, Default)]
pub struct AwsSettings {
    pub profile: Option<String>,
    pub region: Option<String>,
    /// Every service at this address (a local endpoint in tests); `AWS_ENDPOINT_URL`
    /// works as well, through the SDK.
    pub endpoint_url: Option<String>,
    /// Read through this role (STS AssumeRole), with this external id.
    pub assume_role: Option<String>,
    pub external_id: Option<String>,
    pub retry: Retry,
}

/// AWS, connected when first needed (a run over local files, or a change event judged
/// without sending, never resolves credentials), and once for the whole run.
pub struct Connection {
    pub settings: AwsSettings,
    aws: std::sync::OnceLock<Result<Arc<Aws>, Problem>>,
}

impl Connection {
    pub fn new(settings: AwsSettings) -> Self {
        Connection {
            settings,
            aws: std::sync::OnceLock::new(),
        }
    }

    /// How a `config://` read asks again for keys AWS left unprocessed: after the retry
    /// policy's first wait, doubling.
    pub fn read_options(&self) -> crate::source::config_api::ReadOptions {
        crate::source::config_api::ReadOptions {
            backoff: self.settings.retry.initial_backoff,
            ..Default::default()
        }
    }

    /// How evaluations AWS lists in `FailedEvaluations` are sent again: after the retry
    /// policy's first wait, doubling.
    pub fn resend(&self) -> config::Resend {
        config::Resend {
            backoff: self.settings.retry.initial_backoff,
            ..Default::default()
        }
    }

    /// The connection, or why there is none, told of `input` (what needed it).
    pub fn get(&self, input: &str) -> Result<Arc<Aws>, Problem> {
        let aws = self
            .aws
            .get_or_init(|| Aws::connect(&self.settings).map(Arc::new));
        aws.clone().map_err(|problem| Problem {
            source: input.to_string(),
            ..problem
        })
    }
}

/// The retry and timeout policy, explicit rather than the SDK's defaults: throttling
/// and 5xx answers are retried with exponential backoff and jitter up to `max_attempts`
/// calls in all; a call that takes longer than `operation_timeout` (all attempts) fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    pub max_attempts: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    pub connect_timeout: Duration,
    pub operation_timeout: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            max_attempts: 8,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(10),
            operation_timeout: Duration::from_secs(300),
        }
    }
}

/// A connection to AWS: the resolved configuration and the runtime its calls run on.
pub struct Aws {
    runtime: tokio::runtime::Runtime,
    sdk: SdkConfig,
}

impl Aws {
    /// Resolves credentials, region and endpoint (assuming the role when asked). Nothing
    /// is called yet but STS, for a role.
    pub fn connect(settings: &AwsSettings) -> Result<Aws, Problem> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("regent-aws")
            .build()
            .map_err(|err| setup_problem(format!("could not start the AWS runtime: {err}")))?;
        let sdk = runtime.block_on(load(settings))?;
        Ok(Aws { runtime, sdk })
    }

    pub fn sdk(&self) -> &SdkConfig {
        &self.sdk
    }

    pub fn runtime(&self) -> &tokio::runtime::Runtime {
        &self.runtime
    }

    /// Runs one future to completion on the AWS runtime.
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// `call` run to its end; a failure is a problem naming `operation` and `resource`
    /// (`call_failed`).
    pub fn call<T, E, R>(
        &self,
        operation: &str,
        resource: &str,
        call: impl std::future::Future<
            Output = Result<T, aws_smithy_runtime_api::client::result::SdkError<E, R>>,
        >,
    ) -> Result<T, Problem>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        self.block_on(call)
            .map_err(|err| call_failed(operation, resource, &err))
    }
}

async fn load(settings: &AwsSettings) -> Result<SdkConfig, Problem> {
    let retry = settings.retry;
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(retry.max_attempts.max(1))
                .with_initial_backoff(retry.initial_backoff)
                .with_max_backoff(retry.max_backoff),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(retry.connect_timeout)
                .operation_timeout(retry.operation_timeout)
                .build(),
        );
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &settings.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(endpoint) = &settings.endpoint_url {
        loader = loader.endpoint_url(endpoint);
    }
    let base = loader.load().await;
    if base.region().is_none() {
        return Err(setup_problem("no AWS region is set".to_string()).with_help(
            "pass --aws-region, set AWS_REGION, or give the profile a region (aws configure)",
        ));
    }
    let Some(role) = &settings.assume_role else {
        return Ok(base);
    };
    let mut provider = aws_config::sts::AssumeRoleProvider::builder(role.clone())
        .session_name("regent")
        .configure(&base);
    if let Some(external_id) = &settings.external_id {
        provider = provider.external_id(external_id.clone());
    }
    let provider = provider.build().await;
    Ok(base
        .into_builder()
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(provider),
        )
        .build())
}

fn setup_problem(message: String) -> Problem {
    Problem::new(Code::AwsSetup, "aws", message)
}

/// A failed call as a diagnostic naming the operation, the resource (an `s3://` key, a
/// Config resource, a rule), the error code and the request id, with help for the
/// common causes. Never the credentials or a token: the SDK's messages hold neither.
pub fn call_failed<E, R>(
    operation: &str,
    resource: &str,
    err: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> Problem
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    use aws_smithy_runtime_api::client::result::SdkError;
    let (code, message, request_id) = match err {
        SdkError::ServiceError(service) => {
            let meta = service.err().meta();
            (
                meta.code().map(str::to_string),
                meta.message().map(str::to_string),
                meta.extra("aws_request_id").map(str::to_string),
            )
        }
        _ => (None, None, None),
    };
    if let Some(problem) = credentials_failed(operation, resource, err) {
        return problem;
    }
    let detail = match (&code, &message) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code.clone(),
        _ => causes(err),
    };
    let request = request_id.map_or(String::new(), |id| format!(" (request id {id})"));
    let problem = Problem::new(
        Code::AwsCall,
        resource,
        format!("{operation} failed: {detail}{request}"),
    );
    match help_for(code.as_deref(), err) {
        Some(help) => problem.with_help(help),
        None => problem,
    }
}

/// A call that never left because no credentials could be had: said plainly, with what
/// to do, rather than as the SDK's chain of provider attempts.
fn credentials_failed(
    operation: &str,
    resource: &str,
    err: &dyn std::error::Error,
) -> Option<Problem> {
    use aws_credential_types::provider::error::CredentialsError;
    let mut source = err.source();
    while let Some(cause) = source {
        if let Some(credentials) = cause.downcast_ref::<CredentialsError>() {
            let (message, help) = match credentials {
                CredentialsError::CredentialsNotLoaded(_) => (
                    format!("{operation} was not sent: no AWS credentials were found (the environment, the profile, web identity, the container and the instance were tried)"),
                    "give regent credentials: --profile NAME or AWS_PROFILE (run `aws sso login` first for SSO), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is attached",
                ),
                other => (
                    format!("{operation} was not sent: the credentials could not be loaded: {}", causes(other)),
                    "refresh the credentials (aws sso login, or new keys) or check the profile's configuration",
                ),
            };
            return Some(Problem::new(Code::AwsCall, resource, message).with_help(help));
        }
        source = cause.source();
    }
    None
}

/// An error and its causes, each said once, on one line (the SDK's own display adds its
/// Debug form, and providers' messages hold newlines).
fn causes(err: &dyn std::error::Error) -> String {
    let mut said: Vec<String> = Vec::new();
    let mut next: Option<&dyn std::error::Error> = Some(err);
    while let Some(cause) = next {
        let text = cause
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !text.is_empty() && !said.iter().any(|s| s.contains(&text)) {
            said.push(text);
        }
        next = cause.source();
    }
    said.join(": ")
}

fn help_for<E, R>(
    code: Option<&str>,
    err: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> Option<&'static str> {
    use aws_smithy_runtime_api::client::result::SdkError;
    Some(match code {
        Some("AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation") => {
            "the credentials in use lack this permission; README \"AWS\" lists what regent calls"
        }
        Some("PermanentRedirect" | "AuthorizationHeaderMalformed" | "IllegalLocationConstraintException") => {
            "the bucket is in another region: pass that region with --aws-region"
        }
        Some("NoSuchBucket") => "check the bucket's name",
        Some("ExpiredToken" | "ExpiredTokenException" | "InvalidClientTokenId" | "UnrecognizedClientException") => {
            "the credentials are expired or invalid: refresh them (aws sso login, or new keys)"
        }
        Some("ThrottlingException" | "Throttling" | "SlowDown" | "TooManyRequestsException") => {
            "still throttled after every retry: raise --aws-max-attempts, or run again later"
        }
        _ => match err {
            SdkError::DispatchFailure(_) => "the endpoint could not be reached: check the network, --endpoint-url and --aws-region",
            SdkError::TimeoutError(_) => "the call timed out: raise --aws-timeout, or check the network",
            _ => return None,
        },
    })
}
