// Peer groups for the map's filters (GET /api/people/groups, analysts): asked on demand,
// each group as what it is (size, roles, categories, hours, dates) and never who; "Show
// on map" numbers the places the group uses.
import { CATEGORY_LABELS, LOCATION_KIND_LABELS, ROLE_LABELS, type Category, type Filters, type LocationKind, type PeerGroup, type RoleInIncident } from '@lantern/shared';
import { api } from '../api';
import { useAskedFor } from '../hooks';

const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;

export function PeerGroupsPanel({ filters, shown, onShow }: { filters: Filters; shown: PeerGroup | null; onShow(group: PeerGroup | null): void }) {
  const asked = useAskedFor(filters, () => api.peerGroups(filters));
  const current = asked.current;
  const run = async () => {
    onShow(null);
    await asked.run();
  };
  const result = current?.result;
  return (
    <details className="peer-groups" data-testid="peer-groups">
      <summary>Peer groups</summary>
      <p className="hint">People named together at least twice (the same incident, or the same place of concern within two hours), for the current filters. A group is what it is, never who.</p>
      <button type="button" className="reset" onClick={() => void run()} disabled={current?.busy}>{current?.busy ? 'Searching…' : 'Find groups'}</button>
      {current?.error && <p className="error" role="alert">{current.error}</p>}
      {result && (
        <>
          <p data-testid="peer-groups-count">
            {result.totalGroups === 0 ? 'No group of 3 or more.' : `${result.totalGroups.toLocaleString('en-GB')} group${result.totalGroups === 1 ? '' : 's'} of 3 or more`}
            {' '}among {result.parameters.people.toLocaleString('en-GB')} people in {result.parameters.incidents.toLocaleString('en-GB')} incidents
            {result.parameters.unknownTime ? ` (${result.parameters.unknownTime.toLocaleString('en-GB')} with no time of day left out)` : ''}.
          </p>
          <ol className="peer-group-list">
            {result.groups.map((group) => (
              <li key={group.id} data-testid="peer-group">
                <strong>{group.size} people</strong>, {group.episodes.toLocaleString('en-GB')} episodes, {group.from} to {group.to}
                <br />
                <span className="hint">
                  {group.categories.slice(0, 3).map((row) => `${CATEGORY_LABELS[row.category as Category]} ${row.episodes}`).join(', ')}
                  {'; '}{Object.entries(group.roles).map(([role, n]) => `${n} ${ROLE_LABELS[role as RoleInIncident].toLowerCase()}`).join(', ')}
                  {group.hours.length ? `; mostly ${group.hours.map(hour).join(', ')}` : ''}
                </span>
                <br />
                <button type="button" className="link" aria-pressed={shown?.id === group.id} data-testid="peer-group-show"
                  onClick={() => onShow(shown?.id === group.id ? null : group)}>
                  {shown?.id === group.id ? 'Hide its places' : `Show its ${group.places.length} places on the map`}
                </button>
                {shown?.id === group.id && (
                  <ol className="peer-group-places">
                    {group.places.map((place) => (
                      <li key={place.id}>{place.name} <span className="hint">({LOCATION_KIND_LABELS[place.kind as LocationKind]}, {place.episodes} episodes)</span></li>
                    ))}
                  </ol>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </details>
  );
}
