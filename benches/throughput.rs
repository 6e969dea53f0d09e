//! Criterion benchmarks: loader throughput (MB/s, plain and gzip) over the bundled demo
//! export; the whole pipeline (documents in memory to the report: loading, inventory,
//! evaluation, report building) in configuration items per second, full pack and five
//! controls, called exactly as `regent eval` calls it; and regorus's VM cost per call.
//! End-to-end figures at 10k–1M items come from benches/e2e.sh.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use regent::model::load::load;
use regent::pipeline::{self, Options, Quiet};
use regent::policy::Pack;
use regent::source::{Document, Entry};
use std::io::Write;
use std::path::Path;

fn demo_files() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    regent::source::fs::documents(&[root])
        .into_iter()
        .map(|document| {
            let origin = document.origin.to_string();
            (origin, document.read(u64::MAX).expect("the demo reads"))
        })
        .collect()
}

fn loader(c: &mut Criterion) {
    let files = demo_files();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let gzipped: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(name, b)| {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(b).unwrap();
            (name.clone(), encoder.finish().unwrap())
        })
        .collect();
    let mut group = c.benchmark_group("loader");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("plain", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|(name, bytes)| load(name, bytes, false).items.len())
                .sum::<usize>()
        })
    });
    group.bench_function("gzip", |b| {
        b.iter(|| {
            gzipped
                .iter()
                .map(|(name, gz)| {
                    let bytes =
                        regent::source::gunzip_if_needed(name, gz.clone(), u64::MAX).unwrap();
                    load(name, &bytes, false).items.len()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

fn pipeline(c: &mut Criterion) {
    let files = demo_files();
    let pack = Pack::load(true, &[]);
    assert!(pack.problems.is_empty());
    let mut five = pack.clone();
    five.retain(|c| {
        ["EC2.2", "EC2.3", "RDS.2", "RDS.3", "CloudTrail.2"].contains(&c.meta.id.as_str())
    });
    let options = Options::default();
    let run = |pack: &Pack| {
        let entries = files.iter().map(|(name, bytes)| {
            Entry::Document(Document::from_bytes(name.as_str(), bytes.clone()))
        });
        pipeline::run(pack, entries, &options, &Quiet)
            .report
            .results
            .len()
    };
    let items = pipeline::run(
        &pack,
        files.iter().map(|(name, bytes)| {
            Entry::Document(Document::from_bytes(name.as_str(), bytes.clone()))
        }),
        &options,
        &Quiet,
    )
    .report
    .summary
    .items_read;
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    group.throughput(Throughput::Elements(items as u64));
    group.bench_function("full_pack", |b| b.iter(|| run(&pack)));
    group.bench_function("five_controls", |b| b.iter(|| run(&five)));
    group.finish();
}

/// What regorus's VM costs per call, apart from any policy logic: a rule that reads one
/// field of the input, and one that reads nothing. Sets the floor under a control's cost.
fn vm_call(c: &mut Criterion) {
    use regorus::languages::rego::compiler::Compiler;
    use regorus::rvm::RegoVM;
    let mut engine = regorus::Engine::new();
    engine
        .add_policy(
            "probe.rego".into(),
            "package probe\n\ndefault constant := false\n\ndefault one_field := false\n\none_field if input.configuration.groupName == \"default\"\n".into(),
        )
        .expect("the probe policy parses");
    let policy = engine
        .compile_with_entrypoint(&"data.probe.constant".into())
        .expect("the probe policy compiles");
    let program =
        Compiler::compile_from_policy(&policy, &["data.probe.constant", "data.probe.one_field"])
            .expect("the VM compiles the probe");
    let mut vm = RegoVM::new_with_policy(policy);
    vm.load_program(program);
    let input = regorus::Value::from_json_str(
        r#"{"configuration":{"groupName":"web","ipPermissions":[{"ipProtocol":"tcp","fromPort":443,"toPort":443}]}}"#,
    )
    .expect("valid JSON");
    let mut group = c.benchmark_group("vm_call");
    for (name, entry) in [("constant", 0), ("one_field", 1)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                vm.set_input(input.clone());
                vm.execute_entry_point_by_index(entry)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, loader, pipeline, vm_call);
criterion_main!(benches);
