"""The backfill CLI against a running service: input order, resumption, torn lines, summary."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from tests.integration.test_jobs import article

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

ROOT = Path(__file__).resolve().parents[2]


def without_timings(lines: list[dict]) -> list[dict]:
    """The output lines without each result's stage timings."""
    for line in lines:
        line.get("result", {}).get("stats", {}).pop("timings_ms", None)
    return lines


async def backfill(*args: str) -> tuple[int, str]:
    """Run `python -m service backfill` as a subprocess while the test's server keeps serving."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "service",
        "backfill",
        *args,
        cwd=ROOT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    return process.returncode or 0, stderr.decode()


async def test_backfill_through_jobs_then_resumes_after_a_torn_line(
    client_for, make_settings, own_redis, tmp_path: Path
) -> None:
    """Jobs write every id in input order; a rerun after a torn line keeps whole lines, adds the rest."""
    records = [{"id": f"a{i}", "text": article(i, "backfill")} for i in range(5)]
    records.insert(2, {"id": "vide", "text": " "})
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = tmp_path / "summary.json"
    async with client_for(make_settings(REDIS_URL=own_redis.url)) as client:
        url = str(client.base_url)
        code, stderr = await backfill(
            str(source), "--out", str(out), "--url", url, "--summary-json", str(summary)
        )
        first = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        # A run killed mid-write leaves the first three lines and half of the fourth.
        lines = out.read_bytes().splitlines(keepends=True)
        out.write_bytes(b"".join(lines[:3]) + lines[3][:40])
        again, stderr_again = await backfill(str(source), "--out", str(out), "--url", url, "--mode", "batch")
    second = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert (0, 0) == (code, again)
    assert [r["id"] for r in records] == [line["id"] for line in first]
    assert [200, 200, 422, 200, 200, 200] == [line["status"] for line in first]
    assert "empty_text" == first[2]["error"]["code"]
    assert {
        "interrupted": False,
        "skipped": 0,
        "done": 5,
        "failed": 1,
        "failed_by_reason": {"empty_text": 1},
    } == {k: v for k, v in json.loads(summary.read_text()).items() if k not in {"seconds", "articles_per_s"}}
    assert "finished: 5 done, 1 failed (empty_text 1), 0 already in the output" in stderr
    # Timings differ when an article is recomputed (a slow Redis fails open); the rest is identical.
    assert without_timings(first) == without_timings(second)
    assert "finished: 3 done, 0 failed, 3 already in the output" in stderr_again
