"""Run the fuzz harness for a while and report what it found.

    python -m tests.fuzz.run --seconds 60            # from the repository's root
    python -m tests.fuzz.run --seconds 600 --seed 100000 --save findings/
    python -m tests.fuzz.run --replay 12345          # check one seed again, verbosely

Each input is built from its seed alone, so a finding is reproduced by
``--replay SEED`` (with the same ``--mutation`` list, if one was given).
Exits 1 when something was found.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .harness import MUTATIONS, Finding, Stats, check_endless, check_seed, fuzz

_LIMIT_MB = 64


def _summary(stats: Stats, seconds: float) -> str:
    lines = [f"{stats.inputs} inputs, {stats.runs} runs in {seconds:.1f} s"]
    for name in MUTATIONS:
        per = stats.outcomes.get(name)
        if per:
            parts = ", ".join(f"{kind} {n}" for kind, n in sorted(per.items(), key=lambda kv: -kv[1]))
            lines.append(f"  {name:<13} {parts}")
    return "\n".join(lines)


def _endless() -> list[str]:
    problems = []
    for kind in ("line", "event"):
        error, fed, peak = check_endless(kind)
        verdict = "refused" if error is not None else "NOT refused"
        print(
            f"endless {kind}: {verdict} after {fed >> 20} MiB fed, peak {peak / 2**20:.1f} MiB: {error!r:.160}"
        )
        if error is None or peak > _LIMIT_MB << 20:
            problems.append(f"endless {kind}: {verdict}, peak {peak / 2**20:.1f} MiB")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to run (default 60)")
    parser.add_argument("--seed", type=int, default=0, help="the first seed (default 0)")
    parser.add_argument("--max-inputs", type=int, default=None, help="stop after this many inputs")
    parser.add_argument(
        "--mutation", action="append", choices=sorted(MUTATIONS), help="only these (repeatable)"
    )
    parser.add_argument(
        "--save", type=Path, default=None, help="write each finding's input to this directory"
    )
    parser.add_argument("--replay", type=int, default=None, help="check this one seed and print its findings")
    parser.add_argument(
        "--skip-endless", action="store_true", help="skip the endless line/event memory check"
    )
    args = parser.parse_args(argv)

    if args.replay is not None:
        findings = check_seed(args.replay, args.mutation)
        for finding in findings:
            print(finding)
            print(f"  input ({len(finding.body)} bytes): {finding.body[:2000]!r}")
        print("nothing found" if not findings else f"{len(findings)} finding(s)")
        return 1 if findings else 0

    if args.save is not None:
        args.save.mkdir(parents=True, exist_ok=True)

    def report(finding: Finding) -> None:
        print(f"FOUND {finding}", flush=True)
        if args.save is not None:
            (args.save / f"{finding.mutation}-{finding.seed}.bin").write_bytes(finding.body)

    problems = [] if args.skip_endless else _endless()
    started = time.monotonic()
    stats, findings = fuzz(
        args.seconds, seed=args.seed, max_inputs=args.max_inputs, mutations=args.mutation, on_finding=report
    )
    print(_summary(stats, time.monotonic() - started))
    for problem in problems:
        print(f"FOUND {problem}")
    total = len(findings) + len(problems)
    print("nothing found" if not total else f"{total} finding(s)")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
