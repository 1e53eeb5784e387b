// Peer groups (issue 32): people linked when incidents name them together, either the
// same incident (the same minute within SAME_INCIDENT_M) or the same place of concern
// within a few hours, at least `together` times; the groups are the connected components
// of those links (union-find). People are dense indexes here, never person_ref; a
// group is described by its size, roles, categories, places and hours, never by who.
// Why by hand: no maintained npm package does co-occurrence counting with a time window
// per place; union-find is twenty lines.

/** Two incidents at the same minute within this many metres are taken as one event naming several people. */
export const SAME_INCIDENT_M = 50;

export interface GroupInput {
  /** Per incident (only those naming a person, with a known minute): the person's dense index. */
  person: Int32Array;
  /** Minutes since 1970 (UTC). */
  minute: Float64Array;
  /** British National Grid metres. */
  x: Float64Array;
  y: Float64Array;
  /** The incident's place of concern (its index into `places`), or -1. */
  place: Int32Array;
  /** Index into ROLE_CODES / CATEGORY_CODES. */
  role: Uint8Array;
  category: Uint8Array;
  hour: Uint8Array;
  /** Local date as days since 1970, for the group's first and last. */
  day: Int32Array;
  /** Each person's record key (person_key & 255), for the panel's perturbed sizes. */
  personKey: Uint8Array;
  /** Hours within which two incidents at the same place link their people. */
  hours: number;
  /** Times two people must be named together to be linked. */
  together: number;
  /** Smallest group reported. */
  minSize: number;
}

export interface Group {
  members: number[];
  episodes: number;
  /** Pairs of members linked (named together at least `together` times). */
  linkedPairs: number;
  roles: Int32Array;
  categories: Int32Array;
  places: Map<number, number>;
  hours: Int32Array;
  firstDay: number;
  lastDay: number;
  key: number;
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(size: number) {
    this.parent = Int32Array.from({ length: size }, (_, k) => k);
  }
  find(k: number): number {
    let root = k;
    while (this.parent[root] !== root) root = this.parent[root]!;
    while (this.parent[k] !== root) {
      const next = this.parent[k]!;
      this.parent[k] = root;
      k = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Incident indexes sorted by (key, minute). */
function sortedBy(key: (k: number) => number, minute: Float64Array, count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, k) => k).sort((a, b) => key(a) - key(b) || minute[a]! - minute[b]!);
}

/**
 * The pairs of people named together, with how many times, from two sweeps: incidents at
 * the same place sorted by time (a window of `hours`), and incidents at the same minute
 * (within SAME_INCIDENT_M) that do not share a place (those the first sweep counted).
 */
export function linkedPairs(input: GroupInput): Map<number, number> {
  const n = input.person.length;
  const people = Math.max(0, ...input.person) + 1;
  const pairs = new Map<number, number>();
  const count = (i: number, j: number) => {
    const a = input.person[i]!;
    const b = input.person[j]!;
    if (a === b) return;
    const key = a < b ? a * people + b : b * people + a;
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
  };
  const window = input.hours * 60;
  const byPlace = sortedBy((k) => input.place[k]!, input.minute, n);
  for (let s = 0; s < n; s++) {
    const i = byPlace[s]!;
    if (input.place[i]! < 0) continue;
    for (let r = s - 1; r >= 0; r--) {
      const j = byPlace[r]!;
      if (input.place[j] !== input.place[i] || input.minute[i]! - input.minute[j]! > window) break;
      count(i, j);
    }
  }
  const byMinute = sortedBy((k) => input.minute[k]!, input.minute, n);
  const near = SAME_INCIDENT_M * SAME_INCIDENT_M;
  for (let s = 0; s < n; s++) {
    const i = byMinute[s]!;
    for (let r = s - 1; r >= 0 && input.minute[byMinute[r]!] === input.minute[i]; r--) {
      const j = byMinute[r]!;
      if (input.place[i]! >= 0 && input.place[i] === input.place[j]) continue;
      const dx = input.x[i]! - input.x[j]!;
      const dy = input.y[i]! - input.y[j]!;
      if (dx * dx + dy * dy <= near) count(i, j);
    }
  }
  return pairs;
}

/** The groups of at least minSize people, largest first, with what their incidents say. */
export function peerGroups(input: GroupInput, roleCount: number, categoryCount: number): { groups: Group[]; people: number; links: number } {
  const n = input.person.length;
  const people = n === 0 ? 0 : Math.max(...input.person) + 1;
  const pairs = linkedPairs(input);
  const sets = new UnionFind(people);
  let links = 0;
  for (const [key, times] of pairs) {
    if (times < input.together) continue;
    links += 1;
    sets.union(Math.floor(key / people), key % people);
  }
  const membersOf = new Map<number, number[]>();
  for (let p = 0; p < people; p++) {
    const root = sets.find(p);
    const list = membersOf.get(root);
    if (list) list.push(p);
    else membersOf.set(root, [p]);
  }
  const groups = new Map<number, Group>();
  for (const [root, members] of membersOf) {
    if (members.length < Math.max(2, input.minSize)) continue;
    groups.set(root, {
      members, episodes: 0, linkedPairs: 0, roles: new Int32Array(roleCount), categories: new Int32Array(categoryCount),
      places: new Map(), hours: new Int32Array(24), firstDay: Infinity, lastDay: -Infinity,
      key: members.reduce((sum, p) => sum + input.personKey[p]!, 0) % 256,
    });
  }
  // Roles count people (a person in two roles is in both); the rest count episodes.
  const rolesSeen = new Set<number>();
  for (let k = 0; k < n; k++) {
    const person = input.person[k]!;
    const group = groups.get(sets.find(person));
    if (!group) continue;
    group.episodes += 1;
    const roleKey = person * roleCount + input.role[k]!;
    if (!rolesSeen.has(roleKey)) {
      rolesSeen.add(roleKey);
      group.roles[input.role[k]!]! += 1;
    }
    group.categories[input.category[k]!]! += 1;
    group.hours[input.hour[k]!]! += 1;
    if (input.place[k]! >= 0) group.places.set(input.place[k]!, (group.places.get(input.place[k]!) ?? 0) + 1);
    group.firstDay = Math.min(group.firstDay, input.day[k]!);
    group.lastDay = Math.max(group.lastDay, input.day[k]!);
  }
  for (const [key, times] of pairs) {
    const group = groups.get(sets.find(Math.floor(key / people)));
    if (group && times >= input.together) group.linkedPairs += 1;
  }
  return {
    groups: [...groups.values()].sort((a, b) => b.members.length - a.members.length || b.episodes - a.episodes || a.members[0]! - b.members[0]!),
    people,
    links,
  };
}
