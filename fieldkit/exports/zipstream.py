"""Write a ZIP archive as a stream: zipfile writes into a sink, and what it wrote is taken as chunks."""

import zipfile


class Sink:
    """A write-only, unseekable file for zipfile; take() returns and forgets what was written so far."""

    def __init__(self):
        self._parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the parts wait for take()."""

    def take(self) -> bytes:
        """Return what was written since the last take."""
        data = b"".join(self._parts)
        self._parts.clear()
        self.size = 0
        return data


def open_archive(sink: Sink, level: int = 6) -> zipfile.ZipFile:
    """A ZipFile that streams into the sink (local headers with data descriptors; no seeking)."""
    return zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level)
