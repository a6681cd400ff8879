"""The content model of the handbook: taxonomy, page schema, pages, records.

One module knows what a page is:

* the taxonomy (sections and topic ids), read from ``scripts/taxonomy.yml``;
* the schema of question and topic pages: their front matter fields
  (``QUESTION_FIELDS``, ``TOPIC_FIELDS``) and their level-2 sections
  (``QUESTION_SECTIONS``, ``TOPIC_SECTIONS``), in ``MODELS``;
* ``parse_page``, the one parser of front matter, which keeps the line of
  every field so that problems can point at it;
* ``load_catalog``, which turns valid pages into typed records (``Question``,
  ``Topic``) for the build hook, the generated pages and ``catalog.json``.

Validation lives in ``check_content.py``; run it before ``load_catalog``, which
assumes valid pages and raises ``CatalogError`` on the first one that is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
TAXONOMY_FILE = Path(__file__).with_name("taxonomy.yml")
#: Where ``--8<--`` includes are looked up, as pymdownx.snippets does.
SNIPPET_BASES = (ROOT / "snippets", ROOT)

Kind = Literal["question", "topic"]
#: Directory of each kind of page below ``docs/``.
DIRECTORIES: dict[Kind, str] = {"question": "questions", "topic": "topics"}
#: The generated question index (never a file on disk).
INDEX_NAME = "index.md"

DIFFICULTIES = ("easy", "medium", "hard")
TYPES = ("technical", "system-design", "coding")
ORIGINS = ("seed", "original")
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------

#: What a front matter value must be. ``check_content`` gives each its test.
ValueKind = Literal[
    "text", "id", "choice", "section", "topic", "question", "url", "date"
]


@dataclass(frozen=True)
class FieldRule:
    """One front matter field: its name, what its value is, whether needed.

    ``many`` fields are YAML lists whose items are each of ``value``; they
    need at least ``min_items`` items.
    """

    name: str
    value: ValueKind
    required: bool = True
    many: bool = False
    min_items: int = 1
    choices: tuple[str, ...] = ()


#: When a level-2 section is required: on every page of the kind, on coding
#: questions only, or never.
Need = Literal["always", "coding", "optional"]


@dataclass(frozen=True)
class SectionRule:
    """One level-2 section (``## title``) of a page, in page order."""

    title: str
    need: Need = "always"


@dataclass(frozen=True)
class PageModel:
    """Everything a page of one kind must satisfy, besides cross-page rules.

    ``extra_sections``: whether other level-2 sections may sit between the
    listed ones (topic pages) or not (question pages). ``paired`` sections
    come together: one present requires the other. ``generated`` sections
    are appended by the build and must not be written by hand.
    """

    kind: Kind
    fields: tuple[FieldRule, ...]
    sections: tuple[SectionRule, ...]
    extra_sections: bool
    paired: tuple[str, ...] = ()
    generated: tuple[str, ...] = ()

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(rule.name for rule in self.fields)

    @property
    def section_titles(self) -> tuple[str, ...]:
        return tuple(rule.title for rule in self.sections)


QUESTION_FIELDS = (
    FieldRule("id", "id"),
    FieldRule("title", "text"),
    FieldRule("prompt", "text"),
    FieldRule("difficulty", "choice", choices=DIFFICULTIES),
    FieldRule("type", "choice", choices=TYPES),
    FieldRule("topics", "topic", many=True),
    FieldRule("summary", "text"),
    FieldRule("origin", "choice", choices=ORIGINS),
    FieldRule("related", "question", required=False, many=True, min_items=0),
    FieldRule("applies_to", "text"),
    FieldRule("last_reviewed", "date"),
    FieldRule("sources", "url", many=True),
)
TOPIC_FIELDS = (
    FieldRule("id", "id"),
    FieldRule("title", "text"),
    FieldRule("section", "section"),
    FieldRule("summary", "text"),
    FieldRule("sources", "url", many=True),
)
QUESTION_SECTIONS = (
    SectionRule("Short answer"),
    SectionRule("Explanation"),
    SectionRule("Solution", "coding"),
    SectionRule("Complexity", "coding"),
    SectionRule("Trade-offs", "optional"),
    SectionRule("Pitfalls"),
    SectionRule("Follow-up questions"),
    SectionRule("Further reading"),
)
TOPIC_SECTIONS = (
    SectionRule("Overview"),
    SectionRule("How it works"),
    SectionRule("In the engines"),
    SectionRule("Pitfalls"),
    SectionRule("Further reading"),
)
#: Heading the build appends to topic pages.
TOPIC_QUESTIONS_HEADING = "Questions on this topic"

MODELS: dict[Kind, PageModel] = {
    "question": PageModel(
        "question",
        QUESTION_FIELDS,
        QUESTION_SECTIONS,
        extra_sections=False,
        paired=("Solution", "Complexity"),
    ),
    "topic": PageModel(
        "topic",
        TOPIC_FIELDS,
        TOPIC_SECTIONS,
        extra_sections=True,
        generated=(TOPIC_QUESTIONS_HEADING,),
    ),
}


def required_sections(model: PageModel, page_type: object) -> list[str]:
    """Titles of the sections a page must have (``page_type``: its type)."""
    return [
        rule.title
        for rule in model.sections
        if rule.need == "always"
        or (rule.need == "coding" and page_type == "coding")
    ]


def needs_diagram(kind: Kind, page_type: object) -> bool:
    """Tell whether a page must draw at least one Mermaid diagram."""
    return kind == "topic" or page_type == "system-design"


# --------------------------------------------------------------------------
# Taxonomy
# --------------------------------------------------------------------------


class TaxonomyError(ValueError):
    """``taxonomy.yml`` is malformed."""


@dataclass(frozen=True)
class Section:
    """A group of topics in the navigation (foundations, messaging...)."""

    id: str
    title: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    """The sections, each with its topic ids, in display order."""

    sections: tuple[Section, ...]

    @property
    def topic_ids(self) -> tuple[str, ...]:
        return tuple(t for s in self.sections for t in s.topics)

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections)

    def section_of(self, topic_id: str) -> str | None:
        """Return the id of the section listing ``topic_id``, if any."""
        for section in self.sections:
            if topic_id in section.topics:
                return section.id
        return None


