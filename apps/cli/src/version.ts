/** The CLI's own version (printed as `client version`). */
export const CLIENT_VERSION = '0.1.0';
