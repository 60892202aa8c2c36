"""Real sessions for the detectors: pages written for them (each with its own markup and no
tell-tale class names), played by Chromium with the built replay.js, and what each session must
be found to hold. The browser tests and the labelled set (benchmarks/insights_labelled_set.py)
record with it.

A page marks its own moments (``mark('clicked')`` keeps the first time a name is marked, by the
page's clock, which is the recorder's): an expected finding is a kind and the mark it must be
found at, so the labels never come from the detectors themselves.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.recorder.sites import Site, page_html, recorder_tag, wait_until

ORG_ID = "org_insights_recording"
FLUSH_MS = 200

MARKS = (
    "<script>window.qmarks = {};"
    "window.mark = (name) => { if (!(name in qmarks)) qmarks[name] = Date.now(); };"
    "window.busy = (ms) => { const end = performance.now() + ms; "
    "while (performance.now() < end) {} };</script>"
)

# Safari and Firefox have no Long Tasks API. Like them, this Chromium lists no 'longtask' among
# the supported entry types and ignores observe() for it with a console warning, no exception
# (Performance Timeline: "abort these steps").
WITHOUT_LONG_TASKS = """
(() => {
  const Observer = window.PerformanceObserver;
  const missing = ['longtask', 'long-animation-frame'];
  const types = Observer.supportedEntryTypes.filter((t) => !missing.includes(t));
  Object.defineProperty(Observer, 'supportedEntryTypes', { get: () => types });
  const observe = Observer.prototype.observe;
  Observer.prototype.observe = function (options) {
    if (options && missing.includes(options.type)) {
      console.warn('The entry type ' + options.type + ' is not supported.');
      return;
    }
    return observe.call(this, options);
  };
})();
"""


def replies(script: dict[tuple[str, str], list[tuple[int, float] | int]]):
    """The site's API: for (method, path), the nth call's (status, latency in s); the last one
    repeats; anything else is 200 at once."""

    def reply(method: str, path: str, nth: int) -> tuple[int, float]:
        answers = script.get((method, path))
        if not answers:
            return 200, 0.0
        answer = answers[min(nth, len(answers) - 1)]
        return answer if isinstance(answer, tuple) else (answer, 0.0)

    return reply


def all_ok(method: str, path: str, nth: int) -> tuple[int, float]:
    return 200, 0.0


@dataclass(frozen=True)
class Scenario:
    name: str
    body: str
    play: Callable  # play(page): what the person does; returns once the page has answered
    expected: tuple[tuple[str, str], ...] = ()  # (finding kind, the page mark of its moment)
    api: Callable = all_ok  # api(method, path, nth call) -> (status, latency in s)
    long_tasks_api: bool = True
    path: str = "/shop/"


@dataclass
class Recording:
    name: str
    session_id: str
    batches: list[dict]  # the envelopes the recorder sent, as the intake accepted them
    marks: dict[str, int]
    expected: list[dict] = field(default_factory=list)  # {"kind", "ts"}

    @property
    def events(self) -> list[dict]:
        return [event for batch in self.batches for event in batch["events"]]


def record(browser, site: Site, scenario: Scenario) -> Recording:
    """Plays ``scenario`` in a fresh browser context on ``site`` (its intake receives the
    batches) and returns the session once the recorder's last batch is in."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    if not scenario.long_tasks_api:
        context.add_init_script(WITHOUT_LONG_TASKS)
    counts: dict[tuple[str, str], int] = {}

    def api_reply(method: str, path: str) -> tuple[int, float]:
        nth = counts.get((method, path), 0)
        counts[(method, path)] = nth + 1
        return scenario.api(method, path, nth)

    site.api_reply = api_reply
    tag = recorder_tag(site.url("/static/replay.js"), org_id=ORG_ID, flush_interval=FLUSH_MS)
    url = site.add_page(scenario.path, page_html(MARKS + scenario.body, script=tag))
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("window.qorrelate && window.qorrelate.version")
        scenario.play(page)
        marks = page.evaluate("window.qmarks")
        session_id = page.evaluate("qorrelate.getSessionId()")
        page.evaluate("qorrelate.stop()")

        def ended():
            return any(b["ended"] for b in site.intake.accepted() if b["session_id"] == session_id)

        wait_until(page, ended, message=f"the last batch of {scenario.name}")
    finally:
        context.close()
    batches = sorted(
        (b for b in site.intake.accepted() if b["session_id"] == session_id),
        key=lambda b: b["seq"],
    )
    missing = [mark for _, mark in scenario.expected if mark not in marks]
    assert not missing, f"{scenario.name}: the page never marked {missing}"
    return Recording(
        name=scenario.name,
        session_id=session_id,
        batches=batches,
        marks=marks,
        expected=[{"kind": kind, "ts": marks[mark]} for kind, mark in scenario.expected],
    )


# -- what people do ---------------------------------------------------------------------------


def until_marked(*names: str):
    condition = " && ".join(f"({name!r} in qmarks)" for name in names)
    return lambda page: page.wait_for_function(condition)


def after(*steps):
    def play(page):
        for step in steps:
            step(page)

    return play


def click(selector: str, **options):
    return lambda page: page.click(selector, **options)


def double_click(selector: str, gap_ms: int = 150):
    # Two clicks: Playwright waits `delay` after each press and each release, so the second
    # click comes about two delays after the first.
    return lambda page: page.click(selector, click_count=2, delay=gap_ms // 2)


def fill(selector: str, value: str):
    return lambda page: page.fill(selector, value)


def press(selector: str, key: str):
    return lambda page: page.press(selector, key)


def hover(selector: str):
    return lambda page: page.hover(selector)


def visit_goes_on(ms: int = 3_000, since: str = "start"):
    """The person stays on the page: the session goes on ``ms`` after the mark ``since`` (so a
    click's answer, or its absence, can be judged), ending with an event the recorder keeps."""

    def play(page):
        page.wait_for_function(f"Date.now() - (qmarks[{since!r}] || 0) > {ms}")
        page.evaluate("qorrelate.event('still here')")

    return play


def mark_now(name: str):
    return lambda page: page.evaluate(f"mark({name!r})")
