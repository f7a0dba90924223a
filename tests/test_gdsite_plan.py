"""gdsite.plan: what a lesson's outputs depend on, and what must run."""

import nbformat
import pytest

from gdsite.lessons import Lesson, Settings
from gdsite.plan import code_key, plan


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def code(source, tags=()):
    cell = nbformat.v4.new_code_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def test_prose_is_not_part_of_the_key():
    a = notebook(nbformat.v4.new_markdown_cell("Old prose"), code("x = 1"))
    b = notebook(nbformat.v4.new_markdown_cell("New prose"), code("x = 1"))
    assert code_key(a) == code_key(b)


def test_code_and_tags_are_part_of_the_key():
    base = code_key(notebook(code("x = 1")))
    assert code_key(notebook(code("x = 2"))) != base
    assert code_key(notebook(code("x = 1", tags=["solution"]))) != base


def lesson_in(tmp_path, text):
    source = tmp_path / "docs" / "lessons" / "one.py"
    source.parent.mkdir(parents=True)
    source.write_text(text)
    return Lesson(source, tmp_path / "rendered" / "one.ipynb", "media/", "lessons/one.ipynb", "lessons/media")


def test_an_unknown_lesson_must_run(tmp_path):
    lesson = lesson_in(tmp_path, "# %%\nx = 1\n")
    settings = Settings(root=tmp_path, cache_dir=tmp_path / ".cache", timeout=5, workers=1)
    [item] = plan([lesson], settings)
    assert item.outputs is None and item.files is None and item.nb.cells[0].source == "x = 1"


def test_a_lesson_finished_in_this_serve_session_is_reused_until_its_file_changes(tmp_path):
    from gdsite.cache import ExecutionCache
    from gdsite.plan import memo_stamp

    lesson = lesson_in(tmp_path, "# %%\nx = 1\n")
    settings = Settings(root=tmp_path, cache_dir=tmp_path / ".cache", timeout=5, workers=1)
    used = {"files": [], "libraries": {}}
    stamp = memo_stamp(lesson, settings, used, ExecutionCache(settings.cache_dir, tmp_path))
    settings.memo[lesson.source] = (stamp, used, {"lessons/one.ipynb": b"{}"}, [])
    [item] = plan([lesson], settings)
    assert item.files == {"lessons/one.ipynb": b"{}"}
    lesson.source.write_text("# %%\nx = 2\n")
    [item] = plan([lesson], settings)
    assert item.files is None


@pytest.mark.parametrize(
    ("character", "name"),
    [("\t", "TAB"), ("\b", "backspace"), ("\f", "form feed"), ("\v", "vertical tab"), ("\a", "bell")],
)
def test_a_control_character_in_the_prose_fails_naming_lesson_and_line(tmp_path, character, name):
    text = f"# %% [markdown]\n# # Title\n#\n# The rate $2v {character}imes 5$.\n\n# %%\nx = 1\n"
    lesson = lesson_in(tmp_path, text)
    settings = Settings(root=tmp_path, cache_dir=tmp_path / ".cache", timeout=5, workers=1)
    [item] = plan([lesson], settings)
    assert f"{lesson.source}, line 4: a {name} character in the prose" in item.failure


def test_control_characters_in_code_are_the_codes_business(tmp_path):
    lesson = lesson_in(tmp_path, "# %%\nx = '\t'\n")  # a TAB inside a string: legitimate code
    settings = Settings(root=tmp_path, cache_dir=tmp_path / ".cache", timeout=5, workers=1)
    [item] = plan([lesson], settings)
    assert item.outputs is None


def test_how_kernels_are_made_and_driven_is_part_of_the_key(tmp_path, monkeypatch):
    import gdsite.plan

    runner = tmp_path / "kernel.py"
    runner.write_text('KERNEL_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}\n')
    monkeypatch.setattr(gdsite.plan, "_RUNNER", [runner])
    before = code_key(notebook(code("x = 1")))
    runner.write_text("KERNEL_ENV = {}\n")  # the same lesson would now show no pyplot figure
    assert code_key(notebook(code("x = 1"))) != before


def test_a_lesson_saved_in_another_encoding_fails_naming_file_line_and_fix(tmp_path):
    lesson = lesson_in(tmp_path, "")
    lesson.source.write_bytes("# %% [markdown]\n# # Title\n#\n# Caf\u00e9 prose.\n".encode("cp1252"))
    settings = Settings(root=tmp_path, cache_dir=tmp_path / ".cache", timeout=5, workers=1)
    [item] = plan([lesson], settings)
    assert f"{lesson.source}, line 4: byte 0xe9 is not UTF-8" in item.failure
    assert "save it as UTF-8" in item.failure


def test_a_byte_order_mark_is_read_past(tmp_path):
    lesson = lesson_in(tmp_path, "")
    lesson.source.write_bytes("# %% [markdown]\n# # Title\n\n# %%\nx = 1\n".encode("utf-8-sig"))
    settings = Settings(root=tmp_path, cache_dir=tmp_path / ".cache", timeout=5, workers=1)
    [item] = plan([lesson], settings)
    assert item.nb.cells[0].source == "# Title" and item.nb.cells[1].source == "x = 1"


def test_settings_are_fixed_when_a_build_starts(tmp_path):
    import dataclasses

    settings = Settings(root=tmp_path, cache_dir=tmp_path / ".cache", timeout=5, workers=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.workers = 2  # a step that wants other settings makes its own copy (dataclasses.replace)
