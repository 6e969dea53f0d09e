//! Criterion benchmarks: loader throughput (MB/s, plain and gzip) and evaluation throughput
//! (configuration items per second, full pack and five controls) over the bundled demo
//! export. End-to-end figures at 10k–1M items come from benches/e2e.sh.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use regent::eval::{evaluate, EvalOptions};
use regent::model::inventory::Inventory;
use regent::model::load::load;
use regent::policy::Pack;
use std::io::Write;
use std::path::Path;

fn demo_files() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    let found = regent::source::discover(&[root]);
    found
        .inputs
        .iter()
        .map(|input| (input.name(), regent::source::read(input).unwrap()))
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
                    let bytes = regent::source::gunzip_if_needed(name, gz.clone()).unwrap();
                    load(name, &bytes, false).items.len()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

fn evaluation(c: &mut Criterion) {
    let items: Vec<_> = demo_files()
        .iter()
        .flat_map(|(name, bytes)| load(name, bytes, false).items)
        .collect();
    let (inventory, _) = Inventory::build(items);
    let (pack, problems) = Pack::load(true, &[]);
    assert!(problems.is_empty());
    let mut five = pack.clone();
    five.retain(|c| {
        ["EC2.2", "EC2.3", "RDS.2", "RDS.3", "CloudTrail.2"].contains(&c.meta.id.as_str())
    });
    let mut group = c.benchmark_group("evaluation");
    group.sample_size(10);
    group.throughput(Throughput::Elements(inventory.items.len() as u64));
    let options = EvalOptions::default();
    group.bench_function("full_pack", |b| {
        b.iter(|| {
            evaluate(&pack, inventory.clone(), &options)
                .evaluations
                .len()
        })
    });
    group.bench_function("five_controls", |b| {
        b.iter(|| {
            evaluate(&five, inventory.clone(), &options)
                .evaluations
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, loader, evaluation);
criterion_main!(benches);
