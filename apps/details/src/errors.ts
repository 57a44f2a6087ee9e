/** The one place details turns failures into HTTP responses (WEBrick-style pages). */
import type { FastifyError, FastifyInstance } from 'fastify';
import { sendExact } from '@trellis/bookinfo-common';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function webrickPage(title: string, message: string): string {
  return (
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0//EN">\n<HTML>\n  <HEAD><TITLE>' +
    title +
    '</TITLE></HEAD>\n  <BODY>\n    <H1>' +
    title +
    '</H1>\n    ' +
    escapeHtml(message) +
    '\n    <HR>\n    <ADDRESS>\n     WEBrick\n    </ADDRESS>\n  </BODY>\n</HTML>\n'
  );
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    void sendExact(reply, 404, 'text/html; charset=ISO-8859-1', webrickPage('Not Found', `\`${path}' not found.`));
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode !== undefined && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ code: err.code, message: err.message }, 'request failed');
    const title = status === 500 ? 'Internal Server Error' : 'Bad Request';
    return sendExact(reply, status, 'text/html; charset=ISO-8859-1', webrickPage(title, title));
  });
}
