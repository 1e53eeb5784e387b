// A location of concern: name, kind, filtered counts and its own hour x weekday profile.
import { LOCATION_KIND_LABELS, NOT_RECORDED, type HourWeekdayProfile, type LocationFeature } from '@lantern/shared';
import type { Measure } from '../url-state';
import { changeOf } from './change';
import { HourWeekdayChart } from './HourWeekdayChart';

interface Props {
  location: LocationFeature | null;
  profile: HourWeekdayProfile | null;
  measure: Measure;
  radius: number;
  previousPeriod: { from: string; to: string } | null;
  onClose(): void;
}

export function LocationDetails({ location, profile, measure, radius, previousPeriod, onClose }: Props) {
  if (!location) return null;
  const p = location.properties;
  const change = changeOf(p.harm, p.previous?.harm ?? null);
  return (
    <section className="location-details" aria-label="Location of concern" data-testid="location-details">
      <header>
        <div>
          <h2>{p.name}</h2>
          <p className="kind">{LOCATION_KIND_LABELS[p.kind]}{p.status !== 'active' ? ` · ${p.status}` : ''}</p>
        </div>
        <button type="button" className="close" aria-label="Close location details" onClick={onClose}>×</button>
      </header>
      <dl className="counts">
        <div><dt>Episodes</dt><dd data-testid="location-episodes">{p.episodes.toLocaleString('en-GB')}</dd></div>
        <div><dt>People</dt><dd>{p.episodes > 0 && p.people === 0 ? NOT_RECORDED : p.people.toLocaleString('en-GB')}</dd></div>
        <div><dt>Harm</dt><dd title="sum of harm weights (days of custody, Cambridge Crime Harm Index style)">{Math.round(p.harm).toLocaleString('en-GB')}</dd></div>
      </dl>
      {p.previous && previousPeriod && (
        <p className="hint" data-testid="location-change">
          Rank {p.rank}. Harm {change.symbol} {change.text} against {previousPeriod.from} to {previousPeriod.to}
          {' '}({Math.round(p.previous.harm).toLocaleString('en-GB')} then, {p.previous.episodes.toLocaleString('en-GB')} episodes).
        </p>
      )}
      <p className="hint">Incidents within {radius} m of this place (its edge, for an outline) and nearer to it than to any other place, for the current filters.</p>
      <p className="hint place-source" data-testid="location-source">
        {p.demo ? <strong>Demo place: invented for the demo data, not a real place. </strong> : null}
        {p.approximate ? <strong>Approximate {location.geometry.type === 'Point' ? 'position' : 'outline'}. </strong> : null}
        {p.note ? `${p.note} ` : null}
        {p.attribution ? `Source: ${p.attribution}.` : null}
      </p>
      <HourWeekdayChart profile={profile} measure={measure} title="When, at this place" compact testId="location-chart" />
    </section>
  );
}
