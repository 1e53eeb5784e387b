// Imports for administrators and analysts: upload a file (with upload progress), read
// the same report the CLI prints, see every batch and roll one back. The server does the
// work (server/src/imports); this only sends the file and shows what came back.
import { IMPORT_KIND_LABELS, IMPORT_KINDS, type ImportBatch, type ImportRejects, type ImportReport } from '@lantern/shared';
import { useState } from 'react';
import { api } from '../api';
import { useFetch } from '../hooks';

const number = (value: number) => value.toLocaleString('en-GB');

const MAPPING_EXAMPLE = '{"source": "hospital_ed", "columns": {"occurred_at": "Attendance time", "lon": "X", "lat": "Y", "category": "Type"}}';

function Report({ report }: { report: ImportReport }) {
  const [all, setAll] = useState<ImportRejects | null>(null);
  const rejects = all?.rejects ?? report.rejects;
  return (
    <div className="import-report" data-testid="import-report" role="status">
      <h3>{report.dryRun ? 'Dry run: nothing was written' : `Imported as batch ${report.batchId}`}</h3>
      <p>
        {report.filename}: {IMPORT_KIND_LABELS[report.kind]}{report.detected ? ' (recognised)' : ''}, {report.encoding}, {report.seconds} s.
      </p>
      <dl className="import-counts">
        <div><dt>Read</dt><dd>{number(report.read)}</dd></div>
        <div><dt>{report.dryRun ? 'Would add' : 'Added'}</dt><dd>{number(report.accepted)}</dd></div>
        <div><dt>Replaced or updated</dt><dd>{number(report.updated)}</dd></div>
        <div><dt>Duplicates skipped</dt><dd>{number(report.duplicates)}</dd></div>
        <div><dt>Outside the district</dt><dd>{number(report.outsideDistrict)}</dd></div>
        {(report.keptOutside ?? 0) > 0 && <div><dt>Kept outside the district</dt><dd>{number(report.keptOutside!)}</dd></div>}
        <div><dt>Rejected</dt><dd>{number(report.rejected)}</dd></div>
      </dl>
      {Object.keys(report.rejectedByReason).length > 0 && (
        <p>Rejected by reason: {Object.entries(report.rejectedByReason).map(([reason, n]) => `${reason.replace(/_/g, ' ')} ${number(n)}`).join(' · ')}</p>
      )}
      {report.areaCodeDisagreements > 0 && (
        <p>{number(report.areaCodeDisagreements)} rows lie outside the LSOA their file names; Lantern places them by their position.</p>
      )}
      <ul className="import-notes">{report.notes.map((note) => <li key={note}>{note}</li>)}</ul>
      {rejects.length > 0 && (
        <>
          <table data-testid="import-rejects">
            <caption>Rejected rows{all ? '' : report.rejected > rejects.length ? ` (first ${rejects.length} of ${number(report.rejected)})` : ''}</caption>
            <thead><tr><th scope="col">Line</th><th scope="col">Field</th><th scope="col">Reason</th><th scope="col">Detail</th></tr></thead>
            <tbody>
              {rejects.map((reject) => (
                <tr key={`${reject.row}-${reject.message}`}><td>{reject.row}</td><td>{reject.field ?? '–'}</td><td>{reject.reason.replace(/_/g, ' ')}</td><td className="wrap">{reject.message}</td></tr>
              ))}
            </tbody>
          </table>
          {!all && report.batchId !== null && report.rejected > rejects.length && (
            <button type="button" onClick={() => void api.importRejects(report.batchId!).then(setAll)}>Show all rejected rows</button>
          )}
        </>
      )}
    </div>
  );
}

