/** Class breaks of numeric values, for colour rules and their legends. */

/** Rounds a break to 2 significant digits, so legends read "1,200", not "1,187.33". */
const roundBreak = (value: number) => {
  if (value === 0 || !Number.isFinite(value)) return value;
  const magnitude = 10 ** (Math.floor(Math.log10(Math.abs(value))) - 1);
  return Math.round(value / magnitude) * magnitude;
};

/** `classes` classes of equal width between min and max: classes − 1 thresholds. */
export function equalThresholds(min: number, max: number, classes: number): number[] {
  if (!(max > min) || classes < 2) return [];
  const step = (max - min) / classes;
  const breaks = Array.from({ length: classes - 1 }, (_, i) => roundBreak(min + step * (i + 1)));
  return [...new Set(breaks)].filter((t) => t > min && t < max);
}

/**
 * Class breaks by orders of magnitude up to `max` (sums over cells span several), at most
 * `classes` classes; e.g. max 3,000,000 and 7 classes -> [10, 100, ..., 1,000,000].
 */
export function magnitudeThresholds(max: number, classes = 7): number[] {
  if (!Number.isFinite(max) || max <= 1) return [];
  const top = Math.floor(Math.log10(max));
  const first = Math.max(1, top - (classes - 2));
  const thresholds: number[] = [];
  for (let power = first; power <= top; power++) thresholds.push(10 ** power);
  return thresholds;
}
