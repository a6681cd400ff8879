"""The contribution machinery of the repository.

* GitHub workflows: each parses; permissions are set at the top level and
  read-only there; a job may write only to Pages, and only when it deploys;
  no ``pull_request_target``; every action is pinned to a version tag or a
  commit SHA; CI runs ``make test`` on pull requests and pushes; Pages builds
  ``make site`` on main and publishes ``site/`` with the offline zip; a
  scheduled workflow runs ``make check-external-links``.
* The pre-commit configuration has the hooks CONTRIBUTING.md promises.
* The pull-request template repeats CONTRIBUTING.md's checklist, and the
  issue forms exist (a correction requires a source).
* Every built page from a file of ``docs/`` has an "edit this page" and a
  "view source" link to that very file, and no page carries the repository
  widget that would make the browser call the GitHub API.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import ROOT, Build

WORKFLOWS = ROOT / ".github" / "workflows"
TEMPLATES = ROOT / ".github" / "ISSUE_TEMPLATE"
REPOSITORY = "https://github.com/stream-processing-handbook/handbook"
EDIT_BASE = f"{REPOSITORY}/edit/main/docs/"
VIEW_BASE = f"{REPOSITORY}/raw/main/docs/"
#: owner/repo[/path]@ a version tag (v4, v4.1, v4.1.2) or a full commit SHA.
PINNED = re.compile(
    r"^[\w.-]+/[\w.-]+(?:/[^@\s]+)?@(?:v\d+(?:\.\d+){0,2}|[0-9a-f]{40})$"
)
#: The only scopes a job may write, and only to deploy to Pages.
DEPLOY_WRITES = {"pages", "id-token"}


# --------------------------------------------------------------------------
# Reading workflows
# --------------------------------------------------------------------------


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The ``on:`` section as a mapping (YAML 1.1 reads the key as True)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), f"no usable 'on:' section: {on!r}"
    return on


def jobs(workflow: dict[Any, Any]) -> dict[str, dict[str, Any]]:
    found = workflow.get("jobs")
    assert isinstance(found, dict) and found, "no jobs"
    return found


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps") or [])


def uses(workflow: dict[Any, Any]) -> list[str]:
    """Every action or reusable workflow the workflow runs."""
    found = []
    for job in jobs(workflow).values():
        if "uses" in job:
            found.append(str(job["uses"]))
        found += [str(s["uses"]) for s in steps(job) if "uses" in s]
    return found


def runs(job: dict[str, Any]) -> list[str]:
    """The shell lines of a job's ``run:`` steps."""
    return [
        line.strip()
        for step in steps(job)
        for line in str(step.get("run", "")).splitlines()
        if line.strip()
    ]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any] | None:
    for step in steps(job):
        if str(step.get("uses", "")).startswith(action + "@"):
            return step
    return None


@pytest.fixture(scope="module")
def workflows() -> dict[str, dict[Any, Any]]:
    found = {
        path.name: load_yaml(path)
        for path in sorted(WORKFLOWS.glob("*.y*ml"))
        if path.suffix in {".yml", ".yaml"}
    }
    assert found, f"no workflow in {WORKFLOWS}"
    return found


def test_the_three_workflows_exist(workflows: dict[str, Any]) -> None:
    assert {"ci.yml", "pages.yml", "links.yml"} <= set(workflows)


def test_every_workflow_parses_into_named_jobs(
    workflows: dict[str, Any],
) -> None:
    for name, workflow in workflows.items():
        assert isinstance(workflow, dict), name
        assert workflow.get("name"), f"{name}: give the workflow a name"
        triggers(workflow)
        for job_id, job in jobs(workflow).items():
            assert job.get("runs-on"), f"{name}: {job_id} has no runs-on"
            assert job.get("timeout-minutes"), (
                f"{name}: {job_id} needs timeout-minutes"
            )


def test_no_workflow_uses_pull_request_target(
    workflows: dict[str, Any],
) -> None:
    for name, workflow in workflows.items():
        assert "pull_request_target" not in triggers(workflow), name
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert "pull_request_target" not in text, name


def test_top_level_permissions_are_read_only(
    workflows: dict[str, Any],
) -> None:
    for name, workflow in workflows.items():
        permissions = workflow.get("permissions")
        assert isinstance(permissions, dict), (
            f"{name}: set top-level permissions scope by scope (not"
            f" {permissions!r})"
        )
        assert permissions.get("contents") == "read", name
        assert set(permissions.values()) <= {"read", "none"}, name


