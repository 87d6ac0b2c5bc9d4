/** Issue 10: an Intacct company eight hours behind UTC (see test/helpers/time-zone.ts). */
import { describeCompanyTimeZone } from '../../helpers/time-zone.ts';

describeCompanyTimeZone('Etc/GMT+8', 'UTC−8');
