import { MAXIMUM_PERTURBATION, SMALLEST_SHOWN } from '@lantern/shared';
import { describe, expect, it } from 'vitest';
import { addUpTo, keyOfSum, keyOfUnionPart, perturb } from './protect.js';

const KEYS = Array.from({ length: 256 }, (_, key) => key);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('perturb', () => {
  it('keeps 0, never shows 1-4, and moves nothing by more than the published maximum', () => {
    for (const key of KEYS) expect(perturb(0, key)).toBe(0);
    const wrong: string[] = [];
    for (let count = 1; count <= 300; count++) {
      for (const key of KEYS) {
        const shown = perturb(count, key);
        if ((shown > 0 && shown < SMALLEST_SHOWN) || Math.abs(shown - count) > MAXIMUM_PERTURBATION) wrong.push(`${count}/${key} -> ${shown}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('is the same for the same count and key (asking again reveals nothing)', () => {
    for (const key of KEYS) expect(perturb(37, key)).toBe(perturb(37, key));
    expect(perturb(37, 3)).toBe(perturb(37, 3 + 256));
  });

  it('keeps the expected value of small counts, and of counts away from the floor', () => {
    // Over the 256 equally likely keys (a sum of random keys modulo 256 is uniform).
    for (const count of [1, 2, 3, 4]) {
      expect(Math.abs(mean(KEYS.map((key) => perturb(count, key))) - count)).toBeLessThan(0.02);
    }
    for (const count of [9, 10, 50, 1000]) expect(mean(KEYS.map((key) => perturb(count, key)))).toBe(count);
  });

  it('leaves most counts of 5 or more where they are, and few at the maximum', () => {
    const offsets = KEYS.map((key) => perturb(100, key) - 100);
    expect(offsets.filter((offset) => offset === 0).length).toBe(100);
    expect(offsets.filter((offset) => Math.abs(offset) === MAXIMUM_PERTURBATION).length).toBe(4);
  });

  it('gives every value shown more than one possible true count', () => {
    const sources = new Map<number, Set<number>>();
    for (let count = 0; count <= 200; count++) {
      for (const key of KEYS) {
        const shown = perturb(count, key);
        if (!sources.has(shown)) sources.set(shown, new Set());
        sources.get(shown)!.add(count);
      }
    }
    for (const [shown, counts] of sources) {
      if (shown <= 190) expect(counts.size, `shown ${shown}`).toBeGreaterThan(1);
    }
    expect([...sources.get(0)!].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('cell keys', () => {
  it('of a union of disjoint sets is the sum of theirs, modulo 256', () => {
    expect(keyOfSum([200, 100, 3])).toBe(47);
    // CSE 10 people (key 250), CCE 5 (key 20), either 13 (key 30): both are 2 with key 240.
    expect(keyOfUnionPart(250, 20, 30)).toBe(240);
    expect(keyOfUnionPart(1, 2, 200)).toBe(59);
  });
});

describe('addUpTo', () => {
  const total = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const valid = (values: number[]) => values.every((value) => value === 0 || value >= SMALLEST_SHOWN);

  it('adds the difference to the largest part, or takes it from the largest down to 5', () => {
    expect(addUpTo([40, 10, 0, 6], 60, 0)).toEqual([44, 10, 0, 6]);
    expect(addUpTo([40, 10, 0, 6], 50, 0)).toEqual([34, 10, 0, 6]);
    expect(addUpTo([7, 6, 5], 15, 0)).toEqual([5, 5, 5]);
  });

  it('drops the smallest parts when the total cannot give each of them 5', () => {
    expect(addUpTo([5, 5, 5], 10, 0)).toEqual([5, 5, 0]);
    expect(addUpTo([5, 5], 7, 0)).toEqual([7, 0]);
  });

  it('puts a total with no part shown where the key says, and a zero total nowhere', () => {
    expect(addUpTo([0, 0, 0, 0], 5, 6)).toEqual([0, 0, 5, 0]);
    expect(addUpTo([5, 9], 0, 1)).toEqual([0, 0]);
  });

  it('always adds up, with no part 1-4, on 2,000 random cases', () => {
    let seed = 7;
    const random = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    for (let i = 0; i < 2000; i++) {
      const parts = Array.from({ length: 1 + Math.floor(random() * 6) }, () => (random() < 0.4 ? 0 : 5 + Math.floor(random() * 30)));
      const target = random() < 0.1 ? 0 : 5 + Math.floor(random() * 120);
      const result = addUpTo(parts, target, Math.floor(random() * 256));
      expect(total(result)).toBe(target);
      expect(valid(result)).toBe(true);
    }
  });
});
