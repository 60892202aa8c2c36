"""The pages the detectors are judged on, and what a person does on each. Markup differs from
page to page and no class or id names the problem (never "toast" or "error"): the detectors
must find it from what the page did."""

from .recording import (
    Scenario,
    after,
    click,
    double_click,
    fill,
    replies,
    until_marked,
    visit_goes_on,
)

# -- (a) a message that comes and goes after a submit, nothing sent -------------------------

COUPON = """
<main class="k7 shell">
  <section class="panel-q2">
    <h2>Your basket</h2>
    <form id="f1" class="x-row">
      <input name="code" placeholder="Code" autocomplete="off">
      <button type="submit" class="b9 primary">Apply coupon</button>
    </form>
  </section>
</main>
<script>
  document.querySelector('#f1').addEventListener('submit', (event) => {
    event.preventDefault();
    mark('clicked');
    const note = document.createElement('div');
    note.className = 'q-91 fx';
    note.style.cssText = 'position:fixed;bottom:24px;right:24px;padding:12px;' +
      'background:#333;color:#fff';
    note.textContent = 'This code has expired';
    document.body.appendChild(note);
    setTimeout(() => { note.remove(); mark('gone'); }, 2000);
  });
</script>
"""

transient_message = Scenario(
    name="transient message after a submit",
    body=COUPON,
    play=after(fill("input[name=code]", "SPRING"), click("button.b9"), until_marked("gone")),
    expected=(("invisible_error", "clicked"),),
)

# -- (b) the browser's own validation ---------------------------------------------------------

NEWSLETTER = """
<div id="app-root"><div class="c1"><div class="c2">
  <form action="/api/subscribe" method="post" class="nl">
    <label>E-mail <input type="email" name="contact" required></label>
    <input type="submit" value="Subscribe">
  </form>
</div></div></div>
<script>
  document.querySelector('input[type=submit]').addEventListener('click', () => mark('clicked'));
  document.querySelector('input[name=contact]').addEventListener('invalid', () => mark('refused'));
</script>
"""

native_validation = Scenario(
    name="native validation refuses the form",
    body=NEWSLETTER,
    play=after(
        fill("input[name=contact]", "not-an-address"),
        click("input[type=submit]"),
        until_marked("refused"),
    ),
    expected=(("invisible_error", "clicked"),),
)

# -- (c) a single-page app: a double-clicked "Place order" ------------------------------------

SPA = """
<nav>
  <a href="/shop/" data-to="/shop/">Home</a> <a href="/shop/cart" data-to="/shop/cart">Cart</a>
</nav>
<div id="view"></div>
<script>
  const views = {
    '/shop/': () => '<h1>Welcome</h1><p>Fresh coffee beans.</p>',
    '/shop/cart': () => '<h1>Cart</h1><p>1 × Ethiopia 250 g</p>' +
      '<div class="r0w"><span class="v-btn" role="button" tabindex="0" id="po">' +
      'Place order</span></div>' +
      '<p id="out"></p>',
  };
  function render(path) {
    document.querySelector('#view').innerHTML = views[path]();
    const order = document.querySelector('#po');
    if (order) order.addEventListener('click', async () => {
      mark('clicked');
      const response = await fetch('/api/orders', {method: 'POST', body: '{"sku": 7}'});
      mark(response.ok ? 'answered' : 'failed');
      document.querySelector('#out').textContent =
        response.ok ? 'Thank you!' : 'Something went wrong';
    });
  }
  document.querySelectorAll('nav a').forEach((a) => a.addEventListener('click', (event) => {
    event.preventDefault();
    history.pushState({}, '', a.dataset.to);
    render(a.dataset.to);
    mark('route');
  }));
  render(location.pathname in views ? location.pathname : '/shop/');
</script>
"""

