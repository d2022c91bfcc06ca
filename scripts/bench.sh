#!/usr/bin/env bash
# Runs bench/LightS3.Bench against a real S3 server (Ceph RGW, started if needed) and prints a markdown table.
#   bash scripts/bench.sh [seconds-per-round] [workers] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
S3_DIR="${S3_TEST_DATA_DIR:-${TMPDIR:-/tmp}/lights3-s3}"
started=0
bash scripts/s3-test-server.sh status "$S3_DIR" >/dev/null 2>&1 || started=1
eval "$(bash scripts/s3-test-server.sh start "$S3_DIR")"
[ "$started" = 1 ] && trap 'bash scripts/s3-test-server.sh stop "$S3_DIR"' EXIT
# redis for the cache benchmark
if ! redis-cli -p 6392 ping >/dev/null 2>&1; then
  redis-server --port 6392 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "${TMPDIR:-/tmp}/lights3-bench-redis.pid" >/dev/null
  trap 'redis-cli -p 6392 shutdown nosave >/dev/null 2>&1 || true; [ "$started" = 1 ] && bash scripts/s3-test-server.sh stop "$S3_DIR"' EXIT
fi
export LIGHTS3_BENCH_REDIS=redis://127.0.0.1:6392/0
dotnet run -c Release --project bench/LightS3.Bench -- "$@"
# modes: crud [seconds workers rounds] | query [records] | cache [seconds workers rounds] | shape [records lines seconds] | expand [works writers seconds] | store-scale | store-listing [kind:N,...] (kinds: memory, sqlite, lmdb, rocksdb)
