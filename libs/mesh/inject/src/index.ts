export { InjectErrorCode, injectError } from './errors';

export type { Pod, PodSpec, Container, ObjectMeta, Labels, EnvVar, Volume, ContainerPort, OwnerReference, ResourceRequirements } from './pod/types';
export { injectPod, type InjectOptions, type InjectResult } from './pod/inject';
export { annotationProxyEnv } from './pod/annotation-env';
export { mergeProxyConfig, type ProxyConfigFields } from './pod/proxy-config';
export { injectionDecision, type InjectDecision, type InjectReason } from './pod/policy';
export { resolveMeshConfig, DEFAULT_DISCOVERY_ADDRESS, DEFAULT_PROXY_RESOURCES, type InjectMeshConfig, type ResolvedMeshConfig } from './pod/mesh-config';
export { parseStatus, formatStatus, type SidecarStatus } from './pod/status';
export { type WorkloadRef } from './pod/workload';
export * as InjectNames from './pod/constants';

export { createPatch, jsonEqual } from './patch/diff';
export { applyPatch } from './patch/apply';
export { escapePointerToken, unescapePointerToken } from './patch/pointer';
export type { JsonPatchOp, JsonValue } from './patch/types';

export { captureRules, CAPTURE_CHAINS } from './capture/rules';
export { captureScript } from './capture/script';
export { parseCaptureFlags, captureArgs } from './capture/flags';
export { runCaptureCli } from './capture/cli';
export { DEFAULT_CAPTURE_OPTIONS, DEFAULT_EXCLUDED_INBOUND_PORTS, validateCaptureOptions, type CaptureOptions } from './capture/options';

export {
  handleAdmissionReview, parseAdmissionReview, reviewPod,
  type AdmissionContext, type AdmissionRequest, type AdmissionResponse, type AdmissionReviewResponse,
} from './webhook/admission';
export { toHttpError, type HttpError } from './webhook/http-errors';
export { startInjectionWebhook, type InjectionWebhook, type InjectionWebhookOptions } from './webhook/server';
export { makeWebhookCertificates, type WebhookCertificates, type WebhookCertificateOptions } from './webhook/certs';
export { mutatingWebhookConfiguration, type MutatingWebhookOptions, type WebhookServiceRef } from './webhook/configuration';

export { kubeInjectManifest } from './kube-inject';
