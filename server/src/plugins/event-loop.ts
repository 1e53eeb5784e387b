// How long callbacks wait for the event loop (perf_hooks' event-loop delay histogram),
// over the last whole window of WINDOW_SECONDS, for /api/health and the bench's team case:
// a tile must never wait behind a statistic computed on the loop.
import fp from 'fastify-plugin';
import { monitorEventLoopDelay } from 'node:perf_hooks';

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
const ms = (nanoseconds: number) => Math.round(nanoseconds / 1e4) / 100;

export default fp(async (app) => {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last: EventLoopDelay | null = null;
  const timer = setInterval(() => {
    last = { windowSeconds: WINDOW_SECONDS, p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) };
    histogram.reset();
  }, WINDOW_SECONDS * 1000);
  timer.unref();
  app.decorate('eventLoop', { delay: () => last });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    histogram.disable();
  });
}, { name: 'event-loop' });
