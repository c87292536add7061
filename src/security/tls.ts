// TLS helpers shared by the clients (agent, CLI): recognising a server certificate that is not trusted.

const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ALTNAME/;

/** True for Node's TLS verification failures (unknown CA, self-signed, wrong host name, expired). */
export function isCertificateError(code: string | undefined): boolean {
  return code !== undefined && CERTIFICATE_ERROR.test(code);
}
