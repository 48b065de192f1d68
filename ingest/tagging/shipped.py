"""The vocabulary we ship, read from data files, and the three-way merge that brings a
database's vocabulary up to date without losing what editors wrote.

Each term has one file, ``data/vocabulary/{sectors,risk-types}/<slug>.txt``, in sections:

    [keywords]               the shipped keyword lines
    [organisations]          the shipped organisation lines
    [retired keywords]       lines an earlier release shipped and this one does not
    [retired organisations]

A plain library: no Django. ``ingest.tagging.vocabulary`` applies it to the database.
"""

from dataclasses import dataclass
from pathlib import Path

VOCABULARY_DIR = Path(__file__).resolve().parent / "data" / "vocabulary"
KINDS = {"sector": "sectors", "risk": "risk-types"}
SECTIONS = ("keywords", "organisations", "retired keywords", "retired organisations")


class VocabularyFileError(ValueError):
    pass


@dataclass(frozen=True)
class ShippedTerm:
    slug: str
    keywords: tuple
    organisations: tuple
    retired_keywords: tuple
    retired_organisations: tuple

    def lines(self, field):
        return getattr(self, field)

    def retired(self, field):
        return getattr(self, f"retired_{field}")


def parse_term_file(path):
    sections = {name: [] for name in SECTIONS}
    current = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            if current not in sections:
                raise VocabularyFileError(f"{path}: line {number}: unknown section [{current}]")
            continue
        if current is None:
            raise VocabularyFileError(f"{path}: line {number}: a line before any [section]")
        if line not in sections[current]:
            sections[current].append(line)
    return ShippedTerm(
        slug=path.stem,
        keywords=tuple(sections["keywords"]),
        organisations=tuple(sections["organisations"]),
        retired_keywords=tuple(sections["retired keywords"]),
        retired_organisations=tuple(sections["retired organisations"]),
    )


def shipped_vocabulary(directory=VOCABULARY_DIR):
    """{"sector": {slug: ShippedTerm}, "risk": {slug: ShippedTerm}}."""
    return {
        kind: {
            path.stem: parse_term_file(path) for path in sorted((directory / folder).glob("*.txt"))
        }
        for kind, folder in KINDS.items()
    }


def split_lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def merge_lines(current, base, shipped, retired=()):
    """The database's lines brought up to the shipped ones.

    ``base`` is the shipped text the database was last brought up to (None when that is
    unknown: a database seeded by the old migration). A shipped line new since the base is
    added, one dropped since the base is removed; every other line is as the editor left
    it, so an editor's own lines stay, and a shipped line an editor deleted stays deleted.

    Without a base, the lines an earlier release shipped (``retired``) are removed and every
    shipped line missing from the database is added: a database that old cannot say
    whether an editor deleted it or it is new, and new is far more likely.
    """
    base = set(retired) | (set(shipped) & set(current)) if base is None else set(base)
    removed = base - set(shipped)
    result = [line for line in current if line not in removed]
    present = set(result)
    for index, line in enumerate(shipped):
        if line in base or line in present:
            continue
        # Next to its shipped neighbour, so the field reads in the shipped order.
        position = 0
        for before in reversed(shipped[:index]):
            if before in present:
                position = result.index(before) + 1
                break
        result.insert(position, line)
        present.add(line)
    return result


def as_text(lines):
    return "".join(f"{line}\n" for line in lines)
