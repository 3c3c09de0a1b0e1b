/**
 * Input fingerprints for run.json: size, modification time and SHA-256, so a run can be traced to its data.
 * @module
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export interface Fingerprint {
  path: string;
  bytes: number;
  modified: string;
  sha256: string;
}

export async function fingerprint(path: string): Promise<Fingerprint> {
  const s = await stat(path);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return { path, bytes: s.size, modified: s.mtime.toISOString(), sha256: hash.digest('hex') };
}