def load_taxonomy(path: Path = TAXONOMY_FILE) -> Taxonomy:
    """Read and check the taxonomy file.

    Raises:
        TaxonomyError: if it is not a list of sections with unique kebab-case
            ids, a title and a non-empty list of unique topic ids.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw = data.get("sections") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not raw:
        raise TaxonomyError(f"{path}: expected a non-empty 'sections' list")
    sections = []
    seen: set[str] = set()
    for item in raw:
        if not isinstance(item, dict):
            raise TaxonomyError(f"{path}: each section must be a mapping")
        sid, title, topics = (
            item.get("id"),
            item.get("title"),
            item.get("topics"),
        )
        if not isinstance(topics, list) or not topics:
            topics = [None]
        ids = [sid, *topics]
        if not isinstance(title, str) or not all(
            isinstance(i, str) and ID_RE.fullmatch(i) for i in ids
        ):
            raise TaxonomyError(
                f"{path}: section {sid!r} needs a kebab-case id, a title and a"
                " non-empty list of kebab-case topic ids"
            )
        for i in ids:
            if i in seen:
                raise TaxonomyError(f"{path}: id {i!r} is listed twice")
            seen.add(i)
        sections.append(Section(str(sid), title, tuple(map(str, topics))))
    return Taxonomy(tuple(sections))


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------


class PageError(Exception):
    """A page whose front matter cannot be read at all."""

    def __init__(self, line: int, where: str, message: str) -> None:
        super().__init__(f"{line}: {where}: {message}")
        self.line = line
        self.where = where
        self.message = message


@dataclass(frozen=True)
class Page:
    """A page split into front matter (with field lines) and body.

    Line numbers are 1-based lines of the file. ``meta`` holds the fields as
    YAML gives them, except that dates stay text (checked as text).
    """

    path: Path
    kind: Kind | None
    lines: tuple[str, ...]
    meta: dict[str, object]
    field_lines: dict[str, int]
    item_lines: dict[str, tuple[int, ...]]
    duplicate_fields: tuple[tuple[str, int], ...]
    body_start: int

    def line_of(self, name: str) -> int:
        """Line of field ``name`` (1 when it is absent)."""
        return self.field_lines.get(name, 1)

    def item_line(self, name: str, index: int) -> int:
        """Line of item ``index`` of the list field ``name``."""
        lines = self.item_lines.get(name, ())
        return lines[index] if index < len(lines) else self.line_of(name)

    def field_at(self, line: int) -> str | None:
        """Name of the front matter field that holds ``line``, if any."""
        if line >= self.body_start - 1:
            return None
        before = [(n, f) for f, n in self.field_lines.items() if n <= line]
        return max(before)[1] if before else None


class _Loader(yaml.SafeLoader):
    """Safe YAML loader that keeps dates as text, to check them as text.

    PyYAML would turn ``2026-02-30`` into a ``ValueError`` (not a YAML error)
    and ``2026-11-27`` into a ``date``; the checker wants to see the text.
    """


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, rx) for tag, rx in resolvers if not tag.endswith(":timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_CLoader: type[yaml.CSafeLoader] | None = None
if yaml.__with_libyaml__:  # pragma: no branch - LibYAML ships in the wheels

    class _FastLoader(yaml.CSafeLoader):
        """``_Loader`` on LibYAML."""

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _CLoader = _FastLoader

_OPEN = re.compile(r"---[ \t]*")
_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")
_FIX_YAML = (
    "fix the YAML syntax; quote values that contain ': ' or start with"
    " a special character"
)


def page_kind(path: Path) -> Kind | None:
    """Kind of page by its nearest ``questions/`` or ``topics/`` folder."""
    for part in reversed(path.parent.parts):
        for kind, directory in DIRECTORIES.items():
            if part == directory:
                return kind
    return None


def describe(value: object) -> str:
    """Say in a few words what kind of YAML value ``value`` is."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


