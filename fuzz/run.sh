#!/usr/bin/env bash
# Fuzz every target for SECONDS each (default 60), after seeding its corpus from the
# repository's fixtures. Needs nightly Rust and cargo-fuzz (`cargo install cargo-fuzz`).
#
#   bash fuzz/run.sh 600                 # ten minutes per target
#   TARGETS="loader gzip" bash fuzz/run.sh 30
#   SANITIZER=none PROFILE=dev SEED_MAX=4 bash fuzz/run.sh 10   # the CI smoke: builds fast, still finds panics
#
# SEED_MAX keeps only the smallest N seeds of each corpus: libFuzzer runs every seed before
# its time limit applies, and an unoptimised pipeline run takes seconds per input.
#
# A crash is saved under fuzz/artifacts/<target>/; turn it into a regression case under
# fixtures/_malformed/ (tests/malformed.rs runs them all through the real binary).
# Prints, per target, the inputs run and the corpus size; exits 1 when a target crashed.
set -uo pipefail
cd "$(dirname "$0")"
SECONDS_PER_TARGET=${1:-60}
TARGETS=${TARGETS:-"loader normalise gzip config metadata pipeline"}
SANITIZER=${SANITIZER:-address}
PROFILE=${PROFILE:-release}
SEED_MAX=${SEED_MAX:-}
BUILD_FLAGS=()
[ "$PROFILE" = dev ] && BUILD_FLAGS=(--dev)
ROOT=..

seed() { # target -> fills corpus/<target> from the fixtures
  local target=$1 dir=corpus/$1
  mkdir -p "$dir"
  case $target in
    loader|normalise|pipeline)
      find "$ROOT/fixtures" -name '*.json' -size -256k | head -400 | while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-16)"; done
      find "$ROOT/fixtures/_loader" "$ROOT/fixtures/_malformed" -type f \( -name '*.json' -o -name '*.ndjson' \) 2>/dev/null | while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-16)"; done ;;
    gzip)
      find "$ROOT/fixtures" -name '*.gz' -size -256k | while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-16)"; done
      find "$ROOT/fixtures/_loader" -name '*.json' | head -20 | while read -r f; do gzip -c "$f" > "$dir/$(echo "$f" | md5sum | cut -c1-16).gz"; done ;;
    config)
      printf '[settings]\nremediation_role_arn = "arn:aws:iam::111122223333:role/x"\n\n[controls."EC2.19"]\nparameters = { blockedPorts = [22, 3389] }\n\n[controls."S3.8"]\nenabled = false\n' > "$dir/sample.toml" ;;
    metadata)
      find "$ROOT/policies" -name '*.rego' ! -name '*_test.rego' | head -200 | while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-16)"; done ;;
  esac
}

status=0
trim() { # target -> keeps the SEED_MAX smallest files of its corpus
  [ -n "$SEED_MAX" ] || return 0
  ls -S "corpus/$1" | head -n -"$SEED_MAX" | while read -r f; do rm -f "corpus/$1/$f"; done
}

for target in $TARGETS; do
  seed "$target"
  trim "$target"
  log=artifacts/$target.log
  mkdir -p artifacts
  cargo +nightly fuzz run "${BUILD_FLAGS[@]}" --sanitizer "$SANITIZER" "$target" "corpus/$target" -- \
    -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=4096 -timeout=30 -max_len=65536 \
    -print_final_stats=1 > "$log" 2>&1
  code=$?
  runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -n 1)
  corpus=$(ls "corpus/$target" | wc -l)
  echo "$target: exit $code, ${runs:-?} inputs run, corpus $corpus"
  if [ "$code" -ne 0 ]; then
    status=1
    grep -E 'panicked|ERROR: |SUMMARY|Test unit written' "$log" | head -5
  fi
done
exit $status
