"""Check question and topic pages; print one precise line per problem.

Usage::

    python scripts/check_content.py            # every page below docs/
    python scripts/check_content.py PATH...    # these pages (or folders)

Each problem is one line ``path:line: field-or-section: message (how to fix)``
where the line is that of the offending front matter field, heading, include
or marker (line 1 when the front matter itself is missing). Exit status 1 when
there is any problem, 0 otherwise. The build hook (``scripts/hooks/catalog.py``)
runs the same checks through ``check_all``.

The schema (fields, sections, taxonomy) is in ``catalog.py``; this module
holds the tests that apply it.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from catalog import (
    DATE_RE,
    DIRECTORIES,
    DOCS,
    ID_RE,
    INDEX_NAME,
    MODELS,
    ROOT,
    SNIPPET_BASES,
    FieldRule,
    Kind,
    Page,
    PageError,
    PageModel,
    Taxonomy,
    ValueKind,
    describe,
    display,
    load_taxonomy,
    needs_diagram,
    page_kind,
    parse_page,
    question_paths,
    required_sections,
    topic_paths,
)


@dataclass(frozen=True)
class Problem:
    """One problem of one page, printed as ``path:line: where: message``."""

    path: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.where}: {self.message}"


def _in_order(problems: Iterable[Problem]) -> list[Problem]:
    """By file, then line; problems of one line stay in check order."""
    return sorted(problems, key=lambda p: (p.path, p.line))


@dataclass(frozen=True)
class Context:
    """What checks of a single page need to know beyond the page."""

    taxonomy: Taxonomy
    question_ids: frozenset[str]
    snippets: SnippetFiles


#: A problem of the page being checked: (line, where, message).
Finding = tuple[int, str, str]
#: A message, or None when all is well.
Msg = str | None


def _suggest(value: str, choices: Iterable[str]) -> str | None:
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def _did_you_mean(value: str, choices: Sequence[str], hint: str) -> str:
    """``(did you mean 'x'? hint)``, or ``(hint)`` when nothing is close."""
    close = _suggest(value, choices)
    if close is not None:
        return f"(did you mean {close!r}? {hint})"
    return f"({hint})"


# --------------------------------------------------------------------------
# Body scanning
# --------------------------------------------------------------------------

_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
_ATX = re.compile(r"^(?P<level>#{1,6})(?!#)[ \t]*(?P<title>.*?)[ \t#]*$")
_SETEXT = re.compile(r"^(?P<rule>=+|-+)[ \t]*$")
_ATTRS = re.compile(r"[ \t]*\{[^{}]*\}[ \t]*$")


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    title: str


@dataclass(frozen=True)
class Body:
    """The scanned lines of a page (all of it: front matter included).

    ``masked`` has fenced code blocks and inline code blanked out (same line
    count), for the checks that must ignore code. ``fences`` lists the
    opening line and info string of every fenced block.
    """

    lines: tuple[str, ...]
    masked: tuple[str, ...]
    fences: tuple[tuple[int, str], ...]
    start: int  # first line of the body (after the front matter)

    @cached_property
    def headings(self) -> list[Heading]:
        """Headings outside code and not indented (ATX and setext)."""
        found = []
        for i in range(self.start - 1, len(self.masked)):
            text = self.masked[i]
            atx = _ATX.match(text)
            under = _SETEXT.match(text)
            if atx is not None:
                title = _ATTRS.sub("", atx["title"])
                found.append(Heading(i + 1, len(atx["level"]), title))
            elif under and self._starts_block(i - 1):
                previous = self.masked[i - 1]
                if not previous.startswith((" ", "\t", "|")) and not (
                    _ATX.match(previous) or _SETEXT.match(previous)
                ):
                    level = 1 if under["rule"][0] == "=" else 2
                    title = _ATTRS.sub("", previous.strip())
                    found.append(Heading(i, level, title))
        return found

    def _starts_block(self, index: int) -> bool:
        """Whether line ``index`` (0-based) is text opening a block, as a
        setext heading's text must be in Python-Markdown."""
        first = self.start - 1
        return (
            index >= first
            and bool(self.masked[index].strip())
            and (index == first or not self.masked[index - 1].strip())
        )

    def section_at(self, line: int, page: Page) -> str:
        """Name the place of ``line``: its field, its section, or body."""
        field = page.field_at(line)
        if field is not None:
            return field
        current = "body"
        for heading in self.headings:
            if heading.line > line:
                break
            if heading.level == 2:
                current = heading.title
        return current


