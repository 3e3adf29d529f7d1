/**
 * Summarises a `node --cpu-prof` profile of the gateway: self and inclusive time per function, and self time per
 * package, optionally only inside one scenario's window (windows.json, written by `BENCH_CPU_PROF_DIR=... npm run bench`).
 *
 *   ts-node --transpile-only bench/profile-summary.ts <file.cpuprofile> [scenario substring] [top N] [--callers=<text>]
 *
 * --callers=<text>: the most frequent call stacks (leaf first, 6 frames) of the samples whose leaf function matches.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const callersOf = args.find((a) => a.startsWith('--callers='))?.slice('--callers='.length);
const [file, scenario, topArg] = args.filter((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [scenario substring] [top N]');
const top = Number(topArg) || 25;
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** The app's own code (dist/x.js) is named by its source file; libraries by package and file. */
function where(frame: CallFrame): { key: string; area: string } {
  const url = frame.url.replace(/^file:\/\//, '');
  const name = frame.functionName || '(anonymous)';
  if (!url) return { key: name, area: name.startsWith('(') ? name : 'V8/native' };
  const lib = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.+)$/);
  if (lib) return { key: `${lib[1]}/${lib[2]}:${frame.lineNumber + 1} ${name}`, area: lib[1] };
  const app = url.match(/\/dist\/(.+)\.js$/) ?? url.match(/\/src\/(.+)\.ts$/);
  if (app) return { key: `src/${app[1]}.ts: ${name}`, area: `src/${app[1]}.ts` };
  if (url.startsWith('node:')) return { key: `${url}:${frame.lineNumber + 1} ${name}`, area: 'node internals' };
  return { key: `${url}:${frame.lineNumber + 1} ${name}`, area: url };
}

let window: { fromMs: number; toMs: number } | undefined;
if (scenario) {
  const windowsFile = join(dirname(file), 'windows.json');
  if (!existsSync(windowsFile)) throw new Error(`no ${windowsFile}`);
  const windows = JSON.parse(readFileSync(windowsFile, 'utf8')) as { scenario: string; fromMs: number; toMs: number }[];
  window = windows.find((w) => w.scenario.includes(scenario));
  if (!window) throw new Error(`no window for "${scenario}"; have: ${windows.map((w) => w.scenario).join(', ')}`);
}

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const areas = new Map<string, number>();
const stacks = new Map<string, number>();
let total = 0;
let t = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i];
  const delta = profile.timeDeltas[i + 1] ?? 0;
  // Profile times count from the profiler's start, which is the process start give or take a few ms.
  const ms = t / 1000;
  if (window && (ms < window.fromMs || ms > window.toMs)) continue;
  const leaf = byId.get(profile.samples[i])!;
  const here = where(leaf.callFrame);
  if (here.key === '(idle)') continue;
  total += delta;
  self.set(here.key, (self.get(here.key) ?? 0) + delta);
  areas.set(here.area, (areas.get(here.area) ?? 0) + delta);
  if (callersOf && here.key.includes(callersOf)) {
    const frames: string[] = [];
    for (let id: number | undefined = leaf.id; id !== undefined && frames.length < 6; id = parent.get(id))
      frames.push(where(byId.get(id)!.callFrame).key);
    const stack = frames.join('\n           <- ');
    stacks.set(stack, (stacks.get(stack) ?? 0) + delta);
  }
  const seen = new Set<string>();
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
    const key = where(byId.get(id)!.callFrame).key;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + delta);
  }
}

const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
const list = (title: string, map: Map<string, number>, n: number, filter: (key: string) => boolean = () => true) => {
  process.stdout.write(`\n${title}\n`);
  for (const [key, us] of [...map]
    .filter(([key]) => filter(key))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)) {
    process.stdout.write(`  ${pct(us)}  ${key}\n`);
  }
};

const span = window
  ? `${scenario}: ${(window.fromMs / 1000).toFixed(1)}-${(window.toMs / 1000).toFixed(1)} s after spawn`
  : 'whole run';
process.stdout.write(`${file}\n${span}; ${(total / 1e6).toFixed(2)} s of busy CPU sampled (idle left out)\n`);
list('self time by package / area', areas, 15);
list(`self time by function (top ${top})`, self, top);
list("inclusive time of the app's own functions (src/)", inclusive, top, (key) => key.startsWith('src/'));
if (callersOf) list(`call stacks of "${callersOf}"`, stacks, 8);
