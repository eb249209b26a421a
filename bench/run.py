"""Benchmarks: the floor, this client and the official client, side by side.

    ./dev bench                      full run (5 repeats), prints a markdown report
    ./dev bench --quick              smaller bodies, 1 repeat: a smoke run
    ./dev bench --only text_20k,startup
    ./dev bench --record             also write the report into bench/RESULTS.md
    ./dev bench --profile tool_1mb   cProfile this client on one workload

See bench/README.md for what is measured and how to read the report.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bodies  # noqa: E402

WORK = HERE / ".work"
OFFICIAL_VENV = HERE / ".venvs" / "official"
PROJECT_PY = Path(sys.executable)
IMPLS = ("floor", "ours", "official")
WARMUP = ["warm_text", "warm_tool", "warm_thinking"]


# ---------------------------------------------------------------- workloads


@dataclass
class Workload:
    name: str
    title: str
    kind: str
    body: str
    streams: int = 1
    parsed: bool = False
    impls: tuple[str, ...] = IMPLS
    warmup: list[str] = field(default_factory=lambda: list(WARMUP))


def build_bodies(quick: bool) -> dict[str, bodies.Body]:
    k = 10 if quick else 1
    made = [
        bodies.text_body("text_20k", 20_000 // k),
        bodies.text_body("text_100k", 100_000 // k),
        bodies.text_body("text_2k", 2_000 // k),
        bodies.tool_body("tool_100kb", 100_000 // k),
        bodies.tool_body("tool_1mb", 1_000_000 // k),
        bodies.thinking_body("thinking", 20_000 // k, 5_000 // k),
        bodies.structured_body("structured_100kb", 100_000 // k),
        bodies.text_body("warm_text", 30),
        bodies.tool_body("warm_tool", 500),
        bodies.thinking_body("warm_thinking", 20, 10),
        bodies.structured_body("warm_structured", 300),
    ]
    return {b.name: b for b in made}


def workloads(sized: dict[str, bodies.Body]) -> list[Workload]:
    def deltas(name: str) -> str:
        meta = sized[name].meta
        return f"{meta.get('text_deltas', meta.get('json_deltas', 0)):,}"

    kb = {n: f"{sized[n].meta['input_bytes'] / 1000:,.0f} KB" for n in ("tool_100kb", "tool_1mb")}
    clients_only = ("ours", "official")
    return [
        Workload("text_20k", f"text, {deltas('text_20k')} deltas, sync", "sync", "text_20k"),
        Workload("text_100k", f"text, {deltas('text_100k')} deltas, sync", "sync", "text_100k"),
        Workload("text_20k_async", f"text, {deltas('text_20k')} deltas, async", "async", "text_20k"),
        Workload(
            "tool_100kb",
            f"tool input {kb['tool_100kb']}, {deltas('tool_100kb')} deltas",
            "sync",
            "tool_100kb",
        ),
        Workload("tool_1mb", f"tool input {kb['tool_1mb']}, {deltas('tool_1mb')} deltas", "sync", "tool_1mb"),
        Workload(
            "thinking",
            "thinking + text "
            f"({sized['thinking'].meta['thinking_deltas']:,} + {sized['thinking'].meta['text_deltas']:,} deltas)",
            "sync",
            "thinking",
        ),
        Workload(
            "concurrent_100",
            f"100 concurrent async streams x {deltas('text_2k')} deltas, one client",
            "concurrent",
            "text_2k",
            streams=100,
        ),
        Workload(
            "bedrock_text_20k",
            f"text, {deltas('text_20k')} deltas, Bedrock event-stream framing, sync",
            "bedrock",
            "text_20k",
        ),
        Workload(
            "snapshots_20k",
            f"text, {deltas('text_20k')} deltas, reading every snapshot",
            "snapshots",
            "text_20k",
            impls=clients_only,
        ),
        Workload(
            "structured",
            f"structured output, {sized['structured_100kb'].meta['json_bytes'] / 1000:,.0f} KB "
            f"JSON in {deltas('structured_100kb')} text deltas",
            "structured",
            "structured_100kb",
            warmup=["warm_structured"],
        ),
        Workload(
            "structured_parsed",
            "structured output, parsed_snapshot() on every text event",
            "structured",
            "structured_100kb",
            parsed=True,
            impls=clients_only,
            warmup=["warm_structured"],
        ),
    ]


# ---------------------------------------------------------------- environment


def worker_env() -> dict[str, str]:
    """The environment every measured process gets: no debug switches, no proxies, no
    configuration of either client from the caller's shell, bytecode caches allowed."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ANTHROPIC_", "PYTHON"))
        and k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    }
    env["PYTHONHASHSEED"] = "0"
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def ensure_official(upgrade: bool) -> Path:
    py = OFFICIAL_VENV / "bin" / "python"
    if not py.exists():
        log(f"creating {OFFICIAL_VENV.relative_to(ROOT)} with the official client from PyPI ...")
        subprocess.run([sys.executable, "-m", "venv", str(OFFICIAL_VENV)], check=True)
        upgrade = True
    has_botocore = subprocess.run([str(py), "-c", "import botocore"], capture_output=True).returncode == 0
    if upgrade or not has_botocore:  # the Bedrock row needs the official client's bedrock extra
        subprocess.run(
            [
                str(py),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--upgrade",
                "anthropic[bedrock]",
            ],
            check=True,
            stdout=sys.stderr,
        )
    return py


