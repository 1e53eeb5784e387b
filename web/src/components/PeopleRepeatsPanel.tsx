// Repeat victims and suspects (analysts): how many people the filtered incidents name
// once, twice, 3-4 or 5+ times, overall and by role, those seen as both victim and
// suspect, and the places where the same people keep appearing (GET /api/people/repeats).
import { ROLE_LABELS, type PeopleRepeats, type RoleInIncident } from '@lantern/shared';

const n = (value: number) => value.toLocaleString('en-GB');

export function PeopleRepeatsPanel({ repeats }: { repeats: PeopleRepeats | null }) {
  if (!repeats) return null;
  const rows = [{ role: 'All roles', ...repeats.all }, ...repeats.byRole.map((row) => ({ ...row, role: ROLE_LABELS[row.role as RoleInIncident] ?? row.role }))];
  return (
    <section className="people-repeats" aria-labelledby="people-repeats-title" data-testid="people-repeats">
      <h2 id="people-repeats-title">Repeat victims and suspects</h2>
      <p className="hint">
        {n(repeats.all.people - repeats.all.once)} of {n(repeats.all.people)} people are named by more than one incident;
        {' '}{n(repeats.victimAndSuspect)} are named as a victim and as a suspect. Analysts only: no one is named here.
      </p>
      <table className="pack-table">
        <thead><tr><th scope="col">Role</th><th scope="col">People</th><th scope="col">Once</th><th scope="col">Twice</th><th scope="col">3-4 times</th><th scope="col">5 or more</th></tr></thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.role}><th scope="row">{row.role}</th><td>{n(row.people)}</td><td>{n(row.once)}</td><td>{n(row.twice)}</td><td>{n(row.threeToFour)}</td><td>{n(row.fivePlus)}</td></tr>
          ))}
        </tbody>
      </table>
      {repeats.places.length > 0 && (
        <>
          <h3>Where the same people keep appearing</h3>
          <ol className="repeat-places">
            {repeats.places.map((place) => (
              <li key={place.id}>{place.name}: {n(place.repeatPeople)} {place.repeatPeople === 1 ? 'person' : 'people'} named there more than once ({n(place.episodes)} incidents)</li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
