import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
// proto-loader's own loader: include-dir resolution plus Google's well-known protos
// (descriptor.proto etc., registered by addCommonProtos).
import { addCommonProtos, loadProtosWithOptionsSync } from '@grpc/proto-loader/build/src/util';
import { TrellisError } from '@trellis/shared';

/**
 * The one place that touches protobufjs reflection. The Envoy protos ship inside @grpc/grpc-js-xds
 * (`deps/{envoy-api,xds,googleapis,protoc-gen-validate}`); they are parsed once, on first use,
 * with field names kept as written in the .proto files (snake_case), like proto-loader's
 * `keepCase: true`. The build writes the parsed result as a JSON descriptor next to each app's
 * bundle (`envoy-descriptor.json`); loading that instead skips reading and parsing ~90 .proto files
 * (half the start-up time, and ~9 MB less heap committed: the proto sources are never held).
 */

/** File name of the prebuilt descriptor, looked up next to the running bundle. */
export const ENVOY_DESCRIPTOR_FILE = 'envoy-descriptor.json';

/** Entry files: everything else is pulled in through their imports. */
const ENTRY_FILES: readonly string[] = [
  'envoy/service/discovery/v3/ads.proto',
  'envoy/config/listener/v3/listener.proto',
  'envoy/config/route/v3/route.proto',
  'envoy/config/cluster/v3/cluster.proto',
  'envoy/config/endpoint/v3/endpoint.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto',
  // Listener filters (LISTENER_FILTER_TYPES): capture listeners, SNI-routed TLS listeners.
  'envoy/extensions/filters/listener/original_dst/v3/original_dst.proto',
  'envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector.proto',
  'envoy/extensions/filters/listener/http_inspector/v3/http_inspector.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
  'envoy/extensions/filters/http/fault/v3/fault.proto',
  'envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit.proto',
  'envoy/extensions/filters/http/ratelimit/v3/rate_limit.proto',
  // EnvoyFilter configs are often written as TypedStruct (both generations).
  'udpa/type/v1/typed_struct.proto',
  'xds/type/v3/typed_struct.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
  'envoy/extensions/retry/host/previous_hosts/v3/previous_hosts.proto',
  'envoy/extensions/access_loggers/file/v3/file.proto',
  'envoy/extensions/access_loggers/stream/v3/stream.proto',
  'envoy/extensions/transport_sockets/tls/v3/tls.proto',
  // SDS over ADS (SECRET_TYPE): gateway credentials.
  'envoy/extensions/transport_sockets/tls/v3/secret.proto',
  // auto mTLS: the plaintext socket of `tlsMode-disabled` (RAW_BUFFER_TYPE).
  'envoy/extensions/transport_sockets/raw_buffer/v3/raw_buffer.proto',
  // Authorization and end-user authentication (AuthorizationPolicy, RequestAuthentication, CUSTOM).
  'envoy/extensions/filters/http/rbac/v3/rbac.proto',
  'envoy/extensions/filters/network/rbac/v3/rbac.proto',
  'envoy/extensions/filters/http/jwt_authn/v3/config.proto',
  'envoy/extensions/filters/http/ext_authz/v3/ext_authz.proto',
  'envoy/extensions/filters/network/ext_authz/v3/ext_authz.proto',
  'envoy/service/auth/v3/external_auth.proto',
  // Telemetry: tracers and the access-log CEL filter (observability.ts).
  'envoy/config/trace/v3/zipkin.proto',
  'envoy/config/trace/v3/opentelemetry.proto',
  'envoy/extensions/access_loggers/filters/cel/v3/cel.proto',
  'envoy/admin/v3/config_dump.proto',
];

/**
 * Istio's own filter configs, not among grpc-js-xds' protos: their text (`istio-alpn.proto` beside
 * this file; a test keeps the two equal), parsed into the same root so they encode, decode and reach
 * the prebuilt descriptor and wire schema like Envoy's.
 */
export const ISTIO_ALPN_PROTO = `// Istio's ALPN override filter config (istio/api envoy/config/filter/http/alpn/v2alpha1/config.proto):
// the message istiod packs as the istio.alpn HTTP filter's typed_config, with its field numbers.
// root.ts holds this same text (bundles carry no .proto files); a test keeps them equal.
syntax = "proto3";

package istio.envoy.config.filter.http.alpn.v2alpha1;

message FilterConfig {
  // The upstream HTTP protocol an override applies to.
  enum Protocol {
    HTTP10 = 0;
    HTTP11 = 1;
    HTTP2 = 2;
  }

  message AlpnOverride {
    Protocol upstream_protocol = 1;
    // Offered by upstream TLS connections instead of the cluster's alpn_protocols.
    repeated string alpn_override = 2;
  }

  repeated AlpnOverride alpn_override = 1;
}
`;

