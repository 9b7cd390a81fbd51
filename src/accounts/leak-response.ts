import { registerEnumType } from 'type-graphql';

/**
 * What keyward does, by itself, with a live key of the account that someone
 * reports leaked (POST /v1/keys/report-leak, GitHub secret scanning). The
 * account chooses: a platform whose integrations must not break at 3 a.m.
 * picks NOTIFY and acts on the webhook; one that would rather break them than
 * run with a public key picks REVOKE.
 */
export enum LeakResponse {
  DEACTIVATE = 'DEACTIVATE',
  REVOKE = 'REVOKE',
  NOTIFY = 'NOTIFY',
}

export const DEFAULT_LEAK_RESPONSE = LeakResponse.DEACTIVATE;

registerEnumType(LeakResponse, {
  name: 'LeakResponse',
  description:
    'What keyward does with a live key of the account reported leaked. Every report is audited and sent as api_key.leak_reported.',
  valuesConfig: {
    DEACTIVATE: { description: 'Switch the key off (the default): reversible with activateApiKey, so the owner decides.' },
    REVOKE: { description: 'Revoke the key at once: permanent.' },
    NOTIFY: { description: 'Leave the key working: only the audit event and the api_key.leak_reported event.' },
  },
});
