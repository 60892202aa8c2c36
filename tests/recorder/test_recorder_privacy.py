"""Masking happens in the browser: masked values and blocked content never reach the intake."""

import pytest

from .sites import wait_until

# Every value below is unique, so finding it anywhere in the decoded uploads is a leak.
FORM = """
<form>
  <input id=password type=password value="prefilled-pass-1">
  <input id=email type=email>
  <input id=tel type=tel>
  <input id=card autocomplete="cc-number">
  <input id=private-input data-private="true">
  <div data-private="true"><input id=nested-private></div>
  <input id=name>
  <textarea id=notes></textarea>
  <input type=hidden id=csrf value="hidden-token-9">
</form>
<p id=public>Public paragraph text</p>
<p class="qorrelate-mask">Masked-class-text</p>
<div data-private="true">Private-attribute-text</div>
<div class="qorrelate-block" id=blocked style="width:321px;height:123px">
  Blocked-text-1<span>Blocked-text-2</span>
</div>
"""

TYPED = {
    "#password": "typed-pass-2",
    "#email": "typed-email@example.test",
    "#tel": "typed-tel-5550100",
    "#card": "4111111111111111",
    "#private-input": "typed-private-3",
    "#nested-private": "typed-nested-4",
    "#name": "typed-name-5",
    "#notes": "typed-notes-6",
}
ALWAYS_MASKED = [
    "prefilled-pass-1",
    "typed-pass-2",
    "typed-email@example.test",
    "typed-tel-5550100",
    "4111111111111111",
    "typed-private-3",
    "typed-nested-4",
    "Masked-class-text",
    "Private-attribute-text",
    "Blocked-text-1",
    "Blocked-text-2",
    "Blocked-later-7",
]


def record_the_form(recorder_page, site, page, mode):
    recorder_page(FORM, privacy_mode=mode)
    for selector, value in TYPED.items():
        page.type(selector, value)
    page.evaluate(
        """() => {
            document.querySelector('#blocked').append('Blocked-later-7');
            document.querySelector('#password').value = 'script-set-pass-8';
        }"""
    )
    page.click("#public")
    # Events travel in order: once this marker is in, everything typed before it is too.
    page.evaluate("qorrelate.event('typed', {}); qorrelate.flush()")
    wait_until(page, lambda: site.intake.custom("qorrelate.event"), message="the marker event")
    return site.intake.raw_text()


@pytest.mark.parametrize("mode", ["mask-inputs", "mask-all", "mask-sensitive"])
def test_sensitive_inputs_and_blocked_content_never_leave_the_browser_in_any_mode(
    recorder_page, site, page, mode
):
    sent = record_the_form(recorder_page, site, page, mode)

    assert '"type":2' in sent  # a full snapshot was captured, so there was something to leak
    for secret in [*ALWAYS_MASKED, "script-set-pass-8"]:
        assert secret not in sent, f"{secret!r} leaked in {mode}"


def test_mask_inputs_masks_every_input_value_but_keeps_page_text(recorder_page, site, page):
    sent = record_the_form(recorder_page, site, page, "mask-inputs")

    assert "typed-name-5" not in sent
    assert "typed-notes-6" not in sent
    assert "hidden-token-9" not in sent
    assert "Public paragraph text" in sent


def test_mask_all_masks_page_text_as_well(recorder_page, site, page):
    sent = record_the_form(recorder_page, site, page, "mask-all")

    assert "typed-name-5" not in sent
    assert "Public paragraph text" not in sent
    assert "Recorder test" not in sent  # the <title>, in the DOM and in the batch envelope


def test_mask_sensitive_keeps_ordinary_input_values(recorder_page, site, page):
    sent = record_the_form(recorder_page, site, page, "mask-sensitive")

    assert "typed-name-5" in sent
    assert "typed-notes-6" in sent
    assert "Public paragraph text" in sent


def test_blocked_elements_become_empty_placeholders_of_the_same_size(recorder_page, site, page):
    record_the_form(recorder_page, site, page, "mask-inputs")
    snapshot = next(e for e in site.intake.events() if e["type"] == 2)

    def find(node):
        attrs = node.get("attributes", {})
        # rrweb keeps only the class and the size of a blocked element.
        if attrs.get("class") == "qorrelate-block":
            return node
        for child in node.get("childNodes", []):
            hit = find(child)
            if hit:
                return hit
        return None

    blocked = find(snapshot["data"]["node"])
    assert blocked is not None
    assert blocked["childNodes"] == []
    assert round(float(blocked["attributes"]["rr_width"].rstrip("px"))) == 321
    assert round(float(blocked["attributes"]["rr_height"].rstrip("px"))) == 123
