"""A real data set: 1,797 handwritten digits, 8 by 8 pixels, shipped with gd.

The images are the test part of "Optical Recognition of Handwritten Digits" by
E. Alpaydin and C. Kaynak (1998), UCI Machine Learning Repository,
https://doi.org/10.24432/C50P49, licensed CC BY 4.0
(https://creativecommons.org/licenses/by/4.0/); the same 1,797 images that
scikit-learn's ``load_digits`` returns. Each was scanned at 32 by 32 pixels and
cut into 8 by 8 blocks of 4 by 4; a pixel here counts the inked pixels of its
block, 0 to 16. The file `digits.csv.gz` holds UCI's rows unchanged (64 pixels,
row by row, then the digit), only compressed, so gd needs no download and no
scikit-learn. The loader checks the file's checksum: a damaged copy fails
loudly instead of training on garbage.
"""

import gzip
import hashlib
import zlib
from pathlib import Path

import torch

from gd.checks import require_int

FILE = Path(__file__).with_name("digits.csv.gz")
SHA256 = "6ebb3d2fee246a4e99363262ddf8a00a3c41bee6014c373ed9d9216ba7f651b8"  # of the uncompressed text
COUNT = 1797


def digits(*, seed=0, validation=360, test=360):
    """The 1,797 digits, shuffled with `seed` and split into training, validation and test sets.

    Returns ``(x_train, y_train, x_val, y_val, x_test, y_test)``:

    - each ``x`` has shape ``(n, 64)``: one image per row, its 8 rows of 8
      pixels one after the other (``x.view(-1, 8, 8)`` gives the pictures),
      each pixel the count of inked dots divided by 16, so between 0 and 1;
      in torch's default dtype.
    - each ``y`` has shape ``(n,)``: the digit, 0 to 9, as whole numbers
      (``torch.int64``), which is what ``F.cross_entropy`` expects.

    `validation` and `test` images are set aside (360 each by default), the
    rest, 1,077 by default, is for training. The same `seed` gives the same
    split every time, and torch's global random generator is left untouched.
    """
    require_int("seed", seed, minimum=0)
    require_int("validation", validation, minimum=0)
    require_int("test", test, minimum=0)
    if validation + test >= COUNT:
        raise ValueError(
            f"validation + test must leave at least one training image (at most {COUNT - 1} of {COUNT}); "
            f"got {validation} + {test} = {validation + test}"
        )
    pixels, labels = _read()
    order = torch.randperm(COUNT, generator=torch.Generator().manual_seed(seed))
    x = pixels[order].to(torch.get_default_dtype()) / 16
    y = labels[order]
    train = COUNT - validation - test
    cut = [train, train + validation]
    return (x[: cut[0]], y[: cut[0]], x[cut[0] : cut[1]], y[cut[0] : cut[1]], x[cut[1] :], y[cut[1] :])


def _read():
    """Every row of the file, in its order: (pixels as a (1797, 64) int tensor, labels as (1797,))."""
    try:
        text = gzip.decompress(FILE.read_bytes())
    except (OSError, EOFError, zlib.error):
        text = b""  # missing, truncated or not gzip: the checksum below says so
    if hashlib.sha256(text).hexdigest() != SHA256:
        raise RuntimeError(f"{FILE} is missing or damaged (its checksum differs): reinstall gd")
    rows = torch.tensor([[int(v) for v in line.split(b",")] for line in text.splitlines()])
    return rows[:, :64], rows[:, 64]