#: The last scan of each page, by path, with the page it was made from.
_SCANNED: dict[str, tuple[Page, Body]] = {}


def scan(page: Page) -> Body:
    """Mask code (fenced blocks, inline spans) and list the fences.

    ``parse_page`` returns the same ``Page`` for an unchanged file, so a
    page read by several checks and hooks of one build is scanned once.
    """
    known = _SCANNED.get(str(page.path))
    if known is not None and known[0] is page:
        return known[1]
    body = _scan(page)
    _SCANNED[str(page.path)] = (page, body)
    return body


def _scan(page: Page) -> Body:
    masked = []
    fences = []
    fence: str | None = None
    for number, line in enumerate(page.lines, start=1):
        if fence is not None:
            closing = line.strip()
            if (
                closing
                and set(closing) == {fence[0]}
                and len(closing) >= len(fence)
            ):
                fence = None
            masked.append("")
            continue
        opening = _FENCE.match(line)
        if opening is not None and not (
            opening["fence"][0] == "`" and "`" in opening["info"]
        ):
            fence = opening["fence"]
            fences.append((number, opening["info"].strip()))
            masked.append("")
            continue
        if "`" in line:
            line = _INLINE_CODE.sub(lambda m: " " * len(m[0]), line)
        masked.append(line)
    return Body(page.lines, tuple(masked), tuple(fences), page.body_start)


# --------------------------------------------------------------------------
# Front matter
# --------------------------------------------------------------------------


def _not_allowed(value: str, choices: Sequence[str]) -> str:
    hint = _did_you_mean(value, choices, "allowed: " + ", ".join(choices))
    return f"{value!r} is not allowed {hint}"


def _id_problem(value: str, rule: FieldRule, page: Page, ctx: Context) -> Msg:
    if not ID_RE.fullmatch(value):
        return (
            f"{value!r} is not kebab-case (use lowercase letters, digits"
            " and single hyphens)"
        )
    if value != page.path.stem:
        return (
            f"{value!r} does not match the file name {page.path.name!r}"
            f" (rename the file to {value}.md or set id: {page.path.stem})"
        )
    if page.kind == "topic" and value not in ctx.taxonomy.topic_ids:
        hint = "use an id listed there, or add the topic there first"
        return (
            f"{value!r} is not a topic of scripts/taxonomy.yml"
            f" {_did_you_mean(value, ctx.taxonomy.topic_ids, hint)}"
        )
    return None


def _choice_problem(
    value: str, rule: FieldRule, page: Page, ctx: Context
) -> Msg:
    if value in rule.choices:
        return None
    return _not_allowed(value, rule.choices)


def _section_problem(
    value: str, rule: FieldRule, page: Page, ctx: Context
) -> Msg:
    sections = ctx.taxonomy.section_ids
    if value not in sections:
        return _not_allowed(value, sections)
    topic_id = page.meta.get("id")
    expected = (
        ctx.taxonomy.section_of(topic_id) if isinstance(topic_id, str) else None
    )
    if expected is not None and expected != value:
        return (
            f"{topic_id!r} is listed under {expected!r} in"
            f" scripts/taxonomy.yml (set section: {expected})"
        )
    return None


def _topic_problem(
    value: str, rule: FieldRule, page: Page, ctx: Context
) -> Msg:
    if value in ctx.taxonomy.topic_ids:
        return None
    listed = "topic ids are listed in scripts/taxonomy.yml"
    hint = _did_you_mean(value, ctx.taxonomy.topic_ids, listed)
    return f"unknown topic {value!r} {hint}"


