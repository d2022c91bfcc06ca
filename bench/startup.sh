#!/usr/bin/env bash
# Start-up time of a published examples/Books on the embedded store: process start → first 200 of GET /books.
# Prints each run and the medians of wall time and of the process's CPU time (user + system) until that 200; on a
# shared, loaded machine the CPU time is the steadier figure (docs/benchmarks.md#start-up).
#   bench/startup.sh [RUNS=5] [PUBLISH_DIR]    (PUBLISH_DIR: an already published Books; else published here, Release)
# Each run gets a fresh data directory and a free port; the machine's load average is printed with the result.
set -euo pipefail
runs="${1:-5}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${2:-}"
if [[ -z "$dir" ]]; then
  dir="$(mktemp -d)/books"
  # for this machine's platform: Books.csproj turns ReadyToRun on when a runtime identifier is given
  dotnet publish "$root/examples/Books/Books.csproj" -c Release -r "$(dotnet --info | awk '/RID:/ {print $2; exit}')" --self-contained false \
    -o "$dir" -v q --nologo >/dev/null
fi
python3 - "$dir/Books.dll" "$runs" <<'PY'
import os, socket, statistics, subprocess, sys, tempfile, time, urllib.request, urllib.error

dll, runs = sys.argv[1], int(sys.argv[2])

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def cpu_ms(pid):
    # user + system time the process has used so far: what start-up costs, whatever else the machine is doing
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

def once():
    port, data = free_port(), tempfile.mkdtemp(prefix="lights3-startup-")
    env = dict(os.environ, LIGHTS3_DATA_DIR=data, LIGHTS3_STORAGE="sqlite", Logging__LogLevel__Default="Warning")
    for name in ("LIGHTS3_S3_BUCKET", "LIGHTS3_STORAGE_URL", "AWS_ENDPOINT_URL", "LIGHTS3_REDIS_URL"):
        env.pop(name, None)
    url = f"http://127.0.0.1:{port}/books"
    started = time.perf_counter()
    process = subprocess.Popen(["dotnet", dll, "--urls", f"http://127.0.0.1:{port}"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if process.poll() is not None:
                sys.exit(f"Books exited with {process.returncode} before answering")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return (time.perf_counter() - started) * 1000, cpu_ms(process.pid)
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.002)  # a 2 ms poll: the figure is at most 2 ms late
            if time.perf_counter() - started > 60:
                sys.exit("no 200 within 60 s")
    finally:
        process.terminate()
        process.wait()

results = [once() for _ in range(runs)]
walls, cpus = [w for w, _ in results], [c for _, c in results]
print("wall (ms):", " ".join(f"{t:.0f}" for t in walls), f"→ median {statistics.median(walls):.0f} ms")
print("cpu  (ms):", " ".join(f"{t:.0f}" for t in cpus), f"→ median {statistics.median(cpus):.0f} ms")
print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
PY
