// Disclosure control for counts shown to scrutiny-panel members: cell-key perturbation,
// as the ONS did for Census 2021's flexible tables and the ABS does in TableBuilder
// (docs/disclosure.md gives the threat model, the reasons and the residual risk).
// Every incident carries a random record key 0-255 (migration 0022) and every person the
// low 8 bits of person_key; a count's cell key is the sum of its members' keys modulo 256
// (repositories/summaries.ts CELL_KEY). The shown value is a function of the true count
// and the cell key only, so the same incidents always show the same number, and two
// requests whose incidents differ by even one get unrelated perturbations.
// Hand-written: no maintained JavaScript library does cell-key perturbation (the ONS's
// cellKey and the ABS's ptable are R packages); the rule is small and fully unit-tested.

import { FEWEST_PLACES, MAXIMUM_PERTURBATION, SMALLEST_SHOWN, type ProtectedCount } from '@lantern/shared';

export type ProtectedValue = ProtectedCount;

/**
 * The perturbation for counts of 5 or more, by cell key: 100 of the 256 keys add 0,
 * 50 each add +1 or -1, 20 each +2 or -2, 6 each +3 or -3 and 2 each +4 or -4. Mean 0,
 * variance 1.69; a value at the published maximum is 1 in 128, so an attacker's bounds
 * (which must allow for it) are rarely met.
 */
const OFFSET_WEIGHTS: [number, number][] = [[0, 100], [1, 50], [-1, 50], [2, 20], [-2, 20], [3, 6], [-3, 6], [4, 2], [-4, 2]];
const OFFSETS: number[] = OFFSET_WEIGHTS.flatMap(([offset, weight]) => Array.from({ length: weight }, () => offset));

export const DISCLOSURE_RULE =
  'Counts are perturbed (cell-key method, as in Census 2021): a count of 1-4 is shown as 0 or 5, any other count '
  + `moves by at most ${MAXIMUM_PERTURBATION}, and the same incidents always give the same figure; totals are the sums of the `
  + `figures shown; areas whose counts come from fewer than ${FEWEST_PLACES} places are hidden ("c"); rates use the figures shown.`;

const KEYS = 256;

/**
 * The count shown for a true count and its cell key: 0 stays 0; 1-4 become 5 with
 * probability n/5 over the keys (else 0), so their expected value is kept; 5 and over
 * move by OFFSETS[key], never below 5.
 */
export function perturb(count: number, key: number): number {
  if (count <= 0) return 0;
  const slot = ((key % KEYS) + KEYS) % KEYS;
  if (count < SMALLEST_SHOWN) return slot < Math.round((KEYS * count) / SMALLEST_SHOWN) ? SMALLEST_SHOWN : 0;
  return Math.max(SMALLEST_SHOWN, count + OFFSETS[slot]!);
}

/** Each count of a record perturbed by its own cell key. */
export const perturbRecord = <K extends string>(counts: Partial<Record<K, number>>, keys: Partial<Record<K, number>>) =>
  Object.fromEntries(Object.entries<number | undefined>(counts).map(([name, count]) => [name, perturb(count ?? 0, keys[name as K] ?? 0)])) as Record<K, number>;

/** The cell key of a set made of two sets less their overlap: (a + b - overlap) mod 256. */
export const keyOfUnionPart = (a: number, b: number, overlap: number) => (((a + b - overlap) % KEYS) + KEYS) % KEYS;

/** The sum of cell keys modulo 256: the key of the union of disjoint sets. */
export const keyOfSum = (keys: number[]) => keys.reduce((sum, key) => (sum + key) % KEYS, 0);

/**
 * Shown parts made to add up to a total shown elsewhere (episodes by gender to the
 * episodes by category), keeping every part 0 or at least 5. Works on shown figures
 * only, never the true counts, so it reveals nothing they do not. Parts are dropped from
 * the smallest while there are too many to be 5 each; the difference is added to the
 * largest or taken from the largest down to 5. With no part shown, the total goes to the
 * part the key picks.
 */
export function addUpTo(parts: number[], total: number, key: number): number[] {
  const result = parts.map(() => 0);
  if (total <= 0 || parts.length === 0) return result;
  let kept = parts.map((value, index) => ({ value, index })).filter((part) => part.value > 0)
    .sort((a, b) => b.value - a.value || a.index - b.index);
  if (kept.length === 0) kept = [{ value: 0, index: key % parts.length }];
  while (kept.length > 1 && kept.length * SMALLEST_SHOWN > total) kept.pop();
  for (const part of kept) result[part.index] = Math.max(part.value, SMALLEST_SHOWN);
  let difference = total - kept.reduce((sum, part) => sum + result[part.index]!, 0);
  if (difference > 0) result[kept[0]!.index]! += difference;
  for (const part of kept) {
    if (difference >= 0) break;
    const take = Math.min(-difference, result[part.index]! - SMALLEST_SHOWN);
    result[part.index]! -= take;
    difference += take;
  }
  return result;
}

/** A rate per 1,000 from a shown count: hidden when the count is. */
export function protectedRate(count: ProtectedValue, population: number | null): number | null {
  if (typeof count !== 'number' || !population) return null;
  return Math.round((count / population) * 10_000) / 10;
}
