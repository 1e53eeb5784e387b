// The OEM / SVOG meeting pack (analysts): choose the meeting and its date (and the
// previous meeting's), then four sections, each with its map (where it has one), its
// table and a CSV, printable as a pack of A4 pages.
import {
  MEETINGS,
  MEETING_IDS,
  addDays,
  AGE_FOCUS_IDS,
  AGE_FOCUSES,
  type AgeFocusId,
  addMonths,
  defaultMeetingDate,
  describeNotJudged,
  localToday,
  type AreaCollection,
  type AreaLevel,
  type EmergingResult,
  type Meta,
  type MeetingId,
  type MeetingPack,
  type MeetingSection,
  type SignedInUser,
} from '@lantern/shared';
import { interpolateOranges } from 'd3-scale-chromatic';
import { useMemo, useState } from 'react';
import { PanelClose, PanelToggle, useOpenPanel } from '../components/Panels';
import { api } from '../api';
import { PrintableMap } from '../components/PrintableMap';
import { useFetch } from '../hooks';
import { EMERGING_COLOURS, EMERGING_LABELS } from '../map/palette';

/** The section's cells as the map's emerging layer draws them. */
function emergingOf(section: MeetingSection): EmergingResult {
  return {
    type: 'FeatureCollection',
    parameters: { cellSize: 250, band: 0, slice: 'month', slices: 0, firstSlice: '', lastSliceEnds: '', timeSteps: 1, fdr: true, cells: 0, incidents: 0,
      outside: { incidents: 0, reason: '' }, partialSlice: null, trendAlpha: 0.05, significance: '', crs: 'EPSG:27700' },
    summary: {},
    features: (section.cells ?? []).map((cell, i) => ({
      type: 'Feature', id: String(i), geometry: cell.geometry as EmergingResult['features'][number]['geometry'],
      properties: { id: String(i), pattern: cell.pattern as EmergingResult['features'][number]['properties']['pattern'], count: 0, trendZ: 0, trendP: 1, hotSlices: 0, coldSlices: 0, bins: [] },
    })),
  };
}

