#!/usr/bin/env bash
# Load test: 100 people at once browsing their tasks and changing their
# municipality's statuses for 60 s, against an optimised `samspil demo` on
# loopback (crates/samspil/benches/load.rs does the requests). Prints the
# 50th/95th/99th percentile latencies per kind of request and the error
# count, and exits non-zero on any error. The figures in BENCHMARKS.md come
# from this script. Takes about 2 minutes after the release build.
#
#   scripts/load.sh
#   SAMSPIL_LOAD_SECONDS=20 SAMSPIL_LOAD_USERS=50 scripts/load.sh
#   SAMSPIL_LOAD_DATABASE_URL=postgres://postgres:postgres@127.0.0.1/samspil_load scripts/load.sh
#
# Settings: SAMSPIL_LOAD_PORT (18790), SAMSPIL_LOAD_USERS (100),
# SAMSPIL_LOAD_SECONDS (60), SAMSPIL_LOAD_THINK_MS (0),
# SAMSPIL_LOAD_DATABASE_URL (a fresh SQLite file), SAMSPIL_LOAD_REPORT
# (default test-artifacts/load.md).
set -euo pipefail
cd "$(dirname "$0")/.."

port=${SAMSPIL_LOAD_PORT:-18790}
target=${CARGO_TARGET_DIR:-target}
report=${SAMSPIL_LOAD_REPORT:-test-artifacts/load.md}
mkdir -p "$(dirname "$report")"
# Absolute: cargo runs the bench in the package's directory.
SAMSPIL_LOAD_REPORT="$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
export SAMSPIL_LOAD_REPORT

cargo build --release --locked -p samspil
cargo bench --locked -p samspil --bench load --no-run

work=$(mktemp -d)
database=${SAMSPIL_LOAD_DATABASE_URL:-sqlite://$work/load.db}
SAMSPIL_LOG=warn "$target/release/samspil" demo --listen "127.0.0.1:$port" \
    --database-url "$database" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 $server 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 1
done

export SAMSPIL_LOAD_URL="http://127.0.0.1:$port"
SAMSPIL_LOAD_TOKEN=$("$target/release/samspil" token create --user staff --label load \
    --database-url "$database" 2>/dev/null)
export SAMSPIL_LOAD_TOKEN
echo "machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), $(free -g | awk '/^Mem:/ {print $2}') GiB, $(. /etc/os-release && echo "$PRETTY_NAME"), $(rustc --version)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
timeout $(( ${SAMSPIL_LOAD_SECONDS:-60} + 300 )) \
    cargo bench --locked -p samspil --bench load || status=$?
if grep -E "panicked|ERROR" "$work/server.log" >/dev/null; then
    echo "the server logged errors:" >&2
    grep -E "panicked|ERROR" "$work/server.log" | head -20 >&2
    status=1
fi
exit $status
