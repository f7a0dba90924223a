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
        assert found, f"{name} is not installed: run python3.11 scripts/dev.py test"
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
    assert [
        "python",
        "-m",
        "pip",
        "install",
        "--require-hashes",
        "-r",
        "requirements-deploy.lock",
    ] in installs
    assert all("--require-hashes" in run or "--no-deps" in run for run in installs), installs
    assert any("requirements-torch-cpu.lock" in run and "--require-hashes" in run for run in installs)
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


def test_the_hashed_lock_pins_what_requirements_lock_pins():
    plain = {
        line.split("==")[0] for line in (ROOT / "requirements.lock").read_text().splitlines() if "==" in line
    }
    hashed = (ROOT / "requirements-deploy.lock").read_text().splitlines()
    pinned = {line.split("==")[0] for line in hashed if "==" in line}
    assert pinned == plain, "run scripts/hash_lock.py after dev.py lock"
    assert all("--hash=sha256:" in line for line in hashed if "==" in line)


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