#: The last parse of each page in this process, by path, with the text it
#: was parsed from: one build reads each page from several hooks, and an
#: edited page is parsed anew (replacing the old entry).
_PARSED: dict[str, tuple[str, Page]] = {}


def parse_page(path: Path) -> Page:
    """Read a page and parse its front matter, keeping field lines.

    A page whose text has not changed since it was last parsed in this
    process is not parsed again.

    Raises:
        PageError: if the file is not UTF-8, or has no front matter, or its
            front matter is not closed, not valid YAML or not a mapping.
    """
    try:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise PageError(
            1, "file", "not UTF-8 text (save it as UTF-8)"
        ) from None
    known = _PARSED.get(str(path))
    if known is not None and known[0] == text:
        return known[1]
    page = _parse_text(path, text)
    _PARSED[str(path)] = (text, page)
    return page


def _parse_text(path: Path, text: str) -> Page:
    lines = tuple(text.splitlines())
    if not lines or not _OPEN.fullmatch(lines[0]):
        raise PageError(
            1,
            "front matter",
            "missing (start the page with a '---' line, the fields, then"
            " a closing '---' line)",
        )
    end = next(
        (i for i in range(1, len(lines)) if _CLOSE.fullmatch(lines[i])), None
    )
    if end is None:
        raise PageError(
            1, "front matter", "not closed (add a '---' line after the fields)"
        )
    node, data = _load_yaml("\n".join(lines[1:end]) + "\n", last_line=end)
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        raise PageError(
            node.start_mark.line + 2 if node is not None else 1,
            "front matter",
            f"must be a mapping of fields (name: value), got {describe(data)}"
            " (write one 'name: value' line per field)",
        )
    field_lines: dict[str, int] = {}
    item_lines: dict[str, tuple[int, ...]] = {}
    duplicates = []
    for key_node, value_node in node.value:
        name, line = str(key_node.value), key_node.start_mark.line + 2
        if name in field_lines:
            duplicates.append((name, line))
            continue
        field_lines[name] = line
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[name] = tuple(
                item.start_mark.line + 2 for item in value_node.value
            )
    return Page(
        path=path,
        kind=page_kind(path),
        lines=lines,
        meta={str(k): v for k, v in data.items()},
        field_lines=field_lines,
        item_lines=item_lines,
        duplicate_fields=tuple(duplicates),
        body_start=end + 2,
    )


