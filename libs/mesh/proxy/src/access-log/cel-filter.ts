import type { LogRecord } from './log-record';
import { type CelNode, parseCel } from './cel-parse';

/** CEL's error value: evaluation failed (missing attribute, no overload); the filter then does not log. */
const ERR = Symbol('cel-error');
type Value = string | number | boolean | null | typeof ERR;
type Eval = (r: LogRecord) => Value;

const orErr = (v: string | number | boolean | undefined): Value => (v === undefined || v === '' ? ERR : v);
const hostOf = (a: string): string => (a.lastIndexOf(':') < 0 ? a : a.slice(0, a.lastIndexOf(':')));
const portOf = (a: string): Value => (a.lastIndexOf(':') < 0 ? ERR : Number(a.slice(a.lastIndexOf(':') + 1)));

/** Envoy's CEL attributes (docs: "Attributes") the filter can read. */
const ATTRIBUTES: Readonly<Record<string, (r: LogRecord) => Value>> = {
  'response.code': (r) => (r.responseCode === 0 ? ERR : r.responseCode),
  'response.flags': (r) => r.responseFlags,
  'response.code_details': (r) => orErr(r.responseCodeDetails),
  'response.size': (r) => r.bytesSent,
  'request.method': (r) => orErr(r.requestHeader(':method')),
  'request.path': (r) => orErr(r.requestHeader(':path')),
  'request.url_path': (r) => orErr(r.requestHeader(':path')?.split('?')[0]),
  'request.host': (r) => orErr(r.requestHeader(':authority')),
  'request.scheme': (r) => orErr(r.requestHeader(':scheme')),
  'request.protocol': (r) => orErr(r.protocol),
  'request.id': (r) => orErr(r.requestHeader('x-request-id')),
  'request.useragent': (r) => orErr(r.requestHeader('user-agent')),
  'request.referer': (r) => orErr(r.requestHeader('referer')),
  'request.size': (r) => r.bytesReceived,
  'request.total_size': (r) => r.bytesReceived,
  'connection.mtls': (r) => r.mtls,
  'connection.requested_server_name': (r) => r.requestedServerName,
  'connection.termination_details': (r) => orErr(r.connectionTerminationDetails),
  'source.address': (r) => orErr(hostOf(r.downstreamRemoteAddress)),
  'source.port': (r) => portOf(r.downstreamRemoteAddress),
  'destination.address': (r) => orErr(hostOf(r.downstreamLocalAddress)),
  'destination.port': (r) => portOf(r.downstreamLocalAddress),
  'upstream.address': (r) => orErr(hostOf(r.upstreamHost)),
  'upstream.port': (r) => portOf(r.upstreamHost),
  'upstream.local_address': (r) => orErr(r.upstreamLocalAddress),
  'upstream.transport_failure_reason': (r) => orErr(r.upstreamTransportFailureReason),
  'xds.cluster_name': (r) => orErr(r.upstreamCluster),
  'xds.route_name': (r) => orErr(r.routeName),
};

function attribute(path: readonly string[]): Eval {
  const [a, b, key] = path;
  if (path.length === 3 && a === 'request' && b === 'headers') return (r) => r.requestHeader((key as string).toLowerCase()) ?? ERR;
  if (path.length === 3 && a === 'response' && b === 'headers') return (r) => r.responseHeader((key as string).toLowerCase()) ?? ERR;
  const get = ATTRIBUTES[path.join('.')];
  if (get === undefined) throw new Error(`undeclared reference to '${path.join('.')}'`);
  return get;
}

function compare(op: string, l: Value, r: Value): Value {
  if (l === ERR || r === ERR) return ERR;
  if (op === '==' || op === '!=') {
    if (l !== null && r !== null && typeof l !== typeof r) return ERR; // CEL: no such overload
    return op === '==' ? l === r : l !== r;
  }
  if (typeof l !== typeof r || (typeof l !== 'number' && typeof l !== 'string')) return ERR;
  const a = l as number | string;
  const b = r as number | string;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

function compile(n: CelNode): Eval {
  switch (n.kind) {
    case 'lit': return () => n.value;
    case 'attr': return attribute(n.path);
    case 'not': {
      const arg = compile(n.arg);
      return (r) => {
        const v = arg(r);
        return typeof v === 'boolean' ? !v : ERR;
      };
    }
    case 'cmp': {
      const [l, rr, op] = [compile(n.left), compile(n.right), n.op];
      return (r) => compare(op, l(r), rr(r));
    }
    default: {
      const [l, rr, and] = [compile(n.left), compile(n.right), n.kind === 'and'];
      // CEL's commutative && / ||: a decisive side wins over an error on the other.
      return (r) => {
        const a = l(r);
        if (a === !and) return !and;
        const b = rr(r);
        if (b === !and) return !and;
        return a === ERR || b === ERR || typeof a !== 'boolean' || typeof b !== 'boolean' ? ERR : and;
      };
    }
  }
}

/** A CEL access-log filter compiled once: true = log. Throws on syntax or an unknown attribute. */
export function compileCelFilter(expression: string): (r: LogRecord) => boolean {
  const ev = compile(parseCel(expression));
  return (r) => ev(r) === true;
}
