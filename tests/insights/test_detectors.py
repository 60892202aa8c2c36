"""The detectors on recorded-shaped events: each fires exactly where it should, and not on the
look-alikes that must not fire."""

from apps.insights.detect import detect
from tests.insights import events as e

T = e.T0 + 1000
TRACE_1, TRACE_2 = "4bf92f3577b34da6a3ce929d0e0e4736", "5cf92f3577b34da6a3ce929d0e0e4737"


def kinds(found):
    return [f.kind for f in found]


def test_a_double_click_that_sends_two_posts_with_a_500_is_a_double_submit():
    found = detect(
        [
            *e.page(),
            e.click(T),
            e.network(T + 5, status=200, trace_id=TRACE_1, duration_ms=120),
            e.click(T + 181),
            e.network(T + 186, status=500, trace_id=TRACE_2, duration_ms=90),
            e.idle(T + 9000),
        ]
    )
    doubles = [f for f in found if f.kind == "double_submit"]
    assert len(doubles) == 1
    finding = doubles[0]
    assert finding.ts == T
    assert finding.element_text == "Place order"
    assert finding.selector == "form#checkout > button"
    assert finding.sentence == (
        "Clicked 'Place order' twice 181 ms apart; both POST /api/checkout were sent; "
        "the second returned 500 (trace 5cf9…)."
    )
    assert finding.trace_ids == [TRACE_1, TRACE_2]
    assert finding.evidence["gap_ms"] == 181
    # The failed request is the double submit's, not a separate "error after click".
    assert "error_after_click" not in kinds(found)


def test_a_double_click_that_sends_one_request_is_not_a_double_submit():
    found = detect([*e.page(), e.click(T), e.network(T + 5), e.click(T + 150), e.idle(T + 9000)])
    assert "double_submit" not in kinds(found)


def test_two_gets_with_the_same_answer_are_not_a_double_submit():
    found = detect(
        [
            *e.page(),
            e.click(T),
            e.network(T + 5, method="GET", url="https://shop.test/api/cart"),
            e.click(T + 200),
            e.network(T + 205, method="GET", url="https://shop.test/api/cart"),
            e.idle(T + 9000),
        ]
    )
    assert "double_submit" not in kinds(found)


def test_a_retry_after_the_first_attempt_failed_is_not_a_double_submit():
    found = detect(
        [
            *e.page(),
            e.click(T),
            e.network(T + 5, status=503, duration_ms=100),
            e.click(T + 900),
            e.network(T + 905, status=200),
            e.idle(T + 9000),
        ]
    )
    assert "double_submit" not in kinds(found)


def test_a_message_that_appears_after_submit_and_vanishes_with_nothing_sent_is_an_invisible_error():
    toast = e.el(200, "div", [e.text(201, "Coupon code is invalid")])
    found = detect(
        [
            *e.page(),
            e.click(T),
            e.add(T + 30, e.TOASTS, toast),
            e.remove(T + 2030, e.TOASTS, 200),
            e.idle(T + 9000),
        ]
    )
    assert kinds(found) == ["invisible_error"]
    finding = found[0]
    assert finding.sentence == (
        "Clicked 'Place order'; a message appeared for 2.0 s — “Coupon code is invalid” — "
        "then vanished, and no request was sent."
    )
    assert finding.evidence["shown_ms"] == 2000


def test_a_live_region_emptied_again_is_a_transient_message():
    found = detect(
        [
            *e.page(),
            e.click(T),
            e.add(T + 20, e.STATUS, e.text(300, "Please accept the terms")),
            e.remove(T + 3020, e.STATUS, 300),
            e.idle(T + 9000),
        ]
    )
    assert kinds(found) == ["invisible_error"]
    assert found[0].evidence["live_region"] is True


def test_a_message_hidden_by_an_attribute_counts_as_gone():
    found = detect(
        [
            *e.page(),
            e.click(T),
            e.add(T + 20, e.TOASTS, e.el(200, "div", [e.text(201, "Card declined")])),
            e.attributes(T + 1500, 200, style="display: none"),
            e.idle(T + 9000),
        ]
    )
    assert kinds(found) == ["invisible_error"]


