#!/usr/bin/env bash
# Benchmarks lvlint against the limits of its design on a corpus of real Rust code.
#
# The corpus is the vendored dependency tree of a pinned list of large crates.io crates, built
# once under bench-corpus/ (gitignored). Then, on the same files and cores:
#   (a) read: walk and read every file          (b) parse: syn parse-only of every file
#   (c) lvlint --parse-all    (d) lvlint --parse-all -j1    (e) lvlint, as users run it
# Each is run RUNS times (default 3) and the fastest wall time is kept; peak RSS is the
# largest seen. Usage: scripts/bench.sh [CORPUS_DIR]   (env: RUNS, JOBS)
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
corpus_dir=${1:-$root/bench-corpus}
runs=${RUNS:-3}
jobs=${JOBS:-0}

make_corpus() {
    mkdir -p "$corpus_dir/src"
    cat > "$corpus_dir/Cargo.toml" <<'TOML'
[package]
name = "lvlint-bench-corpus"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
tokio = { version = "=1.54.1", features = ["full"] }
syn = { version = "=2.0.119", features = ["full", "visit", "visit-mut", "fold", "extra-traits"] }
serde = { version = "=1.0.229", features = ["derive"] }
regex = "=1.13.2"
clap = { version = "=4.6.10", features = ["derive"] }
rustls = "=0.23.46"
hyper = { version = "=1.13.0", features = ["full"] }
axum = "=0.8.9"
actix-web = "=4.18.1"
diesel = { version = "=2.4.0", features = ["postgres", "sqlite", "mysql"] }
bevy_ecs = "=0.16.1"
TOML
    : > "$corpus_dir/src/lib.rs"
    echo "building the corpus in $corpus_dir (cargo vendor)..." >&2
    (cd "$corpus_dir" && cargo vendor --quiet --versioned-dirs vendor > /dev/null)
}

if [ ! -d "$corpus_dir/vendor" ]; then
    make_corpus
fi
files_dir=$corpus_dir/vendor

echo "building lvlint and the parse-only baseline (release)..." >&2
cargo build --release --quiet --bin lvlint --example bench_parse
lvlint=$root/target/release/lvlint
baseline=$root/target/release/examples/bench_parse

read -r n_files n_lines n_bytes _ < <("$baseline" read "$files_dir")

# best_of NAME CMD...: runs CMD $runs times; sets best_s (fastest wall seconds), peak_kb.
best_of() {
    local name=$1
    shift
    best_s=""
    peak_kb=0
    for _ in $(seq "$runs"); do
        local log
        log=$(mktemp)
        # lvlint exits 1 when it finds something; only 2 (could not run) is a failure here.
        local code=0
        /usr/bin/time -f '%e %M' -o "$log" "$@" > /dev/null 2>&1 || code=$?
        if [ "$code" -ge 2 ]; then
            echo "error: $name exited $code" >&2
            rm -f "$log"
            exit 1
        fi
        local wall kb
        read -r wall kb < <(tail -n 1 "$log")
        rm -f "$log"
        if [ -z "$best_s" ] || awk -v a="$wall" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then
            best_s=$wall
        fi
        if [ "$kb" -gt "$peak_kb" ]; then peak_kb=$kb; fi
    done
}

declare -A wall rss
jflag=()
if [ "$jobs" -gt 0 ]; then jflag=(-j "$jobs"); fi
best_of read "$baseline" read "${jflag[@]}" "$files_dir";       wall[a]=$best_s; rss[a]=$peak_kb
best_of parse "$baseline" parse "${jflag[@]}" "$files_dir";     wall[b]=$best_s; rss[b]=$peak_kb
best_of parse-all "$lvlint" --parse-all "${jflag[@]}" "$files_dir"; wall[c]=$best_s; rss[c]=$peak_kb
best_of parse-all-j1 "$lvlint" --parse-all -j1 "$files_dir";   wall[d]=$best_s; rss[d]=$peak_kb
best_of lvlint "$lvlint" "${jflag[@]}" "$files_dir";            wall[e]=$best_s; rss[e]=$peak_kb

cores=$(nproc)
echo "corpus: $n_files files, $n_lines lines, $((n_bytes / 1000000)) MB ($files_dir)"
echo "machine: $cores cores; $(uptime | sed 's/.*load/load/'); $(date -u +%Y-%m-%d)"
echo "best of $runs runs each"
printf '%-30s %9s %14s %12s\n' run seconds lines/s 'peak RSS MB'
row() {
    awk -v n="$1" -v s="$2" -v l="$n_lines" -v kb="$3" \
        'BEGIN { printf "%-30s %9.2f %14.0f %12.0f\n", n, s, (s > 0 ? l / s : 0), kb / 1024 }'
}
row "(a) read only" "${wall[a]}" "${rss[a]}"
row "(b) syn parse only" "${wall[b]}" "${rss[b]}"
row "(c) lvlint --parse-all" "${wall[c]}" "${rss[c]}"
row "(d) lvlint --parse-all -j1" "${wall[d]}" "${rss[d]}"
row "(e) lvlint" "${wall[e]}" "${rss[e]}"

# ratio NAME NUM DEN OP TARGET: prints NUM/DEN and whether it meets the target.
ratio() {
    awk -v name="$1" -v x="$2" -v y="$3" -v op="$4" -v t="$5" 'BEGIN {
        r = (y > 0 ? x / y : 0)
        ok = (op == "<=" ? r <= t : r >= t)
        printf "%-44s %6.2f  (target %s %s: %s)\n", name, r, op, t, (ok ? "met" : "MISSED")
    }'
}
ratio "(c)/(b) time, --parse-all over parse-only" "${wall[c]}" "${wall[b]}" "<=" 1.25
ratio "(d)/(c) time, speed-up of --parse-all on $cores cores" "${wall[d]}" "${wall[c]}" ">=" 1.7
ratio "(b)/(e) time, lvlint faster than parse-only" "${wall[b]}" "${wall[e]}" ">=" 5
max_kb=0
for k in c d e; do
    if [ "${rss[$k]}" -gt "$max_kb" ]; then max_kb=${rss[$k]}; fi
done
awk -v kb="$max_kb" 'BEGIN {
    printf "%-44s %6.0f MB  (target < 1024 MB: %s)\n", "peak RSS of lvlint", kb / 1024,
        (kb < 1048576 ? "met" : "MISSED")
}'
