import type { SalesforceReadyInfo } from './simulator.ts';

/**
 * The Salesforce secret (the JSON shape the pipeline reads from Secrets Manager) for a running
 * simulator: the username-password flow with the simulator's connected app.
 */
export function salesforceSecretFor(sf: SalesforceReadyInfo) {
  return {
    loginUrl: sf.loginUrl,
    authFlow: 'password' as const,
    clientId: sf.clientId,
    clientSecret: sf.clientSecret,
    username: sf.username,
    password: sf.password,
  };
}
