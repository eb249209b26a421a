"""The ``anthropic`` command: ``anthropic stream`` and ``anthropic emulator``.

Import-light on purpose: the client and the emulator load only when a
subcommand needs them.

``anthropic stream [PROMPT]`` streams a reply to stdout as it arrives.  With
no ``ANTHROPIC_API_KEY`` / ``ANTHROPIC_AUTH_TOKEN`` (or with ``--emulator``)
it talks to an in-process emulator and says so on stderr.  Thinking goes to
stderr under a header, apart from the answer; the stop reason and usage go to
stderr at the end.  Errors print one line (type, message, status, request id)
and exit 1; Ctrl-C exits 130.

``anthropic emulator [--host HOST] [--port PORT] [--record DIR --upstream URL | --replay DIR]``
serves the emulator until interrupted (SIGINT or SIGTERM), printing its base
URL as the first line of stdout.

``anthropic batch ...`` runs a JSONL file of requests through the Message
Batches API (see :mod:`anthropic._cli_batch`).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from .emulator import Emulator, RecordedRequest

__all__ = ["main"]

DEFAULT_MODEL = "claude-sonnet-4-6"
DEFAULT_MAX_TOKENS = 1024
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

_DIM = "\x1b[2m"
_RESET = "\x1b[0m"


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="anthropic",
        description="Stream replies from the Anthropic Messages API, or run a local emulator of it.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    stream = commands.add_parser(
        "stream",
        help="stream a reply to a prompt",
        description=(
            "Stream a reply to PROMPT (or to stdin) as it arrives. Without ANTHROPIC_API_KEY or "
            "ANTHROPIC_AUTH_TOKEN, or with --emulator, the built-in emulator answers."
        ),
    )
    stream.add_argument("prompt", nargs="?", help="the prompt; read from stdin when omitted or '-'")
    stream.add_argument("--model", default=DEFAULT_MODEL, help=f"model id (default: {DEFAULT_MODEL})")
    stream.add_argument(
        "--max-tokens",
        type=_positive_int,
        default=None,
        help=f"maximum output tokens (default: {DEFAULT_MAX_TOKENS}, plus the thinking budget with --thinking)",
    )
    stream.add_argument("--system", help="system prompt")
    stream.add_argument(
        "--thinking",
        type=_positive_int,
        metavar="BUDGET",
        help="enable extended thinking with this token budget (at least 1024); shown on stderr",
    )
    stream.add_argument("--json", action="store_true", help="print each stream event as one JSON line")
    stream.add_argument(
        "--emulator", action="store_true", help="use the built-in emulator even if a key is set"
    )
    stream.set_defaults(run=_run_stream)

    emulator = commands.add_parser(
        "emulator",
        help="run the local Messages API emulator",
        description="Serve the Messages API emulator until interrupted; the first stdout line is its base URL.",
    )
    emulator.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    emulator.add_argument("--port", type=int, default=0, help="port to listen on (default: 0, any free port)")
    emulator.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help="accept only this key (repeatable); by default any non-empty key is accepted",
    )
    emulator.add_argument("--no-auth", action="store_true", help="accept requests without an API key")
    emulator.add_argument(
        "--record",
        metavar="DIR",
        help="forward every request to --upstream and store each exchange in DIR as a cassette",
    )
    emulator.add_argument(
        "--upstream",
        metavar="URL",
        help="the endpoint --record forwards to (key from ANTHROPIC_API_KEY, never stored)",
    )
    emulator.add_argument("--replay", metavar="DIR", help="serve the cassettes in DIR instead of generating")
    emulator.add_argument(
        "--allow-unknown-params", action="store_true", help="accept request fields the API does not know"
    )
    emulator.add_argument(
        "--max-connections",
        type=_positive_int,
        default=0,
        metavar="N",
        help="answer connections past N with 503 (default: from the file-descriptor limit, at most 1000)",
    )
    emulator.add_argument(
        "--header-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="time a request head may take to arrive (default: 10)",
    )
    emulator.add_argument(
        "--idle-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="close keep-alive connections idle this long (default: 60)",
    )
    emulator.add_argument("-v", "--verbose", action="store_true", help="log each request on stderr")
    emulator.set_defaults(run=_run_emulator)

    from ._cli_batch import add_batch_parser

    add_batch_parser(commands)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        _quiet_newline(sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`); nothing more to say.
        _silence_stdout()
        return EXIT_ERROR
    return code


def _quiet_newline(stream: TextIO) -> None:
    try:
        if stream.isatty():
            stream.write("\n")
            stream.flush()
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _fail(message: str, code: int = EXIT_ERROR) -> int:
    print(f"anthropic: error: {' '.join(message.split())}", file=sys.stderr, flush=True)
    return code


# --- anthropic emulator -------------------------------------------------------------------------


def _run_emulator(args: argparse.Namespace) -> int:
    import signal
    import time

    from .emulator import Emulator

    def log_request(request: RecordedRequest, status: int) -> None:
        print(
            f"{request.method} {request.path} -> {status} ({request.request_id})", file=sys.stderr, flush=True
        )

    def on_signal(signum: int, frame: Any) -> None:
        for sig in stop_signals:  # a second signal ends the process at once
            signal.signal(sig, signal.SIG_DFL)
        raise KeyboardInterrupt

    if (args.record is None) != (args.upstream is None):
        return _fail("--record and --upstream go together: where to store, and where to forward")
    if args.record is not None and args.replay is not None:
        return _fail("--record and --replay cannot be combined")
    try:
        emu = Emulator(
            args.host,
            args.port,
            api_keys=args.api_keys,
            require_auth=not args.no_auth,
            on_request=log_request if args.verbose else None,
            record_requests=False,
            replay=args.replay,
            record=args.record,
            upstream=args.upstream,
            allow_unknown_params=args.allow_unknown_params,
            max_connections=args.max_connections,
            header_timeout=args.header_timeout,
            idle_timeout=args.idle_timeout,
        )
    except (ValueError, OSError) as exc:
        return _fail(str(exc))
    stop_signals = (signal.SIGINT, signal.SIGTERM)
    try:
        emu.start()
    except OSError as exc:
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc}")
    # Both stop the server, even where SIGINT was inherited as ignored (a background job of a script).
    previous = {sig: signal.signal(sig, on_signal) for sig in stop_signals}
    try:
        print(emu.base_url, flush=True)
        print(
            f"Messages API emulator listening at {emu.base_url} (Ctrl-C to stop)",
            file=sys.stderr,
            flush=True,
        )
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        emu.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


# --- anthropic stream ---------------------------------------------------------------------------


def _read_prompt(args: argparse.Namespace) -> str | None:
    if args.prompt is not None and args.prompt != "-":
        return str(args.prompt)
    if sys.stdin is None or sys.stdin.isatty():
        return None
    return sys.stdin.read()


def _run_stream(args: argparse.Namespace) -> int:
    prompt = _read_prompt(args)
    if prompt is None or not prompt.strip():
        return _fail("no prompt: give one as an argument or on stdin", EXIT_USAGE)

    import anthropic

    has_key = bool(os.environ.get("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_AUTH_TOKEN"))
    emu: Emulator | None = None
    try:
        if args.emulator or not has_key:
            from .emulator import Emulator

            emu = Emulator().start()
            why = "--emulator given" if args.emulator else "no ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN set"
            print(
                f"anthropic: {why}; using the built-in emulator at {emu.base_url} (replies are simulated)",
                file=sys.stderr,
                flush=True,
            )
            client = anthropic.Anthropic(api_key="emulator", auth_token=None, base_url=emu.base_url)
        else:
            client = anthropic.Anthropic()
        return _stream_reply(client, args, prompt)
    except anthropic.APIStatusError as exc:
        return _fail(_describe_status_error(exc))
    except anthropic.APITimeoutError:
        return _fail("the request timed out")
    except anthropic.APIConnectionError as exc:
        return _fail(f"connection error: {exc}")
    except anthropic.AnthropicError as exc:
        return _fail(str(exc))
    finally:
        if emu is not None:
            emu.stop()


def _request_params(args: argparse.Namespace, prompt: str) -> dict[str, Any]:
    max_tokens = args.max_tokens
    if max_tokens is None:
        max_tokens = DEFAULT_MAX_TOKENS + (args.thinking or 0)
    params: dict[str, Any] = {
        "model": args.model,
        "max_tokens": max_tokens,
        "messages": [{"role": "user", "content": prompt}],
    }
    if args.system:
        params["system"] = args.system
    if args.thinking:
        params["thinking"] = {"type": "enabled", "budget_tokens": args.thinking}
    return params


class _Printer:
    """Writes a stream for people: the answer on stdout, thinking and notes on stderr."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out = out
        self.err = err
        dim = err.isatty() and not os.environ.get("NO_COLOR")
        self.dim_on, self.dim_off = (_DIM, _RESET) if dim else ("", "")
        self.in_thinking = False
        self.line_open = False

    def thinking(self, text: str) -> None:
        if not self.in_thinking:
            self.err.write(self.dim_on + "Thinking:\n")
            self.in_thinking = True
        self.err.write(text)
        self.err.flush()

    def end_thinking(self) -> None:
        if self.in_thinking:
            self.err.write("\n" + self.dim_off + "\n")
            self.err.flush()
            self.in_thinking = False

    def text(self, text: str) -> None:
        self.end_thinking()
        if text:
            self.out.write(text)
            self.out.flush()
            self.line_open = not text.endswith("\n")

    def note(self, text: str) -> None:
        self.end_thinking()
        self.err.write(text + "\n")
        self.err.flush()

    def close(self) -> None:
        """End what is open: the thinking section, and the answer's last line."""
        self.end_thinking()
        if self.line_open:
            self.out.write("\n")
            self.out.flush()
            self.line_open = False


