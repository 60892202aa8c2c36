"""The checkout page the end-to-end recordings use: two sensitive inputs and a Pay button whose
handler calls the shop's API, navigates and logs a console error."""

from tests.recorder.sites import wait_until

SECRET_EMAIL = "typed-secret-email@example.test"
SECRET_PASSWORD = "typed-secret-pass-98765"

FORM = """
<h1>Checkout</h1>
<form onsubmit="return false">
  <input id=email type=email>
  <input id=password type=password>
  <button id=pay type=button>Pay now</button>
</form>
<p id=result></p>
"""
# What the Pay button does (tests/sdks/apps/browser/app.ts does the same from a bundle).
PAY_SCRIPT = """
<script>
  document.querySelector('#pay').addEventListener('click', async () => {
    const response = await fetch('/api/orders', {method: 'POST', body: '{}'});
    document.querySelector('#result').textContent = 'Order ' + response.status;
    history.pushState({}, '', '/checkout/done');
    console.error('Payment provider answered slowly');
  });
</script>
"""
PAGE = FORM + PAY_SCRIPT


def check_out(page, *, user_id: str | None = None) -> str:
    """On the opened checkout page, once the recorder runs: identify (if given), type both
    secrets, pay, wait for the order, stop recording. Returns the session id."""
    page.wait_for_function("window.qorrelate && window.qorrelate.version")
    if user_id:
        page.evaluate("(id) => qorrelate.identify(id, {plan: 'pro'})", user_id)
    page.type("#email", SECRET_EMAIL)
    page.type("#password", SECRET_PASSWORD)
    page.click("#pay")
    wait_until(page, lambda: "Order 200" in page.inner_text("#result"), message="the order")
    session_id = page.evaluate("qorrelate.getSessionId()")
    page.evaluate("qorrelate.stop()")
    return session_id
