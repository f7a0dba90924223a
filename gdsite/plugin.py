"""MkDocs plugin `gd-lessons`: executed, cached lessons for mkdocs-jupyter to render.

It runs before mkdocs-jupyter. For each lesson file it produces an executed
notebook (from the cache where possible) and points the page's source at it;
mkdocs-jupyter then renders that notebook with execution switched off, and
this plugin caches that rendering and slims the resulting page.

Each build (or `mkdocs serve` process) hands its notebooks over in a folder of
its own, so builds running at the same time never read each other's files.
"""

import fnmatch
import logging
import os
import posixpath
import re
import shutil
import signal
import subprocess
import threading
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import click
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

from gdsite import build_lessons
from gdsite.behind import Behind
from gdsite.cache import EntryCache, digest, prune, usable_cache_dir, write_atomic
from gdsite.execute import LessonError
from gdsite.lessons import Lesson, Settings
from gdsite.logs import collected, count_even_when_quiet, say
from gdsite.page import place, slimmer_version
from gdsite.render import Prerenderer, cache_render
from gdsite.serving import (
    CompiledTemplates,
    DirtyBuildIsFine,
    failure_page,
    notice_saves_sooner,
    show_in_browser,
    shown_in_browser,
)
from gdsite.zygote import ForkedKernels

log = logging.getLogger("mkdocs.plugins.gd-lessons")


class LessonsConfig(Config):
    lessons = c.Type(str, default="lessons/*.py")  # which files under docs/ are lessons
    cache_dir = c.Type(str, default=".gd-cache")  # relative to mkdocs.yml; safe to delete
    cell_timeout = c.Type(int, default=600)  # seconds one cell may run before the build fails
    workers = c.Type(int, default=0)  # lessons executed at once; 0 = one per CPU core
    colab_branch = c.Type(str, default="gh-pages")  # the branch the built site is deployed to
    repo_url = c.Type(str, default="")  # the project's GitHub URL, for Colab links and install hints
    check_rules = c.Type(bool, default=True)  # the lesson rules (rules.py); off only in tests of other things


