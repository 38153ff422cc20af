/**
 * The trace samplers the gateway offers, by the names OTEL_TRACES_SAMPLER
 * gives them (the SDK environment specification's built-in samplers). Kept
 * apart from ./settings.ts so the configuration schema can name them
 * without importing anything else of telemetry.
 */
export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

export type TraceSamplerName = (typeof TRACE_SAMPLERS)[number];
