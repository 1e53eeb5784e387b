// Locations of concern ranked by the harm of the filtered incidents within a radius,
// with the change against the previous period. Choosing one flies the map there.
import { describeNotJudged, LOCATION_KIND_LABELS, type LocationCollection } from '@lantern/shared';
import { useState } from 'react';
import { RADII } from '../url-state';
import { changeOf } from './change';

interface Props {
  locations: LocationCollection | null;
  radius: number;
  selectedId: number | null;
  onRadius(radius: number): void;
  onChoose(id: number): void;
}

const SHORT = 8;
const number = (value: number) => Math.round(value).toLocaleString('en-GB');
const dateText = (date: string) =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

export function LocationRanking({ locations, radius, selectedId, onRadius, onChoose }: Props) {
  const [showAll, setShowAll] = useState(false);
  if (!locations) return null;
  const { previousPeriod } = locations.parameters;
  const withHarm = locations.features.filter((feature) => feature.properties.episodes > 0);
  const shown = showAll ? withHarm : withHarm.slice(0, SHORT);
  return (
    <section className="ranking" aria-labelledby="ranking-title" data-testid="location-ranking">
      <h2 id="ranking-title">Places ranked by harm</h2>
      <p className="hint">
        Incidents within{' '}
        <select aria-label="Radius around each place" value={radius} onChange={(event) => onRadius(Number(event.target.value))}>
          {RADII.map((metres) => <option key={metres} value={metres}>{metres} m</option>)}
        </select>{' '}
        of each place (its edge, for an outline), each counted once, at the nearest place, for the current filters.
        Harm is in days of custody (each incident weighted by its category's sentencing starting point).{' '}
        {previousPeriod
          ? <>Change against {dateText(previousPeriod.from)} to {dateText(previousPeriod.to)}.</>
          : <>Set a date range to compare with the period before.</>}
      </p>
      {describeNotJudged(locations.notJudged).map((text) => (
        <p key={text} className="hint" data-testid="ranking-not-judged">Not judged, across the district: {text}.</p>
      ))}
      {withHarm.length === 0 ? <p className="hint">No place has incidents within {radius} m under these filters.</p> : (
        <ol>
          {shown.map(({ properties: p }) => {
            const change = changeOf(p.harm, p.previous?.harm ?? null);
            return (
              <li key={p.id}>
                <button type="button" aria-current={p.id === selectedId ? 'true' : undefined} onClick={() => onChoose(p.id)}>
                  <span className="rank">{p.rank}</span>
                  <span className="place">
                    <span className="name">{p.name}</span>
                    <span className="detail">
                      {LOCATION_KIND_LABELS[p.kind]} · {number(p.episodes)} episodes · harm {number(p.harm)} days
                    </span>
                  </span>
                  {change.direction !== 'none' && (
                    <span className={`change ${change.direction}`} title={change.text}>
                      {change.symbol} <span className="change-text">{change.text}</span>
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ol>
      )}
      {withHarm.length > SHORT && (
        <button type="button" className="link" onClick={() => setShowAll(!showAll)}>
          {showAll ? 'Show the top 8' : `Show all ${withHarm.length}`}
        </button>
      )}
    </section>
  );
}
