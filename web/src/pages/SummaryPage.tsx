// Area summaries: the scrutiny panel's view, and the analysts' (with a preview of what
// the panel will see). The server applies disclosure control for panel members; this
// page shows what it gets: a choropleth with its legend, a sortable table with district
// totals, breakdowns, change and trends, a CSV download and a printable A4 report.
import {
  AGE_PRESETS,
  AREA_LEVEL_LABELS,
  CATEGORIES,
  CATEGORY_LABELS,
  COMPARISON_LABELS,
  COMPARISONS,
  PERIOD_KINDS,
  PERIOD_KIND_LABELS,
  SUMMARY_DEFINITIONS,
  addMonths,
  defaultSummaryLevel,
  latestWholeQuarter,
  localToday,
  describeFilters,
  describePeriod,
  presetPeriod,
  summaryLevels,
  type AreaCollection,
  type AreaLevel,
  type AreaSummary,
  type PeopleFlow,
  type PeerGroupSizes,
  type PeopleRepeats,
  type Comparison,
  type DateRange,
  type Filters,
  type Meta,
  type PeriodKind,
  type SignedInUser,
  describeNotJudged,
  FEWEST_PLACES,
  OUTCOME_LABELS,
  OUTCOMES,
  ROLE_LABELS,
  ROLES_IN_INCIDENT,
  SOURCE_LABELS,
  SOURCES,
  lastDayOfMonth,
  MAXIMUM_PERTURBATION,
} from '@lantern/shared';
import { useMemo, useState } from 'react';
import { PanelClose, PanelToggle, useOpenPanel } from '../components/Panels';
import { PeopleFlowChart } from '../components/PeopleFlowChart';
import { PeopleRepeatsPanel } from '../components/PeopleRepeatsPanel';
import { PeerGroupSizesTable } from '../components/PeerGroupSizes';
import { api } from '../api';
import { CheckList, DataChoice } from '../components/FilterPanel';
import { PrintableMap } from '../components/PrintableMap';
import { SummaryTable } from '../components/SummaryTable';
import { useFetch } from '../hooks';
import { BREAKDOWNS, MEASURES, breakdownColumns, choropleth, type Breakdown, type Measure } from '../summary/measures';

/** Every month, quarter or year that holds data, newest first, as {from, label}. */
function periodChoices(kind: Exclude<PeriodKind, 'custom'>, range: DateRange): { value: string; label: string }[] {
  const choices = new Map<string, string>();
  for (let month = `${range.to.slice(0, 7)}-01`; month >= `${range.from.slice(0, 7)}-01`; month = addMonths(month, -1)) {
    const period = presetPeriod(kind, month);
    choices.set(period.from, `${describePeriod(period)}${period.to > range.to ? ` (data to ${range.to})` : ''}`);
  }
  return [...choices].map(([value, label]) => ({ value, label }));
}

