// The OEM / SVOG meeting pack: four sections, each a table (and its CSV) with what its
// map needs, over the period since the previous meeting, compared with the period of the
// same length before it.
import {
  AGE_FOCUSES,
  CATEGORIES,
  CATEGORY_LABELS,
  EMERGING_CELL_SIZE,
  EMERGING_PATTERN_LABELS,
  LOCATION_KIND_LABELS,
  MEETINGS,
  addDays,
  addMonths,
  comparisonPeriod,
  type AreaLevel,
  type DateRange,
  type EmergingPatternId,
  type Filters,
  type LocationFeature,
  type MeetingPack,
  type MeetingPackQuery,
  type MeetingSection,
  type EmergingResult,
  narrowingFilters,
} from '@lantern/shared';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors.js';
import { EMERGING_DEFAULTS } from '../hotspots/engine.js';
import { askAreaSummary, askEmergingHotspots, askLocationRanking, askNotJudged, parsed } from '../questions.js';

const RISING: EmergingPatternId[] = ['intensifying_hot', 'new_hot', 'consecutive_hot'];
const LEVEL_PREFERENCE: AreaLevel[] = ['ward', 'neighbourhood', 'lsoa', 'msoa'];

const PLACE_AND_AREA_SQL = `
SELECT (SELECT l.name FROM lantern_nearest_location(ST_Transform(ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326), 27700), 300) x
          JOIN locations_of_concern l ON l.id = x.id) AS place,
       (SELECT a.name FROM areas a WHERE a.level = $3 AND ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
         ORDER BY a.id LIMIT 1) AS area
  FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lon, lat, n) ORDER BY p.n`;

/** Mean of a polygon's outer ring: good enough to name a hexagon's place. */
function centreOf(geometry: { type: string; coordinates: unknown[] }): [number, number] {
  const ring = (geometry.type === 'MultiPolygon' ? (geometry.coordinates[0] as number[][][])[0] : (geometry.coordinates as number[][][])[0])!;
  const points = ring.slice(0, -1);
  return [points.reduce((s, p) => s + p[0]!, 0) / points.length, points.reduce((s, p) => s + p[1]!, 0) / points.length];
}

const round1 = (value: number) => Math.round(value * 10) / 10;

