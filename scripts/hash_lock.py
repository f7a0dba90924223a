"""Write requirements-deploy.lock: the pinned set of requirements.lock with sha256 hashes.

The deploy workflow installs the build's packages with `pip --require-hashes`, so a
package swapped on the index (or in transit) stops the deploy instead of running
inside it. The hashes are those PyPI lists for each pinned version (every wheel and
the sdist); torch comes as the CPU-only wheel from PyTorch's index, in a step of its
own, with the hash given here.

    python3 scripts/hash_lock.py    # after `dev.py lock`; commit both files

Standard library only. Needs PyPI's simple API (https://pypi.org/simple/).
"""

import json
import re
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
HASHED = ROOT / "requirements-deploy.lock"
TORCH_CPU = ROOT / "requirements-torch-cpu.lock"
# The CPU-only torch wheel for Linux x86_64, CPython 3.11, from PyTorch's CPU index.
TORCH_CPU_WHEEL = "torch==2.13.0+cpu"
TORCH_CPU_SHA256 = "6746dbcbeb526eb61330b76b41ff1b4eb848951103a892eeb080dfa2b264667b"


def hashes(name, version):
    request = urllib.request.Request(
        f"https://pypi.org/simple/{name}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    wanted = (_canonical(name), version)
    found = sorted(f["hashes"]["sha256"] for f in files if _name_and_version(f["filename"]) == wanted)
    if not found:
        sys.exit(f"no files for {name}=={version} on PyPI")
    return found


def _canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _name_and_version(filename):
    """('name', 'version') of a wheel or sdist file name."""
    if filename.endswith(".whl"):
        name, version = filename.split("-")[:2]
    else:
        stem = re.sub(r"\.(tar\.gz|zip|tar\.bz2)$", "", filename)
        name, _, version = stem.rpartition("-")
    return _canonical(name), version


def main():
    lines = [
        "# requirements.lock with hashes, for the deploy workflow (pip --require-hashes).",
        "# Regenerate after `dev.py lock`:  python3 scripts/hash_lock.py",
    ]
    for line in LOCK.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        name, version = line.split("==")
        if name == "torch":  # installed before, from PyTorch's CPU index: see requirements-torch-cpu.lock
            lines.append(f"{line} --hash=sha256:{TORCH_CPU_SHA256}")
            continue
        lines.append(" ".join([line, *(f"--hash=sha256:{h}" for h in hashes(name, version))]))
        print(f"{line}: ok", file=sys.stderr)
    HASHED.write_text("\n".join(lines) + "\n")
    TORCH_CPU.write_text(
        "# The CPU-only torch wheel (Linux x86_64, CPython 3.11) from PyTorch's CPU index.\n"
        f"{TORCH_CPU_WHEEL} --hash=sha256:{TORCH_CPU_SHA256}\n"
    )


if __name__ == "__main__":
    main()
