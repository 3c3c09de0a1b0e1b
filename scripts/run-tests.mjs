// Runs every *.test.ts under src/ and test/ with node's built-in test runner (Node 20's --test takes no globs),
// and ends with a plain "N passed, N failed" line. Extra arguments go to node --test (e.g. --test-name-pattern).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function find(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...find(p));
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = [...find('src'), ...find('test')].sort();
const tmp = mkdtempSync(join(tmpdir(), 'segmint-tests-'));
const tap = join(tmp, 'report.tap');
const r = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...process.argv.slice(2),
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, TZ: 'UTC' } },
);
const count = (name) =>
  Number(readFileSync(tap, 'utf8').match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
try {
  const skipped = count('skipped');
  console.log(`${count('pass')} passed, ${count('fail')} failed${skipped ? `, ${skipped} skipped` : ''}`);
} catch {
  console.log('0 passed, 1 failed');
}
rmSync(tmp, { recursive: true, force: true });
process.exit(r.status ?? 1);