spa_double_submit = Scenario(
    name="single-page app: Place order double-clicked, the second 500",
    body=SPA,
    play=after(
        click("a[data-to='/shop/cart']"),
        until_marked("route"),
        double_click("#po", gap_ms=150),
        until_marked("answered", "failed"),
    ),
    expected=(("double_submit", "clicked"),),
    api=replies({("POST", "/api/orders"): [(201, 0.05), (500, 0.05)]}),
)

# -- (d) a slow page: a click that blocks the main thread several times ----------------------

REPORT = """
<section>
  <h3>Quarterly report</h3>
  <button type="button" id="recalc">Recalculate</button>
  <output id="sum">–</output>
</section>
<script>
  document.querySelector('#recalc').addEventListener('click', () => {
    mark('clicked');
    let left = 5;
    const step = () => {
      busy(300);
      if (--left > 0) return setTimeout(step, 20);
      document.querySelector('#sum').textContent = '42';
      mark('done');
    };
    step();
  });
</script>
"""

slow_page = Scenario(
    name="slow page, Long Tasks API",
    body=REPORT,
    play=after(click("#recalc"), until_marked("done")),
    expected=(("slow_page", "clicked"),),
)

slow_page_without_long_tasks = Scenario(
    name="slow page, no Long Tasks API (frame gaps)",
    body=REPORT,
    play=after(click("#recalc"), until_marked("done")),
    expected=(("slow_page", "clicked"),),
    long_tasks_api=False,
)

# -- negatives: nothing may be found ----------------------------------------------------------

SETTINGS = """
<form id="prefs">
  <label>Name <input name="display" value="Ana"></label>
  <button>Save</button>
</form>
<div class="zz-host"></div>
<script>
  document.querySelector('#prefs').addEventListener('submit', async (event) => {
    event.preventDefault();
    mark('clicked');
    await fetch('/api/settings', {method: 'POST', body: '{}'});
    const note = document.createElement('p');
    note.setAttribute('role', 'status');
    note.textContent = 'Saved';
    document.querySelector('.zz-host').appendChild(note);
    setTimeout(() => { note.remove(); mark('gone'); }, 2000);
  });
</script>
"""

message_after_save = Scenario(
    name="message after a successful save",
    body=SETTINGS,
    play=after(click("#prefs button"), until_marked("gone")),
)

PAY = """
<div class="pay-w">
  <button id="pay" class="p1">Pay 24 €</button>
  <p id="state"></p>
</div>
<script>
  const pay = document.querySelector('#pay');
  pay.addEventListener('click', async () => {
    pay.disabled = true;
    mark('clicked');
    const response = await fetch('/api/payments', {method: 'POST', body: '{}'});
    document.querySelector('#state').textContent = 'Paid (' + response.status + ')';
    mark('paid');
  });
</script>
"""

double_click_one_request = Scenario(
    name="double click that sends one request",
    body=PAY,
    play=after(
        double_click("#pay", gap_ms=150), until_marked("paid"), visit_goes_on(3_000, "clicked")
    ),
    api=replies({("POST", "/api/payments"): [(201, 0.3)]}),
)

ANIMATION = """
<style>
  @keyframes drift {
    from { transform: translateX(0) rotate(0) } to { transform: translateX(600px) rotate(720deg) }
  }
  .sq { width: 60px; height: 60px; background: teal; animation: drift 4s linear infinite alternate }
</style>
<div class="sq"></div><div class="sq" style="animation-duration:3s"></div>
<script>mark('start');</script>
"""

long_animation = Scenario(
    name="long CSS animation without jank",
    body=ANIMATION,
    play=visit_goes_on(4_000),
)

long_animation_without_long_tasks = Scenario(
    name="long CSS animation without jank, no Long Tasks API (frame gaps)",
    body=ANIMATION,
    play=visit_goes_on(4_000),
    long_tasks_api=False,
)

MUST_FIND = (
    transient_message,
    native_validation,
    spa_double_submit,
    slow_page,
    slow_page_without_long_tasks,
)
MUST_NOT_FIND = (
    message_after_save,
    double_click_one_request,
    long_animation,
    long_animation_without_long_tasks,
)
