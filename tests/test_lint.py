"""Lint gates: ruff (lint and format) on all Python, actionlint on the workflow, pre-commit config valid."""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT

BIN = Path(sys.executable).parent


def tool(name):
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        assert found, f"{name} is not installed: run python3 scripts/dev.py test"
        return found
    return str(path)


def run(*cmd):
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_is_clean():
    done = run(tool("ruff"), "check", "gd", "gdsite", "tests", "scripts", "docs/lessons")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_is_clean():
    done = run(tool("ruff"), "format", "--check", "gd", "gdsite", "tests", "scripts", "docs/lessons")
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_passes_on_the_deploy_workflow():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows, "no workflow to lint"
    done = run(tool("actionlint"), *map(str, workflows))
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ foo.bar }}\n"
    )
    done = run(tool("actionlint"), str(broken))
    assert done.returncode != 0 and "foo" in done.stdout


WORKFLOW = ROOT / ".github" / "workflows" / "deploy.yml"


def workflow():
    # BaseLoader: every value stays a string (YAML 1.1 would read the key `on` as True).
    return yaml.load(WORKFLOW.read_text(), Loader=yaml.BaseLoader)


def commands(job):
    """Each `run:` of a job, as a list of shell words per line."""
    scripts = [step.get("run", "").replace("\\\n", " ") for step in job["steps"]]
    return [shlex.split(line) for script in scripts for line in script.splitlines() if line.strip()]


def test_the_build_job_builds_strictly_with_the_pinned_set_and_may_only_read():
    build = workflow()["jobs"]["build"]
    assert build["permissions"] == {"contents": "read"}
    checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] == "false"
    runs = commands(build)
    installs = [run for run in runs if run[:4] == ["python", "-m", "pip", "install"]]
    assert installs, "the build job installs nothing"
    [locked] = [run for run in installs if "requirements.lock" in run]
    assert locked[4:7] == ["--require-hashes", "-r", "requirements.lock"], locked
    # Anything else installed is this checkout's own gd and gdsite, with nothing resolved.
    assert all(run is locked or "--no-deps" in run for run in installs), installs
    assert ["mkdocs", "build", "--strict", "--site-dir", "site"] in runs
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site"


def test_only_the_publish_job_may_write_and_it_runs_no_project_code():
    jobs = workflow()["jobs"]
    assert workflow()["permissions"] == {}
    publish = jobs["publish"]
    assert publish["needs"] == "build" and publish["permissions"] == {"contents": "write"}
    assert [
        job for name, job in jobs.items() if name != "publish" and "write" in str(job.get("permissions"))
    ] == []
    words = [word for line in commands(publish) for word in line]
    assert "gh-pages" in words and "push" in words
    assert not {"pip", "mkdocs", "python"} & set(words)
    assert not any(s.get("uses", "").startswith("actions/checkout@") for s in publish["steps"])


def lock_entries():
    """(name, version, [hashes]) for every package requirements.lock pins."""
    text = (ROOT / "requirements.lock").read_text().replace("\\\n", " ")
    entries = []
    for line in text.splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            pin = line.split(";")[0].split()[0]
            name, version = pin.split("==")
            entries.append((name.lower(), version, re.findall(r"--hash=sha256:([0-9a-f]{64})", line)))
    return entries


def test_every_package_in_the_lock_is_pinned_with_its_hashes():
    entries = lock_entries()
    assert len(entries) > 50
    assert [name for name, _, hashes in entries if not hashes] == []


def test_torch_is_pinned_once_as_the_cpu_build_and_its_version_is_written_nowhere_else():
    [version] = {version for name, version, _ in lock_entries() if name == "torch"}
    assert version.endswith("+cpu"), "dev.py lock takes torch from PyTorch's CPU index"
    public = version.removesuffix("+cpu")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    mentions = [
        path
        for path in tracked
        if path != "requirements.lock"
        and (ROOT / path).is_file()
        and re.search(rf"torch\W{{1,3}}{re.escape(public)}", (ROOT / path).read_text(errors="ignore"))
    ]
    assert mentions == [], "torch's version is written only in requirements.lock (read it from there)"


def test_actions_are_pinned_by_commit_with_the_release_in_a_comment():
    uses = re.findall(r"uses: (\S+)(.*)", WORKFLOW.read_text())
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
        assert re.search(r"#\s*v\d", comment), f"{action}: say which release the commit is"


def test_no_expression_is_pasted_into_a_shell_script():
    for job in workflow()["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), f"pass values through env: {step.get('name')}"


def test_pre_commit_config_is_valid():
    done = run(tool("pre-commit"), "validate-config", ".pre-commit-config.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