def test_a_message_after_a_successful_save_is_not_an_invisible_error():
    found = detect(
        [
            *e.page(),
            e.click(T),
            e.network(T + 10, status=200),
            e.add(T + 200, e.TOASTS, e.el(200, "div", [e.text(201, "Saved!")])),
            e.remove(T + 2200, e.TOASTS, 200),
            e.idle(T + 9000),
        ]
    )
    assert "invisible_error" not in kinds(found)


def test_a_menu_closed_by_the_next_click_is_not_an_invisible_error():
    found = detect(
        [
            *e.page(),
            e.click(T, e.PLACE_ORDER),
            e.add(T + 20, e.TOASTS, e.el(200, "ul", [e.text(201, "Profile Sign out")])),
            e.click(T + 1500, e.MENU),
            e.remove(T + 1520, e.TOASTS, 200),
            e.idle(T + 9000),
        ]
    )
    assert "invisible_error" not in kinds(found)


def test_native_validation_after_a_submit_is_an_invisible_error():
    found = detect(
        [
            *e.page(),
            e.click(T),
            e.form(T + 2, "invalid", e.EMAIL),
            e.idle(T + 9000),
        ]
    )
    assert kinds(found) == ["invisible_error"]
    assert found[0].evidence["invalid_fields"] == ["email"]
    assert "the browser refused the form" in found[0].sentence


def test_long_tasks_that_block_the_page_make_it_slow_with_its_vitals():
    found = detect(
        [
            *e.page(),
            *[e.longtask(T + i * 400, 300) for i in range(4)],
            e.vital(T + 5000, "INP", 640),
            e.idle(T + 9000),
        ]
    )
    assert kinds(found) == ["slow_page"]
    assert found[0].sentence == (
        "On /checkout, the main thread was blocked for 1.0 s (4 long tasks, the longest "
        "300 ms); INP 640 ms."
    )
    assert found[0].evidence["vitals"] == {"INP": 640.0}


def test_frame_gaps_measure_a_slow_page_where_long_tasks_are_not_reported():
    found = detect([*e.page(), *[e.longtask(T + i * 500, 250, "frame") for i in range(3)]])
    assert kinds(found) == ["slow_page"]
    assert found[0].evidence["measured_by"] == ["frame"]


def test_a_slow_page_is_placed_at_the_freeze_a_person_felt_not_at_a_short_task_before_it():
    found = detect([*e.page(), e.longtask(T, 52), e.longtask(T + 4000, 4600)])
    (slow,) = [f for f in found if f.kind == "slow_page"]
    assert slow.ts == T + 4000


def test_jank_is_placed_at_its_first_stutter():
    found = detect([*e.page(), *[e.longtask(T + i * 300, 160 + i % 3) for i in range(8)]])
    (slow,) = [f for f in found if f.kind == "slow_page"]
    assert slow.ts == T


def test_a_few_short_tasks_are_not_a_slow_page():
    found = detect([*e.page(), e.longtask(T, 80), e.longtask(T + 3000, 120)])
    assert "slow_page" not in kinds(found)


def test_rage_clicks_split_over_two_batches_are_one_rage_click():
    # The detectors read the whole session: batches no longer cut a burst in two.
    first_batch = [*e.page(), e.click(T, e.MENU), e.click(T + 300, e.MENU)]
    second_batch = [e.click(T + 600, e.MENU), e.click(T + 900, e.MENU), e.idle(T + 9000)]
    found = detect(first_batch + second_batch)
    rage = [f for f in found if f.kind == "rage_click"]
    assert len(rage) == 1
    assert rage[0].evidence["clicks"] == 4
    assert rage[0].element_text == "Account"


def test_a_click_answered_in_the_next_batch_is_not_dead():
    found = detect(
        [
            *e.page(),
            e.click(T, e.MENU),
            e.add(T + 400, e.TOASTS, e.el(200, "div", [e.text(201, "Menu")])),
            e.idle(T + 9000),
        ]
    )
    assert "dead_click" not in kinds(found)


