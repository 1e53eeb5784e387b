// "Same or new people": per month, the distinct people the filtered incidents name,
// stacked as new, returning and continuing (GET /api/people/flow), with a table for
// screen readers and print.
import { NOT_RECORDED, type PeopleFlow } from '@lantern/shared';

const PARTS = [
  { key: 'continuing', label: 'Continuing (also the month before)', colour: '#c6dbef' },
  { key: 'returning', label: 'Returning (seen before, after a gap)', colour: '#6baed6' },
  { key: 'new', label: 'New (never seen before)', colour: '#08519c' },
] as const;

const WIDTH = 600;
const HEIGHT = 170;
const AXIS = 22;

/** `episodes`: the incidents the flow's filters match; with none naming a person, people are not recorded rather than none. */
export function PeopleFlowChart({ flow, episodes }: { flow: PeopleFlow | null; episodes?: number }) {
  if (!flow) return null;
  if ((episodes ?? 0) > 0 && flow.periods.every((p) => p.people === 0)) {
    return (
      <section className="people-flow" aria-labelledby="people-flow-title" data-testid="people-flow">
        <h2 id="people-flow-title">Same or new people, month by month</h2>
        <p className="hint" data-testid="people-flow-not-recorded">People are {NOT_RECORDED}: none of these incidents names a person (police.uk publishes none).</p>
      </section>
    );
  }
  const top = Math.max(1, ...flow.periods.map((p) => p.people));
  const slot = WIDTH / Math.max(1, flow.periods.length);
  const bar = Math.min(36, slot * 0.7);
  const scale = (n: number) => (n / top) * (HEIGHT - AXIS - 14);
  const total = (key: 'new' | 'returning' | 'continuing') => flow.periods.reduce((sum, p) => sum + p[key], 0);
  return (
    <section className="people-flow" aria-labelledby="people-flow-title" data-testid="people-flow">
      <h2 id="people-flow-title">Same or new people, month by month</h2>
      <p className="hint">
        {total('new').toLocaleString('en-GB')} new, {total('returning').toLocaleString('en-GB')} returning and {total('continuing').toLocaleString('en-GB')} continuing
        {' '}across the {flow.periods.length} months{flow.disclosureControl ? ' (perturbed counts)' : ''}.
      </p>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="Stacked bars: people new, returning and continuing each month; the table below has every value">
        {flow.periods.map((p, index) => {
          let y = HEIGHT - AXIS;
          const x = index * slot + (slot - bar) / 2;
          return (
            <g key={p.period}>
              {PARTS.map((part) => {
                const h = scale(p[part.key]);
                y -= h;
                return h > 0 ? <rect key={part.key} x={x} y={y} width={bar} height={h} fill={part.colour} stroke="#fff" strokeWidth={0.5} /> : null;
              })}
              <text x={x + bar / 2} y={y - 3} textAnchor="middle" className="axis">{p.people.toLocaleString('en-GB')}</text>
              <text x={x + bar / 2} y={HEIGHT - 8} textAnchor="middle" className="axis">{p.period.slice(2)}</text>
            </g>
          );
        })}
      </svg>
      <ul className="pack-legend">
        {[...PARTS].reverse().map((part) => (
          <li key={part.key}><span className="swatch" style={{ background: part.colour }} aria-hidden="true" />{part.label}</li>
        ))}
      </ul>
      <table className="visually-hidden">
        <caption>People each month</caption>
        <thead><tr><th scope="col">Month</th><th scope="col">People</th><th scope="col">New</th><th scope="col">Returning</th><th scope="col">Continuing</th></tr></thead>
        <tbody>
          {flow.periods.map((p) => (
            <tr key={p.period}><th scope="row">{p.period}</th><td>{p.people}</td><td>{p.new}</td><td>{p.returning}</td><td>{p.continuing}</td></tr>
          ))}
        </tbody>
      </table>
      <p className="hint">{flow.note}</p>
    </section>
  );
}
