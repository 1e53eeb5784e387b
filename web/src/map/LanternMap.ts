// The one module that owns the MapLibre map. React passes it data and options; it never
// keeps map objects in React state.
//  - MapLibre draws the offline street basemap (basemap-style.ts), area outlines and the
//    incident vector tiles (hexagons below POINT_ZOOM, points from it except in tiles too
//    dense for points) beneath the basemap's labels, all from Lantern's own server.
//  - The locations of concern (circles, and their outlines), numbered markers and the
//    areas' names are MapLibre layers over everything: one WebGL context and one set of
//    shaders (a second renderer's context and shaders took seconds of a first paint).
//  - One tooltip says what is under the pointer (tooltips.ts), with its units.
import {
  CATEGORIES,
  POINT_ZOOM,
  type AreaCollection,
  type EmergingResult,
  type GiStarResult,
  type KdeResult,
  type LocationCollection,
  type LocationFeature,
  type LocationKind,
} from '@lantern/shared';
import { bbox, centroid } from '@turf/turf';
import {
  Map as MapLibreMap,
  NavigationControl,
  ScaleControl,
  setWorkerUrl,
  type AddLayerObject,
  type ImageSource,
  type FilterSpecification,
  type GeoJSONSource,
  type VectorTileSource,
} from 'maplibre-gl';
// MapLibre 6 decodes tiles in a separate module worker; Vite bundles it with its imports.
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import type { MapView } from '../url-state';
import { DATA_ATTRIBUTION, lanternBasemapStyle } from './basemap-style';
import { tooltipLines, type TooltipKind } from './tooltips';
import { categoryColours, DENSITY_COLOURS, densityBreaks, EMERGING_COLOURS, GISTAR_COLOURS, kdeColour, kindColours, rgbCss, type PaletteName } from './palette';
import { DEFAULT_LAYERS, ORDERED_GROUPS, type LayerSettings, type OrderedGroup } from './layers';

export const LAYER_IDS = {
  background: 'background',
  district: 'district-fill',
  areaFill: 'area-fill',
  areaLines: 'area-lines',
  hexagons: 'incident-hexagons',
  hexagonLines: 'incident-hexagon-lines',
  points: 'incident-points',
  denseHexagons: 'incident-dense-hexagons',
  places: 'locations-of-concern',
  placeOutlines: 'location-outlines',
  areaLabels: 'area-labels',
  gistar: 'gistar-cells',
  gistarLines: 'gistar-cell-lines',
  gistarSelected: 'gistar-cell-selected',
  kde: 'kernel-density',
  basemapVeil: 'basemap-veil',
  placeOutlineLines: 'location-outline-lines',
  markers: 'numbered-markers',
  markerLabels: 'numbered-marker-labels',
} as const;

/** A numbered stop (patrol plans): a dark disc with its number. */
export interface NumberedMarker {
  number: number;
  position: [number, number];
}

export type AnalysisLayer = 'density' | 'gistar' | 'kde' | 'emerging';

const INCIDENT_SOURCE = 'incidents';
/** The incident tiles' hexagons (below the point zoom, and dense tiles from it). */
const HEXAGON_FEATURES = ['==', ['geometry-type'], 'Polygon'] as FilterSpecification;
const GISTAR_SOURCE = 'gistar';
const AREA_SOURCE = 'areas';
const DISTRICT_SOURCE = 'district';
const AREA_LABEL_SOURCE = 'area-labels';
const PLACE_SOURCE = 'locations-of-concern';
const PLACE_OUTLINE_SOURCE = 'location-outlines';
const MARKER_SOURCE = 'numbered-markers';

interface PlacePoint {
  id: number;
  name: string;
  kind: LocationKind;
  episodes: number;
  harm: number;
  position: [number, number];
}

export interface LanternMapEvents {
  onSelectLocation(id: number | null): void;
  onViewChange(view: MapView): void;
  onDensityBreaks(breaks: number[]): void;
  /** From the point zoom: whether tiles too dense for points (drawn as hexagons) are in view. */
  onDenseHexagons?(present: boolean): void;
  onReady(): void;
  onSelectCell?(cell: Record<string, unknown> | null): void;
}

setWorkerUrl(maplibreWorkerUrl);


/** A place's kind colour (its "kind" property) in a palette, as a MapLibre expression. */
const kindColour = (palette: PaletteName) =>
  ['match', ['get', 'kind'], ...Object.entries(kindColours(palette)).flatMap(([kind, rgb]) => [kind, rgbCss(rgb)]), '#3c3c3c'] as never;

/** An incident's category colour (its "category" property) in a palette, as a MapLibre expression. */
const categoryColour = (palette: PaletteName) =>
  ['match', ['get', 'category'], ...CATEGORIES.flatMap((category) => [category, categoryColours(palette)[category]]), '#7f7f7f'] as never;

