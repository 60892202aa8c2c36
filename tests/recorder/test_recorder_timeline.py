"""What travels beside the DOM recording: identify, events, console, errors, navigations, perf."""

from .sites import wait_until


def flushed(site, page, tag, count=1):
    page.evaluate("qorrelate.flush()")
    return wait_until(
        page,
        lambda: len(site.intake.custom(tag)) >= count and site.intake.custom(tag),
        message=f"{count} × {tag}",
    )


def test_identify_and_custom_events_appear_in_the_stream(recorder_page, site, page):
    recorder_page("<p>shop</p>")
    page.evaluate(
        """() => {
            qorrelate.identify('user-42', {plan: 'pro'});
            qorrelate.event('checkout.clicked', {cart: 3});
        }"""
    )
    events = flushed(site, page, "qorrelate.event")
    assert events == [{"name": "checkout.clicked", "payload": {"cart": 3}}]
    assert site.intake.custom("qorrelate.identify") == [
        {"user_id": "user-42", "traits": {"plan": "pro"}}
    ]
    assert site.intake.accepted()[-1]["user"] == {"id": "user-42", "traits": {"plan": "pro"}}


def test_the_identified_user_is_kept_across_a_reload(recorder_page, site, page):
    recorder_page("<p>shop</p>")
    page.evaluate("qorrelate.identify('user-7', {})")
    page.reload()
    page.evaluate("qorrelate.event('after', {})")
    flushed(site, page, "qorrelate.event")
    assert site.intake.accepted()[-1]["user"] == {"id": "user-7", "traits": {}}


def test_console_errors_and_warnings_are_recorded_with_a_stack_for_errors(
    recorder_page, site, page
):
    recorder_page("<p>shop</p>")
    page.evaluate(
        """() => {
            console.log('not recorded');
            console.warn('low stock', 3);
            console.error('payment failed', new TypeError('card declined'));
        }"""
    )
    entries = flushed(site, page, "qorrelate.console", 2)
    assert [(e["level"], e["message"]) for e in entries] == [
        ("warn", "low stock 3"),
        ("error", "payment failed TypeError: card declined"),
    ]
    assert "card declined" in entries[1]["stack"]
    assert entries[0]["stack"] is None


def test_uncaught_errors_and_unhandled_rejections_are_recorded_with_stacks(
    recorder_page, site, page
):
    recorder_page(
        "<button id=buy onclick='submitOrder()'>Buy</button>",
        head="""<script>
            function submitOrder() { throw new Error('order total is NaN'); }
        </script>""",
    )
    page.click("#buy")
    page.evaluate("Promise.reject(new RangeError('quantity out of range')); 0")
    errors = flushed(site, page, "qorrelate.error", 2)

    uncaught = next(e for e in errors if e["kind"] == "error")
    rejection = next(e for e in errors if e["kind"] == "unhandledrejection")
    assert "order total is NaN" in uncaught["message"]
    assert "submitOrder" in uncaught["stack"]
    assert uncaught["source"].endswith("/page.html") and uncaught["line"] > 0
    assert rejection["message"] == "RangeError: quantity out of range"
    assert "RangeError" in rejection["stack"]


def test_page_loads_and_single_page_route_changes_are_navigations(recorder_page, site, page):
    recorder_page("<p>shop</p>")
    page.evaluate(
        """async () => {
            history.pushState({}, '', '/products?token=abc');
            history.replaceState({}, '', '/products/42');
            location.hash = 'reviews';
            await new Promise((r) => setTimeout(r, 50));
            history.pushState({}, '', '/cart');
            history.back();
            await new Promise((r) => setTimeout(r, 50));
        }"""
    )
    navs = flushed(site, page, "qorrelate.navigation", 6)
    assert [(n["kind"], n["url"].replace(site.origin, "")) for n in navs] == [
        ("load", "/page.html"),
        ("pushState", "/products?token=[redacted]"),
        ("replaceState", "/products/42"),
        ("hashchange", "/products/42#reviews"),
        ("pushState", "/cart"),
        ("popstate", "/products/42#reviews"),
    ]
    assert navs[2]["from"] == site.url("/products?token=[redacted]")


def test_long_tasks_are_recorded_with_their_duration(recorder_page, site, page):
    recorder_page("<p>shop</p>")
    page.evaluate(
        """() => setTimeout(() => {
            const end = performance.now() + 150;
            while (performance.now() < end);
        }, 0)"""
    )
    page.wait_for_timeout(300)
    tasks = flushed(site, page, "qorrelate.longtask")
    assert max(t["duration_ms"] for t in tasks) >= 140


def test_web_vitals_are_recorded_and_the_final_ones_when_the_page_is_hidden(
    recorder_page, site, page
):
    recorder_page("<h1 style='font-size:80px'>Big headline</h1>")
    page.wait_for_timeout(300)
    page.goto(site.add_page("/next.html", "<p>next</p>"))  # pagehide reports LCP
    vitals = wait_until(
        page,
        lambda: (
            {"FCP", "TTFB", "LCP"} <= {v["name"] for v in site.intake.custom("qorrelate.vital")}
            and site.intake.custom("qorrelate.vital")
        ),
        message="FCP, TTFB and LCP",
    )
    assert all(v["value"] >= 0 for v in vitals)


def test_the_dom_is_recorded_as_rrweb_snapshots_mutations_and_interactions(
    recorder_page, site, page
):
    recorder_page(
        "<button id=add>Add</button><ul id=list></ul>",
        head="""<script>
            document.addEventListener('click', (e) => {
                if (e.target.id === 'add') {
                    const li = document.createElement('li');
                    li.textContent = 'item added by click';
                    document.getElementById('list').append(li);
                }
            });
        </script>""",
    )
    page.mouse.move(10, 10)
    page.mouse.move(200, 200, steps=10)
    page.click("#add")
    page.evaluate("qorrelate.event('done', {})")
    flushed(site, page, "qorrelate.event")
    events = site.intake.events()
    sources = {e["data"].get("source") for e in events if e["type"] == 3}

    assert {4, 2} <= {e["type"] for e in events}
    assert {0, 1, 2} <= sources  # mutation, mouse move, mouse interaction
    assert "item added by click" in site.intake.raw_text()
    timestamps = [e["timestamp"] for e in events if e["type"] != 5]
    assert timestamps == sorted(timestamps)
