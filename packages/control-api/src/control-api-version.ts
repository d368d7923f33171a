/** The control API's version (the OpenAPI `info.version`; the URL prefix is `/api/v1`). */
export const CONTROL_API_VERSION = '1.0.0';
