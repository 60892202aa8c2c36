// Waits for a condition of promise-driven code (no fixed sleeps): yields to the event loop until
// `condition()` is true, and fails after `limit` turns.
export async function until(condition, limit = 2000) {
  for (let i = 0; i < limit; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`condition not met: ${condition}`);
}
