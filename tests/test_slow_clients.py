"""The README's production command keeps answering while slow clients trickle their headers in (slowloris).

Starts gunicorn on loopback as the README says, opens two connections that send a request's headers a byte at a
time and never finish, and times a normal request beside them. Bounded: every wait has a timeout, and the
server's whole process group is stopped at the end.
"""

import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

from tests.factories import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SLOW = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 500


def production_command(port: int) -> list[str]:
    """The README's gunicorn command, bound to the given port instead of 8000."""
    found = re.search(r"`(gunicorn [^`]*app:app)`", (ROOT / "README.md").read_text())
    assert found, "the README names a gunicorn command"
    words = found.group(1).replace("127.0.0.1:8000", f"127.0.0.1:{port}").split()
    if f"127.0.0.1:{port}" not in words:
        words[1:1] = ["-b", f"127.0.0.1:{port}"]
    return [str(BIN / "gunicorn"), *words[1:]]


def trickle(port: int, stop: threading.Event) -> None:
    """Send a request's headers a byte every 0.2 s, never the blank line that ends them."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        for byte in SLOW:
            if stop.wait(0.2):
                return
            try:
                connection.send(bytes([byte]))
            except OSError:
                return


def answered_within(port: int, seconds: float) -> float | None:
    """Seconds a normal GET /healthz took, or None when it did not answer 200 within the given time."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=seconds) as response:
            return time.monotonic() - start if response.status == 200 else None
    except OSError:
        return None


def test_two_slow_clients_do_not_stop_a_normal_request(app, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "FIELDKIT_SECRET_KEY": "slow-client-test-" + "x" * 32,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "FIELDKIT_UPLOADS": str(tmp_path / "uploads"),
    }
    log = open(tmp_path / "gunicorn.log", "w+")  # noqa: SIM115 — closed in finally
    server = subprocess.Popen(
        production_command(port), cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    stop, slow = threading.Event(), []
    try:
        deadline = time.monotonic() + 30
        while answered_within(port, 1) is None:
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.3)
        slow = [threading.Thread(target=trickle, args=(port, stop), daemon=True) for _ in range(2)]
        for thread in slow:
            thread.start()
        time.sleep(1.5)  # both slow connections are open and have started their headers
        took = [answered_within(port, 5) for _ in range(3)]
        assert None not in took, f"a normal request waited behind two slow clients: {took}"
        assert max(took) < 3
    finally:
        stop.set()
        for thread in slow:
            thread.join(timeout=5)
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
        log.close()
