// Near repeats for the map's filters (GET /api/analysis/near-repeat): asked on demand,
// shown as the Knox table (ratio per distance x time band, significant cells marked)
// with its reading in words.
import type { Filters } from '@lantern/shared';
import { api } from '../api';
import { useAskedFor } from '../hooks';

export function NearRepeatPanel({ filters }: { filters: Filters }) {
  const { current, run } = useAskedFor(filters, () => api.nearRepeat(filters));
  const result = current?.result;
  return (
    <details className="near-repeat" data-testid="near-repeat">
      <summary>Near repeats (Knox test)</summary>
      <p className="hint">Are incidents close in space and time more common than chance? Pairs of the filtered incidents by distance and days apart, against 99 shuffles of their dates (at most 5,000 incidents).</p>
      <button type="button" className="reset" onClick={() => void run()} disabled={current?.busy}>{current?.busy ? 'Testing…' : 'Test these filters'}</button>
      {current?.error && <p className="error" role="alert">{current.error}</p>}
      {result && (
        <>
          <p data-testid="near-repeat-reading">{result.reading}</p>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Knox ratios">
            <table className="pack-table">
              <caption className="hint">Knox ratio (observed / expected pairs); bold: p ≤ 0.05. {result.parameters.incidents.toLocaleString('en-GB')} incidents{result.parameters.monthsOnly ? `, ${result.parameters.monthsOnly.toLocaleString('en-GB')} with months only left out` : ''}.</caption>
              <thead><tr><th scope="col">Distance</th>{result.temporalLabels.map((label) => <th key={label} scope="col">{label}</th>)}</tr></thead>
              <tbody>
                {result.cells.map((row, s) => (
                  <tr key={result.spatialLabels[s]}>
                    <th scope="row">{result.spatialLabels[s]}</th>
                    {row.map((cell, t) => (
                      <td key={t} className={cell.p <= 0.05 && (cell.ratio ?? 0) > 1 ? 'significant' : undefined}>{cell.ratio === null ? '–' : cell.ratio.toFixed(2)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </details>
  );
}