class LessonsPlugin(BasePlugin[LessonsConfig]):
    def on_startup(self, command, dirty):
        # Having this hook makes MkDocs keep one plugin object for all the rebuilds
        # of `mkdocs serve`, so finished lessons can be remembered between them.
        self.memo = {}
        self.failed = {}  # lessons that failed, as they were then (see plan.py)
        self.cancel = threading.Event()
        self.handoff = None  # this process's folder of executed notebooks, set in on_config
        self.kernels = None  # kernels forked from a zygote, kept across `serve` rebuilds
        self.serving = command == "serve"
        self.served = False  # the server answers requests (on_serve has run)
        # Only a server that rebuilds (livereload, the default) can show lessons run behind it.
        cli = click.get_current_context(silent=True)
        self.rebuilds = self.serving and (cli is None or cli.params.get("livereload") is not False)
        self.behind = Behind(self.cancel)  # under serve: lessons that run behind the server (behind.py)
        self.compiled_templates = CompiledTemplates() if self.serving else None
        if dirty and command == "serve":
            logging.getLogger("mkdocs.commands.build").addFilter(DirtyBuildIsFine())
        # SIGTERM (`kill`, a CI runner's timeout) and SIGHUP (the terminal closed) end the build as
        # Ctrl-C does, so kernels, renderers and MkDocs' own temporary site are cleaned up.
        # Ctrl-Z pauses the lessons' kernels too (they lead sessions of their own), and `fg`
        # resumes them; a cell's time limit does not count the pause (execute.Watch).
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGHUP):
                if signal.getsignal(signum) is signal.SIG_DFL:
                    signal.signal(signum, _stop_as_ctrl_c_does)
            if hasattr(signal, "SIGTSTP") and signal.getsignal(signal.SIGTSTP) is signal.SIG_DFL:
                signal.signal(signal.SIGTSTP, _pause_with_kernels)
                signal.signal(signal.SIGCONT, _resume_with_kernels)

    def on_shutdown(self):
        self.cancel.set()  # a lesson still running (server stopped mid-rebuild) stops now
        if getattr(self, "behind", None) is not None:
            self.behind.stop()
        if getattr(self, "kernels", None) is not None:
            self.kernels.close()
        if getattr(self, "prerender", None) is not None:
            self.prerender.close()
        for folder in (getattr(self, "handoff", None), getattr(self, "runtime_dir", None)):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)

    def on_config(self, config):
        count_even_when_quiet()
        if self.serving:
            shown_in_browser(config)
        self.root = Path(config.config_file_path).resolve().parent
        # pymdownx.snippets reads its base_path relative to the working folder; a build started
        # elsewhere (`mkdocs build -f path/to/mkdocs.yml`) must find the same files.
        snippets = config.mdx_configs.get("pymdownx.snippets")
        if snippets is not None:
            paths = snippets.get("base_path", ["."])
            paths = [paths] if isinstance(paths, str) else paths
            snippets["base_path"] = [str(self.root / path) for path in paths]
        # Same sources, same bytes: pin what would otherwise change from build to build.
        # Dates (sitemap, SVG metadata) come from the last commit unless the caller set one.
        os.environ.setdefault("PYTHONHASHSEED", "0")
        if "SOURCE_DATE_EPOCH" not in os.environ and (stamp := _last_commit_time(self.root)):
            os.environ["SOURCE_DATE_EPOCH"] = stamp
        self.cache_dir = self.root / self.config.cache_dir
        try:
            usable_cache_dir(self.cache_dir)
        except OSError as error:
            raise PluginError(
                f"gd-lessons cannot use its cache folder {self.cache_dir}: {error}. It only holds "
                "build results and is safe to delete: remove it (or make it writable), or set "
                "another cache_dir for gd-lessons in mkdocs.yml."
            ) from None
        if getattr(self, "handoff", None) is None:
            self.handoff = self.cache_dir / "rendered" / str(os.getpid())
        # Kernels keep IPython's and matplotlib's settings in the cache, unless the environment names
        # other folders: a reader's startup files or matplotlibrc in HOME would change the pages,
        # and a HOME that cannot be written would only give warnings (and a temporary folder left).
        os.environ.setdefault("IPYTHONDIR", str(self.cache_dir / "ipython"))
        os.environ.setdefault("MPLCONFIGDIR", str(self.cache_dir / "matplotlib"))
        if getattr(self, "runtime_dir", None) is None:
            from gdsite.kernel import runtime_folder  # (jupyter_client: imported when needed)

            try:
                self.runtime_dir = runtime_folder(fallback=self.cache_dir / "runtime")
            except OSError as error:
                raise PluginError(str(error)) from None
        if getattr(self, "kernels", None) is None and hasattr(os, "fork"):
            self.kernels = ForkedKernels(self.root, self.runtime_dir, spare=self.serving)
        self.page_cache = EntryCache(self.cache_dir / "pages")
        self.render_cache = EntryCache(self.cache_dir / "renders")
        self.page_code = slimmer_version()
        jupyter = config.plugins.get("mkdocs-jupyter")
        self.render_options = None
        if jupyter is not None:
            jupyter.config["cache"] = False  # gd-lessons caches the rendering itself (see render.py)
            self.render_options = {k: v for k, v in jupyter.config.items() if k not in ("cache", "cache_dir")}
        return config

    @event_priority(-100)  # after mkdocs-jupyter has wrapped lesson files as notebook pages
    def on_files(self, files, config):
        media_dir = PurePosixPath(self.config.lessons).parent.as_posix()
        lessons = []
        for file in files:
            if fnmatch.fnmatch(file.src_uri, self.config.lessons):
                rendered = self.handoff / Path(file.src_uri).with_suffix(".ipynb")
                # Media URLs are relative to the page's own folder.
                page = PurePosixPath(file.src_uri).with_suffix("")
                page_dir = page if config.use_directory_urls else page.parent
                prefix = posixpath.relpath(f"{media_dir}/media", page_dir) + "/"
                download = PurePosixPath(file.src_uri).with_suffix(".ipynb").as_posix()
                lessons.append(
                    (file, Lesson(Path(file.abs_src_path), rendered, prefix, download, f"{media_dir}/media"))
                )
        workers = self.config.workers or os.cpu_count() or 1
        settings = Settings(
            root=self.root,
            cache_dir=self.cache_dir,
            timeout=self.config.cell_timeout,
            workers=workers,
            install=_install_note(self.config.repo_url),
            install_code=_install_code(self.config.repo_url),
            memo=self.memo,
            cancel=self.cancel,
            kernels=getattr(self, "kernels", None),
            runtime_dir=self.runtime_dir,
            docs_dir=Path(config.docs_dir),
            failed=self.failed,
            prerender=self._prerenderer(workers) if self.render_options is not None else None,
        )
        # Under serve, the first build starts the lessons that must run behind the server, which
        # answers at once; so do rebuilds while they run (behind.py).
        behind = self.rebuilds and (not self.served or self.behind.running())
        try:
            if behind:
                planned = self.behind.build([lesson for _, lesson in lessons], settings)
            else:
                planned = build_lessons([lesson for _, lesson in lessons], settings)
                self.behind.nothing_behind()
            if settings.prerender is not None:
                settings.prerender.finish()
        except LessonError as error:
            raise PluginError(str(error)) from None
        except OSError as error:  # a full disk, say: the message names the file
            raise PluginError(f"gd-lessons: {error.strerror or error}") from None
        except KeyboardInterrupt:
            self.cancel.set()  # lessons running behind the server stop too
            if self.kernels is not None:
                self.kernels.close()
            for folder in (self.handoff, self.runtime_dir):  # nothing half-done stays behind
                shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            if settings.prerender is not None and not self.serving:
                settings.prerender.close()
        files = self._report(planned, files, config)
        self.rendered_lessons = [lesson.rendered for _, lesson in lessons]
        for file, lesson in lessons:
            file.abs_src_path = str(lesson.rendered)
        extra = {path: data for item in planned if item.files for path, data in item.files.items()}
        for uri, data in sorted(extra.items()):
            files.append(File.generated(config, uri, content=data))
        return files

    def _report(self, planned, files, config):
        """The lesson rules broken and the lessons that failed: a build fails on them (strict on the
        rules). Under `serve` they are shown instead, in the terminal and on every page, and a failed
        lesson's page says why, so the preview never hangs (serving.py)."""
        problems = [
            f"{self._shown(item.lesson.source)}, {problem}"
            for item in planned
            for problem in (item.problems if self.config.check_rules else [])
        ]
        failures = list(dict.fromkeys(item.failure for item in planned if item.failure))
        if not self.serving:
            say(problems)
            if failures:
                raise PluginError("\n\n".join(failures))
            return files
        for item in planned:
            if item.failure:
                write_atomic(item.lesson.rendered, failure_page(item.lesson.source, item.failure))
                self.memo.pop(item.lesson.source, None)  # its rendered file is now this page
        show_in_browser(files, config, problems, failures)
        return files

    def _shown(self, path):
        """A lesson's path as a contributor types it: from the project folder."""
        path = Path(path)
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)

    def _prerenderer(self, workers):
        """This build's Prerenderer; under `serve`, the one kept from the last rebuild."""
        kept = getattr(self, "prerender", None)
        if kept is not None and not kept.broken:
            kept.use(self.render_cache, self.render_options)
            return kept
        if kept is not None:
            kept.close()
        prerender = Prerenderer(self.render_cache, self.render_options, workers)
        if self.serving:
            self.prerender = prerender
        return prerender

    @event_priority(-100)  # after mkdocs-jupyter has replaced the page's render
    def on_pre_page(self, page, config, files):
        if fnmatch.fnmatch(page.file.src_uri, self.config.lessons):
            cache_render(page, self.render_cache, self.render_options)
        return page

    def on_post_build(self, config):
        prune(self.cache_dir)

    def on_page_content(self, html, page, config, files):
        if not fnmatch.fnmatch(page.file.src_uri, self.config.lessons):
            return html
        # The render already slimmed the page (render.py); what is left depends on where
        # it sits: links checked and resolved, the notebook buttons under the title.
        links = self._lesson_links(page, config)
        site_map = "\n".join(f"{f.src_uri} {f.url}" for f in files)
        key = digest(self.page_code, html, page.file.src_uri, page.url, links, site_map)
        placed = self.page_cache.get(key)
        if not isinstance(placed, dict):  # missing (or an entry from before warnings were kept)
            with collected() as warnings:
                placed = {"html": place(html, page, files, links), "warnings": warnings}
            try:
                self.page_cache.put(key, placed)
            except OSError as error:
                raise PluginError(f"gd-lessons: {error.strerror or error}") from None
        say(placed["warnings"])  # a broken link fails every strict build, not only the first
        return placed["html"]

    def _lesson_links(self, page, config):
        """Buttons under the title: the executed notebook, and the same notebook in Colab."""
        notebook = PurePosixPath(page.file.src_uri).with_suffix(".ipynb").as_posix()
        href = posixpath.relpath(
            notebook, page.url.rstrip("/") if config.use_directory_urls else posixpath.dirname(page.url)
        )
        # Quoted: a lesson file may be named with spaces or accents.
        links = f'<a class="md-button" href="{quote(href)}" download>Download notebook</a>'
        if github := _github_repo(self.config.repo_url):
            path = quote(f"{github}/blob/{self.config.colab_branch}/{notebook}")
            colab = f"https://colab.research.google.com/github/{path}"
            links += f' <a class="md-button" href="{colab}" rel="noopener">Open in Colab</a>'
        return f'<nav class="gd-lesson-links" aria-label="This lesson as a notebook">{links}</nav>'

    def on_env(self, env, config, files):
        if getattr(self, "compiled_templates", None) is not None:
            env.bytecode_cache = self.compiled_templates  # serve: compile the theme once (serving.py)
        return env

    def on_serve(self, server, config, builder):
        server.watch(str(self.root / "gd"))  # a gd change re-runs the lessons that use it
        ready = self.handoff / "ready"  # lessons finished behind the server ask for a rebuild here
        ready.mkdir(parents=True, exist_ok=True)
        server.watch(str(ready))
        self.behind.watched(ready / "rebuild")
        self.served = True
        if self.kernels is not None:
            self.kernels.prepare()  # the zygote and a first kernel, before the first edit
        notice_saves_sooner(server)
        if getattr(self, "prerender", None) is not None:
            self.prerender.warm_up(
                getattr(self, "rendered_lessons", [])
            )  # so the first edit renders no slower
        # On Ctrl-C, MkDocs waits for a running rebuild before it tells plugins to shut
        # down; a lesson still executing must be stopped first, or the wait is long.
        stop = server.shutdown

        def shutdown(*args, **kwargs):
            self.cancel.set()
            return stop(*args, **kwargs)

        server.shutdown = shutdown
        return server


