#!/usr/bin/env bash
# Measures the `lights3` command line at scale (issue 16, "Tests and measures"):
#   import of N NDJSON records (records/s), backup to a directory (time, verified count), restore into an empty store
#   (time, verified count), then `export` of the source and of the restored store and `cmp` of the two (verified equal).
#
# Usage: bash scripts/bench-cli.sh [RECORDS] [STORE]
#   RECORDS  number of records (default 100000)
#   STORE    embedded (default: `file:` in the YAML, the embedded default store, SQLite in a fresh data directory)
#            or s3 (AWS_ENDPOINT_URL and credentials from the environment, e.g. `source /tmp/s3env.sh`; the bucket is
#            $BENCH_S3_BUCKET, default "lights3-bench-cli", created if missing; each run uses fresh prefixes)
# Environment:
#   LIGHTS3_BENCH_HOST_DIR  an already published LightS3.Cli (skips `dotnet publish`)
#   BENCH_WORK              working directory (default: a new directory under $TMPDIR); kept for inspection
#   BENCH_PARALLEL          `import --parallel` (default 16)
# Prints one summary table on standard output; each command's own output goes to $BENCH_WORK/*.log.
# Exit 1 when a step fails, a count is wrong or the exports differ.
set -euo pipefail
# The whole script is one block, read before it runs: editing the file during a run cannot change the run.
{

RECORDS="${1:-100000}"
STORE="${2:-embedded}"
PARALLEL="${BENCH_PARALLEL:-16}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/lights3-bench-cli.XXXXXX")}"
mkdir -p "$WORK"
say() { echo "[bench-cli $(date -u +%H:%M:%S)] $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

# --- the tool, published as the Dockerfile and scripts/test.sh publish it ---
HOST_DIR="${LIGHTS3_BENCH_HOST_DIR:-$WORK/host}"
if [[ ! -f "$HOST_DIR/LightS3.Cli.dll" ]]; then
  say "publishing LightS3.Cli to $HOST_DIR"
  dotnet publish "$ROOT/LightS3.Cli/LightS3.Cli.csproj" -c Release -o "$HOST_DIR" --nologo -v quiet > "$WORK/publish.log" 2>&1 \
    || { cat "$WORK/publish.log" >&2; fail "dotnet publish"; }
fi
lights3() { (cd "$WORK" && dotnet "$HOST_DIR/LightS3.Cli.dll" "$@"); }

# --- two stores: the source and an empty one to restore into ---
STAMP="$(date -u +%Y%m%d%H%M%S)-$$"
storage_yaml() { # $1 = src|dst
  case "$STORE" in
    embedded) printf 'storage:\n  url: "file:%s"\n' "$WORK/$1-data" ;;
    s3) printf 'storage:\n  url: "s3://%s/bench-cli-%s-%s"\n  endpoint_url: "%s"\n' \
          "${BENCH_S3_BUCKET:-lights3-bench-cli}" "$STAMP" "$1" "${AWS_ENDPOINT_URL:?source the S3 environment first}" ;;
    *) echo "unknown store '$STORE' (embedded, s3)" >&2; exit 2 ;;
  esac
}
ENDPOINTS='endpoints:
  - route: /tags
    fields:
      label: { type: str, min_length: 2, unique: true }
      weight: { type: int, optional: true }
'
for side in src dst; do { storage_yaml "$side"; printf '%s' "$ENDPOINTS"; } > "$WORK/$side.yaml"; done
if [[ "$STORE" == s3 ]]; then
  BUCKET="${BENCH_S3_BUCKET:-lights3-bench-cli}"
  if ! curl -s -o /dev/null -w '%{http_code}' --aws-sigv4 "aws:amz:${AWS_REGION:-us-east-1}:s3" \
       --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -X PUT \
       -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" "$AWS_ENDPOINT_URL/$BUCKET" | grep -qE '^(200|409)$'; then
    fail "could not create or reach bucket $BUCKET"
  fi
fi

