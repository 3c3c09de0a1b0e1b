export { Staging, SCRATCH, writeFileAtomic, jsonReplacer } from './staging.js';
export { fingerprint, type Fingerprint } from './fingerprint.js';
