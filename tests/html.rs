//! `regent eval --format html` through the real binary, opened in headless Chromium
//! (Debian's `chromium`, which `.ci/run` installs): the page renders its results table, a
//! filter or a sort in the URL (`report.html#severity=critical`, `?severity=high`) is applied
//! on load, hostile values stay text, and a screenshot of the page is kept under
//! `target/test-output/html/`. Chromium runs with a throwaway profile, no network (every
//! host name resolves to nothing, background services off) and a time limit.

mod common;

use common::tools::{find, tool_or_skip};
use common::{json, regent, write};
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one Chromium run may take before the test fails.
const LIMIT: Duration = Duration::from_secs(60);

/// Where the screenshots are kept: `<target dir>/test-output/html`.
fn output_dir() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is <target>/tmp")
        .to_path_buf();
    let dir = target.join("test-output").join("html");
    std::fs::create_dir_all(&dir).expect("the test output directory is writable");
    dir
}

/// Debian's `chromium` (or `chromium-browser`), else `None` with a notice (a failure with
/// `REGENT_REQUIRE_TOOLS=1`).
fn chromium(test: &str) -> Option<PathBuf> {
    find("chromium")
        .or_else(|| find("chromium-browser"))
        .or_else(|| tool_or_skip("chromium", test))
}

struct Browser {
    program: PathBuf,
    profile: tempfile::TempDir,
}

impl Browser {
    fn new(program: PathBuf) -> Self {
        Browser {
            program,
            profile: tempfile::tempdir().expect("a temporary profile"),
        }
    }

    /// Runs headless Chromium on `url` with `extra` flags; its stdout. Killed, and the test
    /// failed, past `LIMIT`.
    fn run(&self, url: &str, extra: &[String]) -> String {
        let logs = tempfile::tempdir().expect("a temporary directory");
        let stdout = logs.path().join("stdout");
        let stderr = logs.path().join("stderr");
        let mut command = Command::new(&self.program);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-default-apps",
                "--metrics-recording-only",
                "--mute-audio",
                "--hide-scrollbars",
                // No request leaves the machine: every host name resolves to nothing.
                "--host-resolver-rules=MAP * ~NOTFOUND",
            ])
            .arg(format!("--user-data-dir={}", self.profile.path().display()))
            .args(extra)
            .arg(url)
            .stdin(Stdio::null())
            .stdout(File::create(&stdout).expect("stdout file"))
            .stderr(File::create(&stderr).expect("stderr file"));
        let mut child = command.spawn().expect("chromium starts");
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("chromium's status") {
                break status;
            }
            if start.elapsed() > LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "chromium did not finish {url} within {LIMIT:?}; stderr:\n{}",
                    std::fs::read_to_string(&stderr).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(
            status.success(),
            "chromium failed on {url} ({status}); stderr:\n{}",
            std::fs::read_to_string(&stderr).unwrap_or_default()
        );
        std::fs::read_to_string(&stdout).expect("chromium's output is UTF-8")
    }

    /// The DOM after the page's script ran.
    fn dom(&self, url: &str) -> Dom {
        Dom(self.run(url, &["--dump-dom".to_string()]))
    }

    fn screenshot(&self, url: &str, png: &Path) {
        let _ = std::fs::remove_file(png);
        self.run(
            url,
            &[
                format!("--screenshot={}", png.display()),
                "--window-size=1280,2000".to_string(),
            ],
        );
    }
}

/// A serialised DOM, read just enough for these tests.
struct Dom(String);

impl Dom {
    /// The opening tags of the results table's rows.
    fn rows(&self) -> Vec<&str> {
        self.0
            .match_indices("<tr class=\"result\"")
            .map(|(at, _)| {
                let tag = &self.0[at..];
                &tag[..tag.find('>').expect("a closed tag")]
            })
            .collect()
    }

    /// `name` of every row.
    fn column(&self, name: &str) -> Vec<String> {
        self.rows().iter().map(|tag| attribute(tag, name)).collect()
    }

    /// An attribute of the count line (`data-matching`, `data-total`).
    fn count(&self, name: &str) -> usize {
        let at = self.0.find("<p id=\"count\"").expect("the count line");
        let tag = &self.0[at..];
        let tag = &tag[..tag.find('>').unwrap()];
        attribute(tag, name)
            .parse()
            .unwrap_or_else(|_| panic!("{name} is a number in {tag}"))
    }