def test_a_click_nothing_answers_is_dead():
    found = detect([*e.page(), e.click(T, e.MENU), e.idle(T + 9000)])
    assert kinds(found) == ["dead_click"]
    assert found[0].element_text == "Account"


def test_a_failed_request_right_after_a_click_is_an_error_after_click():
    found = detect(
        [
            *e.page(),
            e.click(T, e.MENU),
            e.network(T + 300, url="https://shop.test/api/account", method="GET", status=502),
            e.idle(T + 9000),
        ]
    )
    assert kinds(found) == ["error_after_click"]
    assert found[0].sentence == "Clicked 'Account'; 300 ms later GET /api/account returned 502."


def test_broken_events_never_break_detection():
    found = detect(
        [
            *e.page(),
            {"type": 3, "data": {"source": 0, "adds": [None, {"node": "x"}], "removes": [7]}},
            {"type": 3, "timestamp": T, "data": {"source": 0, "adds": "x", "texts": [1]}},
            {"type": 5, "timestamp": T, "data": {"tag": "qorrelate.network", "payload": []}},
            {"type": 5, "timestamp": T, "data": {"tag": "qorrelate.form", "payload": {"id": "x"}}},
            "not an event",
            e.click(T + 5, 999_999),
        ]
    )
    assert isinstance(found, list)


def test_a_message_shown_and_hidden_by_style_changes_is_an_invisible_error():
    # rrweb records element.style changes as a diff of properties ({"display": "block"}).
    bubble = e.el(200, "div", [e.text(201, "Amount must be between 5 and 500")])
    bubble["attributes"]["style"] = "display:none; position:absolute"
    found = detect(
        [
            *e.page(),
            e.add(T - 500, e.FORM, bubble),
            e.click(T),
            e.attributes(T + 10, 200, style={"display": "block"}),
            e.attributes(T + 2010, 200, style={"display": "none"}),
            e.idle(T + 9000),
        ]
    )
    assert kinds(found) == ["invisible_error"]
    assert found[0].evidence["message"] == "Amount must be between 5 and 500"
    assert found[0].evidence["shown_ms"] == 2000


def test_a_click_answered_within_its_own_millisecond_is_not_dead():
    found = detect(
        [
            *e.page(),
            e.click(T, e.MENU),
            e.add(T, e.TOASTS, e.el(200, "ul", [e.text(201, "Sign out")])),
            e.idle(T + 9000),
        ]
    )
    assert "dead_click" not in kinds(found)


def test_dead_clicks_in_a_row_on_one_control_are_one_dead_click():
    found = detect([*e.page(), *[e.click(T + i * 400, e.MENU) for i in range(4)], e.idle(T + 9e3)])
    dead = [f for f in found if f.kind == "dead_click"]
    assert len(dead) == 1
    assert dead[0].ts == T
    assert dead[0].evidence["clicks"] == 4
    assert dead[0].sentence.startswith("Clicked 'Account' 4 times; nothing on the page changed")


def test_a_click_that_throws_is_an_error_after_click_not_a_dead_click():
    found = detect(
        [
            *e.page(),
            e.click(T, e.MENU),
            e.rrweb.uncaught_error(T + 2, "Cannot read properties of undefined"),
            e.idle(T + 9000),
        ]
    )
    assert kinds(found) == ["error_after_click"]


def test_a_control_clicked_three_times_that_sent_three_orders_is_a_double_submit_not_rage():
    found = detect(
        [
            *e.page(),
            e.click(T),
            e.network(T + 5, status=200, duration_ms=60),
            e.click(T + 100),
            e.network(T + 105, status=409, duration_ms=60),
            e.click(T + 200),
            e.network(T + 205, status=409, duration_ms=60),
            e.idle(T + 9000),
        ]
    )
    assert "double_submit" in kinds(found)
    assert "rage_click" not in kinds(found)


