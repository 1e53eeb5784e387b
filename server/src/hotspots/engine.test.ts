import { describe, expect, it } from 'vitest';
import { timeSlices } from './engine.js';

describe('time slices end where the period ends', () => {
  it('cuts whole months when the period is whole months', () => {
    const { boundaries, partial } = timeSlices('2023-11-01', '2026-10-31', 'month');
    expect(boundaries).toHaveLength(37);
    expect(boundaries[0]).toBe('2023-11-01');
    expect(boundaries.at(-1)).toBe('2026-11-01');
    expect(partial).toBeNull();
  });

  it('makes the latest quarter whole, and leaves out a short first one', () => {
    // Calendar quarters would end with October alone (a third of a quarter, read as a fall).
    const { boundaries, partial } = timeSlices('2024-01-01', '2026-10-31', 'quarter');
    expect(boundaries.slice(-3)).toEqual(['2026-05-01', '2026-08-01', '2026-11-01']);
    expect(boundaries[0]).toBe('2024-02-01');
    expect(boundaries).toHaveLength(12);
    expect(partial).toEqual({ from: '2024-01-01', to: '2024-01-31' });
  });

  it('steps back from the 31st to each month\'s last day', () => {
    const { boundaries } = timeSlices('2026-05-15', '2026-10-30', 'month');
    expect(boundaries).toEqual(['2026-05-31', '2026-06-30', '2026-07-31', '2026-08-31', '2026-09-30', '2026-10-31']);
  });

  it('counts weeks back from the day after the period', () => {
    const { boundaries, partial } = timeSlices('2026-01-01', '2026-01-31', 'week');
    expect(boundaries).toEqual(['2026-01-04', '2026-01-11', '2026-01-18', '2026-01-25', '2026-02-01']);
    expect(partial).toEqual({ from: '2026-01-01', to: '2026-01-03' });
  });
});
