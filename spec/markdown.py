"""Small helpers for the Markdown the spec generates (the property catalogue, the CI job summary)."""

from __future__ import annotations

import re

# Characters that Markdown could read as emphasis, code, links, HTML or table cells. Statements and messages are
# plain text full of formulas ("reg * sum(W**2)", "x[i, y[i]]", "||W||_2"), so each is escaped, never interpreted.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def escape(text: str) -> str:
    """`text` as Markdown that renders as exactly this text, on one line (each run of white space one space)."""
    text = _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", str(text)))
    # A line that starts like a list item or a numbered list ("- x", "1. x") would become one.
    return re.sub(r"^([-+]|\d+[.)])(?= |$)", lambda m: m.group()[:-1] + "\\" + m.group()[-1], text)


def code(text: str) -> str:
    """`text` as inline code; a backtick inside it lengthens the fence, as CommonMark allows."""
    text = " ".join(str(text).split())
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    """A GitHub table, cells already Markdown; `align` holds one of l/r per column (default: left)."""
    marks = [("---:" if a == "r" else "---") for a in align.ljust(len(header), "l")]
    return [f"| {' | '.join(header)} |", f"|{'|'.join(marks)}|", *(f"| {' | '.join(map(str, r))} |" for r in rows)]


def slug(heading: str, seen: dict[str, int]) -> str:
    """The anchor GitHub gives a heading (lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2)."""
    base = re.sub(r"[^\w\- ]", "", heading.replace("`", "").strip().lower()).replace(" ", "-")
    count = seen.get(base, 0)
    seen[base] = count + 1
    return base if count == 0 else f"{base}-{count}"