/** Gi* confidence bins as fill colours. */
const GISTAR_FILL = ['match', ['get', 'bin'], ...[-3, -2, -1, 1, 2, 3].flatMap((bin) => [bin, GISTAR_COLOURS[bin]!]), 'rgba(0,0,0,0)'] as never;

const emptyCollection = { type: 'FeatureCollection' as const, features: [] };

/** The MapLibre layers of each group the layer panel reorders, bottom first within a group. */
const GROUP_LAYERS: Record<OrderedGroup, string[]> = {
  areas: [LAYER_IDS.district, LAYER_IDS.areaFill, LAYER_IDS.areaLines],
  incidents: [LAYER_IDS.hexagons, LAYER_IDS.hexagonLines, LAYER_IDS.denseHexagons, LAYER_IDS.points],
  hotspots: [LAYER_IDS.kde, LAYER_IDS.gistar, LAYER_IDS.gistarLines, LAYER_IDS.gistarSelected],
};

/** Each layer's opacity paint properties as designed; the panel's fade multiplies them. */
const BASE_OPACITY: Record<string, [string, number][]> = {
  [LAYER_IDS.district]: [['fill-opacity', 0.12]],
  [LAYER_IDS.areaFill]: [['fill-opacity', 0.85]],
  [LAYER_IDS.areaLines]: [['line-opacity', 0.7]],
  [LAYER_IDS.hexagons]: [['fill-opacity', 0.78]],
  [LAYER_IDS.hexagonLines]: [['line-opacity', 0.6]],
  [LAYER_IDS.denseHexagons]: [['fill-opacity', 0.6]],
  [LAYER_IDS.points]: [['icon-opacity', 0.9]],
  [LAYER_IDS.kde]: [['raster-opacity', 0.85]],
  [LAYER_IDS.gistar]: [['fill-opacity', 0.8]],
  [LAYER_IDS.gistarLines]: [['line-opacity', 1]],
  [LAYER_IDS.gistarSelected]: [['line-opacity', 1]],
};

const KDE_SOURCE = 'kernel-density';
const INCIDENT_ICON = 'incident-diamond';

/**
 * A diamond as a signed-distance image (MapLibre's SDF icons: alpha 0.75 at the edge,
 * falling by 1/8 a pixel outward), so one image takes any colour and a halo.
 */
function diamondSdf(size = 32, radius = 11): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  const centre = (size - 1) / 2;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const distance = (Math.abs(x - centre) + Math.abs(y - centre) - radius) / Math.SQRT2;
      data[(y * size + x) * 4 + 3] = Math.max(0, Math.min(255, Math.round(255 * (0.75 - distance / 8))));
    }
  }
  return { width: size, height: size, data };
}

/** From this zoom the incident map names its areas (below it, the basemap's town names orient). */
const AREA_LABEL_ZOOM = 11.5;

export class LanternMap {
  readonly map: MapLibreMap;
  private places: PlacePoint[] = [];
  private placeOutlines: LocationFeature[] = [];
  private areaLabels: { code: string; name: string; position: [number, number] }[] = [];
  private selectedId: number | null = null;
  private tilesUrl: string | null;
  private areaValues = new Map<string, { colour: string; label: string }>();
  private analysis: AnalysisLayer = 'density';
  /** Layers an analysis or zoom wants drawn (hexagons only for density, cells for Gi*...), before the panel's choice. */
  private wanted = new Map<string, boolean>();
  private layers: LayerSettings = DEFAULT_LAYERS;
  private palette: PaletteName = 'standard';
  /** The basemap's first label layer: Lantern's layers go beneath it. */
  private labelsId: string | undefined;
  private breaks: number[] = [1, 2, 4, 8];
  private fixedBreaks: number[] | null = null;
  private denseHexagons = false;
  private markers: NumberedMarker[] = [];
  private ready = false;
  /** What was asked of the map before its style was read, done once it is. */
  private pending: (() => void)[] = [];
  private readonly tooltip: HTMLDivElement;

