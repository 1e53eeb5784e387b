import { describe, expect, it } from 'vitest';
import { monthsBetween } from './TimePlayback';

describe('time playback months', () => {
  it('run from the first date\'s month to the last\'s, as first days', () => {
    expect(monthsBetween('2025-01-01', '2025-04-01')).toEqual(['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01']);
    expect(monthsBetween('2023-11-14', '2024-01-31')).toEqual(['2023-11-01', '2023-12-01', '2024-01-01']);
  });
});
