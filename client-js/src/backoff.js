// Reconnect delays: exponential backoff with full jitter (a random delay between 0 and the capped
// exponential), so that clients cut off together do not all come back in the same instant.

/** Delay in ms before retry number `attempt` (0 = first): random in [0, min(cap, base * 2^attempt)). */
export function backoffDelay(attempt, base = 500, cap = 30000, random = Math.random) {
  const ceiling = Math.min(cap, base * Math.pow(2, Math.min(attempt, 30)));
  return Math.floor(random() * ceiling);
}
