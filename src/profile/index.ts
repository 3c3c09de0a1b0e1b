export {
  profileSegments,
  type Profiles,
  type SegmentProfile,
  type FeatureStats,
  type ProfileOptions,
} from './profile-segments.js';
export { nameSegments } from './name-segments.js';
