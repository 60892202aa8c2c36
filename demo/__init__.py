"""The demo: a small checkout shop instrumented with Qorrelate, and the article's three
scenarios recorded into a demo organization by driving Chromium (``make demo``)."""