def _question_problem(
    value: str, rule: FieldRule, page: Page, ctx: Context
) -> Msg:
    if value == page.meta.get("id"):
        return f"{value!r} is this question (remove it)"
    if value in ctx.question_ids:
        return None
    use = "use the id of an existing question page"
    hint = _did_you_mean(value, sorted(ctx.question_ids), use)
    return f"no question with id {value!r} {hint}"


def _url_problem(value: str, rule: FieldRule, page: Page, ctx: Context) -> Msg:
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.netloc:
        return None
    return f"{value!r} is not an https URL (link the https page)"


def _date_problem(value: str, rule: FieldRule, page: Page, ctx: Context) -> Msg:
    if not DATE_RE.fullmatch(value):
        return f"{value!r} is not an ISO date (write YYYY-MM-DD)"
    try:
        date.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not a real date (write YYYY-MM-DD)"
    return None


def _no_problem(value: str, rule: FieldRule, page: Page, ctx: Context) -> Msg:
    return None


#: The test of each kind of text value (see ``catalog.ValueKind``).
VALUE_CHECKS: dict[
    ValueKind, Callable[[str, FieldRule, Page, Context], Msg]
] = {
    "text": _no_problem,
    "id": _id_problem,
    "choice": _choice_problem,
    "section": _section_problem,
    "topic": _topic_problem,
    "question": _question_problem,
    "url": _url_problem,
    "date": _date_problem,
}


