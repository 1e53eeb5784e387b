import { describe, expect, it } from 'vitest';
import { MAX_REVISIT_MINUTES, schedulePatrol, ScheduleError, VISIT_MINUTES, type Schedule } from './schedule.js';

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

/** Every constraint of a plan over [start, end). */
function expectDosage(schedule: Schedule, places: number, start: number, end: number) {
  expect(new Set(schedule.visits.map((visit) => visit.place))).toEqual(new Set(Array.from({ length: places }, (_, i) => i)));
  for (const visit of schedule.visits) {
    const minutes = (visit.end - visit.start) / MINUTE;
    expect(minutes).toBeGreaterThanOrEqual(VISIT_MINUTES.min);
    expect(minutes).toBeLessThanOrEqual(VISIT_MINUTES.max);
    expect(visit.start).toBeGreaterThanOrEqual(start);
    expect(visit.end).toBeLessThanOrEqual(end);
  }
  // One patrol: visits never overlap.
  const sorted = [...schedule.visits].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
  for (let place = 0; place < places; place++) {
    const own = sorted.filter((visit) => visit.place === place);
    expect((own[0]!.start - start) / MINUTE).toBeLessThanOrEqual(MAX_REVISIT_MINUTES);
    for (let i = 1; i < own.length; i++) expect((own[i]!.start - own[i - 1]!.start) / MINUTE).toBeLessThanOrEqual(MAX_REVISIT_MINUTES);
    expect((end - own[own.length - 1]!.end) / MINUTE).toBeLessThanOrEqual(MAX_REVISIT_MINUTES);
  }
  expect(schedule.totalVisitMinutes).toBeLessThanOrEqual((end - start) / MINUTE);
}

describe('patrol schedule (Koper curve dosage)', () => {
  it('holds every constraint for 2-5 places over shifts of 1 to 10 hours, on many seeds', () => {
    const start = at('2025-06-13T14:00:00Z');
    for (let seed = 1; seed <= 300; seed++) {
      const places = 2 + (seed % 4);
      const hours = 1 + (seed % 10);
      const end = start + hours * 60 * MINUTE;
      expectDosage(schedulePatrol(places, start, end, seed), places, start, end);
    }
  });

  it('draws a new order per plan and repeats it for the same seed', () => {
    const start = at('2025-06-13T14:00:00Z');
    const end = start + 8 * 60 * MINUTE;
    const orders = new Set(Array.from({ length: 40 }, (_, seed) => schedulePatrol(5, start, end, seed + 1).order.join('')));
    expect(orders.size).toBeGreaterThan(10);
    expect(schedulePatrol(5, start, end, 99)).toEqual(schedulePatrol(5, start, end, 99));
  });

  it('works across midnight and on the nights the clocks change (real minutes, not clock minutes)', () => {
    // 22:00-06:00 local on the night BST starts (29 March 2026: 7 real hours) and ends
    // (25 October 2026: 9 real hours), and an ordinary Friday night.
    const shifts = [
      [at('2026-03-28T22:00:00Z'), at('2026-03-29T05:00:00Z')],
      [at('2026-10-24T21:00:00Z'), at('2026-10-25T06:00:00Z')],
      [at('2025-11-14T22:00:00Z'), at('2025-11-15T06:00:00Z')],
    ] as const;
    for (const [start, end] of shifts) {
      for (let seed = 1; seed <= 50; seed++) expectDosage(schedulePatrol(4, start, end, seed), 4, start, end);
    }
    const spring = schedulePatrol(3, shifts[0][0], shifts[0][1], 7);
    expect(spring.visits.at(-1)!.end).toBeLessThanOrEqual(shifts[0][1]);
  });

  it('refuses a shift too short for one round', () => {
    const start = at('2025-06-13T14:00:00Z');
    expect(() => schedulePatrol(5, start, start + 30 * MINUTE, 1)).toThrow(ScheduleError);
  });
});
