"""Lint gates: ruff (lint and format) on all Python, actionlint on the workflow, pre-commit config valid."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
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


@pytest.mark.parametrize(
    "needle", ["requirements.lock", "--strict", "actions/cache", "gd/**/*.py", "gh-deploy"]
)
def test_deploy_workflow_builds_strictly_with_the_pinned_set_and_cache(needle):
    assert needle in (ROOT / ".github" / "workflows" / "deploy.yml").read_text()


def test_pre_commit_config_is_valid():
    done = run(tool("pre-commit"), "validate-config", ".pre-commit-config.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
