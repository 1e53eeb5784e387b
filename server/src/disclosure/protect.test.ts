import { describe, expect, it } from 'vitest';
import { protectCount, protectLinkedTables, protectTable, roundCount, type CountTable, type ProtectedTable, type ProtectedValue } from './protect.js';

function tableOf(cells: number[][]): CountTable {
  const rowTotals = cells.map((row) => row.reduce((a, b) => a + b, 0));
  const columnTotals = cells[0]!.map((_, c) => cells.reduce((sum, row) => sum + row[c]!, 0));
  return Object.freeze({ cells, rowTotals, columnTotals, total: rowTotals.reduce((a, b) => a + b, 0) });
}

/** Every hidden cell must be in no line with exactly one hidden member. */
function noLineRevealsOne(protectedTable: ProtectedTable) {
  const grid: ProtectedValue[][] = [
    ...protectedTable.cells.map((row, r) => [...row, protectedTable.rowTotals[r]!]),
    [...protectedTable.columnTotals, protectedTable.total],
  ];
  const isHidden = (v: ProtectedValue) => typeof v !== 'number';
  for (const line of grid) expect(line.filter(isHidden).length).not.toBe(1);
  for (let c = 0; c < grid[0]!.length; c++) expect(grid.map((line) => line[c]!).filter(isHidden).length).not.toBe(1);
}

describe('single counts', () => {
  it('show 1-4 as <5, round the rest to 5, keep 0', () => {
    expect([0, 1, 4, 5, 7, 8, 12, 13, 100].map(protectCount)).toEqual([0, '<5', '<5', 5, 5, 10, 10, 15, 100]);
  });
});

describe('tables', () => {
  it('hide a second cell in a row with one small cell, so the total cannot give it away', () => {
    const result = protectTable(tableOf([[3, 20, 40], [10, 12, 30]]));
    expect(result.cells[0]![0]).toBe('<5');
    expect(result.cells[0]![1]).toBe('c'); // the smallest other non-zero in row 0
    noLineRevealsOne(result);
  });

  it('protect the columns that secondary suppression opens up', () => {
    const result = protectTable(tableOf([[2, 9, 30], [15, 11, 40], [20, 25, 50]]));
    noLineRevealsOne(result);
    expect(result.cells.flat().filter((v) => v === 'c').length).toBeGreaterThanOrEqual(2);
  });

  it('hide the total when every other member of the line is zero', () => {
    const result = protectTable(tableOf([[2, 0, 0], [10, 20, 30]]));
    expect(result.rowTotals[0]).toBe('<5');
    noLineRevealsOne(result);
  });

  it('leave a table with no small counts alone apart from rounding', () => {
    const result = protectTable(tableOf([[12, 20], [33, 48]]));
    expect(result).toEqual({ cells: [[10, 20], [35, 50]], rowTotals: [30, 80], columnTotals: [45, 70], total: 115 });
  });

  it('never leaves a line with exactly one hidden member, on many random tables', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 300; n++) {
      const rows = 1 + Math.floor(random() * 6);
      const columns = 1 + Math.floor(random() * 6);
      const cells = Array.from({ length: rows }, () => Array.from({ length: columns }, () =>
        random() < 0.3 ? Math.floor(random() * 5) : Math.floor(random() * 60)));
      const result = protectTable(tableOf(cells));
      noLineRevealsOne(result);
      for (const value of [...result.cells.flat(), ...result.rowTotals, ...result.columnTotals, result.total]) {
        if (typeof value === 'number') expect(value % 5).toBe(0);
      }
    }
  });
});

describe('linked tables (one count broken down by category, by gender, ...)', () => {
  it('hide a row total in every table when one table must hide it', () => {
    // By category, the 4 in row 1 forces hiding 16, then 18 (column 1 ... column 0), and
    // row 0's total (its other cell is 0). By gender nothing is small: alone it would show
    // both row totals, and 18 = row 0's total would give away the hidden 18.
    const byCategory = tableOf([[18, 0], [4, 16]]);
    const byGender = tableOf([[9, 9], [10, 10]]);
    expect(protectTable(byCategory).rowTotals[0]).toBe('c');
    expect(protectTable(byGender).rowTotals[0]).toBe(20);
    const [category, gender] = protectLinkedTables([byCategory, byGender]);
    expect(gender!.rowTotals).toEqual(category!.rowTotals);
    expect(gender!.rowTotals[0]).toBe('c');
    noLineRevealsOne(category!);
    noLineRevealsOne(gender!);
  });

  it('agree on every shared total, on many random pairs of tables', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 200; n++) {
      const rows = 1 + Math.floor(random() * 6);
      const totals = Array.from({ length: rows }, () => (random() < 0.3 ? Math.floor(random() * 6) : Math.floor(random() * 80)));
      // Split each row total across 3 and 4 columns at random.
      const split = (total: number, columns: number) => {
        const cells = Array.from({ length: columns }, () => 0);
        for (let k = 0; k < total; k++) cells[Math.floor(random() * columns)]! += 1;
        return cells;
      };
      const tables = [tableOf(totals.map((t) => split(t, 3))), tableOf(totals.map((t) => split(t, 4)))];
      const [a, b] = protectLinkedTables(tables);
      expect(a!.rowTotals).toEqual(b!.rowTotals);
      expect(a!.total).toEqual(b!.total);
      noLineRevealsOne(a!);
      noLineRevealsOne(b!);
    }
  });
});

describe('differencing between two requests', () => {
  it('never reveals an exact difference of 1-4 (for example one hour narrower)', () => {
    // For every pair of true counts (n, n + k), k = 1..4, the pair of published values
    // could also have come from true counts with a different difference.
    for (let n = 0; n <= 300; n++) {
      for (let k = 1; k <= 4; k++) {
        const seen = [protectCount(n), protectCount(n + k)];
        const differences = new Set<number>();
        for (let m = 0; m <= 310; m++) {
          for (let j = 0; j <= 9; j++) {
            if (protectCount(m) === seen[0] && protectCount(m + j) === seen[1]) differences.add(j);
          }
        }
        expect(differences.size, `${n} and ${n + k}`).toBeGreaterThan(1);
      }
    }
  });

  it('rounds to the nearest 5', () => {
    expect([5, 6, 7, 8, 9, 10, 12, 13].map((v) => roundCount(v))).toEqual([5, 5, 5, 10, 10, 10, 10, 15]);
  });
});
