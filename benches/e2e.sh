#!/usr/bin/env bash
# End-to-end benchmark of the release binary over generated snapshot exports.
#
#   bash benches/e2e.sh                  # sizes 10k 100k 1M, side by side at 10k
#   SIZES="10000 100000" SIDE=10000 bash benches/e2e.sh
#
# For each size: the serde_json parse floor, then `regent eval --format json > /dev/null`
# with RAYON_NUM_THREADS=1 and 2 (wall seconds, CIs/s, peak RSS). Side by side at SIDE
# items (plain JSON, one run each): a naive regorus embedding, cfn-guard with five
# equivalent rules, regent restricted to the same five controls, regent with the full pack.
# Tools are installed by this script (cfn-guard with `cargo install`), never vendored.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${WORK:-/tmp/regent-bench}
SIZES=${SIZES:-"10000 100000 1000000"}
SIDE=${SIDE:-10000}
FIVE=EC2.2,EC2.3,RDS.2,RDS.3,CloudTrail.2
mkdir -p "$WORK"

cargo build --release -p regent -p regent-gen --examples --quiet
BIN=target/release

generate() { # items gzip-flag -> directory
  local n=$1 gz=$2 dir="$WORK/gen-$1$2"
  if [ ! -d "$dir" ]; then
    local accounts=$(( n / 5000 > 1 ? n / 5000 : 1 ))
    [ "$accounts" -gt 200 ] && accounts=200
    $BIN/regent-gen --items "$n" --accounts "$accounts" --regions 5 --seed 42 --out "$dir" ${gz:+--gzip} >&2
  fi
  echo "$dir"
}

# seconds and peak RSS (KiB) of one command, output discarded
measure() {
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" > /dev/null 2> "$WORK/stderr.txt" || true
  tail -n 1 "$WORK/time.txt"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(rustc --version)"
echo
echo "| items | input | floor: serde_json parse (s) | regent 1 thread (s) | regent 2 threads (s) | CIs/s (2 threads) | x floor | peak RSS (MiB) |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in $SIZES; do
  dir=$(generate "$n" "gz")
  bytes=$(du -sb "$dir" | cut -f1)
  floor=$($BIN/examples/parse_floor "$dir" | sed -E 's/.* in ([0-9.]+) s.*/\1/')
  read -r one _ < <(RAYON_NUM_THREADS=1 measure $BIN/regent eval "$dir" --format json --fail-on never)
  read -r two rss < <(RAYON_NUM_THREADS=2 measure $BIN/regent eval "$dir" --format json --fail-on never)
  rate=$(python3 -c "print(round($n / $two))")
  ratio=$(python3 -c "print(round($two / $floor, 1))")
  echo "| $n | $(python3 -c "print(f'{$bytes/1e6:.0f} MB gz')") | $floor | $one | $two | $rate | $ratio | $(( rss / 1024 )) |"
done

echo
echo "Side by side, $SIDE items (plain JSON), 2 threads:"
dir=$(generate "$SIDE" "")
if ! command -v cfn-guard >/dev/null 2>&1 && [ ! -x "$WORK/tools/bin/cfn-guard" ]; then
  cargo install cfn-guard --locked --root "$WORK/tools" --quiet
fi
GUARD=$(command -v cfn-guard || echo "$WORK/tools/bin/cfn-guard")
read -r c _ < <(measure $BIN/regent eval "$dir" --format json --fail-on never --control $FIVE)
read -r d _ < <(measure $BIN/regent eval "$dir" --format json --fail-on never)
read -r b _ < <(measure "$GUARD" validate --rules benches/guard/five_controls.guard --data "$dir" --show-summary none --output-format json)
read -r a _ < <(measure $BIN/examples/naive_regorus "$dir" $FIVE)
echo
echo "| run | seconds | ratio to (c) |"
echo "| --- | ---: | ---: |"
for row in "a naive regorus (fresh engine per CI, input from a JSON string), five controls:$a" \
           "b cfn-guard, five equivalent rules:$b" \
           "c regent, the same five controls:$c" \
           "d regent, full pack:$d"; do
  name=${row%:*}; secs=${row##*:}
  echo "| $name | $secs | $(python3 -c "print(round($secs / $c, 2))") |"
done
