"""The build's caches: one JSON file per entry, named after its key.

The execution cache (.gd-cache/manifests and .gd-cache/executed) holds each
lesson's code-cell outputs, keyed on everything that made them; the page cache
(.gd-cache/pages) holds slimmed lesson pages. An entry is one JSON file named
after its key. Writes go to a temporary file that is then renamed over the
target, so a crash never leaves half an entry.
Each entry also stores a checksum of its payload: a truncated or garbled file is
reported, removed and treated as a miss, so the lesson simply runs again. (The
report is an INFO line, not a warning: under `strict: true` a warning would fail
a build that has already recovered.)
"""

import contextlib
import errno
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from importlib import metadata
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.gd-lessons")

FORMAT = 1  # bump when the layout of an entry changes


def digest(*parts):
    """SHA-256 of several strings, each length-prefixed so that parts cannot run together."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        h.update(f"{len(data)}:".encode())
        h.update(data)
    return h.hexdigest()


def _checksum(payload):
    return digest(json.dumps(payload, sort_keys=True, ensure_ascii=False))


class EntryCache:
    """A folder of checksummed JSON entries; a damaged entry reads as a miss."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def path(self, key):
        return self.folder / f"{key}.json"

    def get(self, key):
        """The stored payload for `key`, or None when missing or unusable."""
        path = self.path(key)
        try:
            raw = path.read_bytes()
            os.utime(path)  # last used now: see prune()
        except FileNotFoundError:
            return None
        except OSError as error:
            log.info("gd-lessons: cannot read cache entry %s (%s); re-executing", path, error)
            return None
        try:
            entry = json.loads(raw.decode("utf-8"))
            if entry["format"] != FORMAT or entry["key"] != key:
                raise ValueError("entry belongs to another key or format")
            if _checksum(entry["payload"]) != entry["checksum"]:
                raise ValueError("checksum mismatch")
            return entry["payload"]
        except (ValueError, KeyError, TypeError) as error:
            log.info("gd-lessons: corrupt cache entry %s (%s); re-executing", path, error)
            path.unlink(missing_ok=True)
            return None

    def put(self, key, payload):
        entry = {"format": FORMAT, "key": key, "checksum": _checksum(payload), "payload": payload}
        write_atomic(self.path(key), json.dumps(entry, ensure_ascii=False, sort_keys=True))


def write_atomic(path, text_or_bytes):
    """Write a file so that readers see either the old or the new content, never a mix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        full = (
            " (the disk is full: free some space there, and build again)"
            if error.errno == errno.ENOSPC
            else ""
        )
        raise OSError(error.errno, f"cannot write {path}: {error.strerror}{full}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_VERSIONS = {}  # (a library upgraded while `mkdocs serve` runs is seen after a restart)


class ExecutionCache:
    """Lesson outputs, keyed on the code and on exactly the files and libraries it used.

    Which project files and libraries a lesson uses is only known once it has
    run, so there are two steps, like ccache's manifests. The lesson's code
    (and the Python version) gives a first key; under it the cache stores the
    list of what the kernel had imported. The outputs are stored under a second
    key that adds the current contents of those files and the current versions
    of those libraries. A change to any of them is a miss; no list of files is
    kept by hand.
    """

    def __init__(self, folder, root):
        self.manifests = EntryCache(Path(folder) / "manifests")
        self.outputs = EntryCache(Path(folder) / "executed")
        self.root = Path(root)
        self.versions = _VERSIONS  # distribution -> version, looked up once per process

    def get(self, code_key):
        """(what the lesson used, its outputs); outputs is None on a miss."""
        used = self.manifests.get(code_key)
        full_key = used and self.full_key(code_key, used)
        return used, (self.outputs.get(full_key) if full_key else None)

    def put(self, code_key, used, outputs):
        files, libraries = used
        used = {"files": files, "libraries": libraries}
        self.manifests.put(code_key, used)
        self.outputs.put(self.full_key(code_key, used), outputs)
        return used

    def full_key(self, code_key, used):
        """The key of the outputs, from the files' and libraries' current state (None if one is gone)."""
        parts = [code_key]
        try:
            for name in used["files"]:
                parts.append(f"{name}\n{(self.root / name).read_text(encoding='utf-8')}")
            parts += [f"{dist} {self.version(dist)}" for dist in used["libraries"]]
        except (OSError, UnicodeDecodeError, metadata.PackageNotFoundError):
            return None
        return digest(*parts)

    def version(self, dist):
        if dist not in self.versions:
            self.versions[dist] = metadata.version(dist)
        return self.versions[dist]


MAX_AGE_DAYS = 7  # an entry unused for this long is deleted at the end of a build


def prune(cache_dir, max_age_days=MAX_AGE_DAYS):
    """Delete cache entries that no build has used for `max_age_days`, and left-over folders.

    Every read of an entry refreshes its date, so what the site still uses stays;
    entries of a lesson that was deleted or changed disappear a week later. The
    hand-off folders of build processes that no longer run go at once.
    """
    cache_dir = Path(cache_dir)
    cutoff = time.time() - max_age_days * 86400
    for entry in cache_dir.glob("*/*.json"):
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < cutoff:
                entry.unlink()
    for temporary in cache_dir.glob("*/.*.tmp"):  # a write interrupted by a kill
        with contextlib.suppress(OSError):
            if temporary.stat().st_mtime < time.time() - 3600:
                temporary.unlink()
    for folder in (cache_dir / "rendered").glob("*"):
        if not (folder.name.isdigit() and _running(int(folder.name))):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != 0


def usable_cache_dir(cache_dir):
    """Make sure the cache folder and its parts are folders we can write; raise OSError if not."""
    for part in ("", "executed", "manifests", "pages", "renders", "rendered"):
        folder = Path(cache_dir) / part
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
