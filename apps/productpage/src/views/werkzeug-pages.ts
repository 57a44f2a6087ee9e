/** The HTML bodies Flask/Werkzeug send for redirects and HTTP errors. */
import { escapeHtml } from './html';

function errorPage(status: number, title: string, description: string): string {
  return `<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${description}</p>\n`;
}

export const NOT_FOUND_PAGE = errorPage(
  404,
  'Not Found',
  'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
);

export const METHOD_NOT_ALLOWED_PAGE = errorPage(405, 'Method Not Allowed', 'The method is not allowed for the requested URL.');

export const BAD_REQUEST_PAGE = errorPage(400, 'Bad Request', 'The browser (or proxy) sent a request that this server could not understand.');

export const TOO_LARGE_PAGE = errorPage(413, 'Request Entity Too Large', 'The data value transmitted exceeds the capacity limit.');

export const INTERNAL_ERROR_PAGE = errorPage(
  500,
  'Internal Server Error',
  'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
);

export function redirectPage(location: string): string {
  const href = escapeHtml(location);
  return (
    '<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n' +
    `<p>You should be redirected automatically to the target URL: <a href="${href}">${href}</a>. If not, click the link.\n`
  );
}