/** Istio's stats filter config (`istio-stats.proto` beside this file; a test keeps the two equal). */
export const ISTIO_STATS_PROTO = `// Istio's stats filter config (istio/proxy source/extensions/filters/http/istio_stats/config.proto):
// the message istiod packs as the istio.stats HTTP and network filters' typed_config, with its field numbers.
// root.ts holds this same text (bundles carry no .proto files); a test keeps them equal.
syntax = "proto3";

package stats;

import "google/protobuf/duration.proto";

message MetricConfig {
  map<string, string> dimensions = 1;
  string name = 2;
  repeated string tags_to_remove = 3;
  string match = 4;
  bool drop = 5;
}

enum MetricType {
  COUNTER = 0;
  GAUGE = 1;
  HISTOGRAM = 2;
}

message MetricDefinition {
  string name = 1;
  string value = 2;
  MetricType type = 3;
}

enum Reporter {
  UNSPECIFIED = 0;
  SERVER_GATEWAY = 1;
}

message PluginConfig {
  reserved 1, 2, 3, 4, 5;
  reserved "debug", "max_peer_cache_size", "stat_prefix", "field_separator", "value_separator";

  bool disable_host_header_fallback = 6;
  google.protobuf.Duration tcp_reporting_duration = 7;
  repeated MetricConfig metrics = 8;
  repeated MetricDefinition definitions = 9;
  Reporter reporter = 10;
  google.protobuf.Duration rescoping_duration = 11;
  google.protobuf.Duration scope_grace_period_duration = 12;
}
`;

let cached: protobuf.Root | undefined;

function includeDirs(): string[] {
  const pkg = require.resolve('@grpc/grpc-js-xds/package.json');
  const deps = path.join(path.dirname(pkg), 'deps');
  return ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => path.join(deps, d));
}

function parseProtos(): protobuf.Root {
  addCommonProtos();
  const root = loadProtosWithOptionsSync([...ENTRY_FILES], { keepCase: true, includeDirs: includeDirs() });
  protobuf.parse(ISTIO_ALPN_PROTO, root, { keepCase: true });
  protobuf.parse(ISTIO_STATS_PROTO, root, { keepCase: true });
  root.resolveAll();
  return root;
}

/** The descriptor the build ships: the parsed protos as protobufjs JSON (options and all). */
export function envoyDescriptorJson(): string {
  return JSON.stringify(parseProtos().toJSON());
}

export function rootFromDescriptor(json: string): protobuf.Root {
  const root = protobuf.Root.fromJSON(JSON.parse(json) as protobuf.INamespace);
  root.resolveAll();
  return root;
}

function loadRoot(): protobuf.Root {
  const prebuilt = path.join(__dirname, ENVOY_DESCRIPTOR_FILE);
  return existsSync(prebuilt) ? rootFromDescriptor(readFileSync(prebuilt, 'utf8')) : parseProtos();
}

/** The loaded Envoy proto root (parsed on the first call, ~0.5 s). */
export function envoyRoot(): protobuf.Root {
  cached ??= loadRoot();
  return cached;
}

/** A message type by full name (`envoy.config.cluster.v3.Cluster`), or a typed error. */
const typesByName = new Map<string, protobuf.Type>();

export function messageType(fullName: string): protobuf.Type {
  const cached = typesByName.get(fullName);
  if (cached !== undefined) return cached;
  const found = envoyRoot().lookup(fullName.startsWith('.') ? fullName : `.${fullName}`);
  if (!(found instanceof protobuf.Type)) {
    throw new TrellisError('XDS_UNKNOWN_TYPE', 'Unknown protobuf message type', { type: fullName });
  }
  typesByName.set(fullName, found);
  return found;
}

/** The message type named by an Any type URL (`type.googleapis.com/<full.name>`). */
export function typeOfUrl(typeUrl: string): protobuf.Type {
  return messageType(typeUrl.slice(typeUrl.lastIndexOf('/') + 1));
}

export { protobuf };
