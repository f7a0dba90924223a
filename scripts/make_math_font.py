"""Make docs/assets/fonts/latinmodern-math.woff2: the math font the site serves itself.

Browsers draw MathML with a font that has an OpenType MATH table (it says how
big a display-style sum is, where its limits go, how to stretch brackets).
Without one, Chromium falls back to text fonts: a small sum with limits that
crowd it. The site must not fetch fonts from elsewhere, so it ships a subset
of Latin Modern Math (GUST Font License; the license file sits beside it)
holding the letters, digits and operators the lessons' formulas use, with the
MATH table and its glyph variants kept (118 KB with whole Unicode blocks of
operators, arrows and Greek; 80 KB or so with the lists below).

Run once, when the font should change, and commit the result:

    apt-get install fonts-lmodern           # the source font
    python3 -m venv /tmp/font && /tmp/font/bin/pip install fonttools brotli
    /tmp/font/bin/python scripts/make_math_font.py
"""

import shutil
from pathlib import Path

from fontTools import subset

SOURCE = Path("/usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf")
LICENSE = Path("/usr/share/texmf/doc/fonts/lm-math/GUST-FONT-LICENSE.txt")
TARGET = Path(__file__).resolve().parent.parent / "docs" / "assets" / "fonts" / "latinmodern-math.woff2"
OPERATORS = "ΔΣΛΩ−∓∑∏∂∇√∞≤≥≠≈∈∉∝∫⋅∘∗⊤→←↦⇒⇔×±÷·′″…⟨⟩⌈⌉⌊⌋ϑϕϵ"
RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x03B1, 0x03C9),  # Greek small letters
    (0x1D434, 0x1D467),  # mathematical italic letters (how MathML draws <mi>x</mi>)
    (0x1D6A4, 0x1D6A5),  # dotless italic i and j
    (0x1D6FC, 0x1D71B),  # mathematical italic small Greek
    *((ord(c), ord(c)) for c in OPERATORS),
]


def main():
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(SOURCE), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in RANGES for c in range(low, high + 1)])
    subsetter.subset(font)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(TARGET), options)
    shutil.copy(LICENSE, TARGET.with_name("GUST-FONT-LICENSE.txt"))
    print(f"{TARGET}: {TARGET.stat().st_size / 1024:.0f} KB, MATH table kept: {'MATH' in font}")


if __name__ == "__main__":
    main()
