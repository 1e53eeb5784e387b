// How long callbacks wait for the event loop (perf_hooks' event-loop delay histogram),
// over the last whole window of WINDOW_SECONDS, for /api/health and the bench's team case:
// a tile must never wait behind a statistic computed on the loop.
import fp from 'fastify-plugin';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

declare module 'fastify' {
  interface FastifyInstance {
    eventLoop: { delay(): EventLoopDelay | null };
  }
}

export interface EventLoopDelay {
  windowSeconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const WINDOW_SECONDS = 10;
/** The histogram's sampling interval (ms). */
const RESOLUTION_MS = 10;

/**
 * The delays a histogram from monitorEventLoopDelay({ resolution }) holds. It records the
 * time between its timer's runs, so an idle loop reads as the resolution itself: the delay
 * is what lies beyond it (as @fastify/under-pressure reads it too).
 */
export function delays(histogram: IntervalHistogram, resolutionMs: number, windowSeconds: number): EventLoopDelay {
  const ms = (nanoseconds: number) => Math.max(0, Math.round((nanoseconds / 1e6 - resolutionMs) * 100) / 100);
  return { windowSeconds, p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) };
}

export default fp(async (app) => {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let last: EventLoopDelay | null = null;
  const timer = setInterval(() => {
    last = delays(histogram, RESOLUTION_MS, WINDOW_SECONDS);
    histogram.reset();
  }, WINDOW_SECONDS * 1000);
  timer.unref();
  app.decorate('eventLoop', { delay: () => last });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    histogram.disable();
  });
}, { name: 'event-loop' });
