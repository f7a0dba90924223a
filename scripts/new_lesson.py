"""Scaffold a lesson: `python3 scripts/dev.py new "Lesson title"`.

Creates docs/lessons/NN-slug.py from scripts/lesson_template.py, numbered after
the last lesson, and lists it at the end of the Lessons section of mkdocs.yml.
Standard library only, so it runs before anything is installed.
"""

import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("lesson_template.py")
_NAV_ENTRY = re.compile(r"^(?P<indent>\s*)- (?:[^:\n]+: )?lessons/\d+-[\w-]+\.py\s*$", re.M)


def slugify(title):
    # Accented letters lose their accents (ü -> u): file names and links stay plain ASCII.
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    if not slug:
        raise ValueError(f"the title {title!r} has no letters or digits to name the file with")
    return slug


def scaffold(title, root=ROOT):
    """Create the lesson file and its nav entry; return the new file's path."""
    lessons = Path(root) / "docs" / "lessons"
    config = Path(root) / "mkdocs.yml"
    numbers = [int(m[1]) for p in lessons.glob("*.py") if (m := re.match(r"(\d+)-", p.name))]
    name = f"{max(numbers, default=0) + 1:02d}-{slugify(title)}.py"
    path = lessons / name
    text = config.read_text(encoding="utf-8")
    entries = list(_NAV_ENTRY.finditer(text))
    if not entries:
        raise ValueError(f"no lesson entries (like '- lessons/01-data.py') found in the nav of {config}")
    last = entries[-1]
    text = text[: last.end()] + f"\n{last['indent']}- lessons/{name}" + text[last.end() :]
    path.write_text(TEMPLATE.read_text(encoding="utf-8").replace("{{title}}", title), encoding="utf-8")
    config.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        created = scaffold(sys.argv[1])
    except ValueError as error:
        sys.exit(f"new lesson: {error}")
    print(
        f"created {created.relative_to(ROOT)} and listed it in mkdocs.yml; preview it with "
        "`python3 scripts/dev.py serve`"
    )
