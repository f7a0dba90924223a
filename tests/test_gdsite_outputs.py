"""gdsite.outputs and gdsite.snippets: what the page and the download get from an executed lesson."""

import base64
import site
import sys
import uuid

import nbformat
import pytest

from gdsite.outputs import drop_dark_figures, extract_media, mask_run_specific, merge
from gdsite.printed import MAX_CELL_TEXT, limit_text
from gdsite.snippets import SnippetError, include_snippets


def executed(*outputs):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x")]
    return merge(nb, [[1, list(outputs)]])


def test_merge_sets_counts_and_refuses_a_different_number_of_cells():
    nb = executed({"output_type": "stream", "name": "stdout", "text": "hi\n"})
    assert nb.cells[0].execution_count == 1 and nb.cells[0].outputs[0].text == "hi\n"
    with pytest.raises(ValueError):
        merge(nb, [])


def test_addresses_and_temporary_cell_files_are_masked():
    nb = executed(
        {"output_type": "stream", "name": "stdout", "text": "<Gen at 0x7f3a2b1c4d50> id 0x7f3a2b1c4d50\n"},
        {"output_type": "stream", "name": "stderr", "text": "/tmp/ipykernel_4242/3101.py:3: Warning\n"},
    )
    mask_run_specific(nb, "/nowhere")
    assert nb.cells[0].outputs[0].text == "<Gen at 0x…> id 0x…\n"
    assert nb.cells[0].outputs[1].text == "<cell>:3: Warning\n"


def test_media_move_to_files_named_by_content():
    png = base64.b64encode(b"\x89PNG fake").decode()
    nb = executed(
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {"text/html": f'<img src="data:image/png;base64,{png}#only-light">'},
        }
    )
    media = extract_media(nb, "../media/")
    [(name, data)] = media.items()
    assert data == b"\x89PNG fake" and name.endswith(".png")
    assert nb.cells[0].outputs[0].data["text/html"] == f'<img src="../media/{name}#only-light">'


def test_downloads_keep_only_the_light_drawing():
    light, dark = (f'<img src="data:image/svg+xml;base64,AA==#only-{t}">' for t in ("light", "dark"))
    html = light + dark
    nb = executed({"output_type": "display_data", "metadata": {}, "data": {"text/html": html}})
    drop_dark_figures(nb)
    assert "only-dark" not in nb.cells[0].outputs[0].data["text/html"]
    assert "only-light" in nb.cells[0].outputs[0].data["text/html"]


def test_snippets_include_the_marked_section(tmp_path):
    (tmp_path / "m.py").write_text("a = 1\n    # --8<-- [start:s]\n    b = 2\n    # --8<-- [end:s]\n")
    out = include_snippets('Before\n--8<-- "m.py:s"\nafter', tmp_path)
    assert out == "Before\n`m.py`\n\n```python\nb = 2\n```\nafter"


@pytest.mark.parametrize("line", ['--8<-- "missing.py"', '--8<-- "m.py:nope"'])
def test_a_missing_snippet_file_or_section_is_an_error(tmp_path, line):
    (tmp_path / "m.py").write_text("a = 1\n")
    with pytest.raises(SnippetError):
        include_snippets(line, tmp_path)


def test_the_build_machines_folders_are_masked(tmp_path):
    packages = site.getsitepackages()[0]
    text = (
        f"{tmp_path}/gd/data.py:3: UserWarning\n"
        f"{packages}/torch/nn/modules/module.py:1: DeprecationWarning\n"
        f"{sys.base_prefix}/lib/python3.11/warnings.py\n"
    )
    nb = executed({"output_type": "stream", "name": "stderr", "text": text})
    mask_run_specific(nb, tmp_path)
    shown = nb.cells[0].outputs[0].text
    assert shown.splitlines() == [
        "gd/data.py:3: UserWarning",
        "site-packages/torch/nn/modules/module.py:1: DeprecationWarning",
        "<python>/lib/python3.11/warnings.py",
    ]
    assert str(tmp_path) not in shown and packages not in shown


def test_the_project_bare_through_a_symlink_and_the_lessons_own_folder_are_masked(tmp_path, monkeypatch):
    real = tmp_path / "checkout"
    real.mkdir()
    linked = tmp_path / "link"
    linked.symlink_to(real)
    monkeypatch.setenv("PWD", str(linked))  # the shell started the build in the symlinked path
    folder = f"{tmp_path}/runtime/gd-lessons-42/kernel-{uuid.uuid4()}-cwd"  # as kernel.py names it
    text = f"cwd {folder}\nwrote {folder}/notes.md\nproject {real}\nvia {linked}/gd/data.py\nnot {real}2\n"
    nb = executed({"output_type": "stream", "name": "stdout", "text": text})
    mask_run_specific(nb, real)
    assert nb.cells[0].outputs[0].text.splitlines() == [
        "cwd .",
        "wrote notes.md",
        "project .",
        "via gd/data.py",
        f"not {real}2",  # another folder whose name starts the same
    ]


def test_runaway_text_is_cut_visibly_keeping_its_start_and_end():
    long = "start " + "x" * (2 * MAX_CELL_TEXT) + " end"
    [output] = limit_text([{"output_type": "stream", "name": "stdout", "text": long}])
    assert len(output["text"]) < MAX_CELL_TEXT // 5
    assert output["text"].startswith("start ") and output["text"].endswith(" end")
    assert "more characters not shown here" in output["text"]
    short = [{"output_type": "stream", "name": "stdout", "text": "fine\n"}]
    assert limit_text(short)[0]["text"] == "fine\n"
