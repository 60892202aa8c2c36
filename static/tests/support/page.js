// A stand-in for the browser page the recorder runs in (location, document, navigator, window).
export function fakeWindow({ href = 'https://shop.example/checkout?token=abc', title = 'Checkout', referrer = '' } = {}) {
  return {
    location: new URL(href),
    document: { title, referrer },
    navigator: { userAgent: 'Mozilla/5.0 (node test)' },
    innerWidth: 1280,
    innerHeight: 720,
  };
}
