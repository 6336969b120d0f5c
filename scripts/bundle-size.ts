/**
 * Reports the JS the built app ships (gzip; kB = 1,000 bytes, as Vite prints them, so that
 * 1,000 kB is 1.0 MB without ambiguity): what the first screen loads (the entry chunk and
 * its static imports) and everything. `--max-initial-kb N` / `--max-total-kb N` turn the
 * numbers into budgets: over budget exits 1. Reads dist/ (run `npm run build` first).
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const { values } = parseArgs({
  options: {
    'max-initial-kb': { type: 'string' },
    'max-total-kb': { type: 'string' },
    dist: { type: 'string', default: 'dist' },
  },
});

const dist = values.dist;
const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`No ${manifestPath}: run \`npm run build\` first.`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;

const gzipKb = (file: string) =>
  gzipSync(readFileSync(join(dist, file)), { level: 9 }).length / 1000;

function staticClosure(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) staticClosure(dep, seen);
  return seen;
}

const entryKey = Object.keys(manifest).find(
  (k) => manifest[k]?.isEntry && k.endsWith('index.html'),
);
if (!entryKey) {
  console.error('The manifest has no index.html entry.');
  process.exit(1);
}
const initialFiles = [...staticClosure(entryKey)]
  .map((k) => manifest[k]?.file)
  .filter((f): f is string => f?.endsWith('.js') === true);
const allJs = readdirSync(join(dist, 'assets'))
  .filter((f) => f.endsWith('.js') || f.endsWith('.mjs'))
  .map((f) => `assets/${f}`);

const initialKb = initialFiles.reduce((sum, f) => sum + gzipKb(f), 0);
const totalKb = allJs.reduce((sum, f) => sum + gzipKb(f), 0);

console.log('JS shipped (gzip -9):');
for (const file of allJs.sort((a, b) => gzipKb(b) - gzipKb(a))) {
  const mark = initialFiles.includes(file) ? ' (first screen)' : '';
  console.log(`  ${gzipKb(file).toFixed(1).padStart(7)} kB  ${file}${mark}`);
}
console.log(`first screen: ${initialKb.toFixed(1)} kB, all JS: ${totalKb.toFixed(1)} kB`);

/** Returns true when over budget. */
function overBudget(name: string, actual: number, limit: string | undefined): boolean {
  if (limit === undefined) return false;
  const max = Number(limit);
  if (actual > max) {
    console.error(`Over budget: ${name} is ${actual.toFixed(1)} kB, the limit is ${max} kB.`);
    return true;
  }
  console.log(`Budget ok: ${name} ${actual.toFixed(1)} kB <= ${max} kB`);
  return false;
}
const over = [
  overBudget('first screen', initialKb, values['max-initial-kb']),
  overBudget('all JS', totalKb, values['max-total-kb']),
].some(Boolean);
process.exit(over ? 1 : 0);
