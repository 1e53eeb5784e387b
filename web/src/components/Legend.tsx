// What the map's colours and sizes mean, under the current filters.
import { CATEGORIES, CATEGORY_LABELS, LOCATION_KINDS, LOCATION_KIND_LABELS, POINT_ZOOM } from '@lantern/shared';
import { CATEGORY_COLOURS, DENSITY_COLOURS, KIND_COLOURS, rgbCss } from '../map/palette';

interface Props {
  breaks: number[];
  zoom: number;
  /** The hexagon density classes are shown only while that layer is on. */
  showDensity?: boolean;
  /** From the point zoom: tiles too dense for points, drawn as hexagons, are in view. */
  denseHexagons?: boolean;
  /** The classes are fixed (kept across filters and views) rather than fitted to each view. */
  fixed?: boolean;
  onFix?(fixed: boolean): void;
}

const format = (value: number) => value.toLocaleString('en-GB', { maximumSignificantDigits: 3 });

/** The density classes' labels: under the first break, between breaks, over the last. */
const classLabels = (breaks: number[]) =>
  [`under ${format(breaks[0]!)}`, ...breaks.slice(0, -1).map((b, i) => `${format(b)}-${format(breaks[i + 1]!)}`), `${format(breaks[breaks.length - 1]!)}+`];

/** The hexagon key kept in view on the map itself (the full legend is in the side panel, below the fold). */
export function MapKey({ breaks, fixed }: { breaks: number[]; fixed: boolean }) {
  const labels = classLabels(breaks);
  return (
    <figure className="map-key" data-testid="map-key">
      <figcaption>Incidents per km²{fixed ? ' (classes kept)' : ''}</figcaption>
      <ul>
        {DENSITY_COLOURS.map((colour, index) => (
          <li key={colour}><span className="swatch" style={{ background: colour }} />{labels[index]}</li>
        ))}
      </ul>
    </figure>
  );
}

export function Legend({ breaks, zoom, showDensity = true, denseHexagons = false, fixed = false, onFix }: Props) {
  const labels = classLabels(breaks);
  const ramp = (
    <>
      <ul className="ramp" data-testid="density-legend">
        {DENSITY_COLOURS.map((colour, index) => (
          <li key={colour}><span className="swatch" style={{ background: colour }} />{labels[index]}</li>
        ))}
      </ul>
      {onFix && (
        <label className="radio" data-testid="fix-classes">
          <input type="checkbox" checked={fixed} onChange={(event) => onFix(event.target.checked)} />
          Keep these classes (compare filters and places on the same scale; kept in the link)
        </label>
      )}
    </>
  );
  return (
    <section className="legend" aria-label="Legend" data-testid="legend">
      {zoom < POINT_ZOOM ? (showDensity && (
        <>
          <h2>Incidents</h2>
          <p className="hint">Hexagons: incidents (episodes) per km² for the filters. Zoom in past {POINT_ZOOM} for single incidents, where there are few enough to draw one by one.</p>
          {ramp}
        </>
      )) : (
        <>
          <h2>Incidents</h2>
          <p className="hint">Points: single incidents, coloured by category.</p>
          <ul className="kinds" data-testid="category-legend">
            {CATEGORIES.map((category) => (
              <li key={category}><span className="dot" style={{ background: CATEGORY_COLOURS[category] }} />{CATEGORY_LABELS[category]}</li>
            ))}
          </ul>
          {denseHexagons && (
            <>
              <p className="hint">Where a tile holds too many incidents to draw one by one, it keeps hexagons (incidents per km²):</p>
              {ramp}
            </>
          )}
        </>
      )}
      <h2>Locations of concern</h2>
      <p className="hint">Circle area: incidents near the place for the filters.</p>
      <ul className="kinds">
        {LOCATION_KINDS.map((kind) => (
          <li key={kind}><span className="dot" style={{ background: rgbCss(KIND_COLOURS[kind]) }} />{LOCATION_KIND_LABELS[kind]}</li>
        ))}
      </ul>
    </section>
  );
}
