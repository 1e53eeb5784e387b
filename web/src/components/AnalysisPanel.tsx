// Choose what the map shows over the district, with its legend and the parameters the
// server used, and explain a clicked Gi* cell.
import type { EmergingResult, GiStarResult, KdeResult, Outside } from '@lantern/shared';
import { EMERGING_COLOURS, EMERGING_LABELS, GISTAR_COLOURS, GISTAR_LABELS } from '../map/palette';
import type { Layer } from '../url-state';

/** A clicked cell: a Gi* cell, or an emerging hot spot cell (pattern, trend, bins). */
export type CellProperties = Partial<GiStarResult['features'][number]['properties']> & Partial<Omit<EmergingResult['features'][number]['properties'], 'bins'>> & { bins?: number[] | string };

interface Props {
  layer: Layer;
  onLayer(layer: Layer): void;
  gistar: GiStarResult | null;
  kde: KdeResult | null;
  emerging: EmergingResult | null;
  loading: boolean;
  cell: CellProperties | null;
}

const LAYERS: Record<Layer, string> = {
  density: 'Incident density (hexagons)',
  gistar: 'Hot spots (Getis-Ord Gi*)',
  kde: 'Kernel density',
  emerging: 'Emerging hot spots',
};

export function AnalysisPanel({ layer, onLayer, gistar, kde, emerging, loading, cell }: Props) {
  return (
    <section className="analysis" aria-label="Map analysis" data-testid="analysis-panel">
      <div className="chips" role="radiogroup" aria-label="Map layer">
        {(Object.keys(LAYERS) as Layer[]).map((id) => (
          <button key={id} type="button" role="radio" aria-checked={layer === id} onClick={() => onLayer(id)}>
            {LAYERS[id]}
          </button>
        ))}
      </div>
      {loading && <p className="hint">Computing…</p>}
      {layer === 'gistar' && gistar && (
        <div data-testid="gistar-legend">
          <ul className="ramp">
            {[3, 2, 1, -1, -2, -3].map((bin) => (
              <li key={bin}><span className="swatch" style={{ background: GISTAR_COLOURS[bin] }} />{GISTAR_LABELS[bin]}
                {' '}({gistar.summary[(bin > 0 ? `hot${bin === 3 ? 99 : bin === 2 ? 95 : 90}` : `cold${bin === -3 ? 99 : bin === -2 ? 95 : 90}`) as keyof GiStarResult['summary']]})</li>
            ))}
          </ul>
          <p className="hint">
            {gistar.parameters.cells.toLocaleString('en-GB')} hexagons of {gistar.parameters.cellSize} m sides, distance band {Math.round(gistar.parameters.band)} m
            (about {gistar.parameters.meanNeighbours} neighbours), {gistar.parameters.fdr ? 'False Discovery Rate corrected' : 'no FDR correction'},
            {' '}{gistar.parameters.incidents.toLocaleString('en-GB')} incidents{outsideText(gistar.parameters.outside)}. Click a cell for its numbers.
          </p>
        </div>
      )}
      {layer === 'emerging' && emerging && (
        <div data-testid="emerging-legend">
          <ul className="ramp">
            {Object.entries(EMERGING_LABELS).filter(([pattern]) => emerging.summary[pattern]).map(([pattern, label]) => (
              <li key={pattern}><span className="swatch" style={{ background: EMERGING_COLOURS[pattern] }} />{label} ({emerging.summary[pattern]})</li>
            ))}
          </ul>
          <p className="hint">
            {emerging.parameters.slices} {emerging.parameters.slice}ly slices from {emerging.parameters.firstSlice}, {emerging.parameters.cellSize} m hexagons,
            band {Math.round(emerging.parameters.band)} m, {emerging.parameters.timeSteps} earlier slice in each neighbourhood; Mann-Kendall trend on each cell's z-scores
            {' '}(p &lt; {emerging.parameters.trendAlpha}); {emerging.parameters.incidents.toLocaleString('en-GB')} incidents{outsideText(emerging.parameters.outside)}.
            {emerging.parameters.partialSlice && ` The ${emerging.parameters.partialSlice.incidents.toLocaleString('en-GB')} incidents of ${emerging.parameters.partialSlice.from} to ${emerging.parameters.partialSlice.to}, before the first whole ${emerging.parameters.slice}, are left out: a short slice would read as a fall.`}
            {' '}Click a cell.
          </p>
        </div>
      )}
      {layer === 'emerging' && cell?.pattern && (
        <dl className="cell" data-testid="emerging-cell">
          <div><dt>Pattern</dt><dd>{EMERGING_LABELS[cell.pattern] ?? cell.pattern}</dd></div>
          <div><dt>Incidents</dt><dd>{cell.count}</dd></div>
          <div><dt>Trend z</dt><dd>{Number(cell.trendZ).toFixed(2)}</dd></div>
          <div><dt>Hot / cold slices</dt><dd>{cell.hotSlices} / {cell.coldSlices}</dd></div>
        </dl>
      )}
      {layer === 'gistar' && cell && cell.z !== undefined && (
        <dl className="cell" data-testid="cell-details">
          <div><dt>Incidents</dt><dd>{cell.count}</dd></div>
          <div><dt>z-score</dt><dd>{cell.z.toFixed(2)}</dd></div>
          <div><dt>p-value</dt><dd>{(cell.p ?? 1) < 0.0001 ? '< 0.0001' : (cell.p ?? 1).toFixed(4)}</dd></div>
          <div><dt>Result</dt><dd>{GISTAR_LABELS[cell.bin ?? 0] ?? 'Not significant'}</dd></div>
          <div><dt>Neighbourhood</dt><dd>{cell.neighbours} cells</dd></div>
        </dl>
      )}
      {layer === 'kde' && kde && (
        <p className="hint" data-testid="kde-legend">
          Quartic kernel, bandwidth {kde.parameters.bandwidth} m ({kde.parameters.bandwidthSource.startsWith('automatic') ? 'Silverman\'s rule' : 'chosen'}),
          {' '}{kde.parameters.resolution} m cells; darkest = {Math.round(kde.grid.max).toLocaleString('en-GB')} {kde.parameters.units};
          {' '}{kde.parameters.incidents.toLocaleString('en-GB')} incidents{outsideText(kde.parameters.outside)}.
        </p>
      )}
    </section>
  );
}

/** ", and N more beyond …" when an answer left incidents out, else nothing. */
function outsideText(outside: Outside): string {
  return outside.incidents ? ` (and ${outside.incidents.toLocaleString('en-GB')} more ${outside.reason.replace(/:.*$/, '')}, not counted)` : '';
}
