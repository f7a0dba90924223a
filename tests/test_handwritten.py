"""gd.digits: UCI's handwritten digits as published, split at random without losing or repeating one."""

import pytest
import torch

import gd
from gd import handwritten

# The test set's class counts as UCI's description of the data set lists them (optdigits.names).
UCI_CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
# The file's first row, a zero, as UCI publishes it (and scikit-learn's load_digits().images[0]).
FIRST = [
    *[0, 0, 5, 13, 9, 1, 0, 0],
    *[0, 0, 13, 15, 10, 15, 5, 0],
    *[0, 3, 15, 2, 0, 11, 8, 0],
    *[0, 4, 12, 0, 0, 8, 8, 0],
    *[0, 5, 8, 0, 0, 9, 8, 0],
    *[0, 4, 11, 0, 1, 12, 7, 0],
    *[0, 2, 14, 5, 10, 12, 0, 0],
    *[0, 0, 6, 13, 10, 0, 0, 0],
]


def test_shapes_types_and_values():
    x_train, y_train, x_val, y_val, x_test, y_test = gd.digits()
    assert [len(t) for t in (x_train, y_train, x_val, y_val, x_test, y_test)] == [1077] * 2 + [360] * 4
    for x, y in ((x_train, y_train), (x_val, y_val), (x_test, y_test)):
        assert x.shape[1] == 64 and x.dtype == torch.get_default_dtype() and y.dtype == torch.int64
        assert x.min() == 0 and x.max() == 1 and torch.equal(x * 16, (x * 16).round())
        assert set(y.tolist()) == set(range(10))


def test_the_file_is_uci_test_set():
    pixels, labels = handwritten._read()
    assert pixels.shape == (1797, 64) and torch.bincount(labels).tolist() == UCI_CLASS_COUNTS
    assert pixels[0].tolist() == FIRST and labels[0] == 0
    assert pixels.min() == 0 and pixels.max() == 16


def test_the_split_is_a_shuffle_of_the_whole_set():
    pixels, labels = handwritten._read()
    x_train, y_train, x_val, y_val, x_test, y_test = gd.digits(seed=3, validation=100, test=50)
    assert (len(x_train), len(x_val), len(x_test)) == (1647, 100, 50)
    rows = (
        torch.cat(
            [
                torch.cat([x, y.unsqueeze(1) / 16], 1)
                for x, y in ((x_train, y_train), (x_val, y_val), (x_test, y_test))
            ]
        )
        * 16
    )
    whole = torch.cat([pixels, labels.unsqueeze(1)], 1).to(rows.dtype)
    assert torch.equal(sorted_rows(rows), sorted_rows(whole))  # every image once, with its label
    assert not torch.equal(rows[:, :64], whole[:, :64])  # shuffled


def sorted_rows(t):
    return torch.stack(sorted(t, key=lambda row: row.tolist()))


def test_seed_reproduces_and_leaves_global_rng_alone():
    before = torch.get_rng_state()
    first, second, other = gd.digits(seed=5), gd.digits(seed=5), gd.digits(seed=6)
    assert torch.equal(torch.get_rng_state(), before)
    assert all(torch.equal(a, b) for a, b in zip(first, second, strict=True))
    assert not torch.equal(first[1], other[1])


def test_the_default_dtype_is_followed():
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        assert gd.digits()[0].dtype == torch.float64
    finally:
        torch.set_default_dtype(previous)


@pytest.mark.parametrize("content", [b"", b"not gzip at all", b"\x1f\x8b\x08\x00truncated"])
def test_a_damaged_file_fails_loudly(tmp_path, monkeypatch, content):
    damaged = tmp_path / "digits.csv.gz"
    damaged.write_bytes(content)
    monkeypatch.setattr(handwritten, "FILE", damaged)
    with pytest.raises(RuntimeError, match="is missing or damaged .* reinstall gd"):
        gd.digits()
