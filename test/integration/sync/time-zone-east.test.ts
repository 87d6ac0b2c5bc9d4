/** Issue 10: an Intacct company ten hours ahead of UTC (see test/helpers/time-zone.ts). */
import { describeCompanyTimeZone } from '../../helpers/time-zone.ts';

describeCompanyTimeZone('Australia/Brisbane', 'UTC+10');
