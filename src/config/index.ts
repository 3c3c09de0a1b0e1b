export { ConfigSchema, SEGMENTATION_METHODS, type Config, type ConfigInput } from './schema.js';
export { loadConfig, parseConfig } from './load-config.js';
