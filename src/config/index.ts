export { ConfigSchema, type Config, type ConfigInput } from './schema.js';
export { loadConfig, parseConfig } from './load-config.js';
