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

import hashlib
import json
import logging
import os
import tempfile
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
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
        self.versions = {}  # distribution -> version, looked up once per build

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
