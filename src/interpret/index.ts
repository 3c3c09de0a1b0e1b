export {
  explainSegments,
  conditionText,
  type SegmentRules,
  type SegmentRule,
  type RuleFeature,
  type ExplainOptions,
} from './segment-rules.js';
export {
  gatherPersonaData,
  segmentMedoids,
  type PersonaData,
  type SegmentBehaviour,
} from './persona-data.js';
export {
  buildPersonas,
  DEFAULT_ACTION_RULES,
  ActionRulesSchema,
  actionRuleProblems,
  checkActionRules,
  type Persona,
  type ActionRule,
} from './personas.js';
export { personasMarkdown } from './personas-markdown.js';
