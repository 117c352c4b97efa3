// The one nonce helper: every webview load gets a fresh one for its CSP and its <script> tag.
import { randomBytes } from 'node:crypto';

/** 128 random bits, base64 (valid in a CSP 'nonce-…' source). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}
