// Acme Coffee's checkout page, with the three bugs of the article built in.
(function () {
  var params = new URLSearchParams(location.search);
  var cartId = 'cart-' + Math.random().toString(36).slice(2, 10);

  function identify() {
    if (window.qorrelate && params.get('user')) {
      window.qorrelate.identify(params.get('user'), { plan: params.get('plan') || 'free', cart: cartId });
    }
  }
  window.addEventListener('load', identify);

  function toast(text, kind, ms) {
    var el = document.createElement('div');
    el.className = 'toast ' + (kind || '');
    el.textContent = text;
    document.getElementById('toasts').appendChild(el);
    setTimeout(function () { el.remove(); }, ms || 2000);
  }

  // Scenario 1: validation happens in the browser only, and its message vanishes after 2 s.
  function invalid() {
    var zip = document.getElementById('zip').value.trim();
    if (!/^\d{5}$/.test(zip)) return 'Please enter a valid 5-digit ZIP code.';
    if (!document.getElementById('email').value.includes('@')) return 'Please enter your email address.';
    return null;
  }

  // Scenario 2: the button stays enabled while the order is placed, so a double click
  // sends two orders for the same cart.
  document.getElementById('checkout').addEventListener('submit', function (event) {
    event.preventDefault();
    var problem = invalid();
    if (problem) {
      toast(problem, 'error', 2000);
      return;
    }
    var result = document.getElementById('result');
    result.textContent = 'Placing your order…';
    fetch('/api/orders', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ cart_id: cartId, email: document.getElementById('email').value }),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) {
          result.textContent = 'Thank you! Order ' + body.order + ' is confirmed.';
          result.className = 'result ok';
        } else {
          toast('Something went wrong. Please try again.', 'error', 2500);
        }
      });
    });
  });

  // Scenario 3: a gift-wrap preview whose animation thrashes layout on every frame.
  document.getElementById('gift-wrap').addEventListener('click', function () {
    var stage = document.getElementById('wrap-stage');
    stage.hidden = false;
    stage.innerHTML = '';
    for (var i = 0; i < 700; i++) {
      var ribbon = document.createElement('span');
      ribbon.className = 'ribbon';
      ribbon.style.animationDelay = (i % 30) * 40 + 'ms';
      stage.appendChild(ribbon);
    }
    var ribbons = stage.querySelectorAll('.ribbon');
    var until = Date.now() + 3500;
    function frame() {
      // Read-after-write on every ribbon: the browser lays the page out 700 times a frame.
      for (var j = 0; j < ribbons.length; j++) {
        ribbons[j].style.width = (20 + (ribbons[j].offsetWidth + j) % 40) + 'px';
      }
      if (Date.now() < until) requestAnimationFrame(frame);
      else stage.classList.add('done');
    }
    requestAnimationFrame(frame);
  });
})();
