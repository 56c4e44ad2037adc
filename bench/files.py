"""The files of a benchmark's SQLite database."""

from pathlib import Path

# The database, its write-ahead log and shared memory, and the content generation the
# site keeps beside it without Redis (articles/caching/generation.py).
SUFFIXES = ("", "-wal", "-shm", "-generation", "-generation.lock")


def remove_sqlite(path):
    """Remove a benchmark's SQLite database and every file kept beside it."""
    for suffix in SUFFIXES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)
