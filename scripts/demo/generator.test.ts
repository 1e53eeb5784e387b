// The demo generator: deterministic, large enough, and true to DOMAIN.md's patterns.
import { LOCATION_KINDS } from '@lantern/shared';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_SEED, generateDemo, PLANTED_HOTSPOTS, type DemoDataset, type DemoIncident } from './generator.js';

const digest = (dataset: DemoDataset) =>
  createHash('sha256').update(JSON.stringify([dataset.locations, dataset.incidents])).digest('hex');

let demo: DemoDataset;
beforeAll(() => {
  demo = generateDemo(DEFAULT_DEMO_SEED);
  Object.freeze(demo.incidents);
});

const hourOf = (incident: DemoIncident) => Number(incident.localTime.slice(11, 13));
const share = (items: DemoIncident[], test: (incident: DemoIncident) => boolean) =>
  items.filter(test).length / items.length;
const within = (incident: DemoIncident, [lon, lat]: readonly [number, number], metres: number) =>
  Math.hypot((incident.lon - lon) * 111_320 * Math.cos((lat * Math.PI) / 180), (incident.lat - lat) * 111_320) <= metres;

describe('demo generator', () => {
  it('gives the same data for the same seed and different data for another', () => {
    expect(digest(generateDemo(DEFAULT_DEMO_SEED))).toBe(digest(demo));
    expect(digest(generateDemo(DEFAULT_DEMO_SEED + 1))).not.toBe(digest(demo));
  });

  it('has at least 40,000 incidents over three years, at over 1,000 real places and a few invented ones', () => {
    expect(demo.incidents.length).toBeGreaterThanOrEqual(40_000);
    const dates = demo.incidents.map((incident) => incident.localTime.slice(0, 10)).sort();
    expect(dates[0]! >= '2023-11-01').toBe(true);
    expect(dates[dates.length - 1]! <= '2026-10-31').toBe(true);
    expect(demo.locations.filter((location) => !location.demo).length).toBeGreaterThanOrEqual(1000);
    // Every kind but "other"; only stairwells (no open data holds them) and the planted car park are invented.
    expect(new Set(demo.locations.map((location) => location.kind))).toEqual(new Set(LOCATION_KINDS.filter((kind) => kind !== 'other')));
    expect(new Set(demo.locations.filter((location) => location.demo).map((location) => location.kind))).toEqual(new Set(['stairwell', 'car_park']));
    expect(new Set(demo.incidents.map((incident) => incident.ref)).size).toBe(demo.incidents.length);
  });

  it('puts Bath centre violence mostly in the night-time economy', () => {
    const bathViolence = demo.incidents.filter((i) => i.category === 'serious_violence' && i.source === 'police'
      && within(i, [-2.359, 51.381], 1500));
    expect(share(bathViolence, (i) => hourOf(i) >= 22 || hourOf(i) < 4)).toBeGreaterThan(0.5);
  });

  it('puts robbery mostly after school (15-19)', () => {
    const robbery = demo.incidents.filter((i) => i.category === 'robbery');
    expect(share(robbery, (i) => hourOf(i) >= 15 && hourOf(i) < 19)).toBeGreaterThan(0.5);
  });

  it('makes hospital knife victims mainly 25-34 and male, with after-school and early-hours peaks', () => {
    const knife = demo.incidents.filter((i) => i.category === 'knife_crime' && i.source === 'hospital_ed');
    expect(share(knife, (i) => i.ageBand === '25-34')).toBeGreaterThan(0.4);
    expect(share(knife, (i) => i.gender === 'male')).toBeGreaterThan(0.8);
    expect(share(knife, (i) => hourOf(i) >= 15 && hourOf(i) < 19)).toBeGreaterThan(share(knife, (i) => hourOf(i) >= 9 && hourOf(i) < 13) * 2);
  });

  it('makes violent children mostly 15-17 and almost all male', () => {
    const children = demo.incidents.filter((i) => i.category === 'serious_violence' && i.role === 'suspect'
      && i.age !== null && i.age < 18);
    expect(share(children, (i) => i.ageBand === '15-17')).toBeGreaterThan(0.7);
    expect(share(children, (i) => i.gender === 'male')).toBeGreaterThan(0.9);
  });

  it('raises Keynsham, Twerton and the Somer Valley over the period', () => {
    const rising = demo.incidents.filter((i) => i.category === 'serious_violence'
      && [[-2.497, 51.413], [-2.392, 51.381], [-2.484, 51.285]].some((c) => within(i, c as [number, number], 1200)));
    const firstYear = rising.filter((i) => i.localTime < '2024-11-01').length;
    const lastYear = rising.filter((i) => i.localTime >= '2025-11-01').length;
    expect(lastYear / firstYear).toBeGreaterThan(1.5);
  });

  it('runs county lines in Paulton / Midsomer Norton (dismantled) and Bath', () => {
    const lines = demo.incidents.filter((i) => i.category === 'county_lines');
    const somer = lines.filter((i) => within(i, [-2.49, 51.295], 3000));
    expect(somer.length).toBeGreaterThan(200);
    expect(somer.every((i) => i.localTime < '2024-09-21')).toBe(true);
    expect(lines.filter((i) => within(i, [-2.37, 51.377], 3500)).length).toBeGreaterThan(200);
  });

  it('has repeat missing episodes by the same children, and CSE/CCE overlap', () => {
    const missing = demo.incidents.filter((i) => i.category === 'missing_episode');
    const children = new Set(missing.map((i) => i.personRef));
    expect(missing.length / children.size).toBeGreaterThan(3);
    expect(missing.every((i) => i.age !== null && i.age < 25)).toBe(true);
    const cse = new Set(demo.incidents.filter((i) => i.category === 'cse').map((i) => i.personRef));
    const cce = new Set(demo.incidents.filter((i) => i.category === 'cce').map((i) => i.personRef));
    const both = [...cse].filter((person) => cce.has(person));
    expect(cce.size).toBe(69);
    expect(cse.size).toBe(57);
    expect(both).toHaveLength(20);
  });

  it('plants each documented hotspot at its place', () => {
    for (const hotspot of PLANTED_HOTSPOTS) {
      const near = demo.incidents.filter((i) => hotspot.categories.includes(i.category) && within(i, hotspot.centre, 100));
      expect(near.length, hotspot.id).toBeGreaterThan(150);
      for (const name of hotspot.places) {
        const place = demo.locations.find((l) => l.name === name && l.locality === hotspot.locality);
        expect(place, `${hotspot.id}: ${name}`).toBeDefined();
        expect(within({ lon: place!.centre[0], lat: place!.centre[1] } as DemoIncident, hotspot.centre, 100), name).toBe(true);
      }
    }
  });

  it('scales down for quick test databases', () => {
    const small = generateDemo(7, { scale: 0.1 });
    expect(small.incidents.length).toBeGreaterThan(3000);
    expect(small.incidents.length).toBeLessThan(6000);
  });
});
