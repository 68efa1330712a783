"""The catalogues compile themselves: a fresh clone served by gunicorn, without make, speaks Vietnamese."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from fieldkit import catalogues
from tests.factories import free_port

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fieldkit" / "translations"


def copy_sources(target: Path) -> None:
    """Copy the .po files alone into target, as a clone has them."""
    for po in SOURCE.glob("*/LC_MESSAGES/messages.po"):
        (target / po.relative_to(SOURCE)).parent.mkdir(parents=True)
        (target / po.relative_to(SOURCE)).write_bytes(po.read_bytes())


def test_missing_and_stale_catalogues_are_compiled_in_place(tmp_path):
    copy_sources(tmp_path / "t")
    assert catalogues.ensure_compiled(tmp_path / "t", tmp_path / "fallback") == tmp_path / "t"
    mo = tmp_path / "t/vi/LC_MESSAGES/messages.mo"
    assert mo.stat().st_size > 1000 and not (tmp_path / "fallback").exists()
    os.utime(mo, (1, 1))  # older than its .po: compiled again
    catalogues.ensure_compiled(tmp_path / "t", tmp_path / "fallback")
    assert mo.stat().st_mtime > 1


def test_a_read_only_package_compiles_into_the_fallback(tmp_path, monkeypatch):
    copy_sources(tmp_path / "t")
    monkeypatch.setattr(catalogues.os, "access", lambda path, mode: False)  # tests run as root: chmod would not do
    assert catalogues.ensure_compiled(tmp_path / "t", tmp_path / "fallback") == tmp_path / "fallback"
    assert {p.parent.parent.name for p in (tmp_path / "fallback").glob("*/LC_MESSAGES/messages.mo")} == {"vi", "en"}
    assert not list((tmp_path / "t").glob("*/LC_MESSAGES/messages.mo"))


def test_a_fresh_clone_served_by_gunicorn_speaks_vietnamese(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    assert not list(clone.glob("fieldkit/translations/*/LC_MESSAGES/messages.mo"))  # nothing compiled by make
    port = free_port()
    env = {**os.environ, "FIELDKIT_SECRET_KEY": "clone-test-secret"}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "app:app"],
        cwd=clone,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        page = fetch_when_up(f"http://127.0.0.1:{port}/login", server)
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert "Đăng nhập" in page, errors.decode()[-2000:]
    assert (clone / "fieldkit/translations/vi/LC_MESSAGES/messages.mo").exists()


def fetch_when_up(url: str, server: subprocess.Popen, wait_s: float = 30) -> str:
    """Fetch url once the server answers (it needs a moment to start)."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}: {server.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 — our own http:// URL
                return answer.read().decode()
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {wait_s} s")
