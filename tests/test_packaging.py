"""What each package asks for: gdsite's imports are all declared in the `site` extra, gd's
own dependencies stay loose enough for Colab, and no build output is committed."""

import ast
import re
import subprocess
import sys
import tomllib
from importlib import metadata

from conftest import ROOT
from packaging.requirements import Requirement

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules(folder):
    """Top-level names of every module imported anywhere in `folder`'s .py files."""
    found = set()
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(alias.name.partition(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                found.add(node.module.partition(".")[0])
    return found


def declared(*groups):
    return {canonical(Requirement(r).name) for group in groups for r in group}


def distributions_of(modules):
    owners = metadata.packages_distributions()
    third_party = sorted(m for m in modules if m not in sys.stdlib_module_names and m not in ("gd", "gdsite"))
    return {module: {canonical(d) for d in owners.get(module, ["(not installed)"])} for module in third_party}


def test_the_site_extra_declares_every_library_gdsite_imports():
    site = declared(PROJECT["dependencies"], PROJECT["optional-dependencies"]["site"])
    undeclared = {
        m: d for m, d in distributions_of(imported_modules(ROOT / "gdsite")).items() if not d & site
    }
    assert undeclared == {}, "add them to the site extra of pyproject.toml"


def test_gd_itself_needs_only_torch_and_matplotlib_with_no_upper_bound():
    requirements = [Requirement(r) for r in PROJECT["dependencies"]]
    assert {canonical(r.name) for r in requirements} == {"torch", "matplotlib"}
    # Colab brings its own torch: an upper bound or a pin would replace it with a download.
    assert all(spec.operator == ">=" for r in requirements for spec in r.specifier), requirements
    gd_imports = distributions_of(imported_modules(ROOT / "gd"))
    assert {d for ds in gd_imports.values() for d in ds} <= {
        "torch",
        "matplotlib",
        "numpy",
    }  # numpy: matplotlib's


def test_no_build_output_is_committed():
    tracked = subprocess.run(
        ["git", "ls-files", "build", "dist", "*.egg-info"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert tracked.stdout == ""
