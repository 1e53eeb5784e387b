// `npm run bench [-- --scale 10k|100k|1m|10m]`: dependencies and builds (server and web
// app) as `npm start` does them, then the benchmark (scripts/bench/run.ts) with the same arguments.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildTypeScript, buildWeb, ensureDependencies, ROOT, step } from './lib/setup.mjs';

ensureDependencies();
await step('Building TypeScript', () => buildTypeScript());
await step('Building the web app (for the browser case)', () => buildWeb());
const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'bench', 'run.ts'), ...process.argv.slice(2)], {
  cwd: ROOT, stdio: 'inherit',
});
child.on('exit', (code) => process.exit(code ?? 1));