def _stop_as_ctrl_c_does(signum, frame):
    raise KeyboardInterrupt


def _pause_with_kernels(signum, frame):
    from gdsite.kernel import signal_kernels

    signal_kernels(signal.SIGSTOP)
    signal.signal(signal.SIGTSTP, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTSTP)  # and stop, as without this handler


def _resume_with_kernels(signum, frame):
    from gdsite.kernel import signal_kernels

    signal.signal(signal.SIGTSTP, _pause_with_kernels)
    signal_kernels(signal.SIGCONT)


def _last_commit_time(root):
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def _github_repo(repo_url):
    """'owner/name' from a GitHub repo_url, else None (Colab opens notebooks from GitHub)."""
    match = re.match(r"https://github\.com/([^/]+/[^/#?]+?)(?:\.git)?/?$", repo_url or "")
    return match[1] if match else None


def _install_source(repo_url):
    return f"gd @ git+{repo_url}" if repo_url else None


def _install_note(repo_url):
    how = (
        "its first code cell installs it from the project's repository when it is missing"
        if repo_url
        else "install it with `pip install -e .` in a clone of the repository"
    )
    return (
        "This notebook was executed when the gd site was built. To run it yourself you "
        f"need the `gd` package: {how}. Exercise solutions are collapsed; expand a cell to see one."
    )


def _install_code(repo_url):
    source = _install_source(repo_url)
    if source is None:
        return ""
    return (
        "# Install the gd package if this Python does not have it yet (on Colab, for\n"
        "# example). Where gd is installed already, this cell does nothing.\n"
        "import importlib, importlib.util, subprocess, sys\n"
        "\n"
        'if importlib.util.find_spec("gd") is None:\n'
        f'    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", {source!r}])\n'
        "    importlib.invalidate_caches()"
    )
