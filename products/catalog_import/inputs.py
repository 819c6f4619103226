"""Opening dump files as streams: a release directory or zip, gzip detected, bytes counted.

Nothing here reads a whole file: members of a zip are decompressed as they
are read, gzip likewise. Each stream counts the bytes it has consumed from
its source (compressed bytes for gzip) so the progress bar can show how far
through the file the import is.
"""

from __future__ import annotations

import gzip
import io
import itertools
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

T = TypeVar("T")

GZIP_MAGIC = b"\x1f\x8b"
READ_BUFFER = 1 << 20  # large reads: the dumps are read front to back, once


class InputError(Exception):
    """The input is missing or is not in the expected format; the message says which."""


class ByteCounter(io.RawIOBase):
    """A raw stream over another that counts the bytes read through it."""

    def __init__(self, inner: BinaryIO) -> None:
        super().__init__()
        self._inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        n = self._inner.readinto(buffer)  # type: ignore[attr-defined]
        self.count += n or 0
        return n

    def close(self) -> None:
        self._inner.close()
        super().close()


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file of a dump: a path on disk or a member of a zip archive."""

    name: str
    size: int  # bytes the counter reaches at the end: on-disk size, or a zip member's
    opener: Callable[[], BinaryIO]


@dataclass(slots=True)
class CountedStream:
    """A decompressed binary stream and the counter of its source's bytes."""

    stream: BinaryIO
    counter: ByteCounter
    size: int


def input_file(path: Path) -> InputFile:
    """A single file on disk (gzipped or not)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file.")
    return InputFile(name=path.name, size=path.stat().st_size, opener=lambda: path.open("rb"))


@contextmanager
def open_stream(file: InputFile) -> Iterator[CountedStream]:
    """``file`` as a buffered binary stream, transparently gunzipped when it is gzip."""
    counter = ByteCounter(file.opener())
    raw = io.BufferedReader(counter, buffer_size=READ_BUFFER)
    stream: BinaryIO = raw
    # Detect by content, not name: dumps get renamed, and a ".gz" may have
    # been unpacked by a browser without renaming it.
    if raw.peek(2)[:2] == GZIP_MAGIC:
        stream = io.BufferedReader(gzip.GzipFile(fileobj=raw), buffer_size=READ_BUFFER)  # type: ignore[arg-type]
    try:
        yield CountedStream(stream=stream, counter=counter, size=file.size)
    finally:
        stream.close()
        raw.close()


@contextmanager
def open_text(
    file: InputFile, *, encoding: str = "utf-8"
) -> Iterator[tuple[io.TextIOWrapper, CountedStream]]:
    """``file`` decoded as text (undecodable bytes replaced, newlines kept for ``csv``)."""
    with open_stream(file) as counted:
        text = io.TextIOWrapper(counted.stream, encoding=encoding, errors="replace", newline="")
        try:
            yield text, counted
        finally:
            text.detach()


class Release:
    """The files of a dump release: a directory or a zip archive, files found by name at any depth.

    Names match case-insensitively: the FDC zips nest the CSVs in a dated
    folder, and SR28 archives differ in the case of their file names.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._files: dict[str, InputFile] = {}
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file():
                    self._files.setdefault(child.name.lower(), input_file(child))
        elif path.is_file() and zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            for info in self._zip.infolist():
                if not info.is_dir():
                    name = info.filename.rsplit("/", 1)[-1]
                    self._files.setdefault(name.lower(), self._member(info))
        else:
            raise InputError(f"{path}: not a directory or a zip archive.")

    def _member(self, info: zipfile.ZipInfo) -> InputFile:
        archive = self._zip
        assert archive is not None  # noqa: S101 - only called while the zip is open
        return InputFile(name=info.filename, size=info.file_size, opener=lambda: archive.open(info))

    def find(self, name: str) -> InputFile | None:
        """The file called ``name``, or None when the release has none."""
        return self._files.get(name.lower())

    def require(self, name: str) -> InputFile:
        """The file called ``name``; InputError when the release lacks it."""
        found = self.find(name)
        if found is None:
            raise InputError(f"{self.path}: {name} not found (is this the right release?).")
        return found

    def close(self) -> None:
        """Close the zip archive, if the release is one."""
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> Release:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size``, the last one shorter (``itertools.batched`` is 3.12+)."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
