/** Codec errors answer like Envoy's HTTP/1 codec, then close (both HTTP/1.1 codecs, http1.ts). */
const CODEC_REPLIES: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nserver: envoy\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
  default: 'HTTP/1.1 400 Bad Request\r\nserver: envoy\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
};

/** The reply to a parse error with llhttp's `code` (HPE_*). */
export function codecReply(code: string | undefined): string {
  return (code !== undefined ? CODEC_REPLIES[code] : undefined) ?? (CODEC_REPLIES['default'] as string);
}
