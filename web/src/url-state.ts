// The whole view as a URL: filters (the shared wire form), map view, selected place,
// the chart's measure, the layer panel's settings and the colours. Reloading or sharing the URL gives the same view.
import { DEFAULT_LOCATION_RADIUS, FilterQuery, parseFilters, serialiseFilters, type Filters } from '@lantern/shared';
import { readLayers, writeLayers, type LayerSettings } from './map/layers';
import { PALETTES, type PaletteName } from './map/palette';

export type Measure = 'episodes' | 'people';
export type Layer = 'density' | 'gistar' | 'kde' | 'emerging';
const LAYERS: readonly Layer[] = ['density', 'gistar', 'kde', 'emerging'];

export interface MapView {
  longitude: number;
  latitude: number;
  zoom: number;
}

export interface ViewState {
  filters: Filters;
  view: MapView | null;
  locationId: number | null;
  measure: Measure;
  /** What the map shows over the district: hexagon density, Gi* hot spots or kernel density. */
  layer: Layer;
  /** Metres around each location of concern within which its incidents count. */
  radius: number;
  /** Fixed hexagon density classes (four rising breaks), so two views compare; null: fitted to each view. */
  classes: number[] | null;
  /** The layer panel: which groups are shown, how faded, in what order. */
  layers: LayerSettings;
  /** The categories' and places' colours: distinct hues, or colour-blind safe. */
  palette: PaletteName;
}

/** Four rising positive breaks from "1,2.5,5,10", else null. */
export function readClasses(text: string | null): number[] | null {
  const values = (text ?? '').split(',').map(Number);
  return values.length === 4 && values.every((v, i) => Number.isFinite(v) && v > 0 && (i === 0 || v > values[i - 1]!)) ? values : null;
}

export const RADII = [25, 50, 100, 200, 400] as const;

const FILTER_KEYS = Object.keys(FilterQuery.properties) as (keyof FilterQuery)[];

/** The view in a URL query string; anything unreadable falls back to its default. */
export function readViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const query: FilterQuery = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) (query as Record<string, string>)[key] = value;
  }
  const parsed = parseFilters(query);
  const filters = parsed.ok ? parsed.value : {};
  let view: MapView | null = null;
  const [longitude, latitude, zoom] = (params.get('view') ?? '').split(',').map(Number);
  if ([longitude, latitude, zoom].every((n) => n !== undefined && Number.isFinite(n))) {
    view = { longitude: longitude!, latitude: latitude!, zoom: zoom! };
  }
  const location = Number(params.get('loc'));
  return {
    filters,
    view,
    locationId: Number.isInteger(location) && location > 0 ? location : null,
    measure: params.get('measure') === 'people' ? 'people' : 'episodes',
    layer: LAYERS.includes(params.get('layer') as Layer) ? (params.get('layer') as Layer) : 'density',
    radius: (RADII as readonly number[]).includes(Number(params.get('radius'))) ? Number(params.get('radius')) : DEFAULT_LOCATION_RADIUS,
    classes: readClasses(params.get('classes')),
    layers: readLayers(params.get('layers')),
    palette: PALETTES.includes(params.get('colours') as PaletteName) ? (params.get('colours') as PaletteName) : 'standard',
  };
}

export function writeViewState(state: ViewState): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(serialiseFilters(state.filters))) {
    parts.push(`${key}=${encodeURIComponent(String(value)).replace(/%2C/g, ',')}`);
  }
  if (state.locationId) parts.push(`loc=${state.locationId}`);
  if (state.measure === 'people') parts.push('measure=people');
  if (state.layer !== 'density') parts.push(`layer=${state.layer}`);
  if (state.radius !== DEFAULT_LOCATION_RADIUS) parts.push(`radius=${state.radius}`);
  if (state.classes) parts.push(`classes=${state.classes.join(',')}`);
  const layers = writeLayers(state.layers);
  if (layers) parts.push(`layers=${layers}`);
  if (state.palette !== 'standard') parts.push(`colours=${state.palette}`);
  if (state.view) {
    const { longitude, latitude, zoom } = state.view;
    parts.push(`view=${longitude.toFixed(5)},${latitude.toFixed(5)},${zoom.toFixed(2)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