def probe(py: Path, expect: Path) -> tuple[str | None, str]:
    """(version, detail) of the ``anthropic`` that ``py`` imports, or (None, error)."""
    code = (
        "import anthropic, os, sys; from anthropic import Anthropic, AsyncAnthropic; "
        "print(getattr(anthropic, '__version__', '?')); print(os.path.realpath(anthropic.__file__))"
    )
    proc = subprocess.run([str(py), "-c", code], capture_output=True, text=True, env=worker_env())
    if proc.returncode != 0:
        return None, (proc.stderr.strip().splitlines() or ["import failed"])[-1]
    version, where = proc.stdout.split()
    if not where.startswith(str(expect.resolve()) + os.sep):
        return None, f"anthropic imported from {where}, not from {expect}"
    return version, where


# ---------------------------------------------------------------- server and workers


class Server:
    def __init__(self, body_dir: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "server.py"), str(body_dir)],
            stdout=subprocess.PIPE,
            text=True,
            env=worker_env(),
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line.startswith("PORT "):
            self.proc.kill()
            raise SystemExit(f"bench server failed to start: {line!r}")
        self.base = f"http://127.0.0.1:{int(line.split()[1])}"

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@dataclass
class Cell:
    """Every run of one implementation on one workload."""

    runs: list[dict[str, Any]] = field(default_factory=list)
    capped: dict[str, Any] | None = None  # a run stopped at the CPU cap
    error: str | None = None  # a run failed; the cell is not run again
    problems: list[str] = field(default_factory=list)

    def median(self, key: str) -> float | None:
        values = [r[key] for r in self.runs]
        return statistics.median(values) if values else None