def test_fast_clicks_the_page_answers_each_time_are_not_rage():
    # A quantity stepper: every click changes the count.
    events = [*e.page()]
    for i in range(4):
        events.append(e.click(T + i * 120, e.MENU))
        events.append(e.add(T + i * 120 + 1, e.TOASTS, e.text(300 + i, str(i + 2))))
    found = detect([*events, e.idle(T + 9000)])
    assert "rage_click" not in kinds(found)


def test_a_tooltip_shown_after_a_click_is_not_a_message():
    tip = e.el(200, "div", [e.text(201, "Free returns within 30 days")], role="tooltip")
    found = detect(
        [
            *e.page(),
            e.click(T),
            e.add(T + 800, e.BODY, tip),
            e.remove(T + 1900, e.BODY, 200),
            e.idle(T + 9000),
        ]
    )
    assert "invisible_error" not in kinds(found)


def _add_to_cart_buttons():
    cards = [
        e.el(300 + i, "article", [e.el(310 + i, "button", [e.text(320 + i, "Add to cart")])])
        for i in range(2)
    ]
    return [e.add(T - 500, e.BODY, card) for card in cards]


def test_two_alike_buttons_of_two_products_clicked_in_a_row_are_not_a_double_submit():
    found = detect(
        [
            *e.page(),
            *_add_to_cart_buttons(),
            e.click(T, 310),
            e.network(T + 5, url="https://shop.test/api/cart", duration_ms=40),
            e.click(T + 250, 311),
            e.network(T + 255, url="https://shop.test/api/cart", duration_ms=40),
            e.idle(T + 9000),
        ]
    )
    assert "double_submit" not in kinds(found)


def test_a_control_the_page_re_rendered_between_two_clicks_is_still_one_control():
    rerendered = e.el(302, "article", [e.el(312, "button", [e.text(322, "Add to cart")])])
    found = detect(
        [
            *e.page(),
            *_add_to_cart_buttons(),
            e.click(T, 310),
            e.network(T + 5, url="https://shop.test/api/cart", duration_ms=40),
            e.remove(T + 60, e.BODY, 300),
            e.add(T + 60, e.BODY, rerendered),
            e.click(T + 150, 312),
            e.network(T + 155, url="https://shop.test/api/cart", status=500, duration_ms=40),
            e.idle(T + 9000),
        ]
    )
    assert kinds(found).count("double_submit") == 1


def test_many_elements_shown_at_once_after_a_click_are_a_list_not_a_message():
    rows = [e.el(400 + i, "li", [e.text(410 + i, f"Product {i}")], hidden="") for i in range(5)]
    events = [*e.page(), e.add(T - 500, e.BODY, e.el(399, "ul", rows)), e.click(T)]
    shown = {"type": 3, "timestamp": T + 20, "data": {"source": 0, "texts": [], "removes": []}}
    shown["data"]["adds"] = []
    shown["data"]["attributes"] = [
        {"id": 400 + i, "attributes": {"hidden": None}} for i in range(5)
    ]
    hidden = {**shown, "timestamp": T + 1500}
    hidden["data"] = {
        **shown["data"],
        "attributes": [{"id": 400 + i, "attributes": {"hidden": ""}} for i in range(5)],
    }
    found = detect([*events, shown, hidden, e.idle(T + 9000)])
    assert "invisible_error" not in kinds(found)


def test_a_second_click_too_soon_to_react_to_the_first_failure_is_still_a_double_submit():
    # The first POST failed 60 ms in; the second click came 100 ms after that: no one reads an
    # error and clicks again in 100 ms.
    found = detect(
        [
            *e.page(),
            e.click(T),
            e.network(T + 4, status=500, duration_ms=60),
            e.click(T + 164),
            e.network(T + 166, status=500, duration_ms=90),
            e.idle(T + 9000),
        ]
    )
    assert kinds(found).count("double_submit") == 1
    assert "error_after_click" not in kinds(found)


def test_the_failed_request_of_a_double_submit_without_trace_ids_is_not_counted_twice():
    found = detect(
        [
            *e.page(),
            e.click(T),
            e.network(T + 5),
            e.click(T + 181),
            e.network(T + 186, status=500),
            e.idle(T + 9000),
        ]
    )
    assert kinds(found) == ["double_submit"]


