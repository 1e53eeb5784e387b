import { describe, expect, it } from 'vitest';
import { addMonths, defaultMeetingDate, localToday, comparisonPeriod, describePeriod, latestWholeQuarter, monthsEnding, presetPeriod, wholeMonths } from './periods.js';
import { defaultSummaryLevel, summaryLevels } from './summary.js';

describe('reporting periods', () => {
  it('finds the calendar month, quarter and year containing a day', () => {
    expect(presetPeriod('month', '2024-02-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(presetPeriod('quarter', '2025-05-31')).toEqual({ from: '2025-04-01', to: '2025-06-30' });
    expect(presetPeriod('quarter', '2025-12-01')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(presetPeriod('year', '2025-07-04')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
  });

  it('adds months, clamping to the end of a shorter month', () => {
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', -12)).toBe('2023-02-28');
    expect(addMonths('2025-01-15', -13)).toBe('2023-12-15');
  });

  it('compares whole months with the months just before, and other ranges with the same number of days', () => {
    expect(wholeMonths({ from: '2025-01-01', to: '2025-03-31' })).toBe(3);
    expect(wholeMonths({ from: '2025-01-02', to: '2025-03-31' })).toBeNull();
    expect(comparisonPeriod({ from: '2025-03-01', to: '2025-03-31' }, 'previous')).toEqual({ from: '2025-02-01', to: '2025-02-28' });
    expect(comparisonPeriod({ from: '2025-04-01', to: '2025-06-30' }, 'previous')).toEqual({ from: '2025-01-01', to: '2025-03-31' });
    expect(comparisonPeriod({ from: '2025-01-01', to: '2025-12-31' }, 'previous')).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(comparisonPeriod({ from: '2025-03-10', to: '2025-03-16' }, 'previous')).toEqual({ from: '2025-03-03', to: '2025-03-09' });
  });

  it('compares with the same dates a year earlier', () => {
    expect(comparisonPeriod({ from: '2024-02-01', to: '2024-02-29' }, 'last_year')).toEqual({ from: '2023-02-01', to: '2023-02-28' });
    expect(comparisonPeriod({ from: '2025-02-01', to: '2025-02-28' }, 'last_year')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(comparisonPeriod({ from: '2025-03-10', to: '2025-03-16' }, 'last_year')).toEqual({ from: '2024-03-10', to: '2024-03-16' });
  });

  it('gives today\'s date in London, not in UTC', () => {
    // 23:30 UTC on 30 June is already 1 July in London (BST); 23:30 UTC on 30 December is not.
    expect(localToday(new Date('2025-06-30T23:30:00Z'))).toBe('2025-07-01');
    expect(localToday(new Date('2025-12-30T23:30:00Z'))).toBe('2025-12-30');
  });

  it('lists the twelve months ending with a day\'s month, and names periods', () => {
    expect(monthsEnding('2025-02-14', 3)).toEqual(['2024-12', '2025-01', '2025-02']);
    expect(monthsEnding('2025-12-31', 12)).toHaveLength(12);
    expect(describePeriod({ from: '2025-03-01', to: '2025-03-31' })).toBe('March 2025');
    expect(describePeriod({ from: '2025-04-01', to: '2025-06-30' })).toBe('Q2 2025 (April to June)');
    expect(describePeriod({ from: '2025-01-01', to: '2025-12-31' })).toBe('2025');
    expect(describePeriod({ from: '2025-01-05', to: '2025-02-15' })).toBe('5 Jan 2025 to 15 Feb 2025');
  });
});

describe('the summary page as it opens', () => {
  it('shows the latest quarter the data covers to its end, else the latest quarter', () => {
    // Data to 31 Oct: Q4 is partial, so Q3.
    expect(latestWholeQuarter({ from: '2023-11-01', to: '2026-10-31' })).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    // Data to the quarter's last day: that quarter.
    expect(latestWholeQuarter({ from: '2023-11-01', to: '2026-09-30' })).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    // Data only within a partial quarter: that quarter anyway.
    expect(latestWholeQuarter({ from: '2025-03-03', to: '2025-03-07' })).toEqual({ from: '2025-01-01', to: '2025-03-31' });
  });

  it('opens on the first level holding areas other than the district, else the district', () => {
    const levels = [{ level: 'district' }, { level: 'lsoa' }, { level: 'ward' }];
    expect(summaryLevels(levels)).toEqual(['lsoa', 'ward']);
    expect(defaultSummaryLevel(levels)).toBe('lsoa');
    expect(defaultSummaryLevel([{ level: 'district' }])).toBe('district');
    expect(defaultSummaryLevel([])).toBe('district');
  });
});

describe('a meeting\'s default date', () => {
  it('is the day after the data ends when the data ends before today, else today', () => {
    expect(defaultMeetingDate('2026-10-31', '2026-12-07')).toBe('2026-11-01');
    expect(defaultMeetingDate('2026-12-07', '2026-12-07')).toBe('2026-12-07');
    expect(defaultMeetingDate(null, '2026-12-07')).toBe('2026-12-07');
  });
});
