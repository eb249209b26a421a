"""``anthropic batch``: a JSONL file of requests to a JSONL file of results, through the Message Batches API.

    anthropic batch submit REQUESTS.jsonl     check, split if needed, upload; prints the job's id
    anthropic batch status ID                 where each batch stands
    anthropic batch wait ID                   until every batch has ended (a progress bar on a terminal)
    anthropic batch results ID -o OUT.jsonl   stream the results to OUT (a re-run appends only what is missing)
    anthropic batch cancel ID
    anthropic batch list

``ID`` is a batch id (``msgbatch_...``) or the id of a submitted file
(``batchjob_...``) whose requests were split into several batches; the
state file (``--state-dir``, ``ANTHROPIC_BATCH_STATE_DIR``, else
``$XDG_STATE_HOME/anthropic`` or ``~/.local/state/anthropic``) remembers
which.  Without ``ANTHROPIC_API_KEY`` / ``ANTHROPIC_AUTH_TOKEN`` (or with
``--emulator``) the built-in emulator answers; its batches are kept in the
same state directory between runs, and are processed while a command runs.

The pure parts (checks, splitting, resuming, progress lines) are in
:mod:`anthropic._batch_local`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from ._batch_local import (
    MAX_BATCH_BYTES,
    MAX_BATCH_REQUESTS,
    Job,
    OutputScan,
    RequestsFileError,
    batch_body,
    check_requests,
    load_jobs,
    plain_progress,
    plan_batches,
    render_progress,
    save_jobs,
)

__all__ = ["add_batch_parser"]

EXIT_ERROR = 1
EXIT_USAGE = 2
JOBS_FILE = "batches.json"
EMULATOR_FILE = "emulator-batches.jsonl"
_READ_CHUNK = 1 << 20


class CommandError(Exception):
    """A failure to report on one line (the command exits 1)."""


def add_batch_parser(commands: Any) -> None:
    """Add ``batch`` and its subcommands to the ``anthropic`` command's subparsers."""
    batch = commands.add_parser(
        "batch",
        help="run a JSONL file of requests through the Message Batches API",
        description=(
            "Submit a JSONL file of {custom_id, params} requests as message batches, follow them, and "
            "stream their results to a JSONL file. Without ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN, or "
            "with --emulator, the built-in emulator answers."
        ),
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--emulator", action="store_true", help="use the built-in emulator even if a key is set"
    )
    common.add_argument("--state-dir", type=Path, help="where to keep the state file (default: see the docs)")
    sub = batch.add_subparsers(dest="batch_command", metavar="SUBCOMMAND", required=True)

    submit = sub.add_parser("submit", parents=[common], help="check and upload a requests file")
    submit.add_argument("file", type=Path, help="JSONL file, one {custom_id, params} object per line")
    submit.add_argument(
        "--no-validate",
        action="store_true",
        help="check only the envelope, not each params, before uploading",
    )
    submit.add_argument(
        "--max-requests", type=_positive_int, default=MAX_BATCH_REQUESTS, help=argparse.SUPPRESS
    )
    submit.add_argument("--max-bytes", type=_positive_int, default=MAX_BATCH_BYTES, help=argparse.SUPPRESS)
    submit.set_defaults(run_batch=_submit)

    status = sub.add_parser("status", parents=[common], help="show where a batch (or job) stands")
    status.add_argument("id", help="msgbatch_... or batchjob_...")
    status.add_argument("--json", action="store_true", help="print each batch as one JSON line")
    status.set_defaults(run_batch=_status)

    wait = sub.add_parser("wait", parents=[common], help="wait until every batch has ended")
    wait.add_argument("id", help="msgbatch_... or batchjob_...")
    wait.add_argument(
        "--interval", type=float, default=None, help="seconds between polls (default: 10; 0.2 emulated)"
    )
    wait.add_argument("--timeout", type=float, default=None, help="give up after this many seconds (exit 1)")
    wait.set_defaults(run_batch=_wait)

    results = sub.add_parser("results", parents=[common], help="stream the results to a JSONL file")
    results.add_argument("id", help="msgbatch_... or batchjob_...")
    results.add_argument(
        "-o", "--output", type=Path, help="file to write (resumed if it exists); stdout if omitted"
    )
    results.set_defaults(run_batch=_results)

    cancel = sub.add_parser("cancel", parents=[common], help="cancel a batch (or every batch of a job)")
    cancel.add_argument("id", help="msgbatch_... or batchjob_...")
    cancel.set_defaults(run_batch=_cancel)

    listing = sub.add_parser("list", parents=[common], help="list the most recent batches")
    listing.add_argument("--limit", type=_positive_int, default=20, help="how many (default: 20)")
    listing.set_defaults(run_batch=_list)

    batch.set_defaults(run=run_batch)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def _fail(message: str, code: int = EXIT_ERROR) -> int:
    print(f"anthropic: error: {message}", file=sys.stderr, flush=True)
    return code