def _styled_page(css, ts=e.T0):
    """The checkout page with a stylesheet, as rrweb records one (its text in `_cssText`)."""
    events = e.page(ts)
    html = events[-1]["data"]["node"]["childNodes"][0]
    head = html["childNodes"][0]
    head["childNodes"].append(e.el(50, "style", [e.text(51, "")], _cssText=css))
    return events


def test_a_message_shown_by_a_class_the_stylesheet_makes_visible_is_an_invisible_error():
    # `.nt { visibility: hidden }` `.nt.on { visibility: visible }`: only the class changes.
    note = e.el(200, "div", [e.text(201, "Voucher not valid in your country")], **{"class": "nt"})
    found = detect(
        [
            *_styled_page(
                ".nt { visibility: hidden; position: fixed }\n.nt.on{visibility:visible}"
            ),
            e.add(T - 500, e.BODY, note),
            e.click(T),
            e.attributes(T + 10, 200, **{"class": "nt on"}),
            e.attributes(T + 2010, 200, **{"class": "nt"}),
            e.idle(T + 9000),
        ]
    )
    assert kinds(found) == ["invisible_error"]
    assert found[0].evidence["message"] == "Voucher not valid in your country"
    assert found[0].evidence["shown_ms"] == 2000


def test_an_element_the_stylesheet_hides_is_no_message_when_inserted():
    hidden = e.el(200, "div", [e.text(201, "Loading template")], **{"class": "tpl is-off"})
    found = detect(
        [
            *_styled_page("/* templates */ .tpl.is-off { display: none !important }"),
            e.click(T),
            e.add(T + 20, e.TOASTS, hidden),
            e.remove(T + 1500, e.TOASTS, 200),
            e.idle(T + 9000),
        ]
    )
    assert "invisible_error" not in kinds(found)


def test_stylesheet_rules_the_element_alone_cannot_decide_are_left_out():
    # Descendant selectors, pseudo-classes and @media blocks: the class change shows nothing
    # the mirror can be sure of, so the inline state (shown) stands.
    from apps.insights.detect.css import rules

    sheet = (
        "@media (min-width: 1px) { .nt { display: none } } .wrap .nt { display: none }"
        " .nt:not(.on) { opacity: 0 } @import url(x.css); .nt.off, #n.x { display: none }"
    )
    assert [(r.id, sorted(r.classes)) for r in rules(sheet)] == [
        ("", ["nt", "off"]),
        ("n", ["x"]),
    ]


def _copy_page(extra_field=None):
    """A share box outside any form: the link, and a Copy button (no field to fill)."""
    children = [e.el(61, "code", [e.text(62, "https://shop.test/r/abc")])]
    if extra_field is not None:
        children.append(extra_field)
    children.append(e.el(63, "button", [e.text(64, "Copy link")], **{"class": "cp"}))
    events = e.page()
    body = events[-1]["data"]["node"]["childNodes"][0]["childNodes"][1]
    body["childNodes"].append(e.el(60, "div", children, **{"class": "sh"}))
    return events


def _copied_after_click(page):
    copied = e.el(200, "span", [e.text(201, "Copied!")], style="position:absolute")
    return detect(
        [
            *page,
            e.click(T, 63),
            e.add(T + 5, 60, copied),
            e.remove(T + 1505, 60, 200),
            e.idle(T + 9000),
        ]
    )


def test_copied_shown_next_to_a_copy_button_with_no_field_near_it_is_not_an_invisible_error():
    assert "invisible_error" not in kinds(_copied_after_click(_copy_page()))
    # A read-only field holding the link is not something a person filled in either.
    readonly = e.el(65, "input", value="https://shop.test/r/abc", readonly="")
    assert "invisible_error" not in kinds(_copied_after_click(_copy_page(readonly)))


def test_a_button_outside_a_form_with_a_field_near_it_still_counts_as_submitting_it():
    # A single-page app's form without the tag: the field and the button share a container.
    field = e.el(65, "input", name="email", value="*****")
    assert kinds(_copied_after_click(_copy_page(field))) == ["invisible_error"]
