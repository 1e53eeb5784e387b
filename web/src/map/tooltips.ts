// What the map says on hover, in words and units, for each kind of feature: the
// incident hexagons and points, the Gi* and emerging hot spot cells, and the places.
// Pure: LanternMap shows the lines in one tooltip element.
import { AGE_BANDS, CATEGORY_LABELS, EMERGING_PATTERN_LABELS, LOCATION_KIND_LABELS, type Category, type LocationKind } from '@lantern/shared';
import { GISTAR_LABELS } from './palette';

export type TooltipKind = 'hexagon' | 'point' | 'gistar' | 'emerging' | 'place';

const whole = (value: unknown) => Math.round(Number(value ?? 0)).toLocaleString('en-GB');
const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
const harm = (value: unknown) => `harm ${whole(value)} days of custody`;

/** The tooltip's lines (first: what it is), from the feature's properties. */
export function tooltipLines(kind: TooltipKind, properties: Record<string, unknown>): string[] {
  switch (kind) {
    case 'hexagon':
      return [
        plural(Number(properties.count ?? 0), 'incident', 'incidents'),
        `${Number(properties.density ?? 0).toLocaleString('en-GB', { maximumFractionDigits: 1 })} incidents per km²`,
        harm(properties.harm),
      ];
    case 'point': {
      const hour = properties.hour === undefined || properties.hour === null ? 'time unknown' : `${String(properties.hour).padStart(2, '0')}:00-${String(properties.hour).padStart(2, '0')}:59`;
      const band = AGE_BANDS.find((b) => b.id === properties.ageBand);
      return [
        CATEGORY_LABELS[properties.category as Category] ?? String(properties.category),
        `${String(properties.date ?? '')}, ${hour}`,
        ...(band ? [`Age ${band.label}`] : []),
        ...(properties.outcome ? [`Outcome: ${String(properties.outcome)}`] : []),
        harm(properties.harm),
      ];
    }
    case 'gistar':
      return [
        GISTAR_LABELS[Number(properties.bin ?? 0)] ?? 'Not significant',
        `${plural(Number(properties.count ?? 0), 'incident', 'incidents')} in the cell`,
        `z ${Number(properties.z ?? 0).toFixed(2)}, p ${Number(properties.p ?? 1) < 0.001 ? '< 0.001' : Number(properties.p ?? 1).toFixed(3)}`,
      ];
    case 'emerging':
      return [
        EMERGING_PATTERN_LABELS[properties.pattern as keyof typeof EMERGING_PATTERN_LABELS] ?? String(properties.pattern),
        `${plural(Number(properties.count ?? 0), 'incident', 'incidents')} in the cell`,
        `trend z ${Number(properties.trendZ ?? 0).toFixed(2)}`,
      ];
    case 'place':
      return [
        String(properties.name ?? ''),
        LOCATION_KIND_LABELS[properties.kind as LocationKind] ?? String(properties.kind),
        `${plural(Number(properties.episodes ?? 0), 'incident', 'incidents')} counted here, ${harm(properties.harm)}`,
      ];
  }
}