def test_only_the_pages_deployment_writes(workflows: dict[str, Any]) -> None:
    writers = []
    for name, workflow in workflows.items():
        for job_id, job in jobs(workflow).items():
            permissions = job.get("permissions", {})
            assert isinstance(permissions, dict), f"{name}: {job_id}"
            assert set(permissions.values()) <= {"read", "write", "none"}
            writes = {k for k, v in permissions.items() if v == "write"}
            if writes:
                writers.append((name, job_id))
                assert writes <= DEPLOY_WRITES, f"{name}: {job_id}: {writes}"
                assert step_using(job, "actions/deploy-pages"), (
                    f"{name}: {job_id} writes but does not deploy Pages"
                )
    assert writers == [("pages.yml", "deploy")]


def test_every_action_is_pinned_to_a_version(
    workflows: dict[str, Any],
) -> None:
    for name, workflow in workflows.items():
        actions = uses(workflow)
        assert actions, name
        unpinned = [a for a in actions if not PINNED.match(a)]
        assert unpinned == [], f"{name}: pin these to a tag or SHA"


@pytest.mark.parametrize(
    "action",
    ["actions/checkout@v4", "org/repo/path@v1.2.3", "a/b@" + "0f" * 20],
)
def test_pin_pattern_accepts(action: str) -> None:
    assert PINNED.match(action)


@pytest.mark.parametrize(
    "action",
    ["actions/checkout@main", "actions/checkout", "a/b@latest", "a/b@v4-x"],
)
def test_pin_pattern_rejects(action: str) -> None:
    assert not PINNED.match(action)


def test_ci_runs_make_test_on_pull_requests_and_pushes(
    workflows: dict[str, Any],
) -> None:
    ci = workflows["ci.yml"]
    assert {"pull_request", "push"} <= set(triggers(ci))
    assert any("make test" in runs(job) for job in jobs(ci).values())


