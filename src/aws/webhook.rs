//! `--notify URL`: one JSON POST to a webhook (a Slack incoming webhook, or anything that
//! takes JSON), over the SDK's own HTTP stack. A failure is a problem for the caller to
//! print; it never stops what it reports on. The URL is a secret (a Slack webhook's path
//! is its credential), so problems name only its scheme and host.

use crate::diagnostics::{Code, Problem};
use std::time::Duration;

/// The longest a post may take, connecting included.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Posts `payload` to `url`.
pub fn post(url: &str, payload: &serde_json::Value) -> Result<(), Problem> {
    let shown = shown(url);
    let fail = |why: String| {
        Problem::new(Code::RemediationNotify, &shown, why).with_help(
            "the remediation is unaffected; check the URL and that the endpoint takes JSON posts",
        )
    };
    let uri: http::Uri = url
        .parse()
        .map_err(|_| fail("the --notify URL is not a URL".to_string()))?;
    if !matches!(uri.scheme_str(), Some("http" | "https")) {
        return Err(fail("the --notify URL must be http or https".to_string()));
    }
    let body = serde_json::to_vec(payload).map_err(|err| fail(err.to_string()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| fail(format!("could not start the HTTP runtime: {err}")))?;
    runtime.block_on(async {
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(rustls::crypto::aws_lc_rs::default_provider())
            .map_err(|err| fail(format!("no TLS roots: {err}")))?
            .https_or_http()
            .enable_http1()
            .build();
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(connector);
        let request = http::Request::post(uri)
            .header("content-type", "application/json")
            .header("user-agent", concat!("regent/", env!("CARGO_PKG_VERSION")))
            .body(http_body_util::Full::new(bytes::Bytes::from(body)))
            .map_err(|err| fail(err.to_string()))?;
        let answer = tokio::time::timeout(TIMEOUT, client.request(request))
            .await
            .map_err(|_| fail(format!("no answer within {} s", TIMEOUT.as_secs())))?
            .map_err(|err| fail(format!("the post failed: {}", super::causes(&err))))?;
        let status = answer.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(fail(format!(
                "the endpoint answered HTTP {}",
                status.as_u16()
            )))
        }
    })
}

/// The URL as problems may show it: scheme and host, never the path or query (a
/// webhook's secret).
fn shown(url: &str) -> String {
    match url.parse::<http::Uri>() {
        Ok(uri) => format!(
            "--notify {}://{}/…",
            uri.scheme_str().unwrap_or("?"),
            uri.authority().map(|a| a.host()).unwrap_or("?")
        ),
        Err(_) => "--notify".to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_webhook_url_is_shown_without_its_secret_path() {
        let shown = super::shown("https://hooks.slack.com/services/T000/B000/XXXXSECRET");
        assert_eq!(shown, "--notify https://hooks.slack.com/…");
        assert!(!shown.contains("SECRET"));
    }
}
