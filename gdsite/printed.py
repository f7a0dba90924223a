"""Printed text the site keeps of a cell: at most MAX_CELL_TEXT characters.

Longer text keeps its first KEEP_HEAD and last KEEP_TAIL characters with a note
in between saying how many were left out, and it is cut as it arrives: a
`while True: print(loss)` must not grow the build without end. It is cut in
two places, with one result: the same text `limit_text` makes of the whole.

- In the kernel (`cut_message`, set up by kernel_setup): ipykernel sends all that
  was printed in 0.2 s as one message, hundreds of MB in such a loop. A message
  longer than the limit keeps its head and tail and a mark of how much it left out.
- In the build (`StreamCutter`): consecutive pieces of a stream are joined, the
  marks counted, and the text cut down as it grows.

Only the standard library here: the kernel imports this file.
"""

import re

MAX_CELL_TEXT = 100_000  # characters of printed text kept per output
KEEP_HEAD, KEEP_TAIL = 10_000, 2_000  # what a cut output still shows
_MARK = "\0gd-cut:{}\0"  # in a message the kernel cut: how many characters it left out there
_MARKS = re.compile("\0gd-cut:(\\d+)\0")


def cut_note(hidden):
    """What a cut output says in place of the `hidden` characters it left out."""
    return (
        f"\n[… {hidden:,} more characters not shown here: the site keeps at most "
        f"{MAX_CELL_TEXT:,} characters of a cell's printed output …]\n"
    )


def limit_text(cell_outputs):
    """Cut printed text longer than MAX_CELL_TEXT, keeping its start and end and saying so."""
    for output in cell_outputs:
        for holder, key in ((output, "text"), (output.get("data", {}), "text/plain")):
            text = holder.get(key)
            if isinstance(text, str) and len(text) > MAX_CELL_TEXT:
                hidden = len(text) - KEEP_HEAD - KEEP_TAIL
                holder[key] = text[:KEEP_HEAD] + cut_note(hidden) + text[-KEEP_TAIL:]
    return cell_outputs


def cut_message(text):
    """In the kernel: one stream message's text, short enough to send."""
    if len(text) <= MAX_CELL_TEXT:
        return text
    return text[:KEEP_HEAD] + _MARK.format(len(text) - KEEP_HEAD - KEEP_TAIL) + text[-KEEP_TAIL:]


class StreamCutter:
    """In the build: streams kept short while their pieces arrive (see the module's docstring)."""

    def __init__(self):
        self.cut = {}  # id(output): [the output, its head, characters left out so far]

    def add(self, output):
        """Called each time the stream `output` grew."""
        dropped = sum(int(n) for n in _MARKS.findall(output["text"]))
        text = _MARKS.sub("", output["text"]) if dropped else output["text"]
        state = self.cut.get(id(output))
        if len(text) <= MAX_CELL_TEXT and not dropped:
            return  # (after a cut, the kept tail may grow to this size before it is cut again)
        if state is None:
            state = self.cut[id(output)] = [output, text[:KEEP_HEAD], 0]
            text = text[KEEP_HEAD:]
        tail = text[-KEEP_TAIL:]
        state[2] += dropped + len(text) - len(tail)
        output["text"] = tail

    def finish(self):
        """Each stream cut since the last call: head, note, tail (as `limit_text` would make it)."""
        for output, head, hidden in self.cut.values():
            tail = output["text"]
            output["text"] = head + cut_note(hidden + len(tail) - len(tail[-KEEP_TAIL:])) + tail[-KEEP_TAIL:]
        self.cut.clear()
