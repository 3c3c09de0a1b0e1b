export { runPipeline, type RunOptions, type RunResult, type ProgressFn } from './run-pipeline.js';
export { assignPipeline, type AssignOptions, type AssignResult } from './assign-pipeline.js';
export { qualityCheck } from './quality-check.js';
export { readModelFile, type ModelFile, MODEL_FORMAT, MODEL_VERSION } from './model-file.js';
export {
  evaluatePipeline,
  type EvaluateOptions,
  type EvaluateResult,
  type MethodEvaluation,
} from './evaluate-pipeline.js';