def run_worker(py: Path, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    cmd = [str(py), str(HERE / "worker.py"), json.dumps(spec)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=worker_env(), timeout=timeout)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-6:])
        raise RuntimeError(f"worker failed ({proc.returncode}):\n{tail}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


# ---------------------------------------------------------------- start-up


def measure_startup(pys: dict[str, Path], runs: int) -> dict[str, dict[str, float]]:
    """Median wall time (and CPU time) of a whole fresh interpreter process per command."""
    commands = {
        "python -c pass": (PROJECT_PY, "pass"),
        "import httpx2, pydantic": (PROJECT_PY, "import httpx2, pydantic"),
    }
    for impl in ("ours", "official"):
        if impl in pys:
            commands[impl] = (pys[impl], "from anthropic import Anthropic; Anthropic(api_key='k')")
    env = worker_env()
    samples: dict[str, list[tuple[float, float]]] = {k: [] for k in commands}
    for i in range(runs + 2):  # two untimed rounds first: bytecode caches, page cache
        for key, (py, code) in commands.items():
            t = time.perf_counter()
            proc = subprocess.Popen([str(py), "-c", code], env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                raise RuntimeError(f"start-up command failed: {py} -c {code!r}")
            if i >= 2:
                samples[key].append((wall, usage.ru_utime + usage.ru_stime))
    return {
        k: {"wall": statistics.median(w for w, _ in v), "cpu": statistics.median(c for _, c in v)}
        for k, v in samples.items()
    }


# ---------------------------------------------------------------- correctness


def _diff(a: Any, b: Any, path: str = "$") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a:
                out.append(f"{path}.{k}: missing on the left, {_short(b[k])} on the right")
            elif k not in b:
                out.append(f"{path}.{k}: {_short(a[k])} on the left, missing on the right")
            else:
                out += _diff(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items vs {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _diff(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {_short(a)} vs {_short(b)}"]


def _short(v: Any) -> str:
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) < 60 else s[:57] + "..."


def _missing_or_different(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Where ``actual`` lacks or contradicts a field of ``expected`` (extra fields are fine)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {_short(actual)}"]
        return [
            d
            for k, v in expected.items()
            for d in (
                _missing_or_different(v, actual[k], f"{path}.{k}")
                if k in actual
                else [f"{path}.{k}: missing"]
            )
        ]
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {len(expected)} items, got {_short(actual)}"]
        return [
            d
            for i, (e, a) in enumerate(zip(expected, actual, strict=True))
            for d in _missing_or_different(e, a, f"{path}[{i}]")
        ]
    return [] if expected == actual else [f"{path}: expected {_short(expected)}, got {_short(actual)}"]


def check_correctness(wls: list[Workload], sized: dict[str, bodies.Body], impls: list[str]) -> list[str]:
    """Compare each client's final message with the body's expected message, and ours with
    the official client's (whole ``model_dump()``). Returns report lines."""
    lines = []
    for w in wls:
        wanted = [i for i in ("ours", "official") if i in impls and i in w.impls]
        dumps = {}
        for impl in wanted:
            path = WORK / "dumps" / f"{w.name}.{impl}.json"
            if path.exists():
                dumps[impl] = json.loads(path.read_text(encoding="utf-8"))
        good = []
        for impl, messages in dumps.items():
            problems = _missing_or_different(sized[w.body].message, messages[0])
            problems += [
                f"stream {i}: differs from stream 0" for i, m in enumerate(messages) if m != messages[0]
            ]
            if problems:
                lines.append(f"MISMATCH {w.name}: {impl} vs the body's message: " + "; ".join(problems[:5]))
            else:
                good.append(impl)
        verdict = (
            f"{' and '.join(good)} match{'es' if len(good) == 1 else ''} the body's message" if good else ""
        )
        if len(dumps) == 2:
            diffs = _diff(dumps["ours"][0], dumps["official"][0])
            if diffs:
                lines.append(
                    f"MISMATCH {w.name}: ours (left) vs official (right) model_dump(): "
                    + "; ".join(diffs[:8])
                    + (f" (+{len(diffs) - 8} more)" if len(diffs) > 8 else "")
                )
            else:
                verdict += ("; " if verdict else "") + "ours and official model_dump() are equal"
        missing = [i for i in wanted if i not in dumps]
        if missing:
            verdict += ("; " if verdict else "") + f"{' and '.join(missing)} finished no run, not compared"
        if verdict:
            lines.append(f"ok {w.name}: {verdict}" if not missing else f"note {w.name}: {verdict}")
    return lines


# ---------------------------------------------------------------- report

# A figure and how far it can be trusted: "" exact, ">" a lower bound (a run hit the CPU
# cap), "<" an upper bound (it was divided by a lower bound).
Value = tuple[float | None, str]
NONE: Value = (None, "")


def ms(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v * 1000:,.0f} ms" if v < 10 else f"{v:,.1f} s"


def shown(v: Value, fmt: Any = ms) -> str:
    return "-" if v[0] is None else (f"{v[1]} " if v[1] else "") + fmt(v[0])


def divide(a: Value, b: Value) -> Value:
    """a / b, with the bound that follows from theirs (dividing by a lower bound gives an
    upper bound); None when the bounds pull in opposite directions."""
    (x, xb), (y, yb) = a, b
    if x is None or not y:
        return NONE
    yb = {"": "", ">": "<", "<": ">"}[yb]
    if xb and yb and xb != yb:
        return NONE
    return x / y, xb or yb


def times(v: float) -> str:
    return f"{v:.2f}x"


class Table:
    def __init__(self, cells: dict[tuple[str, str], Cell]) -> None:
        self.cells = cells

    def cell(self, impl: str, name: str) -> Cell | None:
        c = self.cells.get((impl, name))
        return c if c and (c.runs or c.capped) else None

    def cpu(self, impl: str, name: str) -> Value:
        """Median CPU of a cell, or the CPU reached at the cap (a lower bound) when no run finished."""
        c = self.cell(impl, name)
        if c is None:
            return NONE
        if c.runs:
            return c.median("cpu"), ""
        return (c.capped or {}).get("cpu"), ">"

    def median(self, impl: str, name: str, key: str) -> float | None:
        c = self.cell(impl, name)
        return c.median(key) if c and c.runs else None

    def growth_kb(self, impl: str, name: str) -> float | None:
        c = self.cell(impl, name)
        if not c or not c.runs:
            return None
        return statistics.median(r["rss_peak_kb"] - r["rss_base_kb"] for r in c.runs)

    def runs(self, name: str) -> str:
        def one(impl: str) -> str:
            c = self.cells.get((impl, name))
            if c is None:
                return "-"
            return str(len(c.runs)) + ("c" if c.capped else "") + ("!" if c.error else "")

        return "/".join(one(i) for i in IMPLS)


def report(
    args: argparse.Namespace,
    wls: list[Workload],
    cells: dict[tuple[str, str], Cell],
    startup: dict[str, dict[str, float]] | None,
    correctness: list[str],
) -> str:
    t = Table(cells)
    mb = "{:.1f} MB".format
    out = ["### CPU time", ""]
    out.append(
        "| workload | floor | ours | official | ours / floor | official / floor | ours / official "
        "| runs floor/ours/official |"
    )
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for w in wls:
        floor, ours, official = (t.cpu(i, w.name) for i in IMPLS)
        out.append(
            f"| {w.title} | {shown(floor)} | {shown(ours)} | {shown(official)} | "
            f"{shown(divide(ours, floor), times)} | {shown(divide(official, floor), times)} | "
            f"{shown(divide(ours, official), times)} | {t.runs(w.name)} |"
        )
    out += [
        "",
        "Median `time.process_time()` of a fresh worker around: open the stream, iterate every event, "
        "get the final message. `> N`: no run finished under the CPU cap, N is where it was stopped "
        "(a lower bound; `c` in the runs column); ratios built on it are bounds too. `!`: a run failed.",
        "",
        "### Wall time and memory",
        "",
        "| workload | floor wall | ours wall | official wall | floor peak RSS | ours peak RSS "
        "| official peak RSS | ours stream growth | official stream growth | ours first tiny stream "
        "| official first tiny stream |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for w in wls:
        vals = [ms(t.median(i, w.name, "wall")) for i in IMPLS]
        vals += [shown((t.median(i, w.name, "rss_peak_kb"), ""), lambda kb: mb(kb / 1024)) for i in IMPLS]
        vals += [shown((t.growth_kb(i, w.name), ""), lambda kb: mb(kb / 1024)) for i in ("ours", "official")]
        vals += [ms(t.median(i, w.name, "first_cpu")) for i in ("ours", "official")]
        out.append(f"| {w.title} | " + " | ".join(vals) + " |")
    out += [
        "",
        "Peak RSS: the worker's peak resident set size (Linux `VmHWM`, whole process) at the end of the "
        "measured part. Stream growth: that minus the same reading taken just before the measured part "
        "(after imports, client construction and the warm-up streams). First tiny stream: CPU of the "
        "warm-up streams (tiny bodies) right after client construction, where one-time costs land.",
    ]
    if startup:
        base = startup["import httpx2, pydantic"]["wall"]
        out += [
            "",
            "### Start-up",
            "",
            f"Median of {args.startup_runs} fresh processes: wall time of the whole process (interpreter "
            "start included) and its CPU time (user + system).",
            "",
            "| command | wall | CPU | wall / `import httpx2, pydantic` |",
            "|---|---:|---:|---:|",
        ]
        client_line = '`from anthropic import Anthropic; Anthropic(api_key="k")`'
        for k, v in startup.items():
            label = f"{k}: {client_line}" if k in ("ours", "official") else f"`{k}`"
            out.append(f"| {label} | {ms(v['wall'])} | {ms(v['cpu'])} | {v['wall'] / base:.2f}x |")
    out += [
        "",
        "### Goals",
        "",
        "| figure | goal | ours | official | ours vs goal | official vs goal |",
        "|---|---:|---:|---:|:---:|:---:|",
    ]
    for figure, goal, values in goals(t, startup):
        cols = [shown(values[i], "{:.2f}".format) for i in ("ours", "official")]
        verdicts = [verdict(values[i], goal) for i in ("ours", "official")]
        target = "(no goal)" if goal is None else f"<= {goal:g}"
        out.append(f"| {figure} | {target} | {cols[0]} | {cols[1]} | {verdicts[0]} | {verdicts[1]} |")
    out += ["", "### Correctness and failures", ""]
    out.extend(f"- {line}" for line in correctness or ["(no final messages were dumped)"])
    return "\n".join(out)


def verdict(value: Value, goal: float | None) -> str:
    v, bound = value
    if v is None or goal is None:
        return "-"
    if v > goal:
        return "?" if bound == "<" else "**FAIL**"
    return "?" if bound == ">" else "PASS"


def goals(
    t: Table, startup: dict[str, dict[str, float]] | None
) -> list[tuple[str, float | None, dict[str, Value]]]:
    """(figure, goal or None, {client: value}) for the goals table."""

    def each(fn: Any) -> dict[str, Value]:
        return {i: fn(i) for i in ("ours", "official")}

    def peak(impl: str) -> Value:
        return t.median(impl, "text_100k", "rss_peak_kb"), ""

    def start(impl: str) -> Value:
        if not startup or impl not in startup:
            return NONE
        return startup[impl]["wall"] / startup["import httpx2, pydantic"]["wall"], ""

    def first(impl: str) -> Value:
        return t.median(impl, "text_20k", "first_cpu"), ""

    def cold(impl: str) -> Value:
        # The two clients pay their one-time costs at different moments (the official one at
        # import, this one on first use): their sum is what a short-lived process pays.
        once = t.median(impl, "text_20k", "first_cpu")
        if not startup or impl not in startup or once is None:
            return NONE
        return startup[impl]["cpu"] + once, ""

    cpu = t.cpu
    return [
        (
            "CPU / floor, text 20k deltas",
            2.0,
            each(lambda i: divide(cpu(i, "text_20k"), cpu("floor", "text_20k"))),
        ),
        (
            "CPU / floor, text 100k deltas",
            2.0,
            each(lambda i: divide(cpu(i, "text_100k"), cpu("floor", "text_100k"))),
        ),
        (
            "CPU / floor, 1 MB tool input",
            3.0,
            each(lambda i: divide(cpu(i, "tool_1mb"), cpu("floor", "tool_1mb"))),
        ),
        (
            "CPU growth, 100 KB -> 1 MB tool input",
            12.0,
            each(lambda i: divide(cpu(i, "tool_1mb"), cpu(i, "tool_100kb"))),
        ),
        (
            "async CPU / sync CPU, text 20k",
            1.1,
            each(lambda i: divide(cpu(i, "text_20k_async"), cpu(i, "text_20k"))),
        ),
        (
            "Bedrock framing / first-party SSE, text 20k (same client)",
            1.3,
            each(lambda i: divide(cpu(i, "bedrock_text_20k"), cpu(i, "text_20k"))),
        ),
        ("start-up / `import httpx2, pydantic` (wall)", 1.0, each(start)),
        (
            "first request's one-time CPU (first tiny stream, text 20k) / the official client's",
            1.0,
            {
                "ours": divide(first("ours"), first("official")),
                "official": NONE,
            },
        ),
        (
            "start-up CPU + first request's one-time CPU (cold process to first reply) / the official client's",
            None,
            {"ours": divide(cold("ours"), cold("official")), "official": NONE},
        ),
        ("peak RSS, text 100k / floor's", 1.5, each(lambda i: divide(peak(i), peak("floor")))),
        (
            "reading every snapshot / not, text 20k",
            3.0,
            each(lambda i: divide(cpu(i, "snapshots_20k"), cpu(i, "text_20k"))),
        ),
        (
            "structured output: parsed_snapshot() on every text event / not",
            None,
            each(lambda i: divide(cpu(i, "structured_parsed"), cpu(i, "structured"))),
        ),
    ]


def record(markdown: str, key: str) -> None:
    path = HERE / "RESULTS.md"
    text = (
        path.read_text(encoding="utf-8")
        if path.exists()
        else (
            "# Benchmark results\n\nWritten by `./dev bench --record`; one section per kind of run "
            "(a new recording replaces the section of the same kind). See README.md for how to read them.\n"
        )
    )
    start, end = f"<!-- run: {key} -->", f"<!-- end run: {key} -->"
    section = f"{start}\n{markdown}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
    log(f"recorded in {path.relative_to(ROOT)}")


# ---------------------------------------------------------------- main


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="./dev bench", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    p.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="runs per implementation and workload (default 5; 1 with --quick)",
    )
    p.add_argument("--quick", action="store_true", help="bodies 10x smaller, 1 repeat, 5 start-up runs")
    p.add_argument("--only", default="", help="comma-separated workload names (and/or 'startup') to run")
    p.add_argument("--impls", default=",".join(IMPLS), help="comma-separated subset of floor,ours,official")
    p.add_argument("--record", action="store_true", help="write the report into bench/RESULTS.md")
    p.add_argument(
        "--cell-budget",
        type=float,
        default=None,
        help="stop repeating a cell once its runs took this many seconds in all (default 60; 10 quick)",
    )
    p.add_argument(
        "--cpu-cap",
        type=float,
        default=None,
        help="CPU seconds after which one run is stopped and reported as a lower bound (default 40; 20 quick)",
    )
    p.add_argument(
        "--startup-runs",
        type=int,
        default=None,
        help="fresh processes per start-up command (default 15; 5 quick)",
    )
    p.add_argument(
        "--upgrade-official", action="store_true", help="pip install --upgrade the official client first"
    )
    p.add_argument(
        "--profile",
        metavar="WORKLOAD",
        help="run this client once on WORKLOAD under cProfile and print the top functions",
    )
    args = p.parse_args(argv)
    args.repeat = args.repeat or (1 if args.quick else 5)
    args.cell_budget = args.cell_budget or (10.0 if args.quick else 60.0)
    args.cpu_cap = args.cpu_cap or (20.0 if args.quick else 40.0)
    args.startup_runs = args.startup_runs or (5 if args.quick else 15)
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    impls = [i for i in args.impls.split(",") if i]
    if set(impls) - set(IMPLS):
        raise SystemExit(f"--impls: unknown {sorted(set(impls) - set(IMPLS))}")

    pys = {"floor": PROJECT_PY}
    versions = {}
    if "ours" in impls or args.profile:
        version, detail = probe(PROJECT_PY, ROOT / "src")
        if version is None:
            log(f"!!! this client is not usable yet ({detail}); running without it")
            impls = [i for i in impls if i != "ours"]
        else:
            pys["ours"], versions["ours"] = PROJECT_PY, version
    if "official" in impls and not args.profile:
        official_py = ensure_official(args.upgrade_official)
        version, detail = probe(official_py, OFFICIAL_VENV)
        if version is None:
            raise SystemExit(f"official client not usable: {detail}")
        pys["official"], versions["official"] = official_py, version
        log(f"official client: anthropic {version}")

    sized = build_bodies(args.quick)
    body_dir = WORK / ("bodies-quick" if args.quick else "bodies")
    body_dir.mkdir(parents=True, exist_ok=True)
    for b in sized.values():
        path = body_dir / f"{b.name}.sse"
        if not path.exists() or path.read_bytes() != b.sse:
            path.write_bytes(b.sse)
    dump_dir = WORK / "dumps"
    dump_dir.mkdir(parents=True, exist_ok=True)
    for old in dump_dir.glob("*.json"):
        old.unlink()

    wls = workloads(sized)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    if only - {w.name for w in wls} - {"startup"}:
        raise SystemExit(
            f"--only: unknown {sorted(only - {w.name for w in wls} - {'startup'})}; "
            f"choose from {[w.name for w in wls] + ['startup']}"
        )
    if only:
        wls = [w for w in wls if w.name in only]

    load = os.getloadavg()
    server = Server(body_dir)
    try:
        if args.profile:
            return profile(args.profile, workloads(sized), server.base)
        cells = run_cells(args, wls, impls, pys, sized, server.base)
    finally:
        server.close()
    startup = None
    if not only or "startup" in only:
        log("start-up ...")
        startup = measure_startup({k: v for k, v in pys.items() if k in impls}, args.startup_runs)

    correctness = [p for c in cells.values() for p in c.problems] + check_correctness(wls, sized, impls)
    for line in correctness:
        if line.startswith(("MISMATCH", "FAILED")):
            log("!" * 78 + "\n" + line + "\n" + "!" * 78)

    command = "./dev bench" + ("" if not argv else " " + shlex.join(argv))
    header = [
        f"## {'Quick' if args.quick else 'Full'} run{' (' + args.only + ')' if args.only else ''}",
        "",
        f"- command: `{command}`",
        f"- date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {platform.machine()}, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"- clients: ours {versions.get('ours', 'not run')}, official anthropic {versions.get('official', 'not run')}",
        f"- load average (1 min) at start / end: {load[0]:.2f} / {os.getloadavg()[0]:.2f}",
        f"- repeats: up to {args.repeat} per cell, each a fresh process (fewer when a cell used its "
        f"{args.cell_budget:g} s budget); CPU cap per run {args.cpu_cap:g} s",
        "",
    ]
    markdown = "\n".join(header) + "\n" + report(args, wls, cells, startup, correctness)
    print(markdown)
    if args.record:
        record(markdown, ("quick" if args.quick else "full") + (f" only={args.only}" if args.only else ""))
    return 0


def worker_spec(w: Workload, impl: str, base: str, cpu_cap: float) -> dict[str, Any]:
    return {
        "impl": "floor" if impl == "floor" else "client",
        "kind": w.kind,
        "base": base,
        "body": w.body,
        "warmup": w.warmup,
        "streams": w.streams,
        "parsed": w.parsed,
        "cpu_cap": cpu_cap,
        "expect_prefix": str(ROOT / "src" if impl == "ours" else OFFICIAL_VENV),
        "dump": None,
    }


def run_cells(
    args: argparse.Namespace,
    wls: list[Workload],
    impls: list[str],
    pys: dict[str, Path],
    sized: dict[str, bodies.Body],
    base: str,
) -> dict[tuple[str, str], Cell]:
    cells: dict[tuple[str, str], Cell] = {}
    for w in wls:
        active = [i for i in impls if i in w.impls]
        spent = dict.fromkeys(active, 0.0)
        for i in active:
            cells[(i, w.name)] = Cell()
        for rep in range(args.repeat):
            # Implementations take turns within a repeat, so slow drift hits all of them alike.
            for impl in active:
                cell = cells[(impl, w.name)]
                if cell.error or cell.capped or (rep > 0 and spent[impl] >= args.cell_budget):
                    continue
                spec = worker_spec(w, impl, base, args.cpu_cap)
                if rep == 0 and impl != "floor":
                    spec["dump"] = str(WORK / "dumps" / f"{w.name}.{impl}.json")
                t = time.perf_counter()
                try:
                    res = run_worker(pys[impl], spec, timeout=args.cpu_cap * 3 + 60)
                except (RuntimeError, subprocess.TimeoutExpired) as e:
                    cell.error = str(e)
                    cell.problems.append(f"FAILED {w.name}: {impl}: {e}".replace("\n", " / "))
                    log(f"!!! {w.name} {impl}: {e}")
                    continue
                spent[impl] += time.perf_counter() - t
                expected_events = sized[w.body].events
                if (
                    impl == "floor"
                    and not res.get("capped")
                    and res["events"] != [expected_events] * w.streams
                ):
                    cell.problems.append(
                        f"MISMATCH {w.name}: the floor parsed {res['events']} events, the body has {expected_events}"
                    )
                if res.get("capped"):
                    cell.capped = res
                    log(f"{w.name:18} {impl:8} stopped at the CPU cap: {res['cpu']:.1f} s")
                else:
                    cell.runs.append(res)
                    log(
                        f"{w.name:18} {impl:8} run {rep + 1}: cpu {res['cpu'] * 1000:9.1f} ms  "
                        f"wall {res['wall'] * 1000:9.1f} ms  peak {res['rss_peak_kb'] / 1024:6.1f} MB"
                    )
    return cells


def profile(name: str, wls: list[Workload], base: str) -> int:
    import pstats

    w = next((w for w in wls if w.name == name), None)
    if w is None:
        raise SystemExit(f"--profile: unknown workload {name!r}; choose from {[w.name for w in wls]}")
    out = WORK / f"profile-{name}.prof"
    spec = {**worker_spec(w, "ours", base, cpu_cap=600), "profile": str(out)}
    res = run_worker(PROJECT_PY, spec, timeout=1200)
    print(
        f"ours on {name}: cpu {res['cpu'] * 1000:.1f} ms under cProfile (measured part only); stats in {out}"
    )
    stats = pstats.Stats(str(out))
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
