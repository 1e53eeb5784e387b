// React's side of the map boundary: creates one LanternMap and passes it props.
import type { AreaCollection, EmergingResult, GiStarResult, KdeResult, LocationCollection } from '@lantern/shared';
import { useEffect, useRef } from 'react';
import { LanternMap, type AnalysisLayer, type NumberedMarker } from '../map/LanternMap';
import type { LayerSettings } from '../map/layers';
import type { PaletteName } from '../map/palette';
import type { MapView as View } from '../url-state';

interface Props {
  initialView: View;
  fitBounds: [number, number, number, number] | null;
  tilesUrl: string | null;
  basemapStyleUrl: string | null;
  areas: AreaCollection | null;
  district: AreaCollection | null;
  locations: LocationCollection | null;
  areaValues?: Map<string, { colour: string; label: string }>;
  /** The layer panel's choices (default: every layer shown, as designed). */
  layers?: LayerSettings;
  /** The categories' and places' colours. */
  palette?: PaletteName;
  /** Fixed hexagon density classes; null or absent: fitted to each view. */
  fixedBreaks?: number[] | null;
  analysis?: { layer: AnalysisLayer; gistar: GiStarResult | null; kde: KdeResult | null; emerging: EmergingResult | null };
  onSelectCell?(cell: Record<string, unknown> | null): void;
  selectedId: number | null;
  /** Fly to this place; a new object each time (the same place may be chosen twice). */
  focus?: { id: number } | null;
  onSelectLocation(id: number | null): void;
  onViewChange(view: View): void;
  onDensityBreaks(breaks: number[]): void;
  /** From the point zoom: whether tiles too dense for points (drawn as hexagons) are in view. */
  onDenseHexagons?(present: boolean): void;
  /** Called with a picture of the map each time it settles (for the printed report). */
  onSnapshot?(dataUrl: string): void;
  /** Numbered stops (patrol plans). */
  markers?: NumberedMarker[];
  /** What the map shows, for screen readers. */
  label?: string;
}

export function MapView(props: Props) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<LanternMap | null>(null);
  const handlers = useRef(props);
  handlers.current = props;

  useEffect(() => {
    if (!container.current) return;
    const instance = new LanternMap(container.current, {
      view: props.initialView,
      tilesUrl: props.tilesUrl,
      basemapStyleUrl: props.basemapStyleUrl,
    }, {
      onSelectLocation: (id) => handlers.current.onSelectLocation(id),
      onViewChange: (view) => handlers.current.onViewChange(view),
      onDensityBreaks: (breaks) => handlers.current.onDensityBreaks(breaks),
      onDenseHexagons: (present) => handlers.current.onDenseHexagons?.(present),
      onSelectCell: (cell) => handlers.current.onSelectCell?.(cell),
      onReady: () => container.current?.setAttribute('data-map-ready', 'true'),
    });
    if (props.fitBounds) instance.fitTo(props.fitBounds);
    if (props.onSnapshot) {
      // Idle: every tile loaded and drawn, so the picture is the whole map.
      instance.map.on('idle', () => handlers.current.onSnapshot?.(instance.snapshot()));
    }
    map.current = instance;
    return () => {
      instance.destroy();
      map.current = null;
    };
    // The map is created once; later changes arrive through the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => map.current?.setIncidentTiles(props.tilesUrl), [props.tilesUrl]);
  useEffect(() => {
    if (props.areas) map.current?.setAreas(props.areas, props.district);
  }, [props.areas, props.district]);
  useEffect(() => {
    if (props.locations) map.current?.setLocations(props.locations, props.selectedId);
  }, [props.locations, props.selectedId]);
  useEffect(() => {
    if (props.focus) map.current?.focusLocation(props.focus.id);
  }, [props.focus]);
  useEffect(() => {
    if (props.areaValues) map.current?.setAreaValues(props.areaValues);
  }, [props.areaValues]);
  useEffect(() => {
    if (props.markers) map.current?.setMarkers(props.markers);
  }, [props.markers]);
  useEffect(() => {
    if (props.layers) map.current?.setLayers(props.layers);
  }, [props.layers]);

  useEffect(() => {
    map.current?.setPalette(props.palette ?? 'standard');
  }, [props.palette]);
  const fixedKey = props.fixedBreaks?.join() ?? '';
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the breaks by value, not by array identity
  useEffect(() => map.current?.setFixedBreaks(props.fixedBreaks ?? null), [fixedKey]);
  useEffect(() => {
    if (props.analysis) map.current?.setAnalysis(props.analysis.layer, props.analysis.gistar, props.analysis.kde, props.analysis.emerging);
  }, [props.analysis]);

  return <div ref={container} className="map" data-testid="map" role="application" aria-label={props.label ?? 'Map of incidents and locations of concern'} />;
}
