"""The pytest plugin, run in a pytest process of its own (pytester): no conftest, only the entry point."""

from __future__ import annotations

import json
from pathlib import Path

import httpx2
import pytest

from anthropic.emulator import Emulator

pytest_plugins = ["pytester"]


def test_the_fixtures_and_markers_work_without_a_conftest(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        import anthropic
        from anthropic.emulator import Emulator, Fault, Reply

        BODY = {"model": "claude-test", "max_tokens": 100, "messages": [{"role": "user", "content": "Count to 3"}]}

        def test_emulator_and_sync_client(anthropic_emulator, anthropic_client):
            assert isinstance(anthropic_emulator, Emulator)
            message = anthropic_client.messages.create(**BODY)
            assert message.content[0].text == "1, 2, 3."
            assert anthropic_emulator.requests[0].headers["x-api-key"] == "test-key"

        @pytest.mark.anthropic_replies(Reply.text("scripted"), Reply.text("second"))
        def test_scripted_replies(anthropic_client, anthropic_emulator):
            assert anthropic_client.messages.create(**BODY).content[0].text == "scripted"
            assert anthropic_emulator.pending_replies == 1

        @pytest.mark.anthropic_faults(Fault(status=529, times=1))
        def test_faults_without_retries(anthropic_client):
            with pytest.raises(anthropic.InternalServerError) as info:
                anthropic_client.messages.create(**BODY)
            assert info.value.status_code == 529
            assert anthropic_client.messages.create(**BODY).content[0].text == "1, 2, 3."

        @pytest.mark.anthropic_emulator(max_retries=2)
        @pytest.mark.anthropic_faults(Fault(status=529, retry_after=0, times=1))
        def test_retries_when_asked(anthropic_client):
            assert anthropic_client.messages.create(**BODY).content[0].text == "1, 2, 3."

        @pytest.mark.anthropic_emulator(api_keys={"only-this"})
        def test_emulator_options(anthropic_client):
            with pytest.raises(anthropic.AuthenticationError):
                anthropic_client.messages.create(**BODY)

        @pytest.mark.anyio
        async def test_async_client(async_anthropic_client):
            async with async_anthropic_client as client:
                message = await client.messages.create(**BODY)
            assert message.content[0].text == "1, 2, 3."
        """
    )
    pytester.makeconftest("import pytest\n\n@pytest.fixture\ndef anyio_backend():\n    return 'asyncio'\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=6)


def test_a_cassette_directory_is_replayed(pytester: pytest.Pytester, tmp_path: Path) -> None:
    recorded = tmp_path / "cassettes"
    body = {
        "model": "claude-test",
        "max_tokens": 100,
        "messages": [{"role": "user", "content": "Say recorded"}],
    }
    with Emulator() as upstream, Emulator(record=recorded, upstream=upstream.base_url) as recorder:
        headers = {"x-api-key": "k", "anthropic-version": "2023-06-01"}
        assert httpx2.post(recorder.base_url + "/v1/messages", json=body, headers=headers).status_code == 200
    (cassette,) = recorded.iterdir()
    target = pytester.mkdir("cassettes")
    (target / cassette.name).write_text(cassette.read_text())
    pytester.makepyfile(
        f"""
        import pytest

        BODY = {json.dumps(body)}

        @pytest.mark.anthropic_cassettes("cassettes")
        def test_replayed(anthropic_client):
            assert anthropic_client.messages.create(**BODY).content[0].text == "recorded"

        @pytest.mark.anthropic_cassettes("cassettes")
        def test_not_recorded(anthropic_client):
            import anthropic
            with pytest.raises(anthropic.NotFoundError, match="No cassette recorded for POST /v1/messages"):
                anthropic_client.messages.create(**{{**BODY, "max_tokens": 99}})
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=2)


def test_the_markers_are_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--markers")
    result.stdout.fnmatch_lines(["*anthropic_replies(*replies)*", "*anthropic_cassettes(directory)*"])
