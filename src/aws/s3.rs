//! S3 through the SDK: the `ObjectStore` the S3 source needs (ListObjectsV2, GetObject).
//! Objects are fetched a few at a time on the AWS runtime, ahead of the synchronous reader,
//! and handed over in order through a small bounded channel, so that at most
//! `IN_FLIGHT + READY` fetched objects wait in memory for the loading workers.

use super::{call_failed, Aws};
use crate::diagnostics::{Code, Problem};
use crate::source::s3::{Listed, ObjectStore, Page};
use crate::source::too_large;
use aws_sdk_s3::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::collections::VecDeque;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// GetObject calls running at once.
const IN_FLIGHT: usize = 4;
/// Fetched objects waiting, in order, for the reader.
const READY: usize = 2;

/// A bucket store on S3 (or an endpoint that speaks its API).
pub struct S3Store {
    aws: Arc<Aws>,
    client: Client,
    page_size: Option<u32>,
}

impl S3Store {
    /// A client on `aws`'s settings; `page_size` sets ListObjectsV2's MaxKeys.
    pub fn new(aws: Arc<Aws>, page_size: Option<u32>) -> Self {
        let mut config = aws_sdk_s3::config::Builder::from(aws.sdk());
        // A local endpoint (moto, MinIO) serves buckets under its own address, not as
        // sub-domains of it.
        if aws.sdk().endpoint_url().is_some()
            || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some_and(|url| !url.is_empty())
        {
            config = config.force_path_style(true);
        }
        S3Store {
            client: Client::from_conf(config.build()),
            aws,
            page_size,
        }
    }

    /// The region calls go to, for messages.
    fn region(&self) -> Option<&str> {
        self.aws.sdk().region().map(|region| region.as_ref())
    }
}

impl ObjectStore for S3Store {
    fn list_page(&self, bucket: &str, prefix: &str, token: Option<&str>) -> Result<Page, Problem> {
        let resource = match prefix {
            "" => format!("s3://{bucket}"),
            prefix => format!("s3://{bucket}/{prefix}"),
        };
        let mut request = self
            .client
            .list_objects_v2()
            .bucket(bucket)
            .set_continuation_token(token.map(str::to_string));
        if !prefix.is_empty() {
            request = request.prefix(prefix);
        }
        if let Some(size) = self.page_size {
            request = request.max_keys(i32::try_from(size).unwrap_or(i32::MAX));
        }
        let output = self
            .aws
            .block_on(request.send())
            .map_err(|err| s3_call_failed("ListObjectsV2", &resource, self.region(), &err))?;
        let objects = output
            .contents()
            .iter()
            .filter_map(|object| {
                Some(Listed {
                    key: object.key()?.to_string(),
                    size: object.size().unwrap_or(0).max(0) as u64,
                })
            })
            .collect();
        // Some S3-compatible stores leave IsTruncated out: the token alone then says more.
        let next = match output.is_truncated() {
            Some(false) => None,
            _ => output.next_continuation_token().map(str::to_string),
        };
        Ok(Page { objects, next })
    }

    fn fetch(
        &self,
        bucket: &str,
        keys: Vec<String>,
        max_bytes: u64,
    ) -> Box<dyn Iterator<Item = Result<Vec<u8>, Problem>> + Send> {
        let (sender, receiver) = mpsc::channel(READY);
        let fetcher = Fetcher {
            client: self.client.clone(),
            bucket: Arc::from(bucket),
            region: self.region().map(Arc::from),
            max_bytes,
        };
        let driver = self.aws.runtime().spawn(fetcher.run(keys, sender));
        Box::new(Fetched {
            receiver,
            driver: Task(driver),
            _aws: self.aws.clone(),
        })
    }
}

/// What each GetObject needs.
#[derive(Clone)]
struct Fetcher {
    client: Client,
    bucket: Arc<str>,
    region: Option<Arc<str>>,
    max_bytes: u64,
}

