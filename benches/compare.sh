#!/usr/bin/env bash
# One interleaved before/after run of `regent eval` (what every change that could slow a
# run reports in its issue note): PAIRS pairs over DIR, the two binaries taking turns, each
# with the JSON report to /dev/null (as benches/e2e.sh measures), to a new file, and through
# a pipe (stdout read by `cat` into a new file).
#
#   BEFORE=/tmp/regent-main AFTER=target/release/regent PAIRS=4 bash benches/compare.sh DIR
#   OUTPUTS=devnull PAIRS=2 ... (only to /dev/null; OUTPUTS="file pipe" for the other two)
#
# Prints one line per run (binary, output, wall seconds, peak RSS) and the median of each.
set -euo pipefail
DIR=${1:?usage: compare.sh DIR}
BEFORE=${BEFORE:?set BEFORE to the binary of the base commit}
AFTER=${AFTER:-target/release/regent}
PAIRS=${PAIRS:-4}
OUTPUTS=${OUTPUTS:-"devnull file pipe"}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

run() { # tag binary output -> "tag output seconds peak_mib"
  local tag=$1 bin=$2 output=$3
  rm -f "$WORK/report.json"
  case $output in
    devnull | file)
      local target=/dev/null
      [ "$output" = file ] && target="$WORK/report.json"
      /usr/bin/time -f "%e %M" -o "$WORK/time" \
        "$bin" eval "$DIR" --format json --fail-on never -o "$target" 2> /dev/null || true
      ;;
    pipe) # the wall time of the whole pipeline; the peak is its largest process's
      /usr/bin/time -f "%e %M" -o "$WORK/time" bash -c \
        '"$0" eval "$1" --format json --fail-on never 2> /dev/null | cat > "$2"' \
        "$bin" "$DIR" "$WORK/report.json" || true
      ;;
    *) echo "compare.sh: unknown output $output (devnull, file, pipe)" >&2; exit 2 ;;
  esac
  read -r seconds kib < "$WORK/time"
  echo "$tag $output $seconds $(( kib / 1024 ))" | tee -a "$WORK/all"
}

for _ in $(seq 1 "$PAIRS"); do
  for output in $OUTPUTS; do
    run before "$BEFORE" "$output"
    run after "$AFTER" "$output"
  done
done
echo
echo "medians (seconds, peak MiB):"
for tag in before after; do
  for output in $OUTPUTS; do
    grep "^$tag $output " "$WORK/all" | awk '{print $3, $4}' | sort -n | awk -v t="$tag $output" '
      { s[NR] = $1; m[NR] = $2 }
      END { mid = int((NR + 1) / 2); printf "%-15s %6.2f s %6d MiB\n", t, s[mid], m[mid] }'
  done
done
