"""Server mode against a real `chroma run` (skipped when the binary is not installed)."""

import shutil
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from memory import MemoryStore, MemoryUnavailable

CHROMA = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")


@pytest.fixture
def chroma_server(tmp_path):
    if not Path(CHROMA).exists():
        pytest.skip("chroma CLI not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            CHROMA,
            "run",
            "--path",
            str(tmp_path / "chroma"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.skip("chroma server did not start in time")
    yield url, proc
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)


def test_server_mode_round_trip_then_outage(chroma_server, fake_embedder):
    url, proc = chroma_server
    t0 = datetime(2026, 3, 2, tzinfo=UTC)
    store = MemoryStore(None, fake_embedder, chroma_url=url)
    store.remember_turn("ana", "I adopted a grey cat called Miso.", "t1", t0)
    store.remember_turn("bo", "I adopted a grey cat called Miso.", "b1", t0)
    other_process = MemoryStore(None, fake_embedder, chroma_url=url)
    got = other_process.retrieve("ana", "grey cat")
    assert [r.record.source_turn_ids for r in got] == [["t1"]]
    proc.terminate()
    proc.wait(timeout=10)
    started = time.monotonic()
    with pytest.raises(MemoryUnavailable):
        store.retrieve("ana", "grey cat")
    with pytest.raises(MemoryUnavailable):
        store.remember_turn("ana", "I started running every morning.", "t2", t0)
    assert time.monotonic() - started < 5
