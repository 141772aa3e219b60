/**
 * @module demo/smart-auth: SMART system scopes — `system/<Type|*>.<read|write|*>` (v1) or `.<cruds>` (v2) — and
 * what a FHIR interaction needs from them.
 */

/** One permission letter of SMART v2: create, read, update, delete, search. */
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

const SCOPE = /^system\/(\*|[A-Z][A-Za-z]{1,63})\.(read|write|\*|c?r?u?d?s?)$/;

/** The system scopes of a requested `scope` string that this server grants; others (openid, user/…) are dropped. */
export function grantableScopes(requested: string): string[] {
  return [...new Set(requested.split(/\s+/).filter((s) => s !== '' && SCOPE.test(s) && !s.endsWith('.')))];
}

/** True when `scopes` allow `need` on `type` (`*`: every type, as for a transaction Bundle). */
export function allows(scopes: readonly string[], type: string, need: Permission): boolean {
  return scopes.some((s) => {
    const m = SCOPE.exec(s);
    if (!m) return false;
    const [, scopeType, perms = ''] = m;
    if (scopeType !== '*' && scopeType !== type) return false;
    if (perms === '*') return true;
    if (perms === 'read') return need === 'r' || need === 's';
    if (perms === 'write') return need === 'c' || need === 'u' || need === 'd';
    return perms.includes(need);
  });
}

/** The permission a request under /fhir needs: read, search, create, update (a transaction: create on every type). */
export function neededPermission(method: string, parts: readonly string[]): { readonly type: string; readonly need: Permission } {
  if (parts.length === 0) return { type: '*', need: 'c' };
  const type = parts[0] as string;
  if (method === 'GET' || method === 'HEAD') return { type, need: parts.length === 1 ? 's' : 'r' };
  if (method === 'PUT' || method === 'PATCH') return { type, need: 'u' };
  if (method === 'DELETE') return { type, need: 'd' };
  return { type, need: 'c' };
}