export function SummaryPage({ meta, user }: { meta: Meta; user: SignedInUser }) {
  const levels = summaryLevels(meta.areaLevels);
  const range = meta.dateRange ?? { from: localToday(), to: localToday() };
  const [level, setLevel] = useState<AreaLevel>(defaultSummaryLevel(meta.areaLevels));
  const [periodKind, setPeriodKind] = useState<PeriodKind>('quarter');
  const [anchor, setAnchor] = useState(() => latestWholeQuarter(range).from);
  const [custom, setCustom] = useState<DateRange>(() => latestWholeQuarter(range));
  const [compare, setCompare] = useState<Comparison | ''>('previous');
  const [filters, setFilters] = useState<Filters>({});
  const [measure, setMeasure] = useState<Measure>('episodes');
  const [breakdown, setBreakdown] = useState<Breakdown>('category');
  const [preview, setPreview] = useState(false);
  const [optionsPanel, setOptionsPanel] = useOpenPanel<'options'>();
  const isPanel = user.role === 'panel';

  // Panel members (and an analyst previewing their view) choose whole months: the server
  // answers them no other period (docs/disclosure.md).
  const monthsOnly = isPanel || preview;
  const period = periodKind === 'custom'
    ? (monthsOnly ? { from: `${custom.from.slice(0, 7)}-01`, to: lastDayOfMonth(custom.to) } : custom)
    : presetPeriod(periodKind, anchor);
  const query = { ...filters, from: period.from, to: period.to };
  const options = { compare: compare || undefined, preview: !isPanel && preview };
  const summary = useFetch<AreaSummary>(`${level}|${JSON.stringify(query)}|${compare}|${options.preview}`,
    (signal) => api.areaSummary(level, query, options, signal));
  const areas = useFetch<AreaCollection>(level, (signal) => api.areas(level, signal));
  const map = useMemo(() => (summary.data ? choropleth(summary.data, measure) : null), [summary.data, measure]);
  const columns = useMemo(() => breakdownColumns(breakdown, filters.categories ?? CATEGORIES), [breakdown, filters.categories]);
  const agePreset = AGE_PRESETS.find((preset) => JSON.stringify(preset.bands.length ? preset.bands : undefined) === JSON.stringify(filters.ages));
  const set = (patch: Partial<Filters>) => {
    const next = { ...filters, ...patch };
    for (const k of Object.keys(next) as (keyof Filters)[]) if (next[k] === undefined) delete next[k];
    setFilters(next);
  };

  const data = summary.data;
  // The trend's months, people by people: same or new.
  const flowFilters = data?.trendMonths.length && data.period
    ? { ...filters, from: `${data.trendMonths[0]}-01`, to: data.period.to } : null;
  // Analysts (not previewing the panel's view) also see repeat people for the period.
  const repeats = useFetch<PeopleRepeats>(!isPanel && !preview ? JSON.stringify(query) : null, (signal) => api.peopleRepeats(query, signal));
  const flow = useFetch<PeopleFlow>(flowFilters ? JSON.stringify(flowFilters) : null, (signal) => api.peopleFlow(flowFilters!, 'month', signal));
  // Peer groups by size, for the period: the panel sees only these counts, perturbed.
  const groupSizes = useFetch<PeerGroupSizes>(!preview ? JSON.stringify(query) : null, (signal) => api.peerGroupSizes(query, signal));
  const levelLabel = AREA_LEVEL_LABELS[level];
  // In a sentence: "wards", but "LSOAs" (an acronym keeps its capitals).
  const levelWord = levelLabel === levelLabel.toUpperCase() ? levelLabel : levelLabel.toLowerCase();
  const periodText = data?.period ? describePeriod(data.period) : describePeriod(period);
  const comparisonText = !data?.comparison ? 'no comparison'
    : !data.comparison.covered ? `no data to compare: the data does not reach back over ${describePeriod(data.comparison)} (${COMPARISON_LABELS[data.comparison.kind].toLowerCase()})`
    : `compared with ${describePeriod(data.comparison)} (${COMPARISON_LABELS[data.comparison.kind].toLowerCase()})${
      data.periodWithData && data.period && (data.periodWithData.from !== data.period.from || data.periodWithData.to !== data.period.to)
        ? `, like for like: the data covers ${data.periodWithData.from} to ${data.periodWithData.to} of the period` : ''}`;
  const filterText = describeFilters(filters).join('; ') || 'All categories, all ages, all hours';
  const legendTitle = `${MEASURES[measure]} by ${levelWord}, ${periodText}`;
  const hasYoungPopulation = data?.rows.some((row) => row.population10to24 !== null) ?? false;
  const panelView = data?.disclosureControl ?? isPanel;

  return (
    <div className="form-page summary-page">
      <aside className="left no-print" id="page-options" aria-label="Summary options" data-open={optionsPanel === 'options'}>
        <PanelClose label="Summary options" onClose={() => setOptionsPanel(null)} />
        <form className="filters" aria-label="Summary options" onSubmit={(e) => e.preventDefault()}>
          <fieldset>
            <legend>Areas</legend>
            <label className="stacked">Geography
              <select value={level} onChange={(e) => setLevel(e.target.value as AreaLevel)} data-testid="summary-level">
                {levels.map((l) => <option key={l} value={l}>{AREA_LEVEL_LABELS[l]}</option>)}
              </select>
            </label>
          </fieldset>
          <fieldset>
            <legend>Period</legend>
            <div className="chips" role="radiogroup" aria-label="Period length">
              {PERIOD_KINDS.map((kind) => (
                <label key={kind} className="radio"><input type="radio" name="period-kind" checked={periodKind === kind} onChange={() => setPeriodKind(kind)} />{PERIOD_KIND_LABELS[kind]}</label>
              ))}
            </div>
            {periodKind === 'custom' && monthsOnly ? (
              <>
                <div className="row"><label htmlFor="summary-from">From</label>
                  <input id="summary-from" type="month" value={period.from.slice(0, 7)} min={range.from.slice(0, 7)} max={range.to.slice(0, 7)} required
                    onChange={(e) => e.target.value && setCustom({ ...custom, from: `${e.target.value}-01` })} /></div>
                <div className="row"><label htmlFor="summary-to">To</label>
                  <input id="summary-to" type="month" value={period.to.slice(0, 7)} min={range.from.slice(0, 7)} max={range.to.slice(0, 7)} required
                    onChange={(e) => e.target.value && setCustom({ ...custom, to: lastDayOfMonth(`${e.target.value}-01`) })} /></div>
              </>
            ) : periodKind === 'custom' ? (
              <>
                <div className="row"><label htmlFor="summary-from">From</label>
                  <input id="summary-from" type="date" value={custom.from} min={range.from} max={range.to} required
                    onChange={(e) => e.target.value && setCustom({ ...custom, from: e.target.value })} /></div>
                <div className="row"><label htmlFor="summary-to">To</label>
                  <input id="summary-to" type="date" value={custom.to} min={range.from} max={range.to} required
                    onChange={(e) => e.target.value && setCustom({ ...custom, to: e.target.value })} /></div>
              </>
            ) : (
              <label className="stacked">{PERIOD_KIND_LABELS[periodKind]}
                <select value={period.from} onChange={(e) => setAnchor(e.target.value)} data-testid="summary-period">
                  {periodChoices(periodKind, range).map((choice) => <option key={choice.value} value={choice.value}>{choice.label}</option>)}
                </select>
              </label>
            )}
            <label className="stacked">Compare with
              <select value={compare} onChange={(e) => setCompare(e.target.value as Comparison | '')} data-testid="summary-compare">
                <option value="">No comparison</option>
                {COMPARISONS.map((c) => <option key={c} value={c}>{COMPARISON_LABELS[c]}</option>)}
              </select>
            </label>
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
            <legend>Map shows</legend>
            {(Object.keys(MEASURES) as Measure[]).map((m) => (
              <label key={m} className="radio">
                <input type="radio" name="summary-measure" checked={measure === m} onChange={() => setMeasure(m)}
                  disabled={(m === 'change' && !compare) || (m === 'rate10to24Per1000' && !hasYoungPopulation)} />
                {MEASURES[m]}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Table breakdown</legend>
            {(Object.keys(BREAKDOWNS) as Breakdown[]).map((b) => (
              <label key={b} className="radio"><input type="radio" name="summary-breakdown" checked={breakdown === b} onChange={() => setBreakdown(b)} />{BREAKDOWNS[b]}</label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Categories</legend>
            <CheckList all={CATEGORIES} chosen={filters.categories} label={(c) => CATEGORY_LABELS[c]} onChange={(categories) => set({ categories })} />
          </fieldset>
          <fieldset>
            <legend>Sources</legend>
            <CheckList all={SOURCES} chosen={filters.sources} label={(source) => SOURCE_LABELS[source]} onChange={(sources) => set({ sources })} columns={1} />
          </fieldset>
          <fieldset>
            <legend>Role in the incident</legend>
            <CheckList all={ROLES_IN_INCIDENT} chosen={filters.roles} label={(role) => ROLE_LABELS[role]} onChange={(roles) => set({ roles })} />
          </fieldset>
          <fieldset>
            <legend>Outcome</legend>
            <CheckList all={OUTCOMES} chosen={filters.outcomes} label={(outcome) => OUTCOME_LABELS[outcome]} onChange={(outcomes) => set({ outcomes })} columns={1} />
          </fieldset>
          {((meta.demo && meta.imported) || filters.data) && <DataChoice data={filters.data} onChange={(data) => set({ data })} />}
          {!isPanel && (
            <fieldset>
              <legend>Disclosure</legend>
              <label className="radio"><input type="checkbox" checked={preview} onChange={(e) => setPreview(e.target.checked)} data-testid="summary-preview" />
                Preview what a panel member sees</label>
            </fieldset>
          )}
        </form>
      </aside>

      <main className="form-page-main summary" aria-labelledby="summary-title">
        <PanelToggle controls="page-options" label="Summary options" open={optionsPanel === 'options'} onToggle={() => setOptionsPanel(optionsPanel ? null : 'options')} testId="open-options" />
        <header className="summary-head">
          <div>
            <h1 id="summary-title">Area summary: {levelWord}s, {periodText}</h1>
            <p className="hint" data-testid="summary-subtitle">
              {comparisonText}. {filterText}. {panelView ? 'Counts perturbed to protect identities (panel view).' : 'Exact counts.'}
            </p>
            {describeNotJudged(data?.notJudged).map((text) => (
              <p key={text} className="hint" data-testid="summary-not-judged">Not judged: {text}.</p>
            ))}
          </div>
          <div className="actions no-print">
            <a className="button" href={api.areaSummaryCsvUrl(level, query, options)} download data-testid="summary-csv">Download CSV</a>
            <button type="button" onClick={() => window.print()} data-testid="summary-print">Print report</button>
          </div>
        </header>
        {meta.demo && <p className="print-only demo-note">Demo data: generated by Lantern for demonstration, not real incidents.</p>}
        {summary.error && <p className="error" role="alert">{summary.error}</p>}

        <section className="summary-map" aria-label="Map and legend">
          <PrintableMap meta={meta} areas={areas.data} areaValues={map?.values}
            label={`Choropleth map: ${legendTitle}. The table below has every value.`} alt={`Map: ${legendTitle}`} />
          {map && (
            <figure className="choropleth-legend" data-testid="summary-legend">
              <figcaption>{legendTitle}</figcaption>
              <ul>
                {map.classes.map((entry) => (
                  <li key={entry.label}><span className="swatch" style={{ background: entry.colour }} aria-hidden="true" />{entry.label}</li>
                ))}
              </ul>
            </figure>
          )}
        </section>

        <PeopleFlowChart flow={flow.data} episodes={typeof data?.total.episodes === 'number' ? data.total.episodes : undefined} />
        <PeopleRepeatsPanel repeats={repeats.data} />
        <PeerGroupSizesTable sizes={groupSizes.data} />

        <section aria-label="Area table" className="summary-table-section">
          {data && (
            <>
              <p className="hint" data-testid="disclosure-rule">{data.rule}</p>
              <div className="table-scroll" tabIndex={0} role="region" aria-label={`Table of ${levelWord}s`}>
                <SummaryTable summary={data} breakdownColumns={columns} levelLabel={levelLabel} />
              </div>
              <section className="notes" aria-label="Notes">
                <h2>Notes</h2>
                <ul>
                  {SUMMARY_DEFINITIONS.map((text) => <li key={text}>{text}</li>)}
                  {panelView && <li>Counts are perturbed to protect identities: a count of 1 to 4 shows as 0 or 5, others move by up to {MAXIMUM_PERTURBATION}; totals add up the figures shown. “c”: an area whose counts come from fewer than {FEWEST_PLACES} places. Grey areas on the map are hidden, not zero.</li>}
                  <li>Data: {data.sources.join('; ') || 'none loaded'}.</li>
                  <li className="print-only">Generated {new Date().toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short' })} by {user.displayName} ({user.role}).</li>
                </ul>
              </section>
            </>
          )}
        </section>
      </main>
    </div>
  );
}
