// Hour x weekday grid (local time) of the filtered incidents, counted as episodes
// (incidents) or people (distinct pseudonymous persons), and saying which.
import { describeNotJudged, peopleText, WEEKDAYS, WEEKDAY_LABELS, type HourWeekdayProfile } from '@lantern/shared';
import { interpolateBlues } from 'd3-scale-chromatic';
import type { Measure } from '../url-state';

interface Props {
  profile: HourWeekdayProfile | null;
  measure: Measure;
  title: string;
  compact?: boolean;
  testId?: string;
}

export const MEASURE_TEXT: Record<Measure, { label: string; explain: string }> = {
  episodes: { label: 'Episodes', explain: 'incidents; one person may have several' },
  people: { label: 'People', explain: 'distinct pseudonymous persons in each cell' },
};

const CELL = 14;
const LEFT = 34;
const TOP = 16;

export function HourWeekdayChart({ profile, measure, title, compact = false, testId }: Props) {
  const grid = profile ? profile[measure] : null;
  const max = grid ? Math.max(1, ...grid.flat()) : 1;
  const cell = compact ? 11 : CELL;
  const width = LEFT + 24 * cell + 4;
  const height = TOP + 7 * cell + 4;
  const totals = profile?.totals;
  return (
    <figure className="chart" data-testid={testId} data-measure={measure} data-total={totals ? totals[measure] : ''}>
      <figcaption>
        <strong>{title}</strong>
        <span className="hint">
          {' '}{MEASURE_TEXT[measure].label}: {MEASURE_TEXT[measure].explain}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width }} role="img" aria-label={`${title}: ${MEASURE_TEXT[measure].label} by hour and weekday`}>
        {[0, 6, 12, 18].map((hour) => (
          <text key={hour} x={LEFT + hour * cell} y={TOP - 4} className="axis">{String(hour).padStart(2, '0')}</text>
        ))}
        {WEEKDAYS.map((day, row) => (
          <g key={day}>
            <text x={0} y={TOP + row * cell + cell - 3} className="axis">{WEEKDAY_LABELS[day]}</text>
            {Array.from({ length: 24 }, (_, hour) => {
              const value = grid?.[row]?.[hour] ?? 0;
              return (
                <rect
                  key={hour}
                  x={LEFT + hour * cell}
                  y={TOP + row * cell}
                  width={cell - 1}
                  height={cell - 1}
                  fill={value === 0 ? '#f3f5f7' : interpolateBlues(0.15 + 0.85 * (value / max))}
                >
                  <title>{`${WEEKDAY_LABELS[day]} ${String(hour).padStart(2, '0')}:00-${String(hour).padStart(2, '0')}:59: ${value} ${MEASURE_TEXT[measure].label.toLowerCase()}`}</title>
                </rect>
              );
            })}
          </g>
        ))}
      </svg>
      {totals && (
        <p className="totals">
          <span data-testid={testId ? `${testId}-episodes` : undefined}>{totals.episodes.toLocaleString('en-GB')} episodes</span>
          {' · '}
          <span data-testid={testId ? `${testId}-people` : undefined}>{peopleText(totals.episodes, totals.people)}</span>
          {totals.timeUnknown > 0 && <>{' · '}<span>{totals.timeUnknown.toLocaleString('en-GB')} time unknown (not in the grid)</span></>}
        </p>
      )}
      {describeNotJudged(profile?.notJudged).map((text) => (
        <p key={text} className="hint not-judged" data-testid={testId ? `${testId}-not-judged` : undefined}>Not judged: {text}.</p>
      ))}
    </figure>
  );
}