    fn count_text(&self) -> &str {
        let at = self.0.find("<p id=\"count\"").expect("the count line");
        let text = &self.0[at..];
        let text = &text[text.find('>').unwrap() + 1..];
        &text[..text.find('<').unwrap()]
    }

    fn title(&self) -> &str {
        let at = self.0.find("<title>").expect("a title") + "<title>".len();
        &self.0[at..at + self.0[at..].find("</title>").unwrap()]
    }
}

fn attribute(tag: &str, name: &str) -> String {
    let key = format!(" {name}=\"");
    let at = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}")) + key.len();
    tag[at..at + tag[at..].find('"').unwrap()].to_string()
}

fn url(page: &Path, suffix: &str) -> String {
    format!("file://{}{suffix}", page.display())
}

/// The page loads nothing: no script, style, image or frame from elsewhere, and the only
/// links are plain anchors to the Security Hub user guide (or within the page).
fn assert_self_contained(html: &str) {
    let lower = html.to_ascii_lowercase();
    for needle in [
        "src=\"http",
        "src='http",
        "src=\"//",
        "<link",
        "@import",
        "url(",
        "<iframe",
        "<img",
        "<object",
        "<embed",
    ] {
        assert!(!lower.contains(needle), "the page holds {needle:?}");
    }
    for (at, _) in lower.match_indices("href=\"") {
        let target = lower[at + 6..].replace("&#x2f;", "/");
        assert!(
            target.starts_with('#') || target.starts_with("https://docs.aws.amazon.com/"),
            "a link outside the page or the AWS documentation: {}",
            &target[..target.len().min(80)]
        );
    }
}

#[test]
fn the_demo_page_renders_filters_and_sorts_in_chromium() {
    let test = "the_demo_page_renders_filters_and_sorts_in_chromium";
    let Some(program) = chromium(test) else {
        return;
    };
    let out = output_dir();
    let page = out.join("report.html");
    let run = regent(&[
        "eval",
        "fixtures/demo",
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "the demo has findings: {}", run.stderr);
    let html = std::fs::read_to_string(&page).expect("the page is written");
    assert_self_contained(&html);

    let report = json(&regent(&["eval", "fixtures/demo", "--format", "json"]));
    let results = report["results"].as_array().expect("results");
    let of_severity = |s: &str| results.iter().filter(|r| r["severity"] == s).count();
    let browser = Browser::new(program);

    // Every result, failures first.
    let all = browser.dom(&url(&page, ""));
    assert!(
        all.title().starts_with("regent: FAILED, "),
        "{}",
        all.title()
    );
    assert_eq!(all.count("data-total"), results.len());
    assert_eq!(all.count("data-matching"), results.len());
    assert_eq!(all.count_text(), format!("{} results", results.len()));
    assert_eq!(
        all.rows().len(),
        results.len().min(regent::sink::html::MAX_RENDERED)
    );
    let verdicts = all.column("data-compliance");
    assert_eq!(verdicts[0], "NON_COMPLIANT");
    let first_passing = verdicts.iter().position(|v| v != "NON_COMPLIANT").unwrap();
    assert!(
        verdicts[first_passing..]
            .iter()
            .all(|v| v != "NON_COMPLIANT"),
        "failures first"
    );

    // A filter in the fragment: only the critical results, counted.
    let critical = browser.dom(&url(&page, "#severity=critical"));
    let rows = critical.column("data-severity");
    assert_eq!(rows.len(), of_severity("critical"));
    assert!(rows.len() < results.len() && !rows.is_empty());
    assert!(rows.iter().all(|s| s == "critical"), "{rows:?}");
    assert_eq!(critical.count("data-matching"), rows.len());
    assert_eq!(
        critical.count_text(),
        format!("{} of {} results match", rows.len(), results.len())
    );

    // In the query string, and a text filter with a select together.
    let high = browser.dom(&url(&page, "?severity=high"));
    assert_eq!(high.rows().len(), of_severity("high"));
    let s3_5 = browser.dom(&url(&page, "#q=S3.5&compliance=NON_COMPLIANT"));
    let expected = results
        .iter()
        .filter(|r| r["control_id"] == "S3.5" && r["compliance_type"] == "NON_COMPLIANT")
        .count();
    assert!(expected > 0);
    assert_eq!(
        s3_5.column("data-control"),
        vec!["S3.5".to_string(); expected]
    );
    let nothing = browser.dom(&url(&page, "#q=no-such-resource-anywhere"));
    assert_eq!(
        (nothing.rows().len(), nothing.count("data-matching")),
        (0, 0)
    );

    // Sorting: by severity, least severe first; by control, descending (naturally).
    let rank = |s: &str| {
        ["informational", "low", "medium", "high", "critical"]
            .iter()
            .position(|r| *r == s)
            .unwrap()
    };
    let ascending = browser.dom(&url(&page, "#sort=severity&dir=asc"));
    let ranks: Vec<usize> = ascending
        .column("data-severity")
        .iter()
        .map(|s| rank(s))
        .collect();
    assert_eq!(
        ranks.len(),
        results.len().min(regent::sink::html::MAX_RENDERED)
    );
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "sorted by severity");
    assert!(ranks.first() < ranks.last());
    let controls = browser
        .dom(&url(
            &page,
            "#compliance=NON_COMPLIANT&sort=control&dir=desc",
        ))
        .column("data-control");
    let mut expected: Vec<String> = controls.clone();
    expected.sort_by(|a, b| regent::policy::natural_cmp(b, a));
    assert_eq!(controls, expected, "sorted by control, descending");
    let by_control: BTreeMap<&String, usize> = controls.iter().fold(BTreeMap::new(), |mut m, c| {
        *m.entry(c).or_default() += 1;
        m
    });
    assert_eq!(
        by_control.values().sum::<usize>() as u64,
        report["summary"]["non_compliant"].as_u64().unwrap()
    );

    // The screenshot, kept.
    let png = out.join("report.png");
    browser.screenshot(&url(&page, ""), &png);
    let bytes = std::fs::read(&png).expect("the screenshot is written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(
        bytes.len() > 20_000,
        "a page, not a blank: {} bytes",
        bytes.len()
    );
    let notice = format!("screenshot of the demo report: {}\n", png.display());
    let _ = std::io::Write::write_all(&mut std::io::stderr(), notice.as_bytes());
}

