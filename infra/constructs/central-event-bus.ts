import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DEFAULT_CENTRAL_EVENT_BUS_NAME } from '../defaults.js';

/** Properties of {@link CentralEventBus}. */
export interface CentralEventBusProps {
  /**
   * Name of the bus (the forwarders target `arn:…:event-bus/<name>`).
   *
   * @default 'oidcwatch'
   */
  readonly eventBusName?: string;
  /**
   * AWS Organizations id (`o-…`): every account of the organisation may put events.
   *
   * @default no organisation-wide statement
   */
  readonly organizationId?: string;
  /**
   * Accounts that may put events, when no organisation is given.
   *
   * @default []
   */
  readonly memberAccounts?: readonly string[];
}

/**
 * The central event bus the member accounts' forwarder rules send to. Its resource policy admits
 * `events:PutEvents` from the organisation (`aws:PrincipalOrgID`), or from listed accounts; with
 * neither, only this account can send to it.
 * {@link https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html | Cross-account events}
 *
 * @example
 * ```ts
 * const bus = new CentralEventBus(this, 'Bus', { organizationId: 'o-a1b2c3d4e5' });
 * ```
 */
export class CentralEventBus extends Construct {
  /** The bus. */
  readonly eventBus: events.EventBus;

  constructor(scope: Construct, id: string, props: CentralEventBusProps = {}) {
    super(scope, id);
    this.eventBus = new events.EventBus(this, 'Bus', {
      eventBusName: props.eventBusName ?? DEFAULT_CENTRAL_EVENT_BUS_NAME,
      description: 'oidcwatch: failed OIDC role assumptions forwarded from member accounts',
    });
    if (props.organizationId !== undefined) {
      this.eventBus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowOrganizationToPutEvents',
          principals: [new iam.StarPrincipal()],
          actions: ['events:PutEvents'],
          resources: [this.eventBus.eventBusArn],
          conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
        })
      );
    } else if ((props.memberAccounts ?? []).length > 0) {
      this.eventBus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowMemberAccountsToPutEvents',
          principals: (props.memberAccounts ?? []).map((a) => new iam.AccountPrincipal(a)),
          actions: ['events:PutEvents'],
          resources: [this.eventBus.eventBusArn],
        })
      );
    }
  }
}
