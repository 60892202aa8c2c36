// Waits for a condition of promise-driven code (no fixed sleeps): yields to the event loop until
// `condition()` is true. It fails only when the condition is still false after `limitMs` of
// wall time: a count of event-loop turns ran out on a loaded machine while gzip (on Node's
// thread pool) was still at work.
export async function until(condition, limitMs = 30000) {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met: ${condition}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
