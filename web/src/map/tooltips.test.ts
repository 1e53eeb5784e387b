import { describe, expect, it } from 'vitest';
import { tooltipLines } from './tooltips';

describe('map tooltips', () => {
  it('give each feature its numbers with their units', () => {
    expect(tooltipLines('hexagon', { count: 12, density: 48.25, harm: 1234.6 }))
      .toEqual(['12 incidents', '48.3 incidents per km²', 'harm 1,235 days of custody']);
    expect(tooltipLines('hexagon', { count: 1, density: 4, harm: 2 })[0]).toBe('1 incident');
    expect(tooltipLines('point', { category: 'robbery', date: '2026-03-04', hour: 7, ageBand: '15-17', harm: 365 }))
      .toEqual(['Robbery', '2026-03-04, 07:00-07:59', 'Age 15-17', 'harm 365 days of custody']);
    // Police see no age; police.uk has no hour.
    expect(tooltipLines('point', { category: 'drugs', date: '2025-01-01', harm: 1 })).toEqual(['Drugs', '2025-01-01, time unknown', 'harm 1 days of custody']);
    // police.uk's last outcome, in its own words.
    expect(tooltipLines('point', { category: 'drugs', date: '2025-01-01', outcome: 'Local resolution', harm: 1 }))
      .toEqual(['Drugs', '2025-01-01, time unknown', 'Outcome: Local resolution', 'harm 1 days of custody']);
    expect(tooltipLines('gistar', { bin: 3, count: 40, z: 4.123, p: 0.00004 })).toEqual(['Hot spot, 99% confidence', '40 incidents in the cell', 'z 4.12, p < 0.001']);
    expect(tooltipLines('gistar', { bin: 0, count: 2, z: 0.5, p: 0.6 })[0]).toBe('Not significant');
    expect(tooltipLines('emerging', { pattern: 'new_hot', count: 9, trendZ: 2.5 })[0]).toBe('New hot spot');
    expect(tooltipLines('place', { name: 'Bath Bus Station', kind: 'transport_hub', episodes: 317, harm: 396690 }))
      .toEqual(['Bath Bus Station', 'Transport hub', '317 incidents counted here, harm 396,690 days of custody']);
  });
});
