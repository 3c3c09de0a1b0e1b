// Runs the CLI from TypeScript sources without building: `node --import tsx scripts/segmint-dev.ts run …`.
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