function SectionMap({ meta, section }: { meta: Meta; section: MeetingSection }) {
  const level = (section.areaLevel ?? null) as AreaLevel | null;
  const areas = useFetch<AreaCollection>(level ?? 'district', (signal) => api.areas(level ?? 'district', signal));
  const analysis = useMemo(() => (section.cells ? { layer: 'emerging' as const, gistar: null, kde: null, emerging: emergingOf(section) } : undefined), [section]);
  const markers = useMemo(() => section.points?.map((p) => ({ number: p.number, position: [p.lon, p.lat] as [number, number] })), [section]);
  const areaValues = useMemo(() => {
    if (!section.areaValues) return undefined;
    const max = Math.max(1, ...section.areaValues.map((a) => a.value));
    return new Map(section.areaValues.map((a) => [a.code, { colour: a.value > 0 ? interpolateOranges(0.25 + (0.7 * a.value) / max) : '#f4f4f4', label: String(a.value) }]));
  }, [section]);
  return (
    <div className="pack-map">
      <PrintableMap meta={meta} areas={areas.data} analysis={analysis} markers={markers} areaValues={areaValues}
        label={`Map: ${section.title}. The table has every value.`} alt={`Map: ${section.title}`} />
      {section.cells && section.cells.length > 0 && (
        <ul className="pack-legend">
          {[...new Set(section.cells.map((c) => c.pattern))].map((pattern) => (
            <li key={pattern}><span className="swatch" style={{ background: EMERGING_COLOURS[pattern] }} />{EMERGING_LABELS[pattern]}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function MeetingPage({ meta, user }: { meta: Meta; user: SignedInUser }) {
  const [meeting, setMeeting] = useState<MeetingId>('oem');
  const dataTo = meta.dateRange?.to ?? null;
  const [date, setDate] = useState(() => defaultMeetingDate(dataTo));
  const [previous, setPrevious] = useState('');
  const [ageFocus, setAgeFocus] = useState<AgeFocusId | ''>('');
  const [optionsPanel, setOptionsPanel] = useOpenPanel<'options'>('options');
  const [asked, setAsked] = useState<{ meeting: MeetingId; date: string; previous: string; ageFocus?: AgeFocusId } | null>(null);
  const pack = useFetch<MeetingPack>(asked ? JSON.stringify(asked) : null, (signal) => api.meetingPack(asked!, signal));
  const data = pack.data;

  return (
    <div className="form-page meeting-page">
      <aside className="left no-print" id="page-options" aria-label="Meeting and date" data-open={optionsPanel === 'options'}>
        <PanelClose label="Meeting and date" onClose={() => setOptionsPanel(null)} />
        <form className="filters" aria-label="Meeting" onSubmit={(e) => { e.preventDefault(); setAsked({ meeting, date, previous, ...(ageFocus ? { ageFocus } : {}) }); setOptionsPanel(null); }}>
          <fieldset>
            <legend>Meeting</legend>
            {MEETING_IDS.map((id) => (
              <label key={id} className="radio"><input type="radio" name="meeting" checked={meeting === id} onChange={() => setMeeting(id)} />
                {MEETINGS[id].label} ({MEETINGS[id].everyMonths === 1 ? 'monthly' : `every ${MEETINGS[id].everyMonths} months`}, {AGE_FOCUSES[MEETINGS[id].ageFocus].label})</label>
            ))}
            <label className="stacked">Meeting date<input type="date" value={date} required onChange={(e) => setDate(e.target.value)} data-testid="meeting-date" /></label>
            {dataTo && dataTo < localToday() && (
              <p className="hint" data-testid="meeting-data-to">
                Data to {dataTo}: the date starts at the day after, so the pack compares whole stretches of data.
                {date > addDays(dataTo, 1) && ' This date is past the data: the latest weeks will read as empty.'}
              </p>
            )}
            <label className="stacked">Previous meeting
              <input type="date" value={previous} onChange={(e) => setPrevious(e.target.value)} data-testid="meeting-previous" /></label>
            <p className="hint">Empty: {date ? addMonths(date, -MEETINGS[meeting].everyMonths) : 'the usual interval before'}.</p>
            <label className="stacked">Age focus of the people table
              <select value={ageFocus} onChange={(e) => setAgeFocus(e.target.value as AgeFocusId | '')} data-testid="meeting-age-focus">
                <option value="">The meeting's own ({AGE_FOCUSES[MEETINGS[meeting].ageFocus].label})</option>
                {AGE_FOCUS_IDS.map((id) => <option key={id} value={id}>{AGE_FOCUSES[id].label}</option>)}
              </select>
            </label>
          </fieldset>
          <button type="submit" className="primary" data-testid="meeting-make">Make pack</button>
          {pack.error && <p className="error" role="alert">{pack.error}</p>}
        </form>
      </aside>
      <main className="form-page-main">
        <PanelToggle controls="page-options" label="Meeting and date" open={optionsPanel === 'options'} onToggle={() => setOptionsPanel(optionsPanel ? null : 'options')} testId="open-options" />
        {!data && <p className="hint">Choose the meeting and its date: the pack covers the time since the previous meeting, against the same length of time before it.</p>}
        {data && (
          <>
            <header className="summary-head">
              <div>
                <h1 data-testid="meeting-title">{data.title}</h1>
                <p className="hint">Since the previous meeting ({data.previous}): {data.period.from} to {data.period.to}, against {data.comparison.from} to {data.comparison.to}. Age focus: {data.ageFocus}.</p>
              </div>
              <div className="actions no-print"><button type="button" onClick={() => window.print()} data-testid="meeting-print">Print pack</button></div>
            </header>
            {meta.demo && <p className="print-only demo-note">Demo data: generated by Lantern for demonstration, not real incidents.</p>}
            {data.sections.map((section) => (
              <section key={section.id} className="pack-section" aria-labelledby={`pack-${section.id}`} data-testid={`pack-${section.id}`}>
                <header className="pack-section-head">
                  <h2 id={`pack-${section.id}`}>{section.title}</h2>
                  <a className="button no-print" href={api.meetingPackCsvUrl(asked!, section.id)} download>CSV</a>
                </header>
                <p className="hint">{section.description}</p>
                {describeNotJudged(section.notJudged).map((text) => <p key={text} className="hint not-judged" data-testid="pack-not-judged">Not judged: {text}.</p>)}
                {(section.cells || section.points || section.areaValues) && <SectionMap meta={meta} section={section} />}
                {section.rows.length === 0 ? <p>Nothing to report in this period.</p> : (
                  <div className="table-scroll">
                    <table className="pack-table">
                      <thead><tr>{section.columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
                      <tbody>
                        {section.rows.map((row, i) => (
                          <tr key={i}>{row.map((cell, j) => (j === 0 ? <th key={j} scope="row">{cell ?? '–'}</th> : <td key={j} className={typeof cell === 'number' ? 'number' : 'text'}>{cell ?? '–'}</td>))}</tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </section>
            ))}
            <p className="hint">Data: {data.sources.join('; ') || 'none loaded'}. <span className="print-only">Printed {new Date().toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short' })} by {user.displayName}.</span></p>
          </>
        )}
      </main>
    </div>
  );
}
