import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ValidationError } from '#shared/errors.ts';

const ALLOWED = Object.values(RetentionDays).filter(
  (value): value is RetentionDays => typeof value === 'number' && value !== RetentionDays.INFINITE,
);

/**
 * The CloudWatch Logs retention for `retention.logDays`. CloudWatch accepts only certain periods,
 * so any other value fails the synth with the list to choose from rather than failing the deploy.
 */
export function toLogRetention(days: number): RetentionDays {
  const match = ALLOWED.find((allowed) => allowed === days);
  if (match === undefined) {
    throw new ValidationError(`retention.logDays ${days} is not a CloudWatch Logs retention period`, {
      code: 'CONFIG_INVALID',
      hint: `use one of ${ALLOWED.join(', ')} for retention.logDays in the sync config`,
    });
  }
  return match;
}
