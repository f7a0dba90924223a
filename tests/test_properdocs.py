"""The canary for a way off MkDocs 1.x and Material (see CONTRIBUTING, "The toolchain's future"):
ProperDocs, the maintained fork of MkDocs 1.x, builds the same site from the same mkdocs.yml."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENV, ROOT

pytestmark = pytest.mark.slow  # builds the site: see CONTRIBUTING.md

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def files(site):
    site = Path(site)
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_properdocs_builds_the_same_pages_as_mkdocs(built_site, tmp_path):
    site = tmp_path / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "properdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            ROOT / "mkdocs.yml",
            "-d",
            site,
        ],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with_mkdocs, with_properdocs = files(built_site), files(site)
    assert sorted(with_properdocs) == sorted(with_mkdocs)
    # Only the generator tag may differ: it names the program that built the page.
    differ = [
        name
        for name, data in with_mkdocs.items()
        if GENERATOR.sub(b"", data) != GENERATOR.sub(b"", with_properdocs[name])
    ]
    assert differ == []
    generators = {GENERATOR.search(data)[0] for data in with_properdocs.values() if GENERATOR.search(data)}
    assert generators and all(b"ProperDocs" in tag for tag in generators), generators  # it did build it
