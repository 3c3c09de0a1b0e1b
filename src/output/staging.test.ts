// Staging: a committed run moves every file into the output folder; an aborted run leaves nothing behind.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { InputError } from '../util/errors.js';
import { jsonReplacer, Staging, writeFileAtomic } from './staging.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'segmint-staging-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Every file under `root`, relative, sorted. */
function tree(root: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? join(prefix, e.name) : e.name;
    if (e.isDirectory()) out.push(...tree(root, rel));
    else out.push(rel);
  }
  return out.sort();
}

describe('Staging', () => {
  it('commit moves every staged file (with sub-folders) into place and removes the staging folder', async () => {
    const out = join(dir, 'commit', 'out'); // two levels created
    const s = await Staging.create(out);
    assert.ok(
      s.dir.startsWith(out),
      'staging folder is inside the output folder (same file system for rename)',
    );
    await s.writeText('report.html', '<html></html>');
    await s.writeJson('run.json', { k: 3, bad: NaN, big: Infinity, arr: Float64Array.from([1, 2]) });
    await s.writeText(join('rejects', 'transactions.csv'), 'row,reason\n');
    assert.deepEqual(
      tree(out).filter((f) => !f.startsWith('.segmint-staging-')),
      [],
      'nothing visible before commit',
    );

    const files = await s.commit();
    assert.deepEqual(files, ['rejects/transactions.csv', 'report.html', 'run.json']);
    assert.deepEqual(tree(out), files, 'exactly the staged files, no staging folder left');
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')), {
      k: 3,
      bad: null,
      big: null,
      arr: [1, 2],
    });
    assert.equal(readFileSync(join(out, 'report.html'), 'utf8'), '<html></html>');
  });

  it('commit replaces earlier outputs and keeps unrelated files', async () => {
    const out = join(dir, 'replace');
    mkdirSync(out);
    writeFileSync(join(out, 'segments.csv'), 'old');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const s = await Staging.create(out);
    await s.writeText('segments.csv', 'new');
    await s.commit();
    assert.equal(readFileSync(join(out, 'segments.csv'), 'utf8'), 'new');
    assert.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'mine');
    assert.deepEqual(tree(out), ['notes.txt', 'segments.csv']);
  });

  it('abort leaves nothing, and removes an output folder it created', async () => {
    const out = join(dir, 'abort-new', 'out');
    const s = await Staging.create(out);
    await s.writeText('report.html', 'half');
    await s.writeText(join('sub', 'x.csv'), 'half');
    await s.abort();
    assert.equal(existsSync(s.dir), false);
    assert.equal(existsSync(out), false, 'the output folder this run created is gone');
  });

  it('abort keeps an output folder that existed before, with its files', async () => {
    const out = join(dir, 'abort-existing');
    mkdirSync(out);
    writeFileSync(join(out, 'segments.csv'), 'previous run');
    const s = await Staging.create(out);
    await s.writeText('segments.csv', 'half-written');
    await s.abort();
    assert.deepEqual(tree(out), ['segments.csv']);
    assert.equal(readFileSync(join(out, 'segments.csv'), 'utf8'), 'previous run');
  });

  it('an empty existing output folder is kept on abort', async () => {
    const out = join(dir, 'abort-empty-existing');
    mkdirSync(out);
    const s = await Staging.create(out);
    await s.abort();
    assert.equal(existsSync(out), true);
    assert.deepEqual(readdirSync(out), []);
  });

  it('two runs in the same folder get separate staging folders', async () => {
    const out = join(dir, 'two');
    const a = await Staging.create(out);
    const b = await Staging.create(out);
    assert.notEqual(a.dir, b.dir);
    await a.writeText('a.txt', 'a');
    await b.writeText('b.txt', 'b');
    await b.abort();
    await a.commit();
    assert.deepEqual(tree(out), ['a.txt']);
  });

  it('an output path that is a file is an InputError', async () => {
    const p = join(dir, 'a-file');
    writeFileSync(p, 'x');
    await assert.rejects(Staging.create(p), (e) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /exists and is not a folder/);
      return true;
    });
  });
});

describe('writeFileAtomic and jsonReplacer', () => {
  it('writes the whole file, creating folders, and leaves no temp file', async () => {
    const p = join(dir, 'atomic', 'deep', 'model.json');
    await writeFileAtomic(p, '{"a":1}');
    await writeFileAtomic(p, '{"a":2}');
    assert.equal(readFileSync(p, 'utf8'), '{"a":2}');
    assert.deepEqual(readdirSync(dirname(p)), ['model.json']);
  });

  it('jsonReplacer writes non-finite numbers as null and typed arrays as arrays', () => {
    const text = JSON.stringify({ a: NaN, b: -Infinity, c: Int32Array.from([1, -2]), d: 1.5 }, jsonReplacer);
    assert.deepEqual(JSON.parse(text), { a: null, b: null, c: [1, -2], d: 1.5 });
  });
});
