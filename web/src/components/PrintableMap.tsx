// The map of a printable page (area summary, patrol briefing, meeting pack): areas over
// the district outline, no incident layers. On screen the live map; on paper a picture
// of it, taken each time it settles, since a WebGL canvas does not print reliably.
import type { AreaCollection, Meta } from '@lantern/shared';
import { useState, type ComponentProps } from 'react';
import { api } from '../api';
import { DATA_ATTRIBUTION, OS_ATTRIBUTION } from '../map/basemap-style';
import { useFetch } from '../hooks';
import { MapView } from './MapView';

type MapProps = ComponentProps<typeof MapView>;

interface Props {
  meta: Meta;
  areas: AreaCollection | null;
  areaValues?: MapProps['areaValues'];
  markers?: MapProps['markers'];
  analysis?: MapProps['analysis'];
  /** What the live map shows, for screen readers. */
  label: string;
  /** The printed picture's text alternative. */
  alt: string;
  /** Print the picture (default true). */
  print?: boolean;
}

export function PrintableMap({ meta, areas, areaValues, markers, analysis, label, alt, print = true }: Props) {
  const [picture, setPicture] = useState<string | null>(null);
  const district = useFetch<AreaCollection>('district', (signal) => api.areas('district', signal));
  return (
    <>
      <div className="map-frame no-print">
        <MapView
          initialView={{ longitude: -2.42, latitude: 51.35, zoom: 10.2 }}
          fitBounds={meta.extent}
          tilesUrl={null}
          basemapStyleUrl={meta.basemapStyleUrl}
          areas={areas}
          district={district.data}
          locations={null}
          areaValues={areaValues}
          markers={markers}
          analysis={analysis}
          selectedId={null}
          onSelectLocation={() => undefined}
          onViewChange={() => undefined}
          onDensityBreaks={() => undefined}
          onSnapshot={setPicture}
          label={label}
        />
      </div>
      {picture && print && (
        <figure className="print-only print-map-figure">
          <img className="print-map" src={picture} alt={alt} />
          {/* The picture has no attribution control: the licences' words go under it. */}
          <figcaption className="map-attribution">
            {meta.basemapStyleUrl ? `Basemap: ${meta.basemapStyleUrl}. ` : `${OS_ATTRIBUTION}. `}{DATA_ATTRIBUTION}.
          </figcaption>
        </figure>
      )}
    </>
  );
}
