// The interactive API reference: Swagger UI from the swagger-ui-dist package, served by the API itself
// (no CDN: machines may have no internet). The page holds no inline script; its bootstrap is a
// same-origin file, so the Content-Security-Policy allows scripts from this origin only.

export const REFERENCE_PATH = '/v1/docs';
export const BOOTSTRAP_PATH = `${REFERENCE_PATH}/bootstrap.js`;

/** Files of swagger-ui-dist the page loads, by the path the API serves them at. */
export const PACKAGE_ASSETS = {
  [`${REFERENCE_PATH}/swagger-ui-bundle.js`]: { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
  [`${REFERENCE_PATH}/swagger-ui.css`]: { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  [`${REFERENCE_PATH}/favicon.png`]: { file: 'favicon-32x32.png', type: 'image/png' },
} as const;

/** Every path of the reference; none needs a token (the page asks for one when a call is tried). */
export const REFERENCE_PATHS: readonly string[] = [REFERENCE_PATH, BOOTSTRAP_PATH, ...Object.keys(PACKAGE_ASSETS)];

/**
 * Scripts and styles from this origin only (Swagger UI sets element styles through the DOM, which
 * style-src does not govern), icons as data: URIs, calls to this API only, no framing.
 */
export const REFERENCE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function referencePage(): string {
  const [script, style, icon] = Object.keys(PACKAGE_ASSETS);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Flotilla API reference</title>
<link rel="stylesheet" href="${style}">
<link rel="icon" type="image/png" href="${icon}">
</head>
<body>
<div id="reference"></div>
<script src="${script}"></script>
<script src="${BOOTSTRAP_PATH}"></script>
</body>
</html>
`;
}

/**
 * Starts Swagger UI on the OpenAPI document. validatorUrl null: no spec is sent to an online
 * validator. Authorization is asked for (the bearer scheme) when a call is tried, kept for the tab only.
 */
export function bootstrapScript(openapiPath: string): string {
  const options = {
    url: openapiPath,
    dom_id: '#reference',
    validatorUrl: null,
    displayOperationId: true,
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
  };
  return `window.ui = SwaggerUIBundle(${JSON.stringify(options)});\n`;
}