def test_pages_publishes_the_site_with_the_offline_zip(
    workflows: dict[str, Any],
) -> None:
    pages = workflows["pages.yml"]
    push = triggers(pages)["push"]
    assert push["branches"] == ["main"]
    build = next(j for j in jobs(pages).values() if "make site" in runs(j))
    upload = step_using(build, "actions/upload-pages-artifact")
    assert upload is not None
    assert str(upload["with"]["path"]).rstrip("/") == "site"
    order = [str(s.get("run", s.get("uses"))) for s in steps(build)]
    assert order.index("make site") < order.index(str(upload["uses"]))
    # The zip the Makefile writes is inside site/, and the job checks it.
    zip_path = re.search(
        r"^ZIP\s*:=\s*(\S+)$",
        (ROOT / "Makefile").read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    assert zip_path is not None
    assert zip_path[1] == "site/downloads/handbook-offline.zip"
    assert f"test -s {zip_path[1]}" in runs(build)
    deploy = jobs(pages)["deploy"]
    assert step_using(deploy, "actions/deploy-pages")
    build_id = next(k for k, v in jobs(pages).items() if v is build)
    assert deploy["needs"] in (build_id, [build_id])


def test_external_links_are_checked_on_a_schedule_only(
    workflows: dict[str, Any],
) -> None:
    links = workflows["links.yml"]
    schedule = triggers(links)["schedule"]
    assert schedule and all(entry.get("cron") for entry in schedule)
    assert any(
        "make check-external-links" in runs(job) for job in jobs(links).values()
    )
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^check-external-links:", makefile, re.MULTILINE)
    test_target = re.search(r"^test:(.*)$", makefile, re.MULTILINE)
    assert test_target is not None
    assert "check-external-links" not in test_target[1]
    ci = workflows["ci.yml"]
    assert not any(
        "make check-external-links" in runs(job) for job in jobs(ci).values()
    )


# --------------------------------------------------------------------------
# pre-commit
# --------------------------------------------------------------------------


def locked_version(package: str) -> str:
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    found = re.search(rf"^{package}==(\S+)$", lock, re.MULTILINE)
    assert found is not None, f"{package} is not in requirements.lock"
    return found[1]


def test_pre_commit_has_the_promised_hooks() -> None:
    config = load_yaml(ROOT / ".pre-commit-config.yaml")
    hooks = {
        hook["id"]: (repo, hook)
        for repo in config["repos"]
        for hook in repo["hooks"]
    }
    assert {
        "trailing-whitespace",
        "end-of-file-fixer",
        "ruff-format",
        "codespell",
        "check-content",
    } <= set(hooks)
    assert "ruff-check" in hooks or "ruff" in hooks
    for repo in config["repos"]:
        if repo["repo"] != "local":
            assert re.fullmatch(r"v\d+(\.\d+)*", repo["rev"]), repo["repo"]
    ruff_repo, _ = hooks["ruff-format"]
    assert ruff_repo["rev"] == "v" + locked_version("ruff")
    # The spell checker reads the project's word list.
    _, codespell = hooks["codespell"]
    words_args = [a for a in codespell["args"] if a.startswith("--ignore-")]
    assert words_args == ["--ignore-words=.codespell-words.txt"]
    # The content check runs on changed question and topic pages only.
    _, content = hooks["check-content"]
    assert content["entry"].endswith("scripts/check_content.py")
    files = re.compile(content["files"])
    assert files.search("docs/questions/a-question.md")
    assert files.search("docs/topics/watermarks.md")
    for other in ["docs/index.md", "docs/contributing/a.md", "scripts/x.py"]:
        assert not files.search(other), other
    assert re.search(config["exclude"], "tests/content/fixtures/bad/x.md")


def test_word_list_is_sorted_lowercase_words() -> None:
    text = (ROOT / ".codespell-words.txt").read_text(encoding="utf-8")
    words = text.splitlines()
    assert words and text.endswith("\n")
    assert all(re.fullmatch(r"[a-z][a-z'-]*", w) for w in words), words
    assert words == sorted(set(words))


# --------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------


def checklist(path: Path) -> list[str]:
    return [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("- [ ] ")
    ]


def test_pull_request_template_repeats_the_contributing_checklist() -> None:
    contributing = checklist(ROOT / "CONTRIBUTING.md")
    assert len(contributing) >= 8
    assert checklist(ROOT / ".github/pull_request_template.md") == (
        contributing
    )


@pytest.mark.parametrize(
    "name", ["new-question.yml", "correction.yml", "site-bug.yml"]
)
def test_issue_forms(name: str) -> None:
    form = load_yaml(TEMPLATES / name)
    assert form["name"] and form["description"]
    fields = [f for f in form["body"] if f["type"] != "markdown"]
    ids = [f["id"] for f in fields]
    assert len(ids) == len(set(ids)), name
    assert any(f.get("validations", {}).get("required") for f in fields)


def test_a_correction_requires_its_source() -> None:
    form = load_yaml(TEMPLATES / "correction.yml")
    source = next(f for f in form["body"] if f.get("id") == "source")
    assert source["validations"]["required"] is True


# --------------------------------------------------------------------------
# Edit and view-source links of the built pages
# --------------------------------------------------------------------------


class Buttons(HTMLParser):
    """The edit and view buttons of a page, and any repository widget."""

    def __init__(self) -> None:
        super().__init__()
        self.edit: list[str] = []
        self.view: list[str] = []
        self.widget = False

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        found = {name: value or "" for name, value in attrs}
        if found.get("data-md-component") == "source":
            self.widget = True
        if tag != "a" or "md-content__button" not in found.get("class", ""):
            return
        if found.get("rel") == "edit":
            self.edit.append(found.get("href", ""))
        else:
            self.view.append(found.get("href", ""))


def source_of(page: Path, site: Path) -> str | None:
    """The file below docs/ that a built page comes from, if any."""
    relative = page.relative_to(site)
    if relative.name != "index.html":
        return None
    folder = relative.parent.as_posix()
    candidates = (
        ["index.md"]
        if folder == "."
        else [f"{folder}.md", f"{folder}/index.md"]
    )
    for candidate in candidates:
        if (ROOT / "docs" / candidate).is_file():
            return candidate
    return None


def test_config_has_edit_links_and_no_repo_url() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(
        rf"^edit_uri: {re.escape(EDIT_BASE)}$", config, re.MULTILINE
    )
    assert not re.search(r"^repo_url\s*:", config, re.MULTILINE)


def test_every_page_links_to_its_source_file(online_build: Build) -> None:
    linked = set()
    for page in sorted(online_build.site.rglob("*.html")):
        buttons = Buttons()
        buttons.feed(page.read_text(encoding="utf-8"))
        name = str(page.relative_to(online_build.site))
        assert not buttons.widget, f"{name}: repository widget (repo_url)"
        source = source_of(page, online_build.site)
        if source is None:
            # Generated pages (the question index, 404) have no file.
            assert buttons.edit == buttons.view == [], name
            continue
        # Material builds the view link by replacing "edit" with "raw" in
        # the whole address: a file path containing "edit" would break it.
        assert buttons.edit == [EDIT_BASE + source], name
        assert buttons.view == [VIEW_BASE + source], name
        linked.add(source)
    docs = ROOT / "docs"
    pages = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    assert linked == pages


def test_a_topic_page_has_both_links(online_build: Build) -> None:
    html = (online_build.site / "topics/time-semantics/index.html").read_text(
        encoding="utf-8"
    )
    assert (
        f'<a href="{EDIT_BASE}topics/time-semantics.md" title="Edit this page"'
    ) in html
    assert (
        f'<a href="{VIEW_BASE}topics/time-semantics.md"'
        ' title="View source of this page"'
    ) in html
