"""The gateway's page in a real browser: a key, a knowledge-base question with its
streamed answer and sources, an upload then a question about it, the "would this stay
local?" box, error lines, safe rendering, keyboard and narrow screens."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.support.flags import flag
from tests.support.gateway import RunningGateway, run_gateway

pytestmark = pytest.mark.integration

SETTINGS = {"llm": {"temperature": 0.0, "seed": 0, "max_tokens": 32}}
HOSTILE = {
    "hostile.md": "# Visitor badges\n\nVisitor badges are printed at reception."
    ' <img src=x onerror="window.__pwned=1"> <script>window.__pwned=1</script>'
}
SHOTS = flag("INHOUSE_SCREENSHOT_DIR")
"""Set to a folder to keep the README's screenshots from this run."""


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    root = tmp_path_factory.mktemp("gw-web")
    hostile = root / "hostile"
    hostile.mkdir()
    for name, text in HOSTILE.items():
        (hostile / name).write_text(text)
    with run_gateway(
        root,
        SETTINGS,
        folders={"demo": [REPO / "data/corpus", hostile]},
        keys=(("alice", "--kb", "demo", "--write-kb", "demo"),),
    ) as running:
        yield running


def sign_in(page, gateway: RunningGateway, key: str | None = None) -> None:
    page.goto(gateway.url + "/")
    page.get_by_label("API key", exact=True).fill(key or gateway.keys["alice"])
    page.get_by_role("button", name="Use key").click()


def ask(page, question: str, model: str = "kb:demo") -> object:
    page.wait_for_selector(f'#model option[value="{model}"]', state="attached")
    page.get_by_label("Model", exact=True).select_option(model)
    page.get_by_label("Message", exact=True).fill(question)
    page.get_by_label("Message", exact=True).press("Enter")
    answer = page.locator("li.turn.assistant").last
    answer.wait_for()
    page.wait_for_selector("li.turn.assistant:last-child[data-done=true]")
    return answer


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=False)


def test_ask_a_knowledge_base_and_see_its_sources(page, gateway) -> None:
    sign_in(page, gateway)
    answer = ask(page, "What is the minimum length for a password?")
    assert answer.locator(".body").inner_text().strip()
    badge = answer.locator(".badge").inner_text()
    assert badge.startswith("Local") and "kb_context" in badge
    first = answer.locator(".sources summary").first
    assert "information-security-policy.pdf" in first.inner_text()
    assert "page" in first.inner_text() and "score" in first.inner_text()
    first.click()
    passage = answer.locator(".sources details").first.locator(".passage")
    passage.wait_for()
    assert "password" in passage.inner_text().lower()
    shot(page, "web-page.png")


def test_upload_a_file_then_ask_about_it(page, gateway, tmp_path) -> None:
    sign_in(page, gateway)
    note = tmp_path / "canteen.md"
    note.write_text("# Canteen\n\nThe canteen serves lunch from 11:45 to 14:00 on weekdays.")
    page.wait_for_selector('#upload-kb option[value="demo"]', state="attached")
    page.get_by_label("Knowledge base", exact=True).select_option("demo")
    page.get_by_label("Files", exact=True).set_input_files(str(note))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("#upload-report[data-done=true]")
    assert "added: canteen.md" in page.locator("#upload-report").inner_text()
    answer = ask(page, "When does the canteen serve lunch?")
    assert "canteen.md" in answer.locator(".sources summary").first.inner_text()


def test_would_this_stay_local(page, gateway) -> None:
    sign_in(page, gateway)
    page.get_by_label("Text to check (no model is called)").fill(
        "Mail jane.doe@example.com and charge card 4111 1111 1111 1111 for the order."
    )
    page.get_by_role("button", name="Check").click()
    result = page.locator("#check-result")
    page.locator("#check-result[data-target]").wait_for()
    text = result.inner_text()
    assert text.startswith("Stays local") and "email" in text and "card" in text
    assert "jane" not in text and "4111" not in text


def test_a_wrong_key_shows_one_clear_line(page, gateway) -> None:
    sign_in(page, gateway, key="ih-not-the-key")
    status = page.locator("#status")
    status.wait_for()
    text = status.inner_text()
    assert text.startswith("The API key was not accepted (401)") and "\n" not in text


@pytest.mark.parametrize("status,error,expected", [
    (503, {"message": "the local model is busy (3 requests waiting); retry shortly",
           "code": "queue_full"}, "The gateway is busy (503): the local model is busy"),
    (403, {"message": "this request carries sensitive data (email), so it was not sent to"
           " the cloud model", "code": "sensitive_request"}, "Refused (403): this request"),
    (404, {"message": "The model 'kb:demo' does not exist", "code": "model_not_found"},
     "Not found (404)"),
])  # fmt: skip
def test_gateway_errors_are_one_line(page, gateway, status, error, expected) -> None:
    """The gateway's real error bodies for these cases are tested in tests/gateway; here
    the page is given them (as the gateway sends them) to check how it shows them."""
    sign_in(page, gateway)
    page.wait_for_selector('#model option[value="kb:demo"]', state="attached")
    body = json.dumps({"error": {"type": "invalid_request_error", "param": None, **error}})
    page.route("**/v1/chat/completions", lambda route: route.fulfill(
        status=status, body=body, content_type="application/json",
        headers={"Retry-After": "2"} if status == 503 else {}))  # fmt: skip
    page.get_by_label("Message", exact=True).fill("hello")
    page.get_by_label("Message", exact=True).press("Enter")
    page.locator("#status").wait_for(state="visible")
    text = page.locator("#status").inner_text()
    assert text.startswith(expected) and "\n" not in text
    if status == 503:
        assert text.endswith("Retry in 2 s.")
    assert page.locator("li.turn.assistant").count() == 0  # no broken half-answer left


def test_nothing_from_documents_or_models_runs_as_html(page, gateway) -> None:
    sign_in(page, gateway)
    answer = ask(page, "Where are visitor badges printed?")
    answer.locator(".sources summary").first.wait_for()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#log img, #log script").count() == 0
    rendered = page.evaluate(
        "window.inhouseMarkdown.render('<img src=x onerror=alert(1)> **bold** [a](javascript:x)')"
    )
    assert "&lt;img" in rendered and "<strong>bold</strong>" in rendered
    assert "href" not in rendered


def test_keyboard_labels_and_narrow_screens(page, gateway) -> None:
    sign_in(page, gateway)
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input, select, textarea')]
             .filter(el => !el.labels || el.labels.length === 0).map(el => el.id)"""
    )
    assert unlabelled == []
    page.reload()  # the key stays (session storage); focus starts at the top
    page.wait_for_selector('#model option[value="kb:demo"]', state="attached")
    page.keyboard.press("Tab")  # the skip link first
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "message"
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    answer = ask(page, "What is the minimum length for a password?")
    assert answer.locator(".sources summary").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "web-page-narrow.png")
