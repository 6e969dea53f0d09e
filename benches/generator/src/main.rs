//! regent-gen: writes deterministic, realistic AWS Config snapshot exports.
//!
//! ```text
//! regent-gen --items N --accounts A --regions R --seed S --out DIR [--gzip] [--fail-rate F]
//! ```
//!
//! One snapshot file per (account, region), in the S3 delivery layout:
//! `DIR/AWSLogs/<account>/Config/<region>/<Y>/<M>/<D>/ConfigSnapshot/<account>_Config_<region>_ConfigSnapshot_<YYYYMMDDTHHMMSSZ>_<uuid>.json[.gz]`.
//! The same arguments always produce the same bytes.

mod json;
mod plan;
mod render;
mod rng;
mod time;
mod world;

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};

use plan::{Estate, FilePlan, Spec};

const USAGE: &str = "\
Deterministic generator of realistic AWS Config snapshot exports.

Usage: regent-gen --items N --accounts A --regions R --seed S --out DIR [--gzip] [--fail-rate F] [--shape S]

Options:
  --items N        total number of configuration items to write (a target: every VPC still
                   gets a subnet and a default security group, so tiny values may overshoot)
  --accounts A     number of AWS accounts (12-digit ids derived from the seed)
  --regions R      number of regions per account, taken in order from
                   us-east-1, eu-west-1, us-west-2, eu-central-1, ap-southeast-2, ... (max 16)
  --seed S         seed of every random choice; same arguments => byte-identical output
  --out DIR        output directory (the AWSLogs/ tree is created inside it)
  --gzip           write .json.gz files, as AWS delivers them (default: plain .json)
  --fail-rate F    share of resources with a deliberately non-compliant configuration
                   (default 0.15)
  --shape S        the mix of resource types: enterprise (default) or sg-heavy (a quarter
                   security groups, half of them default groups, half of those with rules)
  -h, --help       print this help
";

struct Args {
    spec: Spec,
    out: PathBuf,
    gzip: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let (mut items, mut accounts, mut regions, mut seed, mut out) = (None, None, None, None, None);
    let mut gzip = false;
    let mut fail_rate = 0.15;
    let mut shape = plan::Shape::Enterprise;
    fn value<T: std::str::FromStr>(flag: &str, v: Option<String>) -> Result<T, String> {
        let v = v.ok_or_else(|| format!("{flag} needs a value"))?;
        v.parse()
            .map_err(|_| format!("invalid value for {flag}: {v:?}"))
    }
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut next = || inline.clone().or_else(|| args.next());
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--items" => items = Some(value::<usize>(&flag, next())?),
            "--accounts" => accounts = Some(value::<usize>(&flag, next())?),
            "--regions" => regions = Some(value::<usize>(&flag, next())?),
            "--seed" => seed = Some(value::<u64>(&flag, next())?),
            "--out" => out = Some(PathBuf::from(value::<String>(&flag, next())?)),
            "--fail-rate" => fail_rate = value::<f64>(&flag, next())?,
            "--gzip" => gzip = true,
            "--shape" => {
                shape = match value::<String>(&flag, next())?.as_str() {
                    "enterprise" => plan::Shape::Enterprise,
                    "sg-heavy" => plan::Shape::SgHeavy,
                    other => {
                        return Err(format!("--shape is enterprise or sg-heavy, not {other:?}"))
                    }
                }
            }
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let need = |name: &str| format!("missing required option --{name}");
    let spec = Spec {
        items: items.ok_or_else(|| need("items"))?,
        accounts: accounts.ok_or_else(|| need("accounts"))?,
        regions: regions.ok_or_else(|| need("regions"))?,
        seed: seed.ok_or_else(|| need("seed"))?,
        fail_rate,
        shape,
    };
    if spec.items == 0 || spec.accounts == 0 || spec.regions == 0 {
        return Err("--items, --accounts and --regions must be at least 1".into());
    }
    if spec.regions > world::REGIONS.len() {
        return Err(format!("--regions is at most {}", world::REGIONS.len()));
    }
    if !(0.0..=1.0).contains(&spec.fail_rate) {
        return Err("--fail-rate must be between 0 and 1".into());
    }
    Ok(Some(Args {
        spec,
        out: out.ok_or_else(|| need("out"))?,
        gzip,
    }))
}

