export {
  profileSegments,
  NOISE_NAME,
  type Profiles,
  type SegmentProfile,
  type FeatureStats,
  type ProfileOptions,
} from './profile-segments.js';
export { nameByModes, nameSegments } from './name-segments.js';
