/**
 * @module scenarios/portable: the `{{ uuid }}` template value — one UUID per VU iteration (transaction `urn:uuid` refs).
 * Portable: the engine imports it and every generated k6 script carries it as source (see README.md here).
 */

/** `cb5e0000-0000-4000-8000-VVVVIIIIIIII`: the VU id in 4 hex digits and its iteration in 8 (each keeps its low digits, so the form stays a UUID). */
export function iterationUuid(vu: number, iter: number): string {
  return 'cb5e0000-0000-4000-8000-' + ('0000' + vu.toString(16)).slice(-4) + ('00000000' + iter.toString(16)).slice(-8);
}
