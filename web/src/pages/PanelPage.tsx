// Scrutiny-panel view: area summaries only. The server applies disclosure control
// (counts 1-4 as "<5", secondary suppression "c", rounding to 5); this page shows it.
import {
  AGE_PRESETS,
  AREA_LEVEL_LABELS,
  CATEGORIES,
  CATEGORY_LABELS,
  type AreaCollection,
  type AreaLevel,
  type AreaSummary,
  type Filters,
  type Meta,
  type ProtectedCount,
} from '@lantern/shared';
import { interpolateBlues } from 'd3-scale-chromatic';
import { useMemo, useState } from 'react';
import { api } from '../api';
import { CheckList } from '../components/FilterPanel';
import { MapView } from '../components/MapView';
import { useFetch } from '../hooks';

type Measure = 'episodes' | 'ratePer1000';
const MEASURES: Record<Measure, string> = { episodes: 'Episodes (incidents)', ratePer1000: 'Episodes per 1,000 residents' };
const CLASS_COLOURS = [0.2, 0.38, 0.56, 0.74, 0.92].map((t) => interpolateBlues(t));
const SUPPRESSED_COLOUR = '#c9c9c9';

const shown = (value: ProtectedCount | number | null) =>
  value === null ? '–' : typeof value === 'number' ? value.toLocaleString('en-GB') : value;

/** Quintile classes of the numeric values; hidden values get the grey of "suppressed". */
function classify(summary: AreaSummary, measure: Measure): Map<string, { colour: string; label: string }> {
  const numbers = summary.rows.map((row) => row[measure]).filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
  const breaks = [0.2, 0.4, 0.6, 0.8].map((q) => numbers[Math.floor(q * (numbers.length - 1))] ?? 0);
  const values = new Map<string, { colour: string; label: string }>();
  for (const row of summary.rows) {
    const value = row[measure];
    if (typeof value !== 'number') {
      values.set(row.code, { colour: SUPPRESSED_COLOUR, label: typeof row.episodes === 'string' ? row.episodes : 'c' });
      continue;
    }
    const index = breaks.filter((b) => value > b).length;
    values.set(row.code, { colour: CLASS_COLOURS[index]!, label: shown(value) });
  }
  return values;
}

