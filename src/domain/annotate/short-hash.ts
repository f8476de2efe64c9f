/**
 * A short, stable hash of a string (FNV-1a, 32 bits, base 36) for identifiers GitHub stores
 * (`external_id`, comment markers): it tells apart the roles and failing jobs of one repository
 * without writing their ARNs or subjects into another system. Not a security measure.
 */

/**
 * The FNV-1a hash of `text`, in base 36.
 *
 * @example
 * ```ts
 * shortHash('arn:aws:iam::111122223333:role/deploy'); // e.g. '1x3k9qz'
 * ```
 */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}
