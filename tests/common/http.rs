//! The bit of HTTP/1.1 the local test servers and their raw-HTTP checks speak, std only,
//! on 127.0.0.1: a server with a thread per connection that keeps connections alive (the
//! SDK reuses them), and a one-shot client (`send`) for tests that talk to a server
//! without an SDK.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A request a server received. Header names are lower-cased.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub method: String,
    pub path: String,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

/// What a server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<String>) -> Reply {
        Reply {
            status,
            content_type: content_type.to_string(),
            body: body.into(),
        }
    }
}

/// A server listening on a free port of 127.0.0.1; it stops accepting when dropped.
pub struct Listening {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

impl Listening {
    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Serve every request with `handler`, each connection on a thread of its own (so a slow
/// answer holds up only its own connection).
pub fn listen<H>(handler: H) -> Listening
where
    H: Fn(&Incoming) -> Reply + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    let port = listener.local_addr().expect("bound").port();
    let stop = Arc::new(AtomicBool::new(false));
    let accept_stop = stop.clone();
    let handler = Arc::new(handler);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if accept_stop.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else { continue };
            let handler = handler.clone();
            std::thread::spawn(move || serve_connection(stream, &*handler));
        }
    });
    Listening { port, stop }
}

/// Requests of one connection, until the client closes it or asks to.
fn serve_connection<H: Fn(&Incoming) -> Reply>(stream: TcpStream, handler: &H) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(incoming) = read_request(&mut reader) {
        let reply = handler(&incoming);
        let close = incoming
            .headers
            .get("connection")
            .is_some_and(|c| c.eq_ignore_ascii_case("close"));
        if write_reply(&mut writer, &reply).is_err() || close {
            return;
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Incoming> {
    let (start, headers) = read_head(reader)?;
    let mut parts = start.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let body = read_body(reader, &headers, false)?;
    Some(Incoming {
        method,
        path,
        headers,
        body,
    })
}

fn write_reply(writer: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nx-amzn-RequestId: req-{}\r\n\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len(),
        reply.status,
    );
    writer.write_all(head.as_bytes())?;
    writer.write_all(reply.body.as_bytes())?;
    writer.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// The start line and the headers (names lower-cased) of a message; `None` when the
/// connection ends first.
fn read_head<R: BufRead>(reader: &mut R) -> Option<(String, BTreeMap<String, String>)> {
    let mut start = String::new();
    if reader.read_line(&mut start).ok()? == 0 {
        return None;
    }
    let mut headers = BTreeMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    Some((start.trim_end().to_string(), headers))
}

/// A message's body: chunked, of its `Content-Length`, else empty (a request) or up to
/// the end of the connection (`to_end`, an answer).
fn read_body<R: BufRead>(
    reader: &mut R,
    headers: &BTreeMap<String, String>,
    to_end: bool,
) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    if headers
        .get("transfer-encoding")
        .is_some_and(|t| t.contains("chunked"))
    {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).ok()?;
            let size = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
        return Some(body);
    }
    match headers.get("content-length").and_then(|l| l.parse().ok()) {
        Some(length) => {
            body.resize(length, 0);
            reader.read_exact(&mut body).ok()?;
        }
        None if to_end => {
            reader.read_to_end(&mut body).ok()?;
        }
        None => {}
    }
    Some(body)
}

/// An answer `send` received. Header names are lower-cased.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl Response {
    /// The body as JSON (`Null` when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// One request to `base` (`http://127.0.0.1:PORT`) on a connection of its own, and its
/// answer.
pub fn send(
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let authority = base
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default();
    let mut stream = TcpStream::connect(authority)
        .unwrap_or_else(|e| panic!("{authority} accepts a connection: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("a read timeout");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .expect("the request is sent");
    stream.write_all(body).expect("the request is sent");
    let mut reader = BufReader::new(stream);
    let (status_line, headers) = read_head(&mut reader).expect("an answer");
    let body = read_body(&mut reader, &headers, true).expect("the answer's body");
    Response {
        status: status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("an HTTP status"),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}