impl Fetcher {
    /// Fetch `keys` with at most `IN_FLIGHT` calls running, sending each result in the
    /// order of `keys`; stops when the reader is gone.
    async fn run(self, keys: Vec<String>, sender: mpsc::Sender<Result<Vec<u8>, Problem>>) {
        let mut keys = keys.into_iter();
        let mut running: VecDeque<Task<Result<Vec<u8>, Problem>>> = VecDeque::new();
        loop {
            while running.len() < IN_FLIGHT {
                let Some(key) = keys.next() else { break };
                running.push_back(Task(tokio::spawn(self.clone().get(key))));
            }
            let Some(mut first) = running.pop_front() else {
                return;
            };
            let result = match (&mut first.0).await {
                Ok(result) => result,
                Err(err) => Err(Problem::new(
                    Code::AwsCall,
                    format!("s3://{}", self.bucket),
                    format!("GetObject stopped: {err}"),
                )),
            };
            if sender.send(result).await.is_err() {
                return;
            }
        }
    }

    /// One object's bytes, as stored, when there are at most `max_bytes` of them
    /// (checked on the announced length, and again while reading in case it lies).
    async fn get(self, key: String) -> Result<Vec<u8>, Problem> {
        let origin = format!("s3://{}/{key}", self.bucket);
        let output = self
            .client
            .get_object()
            .bucket(&*self.bucket)
            .key(&key)
            .send()
            .await
            .map_err(|err| s3_call_failed("GetObject", &origin, self.region.as_deref(), &err))?;
        let length = u64::try_from(output.content_length().unwrap_or(0)).unwrap_or(0);
        if length > self.max_bytes {
            return Err(too_large(&origin, self.max_bytes, "is"));
        }
        let mut body = output.body;
        let mut bytes = Vec::with_capacity(length as usize);
        loop {
            let chunk = body.try_next().await.map_err(|err| {
                Problem::new(
                    Code::AwsCall,
                    &origin,
                    format!("GetObject failed while reading the object: {err}"),
                )
                .with_help("the connection broke: run again, or raise --aws-timeout")
            })?;
            let Some(chunk) = chunk else {
                return Ok(bytes);
            };
            if (bytes.len() + chunk.len()) as u64 > self.max_bytes {
                return Err(too_large(&origin, self.max_bytes, "is"));
            }
            bytes.extend_from_slice(&chunk);
        }
    }
}

/// A task aborted when dropped: a reader that goes away stops the fetching it started.
struct Task<T>(JoinHandle<T>);

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The reader's end: fetched objects in order. Keeps the runtime alive while it lasts.
struct Fetched {
    receiver: mpsc::Receiver<Result<Vec<u8>, Problem>>,
    driver: Task<()>,
    _aws: Arc<Aws>,
}

impl Iterator for Fetched {
    type Item = Result<Vec<u8>, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        // Called from the loading workers (rayon), never from the AWS runtime.
        let next = self.receiver.blocking_recv();
        if next.is_none() {
            self.driver.0.abort();
        }
        next
    }
}

/// `call_failed`, plus the bucket's region when S3 names it (`x-amz-bucket-region`, sent
/// with PermanentRedirect and friends) and it is not the one called.
fn s3_call_failed<E>(
    operation: &str,
    resource: &str,
    called: Option<&str>,
    err: &SdkError<E, HttpResponse>,
) -> Problem
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let problem = call_failed(operation, resource, err);
    let region = err
        .raw_response()
        .and_then(|response| response.headers().get("x-amz-bucket-region"))
        .filter(|region| !region.is_empty() && Some(*region) != called);
    match region {
        Some(region) => {
            let mut problem = problem.with_help(format!(
                "the bucket is in {region}: pass --aws-region {region}"
            ));
            problem.message = format!("{} (the bucket is in {region})", problem.message);
            problem
        }
        None => problem,
    }
}
