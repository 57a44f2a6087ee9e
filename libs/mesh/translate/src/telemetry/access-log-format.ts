import { FILE_ACCESS_LOG_NAME, FILE_ACCESS_LOG_TYPE, type AccessLog, type FileAccessLog, type SubstitutionFormatString } from '@trellis/mesh-envoy';
import type { EnvoyFileAccessLogProvider, MeshConfig } from '@trellis/mesh-api';

/** istiod's `EnvoyTextLogFormat` (pilot/pkg/model/telemetry_logging.go), the default TEXT access log line. */
export const ENVOY_TEXT_LOG_FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% ' +
  '%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% ' +
  '%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" ' +
  '"%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% ' +
  '%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n';

/** istiod's `EnvoyJSONLogFormatIstio`: the default JSON access log (keys as istiod writes them). */
export const ENVOY_JSON_LOG_FORMAT: Readonly<Record<string, string>> = {
  start_time: '%START_TIME%',
  route_name: '%ROUTE_NAME%',
  method: '%REQ(:METHOD)%',
  path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
  protocol: '%PROTOCOL%',
  response_code: '%RESPONSE_CODE%',
  response_flags: '%RESPONSE_FLAGS%',
  response_code_details: '%RESPONSE_CODE_DETAILS%',
  connection_termination_details: '%CONNECTION_TERMINATION_DETAILS%',
  bytes_received: '%BYTES_RECEIVED%',
  bytes_sent: '%BYTES_SENT%',
  duration: '%DURATION%',
  upstream_service_time: '%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%',
  x_forwarded_for: '%REQ(X-FORWARDED-FOR)%',
  user_agent: '%REQ(USER-AGENT)%',
  request_id: '%REQ(X-REQUEST-ID)%',
  authority: '%REQ(:AUTHORITY)%',
  upstream_host: '%UPSTREAM_HOST%',
  upstream_cluster: '%UPSTREAM_CLUSTER_RAW%',
  upstream_local_address: '%UPSTREAM_LOCAL_ADDRESS%',
  downstream_local_address: '%DOWNSTREAM_LOCAL_ADDRESS%',
  downstream_remote_address: '%DOWNSTREAM_REMOTE_ADDRESS%',
  requested_server_name: '%REQUESTED_SERVER_NAME%',
  upstream_transport_failure_reason: '%UPSTREAM_TRANSPORT_FAILURE_REASON%',
};

/** istiod's fileAccessLogFormat: a given text gets a trailing newline; none = the default. */
function textFormat(text: string | undefined): SubstitutionFormatString {
  const t = text === undefined || text === '' ? ENVOY_TEXT_LOG_FORMAT : text.endsWith('\n') ? text : `${text}\n`;
  return { text_format_source: { inline_string: t } };
}

function jsonFormat(fields: Record<string, unknown> | undefined): SubstitutionFormatString {
  return { json_format: fields !== undefined && Object.keys(fields).length > 0 ? fields : { ...ENVOY_JSON_LOG_FORMAT } };
}

function parseJsonFormat(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // istiod: "error parsing provided json log format, default log format will be used"
  }
}

const fileLog = (path: string, log_format: SubstitutionFormatString): AccessLog => {
  const typed: FileAccessLog = { '@type': FILE_ACCESS_LOG_TYPE, path, log_format };
  return { name: FILE_ACCESS_LOG_NAME, typed_config: typed };
};

/** istiod's FileAccessLogFromMeshConfig: `accessLogEncoding` TEXT (accessLogFormat or the default) or JSON. */
export function fileAccessLogFromMesh(path: string, mesh: MeshConfig): AccessLog {
  return fileLog(path, mesh.accessLogEncoding === 'JSON' ? jsonFormat(parseJsonFormat(mesh.accessLogFormat)) : textFormat(mesh.accessLogFormat));
}

/** istiod's fileAccessLogFromTelemetry (the built-in `envoy` without a logFormat follows MeshConfig). */
export function fileAccessLogFromProvider(name: string, p: EnvoyFileAccessLogProvider, mesh: MeshConfig): AccessLog {
  const path = p.path === '' ? '/dev/stdout' : p.path;
  if (name === 'envoy' && p.logFormat === undefined) return fileAccessLogFromMesh(path, mesh);
  if (p.logFormat?.labels !== undefined) return fileLog(path, jsonFormat(p.logFormat.labels));
  return fileLog(path, textFormat(p.logFormat?.text));
}
