import { targetRef, workloadSelector } from './common';
import { arr, bool, double, duration, enumOf, mapOf, obj, str, type JsonSchema } from './json-schema';
import { ISTIO_METRICS } from '../types/telemetry';

const MODES = ['CLIENT_AND_SERVER', 'CLIENT', 'SERVER'] as const;

const providers = (): JsonSchema => arr(obj({ name: str({ description: 'Required.' }) }, ['name']), { description: 'Optional.' });
const match = (): JsonSchema => obj({ mode: enumOf(MODES, 'This determines whether or not to apply the configuration to client or server traffic.') });

const accessLogging = (): JsonSchema =>
  obj({
    providers: providers(),
    match: match(),
    disabled: bool(),
    filter: obj({ expression: str({ description: 'CEL expression for selecting when requests/connections should be logged.' }) }, [], 'Optional.'),
  });

const customTag = (): JsonSchema =>
  obj({
    literal: obj({ value: str() }, ['value']),
    environment: obj({ name: str(), defaultValue: str() }, ['name']),
    header: obj({ name: str(), defaultValue: str() }, ['name']),
  });

const tracing = (): JsonSchema =>
  obj({
    providers: providers(),
    match: match(),
    randomSamplingPercentage: double({ minimum: 0, maximum: 100 }),
    disableSpanReporting: bool(),
    customTags: mapOf(customTag(), 'Optional.'),
    useRequestIdForTraceSampling: bool(),
  });

const metrics = (): JsonSchema =>
  obj({
    providers: providers(),
    reportingInterval: duration('Optional.'),
    overrides: arr(
      obj({
        match: obj({ metric: enumOf(ISTIO_METRICS, 'One of the well-known Istio Standard Metrics.'), customMetric: str(), mode: enumOf(MODES) }),
        disabled: bool(),
        tagOverrides: mapOf(obj({ operation: enumOf(['UPSERT', 'REMOVE']), value: str() }), 'Optional.'),
      }),
    ),
  });

export const telemetrySpec = (): JsonSchema =>
  obj(
    {
      selector: workloadSelector('Optional.'),
      targetRef: targetRef(),
      targetRefs: arr(targetRef()),
      tracing: arr(tracing(), { description: 'Optional.' }),
      metrics: arr(metrics(), { description: 'Optional.' }),
      accessLogging: arr(accessLogging(), { description: 'Optional.' }),
    },
    [],
    'Telemetry configuration for workloads. See more details at: https://istio.io/docs/reference/config/telemetry.html',
  );
