"""The playground page driven in headless Chromium: what it draws must match the API's own answer."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Response, Route, expect

from service.api.routes.playground import PLAYGROUND_CSP

pytestmark = [pytest.mark.integration, pytest.mark.browser, pytest.mark.slow]

ENRICH = "**/v1/enrich"
# Enough Tab presses to cross the header and the example buttons to any control of the form.
MAX_TABS = 40
FAILED_LOAD = "Failed to load resource: the server responded with a status of"


def run_and_capture(page: Page) -> Response:
    """Click Run and return the /v1/enrich response the page received."""
    with page.expect_response(ENRICH) as answer:
        page.get_by_test_id("run").click()
    return answer.value


def wait_for_result(page: Page) -> None:
    """Wait until the page has drawn a result."""
    page.wait_for_selector("#result-body:not([hidden])")


def drawn_marks(page: Page) -> list[tuple[str, int, int, str]]:
    """(label, start, end, text) of every entity mark in the cleaned body, in document order."""
    return page.eval_on_selector_all(
        "[data-testid=body] mark[data-label]",
        "els => els.map(e => [e.dataset.label, +e.dataset.start, +e.dataset.end, e.textContent])",
    )


def expected_marks(result: dict[str, Any]) -> list[tuple[str, int, int, str]]:
    """(label, start, end, text) of every mention of the API result, in body order."""
    mentions = [
        (entity["label"], mention["start"], mention["end"], mention["text"])
        for entity in result["entities"]
        for mention in entity["mentions"]
    ]
    return sorted(mentions, key=lambda m: (m[1], m[2]))


def drawn_removals(page: Page) -> list[tuple[str, int, int, str]]:
    """(reason, start, end, text) of every struck-through span of the input view."""
    return page.eval_on_selector_all(
        "[data-testid=removed] [data-reason]",
        "els => els.map(e => [e.dataset.reason, +e.dataset.start, +e.dataset.end, e.textContent])",
    )


def expected_removals(result: dict[str, Any], sent: str) -> list[tuple[str, int, int, str]]:
    """(reason, start, end, input slice) of the API's removals, in input order."""
    items = sorted(result["removed"], key=lambda r: (r["start"], -r["end"]))
    return [(r["reason"], r["start"], r["end"], sent[r["start"] : r["end"]]) for r in items]


def as_lists(rows: list[tuple[str, int, int, str]]) -> list[list[object]]:
    """Rows as lists, the shape JavaScript arrays come back in."""
    return [list(row) for row in rows]


