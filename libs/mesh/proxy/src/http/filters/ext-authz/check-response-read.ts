import { type CheckResult, type HeaderSet, checkError } from './check-result';
import { allBytesOf, bytesOf, numberOf, readFields, stringOf } from './proto-wire';

/**
 * envoy.service.auth.v3.CheckResponse read by hand: `status.code` 0 allows (ok_response: headers to
 * set or append upstream, headers_to_remove, response_headers_to_add downstream); any other code
 * denies with denied_response (status, default 403; headers; body).
 */

const GRPC_OK = 0;
/** HeaderAppendAction: APPEND_IF_EXISTS_OR_ADD = 0 … only it appends. */
const APPEND_IF_EXISTS_OR_ADD = 0;

/** HeaderValueOption { header { key, value }, append (BoolValue), append_action }; `append` defaults to false here. */
function headerOption(buf: Buffer): HeaderSet | undefined {
  const f = readFields(buf);
  const header = bytesOf(f, 1);
  if (header === undefined) return undefined;
  const h = readFields(header);
  const name = stringOf(h, 1).toLowerCase();
  if (name === '') return undefined;
  const value = stringOf(h, 2) || (bytesOf(h, 3)?.toString('utf8') ?? '');
  const appendValue = bytesOf(f, 2);
  const append = appendValue !== undefined ? numberOf(readFields(appendValue), 1) === 1 : f.has(3) && numberOf(f, 3) === APPEND_IF_EXISTS_OR_ADD;
  return { name, value, append };
}

const headersOf = (bufs: Buffer[]): HeaderSet[] => bufs.map(headerOption).filter((h): h is HeaderSet => h !== undefined);

export function decodeCheckResponse(message: Buffer): CheckResult {
  try {
    const f = readFields(message);
    const status = bytesOf(f, 1);
    const code = status === undefined ? GRPC_OK : numberOf(readFields(status), 1);
    if (code === GRPC_OK) {
      const ok = readFields(bytesOf(f, 3) ?? Buffer.alloc(0));
      const remove = allBytesOf(ok, 5).map((b) => b.toString('utf8').toLowerCase());
      return { kind: 'ok', upstream: headersOf(allBytesOf(ok, 2)), remove, downstream: headersOf(allBytesOf(ok, 6)) };
    }
    const denied = readFields(bytesOf(f, 2) ?? Buffer.alloc(0));
    const httpStatus = bytesOf(denied, 1);
    const statusCode = httpStatus === undefined ? 0 : numberOf(readFields(httpStatus), 1);
    return { kind: 'denied', status: statusCode >= 100 ? statusCode : 403, headers: headersOf(allBytesOf(denied, 2)), body: stringOf(denied, 3) };
  } catch (err) {
    return checkError(`malformed CheckResponse: ${(err as Error).message}`);
  }
}
