import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { delays } from './event-loop.js';

describe('the event-loop delay figures', () => {
  it('read an idle loop as no delay and a blocked loop as the time it was blocked', async () => {
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    await sleep(300);
    const blocked = performance.now();
    while (performance.now() - blocked < 120);
    await sleep(100);
    histogram.disable();
    const figures = delays(histogram, 10, 1);
    // Most samples are idle: their delay is near nothing, not the 10 ms sampling interval.
    expect(figures.p50Ms).toBeLessThan(5);
    // The one blocked sample waited for the whole block.
    expect(figures.maxMs).toBeGreaterThanOrEqual(105);
    expect(figures.maxMs).toBeLessThan(400);
  });
});
