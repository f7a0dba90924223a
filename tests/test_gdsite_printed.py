"""gdsite.printed: printed text cut as it arrives gives the text `limit_text` makes of the whole."""

import random

import pytest

from gdsite.printed import KEEP_HEAD, KEEP_TAIL, MAX_CELL_TEXT, StreamCutter, cut_message, limit_text


def arrive(pieces):
    """The pieces as the build gets them (cut in the kernel when long), joined and cut as they come."""
    output, cutter = {"output_type": "stream", "name": "stdout", "text": ""}, StreamCutter()
    for piece in pieces:
        output["text"] += cut_message(piece)
        cutter.add(output)
    cutter.finish()
    return output["text"]


def whole(pieces):
    return limit_text([{"output_type": "stream", "name": "stdout", "text": "".join(pieces)}])[0]["text"]


@pytest.mark.parametrize("seed", range(8))
def test_cut_while_arriving_equals_cut_at_the_end(seed):
    rng = random.Random(seed)
    total = rng.choice([50, MAX_CELL_TEXT - 5, MAX_CELL_TEXT + 1, 3 * MAX_CELL_TEXT, 40 * MAX_CELL_TEXT])
    text = "".join(chr(97 + rng.randrange(26)) for _ in range(total))
    cuts = sorted(rng.sample(range(1, total), min(total - 1, rng.choice([1, 5, 300]))))
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    assert arrive(pieces) == whole(pieces)


def test_a_huge_message_is_cut_in_the_kernel_and_counted_in_the_build():
    message = "h" * KEEP_HEAD + "m" * (10 * MAX_CELL_TEXT) + "t" * KEEP_TAIL
    sent = cut_message(message)
    assert len(sent) < KEEP_HEAD + KEEP_TAIL + 100  # what travels is small
    shown = arrive([message])
    assert shown == whole([message]) and f"{10 * MAX_CELL_TEXT:,} more characters" in shown


def test_short_text_passes_untouched():
    assert arrive(["loss 0.5\n", "loss 0.4\n"]) == "loss 0.5\nloss 0.4\n"