export async function buildMeetingPack(app: FastifyInstance, query: MeetingPackQuery): Promise<MeetingPack> {
  const meeting = MEETINGS[query.meeting];
  const ageFocus = AGE_FOCUSES[query.ageFocus ?? meeting.ageFocus];
  const focusAges = ageFocus.ages;
  const previous = query.previous ?? addMonths(query.date, -meeting.everyMonths);
  if (previous >= query.date) throw new HttpError(400, 'the previous meeting must be before this one', 'previous');
  const period: DateRange = { from: previous, to: addDays(query.date, -1) };
  const comparison = comparisonPeriod(period, 'previous');
  const dataRange = await app.metadata.dateRange();
  const levels = (await app.db.query<{ level: AreaLevel }>('SELECT DISTINCT level FROM areas')).rows.map((row) => row.level);
  const level = LEVEL_PREFERENCE.find((l) => levels.includes(l)) ?? null;
  // Sources, roles, outcomes and demo/imported narrow every section alike (the Cardiff Model's hospital records, victims only, ...).
  const narrow = narrowingFilters(query);
  const focus: Filters = { ...narrow, categories: [...meeting.categories] };
  const sections: MeetingSection[] = [];

  // 1. Hot spots that are new or intensifying: emerging hot spot analysis of the focus
  // categories over the twelve months to the meeting, in monthly slices.
  const emergingFrom = addMonths(addDays(period.to, 1), -12);
  let emergingRows: MeetingSection['rows'] = [];
  let cells: NonNullable<MeetingSection['cells']> = [];
  try {
    const result = parsed<EmergingResult>(await askEmergingHotspots(app, { ...focus, from: emergingFrom, to: period.to },
      { ...EMERGING_DEFAULTS, dateRange: dataRange ?? period }));
    const rising = result.features
      .filter((f) => RISING.includes(f.properties.pattern))
      .sort((a, b) => RISING.indexOf(a.properties.pattern) - RISING.indexOf(b.properties.pattern) || b.properties.count - a.properties.count)
      .slice(0, 15);
    const centres = rising.map((f) => centreOf(f.geometry as { type: string; coordinates: unknown[] }));
    const named = await app.db.query<{ place: string | null; area: string | null }>(PLACE_AND_AREA_SQL,
      [centres.map((c) => c[0]), centres.map((c) => c[1]), level ?? 'district']);
    emergingRows = rising.map((f, i) => [i + 1, EMERGING_PATTERN_LABELS[f.properties.pattern], f.properties.count,
      f.properties.trendZ, named.rows[i]?.place ?? null, named.rows[i]?.area ?? null]);
    cells = rising.map((f) => ({ pattern: f.properties.pattern, geometry: f.geometry }));
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
  }
  sections.push({
    id: 'emerging', title: 'Hot spots that are new or intensifying',
    description: `Emerging hot spot analysis (Gi* per month, Mann-Kendall trend) of ${meeting.categories.map((c) => CATEGORY_LABELS[c].toLowerCase()).join(', ')}, ${EMERGING_CELL_SIZE} m hexagons, ${emergingFrom} to ${period.to}.`,
    columns: ['#', 'Pattern', 'Incidents in the cell (12 months)', 'Trend z', 'Nearest place', 'Area'],
    rows: emergingRows, cells,
    notJudged: (await askNotJudged(app, { ...focus, from: emergingFrom, to: period.to })).counts,
  });

  // 2. Locations of concern whose harm rose or fell most.
  const [now, before] = await Promise.all([
    askLocationRanking(app, { ...focus, ...period }),
    askLocationRanking(app, { ...focus, ...comparison }),
  ]);
  const earlier = new Map(before.features.map((f) => [f.properties.id, f.properties]));
  const current = new Set(now.features.map((f) => f.properties.id));
  const changes = now.features.map((f) => ({ feature: f, before: earlier.get(f.properties.id) }))
    .concat(before.features.filter((f) => !current.has(f.properties.id))
      .map((f) => ({ feature: { ...f, properties: { ...f.properties, harm: 0, episodes: 0 } } as LocationFeature, before: f.properties })))
    .map(({ feature, before: then }) => ({ feature, then, change: feature.properties.harm - (then?.harm ?? 0) }));
  const rose = changes.filter((c) => c.change > 0).sort((a, b) => b.change - a.change).slice(0, 5);
  const fell = changes.filter((c) => c.change < 0).sort((a, b) => a.change - b.change).slice(0, 5);
  const chosen = [...rose.map((c) => ({ ...c, direction: 'Rose' })), ...fell.map((c) => ({ ...c, direction: 'Fell' }))];
  const pointOf = (feature: LocationFeature): [number, number] => (feature.geometry.type === 'Point'
    ? feature.geometry.coordinates as [number, number]
    : centreOf(feature.geometry as { type: string; coordinates: unknown[] }));
  sections.push({
    id: 'locations', title: 'Locations of concern: harm rose or fell most',
    description: `Harm-weighted ${meeting.categories.map((c) => CATEGORY_LABELS[c].toLowerCase()).join(', ')} within 100 m, ${period.from} to ${period.to} against ${comparison.from} to ${comparison.to}.`,
    columns: ['#', 'Change', 'Place', 'Kind', 'Harm now', 'Harm before', 'Harm change', 'Incidents now', 'Incidents before'],
    rows: chosen.map((c, i) => [i + 1, c.direction, c.feature.properties.name, LOCATION_KIND_LABELS[c.feature.properties.kind],
      round1(c.feature.properties.harm), round1(c.then?.harm ?? 0), round1(c.change), c.feature.properties.episodes, c.then?.episodes ?? 0]),
    points: chosen.map((c, i) => { const [lon, lat] = pointOf(c.feature); return { number: i + 1, lon, lat }; }),
    notJudged: (await askNotJudged(app, { ...focus, ...period })).counts,
  });

  // 3. People and episodes by category for the meeting's age focus.
  if (level) {
    const ages = focusAges ? { ages: [...focusAges] } : {};
    const [current, then] = await Promise.all([
      askAreaSummary(app, level, { ...narrow, ...ages, ...period }),
      askAreaSummary(app, level, { ...narrow, ...ages, ...comparison }),
    ]);
    const ordered = [...meeting.categories, ...CATEGORIES.filter((c) => !meeting.categories.includes(c))];
    const rows: MeetingSection['rows'] = ordered
      .filter((c) => current.total.byCategory[c] > 0 || then.total.byCategory[c] > 0)
      .map((c) => [CATEGORY_LABELS[c], current.total.byCategory[c], current.total.peopleByCategory[c],
        then.total.byCategory[c], then.total.peopleByCategory[c], current.total.byCategory[c] - then.total.byCategory[c]]);
    rows.push(['CSE or CCE, each child once', current.total.byCategory.cse + current.total.byCategory.cce, current.total.exploitationPeople,
      then.total.byCategory.cse + then.total.byCategory.cce, then.total.exploitationPeople, null]);
    rows.push(['All categories, each person once', current.total.episodes, current.total.people, then.total.episodes, then.total.people,
      current.total.episodes - then.total.episodes]);
    sections.push({
      id: 'people', title: `People and episodes by category, ${ageFocus.label}`,
      description: 'Episodes are incidents; people are distinct pseudonymous persons. A person in two categories is in both rows and once in the totals.',
      columns: ['Category', 'Episodes', 'People', 'Episodes before', 'People before', 'Change in episodes'],
      rows,
      // An age focus cannot judge an incident with no age (police.uk records none): said, never dropped silently.
      notJudged: (await askNotJudged(app, { ...narrow, ...ages, ...period })).counts,
    });

    // 4. Cuckooing and county lines by area.
    const lines = await askAreaSummary(app, level, { ...narrow, categories: ['cuckooing', 'county_lines'], ...period }, 'previous');
    const active = lines.rows.filter((row) => row.episodes > 0 || (row.previous?.episodes ?? 0) > 0)
      .sort((a, b) => b.episodes - a.episodes || a.name.localeCompare(b.name));
    sections.push({
      id: 'exploitation-areas', title: 'Cuckooing and county lines by area',
      description: `Episodes by ${level}, all ages, ${period.from} to ${period.to} against ${lines.comparison?.from} to ${lines.comparison?.to}.`,
      columns: ['Area', 'Cuckooing', 'County lines', 'People', 'Episodes', 'Episodes before', 'Change'],
      rows: active.map((row) => [row.name, row.byCategory.cuckooing, row.byCategory.county_lines, row.people, row.episodes,
        row.previous?.episodes ?? 0, row.episodes - (row.previous?.episodes ?? 0)]),
      areaLevel: level,
      areaValues: lines.rows.map((row) => ({ code: row.code, value: row.episodes })),
      notJudged: (await askNotJudged(app, { ...narrow, categories: ['cuckooing', 'county_lines'], ...period })).counts,
    });
  }

  return {
    meeting: query.meeting, title: `${meeting.label} pack, ${query.date}`, date: query.date, previous,
    period, comparison, ageFocus: ageFocus.label, categories: [...meeting.categories],
    sources: await app.metadata.sources(), sections,
  };
}
