"""Photo files in a folder (instance/uploads): written atomically and durably, a rename that survives a power cut."""

import contextlib
import os
import tempfile
from collections.abc import Iterator

from fieldkit.photos.storage.base import StorageError


class FileStore:
    """Files under one folder, by their relative name."""

    def __init__(self, root: str):
        self.root = root

    def path(self, name: str) -> str:
        """The absolute path of a name."""
        return os.path.join(self.root, name)

    def exists(self, name: str) -> bool:
        """Tell whether name is there, and touch it so that a sweep running now leaves it alone."""
        try:
            os.utime(self.path(name))
        except FileNotFoundError:
            return False
        except OSError as error:
            raise StorageError.from_os_error(error) from error
        return True

    def write(self, name: str, content: bytes) -> None:
        """Write to a temporary file beside the target, make it durable, rename it into place, sync the folder."""
        target = self.path(name)
        folder = os.path.dirname(target)
        try:
            new_folder = not os.path.isdir(folder)
            os.makedirs(folder, exist_ok=True)
            _write_atomically(target, content)
            _sync_folder(folder)  # the rename itself must survive a power cut, or the receipt would lie
            if new_folder:
                _sync_folder(os.path.dirname(folder))
        except OSError as error:
            with contextlib.suppress(OSError):
                os.unlink(target)
            raise StorageError.from_os_error(error) from error

    def read(self, name: str) -> bytes:
        """The file's bytes."""
        try:
            with open(self.path(name), "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            raise
        except OSError as error:
            raise StorageError.from_os_error(error) from error

    def remove(self, name: str) -> None:
        """Unlink the file if it is there."""
        try:
            os.unlink(self.path(name))
        except FileNotFoundError:
            pass
        except OSError as error:
            raise StorageError.from_os_error(error) from error

    def entries(self) -> Iterator[tuple[str, float]]:
        """Every file under the folder, with its modification time."""
        for folder, _, names in os.walk(self.root):
            for name in names:
                path = os.path.join(folder, name)
                with contextlib.suppress(FileNotFoundError):
                    yield os.path.relpath(path, self.root).replace(os.sep, "/"), os.stat(path).st_mtime


def _write_atomically(target: str, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".part")
    try:
        try:
            view = memoryview(content)
            while view:
                view = view[os.write(handle, view) :]
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _sync_folder(folder: str) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
