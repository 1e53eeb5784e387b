// Disclosure control for counts shown to scrutiny-panel members (docs/disclosure.md):
// 1. primary suppression: a count of 1-4 is shown as "<5";
// 2. secondary suppression: in a table with totals, whenever a row, column or the
//    totals line would have exactly one hidden member, the smallest other non-zero
//    member is hidden too ("c"), repeated until no hidden count can be worked out by
//    subtraction from its line;
// 3. rounding: every count shown is rounded to the nearest 5 (0 stays 0), so the
//    difference between two requests (one hour narrower, one day shorter) never gives an
//    exact small count.
// Hand-written: no maintained JavaScript library does cell suppression (sdcTable and
// tau-Argus are R and Java tools); the rule is small and fully unit-tested.

export type ProtectedValue = number | '<5' | 'c';

export const ROUNDING_BASE = 5;
export const SMALLEST_SHOWN = 5;

export const DISCLOSURE_RULE =
  'Counts of 1-4 are shown as "<5"; where a total would reveal a hidden count, a further count '
  + 'is hidden ("c"); every count shown is rounded to the nearest 5; rates use the rounded counts '
  + 'and are hidden with their counts.';

const isSmall = (value: number) => value >= 1 && value < SMALLEST_SHOWN;

/** Rounds a count to the nearest multiple of the base; 0 stays 0. */
export function roundCount(value: number, base = ROUNDING_BASE): number {
  return Math.round(value / base) * base;
}

/** One count on its own (not part of an additive table), e.g. distinct people. */
export function protectCount(value: number): ProtectedValue {
  return isSmall(value) ? '<5' : roundCount(value);
}

export interface CountTable {
  /** cells[row][column] */
  cells: number[][];
  rowTotals: number[];
  columnTotals: number[];
  total: number;
}

export interface ProtectedTable {
  cells: ProtectedValue[][];
  rowTotals: ProtectedValue[];
  columnTotals: ProtectedValue[];
  total: ProtectedValue;
}

/** Totals that another table sharing them has hidden (see protectLinkedTables). */
export interface ForcedHidden {
  rowTotals?: boolean[];
  total?: boolean;
}

/**
 * Suppresses and rounds a table whose rows and columns add up to their totals.
 * Works on the extended grid: row `rows` holds the column totals, column `columns`
 * the row totals, and [rows][columns] the grand total.
 */
export function protectTable(table: CountTable, forced: ForcedHidden = {}): ProtectedTable {
  const rows = table.cells.length;
  const columns = table.columnTotals.length;
  const value = (r: number, c: number): number =>
    r === rows ? (c === columns ? table.total : table.columnTotals[c]!) : c === columns ? table.rowTotals[r]! : table.cells[r]![c]!;
  const primary = Array.from({ length: rows + 1 }, (_, r) => Array.from({ length: columns + 1 }, (_, c) => isSmall(value(r, c))));
  const hidden = primary.map((line) => [...line]);
  forced.rowTotals?.forEach((hide, r) => { if (hide) hidden[r]![columns] = true; });
  if (forced.total) hidden[rows]![columns] = true;

  // Each additive relation is a line of the extended grid: its last member is the total.
  const lines: [number, number][][] = [
    ...Array.from({ length: rows + 1 }, (_, r) => Array.from({ length: columns + 1 }, (_, c) => [r, c] as [number, number])),
    ...Array.from({ length: columns + 1 }, (_, c) => Array.from({ length: rows + 1 }, (_, r) => [r, c] as [number, number])),
  ];
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      const hiddenCount = line.filter(([r, c]) => hidden[r]![c]).length;
      if (hiddenCount !== 1) continue;
      const open = line.slice(0, -1).filter(([r, c]) => !hidden[r]![c]);
      // The smallest non-zero open member: hiding a known zero would protect nothing.
      const candidates = open.filter(([r, c]) => value(r, c) > 0).sort(([r1, c1], [r2, c2]) => value(r1, c1) - value(r2, c2));
      const [totalRow, totalColumn] = line[line.length - 1]!;
      const choice = candidates[0] ?? (!hidden[totalRow]![totalColumn] ? line[line.length - 1]! : open[0]);
      if (!choice) continue;
      hidden[choice[0]]![choice[1]] = true;
      changed = true;
    }
  }

  const shown = (r: number, c: number): ProtectedValue =>
    hidden[r]![c] ? (primary[r]![c] ? '<5' : 'c') : roundCount(value(r, c));
  return {
    cells: Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => shown(r, c))),
    rowTotals: Array.from({ length: rows }, (_, r) => shown(r, columns)),
    columnTotals: Array.from({ length: columns }, (_, c) => shown(rows, c)),
    total: shown(rows, columns),
  };
}

const isHidden = (value: ProtectedValue) => typeof value !== 'number';

/**
 * Tables that break the same counts down different ways (areas by category, by gender,
 * by ethnicity) share their row totals and grand total: a total hidden in one must be
 * hidden in all, or it could be read from another and used to recover a hidden cell.
 * Each table is protected with the union of hidden totals until that union stops
 * growing (it only grows, so this ends).
 */
export function protectLinkedTables(tables: CountTable[]): ProtectedTable[] {
  let forced = { rowTotals: tables[0]!.rowTotals.map(() => false), total: false };
  for (;;) {
    const results = tables.map((table) => protectTable(table, forced));
    const next = {
      rowTotals: forced.rowTotals.map((_, r) => results.some((result) => isHidden(result.rowTotals[r]!))),
      total: results.some((result) => isHidden(result.total)),
    };
    if (next.total === forced.total && next.rowTotals.every((hide, r) => hide === forced.rowTotals[r])) return results;
    forced = next;
  }
}

/** A rate per 1,000 from a protected count: hidden when the count is. */
export function protectedRate(count: ProtectedValue, population: number | null): number | null {
  if (typeof count !== 'number' || !population) return null;
  return Math.round((count / population) * 10_000) / 10;
}
