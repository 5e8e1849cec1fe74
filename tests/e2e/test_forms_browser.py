"""Forms sent back with errors, in a real browser: the reader is taken to the list of what to fix."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_form_with_errors_puts_focus_on_its_summary_whose_links_reach_each_field(browser, live_server, db):
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/pemberi-kerja/daftar/")

    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    focused = page.evaluate("document.activeElement.id")
    page.locator("#error-summary a").first.click()
    target = page.evaluate("document.activeElement.id")

    assert focused == "error-summary"
    assert target.startswith("id_")
    assert page.locator(f"#{target}").get_attribute("aria-invalid") == "true"
