// The attacker's arithmetic for the disclosure attack suite: integer intervals for
// unknown true counts, and linear equalities between them (sums of ±1 terms equal to 0),
// tightened against each other until nothing changes (bounds propagation). A count is
// pinned when its interval holds one value.

/** Stands for "no upper bound": large enough that no sum of counts reaches it, small enough to add safely. */
export const UNBOUNDED = 1e9;

export class IntervalSolver {
  readonly lo: number[] = [];
  readonly hi: number[] = [];
  readonly names: string[] = [];
  readonly truth: (number | null)[] = [];
  private readonly index = new Map<string, number>();
  private readonly constraints: { vars: number[]; coefs: number[] }[] = [];
  private readonly constraintsOf: number[][] = [];

  /** The variable of this name, made with [lo, hi] (intersected if it exists). */
  variable(name: string, lo = 0, hi = UNBOUNDED, truth: number | null = null): number {
    let id = this.index.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.index.set(name, id);
      this.names.push(name);
      this.lo.push(lo);
      this.hi.push(hi);
      this.truth.push(truth);
      this.constraintsOf.push([]);
    } else {
      this.lo[id] = Math.max(this.lo[id]!, lo);
      this.hi[id] = Math.min(this.hi[id]!, hi);
      if (truth !== null) this.truth[id] = truth;
    }
    return id;
  }

  /** Σ coefs[i] · vars[i] = 0. */
  equal(vars: number[], coefs: number[]): void {
    const id = this.constraints.length;
    this.constraints.push({ vars, coefs });
    for (const v of new Set(vars)) this.constraintsOf[v]!.push(id);
  }

  /** whole = Σ parts (+ a non-negative remainder when the parts do not cover the whole). */
  sum(whole: number, parts: number[], remainder?: string): void {
    const vars = [whole, ...parts];
    const coefs = [1, ...parts.map(() => -1)];
    if (remainder) {
      vars.push(this.variable(remainder));
      coefs.push(-1);
    }
    this.equal(vars, coefs);
  }

  /** Tightens every interval until no constraint changes any. */
  propagate(): void {
    const queue = this.constraints.map((_, id) => id);
    const queued = new Set(queue);
    while (queue.length > 0) {
      const id = queue.shift()!;
      queued.delete(id);
      const { vars, coefs } = this.constraints[id]!;
      const low = (k: number) => (coefs[k]! > 0 ? this.lo[vars[k]!]! : -this.hi[vars[k]!]!);
      const high = (k: number) => (coefs[k]! > 0 ? this.hi[vars[k]!]! : -this.lo[vars[k]!]!);
      let sumLow = 0;
      let sumHigh = 0;
      for (let k = 0; k < vars.length; k++) { sumLow += low(k); sumHigh += high(k); }
      for (let k = 0; k < vars.length; k++) {
        // coef·x = −(the rest), so coef·x lies in [−(restHigh), −(restLow)].
        const restLow = sumLow - low(k);
        const restHigh = sumHigh - high(k);
        const v = vars[k]!;
        const [lo, hi] = coefs[k]! > 0 ? [-restHigh, -restLow] : [restLow, restHigh];
        const newLo = Math.max(this.lo[v]!, Math.min(lo, UNBOUNDED));
        const newHi = Math.min(this.hi[v]!, hi);
        if (newLo > this.lo[v]! || newHi < this.hi[v]!) {
          this.lo[v] = newLo;
          this.hi[v] = newHi;
          for (const other of this.constraintsOf[v]!) {
            if (!queued.has(other)) { queued.add(other); queue.push(other); }
          }
          sumLow = 0;
          sumHigh = 0;
          for (let j = 0; j < vars.length; j++) { sumLow += low(j); sumHigh += high(j); }
        }
      }
    }
  }

  /** Variables (not remainders) whose interval holds one value. */
  pinned(): string[] {
    return this.names.filter((name, id) => !name.startsWith('remainder') && this.lo[id] === this.hi[id]);
  }

  /** Variables whose true value lies outside their interval: the attacker's model would be wrong. */
  unsound(): string[] {
    return this.names.filter((_, id) => {
      const truth = this.truth[id];
      return truth !== null && truth !== undefined && (truth < this.lo[id]! || truth > this.hi[id]!);
    }).map((name) => `${name}: true ${this.truth[this.index.get(name)!]} not in [${this.lo[this.index.get(name)!]}, ${this.hi[this.index.get(name)!]}]`);
  }
}
