// PostHog with session recording; the recorder extension is lazy-loaded from api_host/static/,
// which the benchmark's routes serve from node_modules/posthog-js/dist.
import posthog from 'posthog-js';

posthog.init('phc_benchmark_token', {
  api_host: 'https://posthog.bench.invalid',
  autocapture: false,
  capture_pageview: true,
  capture_pageleave: false,
  disable_surveys: true,
  advanced_disable_flags: false,
  session_recording: { maskAllInputs: true },
  persistence: 'memory',
  opt_out_useragent_filter: true, // headless Chromium's user agent looks like a bot
});
window.__posthog = posthog;
