"""gdsite.cache: checksummed entries, and outputs keyed on exactly what a lesson used."""

import json

import pytest

from gdsite.cache import EntryCache, ExecutionCache, digest


def test_digest_parts_cannot_run_together():
    assert digest("ab", "c") != digest("a", "bc")


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": 1}', "wrong-checksum"])
def test_a_damaged_entry_reads_as_a_miss_and_is_removed(tmp_path, damage):
    cache = EntryCache(tmp_path)
    cache.put("k", {"a": 1})
    assert cache.get("k") == {"a": 1}
    if damage == "wrong-checksum":
        entry = json.loads(cache.path("k").read_text())
        entry["payload"] = {"a": 2}
        damage = json.dumps(entry).encode()
    cache.path("k").write_bytes(damage)
    assert cache.get("k") is None
    assert not cache.path("k").exists()


def test_an_entry_under_another_key_is_not_served(tmp_path):
    cache = EntryCache(tmp_path)
    cache.put("k1", [1])
    cache.path("k2").write_bytes(cache.path("k1").read_bytes())
    assert cache.get("k2") is None


@pytest.fixture
def project(tmp_path):
    (tmp_path / "gd").mkdir()
    (tmp_path / "gd" / "data.py").write_text("X = 1\n")
    return tmp_path


def test_outputs_are_found_while_the_used_files_and_libraries_are_unchanged(project):
    cache = ExecutionCache(project / ".cache", project)
    used = (["gd/data.py"], {"pytest": "any"})
    cache.put("code", used, [[1, []]])
    assert cache.get("code")[1] == [[1, []]]


def test_a_change_to_a_used_file_is_a_miss(project):
    cache = ExecutionCache(project / ".cache", project)
    cache.put("code", (["gd/data.py"], {}), [[1, []]])
    (project / "gd" / "data.py").write_text("X = 2\n")
    assert cache.get("code")[1] is None


def test_a_deleted_used_file_is_a_miss(project):
    cache = ExecutionCache(project / ".cache", project)
    cache.put("code", (["gd/data.py"], {}), [[1, []]])
    (project / "gd" / "data.py").unlink()
    assert ExecutionCache(project / ".cache", project).get("code")[1] is None


def test_a_new_version_of_a_used_library_is_a_miss(project, monkeypatch):
    cache = ExecutionCache(project / ".cache", project)
    cache.put("code", ([], {"pytest": "any"}), [[1, []]])
    later = ExecutionCache(project / ".cache", project)
    monkeypatch.setitem(later.versions, "pytest", "99.0")  # as if upgraded since
    assert later.get("code")[1] is None


def test_an_uninstalled_library_is_a_miss(project):
    cache = ExecutionCache(project / ".cache", project)
    cache.put("code", ([], {"no-such-distribution-here": "1.0"}), [[1, []]])
    assert cache.get("code")[1] is None


def test_a_file_the_lesson_did_not_use_does_not_matter(project):
    cache = ExecutionCache(project / ".cache", project)
    cache.put("code", (["gd/data.py"], {}), [[1, []]])
    (project / "gd" / "other.py").write_text("Y = 1\n")
    assert cache.get("code")[1] == [[1, []]]