def _note(message: str) -> None:
    print(f"anthropic: {message}", file=sys.stderr, flush=True)


# --- the session: a client (and maybe an emulator) and the state directory ----------------------


def _state_dir(args: argparse.Namespace) -> Path:
    if args.state_dir is not None:
        return Path(args.state_dir)
    env = os.environ.get("ANTHROPIC_BATCH_STATE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "anthropic"


class _Session:
    """The client a command talks to; with the emulator, its saved batches are loaded and saved again."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.state_dir = _state_dir(args)
        self.emulator: Any = None
        self.emulated = bool(args.emulator) or not (
            os.environ.get("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_AUTH_TOKEN")
        )
        self.reason = (
            "--emulator given" if args.emulator else "no ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN set"
        )

    def __enter__(self) -> Any:
        import anthropic

        if not self.emulated:
            self.client = anthropic.Anthropic()
            return self.client
        from .emulator import Emulator

        emu = Emulator(max_body_size=MAX_BATCH_BYTES + (1 << 20), record_requests=False)
        try:
            emu.batches.load(self.state_dir / EMULATOR_FILE)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        emu.start()
        self.emulator = emu
        _note(f"{self.reason}; using the built-in emulator (batches kept in {self.state_dir})")
        self.client = anthropic.Anthropic(api_key="emulator", auth_token=None, base_url=emu.base_url)
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        if self.emulator is not None:
            self.emulator.stop()
            self.emulator.batches.save(self.state_dir / EMULATOR_FILE)

    @property
    def base_url(self) -> str:
        return "emulator" if self.emulated else str(self.client.base_url)

    def jobs(self) -> list[Job]:
        try:
            return load_jobs(self.state_dir / JOBS_FILE)
        except ValueError as exc:
            raise CommandError(str(exc)) from None

    def batch_ids(self, ident: str) -> list[str]:
        """The batches an id names: a batch's own id, or a job's batches."""
        if not ident.startswith("batchjob_"):
            return [ident]
        for job in self.jobs():
            if job.id == ident:
                if job.base_url != self.base_url:
                    where = "the built-in emulator" if job.base_url == "emulator" else job.base_url
                    raise CommandError(f"job {ident} was submitted to {where}; run this command against it")
                return job.batches
        raise CommandError(f"no job {ident} in {self.state_dir / JOBS_FILE}")


def run_batch(args: argparse.Namespace) -> int:
    import anthropic

    try:
        session = _Session(args)
        code: int = args.run_batch(args, session)
        return code
    except RequestsFileError as exc:
        print(str(exc), file=sys.stderr, flush=True)
        count = len(exc.problems) + exc.more
        return _fail(f"{args.file}: {count} problem(s); nothing was uploaded")
    except CommandError as exc:
        return _fail(str(exc))
    except anthropic.APIStatusError as exc:
        from ._cli import _describe_status_error

        return _fail(_describe_status_error(exc))
    except anthropic.AnthropicError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))


# --- submit -------------------------------------------------------------------------------------


def _file_lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        yield from f


def _submit(args: argparse.Namespace, session: _Session) -> int:
    path: Path = args.file
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    validate = None
    if not args.no_validate:
        from .emulator._validate import validate_messages

        validate = validate_messages
    checked = check_requests(_file_lines(path), path=str(path), validate_params=validate)
    try:
        plans = plan_batches(checked.sizes, max_requests=args.max_requests, max_bytes=args.max_bytes)
    except ValueError as exc:
        raise CommandError(f"{path}: {exc}") from None
    _note(f"{path}: {len(checked):,} requests checked; {len(plans)} batch(es) to submit")
    with session as client:
        job = Job(
            Job.new_id(),
            str(path.resolve()),
            session.base_url,
            [],
            [],
            datetime.now(timezone.utc).isoformat(),
        )
        try:
            for plan, lines in zip(plans, _plan_lines(path, checked.lines, plans), strict=True):
                batch = client.messages.batches.create_from_body(batch_body(lines))
                job.batches.append(batch.id)
                job.requests.append(len(plan))
                first, last = checked.lines[plan.start], checked.lines[plan.stop - 1]
                _note(f"lines {first}-{last}: {batch.id} ({len(plan):,} requests)")
        except BaseException:
            if job.batches:
                _record(session, job)
                _note(
                    f"submitted {len(job.batches)} of {len(plans)} batches as {job.id} before the failure; "
                    "the other requests were not sent"
                )
            raise
        _record(session, job)
    print(job.batches[0] if len(job.batches) == 1 else job.id, flush=True)
    return 0


def _plan_lines(path: Path, line_numbers: list[int], plans: list[range]) -> Iterator[list[bytes]]:
    """The raw lines of each planned batch, reading the file once more (one batch held at a time)."""
    wanted = iter(line_numbers)
    next_line = next(wanted, None)
    current: list[bytes] = []
    plan_iter = iter(plans)
    plan = next(plan_iter, None)
    for number, raw in enumerate(_file_lines(path), 1):
        if number != next_line:
            continue
        current.append(raw)
        next_line = next(wanted, None)
        if plan is not None and len(current) == len(plan):
            yield current
            current = []
            plan = next(plan_iter, None)
    if plan is not None:
        raise CommandError(f"{path} changed while it was being submitted")


def _record(session: _Session, job: Job) -> None:
    jobs = [j for j in session.jobs() if j.id != job.id]
    save_jobs(session.state_dir / JOBS_FILE, [*jobs, job])


# --- status, wait, cancel, list -----------------------------------------------------------------


def _counts(batch: Any) -> dict[str, int]:
    rc = batch.request_counts
    return {
        name: int(getattr(rc, name)) for name in ("processing", "succeeded", "errored", "canceled", "expired")
    }


def _describe(batch: Any) -> str:
    parts = [batch.id, batch.processing_status]
    counts = ", ".join(f"{n:,} {name}" for name, n in _counts(batch).items() if n)
    parts.append(counts or "no requests")
    if batch.ended_at is not None:
        parts.append(f"ended {batch.ended_at.isoformat()}")
    else:
        parts.append(f"expires {batch.expires_at.isoformat()}")
    return "  ".join(parts)


def _status(args: argparse.Namespace, session: _Session) -> int:
    with session as client:
        for batch_id in session.batch_ids(args.id):
            batch = client.messages.batches.retrieve(batch_id)
            if args.json:
                print(batch.model_dump_json(), flush=True)
            else:
                print(_describe(batch), flush=True)
    return 0


def _wait(args: argparse.Namespace, session: _Session) -> int:
    interval = args.interval if args.interval is not None else (0.2 if session.emulated else 10.0)
    tty = sys.stderr.isatty()
    with session as client:
        ids = session.batch_ids(args.id)
        started = time.monotonic()
        last_plain = ""
        tick = 0
        while True:
            batches = [client.messages.batches.retrieve(batch_id) for batch_id in ids]
            totals: dict[str, int] = {}
            for batch in batches:
                for name, n in _counts(batch).items():
                    totals[name] = totals.get(name, 0) + n
            ended = sum(1 for b in batches if b.processing_status == "ended")
            elapsed = time.monotonic() - started
            if tty:
                width = _terminal_width()
                sys.stderr.write(
                    "\r" + render_progress(ended, len(ids), totals, elapsed, width=width, tick=tick)
                )
                sys.stderr.flush()
                tick += 1
            else:
                line = plain_progress(ended, len(ids), totals, elapsed)
                if line.split(" after ")[0] != last_plain.split(" after ")[0] or ended == len(ids):
                    print(line, file=sys.stderr, flush=True)
                    last_plain = line
            if ended == len(ids):
                if tty:
                    sys.stderr.write("\n")
                    sys.stderr.flush()
                for batch in batches:
                    print(_describe(batch), flush=True)
                return 0
            if args.timeout is not None and elapsed >= args.timeout:
                if tty:
                    sys.stderr.write("\n")
                raise CommandError(f"{ended} of {len(ids)} batch(es) had ended after {args.timeout:g} s")
            time.sleep(interval)


def _terminal_width() -> int:
    try:
        columns = os.get_terminal_size(sys.stderr.fileno()).columns
    except OSError:
        return 80
    return columns if columns >= 20 else 80  # a terminal that does not say its size reports 0


def _cancel(args: argparse.Namespace, session: _Session) -> int:
    with session as client:
        for batch_id in session.batch_ids(args.id):
            print(_describe(client.messages.batches.cancel(batch_id)), flush=True)
    return 0


def _list(args: argparse.Namespace, session: _Session) -> int:
    with session as client:
        for shown, batch in enumerate(client.messages.batches.list(limit=min(args.limit, 100)), 1):
            print(_describe(batch), flush=True)
            if shown >= args.limit:
                break
    return 0


# --- results ------------------------------------------------------------------------------------


def _results(args: argparse.Namespace, session: _Session) -> int:
    output: Path | None = args.output
    seen: set[str] = set()
    if output is not None and output.exists():
        scan = OutputScan()
        with output.open("rb") as f:
            while chunk := f.read(_READ_CHUNK):
                scan.feed(chunk)
        scan.end()
        seen = scan.seen
        if scan.keep < output.stat().st_size:
            with output.open("r+b") as f:
                f.truncate(scan.keep)
        if seen:
            _note(f"{output}: {len(seen):,} results already there; fetching the rest")
    with session as client:
        ids = session.batch_ids(args.id)
        batches = [client.messages.batches.retrieve(batch_id) for batch_id in ids]
        waiting = [b.id for b in batches if b.processing_status != "ended"]
        if waiting:
            raise CommandError(
                f"{', '.join(waiting)} has not ended yet; run 'anthropic batch wait {args.id}' first"
            )
        total = sum(sum(_counts(b).values()) for b in batches)
        written = 0
        with _open_output(output) as out:
            for batch in batches:
                written += _stream_results(client, batch, out, seen)
        have = len(seen)
        where = str(output) if output is not None else "stdout"
        _note(f"{where}: {written:,} result(s) written, {have:,} of {total:,} in all")
        if have < total:
            raise CommandError(
                f"only {have:,} of {total:,} results were found; run the command again to resume"
            )
    return 0


@contextlib.contextmanager
def _open_output(path: Path | None) -> Iterator[IO[bytes]]:
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with path.open("ab") as f:
        yield f


def _stream_results(client: Any, batch: Any, out: IO[bytes], seen: set[str]) -> int:
    """Append the results of ``batch`` that ``seen`` lacks, line by line as they arrive; how many."""
    from pydantic_core import from_json

    expected = sum(_counts(batch).values())
    written = lines = 0
    buffer = b""
    with client.messages.batches.with_streaming_response.results(batch.id) as response:

        def take(raw: bytes) -> None:
            nonlocal written, lines
            text = raw.strip()
            if not text:
                return
            try:
                value = from_json(text)
                custom_id = value["custom_id"]
                if not isinstance(custom_id, str) or not isinstance(value.get("result"), dict):
                    raise ValueError("not a result")
            except (ValueError, KeyError, TypeError) as exc:
                raise CommandError(
                    f"line {lines + 1} of the results of {batch.id} is not a result ({exc}); "
                    f"{lines} line(s) were read before it"
                ) from None
            lines += 1
            if custom_id not in seen:
                seen.add(custom_id)
                out.write(text + b"\n")
                written += 1

        try:
            for chunk in response.iter_bytes():
                buffer += chunk
                if b"\n" not in chunk:
                    continue
                *complete, buffer = buffer.split(b"\n")
                for raw in complete:
                    take(raw)
        except Exception as exc:
            out.flush()
            if isinstance(exc, CommandError):
                raise
            raise CommandError(
                f"the download of the results of {batch.id} failed after {lines} of {expected} lines "
                f"({type(exc).__name__}: {exc}); run the command again to resume"
            ) from None
        if buffer.strip():
            try:
                from_json(buffer.strip())
            except ValueError:
                out.flush()
                raise CommandError(
                    f"the results of {batch.id} were cut short after {lines} of {expected} lines; "
                    "run the command again to resume"
                ) from None
            take(buffer)
    out.flush()
    if lines != expected:
        raise CommandError(
            f"the results of {batch.id} held {lines} lines, not the {expected} its request counts promise"
            + ("; run the command again to resume" if lines < expected else "")
        )
    return written
