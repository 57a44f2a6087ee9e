import { InjectErrorCode, injectError } from '../errors';
import { DEFAULT_EXCLUDED_INBOUND_PORTS, validateCaptureOptions, type CaptureOptions } from '../capture/options';
import { Annotation } from './constants';
import type { Labels } from './types';

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

function ports(annotations: Labels, key: string): number[] | undefined {
  const value = annotations[key];
  if (value === undefined) return undefined;
  return list(value).map((p) => {
    if (!/^\d+$/.test(p)) throw injectError(InjectErrorCode.invalidCapture, 'annotation expects a port list', { annotation: key, value });
    return Number(p);
  });
}

function starOr<T>(value: string | undefined, parse: () => T[] | undefined): '*' | T[] | undefined {
  return value?.trim() === '*' ? '*' : parse();
}

/**
 * Mesh capture defaults refined by the pod's `traffic.sidecar.istio.io/*` annotations (Istio semantics:
 * the proxy's own ports stay excluded from inbound capture whatever the pod says).
 */
export function captureOptionsFor(annotations: Labels, mesh: CaptureOptions): CaptureOptions {
  const a = annotations;
  const excludeInbound = ports(a, Annotation.excludeInboundPorts) ?? [];
  const inboundValue = a[Annotation.includeInboundPorts];
  const outboundValue = a[Annotation.includeOutboundIPRanges];
  const excludeCidrs = a[Annotation.excludeOutboundIPRanges];
  const options: CaptureOptions = {
    ...mesh,
    includeInboundPorts: starOr(inboundValue, () => ports(a, Annotation.includeInboundPorts)) ?? mesh.includeInboundPorts,
    excludeInboundPorts: [...new Set([...mesh.excludeInboundPorts, ...DEFAULT_EXCLUDED_INBOUND_PORTS, ...excludeInbound])],
    includeOutboundCidrs: starOr(outboundValue, () => (outboundValue === undefined ? undefined : list(outboundValue))) ?? mesh.includeOutboundCidrs,
    excludeOutboundCidrs: excludeCidrs === undefined ? mesh.excludeOutboundCidrs : list(excludeCidrs),
    includeOutboundPorts: ports(a, Annotation.includeOutboundPorts) ?? mesh.includeOutboundPorts,
    excludeOutboundPorts: ports(a, Annotation.excludeOutboundPorts) ?? mesh.excludeOutboundPorts,
  };
  return validateCaptureOptions(options);
}
