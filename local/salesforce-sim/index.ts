/** Public entry of the Salesforce simulator (used by `sfi simulate salesforce`, `sfi local` and tests). */

export { salesforceSecretFor } from './credentials.ts';
export type { SimulatorFaults } from './faults.ts';
export { isValidId, toId18 } from './ids.ts';
export { DEFAULT_RULES, type OutboundRule } from './outbound/rules.ts';
export type { OutboundOptions, OutboundStats } from './outbound/sender.ts';
export {
  type SalesforceReadyInfo,
  type SalesforceSimulator,
  type SalesforceSimulatorOptions,
  startSalesforceSimulator,
} from './simulator.ts';
