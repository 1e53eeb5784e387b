// A pool of worker threads (piscina) for the hotspot engine's CPU work
// (hotspots/worker.ts): Gi* with its neighbour search, emerging hot spots, kernel
// density, and serialising their answers. The event loop only waits for I/O, so a tile
// asked while a statistic is computed is answered at once. A task whose every asker has
// gone is aborted (`signal`): queued, it never starts; running, its thread is replaced.
import fp from 'fastify-plugin';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { ComputeTask, Serialised } from '../hotspots/worker.js';

declare module 'fastify' {
  interface FastifyInstance {
    compute: { run(work: { task: ComputeTask; transfer: ArrayBuffer[] }, signal?: AbortSignal): Promise<Serialised>; readonly threads: number };
  }
}

/** The worker's module: the built .js, or the .ts source run through tsx (tests run the source). */
function workerFile(): { filename: string; execArgv: string[] } {
  const built = new URL('../hotspots/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return { filename: fileURLToPath(built), execArgv: [] };
  return { filename: fileURLToPath(new URL('../hotspots/worker.ts', import.meta.url)), execArgv: ['--import', 'tsx'] };
}

export default fp<{ threads: number }>(async (app, options) => {
  const threads = options.threads > 0 ? options.threads : Math.max(1, availableParallelism() - 1);
  const { filename, execArgv } = workerFile();
  // Threads start with the server and stay: each keeps the neighbour lists it has searched.
  const pool = new Piscina<ComputeTask, Serialised>({ filename, execArgv, minThreads: threads, maxThreads: threads, idleTimeout: 24 * 3_600_000 });
  // A thread that cannot start is replaced when next needed; its tasks fail with the error.
  pool.on('error', (error: unknown) => app.log.error({ err: error }, 'compute: a worker thread failed'));
  app.decorate('compute', {
    threads,
    run: ({ task, transfer }: { task: ComputeTask; transfer: ArrayBuffer[] }, signal?: AbortSignal) =>
      pool.run(task, { transferList: transfer, ...(signal ? { signal } : {}) }),
  });
  app.addHook('onClose', async () => {
    await pool.destroy();
  });
}, { name: 'compute' });
