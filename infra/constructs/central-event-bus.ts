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
  /**
   * The event sources members may put (`events:source`); every statement also requires the
   * CloudTrail detail type (`events:detail-type`), so a member account cannot put events of its
   * own making that look like something else.
   *
   * @default ['aws.sts', 'aws.iam']
   */
  readonly memberSources?: readonly string[];
}

/** The detail type of every event the forwarders send (CloudTrail API calls). */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/**
 * The central event bus the member accounts' forwarder rules send to. Its resource policy admits
 * `events:PutEvents` from the organisation (`aws:PrincipalOrgID`), or from listed accounts, and
 * only of CloudTrail API-call events from the listed sources (`events:source`,
 * `events:detail-type`); with neither, only this account can send to it.
 * {@link https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html | EventBridge condition keys}
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
    const what = {
      'events:source': [...(props.memberSources ?? ['aws.sts', 'aws.iam'])],
      'events:detail-type': CLOUDTRAIL_DETAIL_TYPE,
    };
    if (props.organizationId !== undefined) {
      this.eventBus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowOrganizationToPutCloudTrailEvents',
          principals: [new iam.StarPrincipal()],
          actions: ['events:PutEvents'],
          resources: [this.eventBus.eventBusArn],
          conditions: {
            StringEquals: { 'aws:PrincipalOrgID': props.organizationId, ...what },
          },
        })
      );
    } else if ((props.memberAccounts ?? []).length > 0) {
      this.eventBus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowMemberAccountsToPutCloudTrailEvents',
          principals: (props.memberAccounts ?? []).map((a) => new iam.AccountPrincipal(a)),
          actions: ['events:PutEvents'],
          resources: [this.eventBus.eventBusArn],
          conditions: { StringEquals: what },
        })
      );
    }
  }
}
