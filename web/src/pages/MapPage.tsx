// The map page (analysts and police): filters on the left, the map in the middle, chart, legend and
// the chosen place on the right. The URL holds the whole view.
import {
  AREA_LEVELS,
  POINT_ZOOM,
  type AreaCollection,
  type AreaLevel,
  type Filters,
  type EmergingResult,
  type GiStarResult,
  type HourWeekdayProfile,
  type KdeResult,
  type LocationCollection,
  type Meta,
  type PeerGroup,
} from '@lantern/shared';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api';
import { useFetch } from '../hooks';
import { AnalysisPanel, type CellProperties } from '../components/AnalysisPanel';
import { ExportPoints } from '../components/ExportPoints';
import { FilterPanel } from '../components/FilterPanel';
import { HourWeekdayChart, MEASURE_TEXT } from '../components/HourWeekdayChart';
import { LayerPanel } from '../components/LayerPanel';
import { Legend, MapKey } from '../components/Legend';
import type { LayerSettings } from '../map/layers';
import { LocationDetails } from '../components/LocationDetails';
import { LocationRanking } from '../components/LocationRanking';
import { MapView } from '../components/MapView';
import { NearRepeatPanel } from '../components/NearRepeatPanel';
import { PeerGroupsPanel } from '../components/PeerGroupsPanel';
import { TimePlayback } from '../components/TimePlayback';
import { PanelClose, PanelToggle, useOpenPanel } from '../components/Panels';
import { readViewState, writeViewState, type Layer, type MapView as View, type Measure, type ViewState } from '../url-state';

const BATH: View = { longitude: -2.42, latitude: 51.35, zoom: 10.2 };

/** The finest area level worth outlining on the map (not the district itself). */
function outlineLevel(meta: Meta): AreaLevel | null {
  const present = new Set(meta.areaLevels.map((level) => level.level));
  for (const level of ['ward', 'neighbourhood', 'msoa', 'lsoa'] as const) if (present.has(level)) return level;
  return AREA_LEVELS.find((level) => present.has(level)) ?? null;
}