def _load_yaml(source: str, last_line: int) -> tuple[yaml.Node | None, object]:
    """Compose and construct one YAML document (node for lines, data).

    LibYAML's loader is tried first (about ten times faster on the
    handbook's pages); when it refuses the text, the pure-Python loader
    words the error, as the messages and their fixtures expect.
    """
    if _CLoader is not None:
        fast = _CLoader(source)
        try:
            node = fast.get_single_node()
            data = fast.construct_document(node) if node is not None else None
            return node, data
        except yaml.YAMLError:
            pass
        finally:
            fast.dispose()
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = min(mark.line + 2, last_line) if mark is not None else 1
        problem = exc.problem or exc.context or "syntax error"
        raise PageError(
            line, "front matter", f"invalid YAML: {problem} ({_FIX_YAML})"
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors
        raise PageError(
            1, "front matter", f"invalid YAML: {exc} ({_FIX_YAML})"
        ) from None
    finally:
        loader.dispose()
    return node, data


def display(path: Path) -> str:
    """Path as shown in messages: relative to the repository when inside."""
    resolved = path.resolve()
    if resolved.is_relative_to(ROOT):
        return resolved.relative_to(ROOT).as_posix()
    return str(path)


def question_paths(docs_dir: Path = DOCS) -> list[Path]:
    """Every question page (``docs/questions/*.md`` but the index)."""
    folder = docs_dir / DIRECTORIES["question"]
    return sorted(p for p in folder.glob("*.md") if p.name != INDEX_NAME)


def topic_paths(docs_dir: Path = DOCS) -> list[Path]:
    """Every topic page (``docs/topics/*.md``)."""
    return sorted((docs_dir / DIRECTORIES["topic"]).glob("*.md"))


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


class CatalogError(ValueError):
    """A page that ``check_content`` would reject reached ``load_catalog``."""


@dataclass(frozen=True)
class Question:
    """A question page, from its front matter.

    ``src_uri`` is its path below ``docs/``; ``url`` is where MkDocs puts it,
    relative to the site root (it depends on ``use_directory_urls``).
    """

    id: str
    title: str
    prompt: str
    difficulty: str
    type: str
    topics: tuple[str, ...]
    summary: str
    origin: str
    related: tuple[str, ...]
    applies_to: str
    last_reviewed: date
    sources: tuple[str, ...]
    path: Path
    src_uri: str
    url: str


@dataclass(frozen=True)
class Topic:
    """A topic page, from its front matter (see ``Question`` for URLs)."""

    id: str
    title: str
    section: str
    summary: str
    sources: tuple[str, ...]
    path: Path
    src_uri: str
    url: str


def _sort_key(question: Question) -> tuple[int, str, str]:
    return (
        DIFFICULTIES.index(question.difficulty),
        question.title.casefold(),
        question.id,
    )


@dataclass(frozen=True)
class Catalog:
    """All questions (by difficulty, then title) and topic pages (taxonomy
    order), with the taxonomy they refer to."""

    taxonomy: Taxonomy
    questions: tuple[Question, ...]
    topics: tuple[Topic, ...]

    @cached_property
    def _by_id(self) -> dict[str, Question]:
        return {q.id: q for q in reversed(self.questions)}  # first wins

    @cached_property
    def _topics_by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in reversed(self.topics)}

    @cached_property
    def _by_uri(self) -> dict[str, Question | Topic]:
        pages: tuple[Question | Topic, ...] = (*self.questions, *self.topics)
        return {p.src_uri: p for p in pages}

    @cached_property
    def _on_topic(self) -> dict[str, tuple[Question, ...]]:
        listed: dict[str, list[Question]] = {}
        for q in self.questions:
            for topic_id in dict.fromkeys(q.topics):
                listed.setdefault(topic_id, []).append(q)
        return {t: tuple(qs) for t, qs in listed.items()}

    def question(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    def topic(self, topic_id: str) -> Topic | None:
        return self._topics_by_id.get(topic_id)

    def page(self, src_uri: str) -> Question | Topic | None:
        """The record of the page at ``src_uri`` (below ``docs/``), if any."""
        return self._by_uri.get(src_uri)

    def questions_on(self, topic_id: str) -> tuple[Question, ...]:
        return self._on_topic.get(topic_id, ())

    def topic_label(self, topic_id: str) -> str:
        """Title of the topic's page, or its id when it has none yet."""
        topic = self.topic(topic_id)
        return topic.title if topic is not None else topic_id


class _Fields:
    """Typed access to the front matter of a page already checked."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def _fail(self, name: str) -> CatalogError:
        return CatalogError(
            f"{display(self.page.path)}: field {name!r} is invalid (run"
            " `python scripts/check_content.py` for details)"
        )

    def text(self, name: str, default: str | None = None) -> str:
        value = self.page.meta.get(name, default)
        if not isinstance(value, str):
            raise self._fail(name)
        return value

    def texts(self, name: str, required: bool = True) -> tuple[str, ...]:
        value = self.page.meta.get(name, None if required else [])
        if not isinstance(value, list) or not all(
            isinstance(v, str) for v in value
        ):
            raise self._fail(name)
        return tuple(value)

    def date(self, name: str) -> date:
        try:
            return date.fromisoformat(self.text(name))
        except ValueError:
            raise self._fail(name) from None


def _url(src_uri: str, docs_dir: Path, use_directory_urls: bool) -> str:
    """URL MkDocs gives the page ``src_uri``, relative to the site root."""
    docs = str(docs_dir)
    return File(src_uri, docs, docs, use_directory_urls).url


def _src_uri(path: Path, docs_dir: Path) -> str:
    return path.relative_to(docs_dir).as_posix()


def load_question(
    page: Page, docs_dir: Path, use_directory_urls: bool = True
) -> Question:
    """Build the record of a checked question page."""
    f = _Fields(page)
    src_uri = _src_uri(page.path, docs_dir)
    return Question(
        id=f.text("id"),
        title=f.text("title"),
        prompt=f.text("prompt"),
        difficulty=f.text("difficulty"),
        type=f.text("type"),
        topics=f.texts("topics"),
        summary=f.text("summary"),
        origin=f.text("origin"),
        related=f.texts("related", required=False),
        applies_to=f.text("applies_to"),
        last_reviewed=f.date("last_reviewed"),
        sources=f.texts("sources"),
        path=page.path,
        src_uri=src_uri,
        url=_url(src_uri, docs_dir, use_directory_urls),
    )


def load_topic(
    page: Page, docs_dir: Path, use_directory_urls: bool = True
) -> Topic:
    """Build the record of a checked topic page."""
    f = _Fields(page)
    src_uri = _src_uri(page.path, docs_dir)
    return Topic(
        id=f.text("id"),
        title=f.text("title"),
        section=f.text("section"),
        summary=f.text("summary"),
        sources=f.texts("sources"),
        path=page.path,
        src_uri=src_uri,
        url=_url(src_uri, docs_dir, use_directory_urls),
    )


def _parse(path: Path) -> Page:
    try:
        return parse_page(path)
    except PageError as exc:
        raise CatalogError(f"{display(path)}:{exc}") from None


def load_catalog(
    docs_dir: Path = DOCS,
    *,
    taxonomy: Taxonomy | None = None,
    use_directory_urls: bool = True,
) -> Catalog:
    """Load every question and topic page below ``docs_dir``.

    Raises:
        CatalogError: on a page that does not pass ``check_content``.
    """
    taxonomy = taxonomy or load_taxonomy()
    questions = [
        load_question(_parse(p), docs_dir, use_directory_urls)
        for p in question_paths(docs_dir)
    ]
    order = {tid: i for i, tid in enumerate(taxonomy.topic_ids)}
    topics = [
        load_topic(_parse(p), docs_dir, use_directory_urls)
        for p in topic_paths(docs_dir)
    ]
    records: list[Question | Topic] = [*questions, *topics]
    for record in records:
        if record.id != record.path.stem:
            raise CatalogError(
                f"{display(record.path)}: id {record.id!r} is not the file name"
            )
    unknown = [t.id for t in topics if t.id not in order] + [
        tid for q in questions for tid in q.topics if tid not in order
    ]
    if unknown:
        raise CatalogError(f"topic ids not in the taxonomy: {unknown}")
    return Catalog(
        taxonomy=taxonomy,
        questions=tuple(sorted(questions, key=_sort_key)),
        topics=tuple(sorted(topics, key=lambda t: order[t.id])),
    )
