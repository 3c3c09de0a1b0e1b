/**
 * All-or-nothing output: a run writes every file into a hidden staging folder inside the output folder and
 * moves them into place only when everything succeeded, so a failure never leaves a half-written output.
 * @module
 */
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../util/errors.js';

/** Sub-folder of the staging folder for working files that are never outputs. */
export const SCRATCH = 'scratch';

export class Staging {
  private constructor(
    readonly outDir: string,
    readonly dir: string,
    private readonly createdOutDir: boolean,
  ) {}

  /** Creates `outDir` if needed and a fresh staging folder inside it. */
  static async create(outDir: string): Promise<Staging> {
    let created = false;
    try {
      const s = await stat(outDir);
      if (!s.isDirectory()) throw new InputError(`output path ${outDir} exists and is not a folder`);
    } catch (e) {
      if (e instanceof InputError) throw e;
      try {
        await mkdir(outDir, { recursive: true });
      } catch (err) {
        throw new InputError(`cannot create output folder ${outDir}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      created = true;
    }
    const dir = await mkdtemp(join(outDir, '.segmint-staging-'));
    return new Staging(outDir, dir, created);
  }

  /** Path of a file in the staging folder (sub-folders are created). */
  async path(name: string): Promise<string> {
    const p = join(this.dir, name);
    await mkdir(dirname(p), { recursive: true });
    return p;
  }

  async writeText(name: string, text: string): Promise<void> {
    await writeFile(await this.path(name), text);
  }

  async writeJson(name: string, value: unknown): Promise<void> {
    await this.writeText(name, `${JSON.stringify(value, jsonReplacer, 2)}\n`);
  }

  /**
   * Moves every staged file into the output folder (replacing earlier outputs) and removes the staging folder.
   * Files under `scratch/` (e.g. the engine's spill files) are working space, not outputs, and are not moved.
   */
  async commit(): Promise<string[]> {
    const files = (await listFiles(this.dir)).filter((f) => !f.startsWith(`${SCRATCH}/`));
    for (const f of files) {
      const target = join(this.outDir, f);
      await mkdir(dirname(target), { recursive: true });
      await rename(join(this.dir, f), target);
    }
    await rm(this.dir, { recursive: true, force: true });
    return files;
  }

  /** Removes the staging folder, and the output folder too if this run created it and it is empty. */
  async abort(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    if (this.createdOutDir) {
      const left = await readdir(this.outDir).catch(() => ['?']);
      if (left.length === 0) await rm(this.outDir, { recursive: true, force: true });
    }
  }
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), join(prefix, e.name))));
    else out.push(join(prefix, e.name));
  }
  return out.sort();
}

/** JSON without NaN/Infinity (written as null) and with typed arrays as arrays. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/** Writes a single file atomically (temp file in the same folder, then rename). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
