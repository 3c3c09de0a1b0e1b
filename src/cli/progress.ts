/**
 * Progress on the terminal: a bar that names the current step when stderr is a TTY, nothing otherwise.
 * @module
 */
import cliProgress from 'cli-progress';
import type { ProgressFn } from '../pipeline/index.js';

/** Steps of a run in order, with rough weights (share of a typical run's time). */
const STEPS: [string, number][] = [
  ['Reading transactions', 0.2],
  ['Cleaning transactions', 0.15],
  ['Reading customers', 0.03],
  ['Reading events', 0.05],
  ['Computing features', 0.1],
  ['Scaling features', 0.05],
  ['Segmenting', 0.3],
  ['Profiling segments', 0.04],
  ['Writing outputs', 0.05],
  ['Writing report', 0.03],
];

export interface Progress {
  update: ProgressFn;
  stop(): void;
}

export function createProgress(enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      format: ' {bar} {percentage}% | {step}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { step: 'Starting' });
  let base = 0;
  let weight = 0;
  return {
    update(step, fraction) {
      const main = step.split(':')[0]!;
      if (fraction === undefined) {
        const i = STEPS.findIndex(([s]) => s === main);
        if (i >= 0) {
          base = STEPS.slice(0, i).reduce((a, [, w]) => a + w, 0);
          weight = STEPS[i]![1];
        }
      }
      bar.update(Math.min(99, Math.round(100 * (base + weight * (fraction ?? 0)))), { step });
    },
    stop() {
      bar.stop();
    },
  };
}
