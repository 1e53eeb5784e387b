import { describe, expect, it } from 'vitest';
import { comparisonPeriods } from './locations.js';

const DATA = { from: '2023-11-01', to: '2026-10-31' };

describe('comparisonPeriods', () => {
  it('takes the period of equal length just before', () => {
    expect(comparisonPeriods({ from: '2025-03-01', to: '2025-03-31' }, DATA)).toEqual({
      period: { from: '2025-03-01', to: '2025-03-31' },
      previousPeriod: { from: '2025-01-29', to: '2025-02-28' },
    });
    // A leap year's February, and a single day.
    expect(comparisonPeriods({ from: '2024-03-01', to: '2024-03-31' }, DATA).previousPeriod)
      .toEqual({ from: '2024-01-30', to: '2024-02-29' });
    expect(comparisonPeriods({ from: '2025-01-01', to: '2025-01-01' }, DATA).previousPeriod)
      .toEqual({ from: '2024-12-31', to: '2024-12-31' });
  });

  it('fills open ends from the data, and has no comparison when no date is set', () => {
    expect(comparisonPeriods({ to: '2023-11-30' }, DATA)).toEqual({
      period: { from: '2023-11-01', to: '2023-11-30' },
      previousPeriod: { from: '2023-10-02', to: '2023-10-31' },
    });
    expect(comparisonPeriods({}, DATA)).toEqual({ period: DATA, previousPeriod: null });
    expect(comparisonPeriods({}, null)).toEqual({ period: null, previousPeriod: null });
    expect(comparisonPeriods({ from: '2027-01-01' }, DATA)).toEqual({ period: null, previousPeriod: null });
  });
});
