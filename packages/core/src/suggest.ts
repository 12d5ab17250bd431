/**
 * Typo suggestions for error messages: the accepted value nearest to what the user wrote, so
 * `"intervals"` gets `did you mean "interval"?`.
 */

/** Edits (insert, delete, replace, swap two neighbours) from `a` to `b`, ignoring case. */
export function editDistance(a: string, b: string): number {
  const from = a.toLowerCase();
  const to = b.toLowerCase();
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: to.length + 1 }, (_, index) => index);
  for (let i = 1; i <= from.length; i++) {
    const current = [i];
    for (let j = 1; j <= to.length; j++) {
      const cost = from[i - 1] === to[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && from[i - 1] === to[j - 2] && from[i - 2] === to[j - 1]) {
        best = Math.min(best, beforePrevious[j - 2]! + 1);
      }
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[to.length]!;
}

/**
 * The accepted value nearest to `given`, or `undefined` when none is near enough to be a typo of
 * it: at most a third of the word's letters (and at least one) may differ, so a short name of
 * the user's own (`'pool'`) is not taken for a typo of another (`'pipe'`).
 */
export function closestMatch(given: string, accepted: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of accepted) {
    const distance = editDistance(given, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(given.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** ` Did you mean "interval"?`, to follow a sentence, or nothing. */
export function didYouMean(given: unknown, accepted: Iterable<string>): string {
  if (typeof given !== 'string' || given.length === 0) return '';
  const match = closestMatch(given, accepted);
  return match === undefined || match === given ? '' : ` Did you mean "${match}"?`;
}