def test_page_loads_with_its_policy_hooks_and_options(page: Page, server_url: str, console_errors) -> None:
    """The page is served under a self-only CSP, builds its options from the OpenAPI schema, loads cleanly."""
    response = page.request.get(f"{server_url}/playground")
    assert PLAYGROUND_CSP == response.headers["content-security-policy"]
    assert "text/html; charset=utf-8" == response.headers["content-type"]
    assert 1 == page.get_by_test_id("input").count()
    assert "Analyser" == page.get_by_test_id("run").inner_text()
    assert 1 == page.get_by_test_id("result").count()
    schema = page.request.get(f"{server_url}/schema/openapi.json").json()
    body = schema["paths"]["/v1/enrich"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    options = next(s for s in body["properties"]["options"]["anyOf"] if s["type"] == "object")
    drawn = page.eval_on_selector_all("[data-option]", "els => els.map(e => e.dataset.option)")
    assert sorted(options["properties"]) == sorted(drawn)
    labelled = page.eval_on_selector_all(
        "input, textarea, select",
        "els => els.filter(e => !(e.labels && e.labels.length) && !e.closest('label')).map(e => e.id)",
    )
    assert [] == labelled
    assert ["scraped", "html", "emoji"] == page.eval_on_selector_all(
        "[data-example]", "els => els.map(e => e.dataset.example)"
    )
    assert [] == console_errors


def test_scraped_article_is_drawn_as_the_api_answered(page: Page, article: str, console_errors) -> None:
    """Highlights, struck-through removals, topics and summary match the API's response offset for offset."""
    page.get_by_test_id("input").fill(article)
    response = run_and_capture(page)
    wait_for_result(page)
    result = response.json()
    assert 200 == response.status
    assert expected_marks(result) == [tuple(m) for m in drawn_marks(page)]
    assert as_lists(expected_removals(result, article)) == drawn_removals(page)
    assert [r["text"] for r in sorted(result["removed"], key=lambda r: r["start"])] == [
        row[3] for row in drawn_removals(page)
    ]
    assert len(result["topics"]) == page.locator("[data-testid=topics] li").count()
    assert [t["label"] for t in result["topics"]] == page.locator(
        "[data-testid=topics] li .name"
    ).all_inner_texts()
    assert [s["text"] for s in result["summary"]] == page.locator(
        "[data-testid=summary] li"
    ).all_inner_texts()
    summary_spans = page.eval_on_selector_all(
        "[data-testid=body] .summary-sentence", "els => els.map(e => [+e.dataset.start, +e.dataset.end])"
    )
    assert [[s["start"], s["end"]] for s in result["summary"]] == summary_spans
    assert response.headers["x-cache"] == page.get_by_test_id("cache").inner_text()
    reasons = page.eval_on_selector_all("[data-reason-count]", "els => els.map(e => e.dataset.reasonCount)")
    assert sorted({r["reason"] for r in result["removed"]}) == sorted(reasons)
    assert json.loads(page.get_by_test_id("raw").text_content() or "") == result
    assert [] == console_errors


def test_emoji_article_offsets_land_on_the_right_characters(
    page: Page, data_dir: Path, console_errors
) -> None:
    """With emoji and characters outside the BMP, marks and removals cover the API's code-point spans."""
    text = (data_dir / "articles" / "emoji_festival.txt").read_text(encoding="utf-8")
    page.get_by_test_id("input").fill(text)
    response = run_and_capture(page)
    wait_for_result(page)
    result = response.json()
    body = result["body"]
    # The test means something only if UTF-16 and code-point offsets differ before the marks.
    utf16 = [len(body[: m[1]].encode("utf-16-le")) // 2 for m in expected_marks(result)]
    assert any(units != m[1] for units, m in zip(utf16, expected_marks(result), strict=True))
    assert expected_marks(result) == [tuple(m) for m in drawn_marks(page)]
    for _, start, end, drawn in drawn_marks(page):
        assert body[start:end] == drawn
    assert as_lists(expected_removals(result, text)) == drawn_removals(page)
    assert "\N{MATHEMATICAL DOUBLE-STRUCK CAPITAL X} Partager sur X" in [
        row[3] for row in drawn_removals(page)
    ]
    assert text == page.get_by_test_id("removed").text_content()
    assert [] == console_errors


def test_api_error_is_shown_with_its_code(page: Page, console_errors) -> None:
    """An English text gets the API's 422 problem, shown with its code and detail instead of a result."""
    english = (
        "The city council voted on Monday evening for a record budget, with nearly a quarter of it "
        "going to public transport. The mayor defended a clear choice for the climate and for "
        "purchasing power, while the opposition criticised the level of debt of the city."
    )
    page.get_by_test_id("input").fill(english)
    response = run_and_capture(page)
    problem = response.json()
    page.wait_for_selector("[data-testid=error]:not([hidden])")
    assert (422, "unsupported_language") == (response.status, problem["code"])
    assert "unsupported_language" == page.get_by_test_id("error-code").inner_text()
    assert problem["detail"] == page.get_by_test_id("error-detail").inner_text()
    assert page.locator("#result-body").is_hidden()
    # The browser logs the failed request itself; nothing else may fail.
    assert [f"{FAILED_LOAD} 422 (Unprocessable Entity)"] == console_errors


def test_option_out_of_range_shows_the_field_path(page: Page, clean_article: str) -> None:
    """An option outside its range comes back as validation_error and the page names the field."""
    page.get_by_test_id("input").fill(clean_article)
    page.get_by_label("Phrases du résumé").fill("99")
    response = run_and_capture(page)
    page.wait_for_selector("[data-testid=error]:not([hidden])")
    assert {"text": clean_article, "options": {"summary_sentences": 99}} == json.loads(
        response.request.post_data or ""
    )
    assert "validation_error" == page.get_by_test_id("error-code").inner_text()
    paths = page.locator("[data-testid=error] li code").all_inner_texts()
    assert [e["path"] for e in response.json()["errors"]] == paths


def test_html_toggle_sends_html(page: Page) -> None:
    """With the HTML toggle on, the page sends `html` and strikes the removals through on `source_text`."""
    page.get_by_role("button", name="Page HTML (vendanges)").click()
    assert page.get_by_label("HTML", exact=True).is_checked()
    response = run_and_capture(page)
    sent = json.loads(response.request.post_data or "")
    assert ["html"] == list(sent)
    assert sent["html"].startswith("<html>")
    assert 200 == response.status
    wait_for_result(page)
    result = response.json()
    assert len(result["entities"]) == page.locator("[data-testid=entities] tbody tr").count()
    # The removals point into the page's extracted text, and are struck through on it.
    struck = page.locator("del[data-reason]")
    assert [r["text"] for r in result["removed"]] == struck.all_inner_texts()
    assert page.locator("#removed-note").is_hidden()


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(MAX_TABS):
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def test_keyboard_only_run(page: Page, clean_article: str, console_errors) -> None:
    """Tab to the text area, type, Tab to Run, press Enter, then Tab onto a mention shows its tooltip."""
    tab_to(page, "[data-testid=input]")
    page.keyboard.insert_text(clean_article)
    tab_to(page, "[data-testid=run]")
    with page.expect_response(ENRICH) as answer:
        page.keyboard.press("Enter")
    wait_for_result(page)
    result = answer.value.json()
    assert clean_article == json.loads(answer.value.request.post_data or "")["text"]
    assert "result" == page.evaluate("document.activeElement.dataset.testid")
    first = expected_marks(result)[0]
    tab_to(page, "[data-testid=body] mark")
    entity = next(e for e in result["entities"] if any(m["start"] == first[1] for m in e["mentions"]))
    assert page.locator("#tooltip").is_visible()
    assert entity["name"] == page.locator("#tooltip strong").inner_text()
    page.keyboard.press("Escape")
    assert page.locator("#tooltip").is_hidden()
    assert [] == console_errors


def test_example_button_loads_by_keyboard(page: Page, server_url: str) -> None:
    """Enter on an example button puts that example's text in the text area."""
    examples = page.request.get(f"{server_url}/playground/examples.json").json()
    tab_to(page, "[data-example=emoji]")
    page.keyboard.press("Enter")
    assert (
        next(e["text"] for e in examples if e["id"] == "emoji") == page.get_by_test_id("input").input_value()
    )


def test_screenshot_of_a_real_article(page: Page, tmp_path: Path) -> None:
    """The README screenshot: the scraped example with a mention focused (saved to PLAYGROUND_SCREENSHOT)."""
    page.get_by_role("button", name="Page scrapée (Lyon, tramway)").click()
    run_and_capture(page)
    wait_for_result(page)
    page.locator("[data-testid=body] mark").nth(1).focus()
    shot = tmp_path / "playground.png"
    page.screenshot(path=shot, full_page=True)
    assert b"\x89PNG\r\n\x1a\n" == shot.read_bytes()[:8]
    target = os.environ.get("PLAYGROUND_SCREENSHOT")
    if target:
        shutil.copyfile(shot, target)


# Relative luminance and contrast ratio as WCAG 2.1 defines them, over every element that holds
# text (and the reason and rank labels drawn by ::before), against the first opaque background.
CONTRAST_SCRIPT = """
() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }).reduce((acc, v, i) => acc + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => {
    for (let at = el; at; at = at.parentElement) {
      const c = rgb(getComputedStyle(at).backgroundColor);
      if (c.length === 3 || c[3] === 1) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const ratio = (fg, bg) => {
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  };
  const failures = [];
  for (const el of document.querySelectorAll("body *")) {
    if (!el.getClientRects().length) continue;
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const pseudo = getComputedStyle(el, "::before");
    const styles = [];
    if (ownText) styles.push([getComputedStyle(el), background(el), el.tagName]);
    if (pseudo.content && pseudo.content !== "none" && pseudo.content !== "normal") {
      const own = rgb(pseudo.backgroundColor);
      const bg = own.length === 3 || own[3] === 1 ? own.slice(0, 3) : background(el);
      styles.push([pseudo, bg, el.tagName + "::before"]);
    }
    for (const [style, bg, name] of styles) {
      const value = ratio(rgb(style.color).slice(0, 3), bg);
      if (value < 4.5) failures.push(`${name}.${el.className} ${value.toFixed(2)}`);
    }
  }
  return failures;
}
"""


def test_text_contrast_passes_wcag_aa(page: Page, article: str) -> None:
    """Every visible text of the page, result and error included, has a contrast of at least 4.5:1."""
    page.get_by_test_id("input").fill(article)
    run_and_capture(page)
    wait_for_result(page)
    page.locator("[data-testid=body] mark").first.focus()
    page.get_by_text("JSON brut").click()
    assert [] == page.evaluate(CONTRAST_SCRIPT)
    page.get_by_test_id("input").fill("   ")
    run_and_capture(page)
    page.wait_for_selector("[data-testid=error]:not([hidden])")
    assert [] == page.evaluate(CONTRAST_SCRIPT)


def test_quotes_are_listed_and_marked_when_the_response_has_them(page: Page, article: str) -> None:
    """A `quotes` field (the real response's replaced by one of the test's own) is listed and marked."""
    page.get_by_test_id("input").fill(article)
    real = run_and_capture(page).json()
    body = real["body"]
    said = "« On finance des projets utiles, mais on laisse la facture aux générations suivantes »"
    start = body.index(said)
    quote = {"text": said, "speaker": {"name": "Charles Compagnon"}, "start": start, "end": start + len(said)}

    def answer(route: Route) -> None:
        route.fulfill(
            status=200, content_type="application/json", body=json.dumps({**real, "quotes": [quote]})
        )

    page.route(ENRICH, answer)
    page.get_by_test_id("run").click()
    # The real response's own quotes are listed until the routed one is drawn: wait for that one.
    expect(page.locator("[data-testid=quotes] li")).to_have_text([f"{said} — Charles Compagnon"])
    assert [f"{said} — Charles Compagnon"] == page.locator("[data-testid=quotes] li").all_inner_texts()
    drawn = page.eval_on_selector_all(
        "[data-testid=body] q", "els => els.map(e => [+e.dataset.start, +e.dataset.end, e.textContent])"
    )
    assert [[start, start + len(said), said]] == drawn
    assert expected_marks(real) == [tuple(m) for m in drawn_marks(page)]