def _value_problem(
    rule: FieldRule, value: object, page: Page, ctx: Context
) -> Msg:
    """Message when ``value`` (one value or list item) breaks ``rule``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "is empty (write a value)"
    if rule.value == "date" and not isinstance(value, str):
        return f"{str(value)!r} is not an ISO date (write YYYY-MM-DD)"
    if not isinstance(value, str):
        return f"must be text, got {describe(value)} (quote the value)"
    return VALUE_CHECKS[rule.value](value, rule, page, ctx)


def check_fields(page: Page, model: PageModel, ctx: Context) -> list[Finding]:
    """Required, unknown, duplicate fields and the value of each field."""
    found: list[Finding] = []
    names = model.field_names
    for name, line in page.field_lines.items():
        if name not in names:
            hint = _did_you_mean(name, names, "allowed: " + ", ".join(names))
            found.append((line, name, f"unknown field {hint}"))
    for name, line in page.duplicate_fields:
        first = page.line_of(name)
        found.append(
            (line, name, f"field given twice (first on line {first}; keep one)")
        )
    for rule in model.fields:
        if rule.name not in page.meta:
            if rule.required:
                found.append(
                    (
                        1,
                        rule.name,
                        "missing required field (add"
                        f" '{rule.name}: ...' to the front matter)",
                    )
                )
            continue
        found.extend(_check_field(rule, page, ctx))
    return found


def _check_field(rule: FieldRule, page: Page, ctx: Context) -> list[Finding]:
    value = page.meta[rule.name]
    line = page.line_of(rule.name)
    if not rule.many:
        message = _value_problem(rule, value, page, ctx)
        return [(line, rule.name, message)] if message else []
    if not isinstance(value, list):
        example = f"[{value}]" if isinstance(value, str) else "[a, b]"
        return [
            (
                line,
                rule.name,
                f"must be a list, got {describe(value)} (write {example})",
            )
        ]
    if len(value) < rule.min_items:
        return [(line, rule.name, "is empty (list at least one value)")]
    found: list[Finding] = []
    seen: set[object] = set()
    for index, item in enumerate(value):
        item_line = page.item_line(rule.name, index)
        if isinstance(item, str) and item in seen:
            found.append(
                (item_line, rule.name, f"{item!r} is listed twice (remove one)")
            )
            continue
        seen.add(item if isinstance(item, str) else index)
        message = _value_problem(rule, item, page, ctx)
        if message:
            found.append((item_line, rule.name, message))
    return found


# --------------------------------------------------------------------------
# Body
# --------------------------------------------------------------------------


def check_sections(page: Page, model: PageModel, body: Body) -> list[Finding]:
    """Level-2 sections: allowed, once each, in order, none missing."""
    order = model.section_titles
    found: list[Finding] = []
    seen: dict[str, int] = {}
    last: str | None = None  # last known section, in page order
    listing = "order: " + ", ".join(order)
    for heading in body.headings:
        title = heading.title
        if heading.level != 2:
            continue
        if title in model.generated:
            found.append(
                (heading.line, title, "generated by the build (remove it)")
            )
        elif title not in order:
            if not model.extra_sections:
                allowed = "allowed: " + ", ".join(order)
                allowed += "; use ### for a subsection"
                hint = _did_you_mean(title, order, allowed)
                found.append(
                    (
                        heading.line,
                        title,
                        f"not a section of a question page {hint}",
                    )
                )
            elif last is None:
                found.append(
                    (
                        heading.line,
                        title,
                        f"out of order (move it after '## {order[0]}')",
                    )
                )
            elif last == order[-1]:
                found.append(
                    (
                        heading.line,
                        title,
                        f"out of order (move it before '## {order[-1]}')",
                    )
                )
        elif title in seen:
            found.append(
                (
                    heading.line,
                    title,
                    f"section appears twice (first on line {seen[title]};"
                    " merge them)",
                )
            )
        else:
            seen[title] = heading.line
            if last is not None and order.index(title) < order.index(last):
                found.append(
                    (
                        heading.line,
                        title,
                        f"out of order (move it before '## {last}'; {listing})",
                    )
                )
            else:
                last = title
    found.extend(_missing_sections(page, model, body, seen))
    return found


def _missing_sections(
    page: Page, model: PageModel, body: Body, seen: dict[str, int]
) -> list[Finding]:
    order = model.section_titles
    page_type = page.meta.get("type")
    required = required_sections(model, page_type)
    reasons = dict.fromkeys(required, "")
    if page_type == "coding":
        reasons.update(
            (t, ", required for coding questions")
            for t in model.paired
            if t in required
        )
    present = [t for t in model.paired if t in seen]
    if present:
        for title in model.paired:
            reasons.setdefault(title, f", required with '## {present[0]}'")
    found: list[Finding] = []
    for title in order:
        if title not in reasons or title in seen:
            continue
        following = [t for t in order[order.index(title) + 1 :] if t in seen]
        if following:
            line, where = seen[following[0]], f"before '## {following[0]}'"
        else:
            line, where = max(len(body.lines), 1), "at the end"
        found.append(
            (
                line,
                title,
                f"missing section{reasons[title]} (add '## {title}' {where})",
            )
        )
    return found


def check_no_h1(body: Body) -> list[Finding]:
    """Question pages get their H1 from the front matter title."""
    return [
        (
            h.line,
            "body",
            f"H1 heading {h.title!r} (the build renders the title from the"
            " front matter; remove it or use ##)",
        )
        for h in body.headings
        if h.level == 1
    ]


def check_diagram(page: Page, kind: Kind, body: Body) -> list[Finding]:
    """System-design questions and topic pages draw a Mermaid diagram."""
    if not needs_diagram(kind, page.meta.get("type")):
        return []
    if any(info.split()[:1] == ["mermaid"] for _, info in body.fences):
        return []
    if kind == "topic":
        return [
            (
                1,
                "diagram",
                "topic pages need a Mermaid diagram (add a ```mermaid block,"
                " e.g. under ## How it works)",
            )
        ]
    return [
        (
            page.line_of("type"),
            "type",
            "system-design questions need a Mermaid diagram (add a ```mermaid"
            " block under ## Explanation)",
        )
    ]


_INCLUDE = re.compile(
    r"^[ \t]*(?P<escape>;*)-+8<-+[ \t]+(?P<quote>[\"'])(?P<spec>.+?)"
    r"(?P=quote)[ \t]*$"
)
_BLOCK = re.compile(r"^[ \t]*(?P<escape>;*)-+8<-+[ \t]*$")
_SPEC = re.compile(
    r"^(?P<file>.*?)(?::(?P<section>[a-z][-_0-9a-z]*)|(?P<lines>(?::-?\d*)+.*))?$",
    re.IGNORECASE,
)
_MARK = re.compile(
    r"-+8<-+[ \t]+\[[ \t]*(?P<type>start|end)[ \t]*:[ \t]*"
    r"(?P<name>[a-z][-_0-9a-z]*)[ \t]*\]",
    re.IGNORECASE,
)


def _includes(body: Body) -> Iterator[tuple[int, str]]:
    """Yield (line, spec) for each snippet include, inline or block form."""
    in_block = False
    for i in range(body.start - 1, len(body.lines)):
        line = body.lines[i]
        block = _BLOCK.match(line)
        if block is not None:
            if not block["escape"]:
                in_block = not in_block
            continue
        if in_block:
            if line.strip() and not line.strip().startswith(";"):
                yield i + 1, line.strip()
            continue
        include = _INCLUDE.match(line)
        if include is not None and not include["escape"]:
            yield i + 1, include["spec"]


class SnippetFiles:
    """The snippet files that pages include, looked up below ``bases`` (in
    order) and read once however many pages include them."""

    def __init__(self, bases: Sequence[Path]) -> None:
        self.bases = tuple(bases)
        self._roots = tuple(b.resolve() for b in self.bases)
        self._found: dict[str, Path | None] = {}
        self._marks: dict[Path, list[tuple[str, str]]] = {}

    def find(self, name: str) -> Path | None:
        """The file ``name`` names, if it exists below one of the bases."""
        if name not in self._found:
            self._found[name] = None
            for base, root in zip(self.bases, self._roots, strict=True):
                candidate = (base / name).resolve()
                if candidate.is_relative_to(root) and candidate.is_file():
                    self._found[name] = candidate
                    break
        return self._found[name]

    def marks(self, path: Path) -> list[tuple[str, str]]:
        """(start|end, name) of each section marker of the file ``path``."""
        if path not in self._marks:
            text = path.read_text(encoding="utf-8")
            self._marks[path] = _MARK.findall(text)
        return self._marks[path]

    def describe(self) -> str:
        return " or ".join(
            "the repository root" if root == ROOT else display(base) + "/"
            for base, root in zip(self.bases, self._roots, strict=True)
        )


def include_problem(spec: str, files: SnippetFiles) -> str | None:
    """Message when the snippet include ``spec`` cannot work as intended."""
    parts = _SPEC.match(spec)
    assert parts is not None  # the pattern matches any text
    name, section = parts["file"], parts["section"]
    path = files.find(name)
    if path is None:
        return (
            f"snippet file {name!r} not found (paths are relative to"
            f" {files.describe()})"
        )
    marks = files.marks(path)
    starts = {n for t, n in marks if t.lower() == "start"}
    ends = {n for t, n in marks if t.lower() == "end"}
    if parts["lines"]:
        return (
            f"snippet {spec!r} includes by line numbers (mark a named section"
            f" in {display(path)} and include '{name}:<section>')"
        )
    if section is None:
        if not marks:
            return None
        first = sorted(starts | ends)[0]
        return (
            f"snippet {spec!r} includes a whole file that has named sections"
            f" (include one section, e.g. '{name}:{first}')"
        )
    if section not in starts and section not in ends:
        return (
            f"no section {section!r} in {display(path)} (add '# --8<-- [start:"
            f"{section}]' and '# --8<-- [end:{section}]' around the code)"
        )
    missing = "start" if section not in starts else "end"
    if section not in starts or section not in ends:
        return (
            f"section {section!r} in {display(path)} has no"
            f" '[{missing}:{section}]'"
            f" marker (add '# --8<-- [{missing}:{section}]')"
        )
    return None


def check_snippets(page: Page, body: Body, ctx: Context) -> list[Finding]:
    """Each ``--8<--`` include names an existing file and section."""
    found: list[Finding] = []
    for line, spec in _includes(body):
        message = include_problem(spec, ctx.snippets)
        if message:
            found.append((line, body.section_at(line, page), message))
    return found


_MARKER = re.compile(r"\b(TODO|FIXME|TBD)\b")


def check_markers(page: Page, body: Body) -> list[Finding]:
    """No TODO, FIXME or TBD anywhere (code included)."""
    found: list[Finding] = []
    text = "\n".join(body.lines)
    if not any(marker in text for marker in ("TODO", "FIXME", "TBD")):
        return found  # cheaper than the pattern, which also needs a word
    for number, line in enumerate(body.lines, start=1):
        for marker in dict.fromkeys(_MARKER.findall(line)):
            found.append(
                (
                    number,
                    body.section_at(number, page),
                    f"{marker!r} marker left in the page (finish the text"
                    " and remove the marker)",
                )
            )
    return found


_UNSAFE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"<\s*(script|iframe|object|embed)\b", re.IGNORECASE),
        "raw <{0}> is not allowed (pages are untrusted: no scripts or embeds;"
        " show code in a fenced block)",
    ),
    (
        re.compile(
            r"(?:<[a-z][^<>]*?|\{[^{}]*?)(?<![\w-])(on[a-z]+)\s*=",
            re.IGNORECASE,
        ),
        "event handler attribute '{0}=' is not allowed (remove it; pages"
        " cannot run scripts)",
    ),
    (
        re.compile(
            r"(?:\]\(\s*<?|\b(?:href|src|action|formaction|xlink:href)\s*=\s*"
            r"[\"']?|<|^[ \t]*\[[^\]]+\]:[ \t]*<?)\s*(javascript):",
            re.IGNORECASE | re.MULTILINE,
        ),
        "'{0}:' URL is not allowed (link to a page or an https URL)",
    ),
)


#: What each of ``_UNSAFE`` cannot match without: a page without it skips
#: that pattern (a whole-text scan for a word is much cheaper).
_UNSAFE_NEEDLES = tuple(
    re.compile(needle, re.IGNORECASE)
    for needle in (
        r"<\s*(?:script|iframe|object|embed)",
        r"on[a-z]+\s*=",
        "javascript:",
    )
)


def check_unsafe(page: Page, body: Body) -> list[Finding]:
    """No raw scripts, embeds, event handlers or javascript: URLs (outside
    code blocks and inline code)."""
    text = "\n".join(body.masked)
    unsafe = [
        rule
        for rule, needle in zip(_UNSAFE, _UNSAFE_NEEDLES, strict=True)
        if needle.search(text)
    ]
    if not unsafe:
        return []
    starts = [0]
    for line in body.masked:
        starts.append(starts[-1] + len(line) + 1)
    found: list[Finding] = []
    for pattern, template in unsafe:
        for match in pattern.finditer(text):
            offset = match.start(1)
            number = next(i for i, s in enumerate(starts) if s > offset)
            found.append(
                (
                    number,
                    body.section_at(number, page),
                    template.format(match[1].lower()),
                )
            )
    return found


def check_page(page: Page, ctx: Context) -> list[Finding]:
    """Every single-page check (cross-page ones are in ``check_paths``)."""
    if page.kind is None:
        return [
            (
                1,
                "file",
                "not a question or topic page (put it under a questions/ or"
                " topics/ folder)",
            )
        ]
    model = MODELS[page.kind]
    body = scan(page)
    found = check_fields(page, model, ctx)
    found += check_sections(page, model, body)
    if page.kind == "question":
        found += check_no_h1(body)
    found += check_diagram(page, page.kind, body)
    found += check_snippets(page, body, ctx)
    found += check_markers(page, body)
    found += check_unsafe(page, body)
    return found


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders replaced by their question and topic pages."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*.md"))
                if page_kind(p) is not None
                and not (p.name == INDEX_NAME and p.parent.name == "questions")
            )
        else:
            files.append(path)
    return files


def _problem(path: Path, line: int, where: str, message: str) -> Problem:
    return Problem(display(path), line, where, message)


def check_paths(
    paths: Iterable[Path],
    *,
    docs_dir: Path = DOCS,
    snippet_bases: Sequence[Path] = SNIPPET_BASES,
    taxonomy: Taxonomy | None = None,
) -> list[Problem]:
    """Check the pages at ``paths`` (folders: the pages below them).

    ``related`` ids may name any question checked here or any question page
    of ``docs_dir``. Ids must be unique among the pages checked here.
    """
    problems: list[Problem] = []
    pages: list[Page] = []
    for path in expand_paths(paths):
        if not path.is_file():
            problems.append(
                _problem(path, 1, "file", "no such file (check the path)")
            )
        elif path.suffix != ".md":
            problems.append(
                _problem(
                    path, 1, "file", "not a Markdown page (give a .md file)"
                )
            )
        else:
            try:
                pages.append(parse_page(path))
            except PageError as exc:
                problems.append(
                    _problem(path, exc.line, exc.where, exc.message)
                )
    ids = {p.stem for p in question_paths(docs_dir)}
    ids.update(
        str(p.meta["id"])
        for p in pages
        if p.kind == "question" and isinstance(p.meta.get("id"), str)
    )
    ctx = Context(
        taxonomy or load_taxonomy(), frozenset(ids), SnippetFiles(snippet_bases)
    )
    for page in pages:
        problems.extend(
            _problem(page.path, *finding) for finding in check_page(page, ctx)
        )
    problems.extend(_duplicate_ids(pages))
    return _in_order(problems)


def _duplicate_ids(pages: Sequence[Page]) -> list[Problem]:
    first: dict[tuple[object, str], Page] = {}
    problems = []
    for page in sorted(pages, key=lambda p: display(p.path)):
        page_id = page.meta.get("id")
        if not isinstance(page_id, str) or page.kind is None:
            continue
        owner = first.setdefault((page.kind, page_id), page)
        if owner is not page:
            problems.append(
                _problem(
                    page.path,
                    page.line_of("id"),
                    "id",
                    f"{page_id!r} is already used by {display(owner.path)}"
                    " (choose another id and rename the file to match)",
                )
            )
    return problems


def all_pages(docs_dir: Path = DOCS) -> list[Path]:
    """The question and topic pages of the catalog."""
    return question_paths(docs_dir) + topic_paths(docs_dir)


def check_all(
    docs_dir: Path = DOCS,
    *,
    snippet_bases: Sequence[Path] = SNIPPET_BASES,
    taxonomy: Taxonomy | None = None,
) -> list[Problem]:
    """Check every page of ``docs_dir``, and files that do not belong."""
    problems = check_paths(
        all_pages(docs_dir),
        docs_dir=docs_dir,
        snippet_bases=snippet_bases,
        taxonomy=taxonomy,
    )
    index = docs_dir / DIRECTORIES["question"] / INDEX_NAME
    if index.exists():
        problems.append(
            _problem(
                index,
                1,
                "file",
                "the question index is generated by the build (delete this"
                " file)",
            )
        )
    for directory in DIRECTORIES.values():
        folder = docs_dir / directory
        for path in sorted(folder.glob("*/**/*.md")):
            problems.append(
                _problem(
                    path,
                    1,
                    "file",
                    f"pages live directly in docs/{directory}/ (move it"
                    " there; subfolders are not part of the catalog)",
                )
            )
    return _in_order(problems)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check question and topic pages (front matter, sections,"
        " snippets, unsafe HTML)."
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="pages or folders (default: every page below docs/)",
    )
    args = parser.parse_args(argv)
    if args.paths:
        checked = len(expand_paths(args.paths))
        problems = check_paths(args.paths)
    else:
        checked = len(all_pages())
        problems = check_all()
    for problem in problems:
        print(problem)
    if problems:
        files = len({p.path for p in problems})
        print(
            f"check_content: {len(problems)} problem(s) in {files} file(s)",
            file=sys.stderr,
        )
        return 1
    print(f"check_content: OK, {checked} page(s) checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
