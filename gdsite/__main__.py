"""Lessons executed without MkDocs:  python -m gdsite execute [LESSON.py ...] --out DIR

The seam another site generator would use (Material for MkDocs ends in May 2027;
CONTRIBUTING says what comes next): the pipeline of the `gd-lessons` plugin (plan,
execute, finish) with the same execution cache, so a lesson run here is not run
again by `mkdocs build`, nor the other way round. Under DIR, for each lesson:

    lessons/NN-name.ipynb            the executed notebook a page is made from
                                     (media as files, LaTeX as MathML)
    lessons/media/...                its media files
    download/lessons/NN-name.ipynb   the notebook a reader downloads (whole on its own)

Run it from the project folder (the one holding gd/ and mkdocs.yml), or name it with --root.
"""

import argparse
import logging
import os
import shutil
import sys
from pathlib import Path, PurePosixPath

from gdsite import build_lessons
from gdsite.cache import usable_cache_dir
from gdsite.execute import LessonError
from gdsite.lessons import Lesson, Settings
from gdsite.zygote import ForkedKernels


def arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m gdsite", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    execute = commands.add_parser("execute", help="execute lessons and write their notebooks and media")
    execute.add_argument("lessons", nargs="*", type=Path, help="lesson files (default: docs/lessons/*.py)")
    execute.add_argument("--out", type=Path, required=True, help="the folder to write into")
    execute.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    execute.add_argument("--cell-timeout", type=int, default=600, help="seconds one cell may run")
    execute.add_argument("--workers", type=int, default=0, help="lessons run at once (0: one per core)")
    execute.add_argument("--repo-url", help="for the downloads' install cell (default: mkdocs.yml's)")
    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    if not (args.root / "gd").is_dir():
        parser.error(f"--root {args.root} is not the project folder: it has no gd/ folder")
    args.lessons = [p.resolve() for p in args.lessons] or sorted(
        (args.root / "docs" / "lessons").glob("*.py")
    )
    for path in args.lessons:
        if path.suffix != ".py" or not path.is_file():
            parser.error(f"lesson {path} is not a lesson file (expected an existing .py file)")
    if args.cell_timeout < 1 or args.workers < 0:
        parser.error("--cell-timeout must be 1 or more and --workers 0 or more")
    if args.repo_url is None:
        args.repo_url = _repo_url(args.root / "mkdocs.yml")
    return args


def _repo_url(config):
    """The gd-lessons plugin's repo_url in mkdocs.yml ("" if there is none)."""
    import yaml

    if not config.is_file():
        return ""
    for plugin in yaml.safe_load(config.read_text(encoding="utf-8")).get("plugins", []):
        if isinstance(plugin, dict) and "gd-lessons" in plugin:
            return (plugin["gd-lessons"] or {}).get("repo_url", "")
    return ""


def execute(args):
    from gdsite.kernel import runtime_folder
    from gdsite.plugin import _install_code, _install_note  # the same first cells as the site's downloads

    docs, out = args.root / "docs", args.out.resolve()
    lessons = []
    for path in args.lessons:
        name = PurePosixPath(
            path.relative_to(docs).as_posix() if path.is_relative_to(docs) else f"lessons/{path.name}"
        )
        notebook = name.with_suffix(".ipynb")
        lessons.append(Lesson(path, out / notebook, "media/", f"download/{notebook}", f"{name.parent}/media"))
    cache_dir = args.root / ".gd-cache"
    usable_cache_dir(cache_dir)
    # Set up as the plugin's on_config does: the same kernels make the same pages.
    os.environ.setdefault("IPYTHONDIR", str(cache_dir / "ipython"))
    os.environ.setdefault("MPLCONFIGDIR", str(cache_dir / "matplotlib"))
    runtime_dir = runtime_folder(fallback=cache_dir / "runtime")
    settings = Settings(
        root=args.root,
        cache_dir=cache_dir,
        timeout=args.cell_timeout,
        workers=args.workers or os.cpu_count() or 1,
        install=_install_note(args.repo_url),
        install_code=_install_code(args.repo_url),
        kernels=ForkedKernels(args.root, runtime_dir) if hasattr(os, "fork") else None,
        runtime_dir=runtime_dir,
        docs_dir=docs,
    )
    try:
        planned = build_lessons(lessons, settings)
    finally:
        if settings.kernels is not None:
            settings.kernels.close()
        shutil.rmtree(runtime_dir, ignore_errors=True)
    for item in planned:
        for uri, data in sorted((item.files or {}).items()):
            (out / uri).parent.mkdir(parents=True, exist_ok=True)
            (out / uri).write_bytes(data)
    for item in planned:
        for problem in item.problems:
            print(f"WARNING: {item.lesson.source}, {problem}", file=sys.stderr)
    failures = [item.failure for item in planned if item.failure]
    written = len(planned) - len(failures)
    print(f"{written} lesson(s) written to {out}")
    if failures:
        raise LessonError("\n\n".join(failures))


def main(argv=None):
    args = arguments(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        execute(args)
    except LessonError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: nothing half-done was kept", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
