"""Browser helpers shared by the browser tests and their fixtures.

Kept out of conftest.py: each test folder has a conftest, and importing
``conftest`` by name would pick whichever was loaded first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

# Shadow roots that Material closes around each diagram are kept here, so
# tests can look at the rendered SVG.
CAPTURE_SHADOW_ROOTS = """
(() => {
  const attach = Element.prototype.attachShadow;
  window.__shadowRoots = [];
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    window.__shadowRoots.push(root);
    return root;
  };
})();
"""


@contextlib.contextmanager
def open_page(
    browser: Any, requests: list[str], **context_options: Any
) -> Iterator[Any]:
    """A page in a new context that logs every request into ``requests``
    and fails the test on any JavaScript error."""
    context = browser.new_context(**context_options)
    context.add_init_script(CAPTURE_SHADOW_ROOTS)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    opened.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def reveal_diagrams(page: Any) -> None:
    """Scroll the first diagram into view: diagrams are drawn (and the
    mermaid bundle fetched) only when one comes near the viewport."""
    page.evaluate("document.querySelector('.mermaid')?.scrollIntoView()")
