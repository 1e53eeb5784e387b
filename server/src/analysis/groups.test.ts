import { describe, expect, it } from 'vitest';
import { linkedPairs, peerGroups, type GroupInput } from './groups.js';

// Five people (A-E = 0-4). Minutes are since 1970; places are indexes, -1 none.
// A and B: twice at place 0 within two hours. C and D: twice the same incident (same
// minute, 10 m apart), at no place. B and C: once at place 1, but 200 minutes apart.
// A and E: once at place 0 within the hour.
const rows: [person: number, minute: number, x: number, y: number, place: number, role: number, category: number][] = [
  [0, 0, 0, 0, 0, 0, 1], [1, 30, 5, 0, 0, 1, 1],
  [0, 1000, 0, 0, 0, 0, 1], [1, 1050, 0, 5, 0, 0, 2],
  [2, 5000, 500, 500, 1, 2, 3], [3, 5000, 510, 500, -1, 2, 3],
  [2, 6000, 900, 900, -1, 2, 3], [3, 6000, 900, 910, -1, 2, 3],
  [1, 100, 0, 0, 1, 1, 1], [2, 300, 0, 0, 1, 1, 1],
  [0, 3000, 0, 0, 0, 0, 1], [4, 3010, 0, 0, 0, 3, 0],
];

function input(options: Partial<GroupInput> = {}): GroupInput {
  const column = <T extends Int32Array | Float64Array | Uint8Array>(make: (n: number) => T, k: number) => {
    const out = make(rows.length);
    rows.forEach((row, i) => { out[i] = row[k]!; });
    return out;
  };
  return {
    person: column((n) => new Int32Array(n), 0), minute: column((n) => new Float64Array(n), 1),
    x: column((n) => new Float64Array(n), 2), y: column((n) => new Float64Array(n), 3), place: column((n) => new Int32Array(n), 4),
    role: column((n) => new Uint8Array(n), 5), category: column((n) => new Uint8Array(n), 6),
    hour: new Uint8Array(rows.length).fill(17), day: Int32Array.from(rows, (row) => Math.floor(row[1] / 1440)),
    personKey: Uint8Array.from([10, 20, 30, 40, 250]), hours: 2, together: 2, minSize: 2, ...options,
  };
}

describe('peer groups', () => {
  it('count people named together at a place within the hours, or in the same incident, once per pair of incidents', () => {
    const pairs = linkedPairs(input());
    const of = (a: number, b: number) => pairs.get(a * 5 + b) ?? 0;
    expect(of(0, 1)).toBe(2); // minutes 0 and 30, 1000 and 1050 at place 0
    expect(of(2, 3)).toBe(2);
    expect(of(1, 2)).toBe(0);
    expect(of(0, 4)).toBe(1);
  });

  it('link pairs named together often enough, and report each group\'s size, roles, categories, places and days', () => {
    const { groups, people, links } = peerGroups(input(), 4, 4);
    expect(people).toBe(5);
    expect(links).toBe(2);
    expect(groups.map((group) => group.members)).toEqual([[0, 1], [2, 3]]);
    const ab = groups[0]!;
    expect(ab.episodes).toBe(6);
    expect(ab.linkedPairs).toBe(1);
    expect([...ab.roles]).toEqual([2, 1, 0, 0]); // A victim; B victim and suspect
    expect([...ab.categories]).toEqual([0, 5, 1, 0]);
    expect([...ab.places]).toEqual([[0, 5], [1, 1]]);
    expect(ab.key).toBe(30);
    // Linked once is enough: E joins A and B.
    expect(peerGroups(input({ together: 1 }), 4, 4).groups[0]!.members).toEqual([0, 1, 2, 3, 4].filter((p) => p !== 2 && p !== 3));
    // Groups smaller than the smallest asked for are not reported.
    expect(peerGroups(input({ minSize: 3 }), 4, 4).groups).toEqual([]);
    // The same incident alone (no place window) still links C and D.
    expect(peerGroups(input({ hours: 0 }), 4, 4).groups.map((group) => group.members)).toEqual([[2, 3]]);
  });
});
