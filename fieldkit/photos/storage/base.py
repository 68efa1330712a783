"""What a photo store does, whatever holds the bytes."""

import errno
from collections.abc import Iterator
from typing import Protocol


class StorageError(RuntimeError):
    """The store cannot take or give a file now (disk full, I/O error, object store down); the upload may be resent."""

    def __init__(self, message: str, full: bool = False):
        super().__init__(message)
        self.full = full

    @classmethod
    def from_os_error(cls, error: OSError) -> "StorageError":
        """Name the error and its code, and tell a full disk apart."""
        code = errno.errorcode.get(error.errno or 0, error.errno)
        return cls(f"{error.strerror or error} ({code})", full=error.errno in (errno.ENOSPC, errno.EDQUOT))


class Store(Protocol):
    """Files by name (``ab/<sha256>.jpg``). Every method raises StorageError when the store fails."""

    def exists(self, name: str) -> bool:
        """Tell whether name is stored; a file store also marks it as just used, for the sweep's grace time."""

    def write(self, name: str, content: bytes) -> None:
        """Store content under name, whole or not at all, durably before returning."""

    def read(self, name: str) -> bytes:
        """The content under name; FileNotFoundError when there is none."""

    def remove(self, name: str) -> None:
        """Remove name; nothing happens when it is not there."""

    def entries(self) -> Iterator[tuple[str, float]]:
        """Yield (name, last modified as a POSIX time) of everything stored, unfinished ``.part`` files too."""
