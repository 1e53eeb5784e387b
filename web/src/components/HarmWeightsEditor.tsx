// Administrators: the harm weight per category, its basis, and a form to change one.
// A change reweights every incident of the category at once (the server says how many).
import { MAX_HARM_WEIGHT, type Category, type HarmWeight } from '@lantern/shared';
import { useState } from 'react';
import { api } from '../api';
import { useFetch } from '../hooks';

export function HarmWeightsEditor() {
  const [version, setVersion] = useState(0);
  const weights = useFetch(`harm-${version}`, (signal) => api.harmWeights(signal));
  const [editing, setEditing] = useState<{ category: Category; weight: string; basis: string } | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const edit = (w: HarmWeight) => {
    setEditing({ category: w.category, weight: String(w.weight), basis: w.basis });
    setMessage(null);
  };
  const save = async () => {
    if (!editing) return;
    try {
      const result = await api.setHarmWeight(editing.category, Number(editing.weight), editing.basis);
      setMessage({ text: `${result.weight.label}: weight ${result.weight.weight.toLocaleString('en-GB')}; ${result.incidentsReweighted.toLocaleString('en-GB')} incidents reweighted.`, error: false });
      setEditing(null);
      setVersion((v) => v + 1);
    } catch (error) {
      setMessage({ text: (error as Error).message, error: true });
    }
  };

  return (
    <section aria-labelledby="harm-title">
      <h2 id="harm-title">Harm weights</h2>
      <p className="hint">
        Days of custody at the sentencing starting point (Cambridge Crime Harm Index style). Every harm figure,
        harm-weighted hot spot and place ranking uses these. See docs/harm.md for the defaults' sources.
      </p>
      {message && <p className={message.error ? 'error' : 'hint'} role={message.error ? 'alert' : 'status'}>{message.text}</p>}
      <table data-testid="harm-table">
        <thead><tr><th>Category</th><th>Weight (days)</th><th>Default</th><th>Basis</th><th>Changed</th><th><span className="visually-hidden">Reset</span></th></tr></thead>
        <tbody>
          {weights.data?.weights.map((w) => editing?.category === w.category ? (
            <tr key={w.category}>
              <td>{w.label}</td>
              <td><input aria-label={`${w.label} weight`} type="number" min={0} max={MAX_HARM_WEIGHT} step="any" value={editing.weight}
                onChange={(e) => setEditing({ ...editing, weight: e.target.value })} /></td>
              <td>{w.defaultWeight.toLocaleString('en-GB')}</td>
              <td><input aria-label={`${w.label} basis`} className="wide" value={editing.basis}
                onChange={(e) => setEditing({ ...editing, basis: e.target.value })} /></td>
              <td />
              <td><button type="button" onClick={() => void save()}>Save</button> <button type="button" onClick={() => setEditing(null)}>Cancel</button></td>
            </tr>
          ) : (
            <tr key={w.category}>
              <td>{w.label}</td><td>{w.weight.toLocaleString('en-GB')}</td><td>{w.defaultWeight.toLocaleString('en-GB')}</td>
              <td>{w.basis}</td><td>{w.updatedBy ? `${w.updatedBy}, ${w.updatedAt.slice(0, 10)}` : 'default'}</td>
              <td><button type="button" onClick={() => edit(w)} aria-label={`Change ${w.label} weight`}>Change</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