def _stream_reply(client: Any, args: argparse.Namespace, prompt: str) -> int:
    printer = _Printer(sys.stdout, sys.stderr)
    try:
        with client.messages.stream(**_request_params(args, prompt)) as stream:
            for event in stream:
                if args.json:
                    sys.stdout.write(event.model_dump_json() + "\n")
                    sys.stdout.flush()
                elif event.type == "text":
                    printer.text(event.text)
                elif event.type == "thinking":
                    printer.thinking(event.thinking)
                elif event.type == "content_block_stop":
                    block = event.content_block
                    if block.type == "thinking":
                        printer.end_thinking()
                    elif block.type != "text":
                        printer.note(f"[{block.type}] {block.model_dump_json(exclude_none=True)}")
            message = stream.get_final_message()
    finally:
        printer.close()

    usage = message.usage
    summary = f"stop_reason={message.stop_reason}"
    if message.stop_sequence:
        summary += f" stop_sequence={message.stop_sequence!r}"
    summary += f" input_tokens={usage.input_tokens} output_tokens={usage.output_tokens}"
    request_id = getattr(stream, "request_id", None)
    if request_id:
        summary += f" request_id={request_id}"
    print(f"[{summary}]", file=sys.stderr, flush=True)
    return 0


def _describe_status_error(exc: Any) -> str:
    status = getattr(exc, "status_code", None)
    request_id = getattr(exc, "request_id", None)
    body = getattr(exc, "body", None)
    error_type, message = "api_error", str(exc)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict):
            error_type = str(error.get("type") or error_type)
            message = str(error.get("message") or message)
        request_id = request_id or body.get("request_id")
    response = getattr(exc, "response", None)
    http_status = getattr(response, "status_code", status)
    if isinstance(http_status, int) and http_status < 400:
        where = f"error event in a {http_status} stream"  # the error came after the response began
    else:
        where = f"status {status}"
    return f"{error_type}: {message} ({where}, request id {request_id or 'unknown'})"
