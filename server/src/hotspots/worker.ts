// The hotspot engine's CPU work, in a worker thread (plugins/compute.ts runs a pool of
// them), so that a tile or a profile never waits behind a statistic on the event loop.
// Takes the plain data the SQL gave (the study grid in shared memory, counts as typed
// arrays moved, not copied) and returns the answer serialised as UTF-8, moved back.
import { Piscina } from 'piscina';
import { peerGroups, type GroupInput } from '../analysis/groups.js';
import { knoxReading, knoxTest, type KnoxInput } from '../analysis/knox.js';
import type { SnappedPoints } from '../repositories/hotspots.js';
import { emergingResult, giStarResult, kdeResult, type BandOf, type EmergingInput, type GiStarInput, type KdeInput } from './engine.js';
import { chooseBand, type BandChoice } from './neighbours.js';
import { packCells, packedBuffers, unpackCells, type PackedCells } from './packed.js';

export type ComputeTask =
  | { kind: 'knox'; input: KnoxInput; what: string; monthsOnly: number }
  | { kind: 'groups'; input: GroupInput; roles: number; categories: number; keep: number }
  | { kind: 'gistar'; input: GiStarInput }
  | { kind: 'emerging'; input: Omit<EmergingInput, 'rows'> & { rows: PackedCells } }
  | { kind: 'kde'; input: Omit<KdeInput, 'points'> & { points: Record<keyof SnappedPoints, Float64Array> } };

/** An answer serialised as JSON (UTF-8), with the number of rows it holds (for the audit log). */
export interface Serialised {
  body: Uint8Array;
  rows: number;
}

/** The task for an input, and the buffers to move with it. */
/** `what` names the incidents in the reading; `monthsOnly` (left out, no known day) goes into the answer's parameters. */
export function knoxTask(input: KnoxInput, what: string, monthsOnly: number): { task: ComputeTask; transfer: ArrayBuffer[] } {
  return { task: { kind: 'knox', input, what, monthsOnly }, transfer: [input.x.buffer as ArrayBuffer, input.y.buffer as ArrayBuffer, input.day.buffer as ArrayBuffer] };
}
/** The peer-group search (analysis/groups.ts); the answer keeps the `keep` largest groups, described without their members. */
export function groupsTask(input: GroupInput, roles: number, categories: number, keep: number): { task: ComputeTask; transfer: ArrayBuffer[] } {
  const { hours: _h, together: _t, minSize: _m, ...columns } = input;
  return { task: { kind: 'groups', input, roles, categories, keep }, transfer: Object.values(columns).map((array) => (array as Int32Array).buffer as ArrayBuffer) };
}

/** A group as the worker gives it back: counts by role, category and place index, never its members. */
export interface GroupSummary {
  size: number; episodes: number; linkedPairs: number; roles: number[]; categories: number[];
  places: [place: number, episodes: number][]; hours: number[]; firstDay: number; lastDay: number; key: number;
}
export interface GroupsAnswer { groups: GroupSummary[]; sizes: { size: number; key: number }[]; people: number }

export function gistarTask(input: GiStarInput): { task: ComputeTask; transfer: ArrayBuffer[] } {
  return { task: { kind: 'gistar', input }, transfer: [input.counts.count.buffer as ArrayBuffer, input.counts.harm.buffer as ArrayBuffer] };
}
export function emergingTask(input: EmergingInput): { task: ComputeTask; transfer: ArrayBuffer[] } {
  const rows = packCells(input.rows);
  return { task: { kind: 'emerging', input: { ...input, rows } }, transfer: packedBuffers(rows) };
}
export function kdeTask(input: KdeInput): { task: ComputeTask; transfer: ArrayBuffer[] } {
  const points = {
    x: Float64Array.from(input.points.x), y: Float64Array.from(input.points.y),
    count: Float64Array.from(input.points.count), harm: Float64Array.from(input.points.harm),
  };
  return { task: { kind: 'kde', input: { ...input, points } }, transfer: Object.values(points).map((array) => array.buffer) };
}

// Each thread keeps the neighbours of the last few grids and bands it has searched: the
// map's Gi* asks the same grid and band under every filter.
const KEPT_BANDS = 4;
const bands = new Map<string, BandChoice>();
const keptBandOf = (key: string): BandOf => (centres, spacing, requested) => {
  const name = `${key}|${spacing}|${requested ?? ''}`;
  let choice = bands.get(name);
  if (!choice) {
    choice = chooseBand(centres.x, centres.y, spacing, requested);
    if (bands.size >= KEPT_BANDS) bands.delete(bands.keys().next().value!);
    bands.set(name, choice);
  }
  return choice;
};

/** The answer, its bytes moved (not copied) back to the event loop's thread. */
function answer(result: object, rows: number): unknown {
  const body = new TextEncoder().encode(JSON.stringify(result));
  return Piscina.move({
    get [Piscina.transferableSymbol]() { return [body.buffer]; },
    get [Piscina.valueSymbol]() { return { body, rows }; },
  } as unknown as Parameters<typeof Piscina.move>[0]);
}

export default function compute(task: ComputeTask): ReturnType<typeof answer> {
  switch (task.kind) {
    case 'knox': {
      // The answer as the route sends it (NearRepeatResult): the counts and bands beside the table.
      const result = knoxTest(task.input);
      const { incidents, pairs, ...table } = result;
      const { x: _x, y: _y, day: _day, ...bands } = task.input;
      return answer({ ...table, parameters: { ...bands, incidents, monthsOnly: task.monthsOnly, pairs }, reading: knoxReading(result, task.what) }, incidents);
    }
    case 'groups': {
      const { groups, people } = peerGroups(task.input, task.roles, task.categories);
      const result: GroupsAnswer = {
        people,
        // Every group's size and cell key (the panel's size bands), the largest described.
        sizes: groups.map((group) => ({ size: group.members.length, key: group.key })),
        groups: groups.slice(0, task.keep).map((group) => ({
          size: group.members.length, episodes: group.episodes, linkedPairs: group.linkedPairs,
          roles: [...group.roles], categories: [...group.categories],
          places: [...group.places].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 8),
          hours: [...group.hours.keys()].filter((hour) => group.hours[hour]! > 0).sort((a, b) => group.hours[b]! - group.hours[a]! || a - b).slice(0, 3),
          firstDay: group.firstDay, lastDay: group.lastDay, key: group.key,
        })),
      };
      return answer(result, result.groups.length);
    }
    case 'gistar': {
      const result = giStarResult(task.input, keptBandOf(task.input.counts.grid.key));
      return answer(result, result.features.length);
    }
    case 'emerging': {
      const result = emergingResult({ ...task.input, rows: unpackCells(task.input.rows) });
      return answer(result, result.features.length);
    }
    case 'kde': {
      // The typed arrays are read as the number arrays they were made from.
      const result = kdeResult({ ...task.input, points: task.input.points as unknown as SnappedPoints });
      return answer(result, result.grid.values.length);
    }
  }
}
