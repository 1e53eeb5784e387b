// Patrol plans for neighbourhood police (and analysts): choose an area, a date and a
// shift; Lantern proposes 2-5 places with reasons and visit windows (server side), shows
// them numbered on the map, and gives a one-page printable briefing and GPX/GeoJSON for
// devices. Saved plans can be reopened.
import {
  AREA_LEVEL_LABELS,
  PATROL_DEFAULTS,
  localToday,
  type AreaCollection,
  type AreaLevel,
  type Meta,
  type PatrolPlan,
  type PatrolPlanList,
  type SignedInUser,
} from '@lantern/shared';
import { useMemo, useState } from 'react';
import { PanelClose, PanelToggle, useOpenPanel } from '../components/Panels';
import { api } from '../api';
import { PrintableMap } from '../components/PrintableMap';
import { useFetch } from '../hooks';

export function PatrolPage({ meta, user }: { meta: Meta; user: SignedInUser }) {
  const levels = meta.areaLevels.map((l) => l.level as AreaLevel).filter((level) => level !== 'district');
  const [level, setLevel] = useState<AreaLevel | null>(levels[0] ?? null);
  const [area, setArea] = useState('');
  const [date, setDate] = useState(localToday);
  const [start, setStart] = useState('15:00');
  const [end, setEnd] = useState('23:00');
  const [places, setPlaces] = useState<number>(PATROL_DEFAULTS.places);
  const [weeks, setWeeks] = useState<number>(PATROL_DEFAULTS.lookbackWeeks);
  const [plan, setPlan] = useState<PatrolPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [listVersion, setListVersion] = useState(0);
  const [optionsPanel, setOptionsPanel] = useOpenPanel<'options'>('options');
  const areas = useFetch<AreaCollection>(level, (signal) => api.areas(level!, signal));
  const saved = useFetch<PatrolPlanList>(`plans|${listVersion}`, (signal) => api.patrolPlans(signal));
  const areaNames = useMemo(() => (areas.data?.features ?? [])
    .map((feature) => ({ code: feature.properties.code, name: feature.properties.name }))
    .sort((a, b) => a.name.localeCompare(b.name)), [areas.data]);
  const markers = useMemo(() => (plan?.places ?? []).map((place) => ({ number: place.number, position: [place.lon, place.lat] as [number, number] })), [plan]);

  const make = async () => {
    setBusy(true);
    setError(null);
    try {
      const made = await api.makePatrolPlan({ date, start, end, places, lookbackWeeks: weeks, ...(area ? { area } : {}) });
      setPlan(made);
      setOptionsPanel(null);
      setListVersion((v) => v + 1);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const reopen = async (id: number) => {
    setError(null);
    try {
      setPlan(await api.patrolPlan(id));
      setOptionsPanel(null);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <div className="form-page patrol-page">
      <aside className="left no-print" id="page-options" aria-label="Shift and options" data-open={optionsPanel === 'options'}>
        <PanelClose label="Shift and options" onClose={() => setOptionsPanel(null)} />
        <form className="filters" aria-label="Shift" onSubmit={(e) => { e.preventDefault(); void make(); }}>
          <fieldset>
            <legend>Where</legend>
            {levels.length > 0 && (
              <label className="stacked">Geography
                <select value={level ?? ''} onChange={(e) => { setLevel(e.target.value as AreaLevel); setArea(''); }}>
                  {levels.map((l) => <option key={l} value={l}>{AREA_LEVEL_LABELS[l]}</option>)}
                </select>
              </label>
            )}
            <label className="stacked">Area
              <select value={area} onChange={(e) => setArea(e.target.value)} data-testid="patrol-area">
                <option value="">Whole district</option>
                {areaNames.map((a) => <option key={a.code} value={a.code}>{a.name}</option>)}
              </select>
            </label>
          </fieldset>
          <fieldset>
            <legend>Shift</legend>
            <label className="stacked">Date<input type="date" value={date} required onChange={(e) => setDate(e.target.value)} data-testid="patrol-date" /></label>
            <div className="row">
              <label className="stacked">Start<input type="time" value={start} required onChange={(e) => setStart(e.target.value)} data-testid="patrol-start" /></label>
              <label className="stacked">End<input type="time" value={end} required onChange={(e) => setEnd(e.target.value)} data-testid="patrol-end" /></label>
            </div>
            <p className="hint">An end at or before the start is the next day. Times are UK local time.</p>
          </fieldset>
          <fieldset>
            <legend>Plan</legend>
            <label className="stacked">Places (2-5)
              <input type="number" min={2} max={5} value={places} onChange={(e) => setPlaces(Number(e.target.value))} /></label>
            <label className="stacked">Look back (weeks)
              <input type="number" min={1} max={52} value={weeks} onChange={(e) => setWeeks(Number(e.target.value))} /></label>
          </fieldset>
          <button type="submit" className="primary" disabled={busy} data-testid="patrol-make">{busy ? 'Making the plan…' : 'Make plan'}</button>
          {error && <p className="error" role="alert">{error}</p>}
        </form>
        <section className="saved-plans" aria-labelledby="saved-plans-title">
          <h2 id="saved-plans-title">Saved plans</h2>
          <ul>
            {(saved.data?.plans ?? []).slice(0, 20).map((p) => (
              <li key={p.id}>
                <button type="button" className="link" onClick={() => void reopen(p.id)}>
                  #{p.id} {p.date} {p.start}-{p.end} · {p.areaName ?? 'district'} · {p.places} places · {p.createdBy}
                </button>
              </li>
            ))}
          </ul>
        </section>
      </aside>

      <main className="form-page-main" aria-labelledby="patrol-title">
        <PanelToggle controls="page-options" label="Shift and options" open={optionsPanel === 'options'} onToggle={() => setOptionsPanel(optionsPanel ? null : 'options')} testId="open-options" />
        <header className="summary-head">
          <div>
            <h1 id="patrol-title">{plan ? `Patrol briefing #${plan.id}: ${plan.area?.name ?? 'whole district'}` : 'Patrol plan'}</h1>
            {plan && (
              <p className="hint" data-testid="patrol-subtitle">
                {new Date(`${plan.date}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })},
                {' '}{plan.start}-{plan.end} ({Math.floor(plan.shiftMinutes / 60)} h {plan.shiftMinutes % 60} min).
                Learnt from incidents {plan.shiftText}.
              </p>
            )}
          </div>
          {plan && (
            <div className="actions no-print">
              <button type="button" onClick={() => window.print()} data-testid="patrol-print">Print briefing</button>
              <a className="button" href={api.patrolPlanDownloadUrl(plan.id, 'gpx')} download data-testid="patrol-gpx">GPX</a>
              <a className="button" href={api.patrolPlanDownloadUrl(plan.id, 'geojson')} download>GeoJSON</a>
            </div>
          )}
        </header>
        {meta.demo && <p className="print-only demo-note">Demo data: generated by Lantern for demonstration, not real incidents.</p>}
        <div className="patrol-body">
          <PrintableMap meta={meta} areas={areas.data} markers={markers} print={plan !== null}
            label="Map of the plan's places, numbered as in the list" alt="Map of the plan's places, numbered" />
          {plan ? (
            <section aria-label="Places and visits" className="patrol-places">
              <ol data-testid="patrol-places">
                {plan.places.map((place) => (
                  <li key={place.number}>
                    <h2><span className="stop">{place.number}</span> {place.name}</h2>
                    <p className="reason">{place.reason}</p>
                    <p className="visits"><strong>Visit {place.visitMinutes} min at:</strong> {place.visits.map((v) => v.startLocal).join(', ')}</p>
                  </li>
                ))}
              </ol>
              {plan.places.length === 0 && <p>No place had incidents in these hours on these days in the look-back period.</p>}
              <ul className="notes">
                <li>Visits of 10-15 minutes, each place every {plan.roundMinutes} minutes (at least every two hours), in an order drawn for this plan: {plan.totalVisitMinutes} minutes at the places in a {plan.shiftMinutes}-minute shift.</li>
                {plan.notes.map((note) => <li key={note}>{note}</li>)}
                <li className="print-only">Made {new Date(plan.createdAt).toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short' })} by {plan.createdBy}; printed by {user.displayName}.</li>
              </ul>
            </section>
          ) : (
            <p className="hint">Choose the shift and make a plan: Lantern ranks the places with the most harm in the same hours and weekday over the look-back weeks.</p>
          )}
        </div>
      </main>
    </div>
  );
}