/// A pack whose reason and whose buckets' names are markup.
const HOSTILE: &str = r#"package regent.acme_1

metadata := {
	"id": "ACME.1",
	"title": "Buckets carry an <b>owner</b> tag",
	"severity": "high",
	"resource_types": ["AWS::S3::Bucket"],
}

violation contains sprintf("<img src=x onerror=\"document.title='pwned-%s'\">", [input.resourceName]) if not input.tags.owner
"#;

#[test]
fn hostile_values_stay_text_in_chromium() {
    let test = "hostile_values_stay_text_in_chromium";
    let Some(program) = chromium(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pack/acme/acme_1.rego", HOSTILE);
    let item: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::root().join("fixtures/S3.5/non_compliant/no_bucket_policy.json"),
        )
        .expect("the fixture reads"),
    )
    .expect("the fixture is JSON");
    let names = [
        "</script><script>document.title='pwned'</script>",
        "<svg onload=\"document.title='pwned'\">",
    ];
    let lines: Vec<String> = names
        .iter()
        .map(|name| {
            let mut item = item.clone();
            item["resourceId"] = (*name).into();
            item["resourceName"] = (*name).into();
            item.to_string()
        })
        .collect();
    write(dir.path(), "input/items.ndjson", lines.join("\n") + "\n");
    let page = dir.path().join("hostile.html");
    let path = |p: &str| dir.path().join(p).to_string_lossy().into_owned();
    let run = regent(&[
        "eval",
        "--no-builtin",
        "--policies",
        &path("pack"),
        &path("input"),
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let html = std::fs::read_to_string(&page).unwrap();
    assert_self_contained(&html);
    assert_eq!(
        html.matches("<script").count(),
        2,
        "the data block and the page's script"
    );

    let browser = Browser::new(program);
    let dom = browser.dom(&url(&page, ""));
    assert!(dom.title().starts_with("regent: FAILED"), "{}", dom.title());
    assert!(!dom.0.contains("<img"), "no image element");
    assert!(
        !dom.0.contains("<svg onload"),
        "no SVG element but the charts"
    );
    assert_eq!(dom.rows().len(), 2);
    // The names are text in their cells (serialised escaped), not elements.
    assert!(dom
        .0
        .contains("&lt;/script&gt;&lt;script&gt;document.title='pwned'&lt;/script&gt;"));
    assert!(dom
        .0
        .contains("&lt;svg onload=\"document.title='pwned'\"&gt;"));
    assert!(dom.0.contains("&lt;img src=x onerror="));
    // A filter on markup finds the row it names.
    let svg = browser.dom(&url(&page, "#q=%3Csvg"));
    assert_eq!(svg.rows().len(), 1);
    assert_eq!(svg.count("data-matching"), 1);
}
