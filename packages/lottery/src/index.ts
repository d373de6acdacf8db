/**
 * @g2g/lottery: the pure draw engine. No I/O, no clock, no unseeded randomness; the specification an
 * independent implementation can follow is docs/lottery-spec.md.
 */

export type { ChunkSink } from './bytes.ts';
export { commitmentOf, deriveSeed, type Reveal, type SeedInputs } from './ceremony.ts';
export {
  type DrawResult,
  NOT_SELECTED,
  type OrderSummary,
  OUTCOMES,
  type Outcome,
  runDraw,
  SELECTED,
  type StratumSummary,
  WAITLISTED,
} from './draw.ts';
export {
  chiSquareSurvival,
  FAIRNESS_DIMENSIONS,
  FAIRNESS_THRESHOLD,
  type FairnessCell,
  type FairnessDimension,
  type FairnessReport,
  type FairnessTest,
  fairnessReport,
} from './fairness.ts';
export {
  type DemandOrder,
  type DrawPolicy,
  type QuotaPolicy,
  STRATUM_LEVELS,
  type StratumLevel,
  validatePolicy,
  type WaitlistPolicy,
} from './policy.ts';
export {
  type CanonicalPool,
  entryAt,
  GENDERS,
  type Gender,
  indexOfRegistration,
  MAX_AGE,
  MAX_DATE_SPAN_DAYS,
  MAX_GEOGRAPHY_ID,
  MAX_POOL_SIZE,
  MAX_PREFERENCE_LISTS,
  MAX_PREFERENCES,
  PoolBuilder,
  type PoolColumns,
  type PoolEntry,
  poolEntries,
  poolFromColumns,
  poolFromEntries,
  type UnionGeography,
} from './pool.ts';
export {
  POOL_FIELDS,
  parsePoolLine,
  poolFromLines,
  poolHash,
  poolLines,
  writePool,
} from './pool-format.ts';
export { nextPromotion, type Promotion, type Vacancy, type WaitlistCandidate } from './promotion.ts';
export { ALGORITHM_ID } from './random.ts';
export {
  parseResultLine,
  RESULT_FIELDS,
  type ResultRow,
  resultHash,
  resultLines,
  resultRowAt,
  resultRows,
  writeResult,
} from './result-format.ts';
export { nextStagePool, type StageChanges } from './stages.ts';
export {
  type DrawManifest,
  type ManifestReveal,
  type VerificationProblem,
  type VerificationReport,
  verifyDraw,
} from './verify.ts';
