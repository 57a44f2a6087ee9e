/** Where Kiali's REST API lives (the UI's relative `api/…` under the web root). */
export const API_PREFIX = '/kiali/api';
