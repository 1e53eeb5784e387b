// What the map's colours and sizes mean, under the current filters.
import { CATEGORIES, CATEGORY_LABELS, LOCATION_KINDS, LOCATION_KIND_LABELS, POINT_ZOOM, type EmergingResult, type KdeResult } from '@lantern/shared';
import { categoryColours, DENSITY_COLOURS, EMERGING_COLOURS, EMERGING_LABELS, GISTAR_COLOURS, kdeColour, kindColours, rgbCss, type PaletteName } from '../map/palette';

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
  /** The categories' and places' colours, as the map draws them. */
  palette?: PaletteName;
}

const format = (value: number) => value.toLocaleString('en-GB', { maximumSignificantDigits: 3 });

/** The density classes' labels: under the first break, between breaks, over the last. */
const classLabels = (breaks: number[]) =>
  [`under ${format(breaks[0]!)}`, ...breaks.slice(0, -1).map((b, i) => `${format(b)}-${format(breaks[i + 1]!)}`), `${format(breaks[breaks.length - 1]!)}+`];

/** The key kept in view on the map itself, for whichever layer colours it (the full legends are in the side panels, below the fold). */
export type MapKeyProps =
  | { layer: 'density'; breaks: number[]; fixed: boolean }
  | { layer: 'gistar' }
  | { layer: 'kde'; kde: KdeResult }
  | { layer: 'emerging'; emerging: EmergingResult };

const GISTAR_KEY: [number, string][] = [[3, 'Hot 99%'], [2, '95%'], [1, '90%'], [-1, 'Cold 90%'], [-2, '95%'], [-3, '99%']];
/** Kernel density's colours from 2% of the maximum (transparent below) to the maximum, as drawn. */
const KDE_RAMP = `linear-gradient(to right, ${[0.02, 0.1, 0.25, 0.5, 0.75, 1].map((t) => kdeColour(t)).join(', ')})`;

export function MapKey(props: MapKeyProps) {
  let caption: string;
  let items: { colour: string; label: string }[] | null = null;
  switch (props.layer) {
    case 'density': {
      const labels = classLabels(props.breaks);
      caption = `Incidents (episodes) per km²${props.fixed ? ' (classes kept)' : ''}`;
      items = DENSITY_COLOURS.map((colour, index) => ({ colour, label: labels[index]! }));
      break;
    }
    case 'gistar':
      caption = 'Hot and cold spots (Gi*, confidence)';
      items = GISTAR_KEY.map(([bin, label]) => ({ colour: GISTAR_COLOURS[bin]!, label }));
      break;
    case 'kde':
      caption = `Kernel density, ${props.kde.parameters.units}`;
      break;
    case 'emerging':
      caption = 'Emerging hot spots';
      items = Object.entries(EMERGING_LABELS).filter(([pattern]) => props.emerging.summary[pattern])
        .map(([pattern, label]) => ({ colour: EMERGING_COLOURS[pattern]!, label }));
      if (items.length === 0) items = null;
      break;
  }
  return (
    <figure className="map-key" data-testid="map-key" data-layer={props.layer}>
      <figcaption>{caption}</figcaption>
      {items && (
        <ul>
          {items.map(({ colour, label }) => (
            <li key={colour + label}><span className="swatch" style={{ background: colour }} />{label}</li>
          ))}
        </ul>
      )}
      {props.layer === 'emerging' && !items && <p>No cell shows a pattern for these filters.</p>}
      {props.layer === 'kde' && (
        <div className="key-ramp">
          <span className="ramp-bar" style={{ background: KDE_RAMP }} />
          <span className="ramp-ends"><span>low</span><span>{Math.round(props.kde.grid.max).toLocaleString('en-GB')}</span></span>
        </div>
      )}
    </figure>
  );
}

export function Legend({ breaks, zoom, showDensity = true, denseHexagons = false, fixed = false, onFix, palette = 'standard' }: Props) {
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
          <p className="hint">Diamonds: single incidents, coloured by category (places of concern are circles).</p>
          <ul className="kinds" data-testid="category-legend">
            {CATEGORIES.map((category) => (
              <li key={category}><span className="dot diamond" style={{ background: categoryColours(palette)[category] }} />{CATEGORY_LABELS[category]}</li>
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
      <p className="hint">Circles, their area the incidents near the place for the filters (single incidents are diamonds).</p>
      <ul className="kinds">
        {LOCATION_KINDS.map((kind) => (
          <li key={kind}><span className="dot" style={{ background: rgbCss(kindColours(palette)[kind]) }} />{LOCATION_KIND_LABELS[kind]}</li>
        ))}
      </ul>
    </section>
  );
}