/// Path of a file's snapshot relative to the output directory.
fn snapshot_path(estate: &Estate, f: &FilePlan, gzip: bool) -> PathBuf {
    let account = &estate.accounts[f.account].id;
    let region = f.region.name;
    let (y, m, d, ..) = time::parts(f.snapshot_ms);
    let name = format!(
        "{account}_Config_{region}_ConfigSnapshot_{}_{}.json{}",
        time::compact(f.snapshot_ms),
        f.snapshot_id,
        if gzip { ".gz" } else { "" }
    );
    [
        "AWSLogs",
        account,
        "Config",
        region,
        &y.to_string(),
        &m.to_string(),
        &d.to_string(),
        "ConfigSnapshot",
        &name,
    ]
    .iter()
    .collect()
}

#[derive(Default, Clone, Copy)]
struct Stats {
    items: usize,
    json_bytes: u64,
    disk_bytes: u64,
}

/// Writes the snapshot document of one file; returns (items, uncompressed bytes).
fn write_snapshot(estate: &Estate, f: &FilePlan, out: &mut dyn Write) -> io::Result<(usize, u64)> {
    let head = format!(
        "{{\"fileVersion\":\"1.0\",\"configSnapshotId\":\"{}\",\"configurationItems\":[",
        f.snapshot_id
    );
    out.write_all(head.as_bytes())?;
    let mut bytes = head.len() as u64;
    let mut items = 0usize;
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut err = None;
    render::render_file(estate, f, &mut |ci| {
        if err.is_some() {
            return;
        }
        buf.clear();
        if items > 0 {
            buf.push(b',');
        }
        ci.write_compact(&mut buf);
        items += 1;
        bytes += buf.len() as u64;
        if let Err(e) = out.write_all(&buf) {
            err = Some(e);
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    out.write_all(b"]}\n")?;
    Ok((items, bytes + 3))
}

fn write_file(estate: &Estate, f: &FilePlan, dir: &Path, gzip: bool) -> io::Result<Stats> {
    let path = dir.join(snapshot_path(estate, f, gzip));
    fs::create_dir_all(path.parent().expect("snapshot path has a parent"))?;
    let file = BufWriter::with_capacity(1 << 20, File::create(&path)?);
    let (items, json_bytes) = if gzip {
        // No name and mtime 0 in the gzip header, so the bytes stay reproducible.
        let mut gz: GzEncoder<_> = GzBuilder::new()
            .mtime(0)
            .write(file, Compression::default());
        let r = write_snapshot(estate, f, &mut gz)?;
        gz.finish()?.flush()?;
        r
    } else {
        let mut w = file;
        let r = write_snapshot(estate, f, &mut w)?;
        w.flush()?;
        r
    };
    let disk_bytes = fs::metadata(&path)?.len();
    Ok(Stats {
        items,
        json_bytes,
        disk_bytes,
    })
}

fn run(args: Args) -> io::Result<()> {
    let started = Instant::now();
    let estate = plan::plan(&args.spec);
    let files = &estate.files;
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<io::Result<Stats>>>> =
        Mutex::new((0..files.len()).map(|_| None).collect());
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len())
        .max(1);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= files.len() {
                    break;
                }
                let r = write_file(&estate, &files[i], &args.out, args.gzip);
                results.lock().expect("no worker panicked")[i] = Some(r);
            });
        }
    });
    let mut total = Stats::default();
    for r in results.into_inner().expect("no worker panicked") {
        let s = r.expect("every file was written")?;
        total.items += s.items;
        total.json_bytes += s.json_bytes;
        total.disk_bytes += s.disk_bytes;
    }
    let mb = |b: u64| b as f64 / 1_000_000.0;
    eprintln!(
        "regent-gen: {} files, {} items, {} bytes JSON ({:.1} MB; {:.1} MB on disk), {} bytes/CI on average, {:.2}s",
        files.len(),
        total.items,
        total.json_bytes,
        mb(total.json_bytes),
        mb(total.disk_bytes),
        total.json_bytes / total.items.max(1) as u64,
        started.elapsed().as_secs_f64()
    );
    if total.items != args.spec.items {
        eprintln!(
            "regent-gen: note: wrote {} items for --items {} (structural minimum per file)",
            total.items, args.spec.items
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match parse_args(std::env::args().skip(1)) {
        Ok(None) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Some(args)) => match run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("regent-gen: error: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("regent-gen: error: {e}\nUsage: regent-gen --items N --accounts A --regions R --seed S --out DIR [--gzip] [--fail-rate F]\n(run with --help for details)");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests;
