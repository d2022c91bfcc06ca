#!/usr/bin/env bash
# Runs the whole LightS3 test suite against real services, starting what is missing:
#   - Ceph RADOS Gateway (real S3) via scripts/s3-test-server.sh (installs Debian's ceph packages if needed)
#   - redis-server on loopback (installs Debian's redis-server if needed)
#   - Debian's chromium for the admin UI tests (LIGHTS3_CHROMIUM)
#   - the npm tools of the OpenAPI tests in .artifacts/npm (@redocly/cli, openapi-typescript, typescript)
# Stops what it started, prints "N passed, N failed" last, and exits non-zero on any failure.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Storage").
#
# --quick (first argument): the contributor's loop. Starts no service and needs no root: it runs every test outside
# the categories External (RGW, Redis, Chromium, npm tools, packaging, child processes) and Measurement.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
QUICK=0
if [ "${1:-}" = "--quick" ]; then QUICK=1; shift; fi

S3_DIR="${S3_TEST_DATA_DIR:-${TMPDIR:-/tmp}/lights3-s3}"
REDIS_PORT="${LIGHTS3_TEST_REDIS_PORT:-6391}"
RESULTS="$ROOT/LightS3.Tests/TestResults"
started_s3=0
started_redis=0

log() { echo "[test.sh] $*" >&2; }
# Debian packages by name; refreshes the package lists once if they are stale (a fresh machine has none)
apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 || {
    apt-get -o DPkg::Lock::Timeout=120 update -qq >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "$@" >/dev/null
  }
}

cleanup() {
  if [ "$started_redis" = 1 ]; then redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
  if [ "$started_s3" = 1 ]; then bash scripts/s3-test-server.sh stop "$S3_DIR" || true; fi
}
trap cleanup EXIT

if [ "$QUICK" = 0 ]; then # the services; the quick loop starts none
# --- S3 (Ceph RGW) ---
if bash scripts/s3-test-server.sh status "$S3_DIR" >/dev/null 2>&1; then
  log "reusing the S3 test server in $S3_DIR"
else
  started_s3=1
fi
eval "$(bash scripts/s3-test-server.sh start "$S3_DIR")"
export S3_TEST_DATA_DIR="$S3_DIR"

# --- Redis ---
if ! command -v redis-server >/dev/null 2>&1; then
  log "installing redis-server…"
  apt_install redis-server
fi
if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  log "reusing redis on port $REDIS_PORT"
else
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "${TMPDIR:-/tmp}/lights3-redis-$REDIS_PORT.pid" --logfile "${TMPDIR:-/tmp}/lights3-redis-$REDIS_PORT.log"
  started_redis=1
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
export LIGHTS3_TEST_REDIS="127.0.0.1:$REDIS_PORT"

# --- chromium for the admin UI browser tests (Playwright drives it by path; no browser download) ---
if ! command -v chromium >/dev/null 2>&1; then
  log "installing chromium…"
  apt_install chromium
fi
export LIGHTS3_CHROMIUM="${LIGHTS3_CHROMIUM:-$(command -v chromium)}"

# --- npm tools of the OpenAPI tests (redocly lint, openapi-typescript, tsc), in a project-local prefix ---
NPM_PREFIX="$ROOT/.artifacts/npm"
NPM_TOOLS="@redocly/cli@2.77.0 openapi-typescript@7.13.0 typescript@5.9.3 axe-core@4.14.1"
if [ "$(cat "$NPM_PREFIX/.installed" 2>/dev/null)" != "$NPM_TOOLS" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    log "installing nodejs and npm…"
    apt_install nodejs npm
  fi
  log "installing $NPM_TOOLS into $NPM_PREFIX…"
  mkdir -p "$NPM_PREFIX"
  # shellcheck disable=SC2086
  if ! npm install --prefix "$NPM_PREFIX" --no-audit --no-fund --loglevel=error $NPM_TOOLS > "${TMPDIR:-/tmp}/lights3-npm.log" 2>&1; then
    cat "${TMPDIR:-/tmp}/lights3-npm.log" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  echo "$NPM_TOOLS" > "$NPM_PREFIX/.installed"
fi
export LIGHTS3_NPM_PREFIX="$NPM_PREFIX"

# --- the YAML host (LightS3.Cli, LightS3.Cli.dll), published as the Dockerfile publishes it (tests run its exact command line) ---
HOST_DIR="$ROOT/.artifacts/host"
rm -rf "$HOST_DIR"
if ! dotnet publish LightS3.Cli/LightS3.Cli.csproj -c Release -o "$HOST_DIR" --nologo -v quiet > "${TMPDIR:-/tmp}/lights3-publish.log" 2>&1; then
  cat "${TMPDIR:-/tmp}/lights3-publish.log" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
export LIGHTS3_TEST_HOST_DIR="$HOST_DIR"
fi

# --- the suite ---
rm -rf "$RESULTS"
set +e
# Measurements (category Measurement: they print figures for docs/, assert no timing) run only when asked for with
# --filter TestCategory=Measurement; every other test runs, and one that does not is counted as failed below.
FILTER=()
if [ "$QUICK" = 1 ]; then
  FILTER=(--filter "TestCategory!=External&TestCategory!=Measurement")
else
  case " $* " in *" --filter "*) ;; *) FILTER=(--filter "TestCategory!=Measurement") ;; esac
fi
dotnet test LightS3.Tests/LightS3.Tests.csproj -c Release \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$RESULTS" "${FILTER[@]}" "$@"
rc=$?
set -e

trx="$RESULTS/results.trx"
if [ ! -f "$trx" ]; then
  log "no test results were produced (build failure?)"
  echo "0 passed, 1 failed"
  exit 1
fi
# Name each failed test again here, next to the totals, so a log cut to its tail still says what failed.
failed_names=$(grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | grep -o 'testName="[^"]*"' | sed 's/^testName="//; s/"$//' || true)
if [ -n "$failed_names" ]; then
  log "failed tests:"
  echo "$failed_names" | sed 's/^/  FAILED /'
  # The first line of each failure's message, in the same order.
  awk '/<UnitTestResult [^>]*outcome="Failed"/{f=1} f&&/<Message>/{sub(/.*<Message>/,""); print "  message: " substr($0,1,300); f=0}' "$trx" || true
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
passed=$(get passed); failed=$(get failed); total=$(get total); executed=$(get executed)
notrun=$((total - executed))
if [ "$notrun" -gt 0 ]; then log "$notrun tests did not run (skipped or ignored): counted as failed"; failed=$((failed + notrun)); fi
if [ "${total:-0}" = 0 ]; then log "no tests ran"; failed=$((failed + 1)); fi
echo "$passed passed, $failed failed"
[ "$rc" = 0 ] && [ "$failed" = 0 ]
