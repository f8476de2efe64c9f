/**
 * The OIDC provider events as provider changes. Field names follow CloudTrail's lower camel case
 * of the API parameters (`openIDConnectProviderArn`, `url`, `clientIDList`, `thumbprintList`,
 * `clientID`) and are matched regardless of case. `DeleteOpenIDConnectProvider` and the client-ID
 * calls are idempotent in IAM, so a successful call does not prove what was there before.
 */
import { child, type JsonObject } from '../input/record-fields.js';
import { paramList, paramText, partitionOf, providerUrlOf } from './change-fields.js';
import {
  type ChangeCommon,
  type ProviderChange,
  type ProviderState,
  UNKNOWN_PROVIDER,
} from './change-types.js';

const MARKER = ':oidc-provider/';

function existing(extra: Partial<ProviderState> = {}): ProviderState {
  return { ...UNKNOWN_PROVIDER, exists: true, ...extra };
}

/**
 * The change of one provider event, or the reason it cannot be read.
 *
 * @param common - the fields every change shares, already read
 */
export function readProviderEvent(
  record: JsonObject,
  common: ChangeCommon
): ProviderChange | string {
  const request = child(record, 'requestParameters');
  const label = `${common.eventName} record ${common.eventId ?? 'without eventID'}`;
  let arn =
    paramText(request, 'openIDConnectProviderArn') ??
    paramText(child(record, 'responseElements'), 'openIDConnectProviderArn');
  let url = arn?.includes(MARKER) ? arn.slice(arn.indexOf(MARKER) + MARKER.length) : null;
  if (common.eventName === 'CreateOpenIDConnectProvider') {
    const requested = paramText(request, 'url');
    url = requested === null ? url : providerUrlOf(requested);
    if (url === null) return `${label} has no requestParameters.url`;
    arn ??= `arn:${partitionOf(common.actor)}:iam::${common.account}${MARKER}${url}`;
  }
  if (arn === null || url === null || url === '')
    return `${label} has no requestParameters.openIDConnectProviderArn naming an OIDC provider`;
  const target = { kind: 'provider', account: common.account, url, arn } as const;
  const change = (before: ProviderState, after: ProviderState): ProviderChange => ({
    ...common,
    target,
    before,
    after,
  });
  switch (common.eventName) {
    case 'CreateOpenIDConnectProvider':
      return change(
        { ...UNKNOWN_PROVIDER, exists: false },
        existing({
          clientIds: paramList(request, 'clientIDList') ?? [],
          thumbprints: paramList(request, 'thumbprintList'),
        })
      );
    case 'DeleteOpenIDConnectProvider':
      return change(UNKNOWN_PROVIDER, { ...UNKNOWN_PROVIDER, exists: false });
    case 'UpdateOpenIDConnectProviderThumbprint': {
      const thumbprints = paramList(request, 'thumbprintList');
      if (thumbprints === null) return `${label} has no requestParameters.thumbprintList`;
      return change(existing(), existing({ thumbprints }));
    }
    default: {
      const clientId = paramText(request, 'clientID');
      if (clientId === null) return `${label} has no requestParameters.clientID`;
      const added = common.eventName === 'AddClientIDToOpenIDConnectProvider';
      return change(
        existing(),
        existing(added ? { withClientIds: [clientId] } : { withoutClientIds: [clientId] })
      );
    }
  }
}