export function PanelPage({ meta }: { meta: Meta }) {
  const levels = meta.areaLevels.map((l) => l.level as AreaLevel).filter((level) => level !== 'district');
  const [level, setLevel] = useState<AreaLevel>(levels[0] ?? 'district');
  const [filters, setFilters] = useState<Filters>({});
  const [measure, setMeasure] = useState<Measure>('episodes');
  const key = `${level}|${JSON.stringify(filters)}`;
  const summary = useFetch<AreaSummary>(key, (signal) => api.areaSummary(level, filters, false, signal));
  const areas = useFetch<AreaCollection>(level, (signal) => api.areas(level, signal));
  const district = useFetch<AreaCollection>('district', (signal) => api.areas('district', signal));
  const values = useMemo(() => (summary.data ? classify(summary.data, measure) : new Map()), [summary.data, measure]);
  const agePreset = AGE_PRESETS.find((preset) => JSON.stringify(preset.bands.length ? preset.bands : undefined) === JSON.stringify(filters.ages));
  const set = (patch: Partial<Filters>) => {
    const next = { ...filters, ...patch };
    for (const k of Object.keys(next) as (keyof Filters)[]) if (next[k] === undefined) delete next[k];
    setFilters(next);
  };

  return (
    <div className="panel-page">
      <aside className="left">
        <form className="filters" aria-label="Summary options" onSubmit={(e) => e.preventDefault()}>
          <fieldset>
            <legend>Areas</legend>
            <select aria-label="Area level" value={level} onChange={(e) => setLevel(e.target.value as AreaLevel)}>
              {levels.map((l) => <option key={l} value={l}>{AREA_LEVEL_LABELS[l]}</option>)}
            </select>
          </fieldset>
          <fieldset>
            <legend>Period</legend>
            <div className="row"><label htmlFor="panel-from">From</label>
              <input id="panel-from" type="date" value={filters.from ?? ''} min={meta.dateRange?.from} max={meta.dateRange?.to} onChange={(e) => set({ from: e.target.value || undefined })} /></div>
            <div className="row"><label htmlFor="panel-to">To</label>
              <input id="panel-to" type="date" value={filters.to ?? ''} min={meta.dateRange?.from} max={meta.dateRange?.to} onChange={(e) => set({ to: e.target.value || undefined })} /></div>
          </fieldset>
          <fieldset>
            <legend>Age group</legend>
            <div className="chips" role="group" aria-label="Age presets">
              {AGE_PRESETS.map((preset) => (
                <button key={preset.id} type="button" aria-pressed={agePreset?.id === preset.id}
                  onClick={() => set({ ages: preset.bands.length ? [...preset.bands] : undefined })}>{preset.label}</button>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>Categories</legend>
            <CheckList all={CATEGORIES} chosen={filters.categories} label={(c) => CATEGORY_LABELS[c]} onChange={(categories) => set({ categories })} />
          </fieldset>
          <fieldset>
            <legend>Map shows</legend>
            {(Object.keys(MEASURES) as Measure[]).map((m) => (
              <label key={m} className="radio"><input type="radio" name="panel-measure" checked={measure === m} onChange={() => setMeasure(m)} />{MEASURES[m]}</label>
            ))}
          </fieldset>
        </form>
      </aside>
      <main className="centre">
        <MapView
          initialView={{ longitude: -2.42, latitude: 51.35, zoom: 10.2 }}
          fitBounds={meta.extent}
          tilesUrl={null}
          basemapStyleUrl={meta.basemapStyleUrl}
          areas={areas.data}
          district={district.data}
          locations={null}
          areaValues={values}
          selectedId={null}
          onSelectLocation={() => undefined}
          onViewChange={() => undefined}
          onDensityBreaks={() => undefined}
        />
      </main>
      <section className="right summary" aria-label="Area summary table">
        <h2>{MEASURES[measure]} by {AREA_LEVEL_LABELS[level].toLowerCase()}</h2>
        {summary.error && <p className="error" role="alert">{summary.error}</p>}
        {summary.data && (
          <>
            <p className="hint" data-testid="disclosure-rule">{summary.data.rule}</p>
            <div className="table-scroll">
              <table data-testid="summary-table">
                <thead>
                  <tr>
                    <th scope="col">Area</th><th scope="col">Episodes</th><th scope="col">People</th><th scope="col">Per 1,000</th>
                    {CATEGORIES.map((c) => <th key={c} scope="col">{CATEGORY_LABELS[c]}</th>)}
                  </tr>
                </thead>
                <tbody>
                  <tr className="total">
                    <th scope="row">All areas</th>
                    <td>{shown(summary.data.total.episodes)}</td><td>{shown(summary.data.total.people)}</td><td>{shown(summary.data.total.ratePer1000)}</td>
                    {CATEGORIES.map((c) => <td key={c}>{shown(summary.data!.total.byCategory[c])}</td>)}
                  </tr>
                  {summary.data.rows.map((row) => (
                    <tr key={row.code}>
                      <th scope="row">{row.name}</th>
                      <td>{shown(row.episodes)}</td><td>{shown(row.people)}</td><td>{shown(row.ratePer1000)}</td>
                      {CATEGORIES.map((c) => <td key={c}>{shown(row.byCategory[c])}</td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="hint">“People” are distinct pseudonymous persons; “episodes” are incidents. “&lt;5”: 1 to 4; “c”: hidden so that a “&lt;5” cannot be worked out from the totals. Grey areas on the map are hidden values.</p>
          </>
        )}
      </section>
    </div>
  );
}
