/**
 * One colour per cause, fixed by cause code, so a cause looks the same in every chart and report
 * (Tableau 20, a palette designed for categorical data).
 */
import type { Cause } from '../../domain/causes.js';

/** Fill colour of each cause. */
export const CAUSE_COLORS: Readonly<Record<Cause, string>> = {
  SUB_MISMATCH: '#d62728',
  AUDIENCE_MISMATCH: '#ff7f0e',
  MISSING_OIDC_PROVIDER: '#9467bd',
  THUMBPRINT_MISMATCH: '#8c564b',
  WRONG_PROVIDER_PRINCIPAL: '#e377c2',
  WRONG_ACTION: '#7f7f7f',
  EXPLICIT_DENY: '#bcbd22',
  UNVERIFIABLE_CONDITION: '#17becf',
  DENIED_OUTSIDE_TRUST_POLICY: '#1f77b4',
  ROLE_NOT_FOUND: '#2ca02c',
  ROLE_UNRESOLVED: '#aec7e8',
  EXPIRED_TOKEN: '#ffbb78',
  IDP_ERROR: '#98df8a',
  INVALID_TOKEN: '#ff9896',
  INVALID_REQUEST: '#c5b0d5',
  MISSING_TAG_SESSION: '#c49c94',
  ENRICHMENT_FAILED: '#dbdb8d',
  SUCCESS: '#2e7d32',
  IGNORED: '#b0b0b0',
  MALFORMED_EVENT: '#616161',
};
