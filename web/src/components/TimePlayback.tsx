// Time playback, as Kepler.gl users expect: a month slider with play and pause that steps
// the map's date filter (hexagons, hot spot layers, chart and ranking) through the
// data's months, one every PLAY_MS; stopping keeps the month shown, "All months" clears it.
import { addMonths, lastDayOfMonth, type Filters } from '@lantern/shared';
import { useEffect, useMemo, useState } from 'react';

const PLAY_MS = 1800;

/** The months from the first date's to the last's, as their first days. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = `${from.slice(0, 7)}-01`; month <= to; month = addMonths(month, 1)) months.push(month);
  return months;
}

const monthName = (month: string) =>
  new Date(`${month.slice(0, 7)}-15T12:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

export function TimePlayback({ filters, dateRange, onChange }: {
  filters: Filters; dateRange: { from: string; to: string } | null; onChange(filters: Filters): void;
}) {
  const months = useMemo(() => (dateRange ? monthsBetween(dateRange.from, dateRange.to) : []), [dateRange]);
  // The month shown: the date filter when it is exactly one whole month of the data.
  const index = months.findIndex((month) => filters.from === month && filters.to === lastDayOfMonth(month));
  const [playing, setPlaying] = useState(false);
  const show = (k: number) => {
    const month = months[k]!;
    onChange({ ...filters, from: month, to: lastDayOfMonth(month) });
  };
  useEffect(() => {
    if (!playing) return undefined;
    const timer = window.setTimeout(() => {
      if (index + 1 >= months.length) setPlaying(false);
      else show(index + 1);
    }, index < 0 ? 0 : PLAY_MS);
    return () => window.clearTimeout(timer);
  });
  if (months.length < 2) return null;
  return (
    <div className="time-playback" data-testid="time-playback" role="group" aria-label="Month by month">
      <button type="button" onClick={() => setPlaying(!playing)} aria-pressed={playing} data-testid="playback-play">
        {playing ? 'Pause' : 'Play months'}
      </button>
      <input type="range" min={0} max={months.length - 1} step={1} value={Math.max(0, index)} aria-label="Month"
        aria-valuetext={index >= 0 ? monthName(months[index]!) : 'All months'}
        onChange={(event) => { setPlaying(false); show(Number(event.target.value)); }} data-testid="playback-month" />
      <span className="month" data-testid="playback-label">{index >= 0 ? monthName(months[index]!) : 'All months'}</span>
      {index >= 0 && (
        <button type="button" className="link" onClick={() => { setPlaying(false); onChange({ ...filters, from: undefined, to: undefined }); }}>All months</button>
      )}
    </div>
  );
}
