#!/usr/bin/env bash
# API fuzzing: schemathesis (from PyPI, in a virtualenv of its own) generates
# requests from the OpenAPI document of a running `samspil demo` on
# loopback, as community staff and as a municipality's administrator, and
# checks every answer: no server error, and no status code, content type,
# header or body outside what the document says.
#
#   scripts/api-fuzz.sh            # 25 examples per operation and phase
#   SAMSPIL_FUZZ_EXAMPLES=200 scripts/api-fuzz.sh
#
# Settings: SAMSPIL_BIN (default: the debug build, built if missing),
# SAMSPIL_FUZZ_PORT (18098), SAMSPIL_FUZZ_EXAMPLES (25), SAMSPIL_FUZZ_SEED
# (7), SAMSPIL_FUZZ_VENV (~/.cache/samspil/schemathesis), SAMSPIL_FUZZ_REPORT
# (directory for the JUnit reports, default test-artifacts/schemathesis).
# Exits non-zero on any failure, and on any panic or internal error in the
# server's log.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
port=${SAMSPIL_FUZZ_PORT:-18098}
examples=${SAMSPIL_FUZZ_EXAMPLES:-25}
seed=${SAMSPIL_FUZZ_SEED:-7}
venv=${SAMSPIL_FUZZ_VENV:-$HOME/.cache/samspil/schemathesis}
report=${SAMSPIL_FUZZ_REPORT:-test-artifacts/schemathesis}
bin=${SAMSPIL_BIN:-${CARGO_TARGET_DIR:-target}/debug/samspil}

if [ ! -x "$bin" ]; then
    cargo build --locked -p samspil
fi

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    if ! python3 -m venv "$venv" 2>/dev/null; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

work=$(mktemp -d)
database="sqlite://$work/fuzz.db"
# No synthetic citizens: the operations fuzzed are the people's API.
SAMSPIL_LOG=warn "$bin" demo --listen "127.0.0.1:$port" --citizens 0 --database-url "$database" \
    >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 $server 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 1
done

mkdir -p "$report"
passed=0
failed=0
for login in staff admin-751; do
    token=$("$bin" token create --user "$login" --label api-fuzz --database-url "$database" 2>/dev/null)
    echo "==> schemathesis as $login ($examples examples per operation, seed $seed)"
    # Two checks of the requests (not of the answers) are left out:
    # positive_data_acceptance, because a schema-valid body can still break
    # a rule of the domain (a date before another, a person of another
    # municipality) and is then rightly refused with 422; and
    # negative_data_rejection, because utoipa documents u32 fields as
    # int32, so the server accepts values (offset=2147483648) that the
    # document's format rules out. One worker: with two, hypothesis
    # (schemathesis' engine) now and then failed in its own lambda-source
    # cache ("AST constructor recursion depth mismatch"), not in a request.
    if ! "$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/v1/openapi.json" \
        --header "Authorization: Bearer $token" \
        --checks all --exclude-checks positive_data_acceptance,negative_data_rejection \
        --phases examples,coverage,fuzzing \
        --max-examples "$examples" --seed "$seed" --workers 1 \
        --request-timeout 20 --suppress-health-check all \
        --report junit --report-junit-path "$report/$login.xml" \
        --output-truncate true; then
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
done

if grep -E "panicked|internal error|ERROR" "$work/server.log" >/dev/null; then
    echo "the server logged errors:" >&2
    grep -E "panicked|internal error|ERROR" "$work/server.log" | head -20 >&2
    failed=$((failed + 1))
else
    passed=$((passed + 1))
fi
echo "api-fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
