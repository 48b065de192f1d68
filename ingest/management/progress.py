"""Progress output for long management commands: a line redrawn in place on a terminal,
plain lines when the output is a file or a pipe (cron, CI logs)."""

import shutil


class Progress:
    def __init__(self, stream, total, label):
        self.stream = stream
        self.total = total
        self.label = label
        isatty = getattr(stream, "isatty", None)
        self.interactive = bool(isatty and isatty())
        self._drawn = False

    def update(self, done, detail=""):
        if self.interactive:
            width = shutil.get_terminal_size((80, 20)).columns
            share = done / self.total if self.total else 1
            bar = "#" * int(share * 20)
            line = f"{self.label} [{bar:<20}] {done}/{self.total} {detail}"
            self.stream.write("\r" + line[: width - 1].ljust(width - 1), ending="")
            self.stream.flush()
            self._drawn = True
        else:
            self.stream.write(f"{self.label} {done}/{self.total} {detail}".rstrip())

    def finish(self):
        if self.interactive and self._drawn:
            self.stream.write("")
            self._drawn = False
