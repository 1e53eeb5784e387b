// A saved plan for devices: GPX 1.1 (waypoints for the places, a route through the
// visits in time order) and GeoJSON. XML text is escaped here; there is no XML library
// in the server and GPX needs only elements and attributes in the schema's order.
import type { PatrolPlan } from '@lantern/shared';

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
const coordinates = (place: { lat: number; lon: number }) => `lat="${place.lat.toFixed(6)}" lon="${place.lon.toFixed(6)}"`;

export const planTitle = (plan: PatrolPlan) =>
  `Patrol plan ${plan.id}: ${plan.area?.name ?? 'whole district'}, ${plan.date} ${plan.start}-${plan.end}`;

/** GPX 1.1: metadata, then wpt (ele?, time?, name, cmt?, desc, ..., type), then rte with rtept (time, name). */
export function planToGpx(plan: PatrolPlan): string {
  const visits = plan.places
    .flatMap((place) => place.visits.map((visit) => ({ place, visit })))
    .sort((a, b) => a.visit.start.localeCompare(b.visit.start));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="Lantern" xmlns="http://www.topografix.com/GPX/1/1" '
      + 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
      + 'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd">',
    '  <metadata>',
    `    <name>${escapeXml(planTitle(plan))}</name>`,
    `    <desc>${escapeXml(`Made by ${plan.createdBy}. Visits of ${plan.places.map((p) => p.visitMinutes).join('/')} minutes, each place every ${plan.roundMinutes} minutes.`)}</desc>`,
    `    <time>${plan.createdAt}</time>`,
    '  </metadata>',
    ...plan.places.map((place) => [
      `  <wpt ${coordinates(place)}>`,
      `    <name>${escapeXml(`${place.number}. ${place.name}`)}</name>`,
      `    <cmt>${escapeXml(place.visits.map((v) => `${v.startLocal}-${v.endLocal}`).join(', '))}</cmt>`,
      `    <desc>${escapeXml(place.reason)}</desc>`,
      `    <type>${place.kind}</type>`,
      '  </wpt>',
    ].join('\n')),
    '  <rte>',
    `    <name>${escapeXml(`Visits in order, ${plan.date}`)}</name>`,
    ...visits.map(({ place, visit }) => [
      `    <rtept ${coordinates(place)}>`,
      `      <time>${visit.start}</time>`,
      `      <name>${escapeXml(`${visit.startLocal} ${place.number}. ${place.name}`)}</name>`,
      '    </rtept>',
    ].join('\n')),
    '  </rte>',
    '</gpx>',
  ];
  return `${lines.join('\n')}\n`;
}

export function planToGeoJson(plan: PatrolPlan): object {
  return {
    type: 'FeatureCollection',
    name: planTitle(plan),
    features: plan.places.map((place) => ({
      type: 'Feature',
      id: place.number,
      geometry: { type: 'Point', coordinates: [place.lon, place.lat] },
      properties: {
        number: place.number, name: place.name, kind: place.kind, reason: place.reason,
        visitMinutes: place.visitMinutes, visits: place.visits.map((v) => `${v.startLocal}-${v.endLocal}`).join(', '),
        plan: plan.id, date: plan.date, shift: `${plan.start}-${plan.end}`,
      },
    })),
  };
}
