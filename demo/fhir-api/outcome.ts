/** @module demo/fhir-api: FHIR errors as OperationOutcome responses. */

/** One OperationOutcome issue. */
export interface OutcomeIssue {
  readonly severity: 'fatal' | 'error' | 'warning' | 'information';
  readonly code: string;
  readonly diagnostics: string;
  readonly expression?: readonly string[];
}

/** An error that becomes an HTTP status plus OperationOutcome. */
export class FhirError extends Error {
  override readonly name = 'FhirError';
  constructor(readonly status: number, readonly issues: readonly OutcomeIssue[]) {
    super(issues.map((i) => i.diagnostics).join('; '));
  }

  /** One-issue shorthand. */
  static of(status: number, code: string, diagnostics: string, expression?: string): FhirError {
    return new FhirError(status, [{ severity: 'error', code, diagnostics, ...(expression ? { expression: [expression] } : {}) }]);
  }
}

/** The OperationOutcome resource for `issues`. */
export function operationOutcome(issues: readonly OutcomeIssue[]): Record<string, unknown> {
  return { resourceType: 'OperationOutcome', issue: issues };
}
