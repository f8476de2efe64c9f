/**
 * Default names shared by the stacks. The processor's role name and the read role name must agree
 * across accounts (the read role trusts the processor's role by ARN), so they are fixed names with
 * one definition here.
 */

/** Prefix of every named resource (alarms, rules, dashboard, Contributor Insights rules). */
export const DEFAULT_NAME_PREFIX = 'oidcwatch';

/** Name of the role the processor assumes in member accounts to read IAM. */
export const DEFAULT_READ_ROLE_NAME = 'oidcwatch-read';

/** Name of the processor Lambda's execution role (trusted by the read roles). */
export const DEFAULT_PROCESSOR_ROLE_NAME = 'oidcwatch-processor';

/** Name of the central event bus the member accounts forward to. */
export const DEFAULT_CENTRAL_EVENT_BUS_NAME = 'oidcwatch';
