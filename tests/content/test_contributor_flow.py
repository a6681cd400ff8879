"""A contributor's path through CONTRIBUTING.md, with its own commands.

The commands are read from the guide's ``sh`` blocks, not restated here: in
a copy of the repository, the documented scaffold command creates a coding
question, the documented check rejects the scaffold, a contributor fills
every section and the demo with real text and code, and then the documented
check passes, the demo prints exactly its ``# >`` lines, and the strict build
publishes the page with its edit link. ``test_new_question.py`` covers the
scaffold's refusals and options; this test covers the guide.
"""

from __future__ import annotations

import re
import shlex
import textwrap
from pathlib import Path

import pytest
from helpers import require
from sitecopy import ROOT, build, make_site_copy, run
from snippet_output import expected_output

CONTRIBUTING = ROOT / "CONTRIBUTING.md"
PYTHON = ".venv/bin/python"
EDIT_BASE = (
    "https://github.com/stream-processing-handbook/handbook/edit/main/docs/"
)

FRONT_MATTER = {
    "prompt": "Your Kafka consumers fall behind at peak hours. How do you"
    " measure consumer lag per partition, and when should it page someone?",
    "summary": "Lag is the log end offset minus the committed offset, per"
    " partition; alert on its trend, not on one sample.",
    "applies_to": "Kafka 3.x-4.x",
    "sources": "https://kafka.apache.org/documentation/",
}

SECTIONS = {
    "Short answer": "Lag is measured per partition: the log end offset minus"
    " the last committed offset of the group. Sum it per topic for a"
    " dashboard, but alert on the largest partition and on growth over"
    " several minutes, because one hot partition hides in a total.",
    "Explanation": "The broker knows the log end offset of every partition"
    " and the offsets each group committed, so lag needs no help from the"
    " consumers. A single sample says little: lag spikes during a rebalance"
    " or a deployment and recovers by itself. Alert when the lag of a"
    " partition keeps growing over a window, or when the time lag (how old"
    " the oldest unprocessed record is) passes the freshness the downstream"
    " feature pipeline needs.",
    "Solution": "The function takes the end offsets and the committed offsets"
    " per partition. A partition without a commit counts from offset zero"
    " here; a real check would start from the log start offset.",
    "Complexity": "Linear in the number of partitions, in time and in space."
    " Polling every partition of every group is cheap for the broker at a"
    " one-minute interval; per-second polling of thousands of groups is not.",
    "Trade-offs": "| signal | catches | misses |\n|---|---|---|\n"
    "| offset lag | backlogs | how late the data is |\n"
    "| time lag | staleness | a burst that drains fast |",
    "Pitfalls": "Summing lag over partitions hides a stuck partition, and"
    " alerting on one sample pages people for every rebalance.",
    "Follow-up questions": "- How would you compute time lag from offsets?\n"
    "- What changes when the consumer commits only every few minutes?",
    "Further reading": "- [Kafka operations: consumer lag]"
    "(https://kafka.apache.org/documentation/)",
}

SOLUTION = '''\
def lag(end: dict[int, int], committed: dict[int, int]) -> dict[int, int]:
    """Per partition: log end offset minus committed offset."""
    return {p: end[p] - committed.get(p, 0) for p in sorted(end)}


end_offsets = {0: 120, 1: 80, 2: 45}
committed = {0: 118, 1: 20}
print(lag(end_offsets, committed))
# > {0: 2, 1: 60, 2: 45}
print(max(lag(end_offsets, committed).values()) > 50)
# > True
'''


def documented_commands() -> list[list[str]]:
    """Every command of CONTRIBUTING.md's ``sh`` blocks, as argv lists."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    blocks = re.findall(
        r"^[ \t]*```sh\n(.*?)^[ \t]*```", text, re.MULTILINE | re.DOTALL
    )
    commands = []
    for block in blocks:
        joined = re.sub(r"\\\n[ \t]*", " ", textwrap.dedent(block))
        for line in joined.splitlines():
            argv = shlex.split(line, comments=True)
            if argv:
                commands.append(argv)
    return commands


def documented(script: str) -> list[str]:
    """The one documented command that runs ``script``, minus the python."""
    found = [c[1:] for c in documented_commands() if c[:2] == [PYTHON, script]]
    assert len(found) == 1, f"CONTRIBUTING.md should show {script} once"
    return found[0]


def fill_page(text: str) -> str:
    """Replace every TODO of the scaffold as a contributor would."""
    for field, value in FRONT_MATTER.items():
        if field == "sources":
            text = re.sub(r"https://TODO\.invalid/\S*", value, text)
        elif field == "prompt":
            text = re.sub(r"(?m)^  TODO:.*$", "  " + value, text, count=1)
        else:
            text = re.sub(
                rf"(?m)^{field}: .*TODO.*$", f"{field}: {value!r}", text
            )
    lines = text.splitlines()
    section = None
    for number, line in enumerate(lines):
        if line.startswith("## "):
            section = line[3:]
        elif line.startswith("TODO:"):
            assert section is not None
            lines[number] = SECTIONS[section]
    return "\n".join(lines) + "\n"


def fill_snippet(text: str) -> str:
    return re.sub(
        r"(?ms)^# TODO:.*?(?=^# --8<-- \[end:solution\])", SOLUTION, text
    )


def test_the_guide_documents_preview_and_test() -> None:
    commands = documented_commands()
    for target in ["serve", "test"]:
        assert ["make", target] in commands, f"make {target}"


@pytest.mark.build
def test_a_contributor_follows_the_guide(tmp_path: Path) -> None:
    require(
        "node_modules",
        (ROOT / "node_modules" / "mermaid").is_dir(),
        "run `npm ci` to install the pinned browser assets",
    )
    copy = make_site_copy(tmp_path / "repo")
    scaffold = documented("scripts/new_question.py")
    question_id = scaffold[1]
    page = copy / "docs" / "questions" / f"{question_id}.md"
    snippet = (
        copy / "snippets" / "questions" / f"{question_id.replace('-', '_')}.py"
    )

    created = run(copy, *scaffold)
    assert created.returncode == 0, created.stderr
    assert page.is_file() and snippet.is_file()
    assert f"created {page}" in created.stdout

    check = documented("scripts/check_content.py")
    assert check[1:] == [f"docs/questions/{question_id}.md"]
    rejected = run(copy, *check)
    assert rejected.returncode == 1
    assert all(
        "marker left in the page" in line
        for line in rejected.stdout.splitlines()
    )

    page.write_text(fill_page(page.read_text(encoding="utf-8")))
    snippet.write_text(fill_snippet(snippet.read_text(encoding="utf-8")))
    assert "TODO" not in page.read_text() + snippet.read_text()

    accepted = run(copy, *check)
    assert accepted.returncode == 0, accepted.stdout
    assert accepted.stdout == "check_content: OK, 1 page(s) checked\n"
    everything = run(copy, "scripts/check_content.py")
    assert everything.returncode == 0, everything.stdout

    demo = run(copy, str(snippet))
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout == expected_output(snippet.read_text())
    assert demo.stdout == "{0: 2, 1: 60, 2: 45}\nTrue\n"

    built = build(copy, copy / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    html = (copy / "site/questions" / question_id / "index.html").read_text()
    assert "Alert on consumer lag" in html
    assert "at peak hours" in html
    assert "{0: 2, 1: 60, 2: 45}" in html
    assert f'href="{EDIT_BASE}questions/{question_id}.md"' in html
    index = (copy / "site/questions/index.html").read_text()
    assert f'href="{question_id}/"' in index
