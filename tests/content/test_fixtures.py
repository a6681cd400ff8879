# The expected lines are exact messages, kept whole so they can be grepped.
# ruff: noqa: E501
"""Each malformed page is rejected with exactly these lines, and no other.

The fixtures are pages derived from the valid ones in fixtures/valid/ with
one thing broken each (several-problems.md breaks several at once). A line
is ``path:line: field-or-section: message (how to fix)``; the path prefix
``tests/content/fixtures/`` is added by the test.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from check_content import check_paths

FIXTURES = Path(__file__).with_name("fixtures")
PREFIX = "tests/content/fixtures/"

EXPECTED: dict[str, list[str]] = {
    "questions/attr-list-handler.md": [
        "50: Follow-up questions: event handler attribute 'onmouseover=' is not allowed (remove it; pages cannot run scripts)",
    ],
    "questions/bad-date.md": [
        "12: last_reviewed: '2026-02-30' is not a real date (write YYYY-MM-DD)",
    ],
    "questions/bad-difficulty.md": [
        "6: difficulty: 'Medium' is not allowed (did you mean 'medium'? allowed: easy, medium, hard)",
    ],
    "questions/bad-id-format.md": [
        "2: id: 'Bad_ID_Format' is not kebab-case (use lowercase letters, digits and single hyphens)",
    ],
    "questions/coding-without-solution.md": [
        "34: Solution: missing section, required for coding questions (add '## Solution' before '## Complexity')",
    ],
    "questions/duplicate-field.md": [
        "11: origin: field given twice (first on line 10; keep one)",
    ],
    "questions/duplicate-section.md": [
        "37: Pitfalls: section appears twice (first on line 33; merge them)",
    ],
    "questions/duplicate/second/duplicate-id.md": [
        "2: id: 'duplicate-id' is already used by tests/content/fixtures/questions/duplicate/first/duplicate-id.md (choose another id and rename the file to match)",
    ],
    "questions/extra-section.md": [
        "44: Gotchas: not a section of a question page (allowed: Short answer, Explanation, Solution, Complexity, Trade-offs, Pitfalls, Follow-up questions, Further reading; use ### for a subsection)",
    ],
    "questions/h1-in-body.md": [
        "17: body: H1 heading 'A valid coding question' (the build renders the title from the front matter; remove it or use ##)",
    ],
    "questions/http-source.md": [
        "15: sources: 'http://kafka.apache.org/documentation/#producerconfigs' is not an https URL (link the https page)",
    ],
    "questions/id-mismatch.md": [
        "2: id: 'some-other-question' does not match the file name 'id-mismatch.md' (rename the file to some-other-question.md or set id: id-mismatch)",
    ],
    "questions/invalid-yaml.md": [
        "3: front matter: invalid YAML: mapping values are not allowed here (fix the YAML syntax; quote values that contain ': ' or start with a special character)",
    ],
    "questions/javascript-link.md": [
        "50: Follow-up questions: 'javascript:' URL is not allowed (link to a page or an https URL)",
    ],
    "questions/missing-field.md": [
        "1: summary: missing required field (add 'summary: ...' to the front matter)",
    ],
    "questions/missing-section.md": [
        "44: Pitfalls: missing section (add '## Pitfalls' before '## Follow-up questions')",
    ],
    "questions/missing-snippet-file.md": [
        "37: Solution: snippet file 'tests/content/fixtures/snippets/missing.py' not found (paths are relative to snippets/ or the repository root)",
    ],
    "questions/missing-snippet-section.md": [
        "37: Solution: no section 'nope' in tests/content/fixtures/snippets/demo.py (add '# --8<-- [start:nope]' and '# --8<-- [end:nope]' around the code)",
    ],
    "questions/no-front-matter.md": [
        "1: front matter: missing (start the page with a '---' line, the fields, then a closing '---' line)",
    ],
    "questions/not-a-mapping.md": [
        "2: front matter: must be a mapping of fields (name: value), got a list (write one 'name: value' line per field)",
    ],
    "questions/onclick.md": [
        "26: Explanation: event handler attribute 'onclick=' is not allowed (remove it; pages cannot run scripts)",
    ],
    "questions/script-tag.md": [
        "25: Explanation: raw <script> is not allowed (pages are untrusted: no scripts or embeds; show code in a fenced block)",
    ],
    "questions/sections-out-of-order.md": [
        "30: Short answer: out of order (move it before '## Explanation'; order: Short answer, Explanation, Solution, Complexity, Trade-offs, Pitfalls, Follow-up questions, Further reading)",
    ],
    "questions/several-problems.md": [
        "6: difficulty: 'extreme' is not allowed (allowed: easy, medium, hard)",
        "8: topics: unknown topic 'nope' (topic ids are listed in scripts/taxonomy.yml)",
        "8: topics: 'partitioning' is listed twice (remove one)",
        "25: Explanation: raw <iframe> is not allowed (pages are untrusted: no scripts or embeds; show code in a fenced block)",
        "50: Follow-up questions: 'FIXME' marker left in the page (finish the text and remove the marker)",
    ],
    "questions/snippet-by-lines.md": [
        "37: Solution: snippet 'tests/content/fixtures/snippets/demo.py:3:6' includes by line numbers (mark a named section in tests/content/fixtures/snippets/demo.py and include 'tests/content/fixtures/snippets/demo.py:<section>')",
    ],
    "questions/snippet-section-not-closed.md": [
        "37: Solution: section 'open' in tests/content/fixtures/snippets/demo.py has no '[end:open]' marker (add '# --8<-- [end:open]')",
    ],
    "questions/solution-without-complexity.md": [
        "31: Complexity: missing section, required with '## Solution' (add '## Complexity' before '## Trade-offs')",
    ],
    "questions/system-design-without-mermaid.md": [
        "6: type: system-design questions need a Mermaid diagram (add a ```mermaid block under ## Explanation)",
    ],
    "questions/todo-marker.md": [
        "50: Follow-up questions: 'TODO' marker left in the page (finish the text and remove the marker)",
    ],
    "questions/topics-not-a-list.md": [
        "8: topics: must be a list, got text (write [partitioning])",
    ],
    "questions/unclosed-front-matter.md": [
        "1: front matter: not closed (add a '---' line after the fields)",
    ],
    "questions/unknown-field-typo.md": [
        "11: relatd: unknown field (did you mean 'related'? allowed: id, title, prompt, difficulty, type, topics, summary, origin, related, applies_to, last_reviewed, sources)",
    ],
    "questions/unknown-related.md": [
        "11: related: no question with id 'question-that-does-not-exist' (use the id of an existing question page)",
    ],
    "questions/unknown-topic.md": [
        "8: topics: unknown topic 'watermark' (did you mean 'watermarks'? topic ids are listed in scripts/taxonomy.yml)",
    ],
    "topics/joins.md": [
        "1: diagram: topic pages need a Mermaid diagram (add a ```mermaid block, e.g. under ## How it works)",
    ],
    "topics/not-in-taxonomy.md": [
        "2: id: 'not-in-taxonomy' is not a topic of scripts/taxonomy.yml (use an id listed there, or add the topic there first)",
    ],
    "topics/ordering.md": [
        "42: Code: out of order (move it before '## Further reading')",
    ],
    "topics/scaling.md": [
        "42: Questions on this topic: generated by the build (remove it)",
    ],
    "topics/watermarks.md": [
        "4: section: 'watermarks' is listed under 'processing' in scripts/taxonomy.yml (set section: processing)",
    ],
    "topics/windowing.md": [
        "28: In the engines: missing section (add '## In the engines' before '## Pitfalls')",
    ],
    "questions/duplicate/first/duplicate-id.md": [],
    "valid/questions/valid-coding-question.md": [],
    "valid/questions/valid-system-design.md": [],
    "valid/topics/partitioning.md": [],
}


@pytest.fixture(scope="module")
def found() -> dict[str, list[str]]:
    """Every problem of every fixture, checked together, by fixture."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for problem in check_paths([FIXTURES], docs_dir=FIXTURES / "valid"):
        assert problem.path.startswith(PREFIX), problem
        grouped[problem.path.removeprefix(PREFIX)].append(str(problem))
    return grouped


def test_every_fixture_has_its_expectation() -> None:
    pages = {p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.md")}
    assert pages == set(EXPECTED)
    assert sum(1 for lines in EXPECTED.values() if lines) >= 18


def test_no_problem_outside_the_fixtures(found: dict[str, list[str]]) -> None:
    assert set(found) <= set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_gets_exactly_its_lines(
    name: str, found: dict[str, list[str]]
) -> None:
    assert found.get(name, []) == [
        f"{PREFIX}{name}:{line}" for line in EXPECTED[name]
    ]
