"""Lighthouse scores for the built site: `.venv/bin/python scripts/lighthouse.py [--runs N]`.

Serves `site/` (build it first with `python3 scripts/dev.py build`) on
127.0.0.1, gzip-compressed like a static host, and runs Lighthouse 12.8.2
(mobile preset, the CLI's default) against Debian's Chromium for the home page
and every lesson page. Prints one table of
the four category scores, each the median of `--runs` runs (scores move by a
point or two between runs), with each run's performance score and the 1-minute
load average while the page was measured: Lighthouse simulates a slow phone
from the work it watches this machine do, so a busy machine scores lower.
Lighthouse is installed with npm into .gd-cache/tools/ the first time. This is
a measurement, not a test.
"""

import argparse
import functools
import gzip
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".gd-cache" / "tools"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
VERSION = "12.8.2"  # 13.x needs Node 22
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)


class GzipHandler(SimpleHTTPRequestHandler):
    """Serves files gzip-compressed, as GitHub Pages and other static hosts do.

    Without compression the theme's CSS and JS weigh several times more than on
    the hosted site, and Lighthouse would score a server we never deploy to.
    """

    protocol_version = "HTTP/1.1"
    COMPRESS = (".html", ".css", ".js", ".json", ".svg", ".xml", ".ipynb")

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (
            path.suffix in self.COMPRESS
            and path.is_file()
            and "gzip" in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


def serve(folder):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def install():
    if not LIGHTHOUSE.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "i", "-E", "--no-audit", "--no-fund", f"lighthouse@{VERSION}"], cwd=TOOLS, check=True
        )


def score(url):
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS} --user-data-dir={tmp}/profile",
            ],
            check=True,
            env={"CHROME_PATH": "/usr/bin/chromium", "PATH": "/usr/bin:/bin", "HOME": tmp},
        )
        result = json.loads(report.read_text())
    return {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}


def pages(site):
    lessons = sorted(
        p.parent.relative_to(site).as_posix() + "/" for p in (site / "lessons").glob("*/index.html")
    )
    return ["", *lessons]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is shown")
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        sys.exit(f"no built site in {args.site}: run `python3 scripts/dev.py build` first")
    install()
    server = serve(args.site)
    base = f"http://127.0.0.1:{server.server_port}/"
    rows = []
    for page in pages(args.site):
        loads, runs = [], []
        for _ in range(args.runs):
            runs.append(score(base + page))
            loads.append(os.getloadavg()[0])
        medians = {c: statistics.median(r[c] for r in runs) for c in CATEGORIES}
        performance = " ".join(str(r["performance"]) for r in runs)
        rows.append((page or "(home)", medians, performance, max(loads)))
        print(f"  measured {page or '(home)'}: performance {performance}", file=sys.stderr)
    server.shutdown()
    width = max(len(row[0]) for row in rows)
    runs_width = max(len("performance runs"), *(len(row[2]) for row in rows))
    print(f"Lighthouse {VERSION}, mobile, median of {args.runs} run(s); load: highest 1-minute load average")
    header = "  ".join(f"{c:>14}" for c in CATEGORIES)
    print(f"{'page':<{width}}  {'performance runs':<{runs_width}}  {header}   load")
    for name, scores, performance, load in rows:
        cells = "  ".join(f"{scores[c]:>14g}" for c in CATEGORIES)
        print(f"{name:<{width}}  {performance:<{runs_width}}  {cells}  {load:5.1f}")
    lowest = min(min(row[1].values()) for row in rows)
    print(f"lowest median score: {lowest:g} (target: every score >= 95); {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
