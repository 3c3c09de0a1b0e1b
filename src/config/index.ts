export {
  CLUSTER_METHODS,
  ConfigSchema,
  SEGMENTATION_METHODS,
  VALUE_METHODS,
  LABEL_METHODS,
  isValueMethod,
  type Config,
  type ConfigInput,
} from './schema.js';
export { loadConfig, parseConfig } from './load-config.js';