export function ImportsPanel({ onDataChanged }: { onDataChanged(): void }) {
  const [version, setVersion] = useState(0);
  const batches = useFetch(`imports-${version}`, (signal) => api.imports(signal));
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState('detect');
  const [encoding, setEncoding] = useState('');
  const [mapping, setMapping] = useState('');
  const [dryRun, setDryRun] = useState(false);
  const [keepOutside, setKeepOutside] = useState(false);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const upload = async () => {
    if (!file) return;
    setReport(null);
    setMessage(null);
    setProgress({ sent: 0, total: file.size });
    try {
      const result = await api.importFile(file, { kind, encoding, dryRun, keepOutside, mapping }, (sent, total) => setProgress({ sent, total }));
      setReport(result);
      if (!result.dryRun) onDataChanged();
    } catch (error) {
      setMessage({ text: `Nothing was imported: ${(error as Error).message}`, error: true });
    } finally {
      setProgress(null);
      setVersion((v) => v + 1);
    }
  };

  const rollback = async (batch: ImportBatch) => {
    if (!window.confirm(`Roll back batch ${batch.id} (${batch.filename ?? batch.kind})? Its ${number(batch.liveRows)} rows are removed and what it replaced is restored.`)) return;
    try {
      const result = await api.rollbackImport(batch.id);
      setMessage({ text: `Batch ${batch.id} rolled back: ${number(result.removed)} rows removed, ${number(result.restored)} restored.`, error: false });
      onDataChanged();
    } catch (error) {
      setMessage({ text: (error as Error).message, error: true });
    }
    setVersion((v) => v + 1);
  };

  const sending = progress !== null;
  const uploaded = progress && progress.total > 0 ? progress.sent / progress.total : 0;
  return (
    <section aria-labelledby="imports-title" className="imports">
      <h2 id="imports-title">Imports</h2>
      <p className="hint">
        police.uk street-level CSVs, incident extracts (CSV or GeoJSON, with a column mapping), places, boundaries and
        population. A file is imported whole or not at all; rejected rows are listed with their line and reason.
        Large files: <code>npm run import</code> on the server. See docs/imports.md.
      </p>
      <form className="import-form" onSubmit={(e) => { e.preventDefault(); void upload(); }}>
        <label>File<input type="file" accept=".csv,.geojson,.json,text/csv,application/geo+json,application/json" data-testid="import-file"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)} /></label>
        <label>Kind
          <select value={kind} onChange={(e) => setKind(e.target.value)} data-testid="import-kind">
            <option value="detect">Recognise it</option>
            {IMPORT_KINDS.map((id) => <option key={id} value={id}>{IMPORT_KIND_LABELS[id]}</option>)}
          </select>
        </label>
        <label>Encoding
          <select value={encoding} onChange={(e) => setEncoding(e.target.value)}>
            <option value="">Recognise it</option>
            <option value="utf-8">UTF-8</option>
            <option value="windows-1252">Windows-1252</option>
          </select>
        </label>
        <label className="mapping">Mapping (JSON, optional)
          <textarea rows={2} value={mapping} placeholder={MAPPING_EXAMPLE} onChange={(e) => setMapping(e.target.value)} data-testid="import-mapping" />
        </label>
        <label className="check"><input type="checkbox" checked={keepOutside} onChange={(e) => setKeepOutside(e.target.checked)} data-testid="import-keep-outside" />
          {' '}Keep incidents outside the district (a whole force file; they count only when the map's filter asks)</label>
        <label className="check"><input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} /> Dry run (check only)</label>
        <button type="submit" disabled={!file || sending} data-testid="import-submit">{dryRun ? 'Check file' : 'Import'}</button>
      </form>
      {sending && (
        <p className="import-progress" role="status">
          <progress max={1} value={uploaded} aria-label="Upload progress" />{' '}
          {uploaded < 1 ? `Uploading ${Math.round(uploaded * 100)}%` : 'Uploaded; checking and merging on the server...'}
        </p>
      )}
      {message && <p className={message.error ? 'error' : 'hint'} role={message.error ? 'alert' : 'status'}>{message.text}</p>}
      {report && <Report report={report} />}
      <h3>Batches</h3>
      {batches.error && <p className="error" role="alert">{batches.error}</p>}
      <div className="table-scroll">
        <table data-testid="import-batches">
          <thead>
            <tr>
              <th scope="col">Batch</th><th scope="col">Started (UTC)</th><th scope="col">File</th><th scope="col">Kind</th><th scope="col">By</th>
              <th scope="col">Status</th><th scope="col">Read</th><th scope="col">Added</th><th scope="col">Rejected</th><th scope="col">Live rows</th><th scope="col"><span className="visually-hidden">Roll back</span></th>
            </tr>
          </thead>
          <tbody>
            {batches.data?.batches.map((batch) => (
              <tr key={batch.id}>
                <td>{batch.id}</td>
                <td>{batch.startedAt.replace('T', ' ').slice(0, 16)}</td>
                <td>{batch.filename ?? '–'}{batch.isDemo && <span className="badge demo small">demo</span>}</td>
                <td>{batch.kind}</td>
                <td>{batch.createdBy ?? '–'}</td>
                <td title={batch.error ?? undefined}>{batch.status.replace('_', ' ')}{batch.error ? `: ${batch.error}` : ''}</td>
                <td>{number(batch.rowsTotal)}</td>
                <td>{number(batch.rowsInserted)}</td>
                <td>{number(batch.rowsRejected)}</td>
                <td>{number(batch.liveRows)}</td>
                <td>
                  {batch.status === 'committed' && !batch.isDemo && (
                    <button type="button" onClick={() => void rollback(batch)} aria-label={`Roll back batch ${batch.id}`}>Roll back</button>
                  )}
                  {batch.isDemo && batch.status === 'committed' && <span className="hint">npm run demo:remove</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