# --- the data: N lines, one unique field ---
say "generating $RECORDS NDJSON lines"
awk -v n="$RECORDS" 'BEGIN { for (i = 0; i < n; i++) printf "{\"label\":\"tag-%07d\",\"weight\":%d}\n", i, i }' > "$WORK/seed.ndjson"

# --- load sampling while the run lasts ---
( while true; do echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 15; done ) > "$WORK/load.log" &
SAMPLER=$!
trap 'kill "$SAMPLER" 2>/dev/null || true' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
step() { # $1 = name, rest = command; times it, keeps its output, fails on a non-zero exit
  local name="$1"; shift
  say "$name: $*"
  local t0 t1 rc=0
  t0=$(now)
  lights3 "$@" > "$WORK/$name.out" 2> "$WORK/$name.log" || rc=$?
  t1=$(now)
  eval "T_$name=$(elapsed "$t0" "$t1")"
  say "$name: exit $rc in $(elapsed "$t0" "$t1") s; $(grep -v '^\s*$' "$WORK/$name.log" | tail -n 1)"
  [[ $rc -eq 0 ]] || { tail -n 20 "$WORK/$name.log" >&2; fail "$name exited $rc (see $WORK/$name.log)"; }
}

UPTIME_START="$(uptime)"
step import --config "$WORK/src.yaml" import "$WORK/seed.ndjson" --route /tags --parallel "$PARALLEL"
step backup --config "$WORK/src.yaml" backup "$WORK/backup"
step restore --config "$WORK/dst.yaml" restore "$WORK/backup"
step export_src --config "$WORK/src.yaml" export --route /tags -o "$WORK/export-src.ndjson"
step export_dst --config "$WORK/dst.yaml" export --route /tags -o "$WORK/export-dst.ndjson"
UPTIME_END="$(uptime)"

# --- verification ---
SRC_LINES=$(wc -l < "$WORK/export-src.ndjson")
DST_LINES=$(wc -l < "$WORK/export-dst.ndjson")
OBJECTS=$(wc -l < "$WORK/backup/manifest.ndjson")

BACKUP_SUMMARY=$(grep -E 'verified' "$WORK/backup.log" | tail -n 1 || true)
RESTORE_SUMMARY=$(grep -E 'verified' "$WORK/restore.log" | tail -n 1 || true)
EQUAL=no
cmp -s "$WORK/export-src.ndjson" "$WORK/export-dst.ndjson" && EQUAL=yes
LOAD_RANGE=$(awk '{ v = $2 + 0; if (min == "" || v < min) min = v; if (v > max) max = v } END { printf "%s–%s", min, max }' "$WORK/load.log")
RATE=$(awk -v n="$RECORDS" -v t="$T_import" 'BEGIN { printf "%.0f", n / t }')

cat <<EOF

lights3 CLI benchmark — $RECORDS records, store: $STORE, import --parallel $PARALLEL   ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)
| step | time | result |
|---|---|---|
| import $RECORDS NDJSON lines | ${T_import} s | $RATE records/s; $SRC_LINES records exported from the source |
| backup to a directory ($OBJECTS objects) | ${T_backup} s | $BACKUP_SUMMARY |
| restore into an empty store | ${T_restore} s | $RESTORE_SUMMARY |
| export source / restored | ${T_export_src} s / ${T_export_dst} s | $SRC_LINES / $DST_LINES lines; byte-identical (cmp): $EQUAL |
load average (1 min) during the run: $LOAD_RANGE (sampled every 15 s in $WORK/load.log)
uptime at start: $UPTIME_START
uptime at end:   $UPTIME_END
work directory: $WORK
EOF

[[ "$SRC_LINES" -eq "$RECORDS" ]] || fail "source export has $SRC_LINES records, expected $RECORDS"
[[ "$DST_LINES" -eq "$RECORDS" ]] || fail "restored export has $DST_LINES records, expected $RECORDS"
[[ "$EQUAL" == yes ]] || fail "the exports of the source and the restored store differ"
say "ok"
exit 0
}