export function MapPage({ meta: metaData, role }: { meta: Meta; role: "analyst" | "police" }) {
  const initial = useMemo(() => readViewState(window.location.search), []);
  const [state, setState] = useState<ViewState>(initial);
  const [zoom, setZoom] = useState(initial.view?.zoom ?? BATH.zoom);
  const [breaks, setBreaks] = useState<number[]>([1, 2, 4, 8]);
  const [denseHexagons, setDenseHexagons] = useState(false);
  const filtersKey = JSON.stringify(state.filters);

  useEffect(() => {
    const url = `${window.location.pathname}${writeViewState(state)}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', url);
  }, [state]);

  const meta = { data: metaData, error: null as string | null };
  const level = meta.data ? outlineLevel(meta.data) : null;
  const areas = useFetch<AreaCollection>(level, (signal) => api.areas(level!, signal));
  const district = useFetch<AreaCollection>(
    meta.data?.areaLevels.some((l) => l.level === 'district') ? 'district' : null,
    (signal) => api.areas('district', signal),
  );
  const locations = useFetch<LocationCollection>(`${state.radius}|${filtersKey}`, (signal) => api.locations(state.filters, state.radius, signal));
  const profile = useFetch<HourWeekdayProfile>(filtersKey, (signal) => api.profile(state.filters, undefined, signal));
  const locationKey = state.locationId ? `${state.locationId}|${state.radius}|${filtersKey}` : null;
  const locationProfile = useFetch<HourWeekdayProfile>(locationKey, (signal) =>
    api.profile(state.filters, { locationId: state.locationId!, radius: state.radius }, signal));
  const [focus, setFocus] = useState<{ id: number } | null>(null);
  const [panel, setPanel] = useOpenPanel<'filters' | 'details'>();
  const layers = state.layers;
  const setLayers = useCallback((next: LayerSettings) => setState((s) => ({ ...s, layers: next })), []);
  // A peer group's places, numbered on the map (analysts).
  const [group, setGroup] = useState<PeerGroup | null>(null);
  const groupMarkers = useMemo(() => (group ? group.places.map((place, k) => ({ number: k + 1, position: [place.lon, place.lat] as [number, number] })) : []), [group]);
  const toggle = (which: 'filters' | 'details') => setPanel(panel === which ? null : which);

  const gistar = useFetch<GiStarResult>(state.layer === 'gistar' ? filtersKey : null, (signal) => api.gistar(state.filters, signal));
  const kde = useFetch<KdeResult>(state.layer === 'kde' ? filtersKey : null, (signal) => api.kde(state.filters, signal));
  const emerging = useFetch<EmergingResult>(state.layer === 'emerging' ? filtersKey : null, (signal) => api.emerging(state.filters, signal));
  const [cell, setCell] = useState<CellProperties | null>(null);
  const analysis = useMemo(() => ({ layer: state.layer, gistar: gistar.data, kde: kde.data, emerging: emerging.data }), [state.layer, gistar.data, kde.data, emerging.data]);
  const setLayer = (layer: Layer) => setState((s) => ({ ...s, layer }));
  const tilesUrl = useMemo(() => api.incidentTiles(state.filters), [state.filters]);
  const selected = locations.data?.features.find((feature) => feature.properties.id === state.locationId) ?? null;

  const setFilters = useCallback((filters: Filters) => setState((s) => ({ ...s, filters })), []);
  const setMeasure = (measure: Measure) => setState((s) => ({ ...s, measure }));
  const selectLocation = useCallback((id: number | null) => setState((s) => ({ ...s, locationId: id })), []);
  const chooseFromRanking = (id: number) => {
    selectLocation(id);
    setFocus({ id });
  };
  const setRadius = (radius: number) => setState((s) => ({ ...s, radius }));
  const onViewChange = useCallback((view: View) => {
    setZoom(view.zoom);
    setState((s) => ({ ...s, view }));
  }, []);

  const error = meta.error ?? locations.error ?? profile.error ?? gistar.error ?? kde.error ?? emerging.error;
  return (
    <div className="map-page">
      {error && <div className="error" role="alert">Could not load data: {error}</div>}
      <aside className="left" id="map-filters" aria-label="Filters" data-open={panel === 'filters'}>
        <PanelClose label="Filters" onClose={() => setPanel(null)} />
        <FilterPanel filters={state.filters} dateRange={meta.data?.dateRange ?? null} mixedData={metaData.demo && metaData.imported} outsideData={metaData.outsideDistrict} onChange={setFilters} />
      </aside>
      <main className="centre">
        <TimePlayback filters={state.filters} dateRange={meta.data?.dateRange ?? null} onChange={setFilters} />
        {state.layer === 'density' && zoom < POINT_ZOOM && <MapKey layer="density" breaks={breaks} fixed={state.classes !== null} />}
        {state.layer === 'gistar' && gistar.data && <MapKey layer="gistar" />}
        {state.layer === 'kde' && kde.data && <MapKey layer="kde" kde={kde.data} />}
        {state.layer === 'emerging' && emerging.data && <MapKey layer="emerging" emerging={emerging.data} />}
        <div className="panel-toggles phone-only">
          <PanelToggle controls="map-filters" label="Filters" open={panel === 'filters'} onToggle={() => toggle('filters')} testId="open-filters" />
          <PanelToggle controls="map-details" label="Chart, places, legend" open={panel === 'details'} onToggle={() => toggle('details')} testId="open-details" />
        </div>
        {meta.data && (
          <MapView
            initialView={initial.view ?? BATH}
            fitBounds={initial.view ? null : meta.data.extent}
            tilesUrl={tilesUrl}
            basemapStyleUrl={meta.data.basemapStyleUrl}
            areas={areas.data}
            district={district.data}
            locations={locations.data}
            selectedId={state.locationId}
            focus={focus}
            onSelectLocation={selectLocation}
            onViewChange={onViewChange}
            onDensityBreaks={setBreaks}
            onDenseHexagons={setDenseHexagons}
            analysis={analysis}
            layers={layers}
            palette={state.palette}
            markers={groupMarkers}
            fixedBreaks={state.classes}
            onSelectCell={(properties) => setCell(properties as CellProperties | null)}
          />
        )}
      </main>
      <aside className="right" id="map-details" aria-label="Analysis, chart and places" data-open={panel === 'details'}>
        <PanelClose label="Chart, places, legend" onClose={() => setPanel(null)} />
        <AnalysisPanel
          layer={state.layer}
          onLayer={setLayer}
          gistar={gistar.data}
          kde={kde.data}
          emerging={emerging.data}
          loading={(state.layer === 'gistar' && !gistar.data) || (state.layer === 'kde' && !kde.data) || (state.layer === 'emerging' && !emerging.data)}
          cell={cell}
        />
        <LayerPanel layers={layers} onChange={setLayers} palette={state.palette} onPalette={(palette) => setState((s) => ({ ...s, palette }))} />
        <NearRepeatPanel filters={state.filters} />
        {role === 'analyst' && <PeerGroupsPanel filters={state.filters} shown={group} onShow={setGroup} />}
        <div className="measure" role="radiogroup" aria-label="Count">
          {(['episodes', 'people'] as const).map((measure) => (
            <label key={measure}>
              <input type="radio" name="measure" value={measure} checked={state.measure === measure} onChange={() => setMeasure(measure)} />
              {MEASURE_TEXT[measure].label}
            </label>
          ))}
        </div>
        {/* data-current: whether the chart shows the filters now chosen (tests and the bench wait on it). */}
        <div data-testid="profile-chart-state" data-current={profile.loadedFor === filtersKey}>
          <HourWeekdayChart profile={profile.data} measure={state.measure} title="When, across the map" testId="profile-chart" />
        </div>
        <LocationDetails
          location={selected}
          profile={locationProfile.data}
          measure={state.measure}
          radius={state.radius}
          previousPeriod={locations.data?.parameters.previousPeriod ?? null}
          onClose={() => selectLocation(null)}
        />
        <LocationRanking
          locations={locations.data}
          radius={state.radius}
          selectedId={state.locationId}
          onRadius={setRadius}
          onChoose={chooseFromRanking}
        />
        <Legend breaks={breaks} zoom={zoom} showDensity={state.layer === 'density'} denseHexagons={denseHexagons}
          fixed={state.classes !== null} onFix={(fix) => setState((s) => ({ ...s, classes: fix ? breaks : null }))} palette={state.palette} />
        <ExportPoints filters={state.filters} />
        {role === 'police' && (
          <p className="hint" data-testid="police-note">Police view: single incidents carry place, time and category, no personal details.</p>
        )}
      </aside>
    </div>
  );
}
