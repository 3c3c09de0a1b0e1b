export {
  explainSegments,
  conditionText,
  type SegmentRules,
  type SegmentRule,
  type RuleFeature,
  type ExplainOptions,
} from './segment-rules.js';