  constructor(
    container: HTMLElement,
    options: {
      view: MapView;
      /** Incident vector tiles (analysts, police); null draws areas only (panel members). */
      tilesUrl: string | null;
      basemapStyleUrl: string | null;
    },
    private readonly events: LanternMapEvents,
  ) {
    this.tilesUrl = options.tilesUrl;
    this.map = new MapLibreMap({
      container,
      style: options.basemapStyleUrl ?? lanternBasemapStyle(window.location.origin),
      center: [options.view.longitude, options.view.latitude],
      zoom: options.view.zoom,
      minZoom: 8,
      maxZoom: 19,
      // Shown in full on every map and print: the OS licence asks for its attribution.
      attributionControl: { compact: false, customAttribution: ['Lantern', DATA_ATTRIBUTION] },
      // Tests and screenshots read the canvas back.
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    // A read-only handle for the browser tests and for debugging in the console.
    (window as unknown as { lanternMap?: MapLibreMap }).lanternMap = this.map;

    // Lantern's sources and layers join as soon as the basemap's style is read, not at
    // 'load' (after the basemap's first complete drawing): the incident tiles and the
    // areas are then asked for beside the basemap's and drawn in the same first frames.
    this.map.once('style.load', () => {
      this.addSourcesAndLayers();
      this.ready = true;
      this.applyLayers();
      this.placeData();
      this.placeStyle();
      for (const task of this.pending.splice(0)) task();
      this.events.onReady();
    });
    this.map.on('moveend', () => {
      const center = this.map.getCenter();
      this.events.onViewChange({ longitude: center.lng, latitude: center.lat, zoom: this.map.getZoom() });
    });
    this.map.on('idle', () => this.updateDensityBreaks());
    // The classes fitted as soon as the incident tiles in view are in, not after the first
    // drawing: otherwise that drawing used the default classes, and most hexagons the top one.
    this.map.on('sourcedata', (event) => {
      if (event.sourceId === INCIDENT_SOURCE && event.isSourceLoaded) this.updateDensityBreaks();
    });
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'map-tooltip';
    this.tooltip.setAttribute('role', 'tooltip');
    this.tooltip.hidden = true;
    container.appendChild(this.tooltip);
    this.map.on('mousemove', (event) => this.showTooltip(event.point));
    this.map.on('mouseout', () => { this.tooltip.hidden = true; });
  }

  private addSourcesAndLayers() {
    const map = this.map;
    // Lantern's layers go beneath the basemap's labels (its first symbol layer), so street
    // and place names stay readable over hexagons and hot spots.
    const labels = map.getStyle().layers.find((layer) => layer.type === 'symbol')?.id;
    this.labelsId = labels;
    const addLayer = (layer: AddLayerObject) => map.addLayer(layer, labels);
    // Fades the basemap beneath Lantern's layers (the layer panel): white over the streets.
    addLayer({ id: LAYER_IDS.basemapVeil, type: 'background', paint: { 'background-color': '#ffffff', 'background-opacity': 0 } });
    map.addSource(DISTRICT_SOURCE, { type: 'geojson', data: emptyCollection });
    map.addSource(AREA_SOURCE, { type: 'geojson', data: emptyCollection, promoteId: 'code' });
    addLayer({
      id: LAYER_IDS.district,
      type: 'fill',
      source: DISTRICT_SOURCE,
      // The district over the basemap: a faint wash, so the area Lantern covers reads as one place.
      paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.12 },
    });
    // Choropleth of area values (panel view): colours arrive as feature state.
    addLayer({
      id: LAYER_IDS.areaFill,
      type: 'fill',
      source: AREA_SOURCE,
      paint: { 'fill-color': ['coalesce', ['feature-state', 'colour'], 'rgba(0,0,0,0)'] as never, 'fill-opacity': 0.85, 'fill-antialias': false },
    });
    if (this.tilesUrl) this.addIncidentLayers(addLayer);
    map.addSource(GISTAR_SOURCE, { type: 'geojson', data: emptyCollection });
    addLayer({
      id: LAYER_IDS.gistar,
      type: 'fill',
      source: GISTAR_SOURCE,
      layout: { visibility: 'none' },
      paint: {
        'fill-color': GISTAR_FILL,
        'fill-antialias': false,
        'fill-opacity': 0.8,
      },
    });
    addLayer({
      id: LAYER_IDS.gistarLines,
      type: 'line',
      source: GISTAR_SOURCE,
      layout: { visibility: 'none' },
      filter: ['!=', ['get', 'bin'], 0],
      paint: { 'line-color': '#ffffff', 'line-width': 0.3 },
    });
    // The chosen cell, outlined.
    addLayer({
      id: LAYER_IDS.gistarSelected,
      type: 'line',
      source: GISTAR_SOURCE,
      filter: ['==', ['get', 'id'], ''],
      paint: { 'line-color': '#111111', 'line-width': 2.5 },
    });
    map.on('click', LAYER_IDS.gistar, (event) => {
      const properties = event.features?.[0]?.properties as Record<string, unknown> | undefined;
      map.setFilter(LAYER_IDS.gistarSelected, ['==', ['get', 'id'], String(properties?.id ?? '')]);
      this.events.onSelectCell?.(properties ?? null);
    });
    addLayer({
      id: LAYER_IDS.areaLines,
      type: 'line',
      source: AREA_SOURCE,
      paint: { 'line-color': '#34495e', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.8, 14, 2], 'line-opacity': 0.7 },
    });
    // Area names over everything, placed by MapLibre's collision detection with the
    // basemap's labels and each other, so none overprints (a name that does not fit is
    // left out until the map is zoomed in). Over the incident map the basemap names the
    // towns at district zoom; area names join from AREA_LABEL_ZOOM.
    map.addSource(AREA_LABEL_SOURCE, { type: 'geojson', data: emptyCollection });
    map.addLayer({
      id: LAYER_IDS.areaLabels,
      type: 'symbol',
      source: AREA_LABEL_SOURCE,
      minzoom: this.tilesUrl ? AREA_LABEL_ZOOM : 0,
      layout: {
        'text-field': ['get', 'text'], 'text-font': ['Noto Sans Medium'], 'text-size': 12, 'text-max-width': 9,
        'text-padding': 3, 'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'], 'text-radial-offset': 0.4,
      },
      paint: { 'text-color': '#1e2d3c', 'text-halo-color': 'rgba(255,255,255,0.92)', 'text-halo-width': 1.6 },
    });
    this.addPlaceLayers();
  }

  private addIncidentLayers(addLayer: (layer: AddLayerObject) => void) {
    const map = this.map;
    map.addSource(INCIDENT_SOURCE, {
      type: 'vector',
      tiles: [this.tilesUrl!],
      minzoom: 8,
      maxzoom: 16,
    });
    addLayer({
      id: LAYER_IDS.hexagons,
      type: 'fill',
      source: INCIDENT_SOURCE,
      'source-layer': 'incidents',
      maxzoom: POINT_ZOOM,
      filter: HEXAGON_FEATURES,
      paint: { 'fill-color': this.densityColour(), 'fill-opacity': 0.78, 'fill-antialias': false },
    });
    addLayer({
      id: LAYER_IDS.hexagonLines,
      type: 'line',
      source: INCIDENT_SOURCE,
      'source-layer': 'incidents',
      maxzoom: POINT_ZOOM,
      filter: HEXAGON_FEATURES,
      paint: { 'line-color': '#ffffff', 'line-width': 0.4, 'line-opacity': 0.6 },
    });
    // From the point zoom, a tile too dense to draw point by point comes as zoom 13's
    // hexagons (server/src/repositories/incidents.ts); they stay whatever the analysis.
    addLayer({
      id: LAYER_IDS.denseHexagons,
      type: 'fill',
      source: INCIDENT_SOURCE,
      'source-layer': 'incidents',
      minzoom: POINT_ZOOM,
      filter: HEXAGON_FEATURES,
      paint: { 'fill-color': this.densityColour(), 'fill-opacity': 0.6, 'fill-outline-color': '#ffffff' },
    });
    // Single incidents as small diamonds, places of concern as circles: told apart by
    // shape as well as colour (a diamond is a signed-distance image, coloured per category).
    if (!map.hasImage(INCIDENT_ICON)) map.addImage(INCIDENT_ICON, diamondSdf(), { sdf: true, pixelRatio: 2 });
    addLayer({
      id: LAYER_IDS.points,
      type: 'symbol',
      source: INCIDENT_SOURCE,
      'source-layer': 'incidents',
      minzoom: POINT_ZOOM,
      filter: ['==', ['geometry-type'], 'Point'],
      layout: {
        'icon-image': INCIDENT_ICON,
        'icon-size': ['interpolate', ['linear'], ['zoom'], 14, 0.55, 18, 1.1],
        // Drawn wherever they fall, and never hiding a street's name.
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
      },
      paint: {
        'icon-color': categoryColour(this.palette),
        'icon-halo-color': '#ffffff',
        'icon-halo-width': 1,
        'icon-opacity': 0.9,
      },
    });
  }

  /** A MapLibre step expression from density to colour class. */
  private densityColour(): never {
    const [first, ...rest] = DENSITY_COLOURS;
    const stops = this.breaks.flatMap((value, index) => [value, rest[index]!]);
    return ['step', ['get', 'density'], first!, ...stops] as never;
  }

  /**
   * Recomputes the density classes from the hexagons in view, so the legend fits what is
   * shown, and says whether dense tiles' hexagons are in view from the point zoom.
   */
  private updateDensityBreaks() {
    if (!this.ready || !this.tilesUrl) return;
    if (this.fixedBreaks) return;
    const pointZoom = this.map.getZoom() >= POINT_ZOOM;
    if (this.analysis !== 'density' && !pointZoom) {
      this.setDenseHexagons(false);
      return;
    }
    const features = this.map.querySourceFeatures(INCIDENT_SOURCE, {
      sourceLayer: 'incidents', filter: HEXAGON_FEATURES,
    });
    const values = features.map((feature) => Number(feature.properties?.density ?? 0));
    this.setDenseHexagons(pointZoom && values.length > 0);
    if (values.length === 0) return;
    const breaks = densityBreaks(values);
    if (breaks.join() === this.breaks.join()) return;
    this.applyBreaks(breaks);
  }

  /** Fixes the density classes (the legend's "keep these classes"), or (null) fits them to each view again. */
  setFixedBreaks(breaks: number[] | null) {
    if ((breaks?.join() ?? '') === (this.fixedBreaks?.join() ?? '')) return;
    this.fixedBreaks = breaks;
    if (breaks) this.applyBreaks(breaks);
    else this.updateDensityBreaks();
  }

  private applyBreaks(breaks: number[]) {
    this.breaks = breaks;
    if (this.ready) {
      this.map.setPaintProperty(LAYER_IDS.hexagons, 'fill-color', this.densityColour());
      this.map.setPaintProperty(LAYER_IDS.denseHexagons, 'fill-color', this.densityColour());
    }
    this.events.onDensityBreaks(breaks);
  }

  private setDenseHexagons(present: boolean) {
    if (present === this.denseHexagons) return;
    this.denseHexagons = present;
    this.events.onDenseHexagons?.(present);
  }

  setIncidentTiles(url: string | null) {
    if (url === this.tilesUrl || !url || !this.tilesUrl) return;
    this.tilesUrl = url;
    const source = this.map.getSource<VectorTileSource>(INCIDENT_SOURCE);
    source?.setTiles([url]);
  }

  setAreas(areas: AreaCollection, district: AreaCollection | null) {
    this.areaLabels = areas.features.map((feature) => ({
      code: feature.properties.code,
      name: feature.properties.name,
      position: feature.properties.labelPoint,
    }));
    const apply = () => {
      this.map.getSource<GeoJSONSource>(AREA_SOURCE)?.setData(areas as GeoJSON.FeatureCollection);
      this.map.getSource<GeoJSONSource>(DISTRICT_SOURCE)
        ?.setData((district ?? areas) as GeoJSON.FeatureCollection);
      this.applyAreaValues();
    };
    this.whenReady(apply);
  }

  /** Which analysis the map shows over the district: hexagon density tiles, Gi*, KDE or emerging hot spots. */
  setAnalysis(layer: AnalysisLayer, gistar: GiStarResult | null, kde: KdeResult | null, emerging: EmergingResult | null = null) {
    this.analysis = layer;
    const apply = () => {
      const cells = layer === 'gistar' ? gistar : layer === 'emerging' ? emerging : null;
      this.want(LAYER_IDS.hexagons, layer === 'density');
      this.want(LAYER_IDS.hexagonLines, layer === 'density');
      this.want(LAYER_IDS.gistar, cells !== null);
      this.want(LAYER_IDS.gistarLines, cells !== null);
      this.map.setPaintProperty(LAYER_IDS.gistar, 'fill-color', layer === 'emerging'
        ? ['match', ['get', 'pattern'], ...Object.entries(EMERGING_COLOURS).flat(), 'rgba(0,0,0,0)'] as never
        : GISTAR_FILL);
      this.map.setFilter(LAYER_IDS.gistarLines, layer === 'emerging' ? null : ['!=', ['get', 'bin'], 0]);
      this.map.getSource<GeoJSONSource>(GISTAR_SOURCE)?.setData((cells ?? emptyCollection) as GeoJSON.FeatureCollection);
      this.map.setFilter(LAYER_IDS.gistarSelected, ['==', ['get', 'id'], '']);
      this.setKdeImage(layer === 'kde' && kde ? kdeToImage(kde) : null);
    };
    this.whenReady(apply);
    this.placeData();
  }

  /** Runs `task` now if the map's style is read, else as soon as it is. */
  private whenReady(task: () => void) {
    if (this.ready) task();
    else this.pending.push(task);
  }

  /**
   * Kernel density as a picture on the map's own stack (an image source given the canvas:
   * no fetch, which the page's content policy would refuse for a data: URL), so it is
   * reordered and faded like the others.
   */
  private setKdeImage(image: KdeImage | null) {
    const map = this.map;
    if (image) {
      // Made with the first surface (an image source without a picture keeps the map from
      // ever being idle, and a printed map's picture is taken when it is).
      if (!map.getSource(KDE_SOURCE)) {
        map.addSource(KDE_SOURCE, { type: 'image', url: undefined, coordinates: image.coordinates } as never);
        map.addLayer({
          id: LAYER_IDS.kde,
          type: 'raster',
          source: KDE_SOURCE,
          paint: { 'raster-opacity': 0.85, 'raster-resampling': 'linear', 'raster-fade-duration': 0 },
        }, this.labelsId);
        this.applyLayers();
      }
      map.getSource<ImageSource>(KDE_SOURCE)?.updateImage({ image: image.canvas, coordinates: image.coordinates });
      // The frame that takes the new picture in does not draw it yet: draw once more after it.
      map.once('render', () => map.triggerRepaint());
    }
    this.want(LAYER_IDS.kde, image !== null);
  }

  /** Whether the analysis wants a layer drawn; drawn if its group is shown too. */
  private want(id: string, wanted: boolean) {
    this.wanted.set(id, wanted);
    this.applyVisibility(id);
  }

  private applyVisibility(id: string) {
    if (!this.map.getLayer(id)) return;
    const group = ORDERED_GROUPS.find((name) => GROUP_LAYERS[name].includes(id));
    const shown = (this.wanted.get(id) ?? true) && (!group || this.layers.settings[group].visible);
    this.map.setLayoutProperty(id, 'visibility', shown ? 'visible' : 'none');
  }

  /** The layer panel's choices: groups shown or hidden, faded, reordered. */
  setLayers(layers: LayerSettings) {
    this.layers = layers;
    if (this.ready) this.applyLayers();
    this.placeStyle();
  }

  private applyLayers() {
    const map = this.map;
    const { order, settings } = this.layers;
    // Bottom group first, each layer moved just beneath the basemap's labels: the last moved is on top.
    for (const group of [...order].reverse()) {
      for (const id of GROUP_LAYERS[group]) {
        if (!map.getLayer(id)) continue;
        map.moveLayer(id, this.labelsId);
        for (const [property, base] of BASE_OPACITY[id] ?? []) map.setPaintProperty(id, property as 'fill-opacity', base * settings[group].opacity);
        this.applyVisibility(id);
      }
    }
    // The basemap: faded under a white veil; hidden, its labels go too.
    const basemap = settings.basemap;
    map.setPaintProperty(LAYER_IDS.basemapVeil, 'background-opacity', basemap.visible ? 1 - basemap.opacity : 1);
    const lantern = new Set<string>(Object.values(LAYER_IDS));
    for (const layer of map.getStyle().layers) {
      if (layer.type === 'symbol' && !lantern.has(layer.id)) map.setLayoutProperty(layer.id, 'visibility', basemap.visible ? 'visible' : 'none');
    }
  }

  /** The place under a point (within 2 px), its circle before its outline. */
  private placeAt(point: { x: number; y: number }): Record<string, unknown> | null {
    const layers = [LAYER_IDS.places, LAYER_IDS.placeOutlines].filter((id) => this.map.getLayer(id) && this.map.getLayoutProperty(id, 'visibility') !== 'none');
    if (layers.length === 0) return null;
    const features = this.map.queryRenderedFeatures([[point.x - 2, point.y - 2], [point.x + 2, point.y + 2]], { layers });
    return (features.find((feature) => feature.layer.id === LAYER_IDS.places) ?? features[0])?.properties ?? null;
  }

  /** The tooltip for what is under the pointer: a place first, then the top incident or hot spot feature. */
  private showTooltip(point: { x: number; y: number }) {
    if (!this.ready) return;
    let found: { kind: TooltipKind; properties: Record<string, unknown> } | null = null;
    const place = this.placeAt(point);
    if (place) {
      found = { kind: 'place', properties: place };
    } else {
      const layers: [string, TooltipKind][] = [
        [LAYER_IDS.gistar, this.analysis === 'emerging' ? 'emerging' : 'gistar'],
        [LAYER_IDS.points, 'point'], [LAYER_IDS.denseHexagons, 'hexagon'], [LAYER_IDS.hexagons, 'hexagon'],
      ];
      const present = layers.filter(([id]) => this.map.getLayer(id) && this.map.getLayoutProperty(id, 'visibility') !== 'none');
      const feature = present.length ? this.map.queryRenderedFeatures([point.x, point.y], { layers: present.map(([id]) => id) })[0] : undefined;
      const kind = feature && present.find(([id]) => id === feature.layer.id)?.[1];
      if (feature && kind) found = { kind, properties: feature.properties as Record<string, unknown> };
    }
    this.map.getCanvas().style.cursor = found ? 'pointer' : '';
    if (!found) {
      this.tooltip.hidden = true;
      return;
    }
    this.tooltip.replaceChildren(...tooltipLines(found.kind, found.properties).map((line, index) => {
      const element = document.createElement(index === 0 ? 'strong' : 'span');
      element.textContent = line;
      return element;
    }));
    this.tooltip.hidden = false;
    // Beside the pointer, kept inside the map.
    const { clientWidth, clientHeight } = this.map.getContainer();
    const x = Math.min(point.x + 14, clientWidth - this.tooltip.offsetWidth - 4);
    const y = point.y + 14 + this.tooltip.offsetHeight > clientHeight ? point.y - this.tooltip.offsetHeight - 10 : point.y + 14;
    this.tooltip.style.transform = `translate(${Math.max(4, x)}px, ${Math.max(4, y)}px)`;
  }

  /** The map as drawn, every layer on its one canvas, as a PNG data URL, for printing. */
  snapshot(): string {
    return this.map.getCanvas().toDataURL('image/png');
  }

  /** Numbered stops drawn above everything (patrol plans); an empty list clears them. */
  setMarkers(markers: NumberedMarker[]) {
    this.markers = markers;
    this.placeData();
    if (markers.length === 0) return;
    // Close enough to see the streets between the stops.
    const lons = markers.map((m) => m.position[0]);
    const lats = markers.map((m) => m.position[1]);
    this.map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]], { padding: 80, maxZoom: 15, duration: 0 });
  }

  /** Colours and labels per area code, for a choropleth; an empty map clears it. */
  setAreaValues(values: Map<string, { colour: string; label: string }>) {
    this.areaValues = values;
    if (this.ready) this.applyAreaValues();
  }

  private applyAreaValues() {
    this.map.removeFeatureState({ source: AREA_SOURCE });
    for (const [code, value] of this.areaValues) {
      this.map.setFeatureState({ source: AREA_SOURCE, id: code }, { colour: value.colour });
    }
    // Each area's name (and value), at its label point.
    this.map.getSource<GeoJSONSource>(AREA_LABEL_SOURCE)?.setData({
      type: 'FeatureCollection',
      features: this.areaLabels.map((label) => {
        const value = this.areaValues.get(label.code);
        return {
          type: 'Feature', geometry: { type: 'Point', coordinates: label.position },
          properties: { code: label.code, text: value ? `${label.name}\n${value.label}` : label.name },
        };
      }),
    });
  }

  setLocations(locations: LocationCollection, selectedId: number | null) {
    this.selectedId = selectedId;
    this.places = locations.features.map((feature) => ({
      id: feature.properties.id,
      name: feature.properties.name,
      kind: feature.properties.kind,
      episodes: feature.properties.episodes,
      harm: feature.properties.harm,
      position: (feature.geometry.type === 'Point'
        ? feature.geometry.coordinates
        : centroid(feature as unknown as GeoJSON.Feature).geometry.coordinates) as [number, number],
    }));
    this.placeOutlines = locations.features.filter((feature) => feature.geometry.type !== 'Point');
    this.placeData();
    this.placeStyle();
  }

  setSelected(id: number | null) {
    this.selectedId = id;
    this.placeStyle();
  }

  /** Flies to a place: its point at street zoom, or its whole outline. */
  focusLocation(id: number) {
    const outline = this.placeOutlines.find((feature) => feature.properties.id === id);
    if (outline) {
      const [west, south, east, north] = bbox(outline as unknown as GeoJSON.Feature);
      this.map.fitBounds([[west, south], [east, north]], { padding: 80, maxZoom: 17, duration: 800 });
      return;
    }
    const place = this.places.find((candidate) => candidate.id === id);
    if (place) this.map.flyTo({ center: place.position, zoom: Math.max(this.map.getZoom(), 16), duration: 800 });
  }

  fitTo(bbox: [number, number, number, number]) {
    this.map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: 24, duration: 0 });
  }

  /**
   * The places of concern, their outlines and the numbered markers as the map was last
   * given them: circles whose area grows with the filtered incidents (smaller while an
   * analysis layer shows).
   */
  private placeData() {
    if (!this.ready) return;
    const map = this.map;
    const maxEpisodes = Math.max(1, ...this.places.map((place) => place.episodes));
    const radius = (episodes: number) => (this.analysis === 'density' ? 4 + 16 * Math.sqrt(episodes / maxEpisodes) : 3 + 7 * Math.sqrt(episodes / maxEpisodes));
    map.getSource<GeoJSONSource>(PLACE_SOURCE)?.setData({
      type: 'FeatureCollection',
      features: this.places.map(({ position, ...place }) => ({
        type: 'Feature', geometry: { type: 'Point', coordinates: position }, properties: { ...place, radius: radius(place.episodes) },
      })),
    });
    map.getSource<GeoJSONSource>(PLACE_OUTLINE_SOURCE)?.setData({ type: 'FeatureCollection', features: this.placeOutlines } as GeoJSON.FeatureCollection);
    map.getSource<GeoJSONSource>(MARKER_SOURCE)?.setData({
      type: 'FeatureCollection',
      features: this.markers.map((marker) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: marker.position }, properties: { number: marker.number } })),
    });
  }

  /**
   * How the places are drawn: in the palette's colour for their kind, faint at a place
   * with no incidents, the chosen one ringed in black; the layer panel's places setting
   * shows, hides and fades them all. Their data is left as it is.
   */
  private placeStyle() {
    if (!this.ready) return;
    const map = this.map;
    const { visible, opacity } = this.layers.settings.places;
    const isSelected = ['==', ['get', 'id'], this.selectedId ?? -1];
    const colour = kindColour(this.palette);
    map.setPaintProperty(LAYER_IDS.places, 'circle-color', colour);
    map.setPaintProperty(LAYER_IDS.places, 'circle-opacity', ['*', opacity, ['case', ['>', ['get', 'episodes'], 0], 0.92, 0.47]] as never);
    map.setPaintProperty(LAYER_IDS.places, 'circle-stroke-opacity', opacity);
    map.setPaintProperty(LAYER_IDS.places, 'circle-stroke-color', ['case', isSelected, '#111111', 'rgba(255,255,255,0.9)'] as never);
    map.setPaintProperty(LAYER_IDS.places, 'circle-stroke-width', ['case', isSelected, 3.5, 1.2] as never);
    map.setPaintProperty(LAYER_IDS.placeOutlines, 'fill-color', colour);
    map.setPaintProperty(LAYER_IDS.placeOutlines, 'fill-opacity', 0.2 * opacity);
    map.setPaintProperty(LAYER_IDS.placeOutlineLines, 'line-opacity', 0.86 * opacity);
    map.setPaintProperty(LAYER_IDS.placeOutlineLines, 'line-color', ['case', isSelected, '#111111', colour] as never);
    for (const id of [LAYER_IDS.placeOutlines, LAYER_IDS.placeOutlineLines, LAYER_IDS.places]) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }

  /** The places, their outlines and the numbered markers: over everything, the basemap's labels included. */
  private addPlaceLayers() {
    const map = this.map;
    map.addSource(PLACE_OUTLINE_SOURCE, { type: 'geojson', data: emptyCollection });
    map.addSource(PLACE_SOURCE, { type: 'geojson', data: emptyCollection });
    map.addSource(MARKER_SOURCE, { type: 'geojson', data: emptyCollection });
    // Colours, opacities and outlines come from placeStyle.
    map.addLayer({ id: LAYER_IDS.placeOutlines, type: 'fill', source: PLACE_OUTLINE_SOURCE, paint: { 'fill-antialias': false } });
    map.addLayer({ id: LAYER_IDS.placeOutlineLines, type: 'line', source: PLACE_OUTLINE_SOURCE, paint: { 'line-width': 2 } });
    map.addLayer({ id: LAYER_IDS.places, type: 'circle', source: PLACE_SOURCE, paint: { 'circle-radius': ['get', 'radius'] } });
    map.addLayer({
      id: LAYER_IDS.markers, type: 'circle', source: MARKER_SOURCE,
      paint: { 'circle-radius': 12, 'circle-color': 'rgba(29, 43, 58, 0.94)', 'circle-stroke-color': '#f5b942', 'circle-stroke-width': 2 },
    });
    map.addLayer({
      id: LAYER_IDS.markerLabels, type: 'symbol', source: MARKER_SOURCE,
      layout: {
        'text-field': ['to-string', ['get', 'number']], 'text-font': ['Noto Sans Medium'], 'text-size': 14,
        'text-allow-overlap': true, 'text-ignore-placement': true,
      },
      paint: { 'text-color': '#ffffff' },
    });
    // A click on a place chooses it; on the chosen one, lets it go.
    map.on('click', (event) => {
      const place = this.placeAt(event.point);
      if (!place) return;
      const id = Number(place.id);
      this.events.onSelectLocation(id === this.selectedId ? null : id);
    });
  }

  /** The categories' and places' colours: distinct hues, or colour-blind safe. */
  setPalette(palette: PaletteName) {
    if (palette === this.palette) return;
    this.palette = palette;
    this.whenReady(() => {
      if (this.map.getLayer(LAYER_IDS.points)) this.map.setPaintProperty(LAYER_IDS.points, 'icon-color', categoryColour(palette));
      this.placeStyle();
    });
  }

  destroy() {
    this.map.remove();
  }
}

type Corners = [[number, number], [number, number], [number, number], [number, number]];
interface KdeImage {
  canvas: HTMLCanvasElement;
  /** Top-left, top-right, bottom-right, bottom-left, as MapLibre takes them. */
  coordinates: Corners;
}

/** The KDE grid as an image (YlOrRd by density, transparent below 2% of the maximum) with its corners. */
function kdeToImage(kde: KdeResult): KdeImage {
  const { columns, rows, values, max, corners } = kde.grid;
  const canvas = document.createElement('canvas');
  canvas.width = columns;
  canvas.height = rows;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(columns, rows);
  for (let i = 0; i < values.length; i++) {
    const t = max > 0 ? values[i]! / max : 0;
    if (t < 0.02) continue;
    const match = /rgb\((\d+), (\d+), (\d+)\)/.exec(kdeColour(t));
    if (!match) continue;
    image.data.set([Number(match[1]), Number(match[2]), Number(match[3]), Math.round(170 + 85 * Math.sqrt(t))], i * 4);
  }
  context.putImageData(image, 0, 0);
  // The grid gives its corners top-left, top-right, bottom-right, bottom-left.
  return { canvas, coordinates: corners as Corners };
}
